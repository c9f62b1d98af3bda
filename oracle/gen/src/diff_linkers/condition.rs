//! The set shapes a policy `[[precondition]]` can name: generated sets of
//! such a shape are not given to that linker.

use crate::object_set::{func_name, Binding, NItem, ObjectSet};

/// The shapes a policy `[[precondition]]` can name (kebab-case in the
/// file, [`Condition::from_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// A name (function or data) defined weakly in one file and defined
    /// again, with any binding but local, in another (archive members
    /// included, extracted or not).
    WeakDefinitionBesideAnother,
    /// A function name referenced (undefined) in two files with different
    /// import modules or fields.
    ImportsDisagree,
    /// Two function names referenced (undefined), each with the import
    /// field `shared`, one of the references weak
    /// (found/wild_weak_undefined_imported_beside_same_import_name).
    ImportNameShared,
    /// A function name referenced (undefined) or defined as a function in
    /// one file and defined as data in that file or another
    /// (found/wild_undefined_function_meets_data,
    /// found/wild_function_and_data_definitions_of_one_name,
    /// found/wild_duplicate_symbol_name_in_one_object).
    FunctionMeetsData,
    /// A two-step link whose `-r` part (the first plain objects,
    /// [`ObjectSet::relocatable_first`]) holds a function name defined or
    /// referenced with two signatures
    /// (found/wasm_ld_relocatable_signature_stub_reloc_invalid).
    RelocatablePartSignatureVariants,
    /// `--shared-memory` with archive members alone on the command line, so
    /// that possibly no object is loaded and no loaded input uses atomics
    /// and bulk-memory (found/zig_shared_memory_features_unchecked).
    SharedMemoryWithoutObjects,
    /// A name (function or data) defined weakly in one file and defined
    /// again, with any binding but local, in an archive member
    /// (found/zig_member_extracted_for_weak_definition).
    WeakDefinitionBesideMember,
}

impl Condition {
    /// Every shape, with its name in the policy file.
    pub const ALL: [(Condition, &'static str); 7] = [
        (Condition::WeakDefinitionBesideAnother, "weak-definition-beside-another"),
        (Condition::ImportsDisagree, "imports-disagree"),
        (Condition::ImportNameShared, "import-name-shared"),
        (Condition::FunctionMeetsData, "function-meets-data"),
        (Condition::RelocatablePartSignatureVariants, "relocatable-part-signature-variants"),
        (Condition::SharedMemoryWithoutObjects, "shared-memory-without-objects"),
        (Condition::WeakDefinitionBesideMember, "weak-definition-beside-member"),
    ];

    /// The shape named `name`; an error lists the names there are.
    pub fn from_name(name: &str) -> Result<Condition, String> {
        Condition::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c).ok_or_else(|| {
            let names: Vec<&str> = Condition::ALL.iter().map(|(_, n)| *n).collect();
            format!("no set shape `{name}` (there are: {})", names.join(", "))
        })
    }

