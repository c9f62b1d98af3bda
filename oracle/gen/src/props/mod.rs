//! The formal properties of the reference linker over generated object sets
//! ([`crate::object_set::ObjectSet`]), checked in-process: refld links the lowered
//! set in memory, nothing runs outside this process and no output is
//! executed (the behavioural properties, which run outputs and compare with
//! rust-lld, live in tests/tests/properties.rs).
//!
//! Each [`Property`] names the reference/SPEC.md rules it checks. A property
//! whose precondition a set does not meet is [`PropertyVerdict::NotApplicable`].
//! Used by the proptest suite (tests/tests/properties.rs) and by the
//! `reference_properties` fuzz target.

mod output;

pub use output::{facts, validate, OutputFacts};

use std::collections::BTreeSet;

use crate::object_set::{func_name, Binding, NFile, NItem, ObjectSet, UndefinedFlag};
use refld::diag::Severity;
use refld::{LinkError, Linked};

/// What a property made of one set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyVerdict {
    /// The precondition held and so did the property.
    Held,
    /// The set does not meet the property's precondition.
    NotApplicable,
}

/// A property that did not hold: which, its rules, and what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// [`Property::name`].
    pub property: &'static str,
    /// [`Property::rules`].
    pub rules: &'static str,
    /// What differs from the expectation, with the set (its `Debug` form).
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "property {} ({}) failed: {}", self.property, self.rules, self.message)
    }
}

/// One property: a name, the SPEC.md rules it checks, and its check.
pub struct Property {
    /// Stable name (the proptest test of the same name runs it).
    pub name: &'static str,
    /// SPEC.md rule ids, comma separated.
    pub rules: &'static str,
    /// `Err(message)` when the property does not hold.
    pub check: fn(&Ctx) -> Result<PropertyVerdict, String>,
}

/// One set under check, with its link by refld made once and shared by
/// the properties (most of them look at that same link).
pub struct Ctx<'a> {
    /// The set.
    pub set: &'a ObjectSet,
    /// The encoded inputs (plain objects in order, then `lib.a`): flags
    /// change only the command line, so every link of the set reuses them.
    inputs: std::cell::OnceCell<Vec<(String, Vec<u8>)>>,
    base: std::cell::OnceCell<Result<Linked, LinkError>>,
    /// The base output's facts and validation, read once.
    base_facts: std::cell::OnceCell<Result<OutputFacts, String>>,
    base_valid: std::cell::OnceCell<Result<(), String>>,
}

impl<'a> Ctx<'a> {
    /// A context for `set`; nothing is linked yet.
    pub fn new(set: &'a ObjectSet) -> Ctx<'a> {
        Ctx { set, inputs: Default::default(), base: Default::default(), base_facts: Default::default(), base_valid: Default::default() }
    }

    /// The set's encoded inputs, made once.
    pub fn inputs(&self) -> &[(String, Vec<u8>)] {
        self.inputs.get_or_init(|| self.set.lower().inputs)
    }

    /// The set linked as it is ([`link_set`]), once.
    pub fn base(&self) -> &Result<Linked, LinkError> {
        self.base.get_or_init(|| link_inputs(&self.set.args(), self.inputs()))
    }

    fn is_base(&self, l: &Linked) -> bool {
        self.base().as_ref().is_ok_and(|b| std::ptr::eq(b, l))
    }

    /// [`facts`] of an output of this set (read once for the base link).
    pub fn facts(&self, l: &Linked) -> Result<OutputFacts, String> {
        if self.is_base(l) {
            self.base_facts.get_or_init(|| facts(&l.bytes)).clone()
        } else {
            facts(&l.bytes)
        }
    }

    /// [`validate`] of an output of this set (once for the base link).
    pub fn validate(&self, l: &Linked) -> Result<(), String> {
        if self.is_base(l) {
            self.base_valid.get_or_init(|| validate(&l.bytes)).clone()
        } else {
            validate(&l.bytes)
        }
    }

    /// The set with changed flags: linked anew unless `changed` equals the
    /// set (then the base link is reused).
    fn variant(&self, changed: &ObjectSet) -> std::borrow::Cow<'_, Result<Linked, LinkError>> {
        if changed == self.set {
            std::borrow::Cow::Borrowed(self.base())
        } else {
            std::borrow::Cow::Owned(link_inputs(&changed.args(), self.inputs()))
        }
    }
}

