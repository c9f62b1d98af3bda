//! "did you mean" for undefined symbols (rule UND-HINT): the nearest defined
//! symbols of the same kind, by edit distance ignoring case and `_`.

use crate::resolve::{Def, Resolution, SymbolId};

fn normalize(s: &str) -> Vec<char> {
    s.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect()
}

/// Levenshtein distance between two character strings.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// UND-HINT: up to three defined symbols of the undefined symbol's kind
/// whose names are within a small edit distance (at most a third of the
/// name, at least 1) once case and `_` are ignored, nearest first, each
/// with the file that defines it: `(name, file)`.
pub fn suggestions(res: &Resolution, sid: SymbolId) -> Vec<(String, String)> {
    let sym = &res.table.symbols[sid];
    let want = normalize(&sym.name);
    let limit = (want.len() / 3).max(1);
    let mut found: Vec<(usize, String, String)> = Vec::new();
    for other in res.table.primaries().map(|o| &res.table.symbols[o]) {
        if other.kind != sym.kind || other.name == sym.name {
            continue;
        }
        let Def::Defined { file, .. } = other.def else { continue };
        let cand = normalize(&other.name);
        if cand.len().abs_diff(want.len()) > limit {
            continue;
        }
        let d = edit_distance(&want, &cand);
        if d <= limit {
            found.push((d, other.name.clone(), res.files[file].name.clone()));
        }
    }
    found.sort();
    found.into_iter().take(3).map(|(_, n, f)| (n, f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_ignores_nothing_itself() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("same", "same"), 0);
    }

    #[test]
    fn normalization_drops_case_and_underscores() {
        assert_eq!(normalize("MyLibrary_Init"), normalize("mylibraryinit"));
    }
}
