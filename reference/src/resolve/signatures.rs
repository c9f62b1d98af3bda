//! Function symbols whose references and definitions disagree on the
//! signature (rules SIG-*): wasm-ld's "symbol variants", measured against
//! wasm-ld 22.
//!
//! While inputs are read, a direct call or a definition whose signature
//! differs from its symbol's either resets an undefined symbol no reference
//! calls directly (SIG-REPLACE) or goes to another symbol of the same name
//! with its own signature, a variant (SIG-VARIANT). After resolution each
//! name with variants keeps its first defined variant; the others become
//! trapping `signature_mismatch:NAME` stubs (SIG-1), or the link fails when
//! none is defined (SIG-2).

use crate::ids::SymbolIndex;
use crate::diag::Diagnostic;
use crate::object::SymbolKind;
use super::symbols::make_undefined;
use super::Resolution;
use crate::resolve::{Def, FileId, Reference, SymbolId};
use rustc_hash::FxHashMap as HashMap;

/// The signature of `new` differs from that of `sid` (wasm-ld
/// `signatureMatches`: a symbol without a signature matches any).
fn mismatch(res: &Resolution, sid: SymbolId, new: (FileId, SymbolIndex)) -> bool {
    res.symbol_signature(sid).is_some_and(|s| s != res.signature(new))
}

/// SIG-VARIANT (wasm-ld `getFunctionVariant`): the variant of `sid`'s name
/// with the signature of `new`, made (undefined, empty) when there is none;
/// true when made.
fn variant(res: &mut Resolution, sid: SymbolId, new: (FileId, SymbolIndex)) -> (SymbolId, bool) {
    let want = res.signature(new).clone();
    let group = res.table.variants_of(sid).clone();
    if let Some(v) = group.into_iter().find(|&v| res.symbol_signature(v) == Some(&want)) {
        return (v, false);
    }
    (res.table.new_variant(sid), true)
}

/// SIG-VARIANT (wasm-ld `addDefinedFunction`): where a function definition,
/// input symbol `def`, lands when `sid` is its name's primary symbol. When
/// its signature differs from that of a defined symbol, or of an undefined
/// one some reference calls directly, it goes to the variant of its
/// signature, which becomes the name's primary symbol; otherwise to `sid`.
/// The bool is true for a new variant, which the definition takes whatever
/// the bindings (no duplicate either: two strong definitions of different
/// signatures are SIG-1, measured).
pub(crate) fn definition_target(res: &mut Resolution, sid: SymbolId, def: (FileId, SymbolIndex)) -> (SymbolId, bool) {
    let sym = &res.table.symbols[sid];
    let check = match sym.def {
        Def::Undefined => sym.called_directly,
        Def::Lazy { .. } => false,
        _ => true,
    };
    if sym.kind != SymbolKind::Function || !check || !mismatch(res, sid, def) {
        return (sid, false);
    }
    let (v, made) = variant(res, sid, def);
    res.table.set_primary(v);
    (v, made)
}

/// SIG-REPLACE, SIG-VARIANT (wasm-ld `addUndefinedFunction`): the symbol
/// reference `r` resolves to, `sid` being its name's primary symbol (not
/// lazy). A direct call whose signature differs from the symbol's resets an
/// undefined symbol that no reference calls directly to this reference (its
/// signature, binding, import module and name: SIG-REPLACE), and otherwise
/// goes to the variant of its signature (made undefined by this reference
/// when new). Every other reference resolves to `sid`.
pub(crate) fn reference_target(res: &mut Resolution, sid: SymbolId, r: &Reference) -> SymbolId {
    let this = (r.file, r.sym);
    if res.table.symbols[sid].kind != SymbolKind::Function || !r.called_directly || !mismatch(res, sid, this) {
        return sid;
    }
    let sym = &res.table.symbols[sid];
    if sym.def == Def::Undefined && !sym.called_directly {
        make_undefined(res, sid, r);
        return sid;
    }
    let (v, made) = variant(res, sid, this);
    if made {
        make_undefined(res, v, r);
    }
    v
}