    /// Whether `set` has the shape.
    pub fn holds(self, set: &ObjectSet) -> bool {
        match self {
            Condition::WeakDefinitionBesideAnother | Condition::WeakDefinitionBesideMember => {
                // Per name: (file, whether an archive member, binding).
                let mut defs: std::collections::HashMap<String, Vec<(usize, bool, Binding)>> = Default::default();
                for (i, f) in set.files().iter().enumerate() {
                    for item in &f.items {
                        let (name, binding) = match item {
                            NItem::Func { name, binding, .. } => (func_name(*name), *binding),
                            NItem::Data { name, binding, .. } => (name.clone(), *binding),
                            NItem::Ctor { .. } => continue,
                        };
                        if binding != Binding::Local {
                            defs.entry(name).or_default().push((i, f.member, binding));
                        }
                    }
                }
                let members_only = self == Condition::WeakDefinitionBesideMember;
                defs.values().any(|v| {
                    v.iter().any(|&(i, _, b)| {
                        b == Binding::Weak && v.iter().any(|&(j, other_member, _)| j != i && (!members_only || other_member))
                    })
                })
            }
            Condition::ImportsDisagree => {
                let files = set.files();
                (0..crate::object_set::FUNC_NAMES).any(|j| {
                    let imports: std::collections::BTreeSet<(bool, bool)> = files
                        .iter()
                        .filter(|f| !f.defines_func(j) && f.used_funcs().contains(&j))
                        .map(|f| (f.attrs(j).other_module, f.attrs(j).shared_field))
                        .collect();
                    imports.len() > 1
                })
            }
            Condition::ImportNameShared => {
                let files = set.files();
                // Per name: referenced with the field `shared`, and weakly so.
                let refs: Vec<(bool, bool)> = (0..crate::object_set::FUNC_NAMES)
                    .map(|j| {
                        let shared: Vec<bool> = files
                            .iter()
                            .filter(|f| !f.defines_func(j) && f.used_funcs().contains(&j) && f.attrs(j).shared_field)
                            .map(|f| f.attrs(j).weak)
                            .collect();
                        (!shared.is_empty(), shared.contains(&true))
                    })
                    .collect();
                refs.iter().filter(|(shared, _)| *shared).count() > 1 && refs.iter().any(|(_, weak)| *weak)
            }
            Condition::FunctionMeetsData => {
                let files = set.files();
                let data: std::collections::HashSet<&str> = files
                    .iter()
                    .flat_map(|f| &f.items)
                    .filter_map(|i| match i {
                        NItem::Data { name, .. } => Some(name.as_str()),
                        _ => None,
                    })
                    .collect();
                let as_function = |f: &crate::object_set::NFile, j: usize| f.defines_func(j) || f.used_funcs().contains(&j);
                (0..crate::object_set::FUNC_NAMES).any(|j| {
                    let name = func_name(j);
                    data.contains(name.as_str())
                        && files.iter().any(|f| as_function(f, j))
                })
            }
            Condition::SharedMemoryWithoutObjects => set.shared_memory && set.files().iter().all(|f| f.member),
            Condition::RelocatablePartSignatureVariants => {
                let plain: Vec<_> = set.files().into_iter().filter(|f| !f.member).collect();
                let part = &plain[..(set.relocatable_first as usize).min(plain.len())];
                (0..crate::object_set::FUNC_NAMES).any(|j| {
                    let mut sigs = std::collections::BTreeSet::new();
                    for f in part {
                        for item in &f.items {
                            if let NItem::Func { name, sig2, .. } = item {
                                if *name == j {
                                    sigs.insert(*sig2);
                                }
                            }
                        }
                        if !f.defines_func(j) && f.used_funcs().contains(&j) {
                            sigs.insert(f.attrs(j).sig2);
                        }
                    }
                    sigs.len() > 1
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn weak_definition_beside_another_needs_two_files() {
        use crate::object_set::{Binding, FileModel, Definition, ObjectSet, UndefinedFlag};
        let func = |name, binding| Definition::Func { name, binding, sig2: false, constant: 0, uses: vec![] };
        let file = |items| FileModel { member: false, items, refs: vec![] };
        let set = |files| ObjectSet {
            files,
            exports: vec![],
            policy: UndefinedFlag::Error,
            no_gc: false,
            explicit_gc: false,
            export_all: false,
            shared_memory: false,
            wasm64: false,
            relocatable_first: 0,
        };
        let holds = |s: &ObjectSet| super::Condition::WeakDefinitionBesideAnother.holds(s);
        assert!(holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(1, Binding::Strong)])])));
        assert!(holds(&set(vec![file(vec![func(1, Binding::Hidden)]), file(vec![func(1, Binding::Weak)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(1, Binding::Local)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Strong)]), file(vec![func(1, Binding::Strong)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(2, Binding::Strong)])])));

