//! Generated object sets for property tests (issue 5).
//!
//! [`ObjectSet`] implements [`arbitrary::Arbitrary`] and lowers to encoded
//! objects (some of them members of one archive `lib.a`, placed after the
//! plain objects) plus a command line ([`ObjectSet::lower`]). The generator is
//! biased towards collisions: every function is named from a pool of four
//! names (`f0`..`f3`), every data symbol from two (`d0`, `d1`), so the same
//! name meets itself across files with another binding (strong, weak, local,
//! hidden), kind (a data symbol named like a function), signature, import
//! module or import name; weak definitions come before and after strong
//! ones; definitions may live only in archive members, with constructors.
//!
//! Programs are observable and bounded: every function has type
//! `(i32) -> i32` (or, as a deliberate signature clash, `(i32, i32) -> i32`)
//! and returns its argument plus a constant plus the values of its uses:
//! direct calls, indirect calls through a relocated table slot
//! (`TABLE_INDEX_SLEB` + `call_indirect`) and loads at relocated addresses
//! (`MEMORY_ADDR_SLEB`). A body of name `fi` uses only `fj` with `j < i`, so
//! there is no recursion whichever definition wins.
//!
//! [`ObjectSet::resolve`] is a small model of symbol resolution and GC
//! (SYM, ARC, GC, UND rules of reference/SPEC.md) for properties that compute
//! expectations from the model rather than from a linker.

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::{Arbitrary, Unstructured};

use crate::objgen::{self, flags, Body, FuncSig, ObjectModel, ValTypeModel};

/// Function names of the pool.
pub const FUNC_NAMES: usize = 4;
/// Data names of the pool.
pub const DATA_NAMES: usize = 2;
const MAX_FILES: usize = 5;
const MAX_ITEMS: usize = 4;
const MAX_USES: usize = 4;

/// The binding of a definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Binding {
    /// Global, default visibility.
    Strong,
    /// `BINDING_WEAK`.
    Weak,
    /// `BINDING_LOCAL`.
    Local,
    /// Global with `VISIBILITY_HIDDEN`.
    Hidden,
}

impl Binding {
    fn flags(self) -> u32 {
        match self {
            Binding::Strong => 0,
            Binding::Weak => flags::BINDING_WEAK,
            Binding::Local => flags::BINDING_LOCAL,
            Binding::Hidden => flags::VISIBILITY_HIDDEN,
        }
    }
    /// Weak binding.
    pub fn is_weak(self) -> bool {
        self == Binding::Weak
    }
}

/// How a body refers to a name it does not define itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub struct RefAttrs {
    /// A weak reference.
    pub weak: bool,
    /// Import module `other` instead of `env`.
    pub other_module: bool,
    /// Import field `shared` (EXPLICIT_NAME) instead of the symbol name.
    pub shared_field: bool,
    /// Signature `(i32, i32) -> i32`.
    pub sig2: bool,
}

/// One use inside a body; the name index is reduced below the body's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Use {
    /// `call fj`.
    Call(u8),
    /// `i32.const <table slot of fj>; call_indirect`.
    CallIndirect(u8),
    /// `i32.const <address of dk>; i32.load`.
    Load(u8),
    /// `i32.const c`.
    Const(i8),
}

/// A definition in one file.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub enum Item {
    /// A function `f<name % 4>`.
    Func {
        /// Name index.
        name: u8,
        /// Binding.
        binding: Binding,
        /// Signature `(i32, i32) -> i32`.
        sig2: bool,
        /// Added to the argument.
        constant: i8,
        /// Uses, in order.
        uses: Vec<Use>,
    },
    /// A data symbol `d<name % 2>` (or, with `clash`, `f<name % 4>`) of 4 bytes.
    Data {
        /// Name index.
        name: u8,
        /// Binding.
        binding: Binding,
        /// The i32 value stored.
        value: i16,
        /// Named like a function (a kind clash).
        clash: bool,
    },
    /// A local constructor (INIT_FUNCS) `() -> ()` calling `fj` and dropping the result.
    Ctor {
        /// Name index of the callee.
        callee: u8,
        /// Priority.
        priority: u8,
    },
}

