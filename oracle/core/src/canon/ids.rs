//! Canonical names (ids) of output functions, globals, tables and tags, and
//! of input data symbols: the symbol name, made unique where input files
//! define the same local name (`name<file>`).

use super::funcs::FuncOrigin;
use super::inputs::{InObject, SymKind};
use super::output::OutModule;
use std::collections::{BTreeMap, HashMap};
use wasmparser::{ExternalKind, TypeRef};

/// Everything rendering needs to name things.
pub(crate) struct Ctx<'a, 'b> {
    pub out: &'b OutModule<'a>,
    pub ins: &'b [InObject<'a>],
    /// Per output function index.
    pub funcs: Vec<String>,
    /// Per output global index.
    pub globals: Vec<String>,
    /// Per output table index.
    pub tables: Vec<String>,
    /// Per output tag index.
    pub tags: Vec<String>,
    /// `(kind, name)` -> every input symbol defining it: `(object, symbol)`.
    pub defs: HashMap<(SymKind, String), Vec<(usize, u32)>>,
    /// Per input: whether it is in the link (see [`Ctx::mark_linked`]).
    pub linked: Vec<bool>,
}

impl<'a, 'b> Ctx<'a, 'b> {
    pub fn new(out: &'b OutModule<'a>, ins: &'b [InObject<'a>]) -> Self {
        let mut defs: HashMap<(SymKind, String), Vec<(usize, u32)>> = HashMap::new();
        for (o, obj) in ins.iter().enumerate() {
            for (s, sym) in obj.symbols.iter().enumerate() {
                if let (true, Some(name)) = (sym.is_defined(), &sym.name) {
                    defs.entry((sym.kind, name.clone())).or_default().push((o, s as u32));
                }
            }
        }
        let linked = ins.iter().map(|o| !o.member).collect();
        Ctx { out, ins, funcs: Vec::new(), globals: Vec::new(), tables: Vec::new(), tags: Vec::new(), defs, linked }
    }

    /// The id of input symbol `(o, s)` of a definition: its name, with
    /// `<file>` when it is local and another input defines the same name.
    pub fn def_id(&self, o: usize, s: u32) -> String {
        let sym = &self.ins[o].symbols[s as usize];
        let name = sym.name.clone().unwrap_or_default();
        let shared = self.defs.get(&(sym.kind, name.clone())).is_some_and(|d| d.iter().any(|&(o2, _)| o2 != o));
        if sym.is_local() && shared {
            format!("{name}<{}>", self.ins[o].name)
        } else {
            name
        }
    }

    /// The definition an input symbol reference resolves to: a local or
    /// strong definition itself; otherwise (undefined, or weak and maybe
    /// overridden) the strong, then the first weak, non-local definition
    /// of its name in any input.
    pub fn resolve(&self, o: usize, s: u32) -> Option<(usize, u32)> {
        let sym = self.ins[o].symbols.get(s as usize)?;
        if sym.is_defined() && (sym.is_local() || !sym.is_weak()) {
            return Some((o, s));
        }
        let defs = self.defs.get(&(sym.kind, sym.name.clone()?))?;
        let global = || {
            defs.iter().filter(|&&(o2, s2)| self.linked[o2] && !self.ins[o2].symbols[s2 as usize].is_local())
        };
        global().find(|&&(o2, s2)| !self.ins[o2].symbols[s2 as usize].is_weak()).or_else(|| global().next()).copied()
    }

    /// Whether defined symbol `(o, s)` is the definition its name resolves
    /// to (false for a weak definition another one overrides).
    pub fn names_itself(&self, o: usize, s: u32) -> bool {
        self.resolve(o, s) == Some((o, s))
    }

    /// Decides which inputs are in the link: every object; an archive
    /// member when an output function came from it, or when a linked input
    /// has a strong undefined reference to a name no linked input defines
    /// and the member is the first to define it (archive extraction).
    pub fn mark_linked(&mut self, origins: &[FuncOrigin<'a>]) {
        for origin in origins {
            if let FuncOrigin::Input(m) = origin {
                self.linked[m.obj] = true;
            }
        }
        loop {
            let mut extract = None;
            'files: for (_, obj) in self.ins.iter().enumerate().filter(|(o, _)| self.linked[*o]) {
                for sym in obj.symbols.iter().filter(|s| !s.is_defined() && !s.is_weak()) {
                    let Some(defs) = sym.name.clone().and_then(|n| self.defs.get(&(sym.kind, n))) else { continue };
                    let global = |&&(o2, s2): &&(usize, u32)| !self.ins[o2].symbols[s2 as usize].is_local();
                    if !defs.iter().filter(global).any(|&(o2, _)| self.linked[o2]) {
                        if let Some(&(o2, _)) = defs.iter().find(global) {
                            extract = Some(o2);
                            break 'files;
                        }
                    }
                }
            }
            match extract {
                Some(o) => self.linked[o] = true,
                None => break,
            }
        }
    }

    /// Names the output's functions: an imported one by the input symbol
    /// declaring its import (else the name section, else `module.field`), a
    /// matched one by its input symbol (`<file>` added
    /// for a local symbol whose name other inputs define too), any other by
    /// the name section (`func#INDEX` without one), a linker-made function
    /// named after an undefined weak function `undefined_weak:NAME` (the
    /// stub, however the name section spells it); a function matched to an
    /// overridden weak definition, when another function has its name,
    /// `NAME<file>`; an imported function whose name a defined one has,
    /// `import:NAME`; then `#k` for any name still repeated.
    pub fn name_functions(&mut self, origins: &[FuncOrigin<'a>]) {
        let n = self.out.func_types.len() as u32;
        // Output functions matched to a weak definition another one
        // overrides: (function, the overridden definition's file).
        let mut overridden: Vec<(usize, String)> = Vec::new();
        let mut ids: Vec<String> = (0..n)
            .map(|i| {
                // An imported function is named by the input symbol that
                // declares its import: linkers name imports differently in
                // the name section (wasm-ld by the symbol, Wild by the
                // import field), and that is debug info only.
                let base = match (self.imported_symbol(i), self.out.names.funcs.get(&i)) {
                    (Some(symbol), _) => symbol,
                    (None, Some(name)) => name.clone(),
                    (None, None) => match self.import_of(i, |t| matches!(t, TypeRef::Func(_) | TypeRef::FuncExact(_))) {
                        Some(key) => key,
                        None => format!("func#{i}"),
                    },
                };
                match i.checked_sub(self.out.num_imported_funcs).and_then(|d| origins.get(d as usize)) {
                    Some(FuncOrigin::Input(m)) => match m.symbol {
                        Some(s) => {
                            let sym = &self.ins[m.obj].symbols[s as usize];
                            if !sym.is_local() && !self.names_itself(m.obj, s) {
                                overridden.push((i as usize, self.ins[m.obj].name.clone()));
                            }
                            self.def_id(m.obj, s)
                        }
                        None => base,
                    },
                    Some(FuncOrigin::Unmatched { .. }) if self.is_undefined_weak(&base) => {
                        format!("undefined_weak:{base}")
                    }
                    _ => base,
                }
            })
            .collect();
        // A linker that keeps an overridden weak body beside the winner
        // (Wild) gives both the name: the winner keeps it, the other is
        // named after its file. A lone function keeps the name whichever
        // body it has, so a wrong choice shows as a body difference.
        for (f, file) in overridden {
            if ids.iter().filter(|id| **id == ids[f]).count() > 1 {
                ids[f] = format!("{}<{file}>", ids[f]);
            }
        }
        // An import and a defined function of one name (a local definition
        // beside an undefined reference another linker drops): the defined
        // function keeps the name, the import is `import:NAME`, so the
        // definition's id does not depend on whether the import is there.
        let imported = (self.out.num_imported_funcs as usize).min(ids.len());
        let defined: std::collections::HashSet<String> = ids[imported..].iter().cloned().collect();
        for id in &mut ids[..imported] {
            if defined.contains(id.as_str()) {
                *id = format!("import:{id}");
            }
        }
        dedup(&mut ids);
        self.funcs = ids;
    }

    /// The name of the first undefined function symbol of a linked input
    /// that declares the import of output function `f` (the same module and
    /// field); `None` when `f` is not imported or no input declares that
    /// import.
    fn imported_symbol(&self, f: u32) -> Option<String> {
        let is_func = |t: &TypeRef| matches!(t, TypeRef::Func(_) | TypeRef::FuncExact(_));
        let imp = self.out.imports.iter().find(|imp| is_func(&imp.ty) && imp.index == f)?;
        self.ins.iter().enumerate().filter(|(o, _)| self.linked[*o]).find_map(|(_, obj)| {
            obj.symbols.iter().find_map(|s| {
                if s.kind != SymKind::Func || s.is_defined() {
                    return None;
                }
                let (module, field, _) = obj.imports.iter().filter(|i| is_func(&i.2)).nth(s.index as usize)?;
                (*module == imp.module && *field == imp.field).then(|| s.name.clone()).flatten()
            })
        })
    }

    /// Whether `name` is a function only weakly referenced and defined by
    /// no input in the link: a linker-made function of that name is its
    /// trapping stub, which wasm-ld names `undefined_weak:NAME` and Wild
    /// plain `NAME` (the name section is debug info; the stub is the same).
    fn is_undefined_weak(&self, name: &str) -> bool {
        let defined = self
            .defs
            .get(&(SymKind::Func, name.to_string()))
            // A local definition of the name elsewhere does not satisfy the
            // weak reference (SYM-7).
            .is_some_and(|defs| {
                defs.iter().any(|&(o, s)| self.linked[o] && self.ins[o].symbols.get(s as usize).is_some_and(|sym| !sym.is_local()))
            });
        let weakly_referenced = self.ins.iter().enumerate().any(|(o, obj)| {
            self.linked[o]
                && obj.symbols.iter().any(|s| {
                    s.kind == SymKind::Func && !s.is_defined() && s.is_weak() && s.name.as_deref() == Some(name)
                })
        });
        weakly_referenced && !defined
    }

    /// Names globals, tables and tags: the name section, else an export's
    /// name, else the import's `module.field`, else `KIND#INDEX` (for
    /// table 0 `__indirect_function_table`, the convention).
    pub fn name_others(&mut self) {
        let exported = |kind: ExternalKind| -> BTreeMap<u32, String> {
            let mut m = BTreeMap::new();
            for (name, k, i) in &self.out.exports {
                if *k == kind {
                    m.entry(*i).or_insert_with(|| name.clone());
                }
            }
            m
        };
        let name = |count: usize,
                    names: &BTreeMap<u32, String>,
                    kind: ExternalKind,
                    want: fn(&TypeRef) -> bool,
                    prefix: &str|
         -> Vec<String> {
            let exports = exported(kind);
            let mut ids: Vec<String> = (0..count as u32)
                .map(|i| {
                    names
                        .get(&i)
                        .or(exports.get(&i))
                        .cloned()
                        .or_else(|| self.import_of(i, want))
                        .unwrap_or_else(|| {
                            if prefix == "table" && i == 0 {
                                "__indirect_function_table".into()
                            } else {
                                format!("{prefix}#{i}")
                            }
                        })
                })
                .collect();
            dedup(&mut ids);
            ids
        };
        let globals =
            name(self.out.globals.len(), &self.out.names.globals, ExternalKind::Global, |t| matches!(t, TypeRef::Global(_)), "global");
        let tables =
            name(self.out.tables.len(), &self.out.names.tables, ExternalKind::Table, |t| matches!(t, TypeRef::Table(_)), "table");
        let tags = name(self.out.tags.len(), &self.out.names.tags, ExternalKind::Tag, |t| matches!(t, TypeRef::Tag(_)), "tag");
        (self.globals, self.tables, self.tags) = (globals, tables, tags);
    }

    /// `module.field` of the import that is index `i` of its space.
    fn import_of(&self, i: u32, want: fn(&TypeRef) -> bool) -> Option<String> {
        let imp = self.out.imports.iter().find(|imp| want(&imp.ty) && imp.index == i)?;
        Some(format!("{}.{}", imp.module, imp.field))
    }

    /// The id of output function `f` (`func#F` when out of range).
    pub fn func(&self, f: u32) -> String {
        self.funcs.get(f as usize).cloned().unwrap_or_else(|| format!("func#{f}"))
    }
    pub fn global(&self, g: u32) -> String {
        self.globals.get(g as usize).cloned().unwrap_or_else(|| format!("global#{g}"))
    }
    pub fn table(&self, t: u32) -> String {
        self.tables.get(t as usize).cloned().unwrap_or_else(|| format!("table#{t}"))
    }
    pub fn tag(&self, t: u32) -> String {
        self.tags.get(t as usize).cloned().unwrap_or_else(|| format!("tag#{t}"))
    }

    /// The signature of type index `t` of the output, as text.
    pub fn sig(&self, t: u32) -> String {
        match self.out.func_type(t) {
            Some(f) => crate::describe::render_func(f),
            None => format!("type#{t}"),
        }
    }
}

/// The name an id was made from: without `<file>` and `#k`.
pub(crate) fn base_name(id: &str) -> &str {
    let id = id.split_once('<').map_or(id, |(b, _)| b);
    match id.rsplit_once('#') {
        Some((b, k)) if !b.is_empty() && k.chars().all(|c| c.is_ascii_digit()) => b,
        _ => id,
    }
}

/// Appends `#2`, `#3`, ... to the second and later copies of an id.
fn dedup(ids: &mut [String]) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for id in ids.iter_mut() {
        let n = seen.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            *id = format!("{id}#{n}");
        }
    }
}