/// Every in-process property, in a fixed order.
pub const PROPERTIES: &[Property] = &[
    Property { name: "successful_outputs_validate", rules: "OUT-VALID", check: successful_outputs_validate },
    Property { name: "same_inputs_same_bytes", rules: "OUT-VALID", check: same_inputs_same_bytes },
    Property {
        name: "object_order_does_not_matter",
        rules: "SYM-1, SYM-2, SYM-3, SYM-6, SYM-7, AR-1",
        check: object_order_does_not_matter,
    },
    Property {
        name: "imports_are_live_strong_undefined_functions",
        rules: "UND-IMPORT, UND-DEDUP, UND-WEAK, GC-1, GC-2, GC-3, GC-4",
        check: imports_are_live_strong_undefined_functions,
    },
    Property {
        name: "exports_are_the_requested_ones",
        rules: "EXP-2, EXP-5, EXP-DATA, SIG-EXPORT, OUT-VALID",
        check: exports_are_the_requested_ones,
    },
    Property {
        name: "gc_keeps_exactly_the_reachable_functions",
        rules: "GC-1, GC-2, GC-3, GC-4",
        check: gc_keeps_exactly_the_reachable_functions,
    },
];

/// Runs every property on `set`: the number that applied, or the first
/// failure.
pub fn check_all(set: &ObjectSet) -> Result<usize, Failure> {
    let ctx = Ctx::new(set);
    let mut applied = 0;
    for p in PROPERTIES {
        match (p.check)(&ctx) {
            Ok(PropertyVerdict::Held) => applied += 1,
            Ok(PropertyVerdict::NotApplicable) => {}
            Err(message) => return Err(Failure { property: p.name, rules: p.rules, message }),
        }
    }
    Ok(applied)
}

/// Runs the property called `name` (see [`PROPERTIES`]); `None` for an
/// unknown name.
pub fn check_one(name: &str, set: &ObjectSet) -> Option<Result<PropertyVerdict, Failure>> {
    let p = PROPERTIES.iter().find(|p| p.name == name)?;
    Some((p.check)(&Ctx::new(set)).map_err(|message| Failure { property: p.name, rules: p.rules, message }))
}

/// Links `files` (lowered with `set`'s command line) with refld in memory.
pub fn link_files(set: &ObjectSet, files: &[NFile]) -> Result<Linked, LinkError> {
    link_inputs(&set.args(), &set.lower_files(files).inputs)
}

/// Links encoded `inputs` (named files, in command-line order after `args`)
/// with refld in memory.
pub fn link_inputs(args: &[String], inputs: &[(String, Vec<u8>)]) -> Result<Linked, LinkError> {
    let mut argv = args.to_vec();
    let mut provider = refld::MemoryInputs::default();
    for (name, bytes) in inputs {
        argv.push(name.clone());
        provider.add(name.clone(), bytes.clone());
    }
    let read = |p: &str| Err(format!("{p}: no file system for generated sets"));
    match refld::args::parse_args(&argv, &read) {
        Ok(refld::args::Action::Link(config)) => refld::link(&config, &provider),
        // The generator writes only wasm-ld arguments refld accepts: a
        // parse failure is a bug of the generator, reported as a failed link.
        other => Err(LinkError {
            diagnostics: vec![refld::diag::Diagnostic::error(format!("command line {argv:?} did not parse to a link: {other:?}"))],
        }),
    }
}

/// Links the whole set with refld in memory.
pub fn link_set(set: &ObjectSet) -> Result<Linked, LinkError> {
    link_files(set, &set.files())
}