/// One input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileModel {
    /// A member of `lib.a` rather than a plain object.
    pub member: bool,
    /// Definitions.
    pub items: Vec<Item>,
    /// Attributes of references to names this file does not define, by name
    /// index (functions 0..4, data 4..6); missing ones are plain strong.
    pub refs: Vec<RefAttrs>,
}

/// The unresolved-symbols policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Policy {
    /// Default: undefined symbols are errors.
    Error,
    /// `--allow-undefined`.
    AllowUndefined,
    /// `--warn-unresolved-symbols`.
    Warn,
}

/// A generated object set and its link options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSet {
    /// Files (at most 5 are used).
    pub files: Vec<FileModel>,
    /// Names exported with `--export=` (function name indices).
    pub exports: Vec<u8>,
    /// The unresolved-symbols policy.
    pub policy: Policy,
    /// `--no-gc-sections`.
    pub no_gc: bool,
    /// `--gc-sections` written explicitly (the default).
    pub explicit_gc: bool,
    /// `--export-all`.
    pub export_all: bool,
}

/// A lowered set: input files in command-line order and the arguments.
#[derive(Clone, Debug)]
pub struct Lowered {
    /// (file name, bytes); plain objects in order, then `lib.a` if any.
    pub inputs: Vec<(String, Vec<u8>)>,
    /// The command line without the inputs.
    pub args: Vec<String>,
    /// Exported function names, as requested.
    pub exports: Vec<String>,
}

fn vec_of<'a, T: Arbitrary<'a>>(u: &mut Unstructured<'a>, min: usize, max: usize) -> arbitrary::Result<Vec<T>> {
    let n = u.int_in_range(min..=max)?;
    (0..n).map(|_| T::arbitrary(u)).collect()
}

// Lengths are drawn from a range (not the derive's one-bit continuation
// flags) so most sets have several files with several definitions.
impl<'a> Arbitrary<'a> for FileModel {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let member = u.ratio(1, 3)?;
        let n = u.int_in_range(1..=MAX_ITEMS)?;
        let mut items = Vec::new();
        for _ in 0..n {
            items.push(match u.int_in_range(0..=9)? {
                0..=5 => Item::Func {
                    name: u.arbitrary()?,
                    binding: u.arbitrary()?,
                    sig2: u.ratio(1, 8)?,
                    constant: u.arbitrary()?,
                    uses: vec_of(u, 0, MAX_USES)?,
                },
                6..=8 => Item::Data { name: u.arbitrary()?, binding: u.arbitrary()?, value: u.arbitrary()?, clash: u.ratio(1, 10)? },
                _ => Item::Ctor { callee: u.arbitrary()?, priority: u.arbitrary()? },
            });
        }
        let mut refs = Vec::new();
        for _ in 0..FUNC_NAMES + DATA_NAMES {
            refs.push(RefAttrs {
                weak: u.ratio(1, 4)?,
                other_module: u.ratio(1, 6)?,
                shared_field: u.ratio(1, 6)?,
                sig2: u.ratio(1, 10)?,
            });
        }
        Ok(FileModel { member, items, refs })
    }
}

impl<'a> Arbitrary<'a> for ObjectSet {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ObjectSet {
            files: vec_of(u, 1, MAX_FILES)?,
            exports: vec_of(u, 0, 3)?,
            policy: u.arbitrary()?,
            no_gc: u.ratio(1, 4)?,
            explicit_gc: u.arbitrary()?,
            export_all: u.ratio(1, 6)?,
        })
    }
}

/// Function name `i`.
pub fn func_name(i: usize) -> String {
    format!("f{i}")
}

/// Data name `i`.
pub fn data_name(i: usize) -> String {
    format!("d{i}")
}

fn sig(sig2: bool) -> FuncSig {
    if sig2 {
        FuncSig::new(&[ValTypeModel::I32, ValTypeModel::I32], &[ValTypeModel::I32])
    } else {
        FuncSig::new(&[ValTypeModel::I32], &[ValTypeModel::I32])
    }
}

