//! Reading JSON text into typed values, with errors that say where.

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;

/// Parses `text` as a `T`. A wrong field is an [`Error::Parse`] with its JSON path
/// (`stages[2].id`); a syntax error has the line and column instead. `what` names the thing
/// expected in messages for text that is not a JSON object ("a document", "a request").
///
/// ```
/// use journeystream::json::from_str;
/// let e = from_str::<std::collections::BTreeMap<String, u32>>(r#"{"a": -1}"#, "a table").unwrap_err();
/// assert_eq!(e.path(), Some("a"));
/// ```
pub fn from_str<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let at_start = |message: String| Error::Parse {
        path: String::new(),
        line: 1,
        column: 1,
        message,
    };
    if text.trim().is_empty() {
        return Err(at_start(format!("{what} is empty")));
    }
    if !text.trim_start().starts_with('{') {
        return Err(at_start(format!("{what} is a JSON object")));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // A syntax error has no field yet: its line and column are the location.
        let path = if inner.classify() == serde_json::error::Category::Data && path != "." {
            path
        } else {
            String::new()
        };
        Error::Parse {
            path,
            line: inner.line(),
            column: inner.column(),
            message: strip_position(&inner.to_string()),
        }
    })?;
    de.end().map_err(|e| Error::Parse {
        path: String::new(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

/// serde_json's message without its " at line L column C" tail (the error carries those).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