/// A link's diagnostics as sorted (is an error, text) pairs.
pub fn messages(r: &Result<Linked, LinkError>) -> Vec<(bool, String)> {
    let d = match r {
        Ok(l) => &l.warnings,
        Err(e) => &e.diagnostics,
    };
    let mut v: Vec<(bool, String)> = d.iter().map(|d| (d.severity == Severity::Error, d.message.clone())).collect();
    v.sort();
    v
}

/// Whether every `--export` of `set` names a non-local function definition
/// somewhere in the set (an `--export` of an undefined name fails the link
/// under the default policy and is modelled by no property).
pub fn exports_defined(set: &ObjectSet) -> bool {
    let files = set.files();
    set.export_names().iter().all(|e| {
        files.iter().any(|f| {
            f.items.iter().any(|i| matches!(i, NItem::Func { name, binding, .. } if func_name(*name) == *e && *binding != Binding::Local))
        })
    })
}

/// Whether an `--export`ed name is used with two signatures among its
/// definitions and references: wasm-ld's first defined variant wins and the
/// export of the name may then vanish (SIG-EXPORT), which
/// [`PROPERTIES`]' exports property does not model.
pub fn export_has_two_signatures(set: &ObjectSet) -> bool {
    let mut sigs: std::collections::BTreeMap<String, BTreeSet<bool>> = std::collections::BTreeMap::new();
    for f in set.files() {
        for i in &f.items {
            if let NItem::Func { name, sig2, .. } = i {
                sigs.entry(func_name(*name)).or_default().insert(*sig2);
            }
        }
        for j in f.used_funcs() {
            if !f.defines_func(j) {
                sigs.entry(func_name(j)).or_default().insert(f.attrs(j).sig2);
            }
        }
    }
    set.export_names().iter().any(|e| sigs.get(e).is_some_and(|s| s.len() > 1))
}

/// Whether the set is in the modelled fragment of [`ObjectSet::resolve`]:
/// no data symbol named like a function, references agree on signature,
/// import module and import name, no duplicate definition.
pub fn modelled(set: &ObjectSet) -> bool {
    !set.has_kind_clash() && set.references_agree() && !set.resolve().duplicate
}

fn successful_outputs_validate(ctx: &Ctx) -> Result<PropertyVerdict, String> {
    let set = ctx.set;
    match ctx.base() {
        Ok(l) => ctx.validate(l).map(|_| PropertyVerdict::Held).map_err(|e| format!("output does not validate: {e}; set {set:?}")),
        Err(_) => Ok(PropertyVerdict::NotApplicable),
    }
}

fn same_inputs_same_bytes(ctx: &Ctx) -> Result<PropertyVerdict, String> {
    let set = ctx.set;
    let (x, y) = (ctx.base(), &link_inputs(&set.args(), ctx.inputs()));
    if messages(x) != messages(y) {
        return Err(format!("diagnostics differ between two links: {:?} / {:?}; set {set:?}", messages(x), messages(y)));
    }
    if x.as_ref().ok().map(|l| &l.bytes) != y.as_ref().ok().map(|l| &l.bytes) {
        return Err(format!("two links of the same inputs gave different bytes; set {set:?}"));
    }
    Ok(PropertyVerdict::Held)
}

/// The order-independent part of a link's result: success, diagnostics,
/// imports (sorted), exports and the names of the defined functions.
type OrderFree = (bool, Vec<(bool, String)>, Vec<(String, String)>, Vec<String>, BTreeSet<String>);

fn order_free(ctx: &Ctx, r: &Result<Linked, LinkError>) -> Result<OrderFree, String> {
    let msgs = messages(r);
    match r {
        Ok(l) => {
            let f = ctx.facts(l)?;
            let mut imports = f.imports.clone();
            imports.sort();
            Ok((true, msgs, imports, f.exports, f.defined_func_names))
        }
        Err(_) => Ok((false, msgs, Vec::new(), Vec::new(), BTreeSet::new())),
    }
}

