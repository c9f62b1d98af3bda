//! The machine of an object file, wasm32 or wasm64, and the check that
//! every input matches the link's (rule SIXTYFOUR-MACHINE).

use crate::error::InputError;
use wasmparser::{Parser, Payload, TypeRef};

/// True when the module imports or defines a 64-bit memory (memory64): what
/// makes LLVM's object reader call it wasm64 (`WasmObjectFile::getArch`);
/// clang and llvm-mc import `env.__linear_memory` as `i64` memory for the
/// wasm64 triples, also in objects without data (measured, clang-19).
/// Unreadable sections count as wasm32: parsing reports them (OBJ-2).
pub fn is_wasm64(bytes: &[u8]) -> bool {
    for payload in Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(Payload::ImportSection(r)) => {
                for imp in r.into_imports().flatten() {
                    if let TypeRef::Memory(m) = imp.ty {
                        if m.memory64 {
                            return true;
                        }
                    }
                }
            }
            Ok(Payload::MemorySection(r)) => {
                if r.into_iter().flatten().any(|m| m.memory64) {
                    return true;
                }
            }
            // The memory is imported or defined before the code.
            Ok(Payload::CodeSectionStart { .. }) | Err(_) => return false,
            Ok(_) => {}
        }
    }
    false
}

/// SIXTYFOUR-MACHINE: an input of the other machine stops the link at that file
/// (wasm-ld `InputFile::checkArch`, a fatal error; measured on wasm-ld 22
/// and 19, archive members checked whether extracted or not). `machine` is
/// `-m` (`None` without it, `Some(true)` for wasm64). A wasm64 object
/// without `-m` is `FILE: must specify -mwasm64 to process wasm64 object
/// files`; any other mismatch, `-m wasm32` with a wasm64 object included,
/// is `FILE: wasm32 object file can't be linked in wasm64 mode` (wasm-ld's
/// words for both).
pub fn check_machine(name: &str, bytes: &[u8], machine: Option<bool>) -> Result<(), InputError> {
    let is64 = is_wasm64(bytes);
    if is64 && machine.is_none() {
        return Err(InputError::file(name, "must specify -mwasm64 to process wasm64 object files"));
    }
    if machine.unwrap_or(false) != is64 {
        return Err(InputError::file(name, "wasm32 object file can't be linked in wasm64 mode"));
    }
    Ok(())
}