/// A normalized use (indices in range).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NUse {
    /// Direct call of function name j.
    Call(usize),
    /// Indirect call of function name j.
    CallIndirect(usize),
    /// Load of data name k.
    Load(usize),
    /// A constant.
    Const(i32),
}

/// A normalized definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NItem {
    /// Function name index, binding, sig2, constant, uses.
    Func { name: usize, binding: Binding, sig2: bool, constant: i32, uses: Vec<NUse> },
    /// Data: symbol name, binding, value.
    Data { name: String, binding: Binding, value: i32 },
    /// Constructor calling function name `callee`.
    Ctor { callee: usize, priority: u32 },
}

/// A normalized file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NFile {
    /// File name (`aN.o`, `mN.o` for members).
    pub name: String,
    /// Member of `lib.a`.
    pub member: bool,
    /// Definitions.
    pub items: Vec<NItem>,
    /// Reference attributes by name index (functions then data).
    pub refs: Vec<RefAttrs>,
}

const PLAIN: RefAttrs = RefAttrs { weak: false, other_module: false, shared_field: false, sig2: false };

impl NFile {
    /// Reference attributes for function name `j` (data name `k` is `FUNC_NAMES + k`).
    pub fn attrs(&self, j: usize) -> RefAttrs {
        self.refs.get(j).copied().unwrap_or(PLAIN)
    }
    /// Whether the file defines function name `j` (any binding) as a function.
    pub fn defines_func(&self, j: usize) -> bool {
        self.items.iter().any(|i| matches!(i, NItem::Func { name, .. } if *name == j))
    }
    /// Names this file uses without defining them as a function (first use order).
    pub fn used_funcs(&self) -> Vec<usize> {
        let mut v = Vec::new();
        for it in &self.items {
            let uses: Vec<usize> = match it {
                NItem::Func { uses, .. } => uses
                    .iter()
                    .filter_map(|u| match u {
                        NUse::Call(j) | NUse::CallIndirect(j) => Some(*j),
                        _ => None,
                    })
                    .collect(),
                NItem::Ctor { callee, .. } => vec![*callee],
                NItem::Data { .. } => vec![],
            };
            for j in uses {
                if !v.contains(&j) {
                    v.push(j);
                }
            }
        }
        v
    }
    fn used_data(&self) -> Vec<usize> {
        let mut v = Vec::new();
        for it in &self.items {
            if let NItem::Func { uses, .. } = it {
                for u in uses {
                    if let NUse::Load(k) = u {
                        if !v.contains(k) {
                            v.push(*k);
                        }
                    }
                }
            }
        }
        v
    }
    fn defines_data(&self, k: usize) -> bool {
        self.items.iter().any(|i| matches!(i, NItem::Data { name, .. } if *name == data_name(k)))
    }
}

impl ObjectSet {
    /// Draws a set from raw bytes (never fails: missing bytes read as zeros).
    pub fn from_bytes(bytes: &[u8]) -> ObjectSet {
        let mut u = Unstructured::new(bytes);
        ObjectSet::arbitrary(&mut u).unwrap_or(ObjectSet {
            files: Vec::new(),
            exports: Vec::new(),
            policy: Policy::Error,
            no_gc: false,
            explicit_gc: false,
            export_all: false,
        })
    }

