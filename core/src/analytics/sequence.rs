//! Activity sequences that share one store: a profile's variants point into the codes its
//! partial collected, so a million variants cost no million allocations (each is a range of one
//! shared array, its names shared with the log's dictionary).
//!
//! A [`Sequence`] reads like a list of activity names: `len`, `get`, indexing, `iter`, `join`;
//! it compares, prints and serializes as that list.
//!
//! ```
//! use journeystream::analytics::sequence::Sequence;
//! let s = Sequence::from_names(["visit", "cart", "buy"]);
//! assert_eq!((s.len(), &s[1]), (3, "cart"));
//! assert_eq!(s.join(" → "), "visit → cart → buy");
//! assert_eq!(serde_json::to_string(&s).unwrap(), r#"["visit","cart","buy"]"#);
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Index;
use std::sync::Arc;

/// Codes into a list of names, shared by every [`Sequence`] cut from it.
#[derive(Debug)]
pub(crate) struct SequenceStore {
    names: Vec<Arc<str>>,
    codes: Vec<u32>,
}

impl SequenceStore {
    /// A store of `codes` (each below `names.len()`).
    pub(crate) fn new(names: Vec<Arc<str>>, codes: Vec<u32>) -> Arc<SequenceStore> {
        debug_assert!(codes.iter().all(|&c| (c as usize) < names.len()));
        Arc::new(SequenceStore { names, codes })
    }
}

/// A sequence of activity names: a range of a shared store (cloning it copies no names).
#[derive(Clone)]
pub struct Sequence {
    store: Arc<SequenceStore>,
    start: usize,
    len: usize,
}

impl Sequence {
    /// The sequence of `store`'s codes `start..start + len`.
    pub(crate) fn new(store: &Arc<SequenceStore>, start: usize, len: usize) -> Sequence {
        assert!(start + len <= store.codes.len(), "range inside the store");
        Sequence {
            store: store.clone(),
            start,
            len,
        }
    }

    /// A sequence with its own store.
    pub fn from_names<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Sequence {
        let names: Vec<Arc<str>> = names.into_iter().map(|n| Arc::from(n.as_ref())).collect();
        let codes = (0..names.len() as u32).collect();
        let len = names.len();
        Sequence::new(&SequenceStore::new(names, codes), 0, len)
    }

    /// Number of activities.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn codes(&self) -> &[u32] {
        &self.store.codes[self.start..self.start + self.len]
    }

    /// The `i`-th activity, if any.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.codes().get(i).map(|&c| &*self.store.names[c as usize])
    }

    /// The activities, first to last.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        self.codes().iter().map(|&c| &*self.store.names[c as usize])
    }

    /// The activities as shared strings.
    pub fn to_vec(&self) -> Vec<Arc<str>> {
        self.codes()
            .iter()
            .map(|&c| self.store.names[c as usize].clone())
            .collect()
    }

    /// The activities joined by `separator`.
    pub fn join(&self, separator: &str) -> String {
        self.iter().collect::<Vec<_>>().join(separator)
    }
}

impl Index<usize> for Sequence {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        let len = self.len;
        self.get(i)
            .unwrap_or_else(|| panic!("activity {i} of a sequence of {len}"))
    }
}

impl<'a> IntoIterator for &'a Sequence {
    type Item = &'a str;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = &'a str> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl PartialEq for Sequence {
    fn eq(&self, other: &Sequence) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for Sequence {}

impl PartialOrd for Sequence {
    fn partial_cmp(&self, other: &Sequence) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Sequence {
    /// By names, as lists of strings compare.
    fn cmp(&self, other: &Sequence) -> std::cmp::Ordering {
        self.iter().cmp(other.iter())
    }
}

impl std::hash::Hash for Sequence {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.len.hash(state);
        for name in self.iter() {
            name.hash(state);
        }
    }
}

impl fmt::Debug for Sequence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Sequence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Sequence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Sequence, D::Error> {
        Vec::<String>::deserialize(deserializer).map(Sequence::from_names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_of_one_store_read_as_their_names() {
        let names: Vec<Arc<str>> = ["a", "b", "c"].into_iter().map(Arc::from).collect();
        let store = SequenceStore::new(names, vec![2, 0, 1, 1, 0]);
        let (x, y) = (Sequence::new(&store, 0, 3), Sequence::new(&store, 2, 3));
        assert_eq!(x.iter().collect::<Vec<_>>(), ["c", "a", "b"]);
        assert_eq!(y.join(","), "b,b,a");
        assert_eq!(x, Sequence::from_names(["c", "a", "b"]));
        assert_ne!(x, y);
        assert!(y < x, "compared by names: b < c");
        assert_eq!((x.get(3), &y[2]), (None, "a"));
        assert_eq!(format!("{x:?}"), r#"["c", "a", "b"]"#);
        assert_eq!(&*x.to_vec()[0], "c");
        let back: Sequence = serde_json::from_str(&serde_json::to_string(&y).unwrap()).unwrap();
        assert_eq!(back, y);
        assert!(Sequence::new(&store, 5, 0).is_empty());
    }

    #[test]
    #[should_panic(expected = "activity 3 of a sequence of 3")]
    fn indexing_past_the_end_names_the_index() {
        let _ = &Sequence::from_names(["a", "b", "c"])[3];
    }
}
