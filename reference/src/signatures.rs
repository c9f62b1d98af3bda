//! Function signature checks between references and definitions (rules
//! SIG-*): wasm-ld's "symbol variants".

use crate::diag::Diagnostic;
use crate::object::{Signature, SymbolKind};
use crate::resolve::Resolution;
use crate::symtab::{Def, FileId, SymbolId};
use std::collections::{BTreeMap, HashMap};

/// References whose signature differs from the definition's.
#[derive(Debug, Clone, Default)]
pub struct Variants {
    /// SIG-1: the symbol as file `0` sees it goes to a trapping
    /// `signature_mismatch:NAME` stub of this signature.
    pub redirect: HashMap<(FileId, SymbolId), Signature>,
    pub diagnostics: Vec<Diagnostic>,
}

fn ref_signature(res: &Resolution, file: FileId, sym: u32) -> &Signature {
    let obj = &res.files[file];
    obj.func_signature(obj.symbols[sym as usize].index)
}

/// SIG-1: a file that calls a defined function directly with another
/// signature gets a `signature_mismatch:NAME` stub instead, with the warning
/// `function signature mismatch: NAME` / `>>> defined as SIG in FILE` (the
/// reference, then the definition), once per distinct signature.
/// SIG-2: an undefined function called directly with two signatures is the
/// same text as an error, whatever the undefined-symbol policy.
/// Only direct calls count: taking an address never mismatches.
pub fn check(res: &Resolution) -> Variants {
    let mut out = Variants::default();
    for (sid, sym) in res.table.symbols.iter().enumerate() {
        if sym.kind != SymbolKind::Function {
            continue;
        }
        let called: Vec<_> = sym.refs.iter().filter(|r| r.called_directly).collect();
        if called.is_empty() {
            continue;
        }
        let (base_sig, base_file, is_def) = match sym.def {
            Def::Defined { file, sym: si } => (ref_signature(res, file, si).clone(), file, true),
            Def::Undefined | Def::Lazy { .. } => (ref_signature(res, called[0].file, called[0].sym).clone(), called[0].file, false),
            Def::Synthetic(_) => continue,
        };
        let mut seen: BTreeMap<Signature, FileId> = BTreeMap::new();
        for r in called {
            let sig = ref_signature(res, r.file, r.sym);
            if *sig == base_sig {
                continue;
            }
            if is_def {
                out.redirect.insert((r.file, sid), sig.clone());
            }
            if seen.contains_key(sig) {
                continue;
            }
            seen.insert(sig.clone(), r.file);
            let (first, second) = if is_def { ((sig, r.file), (&base_sig, base_file)) } else { ((&base_sig, base_file), (sig, r.file)) };
            let msg = format!(
                "function signature mismatch: {}\n>>> defined as {} in {}\n>>> defined as {} in {}",
                sym.name, first.0, res.files[first.1].name, second.0, res.files[second.1].name
            );
            out.diagnostics.push(if is_def { Diagnostic::warning(msg) } else { Diagnostic::error(msg) });
        }
    }
    out
}
