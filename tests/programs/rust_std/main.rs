// A Rust program with std for wasm32-wasi, built by Debian's rustc 1.63
// (`/usr/bin/rustc --target wasm32-wasi`, package libstd-rust-dev-wasm32)
// and linked with the command line rustc itself gives wasm-ld
// (tests/src/real/rust.rs). What the linker meets: rustc's own objects
// (the crate and the allocator shim), std's rlibs (archives whose
// `lib.rmeta` member is no wasm object), wasi-libc from rustc's
// self-contained folder, `--export=__heap_base`, `--stack-first`.
//
// Every line it prints follows from this source and std's documented
// behaviour, not from any linker's output; the real-program tests check
// them (expected_lines("rust_std")). No line depends on HashMap order or
// on the clock.
//
// Files: the oracle's runner preopens no directory, so without arguments
// the program opens a path and prints the error std gives when no
// preopened directory can hold it, and uses stdout/stdin as `File`s
// (fd_write, fd_filestat_get, fd_read). With a directory argument that is
// preopened (reference/tests/rustc_linker.rs runs it under node's WASI so),
// it writes, reads back, lists and removes files there.

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::wasi::io::FromRawFd;

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Circle { r: f64 },
    Rect { w: f64, h: f64 },
}

trait Area {
    fn area(&self) -> f64;
    fn name(&self) -> String;
}

impl Area for Shape {
    fn area(&self) -> f64 {
        match self {
            Shape::Circle { r } => std::f64::consts::PI * r * r,
            Shape::Rect { w, h } => w * h,
        }
    }
    fn name(&self) -> String {
        match self {
            Shape::Circle { .. } => "circle".into(),
            Shape::Rect { .. } => "rect".into(),
        }
    }
}

struct Money(i64);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "${}.{:02}", self.0 / 100, self.0 % 100)
    }
}

fn collections() {
    let text = "the quick brown fox jumps over the lazy dog the end";
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in text.split_whitespace() {
        *counts.entry(w).or_insert(0) += 1;
    }
    let mut repeated: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
    repeated.sort();
    println!("repeated: {:?}", repeated);

    let lengths: BTreeMap<usize, Vec<&str>> = text.split_whitespace().fold(BTreeMap::new(), |mut m, w| {
        m.entry(w.len()).or_insert_with(Vec::new).push(w);
        m
    });
    let by_len: Vec<String> = lengths.iter().map(|(k, v)| format!("{}:{}", k, v.len())).collect();
    println!("by length: {}", by_len.join(" "));

    let unique: HashSet<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    println!("distinct letters: {}", unique.len());

    let mut heap: BinaryHeap<u32> = [5, 1, 8, 3, 9, 2].iter().copied().collect();
    let mut top = Vec::new();
    while let Some(x) = heap.pop() {
        top.push(x);
        if top.len() == 3 {
            break;
        }
    }
    println!("heap top3: {:?}", top);

    let mut ring: VecDeque<i32> = (1..=5).collect();
    ring.rotate_left(2);
    ring.push_front(0);
    println!("ring: {:?}", ring);

    let mut squares: Vec<u64> = (1..=10).map(|x: u64| x * x).rev().collect();
    squares.sort_unstable();
    println!("sum of squares: {}", squares.iter().sum::<u64>());
}

fn formatting() {
    let shapes: Vec<Box<dyn Area>> = vec![
        Box::new(Shape::Circle { r: 1.5 }),
        Box::new(Shape::Rect { w: 2.0, h: 3.25 }),
    ];
    for s in &shapes {
        println!("area {:<6}={:>9.4}", s.name(), s.area());
    }
    println!("debug: {:?}", Shape::Rect { w: 1.0, h: 0.5 });
    println!("hex {:#x} oct {:o} bin {:08b} sci {:e}", 48879, 8, 5, 1234.5f64);
    println!("money: {} {}", Money(123456), Money(7));
    println!("padded: [{:^9}] [{:+}] [{:.0}]", "mid", 42, 2.5f64);
    let s: String = "wasm".chars().rev().collect::<String>().to_uppercase();
    println!("reversed: {}", s);
    println!("parsed: {:?} {:?}", "1234".parse::<i32>(), "x1".parse::<i32>().is_err());
}

/// File I/O in `dir` (a preopened directory): write, append, read back,
/// list, remove.
fn files_in(dir: &str) {
    let path = format!("{}/notes.txt", dir);
    fs::write(&path, "first line\n").expect("write");
    let mut f = fs::OpenOptions::new().append(true).open(&path).expect("open for append");
    writeln!(f, "second line").expect("append");
    drop(f);
    let text = fs::read_to_string(&path).expect("read back");
    println!("file lines: {} bytes: {}", text.lines().count(), text.len());
    let mut names: Vec<String> =
        fs::read_dir(dir).expect("list").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    println!("dir: {:?}", names);
    fs::remove_file(&path).expect("remove");
    println!("removed: {}", !std::path::Path::new(&path).exists());
}

/// WASI without a preopened directory: the descriptors the program has.
fn files_without_preopens() {
    match File::open("/data/input.txt") {
        Ok(_) => println!("open without preopens: unexpectedly opened"),
        Err(e) => println!("open without preopens: error ({:?})", e.kind()),
    }
    // fd 1 (stdout) as a File: std's write path over fd_write, and
    // fd_filestat_get through metadata().
    let mut out = unsafe { File::from_raw_fd(1) };
    out.write_all(b"written through File(fd 1)\n").expect("fd_write");
    // What fd_filestat_get says of stdout is the runtime's business (a
    // pipe, a file, a terminal): only that the call returned is printed.
    let stat = out.metadata().map(|_| "answered").unwrap_or("answered with an error");
    // The File does not own fd 1: do not close it.
    std::mem::forget(out);
    println!("stdout filestat: {}", stat);
    let mut input = String::new();
    let n = std::io::stdin().read_to_string(&mut input).expect("fd_read");
    println!("stdin bytes: {}", n);
}

fn main() {
    collections();
    formatting();
    let args: Vec<String> = std::env::args().collect();
    match args.get(1) {
        Some(dir) => files_in(dir),
        None => files_without_preopens(),
    }
    println!("rust_std done");
}
