//! The init functions `__wasm_call_ctors` calls, in order (rule INIT-1).

use crate::ids::SymbolIndex;
use crate::live::LiveSet;
use crate::resolve::{FileId, Resolution, Target};

/// The init functions of the link, in the order `__wasm_call_ctors`
/// calls them: (file, symbol index) of each init function symbol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct InitOrder(pub Vec<(FileId, SymbolIndex)>);

/// INIT-1: the init functions of every live file, by ascending priority;
/// equal priorities keep input order (file load order, then the order of
/// the file's INIT_FUNCS). Init functions that resolve to nothing (an
/// undefined weak symbol) are skipped.
pub(crate) fn init_order(res: &Resolution, live: &LiveSet) -> InitOrder {
    let mut all: Vec<(u32, FileId, SymbolIndex)> = Vec::new();
    for (f, obj) in res.files() {
        if !live.files.get(f.index()).copied().unwrap_or(false) {
            continue;
        }
        for init in &obj.init_funcs {
            let sym = SymbolIndex(init.symbol);
            if matches!(res.target(f, sym), Target::Undefined(_)) {
                continue;
            }
            all.push((init.priority, f, sym));
        }
    }
    all.sort_by_key(|e| e.0);
    InitOrder(all.into_iter().map(|(_, f, s)| (f, s)).collect())
}
