//! Cutting one module into relocatable object files ([`split`]).
//!
//! Every defined function and global goes to one part (chosen by the choice
//! bytes). A part defines its functions under symbols `f<index>` and its
//! globals under `g<index>` (original indices); what it uses from other
//! parts it imports from `env` under the same names as undefined symbols,
//! and the original's function imports it uses are undefined symbols
//! `i<index>` with `WASM_SYM_EXPLICIT_NAME` and the original import module
//! and field. An export keeps its name one of four ways (chosen): a defined
//! alias symbol named like the export with `--export=NAME`, the same with
//! `--export-if-defined=NAME`, or with `WASM_SYM_EXPORTED`; or a wrapper
//! function (calls the exported function with its parameters) whose
//! EXPORTED symbol is named in the part's export section (refld EXP-NAME).
//! Re-exported imports, empty names and names starting with `__` (linker
//! symbols, refld SYN-1/SYN-2) always take the wrapper.
//!
//! Every global is exported (`--export=g<index>`, and in the reference form
//! under the same name) so the harness can compare globals after each call;
//! the parts then declare the `mutable-globals` feature, as wasm-ld wants for
//! exported mutable globals.
//!
//! Some functions (chosen) are also copied into a second part as a weak
//! definition (`WASM_SYM_BINDING_WEAK`; the first copy is weak or strong):
//! the copies are identical, so whichever definition the linker keeps
//! (SYM-2, SYM-3) the behaviour is the same. Functions only their own part
//! names may get local symbols (`WASM_SYM_BINDING_LOCAL`), named
//! `local<k>` in every part alike (SYM-7: locals never meet).

use std::collections::{BTreeMap, BTreeSet};

use wasm_encoder::SymbolTable;

use super::body::{self, val_type, RewrittenBody, Site, SiteTarget};
use super::module::{self, Original};
use super::{Split, SplitError};
use linkcheck_object::{
    Body, ExportModel, FeatureModel, FuncSig, FunctionModel, GlobalModel, ImportKind, ImportModel, ObjectModel,
    RelocModel, RelocType, SymbolKind, SymbolModel,
};

const LOCAL: u32 = SymbolTable::WASM_SYM_BINDING_LOCAL;
const HIDDEN: u32 = SymbolTable::WASM_SYM_VISIBILITY_HIDDEN;
const UNDEFINED: u32 = SymbolTable::WASM_SYM_UNDEFINED;
const EXPORTED: u32 = SymbolTable::WASM_SYM_EXPORTED;
const EXPLICIT_NAME: u32 = SymbolTable::WASM_SYM_EXPLICIT_NAME;
const NO_STRIP: u32 = SymbolTable::WASM_SYM_NO_STRIP;
const WEAK: u32 = SymbolTable::WASM_SYM_BINDING_WEAK;

/// The choice bytes, read one at a time; once used up, every choice is its
/// default.
struct Choices<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Choices<'_> {
    /// A number below `n` (`n` ≥ 1): the next byte modulo `n`, or
    /// `default % n` when the bytes are used up.
    fn pick(&mut self, n: usize, default: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b as usize % n
            }
            None => default % n,
        }
    }
}

/// How one export keeps its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ExportWay {
    /// Alias symbol + `--export=NAME`.
    Flag,
    /// Alias symbol + `--export-if-defined=NAME`.
    IfDefined,
    /// Alias symbol with `WASM_SYM_EXPORTED`.
    Exported,
    /// A wrapper function in part `.0`, EXPORTED, named in the export section.
    Wrapper(usize),
}

