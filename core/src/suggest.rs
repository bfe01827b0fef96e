//! "Did you mean": the closest of the names that exist to one that does not, for errors that
//! name a field, a table, an activity or an attribute.
//!
//! ```
//! use journeystream::suggest::closest;
//! assert_eq!(closest("scors", &["scores", "segments"]), Some("scores"));
//! assert_eq!(closest("dgf", &["dfg", "variants"]), Some("dfg")); // a swap counts once
//! assert_eq!(closest("zzz", &["scores"]), None);
//! assert_eq!(closest("d", &["b"]), None); // one letter is not a typo of another
//! ```

/// The closest of `names` to `name`: edit distance (insertions, deletions, substitutions and
/// swaps of neighbours) at most a third of the name's length, and at least 1, but less than the
/// length (one letter is not a typo of another); ties go to the first.
pub fn closest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let length = name.chars().count();
    let limit = (length / 3).max(1);
    names
        .iter()
        .map(|n| (edit_distance(name, n), *n))
        .filter(|(d, _)| *d <= limit && *d < length)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Why `name` is not one of `names`, for an error's reason: "is not {what}; did you mean 'x'?
/// ({listing}: a, b, ...)", at most [`LISTED`] names listed (the closest first when there are
/// more).
///
/// ```
/// use journeystream::suggest::not_one_of;
/// assert_eq!(not_one_of("scors", "a table", "tables", &["scores", "segments"]),
///            "is not a table; did you mean 'scores'? (tables: scores, segments)");
/// assert_eq!(not_one_of("x", "a table", "tables", &[]), "is not a table (there are none)");
/// ```
pub fn not_one_of(name: &str, what: &str, listing: &str, names: &[&str]) -> String {
    if names.is_empty() {
        return format!("is not {what} (there are none)");
    }
    let hint = closest(name, names)
        .map(|c| format!("; did you mean '{c}'?"))
        .unwrap_or_default();
    let mut shown: Vec<&str> = names.to_vec();
    let more = shown.len().saturating_sub(LISTED);
    if more > 0 {
        shown.sort_by_cached_key(|n| edit_distance(name, n));
        shown.truncate(LISTED);
    }
    let tail = if more > 0 {
        format!(", and {more} more")
    } else {
        String::new()
    };
    format!(
        "is not {what}{hint} ({listing}: {}{tail})",
        shown.join(", ")
    )
}

/// How many names [`not_one_of`] lists.
pub const LISTED: usize = 12;

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
