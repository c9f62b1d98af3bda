// A definition of the weak reference's `maybe_value`: 42.
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]

#[path = "minicore.rs"]
mod minicore;

#[no_mangle]
pub static maybe_value: i32 = 42;
