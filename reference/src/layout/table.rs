//! The indirect function table: which functions get a table slot, in which
//! order (LAY-TABLE, UND-STUB-SLOT).

use crate::ids::SymbolIndex;
use super::{Layout, TableLayout};
use crate::config::Config;
use crate::live::{Chunk, LiveSet};
use crate::resolve::{Resolution, SymbolId, Synthetic, Target};
use crate::pic::Pic;

/// An imported function table as wasm-ld declares it (its limits are
/// written from the layout, `write`).
const TABLE_IMPORT: wasmparser::TableType =
    wasmparser::TableType { element_type: wasmparser::RefType::FUNCREF, table64: false, initial: 0, maximum: None, shared: false };
use crate::undefined::{Fate, Undefined};
use wasmparser::RelocationType;

/// LAY-TABLE: one slot per function whose address a live relocation takes,
/// in first-use order from `--table-base` (default 1) (wasm-ld scans the
/// relocations of live chunks file by file, functions before segments).
/// Defined functions have one slot each; undefined function symbols one per
/// symbol (imports deduplicated into one function keep a slot each,
/// measured). Undefined weak functions and SIG-1 stubs get none (their
/// table index is 0). UND-STUB-SLOT: a function stubbed under warn/ignore
/// gets a slot, holding the shared stub, when its first live relocation is
/// one that takes its address: wasm-ld makes the stub, which has no slot,
/// at the first relocation it reports (measured).
///
/// DYN-TABLE (measured, wasm-ld 22): in PIC output slots count from 0 (the
/// loader adds `__table_base`); the relative and GOT forms take an address
/// too, except of a function reached through an imported GOT entry, which
/// has no slot here.
pub(super) fn table(config: &Config, res: &Resolution, live: &LiveSet, und: &Undefined, pic: &Pic, l: &mut Layout) {
    let base = if config.is_pic() { 0 } else { config.table_base() };
    // DYN-IMPORTS: PIC output imports its table, when it has one.
    // REL-OUT-TABLE (wasm-ld `setConfigs`: -r implies --import-table):
    // relocatable output imports the table when an input names it.
    let named = config.relocatable && res.table.find(super::INDIRECT_TABLE).is_some_and(|s| !res.table.symbols[s].refs.is_empty());
    let mut t = TableLayout { base, imported: config.import_table || config.is_pic() || config.relocatable, ..Default::default() };
    let mut needed = named
        || live.synthetic.contains(&Synthetic::IndirectFunctionTable)
        || config.import_table
        || config.export_table
        || res.files.iter().any(|o| o.legacy_table_import());
    // UND-STUB-SLOT: stubbed functions already met by another relocation.
    let mut stubbed: rustc_hash::FxHashSet<SymbolId> = Default::default();
    for (f, obj) in res.files() {
        let chunks = (0..obj.functions.len()).map(|i| (Chunk::Function(f, i.into()), &obj.code_relocs[obj.func_relocs[i].clone()]));
        let segs = (0..obj.segments.len()).map(|i| (Chunk::Segment(f, i.into()), &obj.data_relocs[obj.segment_relocs[i].clone()]));
        for (chunk, relocs) in chunks.chain(segs) {
            if !live.is_live(chunk) {
                continue;
            }
            for r in relocs {
                // A type index relocation names a type, not a symbol (REL-TYPE).
                if r.ty == RelocationType::TypeIndexLeb {
                    continue;
                }
                // PIC code takes addresses in static links too (DYN-STATIC).
                let got_function = matches!(r.ty, RelocationType::GlobalIndexLeb | RelocationType::GlobalIndexI32)
                    && obj.symbols[r.index as usize].kind == crate::object::SymbolKind::Function;
                let takes = matches!(crate::object::reloc_types::narrow(r.ty), RelocationType::TableIndexSleb | RelocationType::TableIndexRelSleb | RelocationType::TableIndexI32) || got_function;
                let address = takes && pic.entry_of(res, f, SymbolIndex(r.index)).is_none_or(|e| !e.imported);
                // QUIRK-LAZY-KIND: the address of a name that ended as data
                // is 0 and needs no table (measured).
                let of_data = matches!(res.target(f, SymbolIndex(r.index)), Target::Defined(df, ds) if res.files[df].symbols[ds.index()].kind == crate::object::SymbolKind::Data);
                // QUIRK-LAZY-LOCAL: a left-lazy name's address alike.
                let left_lazy = matches!(res.target(f, SymbolIndex(r.index)), Target::Undefined(sid) if res.left_lazy.contains(&sid));
                needed |= address && !of_data && !left_lazy;
                match res.target(f, SymbolIndex(r.index)) {
                    Target::Undefined(sid) => {
                        let fate = und.fates.get(&sid);
                        let first = fate == Some(&Fate::TrapStub) && stubbed.insert(sid);
                        let slot = match fate {
                            Some(Fate::Import { .. }) => address,
                            Some(Fate::TrapStub) => address && first,
                            _ => false,
                        };
                        let Some(&func) = l.symbol_func.get(&sid).filter(|_| slot) else { continue };
                        if let std::collections::hash_map::Entry::Vacant(e) = t.symbol_slot.entry(sid) {
                            e.insert(t.base + t.functions.len() as u32);
                            t.functions.push(func);
                        }
                    }
                    Target::Stub(_) => {}
                    _ if address => {
                        let Some(func) = l.function_of(res, f, SymbolIndex(r.index)) else { continue };
                        if let std::collections::hash_map::Entry::Vacant(e) = t.slot.entry(func) {
                            e.insert(t.base + t.functions.len() as u32);
                            t.functions.push(func);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if needed {
        if (config.is_pic() || config.relocatable) && !config.import_table {
            // Right after the memory, as `--import-table` puts it (`super::imports`).
            let at = usize::from(config.import_memory);
            l.imports.insert(at, super::OutImport { module: "env".into(), field: "__indirect_function_table".into(), kind: super::OutImportKind::Table(TABLE_IMPORT) });
            l.num_imported_tables += 1;
        }
        l.table = Some(t);
    }
}
