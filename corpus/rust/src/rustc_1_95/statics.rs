// A static holding two data addresses and a function pointer: rustc
// writes it as a data segment with MEMORY_ADDR_I32 and TABLE_INDEX_I32
// relocations (the function gets a table slot).
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]

#[path = "minicore.rs"]
mod minicore;

#[repr(C)]
pub struct Table {
    first: &'static i32,
    second: &'static i32,
    pick: extern "C" fn(i32) -> i32,
}
unsafe impl minicore::Sync for Table {}

static A: i32 = 40;
static B: i32 = 2;

extern "C" fn twice(x: i32) -> i32 {
    x + x
}

#[no_mangle]
pub static TABLE: Table = Table { first: &A, second: &B, pick: twice };
