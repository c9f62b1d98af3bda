//! Lowering an [`ObjectSet`] to encoded objects and a command line.

use super::*;

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
    pub(super) fn used_data(&self) -> Vec<usize> {
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
    pub(super) fn defines_data(&self, k: usize) -> bool {
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
            policy: UndefinedFlag::Error,
            no_gc: false,
            explicit_gc: false,
            export_all: false,
            shared_memory: false,
            wasm64: false,
            relocatable_first: 0,
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
                    Definition::Func { name, .. } => Some(func_name(*name as usize % FUNC_NAMES)),
                    Definition::Data { name, clash: true, .. } => Some(func_name(*name as usize % FUNC_NAMES)),
                    Definition::Data { name, .. } => Some(data_name(*name as usize % DATA_NAMES)),
                    Definition::Ctor { .. } => None,
                };
                if let Some(d) = dname {
                    if !defined.insert(d) {
                        continue;
                    }
                }
                items.push(match it {
                    Definition::Func { name, binding, sig2, constant, uses } => {
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
                    Definition::Data { name, binding, value, clash } => NItem::Data {
                        name: if *clash { func_name(*name as usize % FUNC_NAMES) } else { data_name(*name as usize % DATA_NAMES) },
                        binding: *binding,
                        value: *value as i32,
                    },
                    Definition::Ctor { callee, priority } => {
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
            UndefinedFlag::Error => {}
            UndefinedFlag::AllowUndefined => a.push("--allow-undefined".into()),
            UndefinedFlag::Warn => a.push("--warn-unresolved-symbols".into()),
        }
        if self.no_gc {
            a.push("--no-gc-sections".into());
        } else if self.explicit_gc {
            a.push("--gc-sections".into());
        }
        if self.export_all {
            a.push("--export-all".into());
        }
        if self.shared_memory {
            a.push("--shared-memory".into());
            a.push("--max-memory=1048576".into());
        }
        if self.wasm64 {
            a.push("-m".into());
            a.push("wasm64".into());
        }
        a
    }

    /// Encodes the files: plain objects in order, then `lib.a` with the members.
    pub fn lower(&self) -> Lowered {
        self.lower_files(&self.files())
    }

    /// Like [`ObjectSet::lower`] for given (e.g. permuted) normalized files.
    pub fn lower_files(&self, files: &[NFile]) -> Lowered {
        let models = self.lower_models(files);
        let encoded = |list: &[(String, ObjectModel)]| -> Vec<(String, Vec<u8>)> {
            list.iter().map(|(n, m)| (n.clone(), linkcheck_object::encode(m))).collect()
        };
        let mut inputs = encoded(&models.objects);
        let members = encoded(&models.members);
        if !members.is_empty() {
            let m: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            inputs.push((ARCHIVE_NAME.to_string(), linkcheck_object::archive(&m)));
        }
        Lowered { inputs, args: models.args, exports: models.exports }
    }

    /// The object models of `files` before encoding (what
    /// [`ObjectSet::lower_files`] encodes), e.g. to save the set as a corpus
    /// case ([`ObjectSet::to_case`]).
    pub fn lower_models(&self, files: &[NFile]) -> LoweredModels {
        let (mut objects, mut members) = (Vec::new(), Vec::new());
        for f in files {
            let list = if f.member { &mut members } else { &mut objects };
            let mut model = lower_file(f, self.wasm64);
            let features: &[&str] = match (self.shared_memory, self.wasm64) {
                (true, _) => &["atomics", "bulk-memory"],
                (false, true) => &["memory64"],
                (false, false) => &[],
            };
            for name in features {
                model.features.push(linkcheck_object::FeatureModel { prefix: '+', name: name.to_string() });
            }
            list.push((f.name.clone(), model));
        }
        LoweredModels { objects, members, args: self.args(), exports: self.export_names() }
    }

    /// The set as a generated corpus case: its lowered object models
    /// ([`ObjectSet::lower_models`]): plain objects `aN.o` in order, the
    /// members `mN.o` in [`ARCHIVE_NAME`] after them, and the set's flags
    /// before the inputs. The description is `generated object set` and
    /// `expect` is `link`: callers set both (and `divergence`) from what
    /// they observed.
    pub fn to_case(&self) -> GeneratedCase {
        let lowered = self.lower_models(&self.files());
        let mut args = lowered.args;
        let mut side_modules = Vec::new();
        let objects: Vec<String> = lowered.objects.iter().map(|(n, _)| n.clone()).collect();
        let k = (self.relocatable_first as usize).min(objects.len());
        if k > 0 {
            // SIXTYFOUR-MACHINE: the `-r` link needs `-m wasm64` too.
            let machine = if self.wasm64 { vec!["-m".to_string(), "wasm64".to_string()] } else { vec![] };
            let r_args = ["-r".to_string()].into_iter().chain(machine).chain(objects[..k].iter().cloned()).collect();
            side_modules.push(SideModuleSpec { name: RELOCATABLE_PART.into(), args: r_args, preload: false });
            args.push(RELOCATABLE_PART.into());
        }
        args.extend(objects[k..].iter().cloned());
        let mut archives = Vec::new();
        if !lowered.members.is_empty() {
            args.push(ARCHIVE_NAME.to_string());
            archives.push((ARCHIVE_NAME.to_string(), lowered.members));
        }
        GeneratedCase {
            description: "generated object set".into(),
            objects: lowered.objects,
            archives,
            args,
            expect: Expect::Link,
            divergence: None,
            side_modules,
        }
    }
}

/// The `-r` output of a two-step link ([`ObjectSet::relocatable_first`]).
pub const RELOCATABLE_PART: &str = "part.o";

/// The archive the members of a lowered set go into, after the plain objects.
pub const ARCHIVE_NAME: &str = "lib.a";

/// A lowered set before encoding: [`ObjectSet::lower_models`].
#[derive(Clone, Debug)]
pub struct LoweredModels {
    /// Plain objects (`aN.o`), in command-line order.
    pub objects: Vec<(String, ObjectModel)>,
    /// Members of [`ARCHIVE_NAME`] (`mN.o`), in member order; the archive
    /// comes after the plain objects on the command line.
    pub members: Vec<(String, ObjectModel)>,
    /// The command line without the inputs.
    pub args: Vec<String>,
    /// Exported function names, as requested.
    pub exports: Vec<String>,
}

/// Lowers one file to an object model, a wasm64 one when `wasm64`.
pub fn lower_file(f: &NFile, wasm64: bool) -> ObjectModel {
    let mut m = ObjectModel::new();
    if wasm64 {
        m.import_memory64();
    } else {
        m.import_memory();
    }
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
        // (linkcheck-object's add_import moves the defined functions' symbols up.)
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
                    // wasm64: an i64 function pointer into the table64
                    // (clang 19 writes no wrap).
                    if wasm64 {
                        b.i64_const_table(func_sym[&j]);
                    } else {
                        b.i32_const_table(func_sym[&j]);
                    }
                    let t = m.add_type(sig(s2));
                    b.call_indirect(t, table);
                }
                NUse::Load(k) => {
                    if wasm64 {
                        b.i64_const_addr(data_sym[&data_name(k)], 0);
                    } else {
                        b.i32_const_addr(data_sym[&data_name(k)], 0);
                    }
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
