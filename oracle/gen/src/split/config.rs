//! The wasm-smith configuration of modules the splitter can cut and refld
//! can link back ([`smith_config`]). Each restriction says why.

use wasm_encoder::{EntityType, ImportSection, Module, TypeSection, ValType};

/// Function imports wasm-smith may choose from (its `available_imports`):
/// (module, field, params, results). Two modules with the same field check
/// that the import module survives the link (symbols carry it,
/// Linking.md "import_module").
const IMPORTS: &[(&str, &str, &[ValType], &[ValType])] = &[
    ("host", "tick", &[], &[]),
    ("host", "inc", &[ValType::I32], &[ValType::I32]),
    ("host", "mix", &[ValType::I64, ValType::I32], &[ValType::I64]),
    ("host", "fsum", &[ValType::F32, ValType::F64], &[ValType::F64]),
    ("host", "sink", &[ValType::I32, ValType::I32, ValType::I32], &[]),
    ("host", "pair", &[], &[ValType::I32, ValType::I64]),
    ("other", "inc", &[ValType::I32], &[ValType::I32]),
    ("other", "f", &[ValType::F32], &[ValType::F32]),
];

/// The example module whose imports wasm-smith picks from.
pub fn available_imports() -> Vec<u8> {
    let mut types = TypeSection::new();
    let mut imports = ImportSection::new();
    for (i, (module, field, params, results)) in IMPORTS.iter().enumerate() {
        types.ty().function(params.iter().copied(), results.iter().copied());
        imports.import(module, field, EntityType::Function(i as u32));
    }
    let mut m = Module::new();
    m.section(&types).section(&imports);
    m.finish()
}

/// A wasm-smith config for the split oracle.
pub fn smith_config() -> wasm_smith::Config {
    wasm_smith::Config {
        // Objects cannot carry a start section (refld: "an object file has
        // no start section").
        allow_start_export: false,
        // Function imports only: an object's undefined global would need a
        // definition or an explicit import and a global initializer naming
        // an import cannot be relocated (refld copies init expressions as
        // they are); memories and tables are the harness's, see below.
        available_imports: Some(available_imports()),
        // One memory: objects import the single `env.__linear_memory`.
        // Addresses in generated code are runtime values that no
        // relocation can follow, so the relinked module imports its memory
        // (`--import-memory`) and the harness gives both modules the same one.
        max_memories: 1,
        memory64_enabled: false, // refld: wasm64 is not supported
        threads_enabled: false,  // a shared memory needs --shared-memory
        custom_page_sizes_enabled: false,
        max_memory32_bytes: 2 << 16, // small memories: cheap to hash per call
        // No data segments: the linker places data where it likes (refld
        // MEM-LAYOUT); generated code addresses it with plain constants.
        max_data_segments: 0,
        // No element segments: table slots come from TABLE_INDEX
        // relocations and the linker chooses them (LAY-TABLE), while
        // generated code computes slot numbers at run time. The table stays
        // the harness's (`--import-table`).
        max_element_segments: 0,
        max_tables: 1,
        // Empty tables: with elements, wasm-ld 22's output of the parts
        // (oracle/gen/tests/split.rs, wasm_ld_22_links_the_parts_too) has
        // call_indirect but no table, an invalid module; not triaged yet.
        max_table_elements: 0,
        // No ref.func (refld writes no declarative element segment, so the
        // output would not validate), no table.get/set, no reference-typed
        // globals or locals the harness could not pass.
        reference_types_enabled: false,
        gc_enabled: false, // refld reads function types only
        custom_descriptors_enabled: false,
        shared_everything_threads_enabled: false,
        // Tags are linkable (TAG_INDEX_LEB) but the harness's wasmtime runs
        // without exception handling.
        exceptions_enabled: false,
        // Not enabled in the harness's wasmtime.
        wide_arithmetic_enabled: false,
        // The reference form and the objects are written with classic
        // import sections.
        compact_imports_enabled: false,
        // Everything else wasmtime and refld both handle: multi-value
        // (TYPE_INDEX_LEB block types), tail calls, SIMD, bulk memory
        // (memory.copy/fill; no segments to init), extended constants.
        simd_enabled: true,
        relaxed_simd_enabled: true,
        tail_call_enabled: true,
        multi_value_enabled: true,
        bulk_memory_enabled: true,
        extended_const_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        // Sizes that keep one check (two compilations, two runs) fast.
        // Enough functions and exports that calls cross parts.
        min_funcs: 4,
        min_exports: 4,
        max_funcs: 24,
        max_instructions: 120,
        max_globals: 12,
        max_exports: 16,
        max_types: 16,
        max_imports: 8,
        ..wasm_smith::Config::default()
    }
}

/// A module wasm-smith builds from `u` with [`smith_config`].
///
/// Errors: `u` ran out or held an unusable value (as `arbitrary` reports it).
pub fn smith_module(u: &mut arbitrary::Unstructured<'_>) -> arbitrary::Result<Vec<u8>> {
    Ok(wasm_smith::Module::new(smith_config(), u)?.to_bytes())
}
