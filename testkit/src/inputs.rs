//! Inputs for the tests, made with wasm-encoder: WASI commands to run and
//! relocatable objects to link (no external compiler needed).

use std::path::Path;
use wasm_encoder::{
    CodeSection, ConstExpr, CustomSection, DataSection, EntityType, ExportKind, ExportSection, Function,
    FunctionSection, ImportSection, Instruction, LinkingSection, MemorySection, MemoryType, Module, SymbolTable,
    TypeSection, ValType,
};

/// Function index of [`wasi_command`]'s import `wasi_snapshot_preview1.proc_exit`.
pub const PROC_EXIT: u32 = 0;
/// Function index of [`wasi_command`]'s import `wasi_snapshot_preview1.fd_write`.
pub const FD_WRITE: u32 = 1;
/// Function index of [`wasi_command`]'s import `env.missing`.
pub const MISSING: u32 = 2;

/// A WASI command: imports `proc_exit`, `fd_write`, `env.missing`; one page
/// of memory with the iovec {16, 3} at 0 and "hi\n" at 16; `_start` with
/// `body` (no locals, `end` appended).
pub fn wasi_command(body: &[Instruction]) -> Vec<u8> {
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], []);
    types.ty().function([ValType::I32; 4], [ValType::I32]);
    types.ty().function([], []);
    m.section(&types);
    let mut imports = ImportSection::new();
    imports.import("wasi_snapshot_preview1", "proc_exit", EntityType::Function(0));
    imports.import("wasi_snapshot_preview1", "fd_write", EntityType::Function(1));
    imports.import("env", "missing", EntityType::Function(2));
    m.section(&imports);
    let mut funcs = FunctionSection::new();
    funcs.function(2);
    m.section(&funcs);
    let mut mems = MemorySection::new();
    mems.memory(MemoryType { minimum: 1, maximum: None, memory64: false, shared: false, page_size_log2: None });
    m.section(&mems);
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("_start", ExportKind::Func, 3);
    m.section(&exports);
    let mut code = CodeSection::new();
    let mut f = Function::new([]);
    for i in body {
        f.instruction(i);
    }
    f.instruction(&Instruction::End);
    code.function(&f);
    m.section(&code);
    let mut data = DataSection::new();
    data.active(0, &ConstExpr::i32_const(0), [16, 0, 0, 0, 3, 0, 0, 0]);
    data.active(0, &ConstExpr::i32_const(16), *b"hi\n");
    m.section(&data);
    m.finish()
}

/// `fd_write(1, iovec at 0, 1, nwritten at 8)`, result dropped.
pub fn write_hi() -> Vec<Instruction<'static>> {
    vec![
        Instruction::I32Const(1),
        Instruction::I32Const(0),
        Instruction::I32Const(1),
        Instruction::I32Const(8),
        Instruction::Call(FD_WRITE),
        Instruction::Drop,
    ]
}

/// A relocatable object defining `_start`, which calls the undefined
/// function `proc_exit` (import `wasi_snapshot_preview1.proc_exit`) with
/// `code`. With `explicit_import` the undefined symbol carries
/// WASM_SYM_EXPLICIT_NAME (like clang's `import_module` attribute) and links;
/// without, wasm-ld reports an undefined symbol.
pub fn object_calling_proc_exit(code: u8, explicit_import: bool) -> Vec<u8> {
    assert!(code < 64, "one-byte signed LEB");
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], []);
    types.ty().function([], []);
    m.section(&types); // section 0
    let mut imports = ImportSection::new();
    imports.import("wasi_snapshot_preview1", "proc_exit", EntityType::Function(0));
    m.section(&imports); // section 1
    let mut funcs = FunctionSection::new();
    funcs.function(1);
    m.section(&funcs); // section 2
    // Body: no locals; i32.const CODE; call <padded LEB 0>; end.
    let body = [0x00, 0x41, code, 0x10, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b];
    let mut code_section = CodeSection::new();
    code_section.raw(&body);
    m.section(&code_section); // section 3; payload: count, size, body
    // count (1) + body size (1) + locals, i32.const CODE, call opcode (4).
    let call_operand_offset = 1 + 1 + 4;

    let mut symbols = SymbolTable::new();
    if explicit_import {
        symbols.function(SymbolTable::WASM_SYM_UNDEFINED | SymbolTable::WASM_SYM_EXPLICIT_NAME, 0, Some("proc_exit"));
    } else {
        symbols.function(SymbolTable::WASM_SYM_UNDEFINED, 0, None);
    }
    symbols.function(0, 1, Some("_start"));
    let mut linking = LinkingSection::new();
    linking.symbol_table(&symbols);
    m.section(&linking);
    // reloc.CODE: target section 3, one R_WASM_FUNCTION_INDEX_LEB (type 0)
    // at the call's operand, symbol 0.
    let reloc = [3u8, 1, 0, call_operand_offset, 0];
    m.section(&CustomSection { name: "reloc.CODE".into(), data: reloc[..].into() });
    m.finish()
}

/// Writes an executable shell script `name` into `dir`; returns its path.
pub fn script(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Strings from string slices.
pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