    /// The files, bounded and with indices reduced into range; a function
    /// of name `fi` uses only names `fj`, `j < i` (ctors use any name).
    pub fn files(&self) -> Vec<NFile> {
        let mut out = Vec::new();
        let (mut objs, mut mems) = (0, 0);
        for f in self.files.iter().take(MAX_FILES) {
            let name = if f.member {
                mems += 1;
                format!("m{mems}.o")
            } else {
                objs += 1;
                format!("a{objs}.o")
            };
            let mut items = Vec::new();
            let mut defined: BTreeSet<String> = BTreeSet::new();
            for it in f.items.iter().take(MAX_ITEMS) {
                // One definition per name and file.
                let dname = match it {
                    Item::Func { name, .. } => Some(func_name(*name as usize % FUNC_NAMES)),
                    Item::Data { name, clash: true, .. } => Some(func_name(*name as usize % FUNC_NAMES)),
                    Item::Data { name, .. } => Some(data_name(*name as usize % DATA_NAMES)),
                    Item::Ctor { .. } => None,
                };
                if let Some(d) = dname {
                    if !defined.insert(d) {
                        continue;
                    }
                }
                items.push(match it {
                    Item::Func { name, binding, sig2, constant, uses } => {
                        let n = *name as usize % FUNC_NAMES;
                        let mut nu = Vec::new();
                        for u in uses.iter().take(MAX_USES) {
                            nu.push(match *u {
                                Use::Call(j) if n > 0 => NUse::Call(j as usize % n),
                                Use::CallIndirect(j) if n > 0 => NUse::CallIndirect(j as usize % n),
                                Use::Load(k) => NUse::Load(k as usize % DATA_NAMES),
                                Use::Const(c) => NUse::Const(c as i32),
                                Use::Call(j) | Use::CallIndirect(j) => NUse::Const(j as i32),
                            });
                        }
                        NItem::Func { name: n, binding: *binding, sig2: *sig2, constant: *constant as i32, uses: nu }
                    }
                    Item::Data { name, binding, value, clash } => NItem::Data {
                        name: if *clash { func_name(*name as usize % FUNC_NAMES) } else { data_name(*name as usize % DATA_NAMES) },
                        binding: *binding,
                        value: *value as i32,
                    },
                    Item::Ctor { callee, priority } => {
                        NItem::Ctor { callee: *callee as usize % FUNC_NAMES, priority: *priority as u32 % 3 + 100 }
                    }
                });
            }
            out.push(NFile { name, member: f.member, items, refs: f.refs.iter().take(FUNC_NAMES + DATA_NAMES).copied().collect() });
        }
        out
    }

    /// Exported names, deduplicated, in order.
    pub fn export_names(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for e in self.exports.iter().take(3) {
            let n = func_name(*e as usize % FUNC_NAMES);
            if !v.contains(&n) {
                v.push(n);
            }
        }
        v
    }

    /// The command line without inputs.
    pub fn args(&self) -> Vec<String> {
        let mut a = vec!["--no-entry".to_string()];
        for e in self.export_names() {
            a.push(format!("--export={e}"));
        }
        match self.policy {
            Policy::Error => {}
            Policy::AllowUndefined => a.push("--allow-undefined".into()),
            Policy::Warn => a.push("--warn-unresolved-symbols".into()),
        }
        if self.no_gc {
            a.push("--no-gc-sections".into());
        } else if self.explicit_gc {
            a.push("--gc-sections".into());
        }
        if self.export_all {
            a.push("--export-all".into());
        }
        a
    }

    /// Encodes the files: plain objects in order, then `lib.a` with the members.
    pub fn lower(&self) -> Lowered {
        self.lower_files(&self.files())
    }

    /// Like [`ObjectSet::lower`] for given (e.g. permuted) normalized files.
    pub fn lower_files(&self, files: &[NFile]) -> Lowered {
        let mut inputs = Vec::new();
        let mut members = Vec::new();
        for f in files {
            let bytes = objgen::encode(&lower_file(f));
            if f.member {
                members.push((f.name.clone(), bytes));
            } else {
                inputs.push((f.name.clone(), bytes));
            }
        }
        if !members.is_empty() {
            let m: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            inputs.push(("lib.a".to_string(), objgen::archive(&m)));
        }
        Lowered { inputs, args: self.args(), exports: self.export_names() }
    }
}

