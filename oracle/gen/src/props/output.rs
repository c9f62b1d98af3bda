//! Reading what the properties need from a linked module: function imports,
//! export names and the names of defined functions.

use std::collections::{BTreeMap, BTreeSet};
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

/// The parts of a linked module the properties look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputFacts {
    /// Function imports as (import module, import name, takes two params):
    /// the generator's two signatures are `(i32) -> i32` and
    /// `(i32, i32) -> i32`.
    pub func_imports: BTreeSet<(String, String, bool)>,
    /// Every import as (module, name) in section order, duplicates kept.
    pub imports: Vec<(String, String)>,
    /// Export names, sorted.
    pub exports: Vec<String>,
    /// Export names of kind function.
    pub func_exports: BTreeSet<String>,
    /// Names (name section) of defined, not imported, functions.
    pub defined_func_names: BTreeSet<String>,
}

/// Reads `bytes` (a module that parsed before: errors give what was read).
pub fn facts(bytes: &[u8]) -> Result<OutputFacts, String> {
    let mut out = OutputFacts::default();
    let mut types: Vec<usize> = Vec::new();
    let mut imported_funcs = 0u32;
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    types.push(t.map_err(|e| e.to_string())?.params().len());
                }
            }
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.map_err(|e| e.to_string())?;
                    out.imports.push((i.module.to_string(), i.name.to_string()));
                    if let TypeRef::Func(t) = i.ty {
                        imported_funcs += 1;
                        let two = types.get(t as usize).copied() == Some(2);
                        out.func_imports.insert((i.module.to_string(), i.name.to_string(), two));
                    }
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(|e| e.to_string())?;
                    out.exports.push(e.name.to_string());
                    if e.kind == wasmparser::ExternalKind::Func {
                        out.func_exports.insert(e.name.to_string());
                    }
                }
            }
            Payload::CustomSection(c) => {
                if let KnownCustom::Name(r) = c.as_known() {
                    for n in r.into_iter().flatten() {
                        if let Name::Function(m) = n {
                            for naming in m.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out.exports.sort();
    out.defined_func_names = names.into_iter().filter(|(i, _)| *i >= imported_funcs).map(|(_, n)| n).collect();
    Ok(out)
}

/// Validates with every feature wasmparser knows (the generated objects use
/// only MVP features plus what the linker adds).
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
