//! The fixes of the symbols that fail a link, each in a Rust user's and a
//! C user's terms beside the wasm-ld flag, and each checked: refld
//! explains the link again with the fix applied (the library added, the
//! name allowed, the policy changed) and a fix stays `checked` only when
//! the symbol no longer fails; what the fix brings along (members of a
//! library needing more symbols, duplicate definitions) is kept with it.
//! A fix no link can check (add the crate that defines a Rust function
//! when no file on this machine does) says so (`checked: false`).

use super::libraries::{self, Found};
use super::names::{crate_of, demangle_rust};
use refld::explain::{Explanation, UndefinedSymbol};
use refld::{Config, InputSpec, SymbolKind};
use std::collections::BTreeMap;
use std::path::Path;

/// What a fix does to the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    /// Link an archive or object found on this machine that defines it.
    Library,
    /// Declare it as an import of the host: an explicit import name on its
    /// declaration (UND-EXPLICIT; rustc writes one for every item of a
    /// `#[link(wasm_import_module)]` block), which the linker's
    /// `--allow-undefined-file` matches for this symbol alone (UND-ALLOW).
    ImportAttribute,
    /// `--import-undefined`: every undefined function an import (UND-IMPORT).
    ImportUndefined,
    /// `--allow-undefined`: functions and globals imports, nothing reported
    /// (offered where `--import-undefined` is not enough: globals, tags).
    AllowUndefined,
    /// Add the definition (the crate, object or library defining it): no
    /// file found to check it with.
    AddDefinition,
}

impl FixKind {
    /// `library`, `import-attribute`, `import-undefined`,
    /// `allow-undefined`, `add-definition` (the JSON spelling).
    pub fn word(self) -> &'static str {
        match self {
            FixKind::Library => "library",
            FixKind::ImportAttribute => "import-attribute",
            FixKind::ImportUndefined => "import-undefined",
            FixKind::AllowUndefined => "allow-undefined",
            FixKind::AddDefinition => "add-definition",
        }
    }
}

/// One way to make a failing symbol link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub kind: FixKind,
    /// What it does, in words (`imports it from the host as env.host_log`,
    /// `libutil.a(util.o) defines it`).
    pub effect: String,
    /// The fix as a Rust user writes it (an attribute, `-C link-arg=...`,
    /// rustc's `-L`/`-l`).
    pub rust: String,
    /// The fix as a C user writes it for clang (`__attribute__`, `-Wl,...`).
    pub c: String,
    /// The wasm-ld command-line form, when there is one.
    pub linker: Option<String>,
    /// refld explained the link again with the fix and the symbol no
    /// longer fails (false: nothing on this machine to check it with).
    pub checked: bool,
    /// What the link then reports that it did not before: symbols the
    /// added library needs (`undefined symbol: NAME`) and new errors.
    pub then: Vec<String>,
}

/// The fixes of every failing symbol of `e` (indices into `e.undefined`),
/// libraries first (the likeliest omission when a library defines the
/// symbol), then the import fixes, then the unchecked ones.
pub fn fixes(config: &Config, cwd: &Path, e: &Explanation) -> BTreeMap<usize, Vec<Fix>> {
    let failing: Vec<usize> = (0..e.undefined.len()).filter(|&i| fails(&e.undefined[i])).collect();
    let mut out: BTreeMap<usize, Vec<Fix>> = failing.iter().map(|&i| (i, Vec::new())).collect();
    if failing.is_empty() {
        return out;
    }
    let wanted: BTreeMap<String, SymbolKind> = failing.iter().map(|&i| (e.undefined[i].name.clone(), e.undefined[i].kind)).collect();
    for found in libraries::find(config, cwd, &wanted) {
        library_fixes(config, cwd, e, &found, &mut out);
    }
    let allowed = explain_with(config, cwd, |c| c.allow_undefined_names.extend(wanted.keys().cloned()));
    for &i in &failing {
        let u = &e.undefined[i];
        let list = out.get_mut(&i).expect("every failing symbol has a list");
        // The first three files found, in search order: wasi-libc has
        // several archives defining `printf`, and one is what to act on.
        list.truncate(3);
        let rust_item = demangle_rust(&u.name);
        // A Rust-mangled symbol is a Rust function of another crate, not
        // an extern declaration: importing it from the host is no fix a
        // Rust user wants, adding its crate is.
        if rust_item.is_none() {
            import_fixes(u, allowed.as_ref(), list);
        }
        if list.is_empty() {
            list.push(add_definition(u, rust_item.as_deref()));
        }
    }
    out
}

/// A symbol that makes the link fail, as given or under the default policy.
pub fn fails(u: &UndefinedSymbol) -> bool {
    u.live && (u.fails_as_given || u.fails_by_default)
}

/// Explains the link of `config` changed by `change`; `None` when the
/// changed link cannot be read.
fn explain_with(config: &Config, cwd: &Path, change: impl FnOnce(&mut Config)) -> Option<Explanation> {
    let mut c = config.clone();
    change(&mut c);
    refld::explain::explain(&c, &refld::FileSystem { cwd: cwd.to_path_buf() }).ok()
}

/// Whether symbol `name` (failing in `before`) fails in `after`.
fn still_fails(after: &Explanation, name: &str) -> bool {
    after.undefined.iter().any(|u| u.name == name && fails(u))
}

