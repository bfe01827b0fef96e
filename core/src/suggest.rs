//! "Did you mean": the closest of the names that exist to one that does not, for errors that
//! name a field, a table, an activity or an attribute.
//!
//! ```
//! use journeystream::suggest::closest;
//! assert_eq!(closest("scors", &["scores", "segments"]), Some("scores"));
//! assert_eq!(closest("dgf", &["dfg", "variants"]), Some("dfg")); // a swap counts once
//! assert_eq!(closest("zzz", &["scores"]), None);
//! ```

/// The closest of `names` to `name`: edit distance (insertions, deletions, substitutions and
/// swaps of neighbours) at most a third of the name's length, and at least 1; ties go to the
/// first.
pub fn closest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    names
        .iter()
        .map(|n| (edit_distance(name, n), *n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// The optimal-string-alignment distance between `a` and `b` (Levenshtein plus swaps of
/// neighbouring characters), in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: two back (for swaps), the previous and the current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_by_hand() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("ca", "abc"), 3); // OSA, not unrestricted Damerau (2)
        assert_eq!(edit_distance("resolutoin", "resolution"), 1);
        assert_eq!(edit_distance("über", "uber"), 1);
    }
}