fn object_order_does_not_matter(ctx: &Ctx) -> Result<PropertyVerdict, String> {
    let set = ctx.set;
    if !set.order_independent() {
        return Ok(PropertyVerdict::NotApplicable);
    }
    // Plain objects reversed; the archive (members in order) stays last.
    // Each object's encoding does not depend on its position.
    let (mut objects, archive): (Vec<_>, Vec<_>) = ctx.inputs().iter().cloned().partition(|(n, _)| n.ends_with(".o"));
    objects.reverse();
    objects.extend(archive);
    let (a, z) = (order_free(ctx, ctx.base())?, order_free(ctx, &link_inputs(&set.args(), &objects))?);
    if a != z {
        return Err(format!("reversing the objects changed the result:\n  in order {a:?}\n  reversed {z:?}\nset {set:?}"));
    }
    Ok(PropertyVerdict::Held)
}

fn imports_are_live_strong_undefined_functions(ctx: &Ctx) -> Result<PropertyVerdict, String> {
    let mut set = ctx.set.clone();
    set.policy = UndefinedFlag::AllowUndefined;
    if !modelled(&set) || !exports_defined(&set) {
        return Ok(PropertyVerdict::NotApplicable);
    }
    let linked = ctx.variant(&set);
    let Ok(l) = linked.as_ref() else { return Ok(PropertyVerdict::NotApplicable) };
    let got = ctx.facts(l)?.func_imports;
    let want = set.expected_imports();
    if got != want {
        return Err(format!("function imports {got:?}, the model says {want:?}; set {set:?}"));
    }
    Ok(PropertyVerdict::Held)
}

fn exports_are_the_requested_ones(ctx: &Ctx) -> Result<PropertyVerdict, String> {
    let mut set = ctx.set.clone();
    set.export_all = false;
    set.policy = UndefinedFlag::Error;
    if export_has_two_signatures(&set) {
        return Ok(PropertyVerdict::NotApplicable);
    }
    let linked = ctx.variant(&set);
    let Ok(l) = linked.as_ref() else { return Ok(PropertyVerdict::NotApplicable) };
    ctx.validate(l).map_err(|e| format!("output does not validate: {e}; set {set:?}"))?;
    // A name only weakly referenced, defined nowhere, links without an
    // export (EXP-5: the undefined weak function counts as defined). A data
    // definition of the name is exported (EXP-DATA).
    let files = set.files();
    let defined = |e: &String| {
        files.iter().any(|f| {
            f.items.iter().any(|i| match i {
                NItem::Func { name, binding, .. } => func_name(*name) == *e && *binding != Binding::Local,
                NItem::Data { name, binding, .. } => name == e && *binding != Binding::Local,
                NItem::Ctor { .. } => false,
            })
        })
    };
    let mut want: Vec<String> = set.export_names().into_iter().filter(defined).collect();
    want.push("memory".to_string());
    want.sort();
    let got = ctx.facts(l)?.exports;
    if got != want {
        return Err(format!("exports {got:?}, requested {want:?}; set {set:?}"));
    }
    Ok(PropertyVerdict::Held)
}

fn gc_keeps_exactly_the_reachable_functions(ctx: &Ctx) -> Result<PropertyVerdict, String> {
    let set = ctx.set;
    if !modelled(set) {
        return Ok(PropertyVerdict::NotApplicable);
    }
    let Ok(l) = ctx.base() else { return Ok(PropertyVerdict::NotApplicable) };
    let is_pool = |n: &String| n.len() == 2 && n.starts_with('f');
    let got: BTreeSet<String> = ctx.facts(l)?.defined_func_names.into_iter().filter(is_pool).collect();
    let want: BTreeSet<String> = set.resolve().live_funcs.into_iter().map(|(_, n)| n).collect();
    if got != want {
        return Err(format!("live functions {got:?}, the model says {want:?}; set {set:?}"));
    }
    Ok(PropertyVerdict::Held)
}