/// Cuts `module` into `parts` (at least 1) relocatable objects and the
/// wasm-ld command line that links them back into a module that behaves
/// like `module` (with its memory and table imported, see
/// [`Split::reference`]). `choice` decides every free choice (which part
/// each function and global goes to, symbol flags, how each export is kept,
/// relocating table fields, gc, input order); the same inputs give the same
/// split.
///
/// Errors: [`SplitError::Malformed`], [`SplitError::Unsupported`] (outside
/// the subset of [`super::config::smith_config`]).
pub fn split(module_bytes: &[u8], parts: usize, choice: &[u8]) -> Result<Split, SplitError> {
    let o = module::read(module_bytes)?;
    let parts = parts.max(1);
    let mut ch = Choices { bytes: choice, pos: 0 };
    let prefix = internal_prefix(&o);

    let nimp = o.num_imports();
    let func_part: Vec<usize> = (0..o.funcs.len()).map(|i| ch.pick(parts, i)).collect();
    let global_part: Vec<usize> = (0..o.globals.len()).map(|i| ch.pick(parts, i)).collect();
    let part_of = |f: u32| f.checked_sub(nimp).map(|i| func_part[i as usize]);
    // A weak copy in another part for about one function in eight.
    let copy_part: Vec<Option<usize>> = func_part
        .iter()
        .map(|&p| (parts > 1 && ch.pick(8, 0) == 7).then(|| (p + 1 + ch.pick(parts - 1, 0)) % parts))
        .collect();

    let mut bodies = Vec::with_capacity(o.funcs.len());
    for i in 0..o.funcs.len() {
        let mut table = || ch.pick(2, 1) == 1;
        bodies.push(body::rewrite(&o.bytes, o.funcs[i].body.clone(), &mut table)?);
    }

    let mut ways = Vec::with_capacity(o.exports.len());
    for (name, f) in &o.exports {
        let plain = *f >= nimp && !name.is_empty() && !name.starts_with("__");
        let way = match (plain, ch.pick(4, 0)) {
            (true, 0) => ExportWay::Flag,
            (true, 1) => ExportWay::IfDefined,
            (true, 2) => ExportWay::Exported,
            _ => ExportWay::Wrapper(ch.pick(parts, *f as usize)),
        };
        ways.push(way);
    }

    // Functions some other part names (calls, wrappers): their symbols
    // must be global.
    let mut used_elsewhere = BTreeSet::new();
    for (i, b) in bodies.iter().enumerate() {
        for s in &b.sites {
            if let SiteTarget::Func(f) = s.target {
                if part_of(f).is_some_and(|p| p != func_part[i] || copy_part[i].is_some()) {
                    used_elsewhere.insert(f);
                }
            }
        }
    }
    for ((_, f), way) in o.exports.iter().zip(&ways) {
        if let ExportWay::Wrapper(p) = way {
            if part_of(*f).is_some_and(|q| q != *p) {
                used_elsewhere.insert(*f);
            }
        }
    }

    let mut objects = Vec::with_capacity(parts);
    for p in 0..parts {
        let mut b = PartBuilder::new(&o, &prefix);
        let mut locals = 0;
        for (i, body) in bodies.iter().enumerate() {
            let f = nimp + i as u32;
            let copied = copy_part[i].is_some();
            let flags = if copy_part[i] == Some(p) {
                WEAK
            } else if func_part[i] != p {
                continue;
            } else {
                match ch.pick(4, 0) {
                    1 if !used_elsewhere.contains(&f) && !copied => LOCAL,
                    1 | 2 => HIDDEN | if copied { WEAK } else { 0 },
                    3 => NO_STRIP,
                    _ => 0,
                }
            };
            let name = if flags & LOCAL != 0 {
                locals += 1;
                format!("{prefix}local{}", locals - 1)
            } else {
                format!("{prefix}f{f}")
            };
            b.define_func(f, o.funcs[i].type_index, body.clone(), name, flags);
        }
        for (g, _) in global_part.iter().enumerate().filter(|(_, &q)| q == p) {
            let flags = if ch.pick(2, 0) == 1 { HIDDEN } else { 0 };
            b.define_global(g as u32, flags);
        }
        for (k, ((name, f), way)) in o.exports.iter().zip(&ways).enumerate() {
            match *way {
                ExportWay::Wrapper(q) if q == p => {
                    let ty = o.func_type(*f).unwrap_or(0);
                    b.wrapper(format!("{prefix}w{k}"), name, *f, ty);
                }
                ExportWay::Flag | ExportWay::IfDefined | ExportWay::Exported if part_of(*f) == Some(p) => {
                    let flags = if *way == ExportWay::Exported { EXPORTED } else { 0 };
                    b.alias(name, *f, flags);
                }
                _ => {}
            }
        }
        let mut obj = b.finish();
        if !o.globals.is_empty() {
            obj.features.push(FeatureModel { prefix: '+', name: "mutable-globals".into() });
        }
        objects.push((format!("p{p}.o"), obj));
    }

    let mut args: Vec<String> =
        ["--no-entry", "--import-memory", "--import-table", "-z", "stack-size=0"].map(String::from).into();
    if let Some(m) = &o.memory {
        if m.initial > 0 {
            args.push(format!("--initial-memory={}", m.initial * 65536));
        }
        if let Some(max) = m.maximum {
            args.push(format!("--max-memory={}", max * 65536));
        }
    }
    if ch.pick(4, 0) == 3 {
        args.push("--no-gc-sections".into());
    }
    let global_names: Vec<String> = (0..o.globals.len()).map(|g| format!("{prefix}g{g}")).collect();
    args.extend(global_names.iter().map(|g| format!("--export={g}")));
    for ((name, _), way) in o.exports.iter().zip(&ways) {
        match way {
            ExportWay::Flag => args.push(format!("--export={name}")),
            ExportWay::IfDefined => args.push(format!("--export-if-defined={name}")),
            _ => {}
        }
    }
    // Input order: a rotation (objects are all loaded; order must not matter).
    let start = ch.pick(parts, 0);
    args.extend((0..parts).map(|i| objects[(start + i) % parts].0.clone()));
    args.extend(["-o".to_string(), "relinked.wasm".to_string()]);

    Ok(Split {
        parts: objects,
        args,
        reference: module::reference_module(&o, &global_names),
        exports: o.exports.iter().map(|e| e.0.clone()).collect(),
        wrapped: o
            .exports
            .iter()
            .zip(&ways)
            .filter(|(_, w)| matches!(w, ExportWay::Wrapper(_)))
            .map(|(e, _)| e.0.clone())
            .collect(),
    })
}

