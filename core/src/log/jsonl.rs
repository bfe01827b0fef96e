//! JSON Lines event logs: one JSON object (one event) a line, plain or gzipped, streaming.
//!
//! Keys map to roles exactly as CSV columns do (see [`super::csv`] for the default names and the
//! [`ColumnMapping`]); a line may use any of a role's default names, the first present wins, and
//! those alternative names are never kept as attributes. Values keep their JSON types: strings
//! are text (not inferred), integers, decimals, booleans; `null` and absent keys are null.
//! Timestamps are strings in the [`TimestampFormat`], or numbers for the epoch formats (decimal
//! numbers are `f64`: exact to about a microsecond for seconds; write finer values as integers or
//! strings). Nested objects and arrays are kept as attributes holding their compact JSON text;
//! in a role (case id, activity, timestamps, value) they are an error. A case id or activity
//! given as a number or boolean is read as its text.
//!
//! Blank lines are skipped and not counted; the line numbers in errors are physical lines of the
//! file (the first is line 1). Errors and [`OnBadRow`] work as for CSV: a line that is not a JSON
//! object, lacks a required key, or has a bad timestamp or number is an [`Error::Input`] naming
//! the line, the key and the value, or is skipped and counted in the [`ReadReport`].
//!
//! ```
//! use journeystream::log::jsonl::{read_jsonl, JsonlOptions};
//! use journeystream::log::timeformat::TimestampFormat;
//! let text = r#"{"case": 17, "activity": "visit", "timestamp": 1709285400, "device": {"os": "ios"}}
//!
//! {"case": 17, "activity": "buy", "timestamp": 1709289000.5, "amount": 12.5}
//! "#;
//! let options = JsonlOptions { timestamp_format: TimestampFormat::EpochSeconds, ..JsonlOptions::default() };
//! let (log, report) = read_jsonl(text.as_bytes(), options)?;
//! assert_eq!((log.num_events(), report.rows_read), (2, 2));
//! assert_eq!(log.case(0).id(), "17");
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::csv::{Cell, ColumnMapping, Loader, Row};
use super::read::{failed_read, open, Input, OnBadRow, Progress, ReadReport};
use super::timeformat::{TimeZone, TimestampFormat};
use super::EventLog;
use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Options of the JSON Lines reader.
pub struct JsonlOptions<'a> {
    /// Which keys hold the case id, activity, timestamps and the other roles.
    pub columns: ColumnMapping,
    pub timestamp_format: TimestampFormat,
    /// The zone of timestamps written without an offset.
    pub time_zone: TimeZone,
    /// Keep the other keys as attributes (`case:X` keys as case attribute `X`) (`true`).
    pub attributes: bool,
    pub on_bad_row: OnBadRow,
    /// Called with the input bytes read so far (compressed bytes for .jsonl.gz).
    pub progress: Option<Progress<'a>>,
}

impl Default for JsonlOptions<'_> {
    fn default() -> Self {
        JsonlOptions {
            columns: ColumnMapping::default(),
            timestamp_format: TimestampFormat::default(),
            time_zone: TimeZone::default(),
            attributes: true,
            on_bad_row: OnBadRow::Fail,
            progress: None,
        }
    }
}

/// Reads a `.jsonl` or gzipped JSON Lines file (recognised by its first bytes); errors name the
/// file.
///
/// ```no_run
/// use journeystream::log::jsonl::{read_jsonl_file, JsonlOptions};
/// let (log, _) = read_jsonl_file("events.jsonl.gz", JsonlOptions::default())?;
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn read_jsonl_file(
    path: impl AsRef<Path>,
    mut options: JsonlOptions<'_>,
) -> Result<(EventLog, ReadReport)> {
    let path = path.as_ref();
    let input = open(path, options.progress.take())?;
    read_jsonl(input, options).map_err(|e| failed_read(e, path.display().to_string()))
}

