//! LOAD-ORDER: files in the order wasm-ld lists them (`objectFiles`).

use super::{Discarded, Resolver};
use crate::object::ObjectFile;
use crate::resolve::{Def, FileId, SymbolId};

impl Resolver<'_> {
    /// LOAD-ORDER: files in the order wasm-ld lists them (`objectFiles`):
    /// a file goes in once its symbols are read, so a member its reading
    /// extracts comes before it (measured). Renumbers the files, and every
    /// file index in the table, to that order.
    pub(super) fn reorder_files(&mut self) {
        let order = std::mem::take(&mut self.loaded);
        let mut new_id = vec![FileId::default(); order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old] = FileId::from(new);
        }
        let res = &mut self.res;
        let mut files: Vec<Option<ObjectFile>> = std::mem::take(&mut res.files).into_iter().map(Some).collect();
        let mut syms: Vec<Option<Vec<Option<SymbolId>>>> = std::mem::take(&mut res.file_syms).into_iter().map(Some).collect();
        let mut discarded: Vec<Option<Discarded>> = std::mem::take(&mut res.discarded).into_iter().map(Some).collect();
        for &old in &order {
            res.files.extend(files[old].take());
            res.file_syms.extend(syms[old].take());
            res.discarded.extend(discarded[old].take());
        }
        res.lazy_files = res.lazy_files.iter().map(|&f| new_id[f]).collect();
        for sym in &mut res.table.symbols {
            for r in &mut sym.refs {
                r.file = new_id[r.file];
            }
            if let Def::Defined { file, .. } = &mut sym.def {
                *file = new_id[*file];
            }
            if let Some((file, _)) = &mut sym.sig {
                *file = new_id[*file];
            }
            if let Some(file) = &mut sym.origin {
                *file = new_id[*file];
            }
        }
    }
}
