//! The order of init functions in `__wasm_call_ctors` (rule INIT-1).

use crate::layout::{target, Target};
use crate::live::LiveSet;
use crate::resolve::Resolution;
use crate::symtab::FileId;

/// INIT-1: the init functions of every live file, by ascending priority;
/// equal priorities keep input order (file load order, then the order of
/// the file's INIT_FUNCS). Init functions that resolve to nothing (an
/// undefined weak symbol) are skipped. Returns (file, symbol index).
pub fn init_order(res: &Resolution, live: &LiveSet) -> Vec<(FileId, u32)> {
    let mut all: Vec<(u32, FileId, u32)> = Vec::new();
    for (f, obj) in res.files.iter().enumerate() {
        if !live.files.get(f).copied().unwrap_or(false) {
            continue;
        }
        for init in &obj.init_funcs {
            if matches!(target(res, f, init.symbol), Target::Undefined(_)) {
                continue;
            }
            all.push((init.priority, f, init.symbol));
        }
    }
    all.sort_by_key(|e| e.0);
    all.into_iter().map(|(_, f, s)| (f, s)).collect()
}