/// Reads JSON Lines from any reader (gunzip it first when compressed).
///
/// ```
/// use journeystream::log::jsonl::{read_jsonl, JsonlOptions};
/// let text = "{\"case\": \"c1\", \"activity\": \"a\"}\n";
/// let err = read_jsonl(text.as_bytes(), JsonlOptions::default()).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "line 1, field 'time:timestamp': the event has no 'time:timestamp' (nor 'timestamp')"
/// );
/// ```
pub fn read_jsonl<R: Read>(
    input: R,
    mut options: JsonlOptions<'_>,
) -> Result<(EventLog, ReadReport)> {
    let input = Input::new(input, options.progress.take());
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut loader = Loader::new(
        options.columns,
        &options.timestamp_format,
        &options.time_zone,
        options.attributes,
        options.on_bad_row,
    )?;
    let mut slots: FxHashMap<String, usize> = FxHashMap::default();
    let mut buf = Vec::with_capacity(1024);
    let (mut line, mut saw_event) = (0u64, false);
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::Input {
                location: format!("line {}", line + 1),
                field: None,
                value: None,
                message: format!("cannot read the input: {e}"),
            })?;
        reader.get_mut().mark();
        if n == 0 {
            break;
        }
        line += 1;
        let text = if line == 1 {
            buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&buf)
        } else {
            &buf[..]
        };
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        saw_event = true;
        let fields = match serde_json::from_slice::<Fields<'_>>(text) {
            Ok(fields) => fields,
            Err(e) => {
                loader.report.rows_read += 1;
                loader.bad(json_error(line, &e))?;
                continue;
            }
        };
        let mut added = false;
        let found: Vec<usize> = fields
            .0
            .iter()
            .map(|(key, _)| match slots.get(key.as_ref()) {
                Some(&slot) => slot,
                None => {
                    let slot = loader.add_column(key);
                    slots.insert(key.to_string(), slot);
                    added = true;
                    slot
                }
            })
            .collect();
        if added {
            loader.resolve(true);
        }
        let mut cells = vec![Cell::Missing; loader.width()];
        for ((_, value), slot) in fields.0.iter().zip(found) {
            cells[slot] = value.cell();
        }
        loader.row(line, &JsonRow(&cells))?;
    }
    if !saw_event {
        return Err(Error::Input {
            location: "line 1".into(),
            field: None,
            value: None,
            message: "the file is empty: expected one JSON object (one event) per line".into(),
        });
    }
    loader.finish()
}

fn json_error(line: u64, e: &serde_json::Error) -> Error {
    let full = e.to_string();
    let reason = full.rsplit_once(" at line ").map_or(&full[..], |(r, _)| r);
    let message = match e.classify() {
        serde_json::error::Category::Data => {
            format!("expected a JSON object (one event): {reason}")
        }
        serde_json::error::Category::Eof => {
            format!("invalid JSON: {reason} (the line ends too early)")
        }
        _ => format!("invalid JSON at column {}: {reason}", e.column()),
    };
    Error::Input {
        location: format!("line {line}"),
        field: None,
        value: None,
        message,
    }
}

struct JsonRow<'a>(&'a [Cell<'a>]);

impl Row for JsonRow<'_> {
    fn cell(&self, slot: usize) -> Cell<'_> {
        self.0.get(slot).copied().unwrap_or(Cell::Missing)
    }
}

/// The top-level fields of one line, borrowing from it where no escapes were decoded.
struct Fields<'a>(Vec<(Cow<'a, str>, Value<'a>)>);

enum Value<'a> {
    Null,
    Text(Cow<'a, str>),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A nested object or array, as compact JSON.
    Json(String),
}

impl Value<'_> {
    fn cell(&self) -> Cell<'_> {
        match self {
            Value::Null => Cell::Null,
            Value::Text(s) => Cell::Text(s),
            Value::Integer(n) => Cell::Integer(*n),
            Value::Float(x) => Cell::Float(*x),
            Value::Bool(b) => Cell::Bool(*b),
            Value::Json(j) => Cell::Json(j),
        }
    }
}

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object with the event's fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                // A repeated key is kept twice; the last one fills the cell, as in JavaScript.
                while let Some((Key(k), v)) = map.next_entry::<Key<'de>, Value<'de>>()? {
                    fields.push((k, v));
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(V)
    }
}

struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Value<'de>, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value<'de>, E> {
                Ok(Value::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Value<'de>, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Value<'de>, E> {
                Ok(Value::Integer(n))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Value<'de>, E> {
                Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Integer))
            }
            fn visit_f64<E>(self, x: f64) -> Result<Value<'de>, E> {
                Ok(Value::Float(x))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value<'de>, E> {
                Ok(Value::Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Value<'de>, E> {
                Ok(Value::Text(Cow::Owned(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<Value<'de>, E> {
                Ok(Value::Text(Cow::Owned(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value<'de>, A::Error> {
                let v = serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(Value::Json(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value<'de>, A::Error> {
                let v = serde_json::Value::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Value::Json(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::AttrValue;

    fn read(text: &str) -> Result<(EventLog, ReadReport)> {
        read_jsonl(text.as_bytes(), JsonlOptions::default())
    }

    #[test]
    fn typed_values_nested_text_and_case_attributes() {
        let text = concat!(
            r#"{"case:concept:name":"c1","concept:name":"a","time:timestamp":"2024-01-01T10:00:00Z","#,
            r#""n":3,"x":1.5,"ok":true,"none":null,"tags":["a",1],"s":"42","case:tier":"gold"}"#,
            "\n",
            r#"{"case:concept:name":"c1","concept:name":"b\u00e9","time:timestamp":"2024-01-01T11:00:00Z","n":4.5}"#,
        );
        let (log, report) = read(text).unwrap();
        assert_eq!((log.num_events(), report.rows_read), (2, 2));
        let get = |name: &str, i| log.event_attribute(name).unwrap().get(i);
        assert_eq!(get("n", 0), Some(AttrValue::Number(3.0)));
        assert_eq!(get("n", 1), Some(AttrValue::Number(4.5)));
        assert_eq!(get("x", 0), Some(AttrValue::Number(1.5)));
        assert_eq!(get("ok", 0), Some(AttrValue::Bool(true)));
        assert_eq!(get("s", 0), Some(AttrValue::Text("42")));
        assert_eq!(get("tags", 0), Some(AttrValue::Text(r#"["a",1]"#)));
        assert!(log.event_attribute("none").is_none());
        assert_eq!(
            log.case(0).activity_names().collect::<Vec<_>>(),
            ["a", "bé"]
        );
        assert_eq!(
            log.case_attribute("tier").unwrap().get(0),
            Some(AttrValue::Text("gold"))
        );
    }

    #[test]
    fn bad_lines_name_their_line_or_are_counted() {
        let text = "\n{\"case\":\"c\",\"activity\":\"a\",\"timestamp\":\"2024-01-01\"}\n\
                    {\"case\":\"c\",\"activity\":\"b\",\"timestamp\":\"2024-01-01\"\n\
                    [1,2]\n\
                    {\"case\":\"c\",\"activity\":{\"x\":1},\"timestamp\":\"2024-01-01\"}\n\
                    {\"case\":\"c\",\"activity\":\"a\",\"timestamp\":true}\n";
        let options = JsonlOptions {
            on_bad_row: OnBadRow::SkipAndReport,
            ..JsonlOptions::default()
        };
        let (log, report) = read_jsonl(text.as_bytes(), options).unwrap();
        assert_eq!(
            (log.num_events(), report.rows_read, report.rows_skipped),
            (1, 5, 4)
        );
        let messages: Vec<String> = report.examples.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages[0],
            "line 3: invalid JSON: EOF while parsing an object (the line ends too early)"
        );
        assert_eq!(
            messages[1],
            "line 4: expected a JSON object (one event): invalid type: sequence, expected a \
             JSON object with the event's fields"
        );
        assert_eq!(
            messages[2],
            "line 5, field 'activity': the activity must be text, not a JSON object or array"
        );
        assert!(
            messages[3].starts_with(
                "line 6, field 'timestamp': 'true' is not a valid timestamp: expected"
            ),
            "{}",
            messages[3]
        );
        let err = read(text).unwrap_err();
        assert_eq!(err.to_string(), messages[0]);
    }

    #[test]
    fn empty_input_is_an_error() {
        let err = read(" \n\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: the file is empty: expected one JSON object (one event) per line"
        );
    }

    #[test]
    fn first_present_alternative_name_wins() {
        let text = "{\"case_id\":\"x\",\"activity\":\"a\",\"timestamp\":\"2024-01-01\"}\n\
                    {\"case:concept:name\":\"y\",\"case\":\"ignored\",\"concept:name\":\"a\",\"time:timestamp\":\"2024-01-02\"}\n";
        let (log, _) = read(text).unwrap();
        let ids: Vec<&str> = log.cases().map(|c| c.id()).collect();
        assert_eq!(ids, ["x", "y"]);
        assert_eq!(log.event_attribute_names().count(), 0);
    }
}