/// Lowers one file to an object model.
pub fn lower_file(f: &NFile) -> ObjectModel {
    let mut m = ObjectModel::new();
    m.import_memory();
    // Symbols of names this file defines as functions are created first
    // (with placeholder bodies) so bodies can refer to them in any order.
    let mut func_sym: BTreeMap<usize, u32> = BTreeMap::new();
    let mut func_pos: Vec<(usize, u32)> = Vec::new(); // (item index, defined function position)
    for (ii, it) in f.items.iter().enumerate() {
        if let NItem::Func { name, binding, sig2, .. } = it {
            let s = m.define_func(&func_name(*name), sig(*sig2), Body::new(), binding.flags());
            func_sym.entry(*name).or_insert(s);
            func_pos.push((ii, m.functions.len() as u32 - 1));
        }
    }
    let mut data_sym: BTreeMap<String, u32> = BTreeMap::new();
    for it in &f.items {
        if let NItem::Data { name, binding, value, .. } = it {
            let seg = format!(".data.{name}");
            let s = m.define_data(name, &seg, &value.to_le_bytes(), binding.flags());
            data_sym.entry(name.clone()).or_insert(s);
        }
    }
    // Undefined references (imports, added after the definitions).
    let mut undefined_funcs: Vec<usize> = Vec::new();
    for j in f.used_funcs() {
        if !func_sym.contains_key(&j) {
            undefined_funcs.push(j);
        }
    }
    for j in undefined_funcs {
        let a = f.attrs(j);
        let module = if a.other_module { "other" } else { "env" };
        let name = func_name(j);
        let field = if a.shared_field { "shared".to_string() } else { name.clone() };
        // (objgen's add_import moves the defined functions' symbols up.)
        let s = m.undefined_func(&name, module, &field, sig(a.sig2), if a.weak { flags::BINDING_WEAK } else { 0 });
        func_sym.insert(j, s);
    }
    for k in f.used_data() {
        if let std::collections::btree_map::Entry::Vacant(e) = data_sym.entry(data_name(k)) {
            let a = f.attrs(FUNC_NAMES + k);
            e.insert(m.undefined_data(&data_name(k), if a.weak { flags::BINDING_WEAK } else { 0 }));
        }
    }
    let table = if f.items.iter().any(|i| matches!(i, NItem::Func { uses, .. } if uses.iter().any(|u| matches!(u, NUse::CallIndirect(_))))) {
        Some(m.import_table())
    } else {
        None
    };
    let sig_of = |m: &ObjectModel, j: usize, f: &NFile| -> bool {
        // The signature a use of name j has in this file: the local
        // definition's, else the reference attributes'.
        let _ = m;
        for it in &f.items {
            if let NItem::Func { name, sig2, .. } = it {
                if *name == j {
                    return *sig2;
                }
            }
        }
        f.attrs(j).sig2
    };
    // Bodies.
    for (ii, pos) in func_pos {
        let NItem::Func { constant, uses, .. } = &f.items[ii] else { unreachable!() };
        let mut b = Body::new();
        b.local_get(0).i32_const(*constant).i32_add();
        for u in uses {
            match *u {
                NUse::Call(j) => {
                    b.local_get(0);
                    if sig_of(&m, j, f) {
                        b.local_get(0);
                    }
                    b.call(func_sym[&j]);
                }
                NUse::CallIndirect(j) => {
                    let s2 = sig_of(&m, j, f);
                    b.local_get(0);
                    if s2 {
                        b.local_get(0);
                    }
                    b.i32_const_table(func_sym[&j]);
                    let t = m.add_type(sig(s2));
                    b.call_indirect(t, table);
                }
                NUse::Load(k) => {
                    b.i32_const_addr(data_sym[&data_name(k)], 0);
                    b.i32_load(0);
                }
                NUse::Const(c) => {
                    b.i32_const(c);
                }
            }
            b.i32_add();
        }
        m.functions[pos as usize].body = b;
    }
    // Constructors: local `() -> ()` functions.
    let mut ctor_n = 0;
    for it in &f.items {
        if let NItem::Ctor { callee, priority } = it {
            let mut b = Body::new();
            b.i32_const(0);
            if sig_of(&m, *callee, f) {
                b.i32_const(0);
            }
            b.call(func_sym[callee]).drop();
            ctor_n += 1;
            let s = m.define_func(&format!("ctor{ctor_n}"), FuncSig::new(&[], &[]), b, flags::BINDING_LOCAL);
            m.add_init_func(*priority, s);
        }
    }
    m
}

