//! String interning: each distinct string stored once, referred to by a `u32` code.

use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A dictionary of distinct strings in first-seen order. Each string is stored once, shared by
/// the list and the lookup table, and results can hold it without copying ([`Interner::shared`]).
///
/// ```
/// use journeystream::log::Interner;
/// let mut names = Interner::default();
/// assert_eq!(names.intern("A"), 0);
/// assert_eq!(names.intern("B"), 1);
/// assert_eq!(names.intern("A"), 0);
/// assert_eq!(names.get(1), "B");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interner {
    names: Vec<Arc<str>>,
    codes: FxHashMap<Arc<str>, u32>,
}

impl Interner {
    /// The code of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&code) = self.codes.get(name) {
            return code;
        }
        let code = self.names.len() as u32;
        let name: Arc<str> = Arc::from(name);
        self.names.push(name.clone());
        self.codes.insert(name, code);
        code
    }

    /// The code of `name`, if known.
    pub fn code(&self, name: &str) -> Option<u32> {
        self.codes.get(name).copied()
    }

    /// The string of a code.
    pub fn get(&self, code: u32) -> &str {
        &self.names[code as usize]
    }

    /// The names of `codes` joined by ` > `: how paths and n-grams are written.
    pub fn path(&self, codes: &[u32]) -> String {
        codes
            .iter()
            .map(|&a| self.get(a))
            .collect::<Vec<_>>()
            .join(" > ")
    }

    /// The string of a code, shared (no copy).
    pub fn shared(&self, code: u32) -> Arc<str> {
        self.names[code as usize].clone()
    }

    /// All strings, by code.
    pub fn names(&self) -> &[Arc<str>] {
        &self.names
    }

    /// All strings, by code, as owned strings.
    pub fn to_strings(&self) -> Vec<String> {
        self.names.iter().map(|n| n.to_string()).collect()
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// For each code of `other`, the code of the same string here (added when new).
    pub fn absorb(&mut self, other: &Interner) -> Vec<u32> {
        other.names.iter().map(|n| self.intern(n)).collect()
    }

    /// Heap bytes held (each string's allocation with its two counters, the list, and the
    /// lookup table's buckets at hashbrown's 7/8 load).
    pub fn heap_bytes(&self) -> usize {
        let strings: usize = self
            .names
            .iter()
            .map(|n| (n.len() + 16).next_multiple_of(8))
            .sum();
        let bucket = std::mem::size_of::<(Arc<str>, u32)>() + 1;
        strings + self.names.capacity() * 16 + self.codes.capacity() * 8 / 7 * bucket
    }
}
