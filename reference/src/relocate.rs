//! Relocation values and patching (rules REL-*): each site gets the value
//! its type asks for, from the definition resolution chose and the layout.

use crate::ids::{DefinedIndex, SymbolIndex};
use crate::layout::Layout;
use crate::object::{Relocation, SectionTarget, SymbolKind};
use crate::object::reloc_types::{self, fits, write_field, Field, RelocValue};
use crate::resolve::{FileId, Resolution, Synthetic, Target};
use rustc_hash::FxHashMap as HashMap;

/// What relocation needs beyond resolution and layout: where function
/// bodies and input custom sections ended up.
#[derive(Debug, Clone, Default)]
pub struct Offsets {
    /// Offset of each output function's body (after its size) from the
    /// start of the code section payload, bytes; by output function index.
    pub code: HashMap<u32, u32>,
    /// Offset of an input custom section's contents in its output section:
    /// (file, custom index) -> bytes.
    pub custom: HashMap<(FileId, usize), u32>,
    /// MERGE-STRINGS: per merged input custom section (`.debug_str`, ...),
    /// where its strings went from its entry in `custom` (the start of
    /// the merged chunk).
    pub custom_merged: HashMap<(FileId, usize), crate::layout::strings::PieceMap>,
}

/// Everything relocation reads.
pub struct Relocator<'a> {
    pub res: &'a Resolution,
    pub layout: &'a Layout,
    pub offsets: &'a Offsets,
    /// QUIRK-WILD-ADDEND: a memory address of undefined data is its addend
    /// (0 + addend) instead of 0.
    pub undefined_addend_kept: bool,
    /// QUIRK-LAZY-KIND: a call of a name that ended as a data definition
    /// is written with function index 0, and its address with table index
    /// 0, as wasm-ld writes them.
    pub call_of_data_is_zero: bool,
    /// QUIRK-UND-INDEX: the index of a global or tag no import or
    /// definition gives is written as 0xFFFFFFFF.
    pub undefined_index_invalid: bool,
}

/// Why a site could not be patched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpatched {
    /// The target was removed (dead code, discarded COMDAT): debug
    /// sections get a tombstone (REL-TOMBSTONE); elsewhere it is a bug.
    Dead,
    /// The value does not fit the field.
    Overflow(i64),
}

