//! `parse_objects`: arbitrary bytes as one to three input files (objects or
//! archives). refld must return a linked module or a clear error: never
//! panic, never hang (libFuzzer's -timeout), never allocate without bound
//! (-rss_limit_mb). Run: `cargo fuzz run -s none parse_objects`.
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
    let chunk = rest.len() / files + 1;
    for (i, part) in rest.chunks(chunk).take(files).enumerate() {
        let path = format!("in{i}.o");
        provider.add(path.clone(), part.to_vec());
        inputs.push(InputSpec::File { path, whole_archive: head & 0x80 != 0, lazy: head & 0x40 != 0 });
    }
    let config = Config { inputs, entry: None, export_all: head & 0x20 != 0, ..Config::default() };
    match refld::link(&config, &provider) {
        // A successful link must be a valid module.
        Ok(linked) => {
            let mut v = wasmparser_validator();
            assert!(v.validate_all(&linked.bytes).is_ok(), "refld wrote an invalid module");
        }
        Err(e) => assert!(!e.diagnostics.is_empty(), "a failed link says why"),
    }
});

fn wasmparser_validator() -> wasmparser::Validator {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
}
