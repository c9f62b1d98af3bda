//! `parse_objects`: arbitrary bytes as one to three input files (objects or
//! archives). refld must return a linked module or a clear error: never
//! panic, never hang (libFuzzer's -timeout), never allocate without bound
//! (-rss_limit_mb). When every input is itself valid (each object, and each
//! member of an archive, validates as a module), a linked module must
//! validate too; an input with invalid function bodies is copied as it is,
//! by refld as by wasm-ld, so its output may not validate.
//! Run: `cargo fuzz run -s none parse_objects fuzz/corpus/parse_objects
//! -- -dict=fuzz/dict/wasm-objects.dict`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refld::config::InputSpec;
use refld::{Config, MemoryInputs};

fuzz_target!(|data: &[u8]| {
    // The first byte says how many files and where the cuts are.
    let Some((&head, rest)) = data.split_first() else { return };
    let files = 1 + (head % 3) as usize;
    let mut provider = MemoryInputs::default();
    let mut inputs = Vec::new();
    let mut all_valid = true;
    let chunk = rest.len() / files + 1;
    for (i, part) in rest.chunks(chunk).take(files).enumerate() {
        let path = format!("in{i}.o");
        all_valid &= input_is_valid(part);
        provider.add(path.clone(), part.to_vec());
        inputs.push(InputSpec::File { path, whole_archive: head & 0x80 != 0, lazy: head & 0x40 != 0 });
    }
    let config = Config { inputs, entry: None, export_all: head & 0x20 != 0, ..Config::default() };
    match refld::link(&config, &provider) {
        Ok(linked) if all_valid => {
            if let Err(e) = validator().validate_all(&linked.bytes) {
                panic!("refld wrote an invalid module from valid inputs: {e}");
            }
        }
        Ok(_) => {}
        Err(e) => assert!(!e.diagnostics.is_empty(), "a failed link says why"),
    }
});

/// An object that validates, or an archive each of whose members does.
fn input_is_valid(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"!<arch>\n") {
        let Ok(archive) = object::read::archive::ArchiveFile::parse(bytes) else { return false };
        return archive.members().all(|m| {
            m.ok().and_then(|m| m.data(bytes).ok()).is_some_and(|data| {
                // The symbol index and long-name members are no objects.
                data.is_empty() || !data.starts_with(b"\0asm") || object_is_valid(data)
            })
        });
    }
    object_is_valid(bytes)
}

/// A module that validates and whose code names every function, global,
/// type and table through a relocation (Linking.md: a relocatable object
/// relocates every index its code uses; without the relocation the linker
/// copies the input's own index, which names something else in the
/// output, as wasm-ld and refld both do).
fn object_is_valid(bytes: &[u8]) -> bool {
    validator().validate_all(bytes).is_ok() && code_indices_relocated(bytes)
}

fn code_indices_relocated(bytes: &[u8]) -> bool {
    use wasmparser::{Operator as O, Payload};
    let mut code_start = None;
    let mut relocated: Vec<u64> = Vec::new();
    // (start, end) of each operator that carries an index, relative to the
    // code section's contents.
    let mut indexed: Vec<(u64, u64)> = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Ok(payload) = payload else { return false };
        match payload {
            Payload::CodeSectionStart { unchecked_range, .. } => code_start = Some(unchecked_range.start),
            Payload::CodeSectionEntry(body) => {
                let Some(start) = code_start else { return false };
                let Ok(mut ops) = body.get_operators_reader() else { return false };
                while !ops.eof() {
                    let at = ops.original_position() as u64;
                    let Ok(op) = ops.read() else { return false };
                    let end = ops.original_position() as u64;
                    let has_index = matches!(
                        op,
                        O::Call { .. }
                            | O::ReturnCall { .. }
                            | O::CallIndirect { .. }
                            | O::ReturnCallIndirect { .. }
                            | O::GlobalGet { .. }
                            | O::GlobalSet { .. }
                            | O::RefFunc { .. }
                            | O::TableGet { .. }
                            | O::TableSet { .. }
                            | O::TableSize { .. }
                            | O::TableGrow { .. }
                            | O::TableFill { .. }
                    );
                    if has_index {
                        indexed.push((at - start, end - start));
                    }
                }
            }
            Payload::CustomSection(c) if c.name() == "reloc.CODE" => {
                let wasmparser::KnownCustom::Reloc(r) = c.as_known() else { return false };
                for e in r.entries() {
                    let Ok(e) = e else { return false };
                    relocated.push(e.offset as u64);
                }
            }
            _ => {}
        }
    }
    indexed.iter().all(|&(a, b)| relocated.iter().any(|&o| o > a && o < b))
}

fn validator() -> wasmparser::Validator {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
}