/// What the resolution model predicts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    /// Loaded files (objects and pulled members), by name.
    pub loaded: BTreeSet<String>,
    /// Live function definitions: (file name, function name) (locals included).
    pub live_funcs: BTreeSet<(String, String)>,
    /// Live undefined function names whose references are not all weak.
    pub live_strong_undefined: BTreeSet<usize>,
    /// Whether two strong definitions of a name meet.
    pub duplicate: bool,
}

#[derive(Clone, Debug)]
enum St {
    Undef { weak: bool },
    Lazy { member: usize, weak: bool },
    Def { file: usize, weak: bool },
}

impl ObjectSet {
    /// Models resolution (SYM-1..4, SYM-6, archive pulls) and GC (GC-1..4) of
    /// the functions; names with a kind clash are not modelled (check
    /// [`ObjectSet::has_kind_clash`] first).
    pub fn resolve(&self) -> Resolution {
        let files = self.files();
        let mut syms: BTreeMap<String, St> = BTreeMap::new();
        let mut loaded = vec![false; files.len()];
        let mut dup = false;
        // Global symbols of a file: (name, defined, weak) in symbol order.
        fn globals(f: &NFile) -> Vec<(String, bool, bool)> {
            let mut v = Vec::new();
            for it in &f.items {
                match it {
                    NItem::Func { name, binding, .. } if *binding != Binding::Local => {
                        v.push((func_name(*name), true, binding.is_weak()))
                    }
                    NItem::Data { name, binding, .. } if *binding != Binding::Local => {
                        v.push((name.clone(), true, binding.is_weak()))
                    }
                    _ => {}
                }
            }
            for j in f.used_funcs() {
                if !f.items.iter().any(|i| matches!(i, NItem::Func { name, .. } if *name == j)) {
                    v.push((func_name(j), false, f.attrs(j).weak));
                }
            }
            for k in f.used_data() {
                if !f.defines_data(k) {
                    v.push((data_name(k), false, f.attrs(FUNC_NAMES + k).weak));
                }
            }
            v
        }
        fn load(
            i: usize,
            files: &[NFile],
            syms: &mut BTreeMap<String, St>,
            loaded: &mut Vec<bool>,
            dup: &mut bool,
        ) {
            if loaded[i] {
                return;
            }
            loaded[i] = true;
            for (name, defined, weak) in globals(&files[i]) {
                let cur = syms.get(&name).cloned();
                if defined {
                    match cur {
                        None | Some(St::Undef { .. }) | Some(St::Lazy { .. }) => {
                            syms.insert(name, St::Def { file: i, weak });
                        }
                        Some(St::Def { weak: true, .. }) if !weak => {
                            syms.insert(name, St::Def { file: i, weak });
                        }
                        Some(St::Def { weak: false, .. }) if !weak => *dup = true,
                        Some(St::Def { .. }) => {}
                    }
                } else {
                    match cur {
                        None => {
                            syms.insert(name, St::Undef { weak });
                        }
                        Some(St::Undef { weak: w }) => {
                            syms.insert(name, St::Undef { weak: w && weak });
                        }
                        Some(St::Lazy { member, .. }) => {
                            if weak {
                                // A weak reference does not extract; the
                                // symbol ends undefined weak.
                                syms.insert(name, St::Lazy { member, weak: true });
                            } else {
                                load(member, files, syms, loaded, dup);
                            }
                        }
                        Some(St::Def { .. }) => {}
                    }
                }
            }
        }
        for i in 0..files.len() {
            if !files[i].member {
                load(i, &files, &mut syms, &mut loaded, &mut dup);
            }
        }
        // The archive's symbol index: members in order, definitions in order.
        for i in 0..files.len() {
            if !files[i].member {
                continue;
            }
            for (name, defined, _) in globals(&files[i]) {
                if !defined {
                    continue;
                }
                match syms.get(&name).cloned() {
                    None => {
                        syms.insert(name, St::Lazy { member: i, weak: false });
                    }
                    Some(St::Undef { weak: true }) => {
                        syms.insert(name, St::Lazy { member: i, weak: true });
                    }
                    Some(St::Undef { weak: false }) => load(i, &files, &mut syms, &mut loaded, &mut dup),
                    _ => {}
                }
            }
        }
        // `--export` names are strong references made after the inputs: they
        // extract the archive member that defines them.
        for e in self.export_names() {
            if let Some(St::Lazy { member, .. }) = syms.get(&e).cloned() {
                load(member, &files, &mut syms, &mut loaded, &mut dup);
            }
        }
        // Liveness.
        let mut r = Resolution { duplicate: dup, ..Default::default() };
        for (i, f) in files.iter().enumerate() {
            if loaded[i] {
                r.loaded.insert(f.name.clone());
            }
        }
        // Which definition a use of function name j in file i reaches:
        // Some((file, name)) or None (undefined / lazy).
        let target = |i: usize, j: usize| -> Option<usize> {
            let local = files[i].items.iter().find_map(|it| match it {
                NItem::Func { name, binding, .. } if *name == j => Some(*binding),
                _ => None,
            });
            match local {
                // The first definition of the name in the file is the symbol
                // the file's bodies use; a local one stays in the file.
                Some(Binding::Local) => Some(i),
                _ => match syms.get(&func_name(j)) {
                    Some(St::Def { file, .. }) => Some(*file),
                    _ => None,
                },
            }
        };
        let mut live_files: BTreeSet<usize> = BTreeSet::new();
        let mut work: Vec<(usize, usize)> = Vec::new(); // (file, function name) definitions
        let mut live_defs: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut live_undef: BTreeSet<usize> = BTreeSet::new();
        let mut ctor_files: BTreeSet<usize> = BTreeSet::new();
        let mut live_data_files: BTreeSet<usize> = BTreeSet::new();
        let mut ctors_done: BTreeSet<usize> = BTreeSet::new();
        if self.no_gc {
            for (i, f) in files.iter().enumerate() {
                if loaded[i] {
                    for it in &f.items {
                        if let NItem::Func { name, .. } = it {
                            work.push((i, *name));
                        }
                    }
                    ctor_files.insert(i);
                }
            }
        } else {
            for (i, f) in files.iter().enumerate() {
                if loaded[i] && !f.member {
                    live_files.insert(i);
                }
            }
            for e in self.export_names() {
                if let Some(St::Def { file, .. }) = syms.get(&e) {
                    if files[*file].defines_func(e[1..].parse().unwrap()) {
                        work.push((*file, e[1..].parse().unwrap()));
                    }
                }
            }
            if self.export_all {
                for (name, st) in &syms {
                    if let (Some(St::Def { file, .. }), Some(j)) = (Some(st), name.strip_prefix('f')) {
                        let j: usize = j.parse().unwrap();
                        if files[*file].defines_func(j) {
                            work.push((*file, j));
                        } else {
                            live_data_files.insert(*file);
                        }
                    } else if let St::Def { file, .. } = st {
                        live_data_files.insert(*file);
                    }
                }
            }
        }
        loop {
            while let Some((i, j)) = work.pop() {
                if !live_defs.insert((i, j)) {
                    continue;
                }
                live_files.insert(i);
                // Every definition of name j in file i is one symbol per item;
                // the bodies of all same-named functions of the file are kept
                // only through their own symbols, so mark each.
                for it in &files[i].items {
                    if let NItem::Func { name, uses, .. } = it {
                        if *name != j {
                            continue;
                        }
                        for u in uses {
                            match *u {
                                NUse::Call(k) | NUse::CallIndirect(k) => match target(i, k) {
                                    Some(t) => work.push((t, k)),
                                    None => {
                                        live_undef.insert(k);
                                    }
                                },
                                NUse::Load(k) => {
                                    if let Some(St::Def { file, .. }) = syms.get(&data_name(k)) {
                                        live_data_files.insert(*file);
                                    }
                                    if files[i].defines_data(k) {
                                        live_data_files.insert(i);
                                    }
                                }
                                NUse::Const(_) => {}
                            }
                        }
                    }
                }
            }
            // Files made live by data, and ctors of live files.
            for &d in &live_data_files {
                live_files.insert(d);
            }
            let mut changed = false;
            let candidates: Vec<usize> = live_files.iter().chain(ctor_files.iter()).copied().collect();
            for i in candidates {
                if !ctors_done.insert(i) {
                    continue;
                }
                changed = true;
                for it in &files[i].items {
                    if let NItem::Ctor { callee, .. } = it {
                        let k = *callee;
                        match target(i, k) {
                            Some(t) => work.push((t, k)),
                            None => {
                                live_undef.insert(k);
                            }
                        }
                    }
                }
            }
            if !changed && work.is_empty() {
                break;
            }
        }
        for (i, j) in &live_defs {
            r.live_funcs.insert((files[*i].name.clone(), func_name(*j)));
        }
        for k in live_undef {
            if let Some(St::Undef { weak: false }) | Some(St::Lazy { weak: false, .. }) = syms.get(&func_name(k)) {
                r.live_strong_undefined.insert(k);
            }
        }
        r
    }