impl Relocator<'_> {
    /// The value relocation `r` of `file` writes. `site` is the address of
    /// the patched field in memory, for data sections (LOCREL).
    pub fn value(&self, file: FileId, r: &Relocation, site: Option<u32>) -> Result<i64, Unpatched> {
        let info = reloc_types::info(r.ty);
        let l = self.layout;
        let res = self.res;
        let memory = matches!(info.value, RelocValue::MemoryAddr | RelocValue::TlsOffset | RelocValue::LocRel);
        let v: i64 = match info.value {
            // REL-MEM, UND-WEAK-DATA: undefined data is address 0, the addend
            // dropped (measured, wasm-ld 22); QUIRK-WILD-ADDEND: Wild 0.10
            // keeps it in MEMORY_ADDR_* relocations (measured:
            // found/wild_weak_data_addend_kept; strong undefined data under
            // QUIRK-WILD-UND alike).
            _ if memory && matches!(res.target(file, SymbolIndex(r.index)), Target::Undefined(_)) => {
                if self.undefined_addend_kept && info.value == RelocValue::MemoryAddr { r.addend } else { 0 }
            }
            RelocValue::TypeIndex => {
                let sig = &res.files[file].types[r.index as usize];
                *l.type_map.get(sig).ok_or(Unpatched::Dead)? as i64
            }
            RelocValue::FunctionIndex => match l.function_of(res, file, SymbolIndex(r.index)) {
                Some(f) => f as i64,
                // Measured on rust-lld 22 and wasm-ld 19
                // (found/wasm_ld_lazy_kind_call_of_data): a miscompile.
                None if self.call_of_data_is_zero && self.resolves_to_data(file, SymbolIndex(r.index)) => 0,
                // QUIRK-LAZY-LOCAL (measured, wasm-ld 19): a miscompile.
                None if self.left_lazy(file, SymbolIndex(r.index)) => 0,
                None => return Err(Unpatched::Dead),
            },
            // REL-REL: relative to `__table_base` (the table's base); a
            // function without a slot is 0 either way.
            RelocValue::TableIndex if matches!(r.ty, wasmparser::RelocationType::TableIndexRelSleb | wasmparser::RelocationType::TableIndexRelSleb64) => {
                let base = l.table.as_ref().map_or(0, |t| t.base);
                match self.table_index(file, SymbolIndex(r.index))? {
                    0 => 0,
                    slot => (slot - base) as i64,
                }
            }
            RelocValue::TableIndex => match self.table_index(file, SymbolIndex(r.index)) {
                Ok(slot) => slot as i64,
                // QUIRK-LAZY-KIND: the address of a name that ended as data
                // is table index 0 (measured, rust-lld 22 and wasm-ld 19).
                Err(Unpatched::Dead) if self.call_of_data_is_zero && self.resolves_to_data(file, SymbolIndex(r.index)) => 0,
                Err(Unpatched::Dead) if self.left_lazy(file, SymbolIndex(r.index)) => 0,
                Err(e) => return Err(e),
            },
            // DYN-GOT: against a data or function symbol (or, DYN-STATIC, a
            // base outside PIC output), its GOT entry.
            RelocValue::GlobalIndex => match l.got_global.get(&crate::pic::got_target(res, file, SymbolIndex(r.index))) {
                Some(&g) => g as i64,
                None if matches!(res.files[file].symbols[r.index as usize].kind, SymbolKind::Data | SymbolKind::Function) => {
                    return Err(Unpatched::Dead)
                }
                None => match l.global_of(res, file, SymbolIndex(r.index)) {
                    Some(g) => g as i64,
                    None if self.undefined_index_invalid && matches!(res.target(file, SymbolIndex(r.index)), Target::Undefined(_)) => u32::MAX as i64,
                    None => return Err(Unpatched::Dead),
                },
            },
            RelocValue::MemoryAddr => self.address(file, SymbolIndex(r.index))? as i64 + r.addend,
            RelocValue::TlsOffset => self.address(file, SymbolIndex(r.index))? as i64 + r.addend - l.memory.tls_base as i64,
            RelocValue::LocRel => self.address(file, SymbolIndex(r.index))? as i64 + r.addend - site.unwrap_or(0) as i64,
            RelocValue::FunctionOffset => {
                let f = l.function_of(res, file, SymbolIndex(r.index)).ok_or(Unpatched::Dead)?;
                *self.offsets.code.get(&f).ok_or(Unpatched::Dead)? as i64 + r.addend
            }
            RelocValue::SectionOffset => {
                let s = &res.files[file].symbols[r.index as usize];
                match res.files[file].section_target(s.index) {
                    // MERGE-STRINGS: into a merged section, where the
                    // string at the addend went (wasm-ld `getOffset`).
                    SectionTarget::Custom(ci) => {
                        let start = *self.offsets.custom.get(&(file, ci)).ok_or(Unpatched::Dead)? as i64;
                        match self.offsets.custom_merged.get(&(file, ci)) {
                            Some(map) => start + crate::layout::strings::translate(map, u32::try_from(r.addend).map_err(|_| Unpatched::Dead)?).ok_or(Unpatched::Dead)? as i64,
                            None => start + r.addend,
                        }
                    }
                    _ => r.addend,
                }
            }
            RelocValue::TagIndex => match l.tag_of(res, file, SymbolIndex(r.index)) {
                Some(t) => t as i64,
                None if self.undefined_index_invalid && matches!(res.target(file, SymbolIndex(r.index)), Target::Undefined(_)) => u32::MAX as i64,
                None => return Err(Unpatched::Dead),
            },
            // The indirect function table is the only table refld writes.
            RelocValue::TableNumber => 0,
        };
        let v = if matches!(info.field, Field::Sleb5) && v > i32::MAX as i64 && v <= u32::MAX as i64 { v as u32 as i32 as i64 } else { v };
        if !fits(info.field, v) {
            return Err(Unpatched::Overflow(v));
        }
        Ok(v)
    }

    /// Whether the symbol resolves to a data definition.
    /// QUIRK-LAZY-LOCAL: the symbol is a left-lazy name.
    fn left_lazy(&self, file: FileId, sym: SymbolIndex) -> bool {
        matches!(self.res.target(file, sym), Target::Undefined(sid) if self.res.left_lazy.contains(&sid))
    }

    fn resolves_to_data(&self, file: FileId, sym: SymbolIndex) -> bool {
        match self.res.target(file, sym) {
            Target::Defined(f, s) => self.res.files[f].symbols[s.index()].kind == crate::object::SymbolKind::Data,
            _ => false,
        }
    }

    /// REL-TABLE: the table slot of a function (of the symbol, for an
    /// undefined one); 0 for those without: undefined weak functions and
    /// stubs (UND-STUB-SLOT aside).
    fn table_index(&self, file: FileId, sym: SymbolIndex) -> Result<u32, Unpatched> {
        let table = self.layout.table.as_ref();
        match self.res.target(file, sym) {
            Target::Undefined(sid) => return Ok(table.and_then(|t| t.symbol_slot.get(&sid).copied()).unwrap_or(0)),
            Target::Stub(_) => return Ok(0),
            _ => {}
        }
        let f = self.layout.function_of(self.res, file, sym).ok_or(Unpatched::Dead)?;
        Ok(table.and_then(|t| t.slot.get(&f).copied()).unwrap_or(0))
    }

    /// REL-MEM: the address of a data symbol; 0 for undefined data.
    fn address(&self, file: FileId, sym: SymbolIndex) -> Result<u32, Unpatched> {
        match self.res.target(file, sym) {
            Target::Defined(f, s) => {
                let s = &self.res.files[f].symbols[s.index()];
                if s.kind != SymbolKind::Data {
                    return Err(Unpatched::Dead);
                }
                let Some(d) = s.data else { return Ok(0) };
                // MERGE-STRINGS: a symbol in a merged string segment is
                // where its string went.
                self.layout.memory.data_address(f, DefinedIndex(d.segment), d.offset).ok_or(Unpatched::Dead)
            }
            Target::Synthetic(syn) => Ok(self.layout.memory.synthetic_address(syn).unwrap_or(match syn {
                Synthetic::StackPointer => self.layout.memory.stack_pointer,
                _ => 0,
            })),
            Target::Undefined(_) => Ok(0),
            Target::Stub(_) => Err(Unpatched::Dead),
        }
    }

    /// Patches `bytes`, a copy of an input chunk that starts `start` bytes
    /// into its section, with `relocs` (offsets relative to the section).
    /// `address` is the chunk's memory address for data segments.
    /// `tombstone` is written for dead targets in custom sections (0: the
    /// addend is kept); `None` makes a dead target an error.
    pub fn patch(&self, file: FileId, relocs: &[Relocation], start: usize, bytes: &mut [u8], address: Option<u32>, tombstone: Option<i64>) -> Result<(), String> {
        for r in relocs {
            let info = reloc_types::info(r.ty);
            let at = r.offset as usize - start;
            let site = address.map(|a| a + at as u32);
            let v = match self.value(file, r, site) {
                Ok(v) => v,
                // REL-TOMBSTONE: a tombstone of 0 means "keep the addend".
                Err(Unpatched::Dead) if tombstone.is_some() => match tombstone {
                    Some(0) | None => r.addend,
                    Some(t) => t,
                },
                Err(Unpatched::Dead) => {
                    return Err(format!("{}: {} at offset {:#x} refers to symbol {} which has no place in the output", self.res.files[file].name, info.name, r.offset, self.symbol_name(file, SymbolIndex(r.index))))
                }
                Err(Unpatched::Overflow(v)) => {
                    return Err(format!("{}: {} at offset {:#x}: value {v} does not fit the field (symbol {})", self.res.files[file].name, info.name, r.offset, self.symbol_name(file, SymbolIndex(r.index))))
                }
            };
            write_field(info.field, &mut bytes[at..at + info.field.width()], v);
        }
        Ok(())
    }

    fn symbol_name(&self, file: FileId, sym: SymbolIndex) -> String {
        self.res.files[file].symbols.get(sym.index()).map(|s| s.name.clone()).unwrap_or_else(|| format!("#{}", sym.0))
    }
}

/// REL-TOMBSTONE: the value written for a dead target in a custom section
/// (wasm-ld `getTombstoneForSection`): -2 in `.debug_ranges` and
/// `.debug_loc`, where -1 and 0 mean something, -1 in other `.debug_*`
/// sections, 0 (the addend is kept, measured) elsewhere.
pub fn tombstone(section: &str) -> i64 {
    if section == ".debug_ranges" || section == ".debug_loc" {
        0xffff_fffe
    } else if section.starts_with(".debug_") {
        0xffff_ffff
    } else {
        0
    }
}
