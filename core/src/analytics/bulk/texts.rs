//! A column of text read where its owner keeps it: a `Vec<String>`, an Arrow string array, or
//! the strings of a Python list or pandas column. No string is copied on the way in.
//!
//! ```
//! use journeystream::analytics::bulk::Texts;
//! let paths = Texts::from(vec!["a > b".to_string(), "b".to_string()]);
//! assert_eq!((paths.len(), paths.get(1)), (2, "b"));
//! assert_eq!(paths.iter().collect::<Vec<_>>(), ["a > b", "b"]);
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// Whatever holds the values of a [`Texts`] column. It must hand out the same values for as long
/// as it lives.
pub trait TextSource: Send + Sync {
    /// How many values.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Value `i` (`i < len()`).
    fn get(&self, i: usize) -> &str;
}

impl TextSource for Vec<String> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, i: usize) -> &str {
        &self[i]
    }
}

impl TextSource for [String] {
    fn len(&self) -> usize {
        <[String]>::len(self)
    }
    fn get(&self, i: usize) -> &str {
        &self[i]
    }
}

impl TextSource for Texts {
    fn len(&self) -> usize {
        Texts::len(self)
    }
    fn get(&self, i: usize) -> &str {
        Texts::get(self, i)
    }
}

/// A column of text (segment labels, paths), shared with whatever holds it: cloning it shares the
/// values.
#[derive(Clone)]
pub struct Texts(Arc<dyn TextSource>);

impl Texts {
    /// The text `source` holds.
    pub fn new(source: impl TextSource + 'static) -> Texts {
        Texts(Arc::new(source))
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i`.
    ///
    /// # Panics
    /// When `i` is out of bounds.
    pub fn get(&self, i: usize) -> &str {
        assert!(i < self.len(), "index {i} of {} texts", self.len());
        self.0.get(i)
    }

    /// The values in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.0.get(i))
    }

    /// The values, copied.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl From<Vec<String>> for Texts {
    fn from(values: Vec<String>) -> Texts {
        Texts::new(values)
    }
}

impl PartialEq for Texts {
    fn eq(&self, other: &Texts) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Texts {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Texts, D::Error> {
        Vec::<String>::deserialize(deserializer).map(Texts::from)
    }
}
