// The lang items rustc 1.95 needs for these `#![no_core]` crates (rustup's
// rustc 1.95 has no wasm standard library): `#[path = "minicore.rs"] mod
// minicore;` in each crate. Shaped after rustc's own tests/auxiliary/minicore.rs.
#![allow(dead_code)]

#[lang = "pointee_sized"]
pub trait PointeeSized {}
#[lang = "meta_sized"]
pub trait MetaSized: PointeeSized {}
#[lang = "sized"]
pub trait Sized: MetaSized {}

#[lang = "copy"]
pub trait Copy {}
impl Copy for i32 {}
impl Copy for usize {}
impl<T: PointeeSized> Copy for *const T {}
impl<T: PointeeSized> Copy for &T {}

// Statics must be Sync (and rustc asks whether they are Freeze).
#[lang = "sync"]
pub unsafe trait Sync {}
unsafe impl Sync for i32 {}
#[lang = "freeze"]
pub unsafe auto trait Freeze {}

// `&self` methods.
#[lang = "legacy_receiver"]
pub trait LegacyReceiver: PointeeSized {}
impl<T: PointeeSized> LegacyReceiver for &T {}

// Calls through function pointers.
#[lang = "drop_in_place"]
#[allow(unconditional_recursion)]
pub unsafe fn drop_in_place<T: PointeeSized>(to_drop: *mut T) {
    unsafe { drop_in_place(to_drop) }
}

// `a + b` on i32, `a == b` on usize: the operators look the traits up
// even for primitives, whose impls then use the built-in operation.
#[lang = "add"]
pub trait Add<Rhs = Self> {
    type Output;
    fn add(self, rhs: Rhs) -> Self::Output;
}
impl Add for i32 {
    type Output = i32;
    fn add(self, rhs: i32) -> i32 {
        self + rhs
    }
}

#[lang = "eq"]
pub trait PartialEq<Rhs: PointeeSized = Self>: PointeeSized {
    fn eq(&self, other: &Rhs) -> bool;
    fn ne(&self, other: &Rhs) -> bool;
}
impl PartialEq for usize {
    fn eq(&self, other: &usize) -> bool {
        (*self) == (*other)
    }
    fn ne(&self, other: &usize) -> bool {
        (*self) != (*other)
    }
}