/// SIG-LAZY (beyond wasm-ld): the symbol a weak reference `r` to lazy
/// function symbol `sid` resolves to. wasm-ld gives the lazy symbol the
/// signature of each weak reference that meets it, checking nothing, so
/// direct calls of another signature reach a stub of the wrong type (an
/// invalid module, measured). refld treats the lazy symbol as undefined
/// here: a direct call takes its signature unless an earlier one did, and
/// a direct call of another signature then goes to a variant (SIG-REPLACE,
/// SIG-VARIANT; SIG-1 or SIG-2 later). A reference that only takes the
/// address sets the signature while no direct call did (as in wasm-ld).
pub(crate) fn lazy_reference_target(res: &mut Resolution, sid: SymbolId, r: &Reference) -> SymbolId {
    let this = (r.file, r.sym);
    let sym = &res.table.symbols[sid];
    if sym.called_directly && r.called_directly && mismatch(res, sid, this) {
        let (v, made) = variant(res, sid, this);
        if made {
            make_undefined(res, v, r);
        }
        return v;
    }
    let sym = &mut res.table.symbols[sid];
    if !sym.called_directly {
        sym.sig = Some(this);
        sym.called_directly = r.called_directly;
    }
    sid
}

/// SIG-LAZY (beyond wasm-ld): when an archive member's definition replaces
/// lazy function symbol `sid`, the references that met the lazy symbol
/// (weak ones, which did not extract it) and call it directly with another
/// signature go to the variant of their signature, as they would have had
/// the symbol been undefined, and so to a `signature_mismatch:NAME` stub
/// with SIG-1's warning. wasm-ld checks nothing there and writes calls of
/// the wrong type: an invalid module (measured).
pub(crate) fn split_lazy_references(res: &mut Resolution, sid: SymbolId) {
    let refs = std::mem::take(&mut res.table.symbols[sid].refs);
    for r in refs {
        let mut target = sid;
        if r.called_directly && mismatch(res, sid, (r.file, r.sym)) {
            let (v, made) = variant(res, sid, (r.file, r.sym));
            if made {
                make_undefined(res, v, &r);
            }
            res.file_syms[r.file][r.sym.index()] = Some(v);
            target = v;
        }
        res.table.symbols[target].refs.push(r);
    }
}

/// SIG-1, SIG-2 (wasm-ld `handleSymbolVariants`), once every input is read:
/// each name with variants keeps its first defined variant (in the order
/// the variants were made: not the strong one, not the primary one); every
/// other variant becomes a `signature_mismatch:NAME` stub
/// ([`Def::SignatureStub`]) with the warning `function signature mismatch:
/// NAME` / `>>> defined as SIG in FILE` (the variant) / `>>> defined as SIG
/// in FILE` (the kept definition). A name without a defined variant is that
/// text as an error naming its first two variants; wasm-ld reports only the
/// first such name (in its hash order; here the first made) and stops.
/// `origin` names each variant's file (`lib.a(m.o)` for a lazy member).
pub(crate) fn resolve_variants(res: &mut Resolution, origin: &HashMap<SymbolId, String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let describe = |res: &Resolution, v: SymbolId| {
        let sig = res.symbol_signature(v).map(|s| s.to_string()).unwrap_or_default();
        format!(">>> defined as {sig} in {}", origin.get(&v).map(String::as_str).unwrap_or(""))
    };
    for group in res.table.variants.clone() {
        let name = res.table.symbols[group[0]].name.clone();
        let Some(&kept) = group.iter().find(|&&v| matches!(res.table.symbols[v].def, Def::Defined { .. })) else {
            if let [a, b, ..] = group[..] {
                out.push(Diagnostic::error(format!("function signature mismatch: {name}\n{}\n{}", describe(res, a), describe(res, b))));
            }
            break;
        };
        for &v in group.iter().filter(|&&v| v != kept) {
            out.push(Diagnostic::warning(format!("function signature mismatch: {name}\n{}\n{}", describe(res, v), describe(res, kept))));
            res.table.symbols[v].def = Def::SignatureStub;
        }
    }
    out
}