/// What `after` reports that `before` did not: failing symbols and errors.
fn brought(before: &Explanation, after: &Explanation) -> Vec<String> {
    let mut out: Vec<String> = after
        .undefined
        .iter()
        .filter(|u| fails(u) && !before.undefined.iter().any(|b| b.name == u.name && fails(b)))
        .map(|u| format!("undefined symbol: {}", u.name))
        .collect();
    out.extend(after.other_errors.iter().filter(|m| !before.other_errors.contains(m)).map(|m| m.lines().next().unwrap_or_default().to_string()));
    out
}

/// The fixes `found` gives: linked with the link as `-L DIR -lNAME` (a
/// `libNAME.a`) or by its path, each symbol it defines that then no longer
/// fails gets the fix.
fn library_fixes(config: &Config, cwd: &Path, e: &Explanation, found: &Found, out: &mut BTreeMap<usize, Vec<Fix>>) {
    let file = found.path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let dir = found.path.parent().map(|d| d.to_string_lossy().to_string()).unwrap_or_default();
    let lib_name = file.strip_prefix("lib").and_then(|f| f.strip_suffix(".a")).map(str::to_string);
    let path = found.path.to_string_lossy().to_string();
    let Some(after) = explain_with(config, cwd, |c| match &lib_name {
        Some(name) => {
            c.search_paths.push(dir.clone());
            c.inputs.push(InputSpec::Library { name: name.clone(), whole_archive: false, dynamic: None });
        }
        None => c.inputs.push(InputSpec::File { path: path.clone(), whole_archive: false, lazy: false }),
    }) else {
        return;
    };
    let then = brought(e, &after);
    let label = found.label.map(|l| format!(" ({l})")).unwrap_or_default();
    let (rust, c, linker) = match &lib_name {
        Some(name) => (format!("-L native={dir} -l static={name}"), format!("-L{dir} -l{name}"), format!("-L{dir} -l{name}")),
        None if file.ends_with(".rlib") => {
            let krate = file.trim_start_matches("lib").split(['-', '.']).next().unwrap_or_default().to_string();
            (format!("add the crate `{krate}` as a dependency"), path.clone(), path.clone())
        }
        None => (format!("-C link-arg={path}"), path.clone(), path.clone()),
    };
    for (name, _, member) in &found.defines {
        let Some(i) = e.undefined.iter().position(|u| &u.name == name && fails(u)) else { continue };
        if still_fails(&after, name) {
            continue;
        }
        out.entry(i).or_default().push(Fix {
            kind: FixKind::Library,
            effect: format!("{member}{label} defines it"),
            rust: rust.clone(),
            c: c.clone(),
            linker: Some(linker.clone()),
            checked: true,
            then: then.clone(),
        });
    }
}

/// The import fixes of a symbol declared by extern code: the import
/// attributes on its declaration (checked with the name allowed,
/// `allowed`), `--import-undefined` and `--allow-undefined` (checked by the
/// symbol's fates under them). Undefined data has no import (a data
/// address has no host to come from): `--allow-undefined` would give it
/// address 0, which links and is no fix.
fn import_fixes(u: &UndefinedSymbol, allowed: Option<&Explanation>, list: &mut Vec<Fix>) {
    if u.kind == SymbolKind::Data {
        return;
    }
    let (module, field) = &u.import;
    let fate = |policy: &str| u.fates.iter().find(|f| f.policy == policy).map(|f| f.fate.clone()).unwrap_or_default();
    let imports = |policy: &str| fate(policy).starts_with("import ");
    if u.kind == SymbolKind::Function && allowed.is_some_and(|a| !still_fails(a, &u.name)) {
        list.push(Fix {
            kind: FixKind::ImportAttribute,
            effect: format!("imports it from the host as {module}.{field}"),
            rust: format!("#[link(wasm_import_module = \"{module}\")] on the extern block declaring {}", u.name),
            c: format!("__attribute__((import_module(\"{module}\"), import_name(\"{}\"))) on its declaration", u.name),
            linker: Some(format!("--allow-undefined-file=FILE with the line {}", u.name)),
            checked: true,
            then: Vec::new(),
        });
    }
    if imports("--import-undefined") {
        let or_allow = imports("--allow-undefined");
        list.push(Fix {
            kind: FixKind::ImportUndefined,
            effect: format!("imports every undefined function from the host, this one as {module}.{field}"),
            rust: format!("-C link-arg=--import-undefined{}", if or_allow { " (or -C link-arg=--allow-undefined)" } else { "" }),
            c: format!("-Wl,--import-undefined{}", if or_allow { " (or -Wl,--allow-undefined)" } else { "" }),
            linker: Some("--import-undefined".into()),
            checked: true,
            then: Vec::new(),
        });
    } else if imports("--allow-undefined") {
        list.push(Fix {
            kind: FixKind::AllowUndefined,
            effect: format!("imports every undefined function and global from the host, this one as {module}.{field}"),
            rust: "-C link-arg=--allow-undefined".into(),
            c: "-Wl,--allow-undefined".into(),
            linker: Some("--allow-undefined".into()),
            checked: true,
            then: Vec::new(),
        });
    }
}

/// The fix no file found could check: add what defines it, the crate a
/// Rust path names when it is one.
fn add_definition(u: &UndefinedSymbol, rust_item: Option<&str>) -> Fix {
    let rust = match rust_item.and_then(crate_of) {
        Some(krate) => format!("add the crate `{krate}` (it defines {}) to the build", rust_item.unwrap_or_default()),
        None => "add the crate or C library that defines it to the build".into(),
    };
    Fix {
        kind: FixKind::AddDefinition,
        effect: format!("defines {}; no file on this machine found defining it", rust_item.unwrap_or(&u.name)),
        rust,
        c: "add the object or C library that defines it (-lNAME)".into(),
        linker: None,
        checked: false,
        then: Vec::new(),
    }
}