    /// Whether a data symbol is named like a function anywhere.
    pub fn has_kind_clash(&self) -> bool {
        self.files().iter().any(|f| f.items.iter().any(|i| matches!(i, NItem::Data { name, .. } if name.starts_with('f'))))
    }

    /// Whether all references and definitions of every function name agree
    /// on the signature, and all references on import module and field.
    pub fn references_agree(&self) -> bool {
        let files = self.files();
        for j in 0..FUNC_NAMES {
            let mut seen: Option<(bool, bool, bool)> = None;
            let mut sigs = BTreeSet::new();
            for f in &files {
                for it in &f.items {
                    if let NItem::Func { name, sig2, .. } = it {
                        if *name == j {
                            sigs.insert(*sig2);
                        }
                    }
                }
                if f.used_funcs().contains(&j) && !f.defines_func(j) {
                    let a = f.attrs(j);
                    sigs.insert(a.sig2);
                    let k = (a.other_module, a.shared_field, a.sig2);
                    if seen.is_some_and(|s| s != k) {
                        return false;
                    }
                    seen = Some(k);
                }
            }
            if sigs.len() > 1 {
                return false;
            }
        }
        true
    }

    /// The precondition of the order property: no two non-local definitions
    /// of one name among plain objects, no kind clash, references agree, no
    /// two constructors of plain objects with one priority.
    pub fn order_independent(&self) -> bool {
        if self.has_kind_clash() || !self.references_agree() {
            return false;
        }
        // Constructors of equal priority run in input order (INIT-1).
        let mut priorities = BTreeSet::new();
        for f in self.files().iter().filter(|f| !f.member) {
            for it in &f.items {
                if let NItem::Ctor { priority, .. } = it {
                    if !priorities.insert(*priority) {
                        return false;
                    }
                }
            }
        }
        let mut defs: BTreeMap<String, usize> = BTreeMap::new();
        for f in self.files().iter().filter(|f| !f.member) {
            for it in &f.items {
                let n = match it {
                    NItem::Func { name, binding, .. } if *binding != Binding::Local => func_name(*name),
                    NItem::Data { name, binding, .. } if *binding != Binding::Local => name.clone(),
                    _ => continue,
                };
                *defs.entry(n).or_default() += 1;
            }
        }
        defs.values().all(|&n| n <= 1)
    }

    /// The function imports the model predicts: (module, field, sig2) of
    /// live, strong-undefined function names when the policy imports them
    /// (`--allow-undefined`).
    pub fn expected_imports(&self) -> BTreeSet<(String, String, bool)> {
        let mut out = BTreeSet::new();
        if self.policy != Policy::AllowUndefined {
            return out;
        }
        let files = self.files();
        let r = self.resolve();
        for j in r.live_strong_undefined {
            // The first loaded reference gives module and field.
            for f in files.iter().filter(|f| r.loaded.contains(&f.name)) {
                if f.used_funcs().contains(&j) && !f.defines_func(j) {
                    let a = f.attrs(j);
                    let field = if a.shared_field { "shared".to_string() } else { func_name(j) };
                    out.insert((if a.other_module { "other" } else { "env" }.to_string(), field, a.sig2));
                    break;
                }
            }
        }
        out
    }
}
