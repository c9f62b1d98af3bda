//! Static-vs-dynamic equivalence: one C program of up to three modules,
//! compiled once with `-fPIC`, linked once statically (every object in one
//! module) and once as a `-pie` main module plus `-shared` side modules
//! (the program's split), must behave the same: the same calls of its
//! functions give the same results, with the same host calls in the same
//! order ([`check::check_equivalence`]).
//!
//! [`PicProgram`] draws the program from bytes (`Arbitrary`): functions
//! `fI(int) -> int` returning their argument plus a constant plus what
//! their uses give — direct calls and calls through function pointers
//! held in data (of `fJ`, `J < I`: no recursion), loads of data directly
//! and through pointers held in data, stores to data, calls of host
//! functions `hN` no module defines. Each function and data symbol is
//! defined once, in one module, with default or hidden visibility.
//!
//! What the two links may legitimately do differently is kept out of the
//! draw, each for its reason: a hidden symbol is used only inside its own
//! module (in a dynamic link it is not exported, so another module cannot
//! reach it, while a static link resolves it); every name is defined once
//! (wasm has no interposition: a module's direct call of its own weak
//! definition stays there); no constructors (their order across modules is
//! the loader's, not the static link's priority order); no undefined data
//! or address-taken undefined function (an error at load, not in a static
//! link with `--allow-undefined`).

pub mod check;

use arbitrary::{Arbitrary, Unstructured};
use std::fmt::Write;

/// Largest number of modules of a program (the main module and side
/// modules).
pub const MAX_MODULES: usize = 3;
const MAX_FUNCS: usize = 6;
const MAX_DATA: usize = 3;
const MAX_USES: usize = 5;
const HOST_FUNCS: usize = 2;

/// A use inside a function body, as drawn; indices are reduced below the
/// function's own (calls) or the number of data symbols (loads).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Use {
    /// `fJ(x)`.
    Call(u8),
    /// `fp_fJ(x)`, a static pointer in data holding `fJ` (a load-time data
    /// relocation in a module other than fJ's, GOT.func).
    CallThroughPointer(u8),
    /// `dK`.
    Load(u8),
    /// `*p_dK`, a static pointer in data holding `&dK`.
    LoadThroughPointer(u8),
    /// `dK += x` (a memory effect later loads observe).
    Store(u8),
    /// `hN(x)`: a host call.
    Host(u8),
    /// A constant.
    Const(i8),
}

/// A function as drawn.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub struct Func {
    /// The module defining it (reduced modulo the module count).
    pub module: u8,
    /// `visibility("hidden")`.
    pub hidden: bool,
    /// Added to the argument.
    pub constant: i8,
    /// The body's uses, in order.
    pub uses: Vec<Use>,
}

/// A data symbol (one `int`) as drawn.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub struct Data {
    /// The module defining it.
    pub module: u8,
    /// `visibility("hidden")`.
    pub hidden: bool,
    /// Its initial value.
    pub value: i8,
}

/// A program drawn from bytes; [`PicProgram::normalized`] gives the form
/// the sources are written from.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub struct PicProgram {
    /// Modules: 1 + this modulo [`MAX_MODULES`].
    pub modules: u8,
    pub funcs: Vec<Func>,
    pub data: Vec<Data>,
}

impl PicProgram {
    /// The program of `bytes` (an empty program when they run out).
    pub fn from_bytes(bytes: &[u8]) -> PicProgram {
        PicProgram::arbitrary_take_rest(Unstructured::new(bytes))
            .unwrap_or(PicProgram { modules: 0, funcs: Vec::new(), data: Vec::new() })
    }

    /// Counts and indices in range, uses a module cannot make replaced by
    /// constants (module comment: hidden symbols of another module).
    pub fn normalized(&self) -> PicProgram {
        let modules = 1 + self.modules % MAX_MODULES as u8;
        let data: Vec<Data> =
            self.data.iter().take(MAX_DATA).map(|d| Data { module: d.module % modules, ..d.clone() }).collect();
        let mut funcs: Vec<Func> = Vec::new();
        for (i, f) in self.funcs.iter().take(MAX_FUNCS).enumerate() {
            let module = f.module % modules;
            let visible_func = |j: usize| !funcs[j].hidden || funcs[j].module == module;
            let visible_data = |k: usize| !data[k].hidden || data[k].module == module;
            let uses = f
                .uses
                .iter()
                .take(MAX_USES)
                .map(|u| match *u {
                    Use::Call(j) | Use::CallThroughPointer(j) if i == 0 => Use::Const(j as i8),
                    Use::Call(j) | Use::CallThroughPointer(j) => {
                        let j = j as usize % i;
                        match (visible_func(j), *u) {
                            (false, Use::Call(_)) => Use::Const(1),
                            (false, _) => Use::Const(2),
                            (true, Use::Call(_)) => Use::Call(j as u8),
                            (true, _) => Use::CallThroughPointer(j as u8),
                        }
                    }
                    Use::Load(k) | Use::LoadThroughPointer(k) | Use::Store(k) if data.is_empty() => Use::Const(k as i8),
                    Use::Load(k) | Use::LoadThroughPointer(k) | Use::Store(k) => {
                        let k = k as usize % data.len();
                        match (visible_data(k), *u) {
                            (false, _) => Use::Const(3),
                            (true, Use::Load(_)) => Use::Load(k as u8),
                            (true, Use::LoadThroughPointer(_)) => Use::LoadThroughPointer(k as u8),
                            (true, _) => Use::Store(k as u8),
                        }
                    }
                    Use::Host(n) => Use::Host(n % HOST_FUNCS as u8),
                    Use::Const(c) => Use::Const(c),
                })
                .collect();
            funcs.push(Func { module, hidden: f.hidden, constant: f.constant, uses });
        }
        PicProgram { modules: modules - 1, funcs, data }
    }

