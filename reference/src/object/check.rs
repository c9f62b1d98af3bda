//! Validation of an object's linking metadata (rules OBJ-*): every
//! relocation lies inside its section and one chunk, names a symbol of a
//! kind its type allows; init functions and COMDAT members exist.

use super::*;
use std::ops::Range;
use crate::error::InputError;
use crate::object::reloc_types;

/// Checks what the binary reader cannot: cross references between the
/// `linking`, `reloc.*` and the module sections.
pub fn check_object(obj: &mut ObjectFile) -> Result<(), InputError> {
    obj.code_relocs.sort_by_key(|r| r.offset);
    obj.data_relocs.sort_by_key(|r| r.offset);
    let code_chunks: Vec<Range<usize>> = obj.functions.iter().map(|f| f.body.start - obj.code_payload..f.body.end - obj.code_payload).collect();
    let code_len = code_chunks.last().map(|c| c.end).unwrap_or(0);
    obj.func_relocs = check_relocs(obj, "reloc.CODE", &obj.code_relocs, code_len, Some(("function body", &code_chunks)))?;
    let data_chunks: Vec<Range<usize>> = obj.segments.iter().map(|s| s.section_offset..s.section_offset + s.data.len()).collect();
    let data_len = data_chunks.last().map(|c| c.end).unwrap_or(0);
    obj.segment_relocs = check_relocs(obj, "reloc.DATA", &obj.data_relocs, data_len, Some(("data segment", &data_chunks)))?;
    for c in &obj.customs {
        let sec = format!("reloc.{}", c.name);
        check_relocs(obj, &sec, &c.relocs, c.data.len(), None)?;
    }
    // OBJ-8 (wasm-ld `addLegacyIndirectFunctionTableIfNeeded`, measured):
    // an object without table symbols (an MVP object) may import one
    // table, the indirect function table; any other table import needs a
    // symbol.
    let table_symbols = obj.symbols.iter().filter(|s| s.kind == SymbolKind::Table).count();
    if table_symbols == 0 && obj.tables.is_empty() && obj.table_imports.len() == 1 {
        let imp = &obj.imports[obj.table_imports[0]];
        let funcref = matches!(&imp.kind, ImportKind::Table(t) if t.element_type == wasmparser::RefType::FUNCREF);
        if imp.field != "__indirect_function_table" || !funcref {
            return Err(InputError::file(&obj.name, format!("table import {} is missing a symbol table entry.", imp.field)));
        }
    }
    // OBJ-5: an init function names a function symbol.
    for f in &obj.init_funcs {
        let ok = obj.symbols.get(f.symbol as usize).is_some_and(|s| s.kind == SymbolKind::Function);
        if !ok {
            return Err(InputError::in_section(&obj.name, "linking", format!("init function refers to symbol {}, which is not a function symbol (OBJ-5)", f.symbol)));
        }
    }
    for c in &obj.comdats {
        let nf = obj.num_imported_funcs() as usize + obj.functions.len();
        let bad = c.segments.iter().any(|&i| i as usize >= obj.segments.len())
            || c.functions.iter().any(|&i| i as usize >= nf || i < obj.num_imported_funcs())
            || c.globals.iter().any(|&i| i as usize >= obj.num_imported_globals() as usize + obj.globals.len())
            || c.tags.iter().any(|&i| i as usize >= obj.num_imported_tags() as usize + obj.tags.len())
            || c.tables.iter().any(|&i| i as usize >= obj.num_imported_tables() as usize + obj.tables.len())
            || c.sections.iter().any(|&i| i as usize >= obj.customs.len() + 16);
        if bad {
            return Err(InputError::in_section(&obj.name, "linking", format!("COMDAT {} names a member out of range (OBJ-6)", c.name)));
        }
    }
    // OBJ-7: the non-local symbols of one object have distinct names,
    // undefined ones included (LLVM's object reader, which wasm-ld uses,
    // rejects the file with this message).
    let mut names = rustc_hash::FxHashSet::default();
    for s in obj.symbols.iter().filter(|s| !s.is_local() && s.kind != SymbolKind::Section) {
        if !names.insert(s.name.as_str()) {
            return Err(InputError::file(&obj.name, format!("duplicate symbol name {}", s.name)));
        }
    }
    for s in &obj.symbols {
        if s.kind == SymbolKind::Section && obj.section_target(s.index) == SectionTarget::Other {
            return Err(InputError::in_section(&obj.name, "linking", format!("section symbol refers to section {}, which is not code, data or a custom section", s.index)));
        }
    }
    Ok(())
}

/// Checks `relocs` (sorted by offset) of one section of `len` bytes and,
/// when the section is made of chunks (sorted, disjoint ranges), returns for
/// each chunk the range of `relocs` that falls in it (OBJ-4).
fn check_relocs(obj: &ObjectFile, sec: &str, relocs: &[Relocation], len: usize, chunks: Option<(&str, &[Range<usize>])>) -> Result<Vec<Range<usize>>, InputError> {
    let mut per_chunk: Vec<Range<usize>> = chunks.map(|(_, c)| vec![0..0; c.len()]).unwrap_or_default();
    for (ri, r) in relocs.iter().enumerate() {
        let info = reloc_types::info(r.ty);
        let err = |msg: String| InputError::at(&obj.name, sec, r.entry_offset, format!("{}: {msg}", info.name));
        let start = r.offset as usize;
        let end = start + info.field.width();
        if end > len {
            return Err(err(format!("relocation at {start:#x}..{end:#x} lies outside its section of {len} bytes (OBJ-4)")));
        }
        if let Some((what, chunks)) = chunks {
            let ci = chunks.partition_point(|c| c.end <= start);
            match chunks.get(ci) {
                Some(c) if start >= c.start && end <= c.end => {
                    let pc = &mut per_chunk[ci];
                    if pc.start == pc.end {
                        *pc = ri..ri + 1;
                    } else {
                        pc.end = ri + 1;
                    }
                }
                _ => return Err(err(format!("relocation at {start:#x}..{end:#x} does not lie inside one {what} (OBJ-4)"))),
            }
        }
        match info.symbol_kind {
            None => {
                if r.index as usize >= obj.types.len() {
                    return Err(err(format!("type index {} out of range ({} types) (OBJ-4)", r.index, obj.types.len())));
                }
            }
            Some(kind) => {
                let Some(sym) = obj.symbols.get(r.index as usize) else {
                    return Err(err(format!("symbol index {} out of range ({} symbols) (OBJ-4)", r.index, obj.symbols.len())));
                };
                // GLOBAL_INDEX relocations may name data or function
                // symbols too (PIC code's GOT entries, DYN-GOT).
                let got = kind == SymbolKind::Global && matches!(sym.kind, SymbolKind::Data | SymbolKind::Function);
                if sym.kind != kind && !got {
                    return Err(err(format!("relocation against {} symbol {} but it needs a {} symbol (OBJ-4)", sym.kind, display_name(sym), kind)));
                }
            }
        }
    }
    Ok(per_chunk)
}

fn display_name(s: &Symbol) -> String {
    if s.name.is_empty() {
        format!("#{}", s.index)
    } else {
        s.name.clone()
    }
}
