//! A small model of symbol resolution and GC over an [`ObjectSet`], for
//! properties that compute expectations without a linker.

use super::*;

/// What the resolution model predicts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PredictedResolution {
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
    pub fn resolve(&self) -> PredictedResolution {
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
        let mut r = PredictedResolution { duplicate: dup, ..Default::default() };
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
        if self.policy != UndefinedFlag::AllowUndefined {
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