    /// The number of modules of a normalized program.
    pub fn module_count(&self) -> usize {
        1 + self.modules as usize
    }

    /// The functions every link exports and the comparison calls: those of
    /// default visibility (a hidden one is no export of a side module),
    /// by name (`f0`, `f1`, ...; fewer than ten, so name order is index
    /// order).
    pub fn called(&self) -> Vec<String> {
        self.funcs.iter().enumerate().filter(|(_, f)| !f.hidden).map(|(i, _)| format!("f{i}")).collect()
    }

    /// The C source of module `m` of a normalized program (`m0.c` is the
    /// main module's).
    pub fn source(&self, m: usize) -> String {
        let mut c = String::from("// Generated: a module of a static-vs-dynamic equivalence program.\n");
        let hidden = |h: bool| if h { "__attribute__((visibility(\"hidden\"))) " } else { "" };
        for n in 0..HOST_FUNCS {
            let _ = writeln!(c, "int h{n}(int);");
        }
        let mut used_funcs = Vec::new();
        let mut used_data = Vec::new();
        let mut fn_ptrs = Vec::new();
        let mut data_ptrs = Vec::new();
        for f in self.funcs.iter().filter(|f| f.module as usize == m) {
            for u in &f.uses {
                match *u {
                    Use::Call(j) => used_funcs.push(j as usize),
                    Use::CallThroughPointer(j) => {
                        used_funcs.push(j as usize);
                        fn_ptrs.push(j as usize);
                    }
                    Use::Load(k) | Use::Store(k) => used_data.push(k as usize),
                    Use::LoadThroughPointer(k) => {
                        used_data.push(k as usize);
                        data_ptrs.push(k as usize);
                    }
                    _ => {}
                }
            }
        }
        for list in [&mut used_funcs, &mut used_data, &mut fn_ptrs, &mut data_ptrs] {
            list.sort();
            list.dedup();
        }
        for &j in &used_funcs {
            if self.funcs[j].module as usize != m {
                let _ = writeln!(c, "extern int f{j}(int);");
            }
        }
        for &k in &used_data {
            if self.data[k].module as usize != m {
                let _ = writeln!(c, "extern int d{k};");
            }
        }
        for (k, d) in self.data.iter().enumerate().filter(|(_, d)| d.module as usize == m) {
            let _ = writeln!(c, "{}int d{k} = {};", hidden(d.hidden), d.value);
        }
        for (i, f) in self.funcs.iter().enumerate().filter(|(_, f)| f.module as usize == m) {
            let _ = writeln!(c, "{}int f{i}(int);", hidden(f.hidden));
        }
        for &k in &data_ptrs {
            let _ = writeln!(c, "static int *p_d{k} = &d{k};");
        }
        for &j in &fn_ptrs {
            let _ = writeln!(c, "static int (*fp_f{j})(int) = f{j};");
        }
        for (i, f) in self.funcs.iter().enumerate().filter(|(_, f)| f.module as usize == m) {
            let _ = writeln!(c, "{}int f{i}(int x) {{", hidden(f.hidden));
            let _ = writeln!(c, "  int r = x + {};", f.constant);
            for u in &f.uses {
                let _ = match *u {
                    Use::Call(j) => writeln!(c, "  r += f{j}(x);"),
                    Use::CallThroughPointer(j) => writeln!(c, "  r += fp_f{j}(x);"),
                    Use::Load(k) => writeln!(c, "  r += d{k};"),
                    Use::LoadThroughPointer(k) => writeln!(c, "  r += *p_d{k};"),
                    Use::Store(k) => writeln!(c, "  d{k} += x;"),
                    Use::Host(n) => writeln!(c, "  r += h{n}(x);"),
                    Use::Const(v) => writeln!(c, "  r += {v};"),
                };
            }
            let _ = writeln!(c, "  return r;\n}}");
        }
        c
    }
}
