//! The link map: where each input function, data segment and global symbol
//! went in the output, for the oracle and for people.

use crate::ids::DefinedIndex;
use crate::layout::{FuncBody, Layout};
use crate::object::SymbolKind;
use crate::resolve::{Def, Resolution};

/// An input function in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionPlacement {
    /// `x.o` or `lib.a(x.o)`.
    pub file: String,
    /// Function index in the object's index space (imports first).
    pub input_index: u32,
    pub output_index: u32,
    pub name: String,
}

/// An input data segment in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentPlacement {
    pub file: String,
    pub segment: u32,
    pub name: String,
    /// Memory address, bytes.
    pub address: u32,
    /// Size, bytes.
    pub size: u32,
}

/// Where a global symbol ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolValue {
    /// Output function index.
    Function(u32),
    /// Memory address, bytes.
    Data(u32),
    /// Output global index.
    Global(u32),
}

/// A global symbol with its definition and output place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolPlacement {
    pub name: String,
    /// The defining file, `None` for undefined and synthetic symbols.
    pub file: Option<String>,
    pub value: SymbolValue,
}

/// Where everything went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkMap {
    pub functions: Vec<FunctionPlacement>,
    /// Input segments placed whole; those whose strings were merged
    /// (MERGE-STRINGS) have no one place and are not listed (their data
    /// symbols are, at their strings' addresses).
    pub segments: Vec<SegmentPlacement>,
    pub symbols: Vec<SymbolPlacement>,
}

/// Builds the map from the resolution and the layout.
pub(crate) fn build(res: &Resolution, l: &Layout) -> LinkMap {
    let mut map = LinkMap::default();
    for (i, f) in l.functions.iter().enumerate() {
        if let FuncBody::Input(file, pos) = f.body {
            let obj = &res.files[file];
            map.functions.push(FunctionPlacement { file: obj.name.clone(), input_index: pos.0 + obj.num_imported_funcs(), output_index: l.num_imported_funcs + i as u32, name: f.name.clone() });
        }
    }
    for seg in &l.memory.segments {
        for p in &seg.pieces {
            let obj = &res.files[p.file];
            let s = &obj.segments[p.segment.index()];
            map.segments.push(SegmentPlacement { file: obj.name.clone(), segment: p.segment.0, name: s.name.clone(), address: seg.address + p.offset, size: s.data.len() as u32 });
        }
    }
    for sym in &res.table.symbols {
        let Def::Defined { file, sym: si } = sym.def else { continue };
        let value = match sym.kind {
            SymbolKind::Function => l.body_of(res, file, si).map(SymbolValue::Function),
            SymbolKind::Global => l.global_of(res, file, si).map(SymbolValue::Global),
            SymbolKind::Data => res.files[file].symbols[si.index()]
                .data
                .and_then(|d| l.memory.data_address(file, DefinedIndex(d.segment), d.offset).map(SymbolValue::Data)),
            _ => None,
        };
        if let Some(value) = value {
            map.symbols.push(SymbolPlacement { name: sym.name.clone(), file: Some(res.files[file].name.clone()), value });
        }
    }
    map
}