        // f1 calls the undefined f0 in two files: plainly, then with the
        // import field `shared`.
        use crate::object_set::{RefAttrs, Use};
        let caller = |shared_field| FileModel {
            member: false,
            items: vec![Definition::Func { name: 1, binding: Binding::Local, sig2: false, constant: 0, uses: vec![Use::Call(0)] }],
            refs: vec![RefAttrs { weak: false, other_module: false, shared_field, sig2: false }],
        };
        // f1 calls the undefined f0, or f0 is defined as a function;
        // another file defines data f0.
        let meets = |s: &ObjectSet| super::Condition::FunctionMeetsData.holds(s);
        let data_f0 = || FileModel { member: false, items: vec![Definition::Data { name: 0, binding: Binding::Hidden, value: 1, clash: true }], refs: vec![] };
        assert!(meets(&set(vec![data_f0(), caller(false)])));
        assert!(!meets(&set(vec![data_f0()])));
        let mut both = data_f0();
        both.items.push(Definition::Ctor { callee: 0, priority: 1 });
        assert!(meets(&set(vec![both])), "one file calling f0 and defining data f0");
        assert!(!meets(&set(vec![caller(false)])));
        assert!(meets(&set(vec![file(vec![func(0, Binding::Weak)]), data_f0()])));
        assert!(!meets(&set(vec![file(vec![func(1, Binding::Weak)]), data_f0()])));
        let disagree = |s: &ObjectSet| super::Condition::ImportsDisagree.holds(s);
        assert!(disagree(&set(vec![caller(false), caller(true)])));
        assert!(!disagree(&set(vec![caller(true), caller(true)])));

        // f1 calls f0, f3 calls f2 (a body calls only lower names), each
        // undefined and imported as `shared`; weakly or not.
        let calls = |name, callee: usize, weak| {
            let plain = RefAttrs { weak: false, other_module: false, shared_field: false, sig2: false };
            let mut refs = vec![plain; callee + 1];
            refs[callee] = RefAttrs { weak, other_module: false, shared_field: true, sig2: false };
            FileModel {
                member: false,
                items: vec![Definition::Func { name, binding: Binding::Local, sig2: false, constant: 0, uses: vec![Use::Call(callee as u8)] }],
                refs,
            }
        };
        let shared = |s: &ObjectSet| super::Condition::ImportNameShared.holds(s);
        assert!(shared(&set(vec![calls(1, 0, false), calls(3, 2, true)])));
        assert!(!shared(&set(vec![calls(1, 0, false), calls(3, 2, false)])), "no weak reference");
        assert!(!shared(&set(vec![calls(1, 0, true), calls(2, 0, true)])), "one name");

        // --shared-memory with archive members alone.
        let lone = |s: &ObjectSet| super::Condition::SharedMemoryWithoutObjects.holds(s);
        let member = || FileModel { member: true, items: vec![func(1, Binding::Strong)], refs: vec![] };
        let shared_set = |files| ObjectSet { shared_memory: true, ..set(files) };
        assert!(lone(&shared_set(vec![member(), member()])));
        assert!(!lone(&shared_set(vec![member(), file(vec![func(2, Binding::Strong)])])), "a plain object");
        assert!(!lone(&set(vec![member()])), "no shared memory");

        // A weak definition in a plain object, another in a member.
        let beside = |s: &ObjectSet| super::Condition::WeakDefinitionBesideMember.holds(s);
        let in_member = |b| FileModel { member: true, items: vec![func(1, b)], refs: vec![] };
        assert!(beside(&set(vec![file(vec![func(1, Binding::Weak)]), in_member(Binding::Strong)])));
        assert!(!beside(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(1, Binding::Strong)])])), "two plain objects");
        assert!(!beside(&set(vec![file(vec![func(1, Binding::Strong)]), in_member(Binding::Weak)])), "the other one in a plain object");
        assert!(beside(&set(vec![in_member(Binding::Weak), in_member(Binding::Strong)])), "two members");
        assert!(!beside(&set(vec![file(vec![func(1, Binding::Weak)]), in_member(Binding::Local)])));
    }

    #[test]
    fn relocatable_part_signature_variants() {
        use crate::object_set::*;
        let func = |name: u8, sig2: bool| Definition::Func { name, binding: Binding::Strong, sig2, constant: 0, uses: vec![] };
        let file = |items| FileModel { member: false, items, refs: vec![] };
        let set = |k: u8| ObjectSet {
            files: vec![file(vec![func(1, false)]), file(vec![func(1, true)]), file(vec![func(2, false)])],
            exports: vec![],
            policy: UndefinedFlag::AllowUndefined,
            no_gc: false,
            explicit_gc: false,
            export_all: false,
            shared_memory: false,
            wasm64: false,
            relocatable_first: k,
        };
        let holds = |s: &ObjectSet| super::Condition::RelocatablePartSignatureVariants.holds(s);
        assert!(holds(&set(2)) && holds(&set(4)), "f1 twice in the part");
        assert!(!holds(&set(1)) && !holds(&set(0)), "one signature in the part, or no part");
    }
}
