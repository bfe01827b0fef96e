//! String interning: each distinct string stored once, referred to by a `u32` code.

use rustc_hash::FxHashMap;

/// A dictionary of distinct strings in first-seen order.
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
    names: Vec<String>,
    codes: FxHashMap<String, u32>,
}

impl Interner {
    /// The code of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&code) = self.codes.get(name) {
            return code;
        }
        let code = self.names.len() as u32;
        self.names.push(name.to_string());
        self.codes.insert(name.to_string(), code);
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

    /// All strings, by code.
    pub fn names(&self) -> &[String] {
        &self.names
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

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.names
            .iter()
            .map(|n| 2 * n.capacity() + 48)
            .sum::<usize>()
            + self.names.capacity() * 24
    }
}
