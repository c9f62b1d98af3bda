//! The indices refld passes between phases, each its own type so that a
//! file number cannot be used as a symbol number.

use std::ops::{Index, IndexMut};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, for slices.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl From<usize> for $name {
            /// Panics past `u32::MAX` items: no link has that many.
            fn from(i: usize) -> Self {
                $name(u32::try_from(i).expect("fewer than 2^32 items"))
            }
        }

        impl<T> Index<$name> for Vec<T> {
            type Output = T;
            fn index(&self, i: $name) -> &T {
                &self[i.index()]
            }
        }

        impl<T> IndexMut<$name> for Vec<T> {
            fn index_mut(&mut self, i: $name) -> &mut T {
                &mut self[i.index()]
            }
        }
    };
}

id!(
    /// A loaded object: its position in `Resolution::files`, wasm-ld's
    /// file order (LOAD-ORDER).
    FileId
);
id!(
    /// A global symbol: its position in `SymbolTable::symbols` (a name has
    /// several when its signatures disagree, SIG-VARIANT).
    SymbolId
);
id!(
    /// An input symbol: its position in its object's symbol table
    /// (Linking.md's symbol index, what relocations name), with the
    /// [`FileId`] of the object.
    SymbolIndex
);
id!(
    /// A definition's position among its object's definitions of one kind
    /// (defined functions, globals, tags, tables; data segments, which have
    /// no imports): the index Linking.md's symbols and relocations use,
    /// less the imports of that kind. Output indices are the output's own
    /// `u32` index spaces (`Layout`).
    DefinedIndex
);
id!(
    /// A lazy member (archive member or `--start-lib` object): its position
    /// in `Resolution::members`, in the order members were indexed.
    MemberId
);