/// A prefix for the internal symbol names (`f3`, `g0`, `i2`, `w1`,
/// `local0`) that no export name can clash with: the shortest run of `_`
/// such that no export is that run followed by `f`/`g`/`i`/`w`/`local` and
/// digits.
fn internal_prefix(o: &Original) -> String {
    let clashes = |prefix: &str| {
        o.exports.iter().any(|(name, _)| {
            name.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix("local").or_else(|| rest.strip_prefix(['f', 'g', 'i', 'w'])))
                .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    let mut prefix = String::new();
    while clashes(&prefix) {
        prefix.push('_');
    }
    prefix
}

/// Builds one part: collects bodies with their sites first, then lays out
/// imports, symbols and provisional values in [`PartBuilder::finish`].
struct PartBuilder<'o> {
    o: &'o Original,
    /// The prefix of internal symbol names ([`internal_prefix`]).
    prefix: String,
    /// (original function index or None for a wrapper, type, body, symbol name, flags).
    funcs: Vec<(Option<u32>, u32, RewrittenBody, String, u32)>,
    /// Defined globals: original index and flags.
    globals: Vec<(u32, u32)>,
    /// Alias symbols: (name, original function index, flags).
    aliases: Vec<(String, u32, u32)>,
    /// Export section entries: (export name, position in `funcs`).
    exports: Vec<(String, usize)>,
}

impl<'o> PartBuilder<'o> {
    fn new(o: &'o Original, prefix: &str) -> Self {
        PartBuilder { o, prefix: prefix.to_string(), funcs: Vec::new(), globals: Vec::new(), aliases: Vec::new(), exports: Vec::new() }
    }

    /// `f<index>`: the symbol of a defined function.
    fn name_f(&self, f: u32) -> String {
        format!("{}f{f}", self.prefix)
    }

    /// `g<index>`: the symbol of a defined global.
    fn name_g(&self, g: u32) -> String {
        format!("{}g{g}", self.prefix)
    }

    fn define_func(&mut self, f: u32, ty: u32, body: RewrittenBody, name: String, flags: u32) {
        self.funcs.push((Some(f), ty, body, name, flags));
    }

    fn define_global(&mut self, g: u32, flags: u32) {
        self.globals.push((g, flags));
    }

    fn alias(&mut self, name: &str, f: u32, flags: u32) {
        self.aliases.push((name.to_string(), f, flags));
    }

    /// A function of type `ty` passing its parameters to `target` and
    /// returning its results, exported as `export` through EXP-NAME.
    fn wrapper(&mut self, symbol: String, export: &str, target: u32, ty: u32) {
        let params = self.o.types.get(ty as usize).map_or(0, |t| t.params().len());
        let mut body = RewrittenBody::default();
        for i in 0..params {
            body.code.push(0x20);
            linkcheck_object::leb::write_uleb(&mut body.code, i as u64);
        }
        body.code.push(0x10);
        body.sites.push(Site { offset: body.code.len(), ty: RelocType::FunctionIndexLeb, target: SiteTarget::Func(target) });
        body.code.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x00, 0x0b]);
        self.exports.push((export.to_string(), self.funcs.len()));
        self.funcs.push((None, ty, body, symbol, EXPORTED));
    }

    fn finish(self) -> ObjectModel {
        let o = self.o;
        let nimp = o.num_imports();
        let mut obj = ObjectModel {
            types: o.types.iter().map(|t| FuncSig::new(&map(t.params()), &map(t.results()))).collect(),
            ..ObjectModel::default()
        };
        let import = |module: &str, field: &str, kind: ImportKind| ImportModel { module: module.into(), field: field.into(), kind };
        let symbol = |kind: SymbolKind, flags: u32, index: u32, name: String| SymbolModel {
            kind,
            flags,
            name: Some(name),
            index,
            data: None,
        };
        let uses_table = self.funcs.iter().any(|f| f.2.sites.iter().any(|s| s.target == SiteTarget::Table));
        if o.memory.is_some() {
            obj.imports.push(import("env", "__linear_memory", ImportKind::Memory { min: 0, memory64: false }));
        }
        if o.table.is_some() {
            obj.imports.push(import("env", "__indirect_function_table", ImportKind::Table { min: 0, table64: false }));
        }
        // Undefined functions and globals, in order of first use.
        let own_funcs: BTreeMap<u32, u32> =
            self.funcs.iter().enumerate().filter_map(|(k, f)| f.0.map(|i| (i, k as u32))).collect();
        let own_globals: BTreeMap<u32, u32> = self.globals.iter().enumerate().map(|(k, g)| (g.0, k as u32)).collect();
        let mut und_funcs: Vec<u32> = Vec::new();
        let mut und_globals: Vec<u32> = Vec::new();
        for s in self.funcs.iter().flat_map(|f| &f.2.sites) {
            match s.target {
                SiteTarget::Func(f) if !own_funcs.contains_key(&f) && !und_funcs.contains(&f) => und_funcs.push(f),
                SiteTarget::Global(g) if !own_globals.contains_key(&g) && !und_globals.contains(&g) => und_globals.push(g),
                _ => {}
            }
        }
        let mut symbols: Vec<SymbolModel> = Vec::new();
        let mut func_sym: BTreeMap<u32, u32> = BTreeMap::new();
        let mut func_index: BTreeMap<u32, u32> = BTreeMap::new();
        for (k, &f) in und_funcs.iter().enumerate() {
            let (imported, sym) = if f < nimp {
                let i = &o.imports[f as usize];
                let imported = import(&i.module, &i.field, ImportKind::Func { type_index: i.type_index });
                let name = format!("{}i{f}", self.prefix);
                (imported, symbol(SymbolKind::Function, UNDEFINED | EXPLICIT_NAME, k as u32, name))
            } else {
                let name = self.name_f(f);
                let ty = o.func_type(f).unwrap_or(0);
                let imported = import("env", &name, ImportKind::Func { type_index: ty });
                (imported, symbol(SymbolKind::Function, UNDEFINED, k as u32, name))
            };
            obj.imports.push(imported);
            func_sym.insert(f, symbols.len() as u32);
            func_index.insert(f, k as u32);
            symbols.push(sym);
        }
        let ndefined_base = und_funcs.len() as u32;
        let mut global_sym: BTreeMap<u32, u32> = BTreeMap::new();
        let mut global_index: BTreeMap<u32, u32> = BTreeMap::new();
        for (k, &g) in und_globals.iter().enumerate() {
            let name = self.name_g(g);
            let ty = o.globals[g as usize].ty;
            let kind = ImportKind::Global { ty: val_type(ty.content_type), mutable: ty.mutable };
            obj.imports.push(import("env", &name, kind));
            global_sym.insert(g, symbols.len() as u32);
            global_index.insert(g, k as u32);
            symbols.push(symbol(SymbolKind::Global, UNDEFINED, k as u32, name));
        }
        let table_sym = uses_table.then(|| {
            symbols.push(symbol(SymbolKind::Table, UNDEFINED, 0, "__indirect_function_table".into()));
            symbols.len() as u32 - 1
        });
        let nglobal_imports = und_globals.len() as u32;
        for (k, &(g, flags)) in self.globals.iter().enumerate() {
            let index = nglobal_imports + k as u32;
            global_sym.insert(g, symbols.len() as u32);
            global_index.insert(g, index);
            symbols.push(symbol(SymbolKind::Global, flags, index, self.name_g(g)));
            let ty = o.globals[g as usize].ty;
            // The init expression without its final `end`, as it is.
            let init = o.global_init(g as usize);
            let init_expr = Some(init[..init.len().saturating_sub(1)].to_vec());
            obj.globals.push(GlobalModel { ty: val_type(ty.content_type), mutable: ty.mutable, init: 0, init_expr });
        }
        for (k, f) in self.funcs.iter().enumerate() {
            let index = ndefined_base + k as u32;
            if let Some(orig) = f.0 {
                func_sym.insert(orig, symbols.len() as u32);
                func_index.insert(orig, index);
            }
            symbols.push(symbol(SymbolKind::Function, f.4, index, f.3.clone()));
        }
        for (name, f, flags) in &self.aliases {
            let index = ndefined_base + own_funcs[f];
            symbols.push(symbol(SymbolKind::Function, *flags, index, name.clone()));
        }
        for (export, k) in self.exports {
            obj.exports.push(ExportModel { name: export, index: ndefined_base + k as u32 });
        }
        for (_, ty, mut body, _, _) in self.funcs {
            // The provisional values LLVM would write (the encoder writes
            // the same ones; they stay when a test drops a relocation).
            body.patch(|s| match s.target {
                SiteTarget::Func(f) => func_index[&f],
                SiteTarget::Global(g) => global_index[&g],
                SiteTarget::Type(t) => t,
                SiteTarget::Table => 0,
            });
            let relocs = body
                .sites
                .iter()
                .map(|s| RelocModel {
                    ty: s.ty,
                    offset: s.offset as u32,
                    index: match s.target {
                        SiteTarget::Func(f) => func_sym[&f],
                        SiteTarget::Global(g) => global_sym[&g],
                        SiteTarget::Type(t) => t,
                        SiteTarget::Table => table_sym.unwrap_or(0),
                    },
                    addend: 0,
                })
                .collect();
            let code = Body { code: body.code, relocs, closed: true };
            obj.functions.push(FunctionModel { type_index: ty, locals: body.locals, body: code });
        }
        obj.symbols = symbols;
        obj
    }
}

/// Value types of a signature as the object model spells them.
fn map(types: &[wasmparser::ValType]) -> Vec<linkcheck_object::ValTypeModel> {
    types.iter().map(|&t| val_type(t)).collect()
}
