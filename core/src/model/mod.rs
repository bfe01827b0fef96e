//! The map document: a journey, the value stream behind it, and a plan to change it.
//!
//! Documents are JSON. Loading parses, then validates: every problem is an [`Error`] that names
//! the JSON path of the field and the bad value. Writing a loaded document back is lossless.

mod journey;
pub(crate) mod open_enum;
mod plan;
pub mod routing;
mod validate;
mod value_stream;

pub use journey::*;
pub use plan::*;
pub use value_stream::*;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The current document format version.
pub const FORMAT_VERSION: u32 = 1;

/// serde: leave empty lists out of documents.
fn is_empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

/// A journeystream document: any of a journey, its value stream and a plan.
///
/// ```
/// use journeystream::Map;
/// let map = Map::from_json(r#"{
///   "value_stream": {"id": "vs", "name": "Order", "time_basis": {"days": "calendar"},
///     "steps": [{"id": "pick", "name": "Pick", "process_time": "5min", "wait": "2h"},
///               {"id": "ship", "name": "Ship", "process_time": "10min", "wait": "1d"}]}
/// }"#).unwrap();
/// assert_eq!(map.value_stream.as_ref().unwrap().steps.len(), 2);
/// assert_eq!(Map::from_json(&map.to_json()).unwrap(), map);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// Document format version.
    #[serde(default = "format_version")]
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journey: Option<Journey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_stream: Option<ValueStream>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
}

impl Default for Map {
    /// An empty document of the current format version.
    fn default() -> Self {
        Map {
            version: FORMAT_VERSION,
            journey: None,
            value_stream: None,
            plan: None,
        }
    }
}

impl Map {
    /// Parses and validates a JSON document.
    pub fn from_json(text: &str) -> Result<Map> {
        let map = Self::parse_json(text)?;
        map.validate()?;
        Ok(map)
    }

    /// Reads, parses and validates a JSON document file; errors name the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Map> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            file: file.clone(),
            message: e.to_string(),
        })?;
        Map::from_json(&text).map_err(|e| e.in_file(file))
    }

    /// Parses a JSON document without validating it.
    pub fn parse_json(text: &str) -> Result<Map> {
        crate::json::from_str(text, "the document")
    }

    /// The first problem of the document, if any.
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every problem of the document, in document order.
    pub fn problems(&self) -> Vec<Error> {
        validate::problems(self)
    }

    /// The document as pretty JSON (canonical: defaults written out, empty lists left out).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a map always serializes")
    }

    /// Writes the document as JSON.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json() + "\n").map_err(|e| Error::Io {
            file: path.display().to_string(),
            message: e.to_string(),
        })
    }
}
