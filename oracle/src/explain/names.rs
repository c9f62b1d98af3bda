//! Names as their writers know them: Rust symbols demangled (legacy
//! `_ZN…17h<hash>E` and v0 `_R…`, by rustc-demangle), and which language a
//! reference comes from, so that a fix is worded for the person who wrote
//! the code (a Rust user acts on `#[link(...)]`, a C user on `__attribute__`).
//! C++'s `_Z` names are left as they are.

use refld::explain::UndefinedSymbol;

/// The language the references of a symbol come from, as far as the
/// objects tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// rustc's objects (`processed-by: rustc` in `producers`), or code
    /// whose names are Rust-mangled.
    Rust,
    /// clang's objects (`processed-by: Debian clang`, `language: C11`,
    /// `C++14`, ...): the clang spellings of a fix apply to C and C++ alike.
    C,
    /// Nothing tells (objects without a `producers` section and with plain
    /// names, such as hand-assembled ones).
    Unknown,
}

impl Language {
    /// `rust`, `c` or `unknown` (the JSON spelling).
    pub fn word(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::C => "c",
            Language::Unknown => "unknown",
        }
    }
}

/// The readable path of a Rust-mangled symbol without its hash or crate
/// disambiguator (`a::inner::helper` for legacy
/// `_ZN1a5inner6helper17hc7eea512f2c5992eE` and for v0
/// `_RNvNtCs4Q2Qx8jI5j6_1a5inner6helper`); `None` for every other name.
pub fn demangle_rust(name: &str) -> Option<String> {
    let demangled = rustc_demangle::try_demangle(name).ok()?;
    // rustc-demangle reads any `_ZN…E` as a legacy Rust name, and C++
    // writes such names too (`_ZN3foo3barE`, a variable in a namespace):
    // only the hash element rustc appends makes a legacy name Rust's.
    if !name.starts_with("_R") && !has_legacy_hash(name) {
        return None;
    }
    Some(format!("{demangled:#}"))
}

/// rustc's legacy hash element: `17h` and 16 hex digits, right before the
/// closing `E` (an LLVM suffix such as `.llvm.123` may follow).
fn has_legacy_hash(name: &str) -> bool {
    let end = name.find('.').unwrap_or(name.len());
    let Some(body) = name[..end].strip_suffix('E').map(str::as_bytes) else { return false };
    let n = body.len();
    n > 19 && &body[n - 19..n - 16] == b"17h" && body[n - 16..].iter().all(u8::is_ascii_hexdigit)
}

/// The crate a demangled Rust path starts in: `other` for `other::foo` and
/// for `<other::Thing as core::Trait>::run`.
pub fn crate_of(demangled: &str) -> Option<&str> {
    let path = demangled.trim_start_matches(['<', '&', '*']).trim_start_matches("mut ").trim_start_matches("dyn ");
    let end = path.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(path.len());
    (end > 0 && path[end..].starts_with("::")).then(|| &path[..end])
}

/// Which language the symbol's references come from: the referencing
/// objects' `producers` first (rustc, clang), then the Rust mangling of
/// the functions holding the references, then of the symbol itself.
pub fn language(u: &UndefinedSymbol) -> Language {
    let producers = || u.referrers.iter().flat_map(|r| r.producers.iter());
    if producers().any(|p| p == "rustc" || p == "Rust") {
        return Language::Rust;
    }
    // clang writes its name as its distributor spells it (`Debian clang`,
    // `Apple clang`), and `language` (`C11`, `C++17`) only with debug info.
    if producers().any(|p| p.contains("clang") || p.starts_with('C')) {
        return Language::C;
    }
    if u.referrers.iter().any(|r| demangle_rust(&r.within).is_some()) || demangle_rust(&u.name).is_some() {
        return Language::Rust;
    }
    Language::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_and_v0_names_demangle_without_hash() {
        assert_eq!(demangle_rust("_ZN1a5inner6helper17hc7eea512f2c5992eE").as_deref(), Some("a::inner::helper"));
        assert_eq!(demangle_rust("_RNvNtCs4Q2Qx8jI5j6_1a5inner6helper").as_deref(), Some("a::inner::helper"));
        assert_eq!(demangle_rust("_ZN1a5inner6helper17hc7eea512f2c5992eE.llvm.42").as_deref(), Some("a::inner::helper"));
    }

    #[test]
    fn c_and_cpp_names_stay() {
        for name in ["host_log", "_ZN3foo3barE", "_ZN3foo3barEv", "_Z3fooi", "_Rfoo", "main"] {
            assert_eq!(demangle_rust(name), None, "{name}");
        }
    }

    #[test]
    fn crate_is_the_first_path_element() {
        assert_eq!(crate_of("other::foo"), Some("other"));
        assert_eq!(crate_of("<other::Thing as core::ops::Drop>::drop"), Some("other"));
        assert_eq!(crate_of("foo"), None);
    }
}
