//! Event logs in and out as Arrow: any stream of record batches becomes an [`EventLog`] (the case,
//! activity and timestamp columns by name, every other column an attribute, typed as the CSV
//! reader types its cells), and a log becomes one record batch with the same layout, so that
//! `import(export(log)) == log`. Both bindings (Python `__arrow_c_stream__`, C) read and write logs
//! through these two functions.
//!
//! - `case` and `activity`: text (plain, large, view or dictionary-encoded) or integers;
//! - `timestamp` and `start_timestamp`: timestamps of any unit (with or without a zone: the
//!   instant), dates (midnight UTC), or RFC 3339 text; a null start is "no start time";
//! - every other column, as [`LogColumns::attributes`] says: named `case:X`, or listed in
//!   [`LogColumns::case_attributes`], a case attribute (the case's last non-null value wins);
//!   otherwise an event attribute of its own name. Text is text; integers are integers (an
//!   unsigned value past `i64::MAX` is an error naming the row); floats are numbers (NaN is null,
//!   as pandas writes a missing float); booleans; timestamps and dates are times. A column of
//!   nulls only (Arrow's null type) is left out: it holds nothing. Another type (lists, structs,
//!   binary, decimals) is an error naming the column, unless the attributes kept leave it out.
//!
//! ```
//! use arrow_array::{ArrayRef, Float64Array, RecordBatch, RecordBatchIterator, StringArray, TimestampSecondArray};
//! use journeystream::columnar::log::{export, import, LogColumns};
//! use std::sync::Arc;
//! let columns: Vec<(&str, ArrayRef)> = vec![
//!     ("case:concept:name", Arc::new(StringArray::from(vec!["c1", "c1"]))),
//!     ("concept:name", Arc::new(StringArray::from(vec!["visit", "buy"]))),
//!     ("time:timestamp", Arc::new(TimestampSecondArray::from(vec![0, 60]))),
//!     ("channel", Arc::new(StringArray::from(vec!["web", "app"]))),
//!     ("case:plan", Arc::new(StringArray::from(vec![Some("pro"), None]))),
//!     ("amount", Arc::new(Float64Array::from(vec![None, Some(12.5)]))),
//! ];
//! let batch = RecordBatch::try_from_iter(columns).unwrap();
//! let schema = batch.schema();
//! let log = import(RecordBatchIterator::new([Ok(batch)], schema), &LogColumns::default())?;
//! assert!(log.event_attribute("channel").is_some() && log.event_attribute("amount").is_some());
//! assert!(log.case_attribute("plan").is_some());
//! let back = export(&log)?;
//! let schema = back.schema();
//! assert_eq!(import(RecordBatchIterator::new([Ok(back)], schema), &LogColumns::default())?, log);
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::log::timestamp::parse_rfc3339;
use crate::log::{AttrValue, Column as LogColumn, EventLog, LogBuilder, NO_CODE};
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, RecordBatch, RecordBatchOptions, RecordBatchReader,
    StringArray, TimestampNanosecondArray, UInt32Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, TimeUnit};
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;

/// The XES standard keys, as pm4py names a log's DataFrame columns.
pub const CASE: &str = "case:concept:name";
/// The activity column's default name.
pub const ACTIVITY: &str = "concept:name";
/// The (completion) timestamp column's default name.
pub const TIMESTAMP: &str = "time:timestamp";
/// The start timestamp column [`export`] writes when the log has start times.
pub const START_TIMESTAMP: &str = "start_timestamp";

/// Which columns kept besides case, activity and times become attributes; as data (JSON), `true`
/// (all), `false` (none) or a list of names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "AttributesSpec")]
pub enum Attributes {
    /// Every other column (the default).
    #[default]
    All,
    /// None.
    None,
    /// These columns (each must exist).
    Only(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AttributesSpec {
    All(bool),
    Only(Vec<String>),
}

impl From<AttributesSpec> for Attributes {
    fn from(spec: AttributesSpec) -> Self {
        match spec {
            AttributesSpec::All(true) => Attributes::All,
            AttributesSpec::All(false) => Attributes::None,
            AttributesSpec::Only(names) if names.is_empty() => Attributes::None,
            AttributesSpec::Only(names) => Attributes::Only(names),
        }
    }
}

/// Which column is what; see the [module documentation](self). As data (the C binding's JSON),
/// every field is optional: `{"case": "ticket", "attributes": ["channel"], "case_attributes":
/// ["plan"]}`; an unknown field is an error naming it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogColumns {
    pub case: String,
    pub activity: String,
    pub timestamp: String,
    pub start_timestamp: Option<String>,
    pub attributes: Attributes,
    /// Columns kept as case attributes under their own name (besides those named `case:X`).
    pub case_attributes: Vec<String>,
}

impl Default for LogColumns {
    fn default() -> Self {
        LogColumns {
            case: CASE.into(),
            activity: ACTIVITY.into(),
            timestamp: TIMESTAMP.into(),
            start_timestamp: None,
            attributes: Attributes::All,
            case_attributes: Vec::new(),
        }
    }
}

fn input(location: String, field: &str, value: Option<String>, message: String) -> Error {
    Error::Input {
        location,
        field: Some(field.to_string()),
        value,
        message,
    }
}

fn null_error(field: &str, row: usize) -> Error {
    input(
        format!("row {row}"),
        field,
        None,
        "null in a required column".into(),
    )
}

fn stream_error(e: impl std::fmt::Display) -> Error {
    Error::Input {
        location: "arrow stream".into(),
        field: None,
        value: None,
        message: e.to_string(),
    }
}

/// A column named in `columns` that the table does not have: the closest names suggested.
fn missing(name: &str, names: &[&str]) -> Error {
    let hint = crate::suggest::closest(name, names)
        .map(|c| format!("did you mean '{c}'? "))
        .unwrap_or_default();
    input(
        "schema".into(),
        name,
        None,
        format!(
            "no column '{name}'; {hint}the columns are: {}",
            names.join(", ")
        ),
    )
}

/// What a column may hold.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// Case ids, activities: text or integers (dictionary-encoded or not).
    Text,
    /// Timestamps of any unit (with or without a zone), dates, or RFC 3339 text.
    Time,
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn accepts(role: Role, t: &DataType) -> bool {
    match (role, t) {
        (Role::Text, DataType::Dictionary(_, v)) => is_text(v) || v.is_integer(),
        (Role::Text, t) => is_text(t) || t.is_integer(),
        (Role::Time, DataType::Timestamp(..) | DataType::Date32 | DataType::Date64) => true,
        (Role::Time, t) => is_text(t),
    }
}

/// Where an attribute column's values go.
enum Target {
    Event(String),
    Case(String),
}

/// How an attribute column's values are read.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Integer,
    Number,
    Bool,
    Time,
}

fn attribute_kind(t: &DataType) -> Option<Kind> {
    Some(match t {
        DataType::Dictionary(_, v) if is_text(v) => Kind::Text,
        t if is_text(t) => Kind::Text,
        t if t.is_integer() => Kind::Integer,
        DataType::Float16 | DataType::Float32 | DataType::Float64 => Kind::Number,
        DataType::Boolean => Kind::Bool,
        DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 => Kind::Time,
        _ => return None,
    })
}

/// Reads a log from record batches (a Python `__arrow_c_stream__`, a C `ArrowArrayStream`, or
/// batches in Rust); see the [module documentation](self). Errors name the column and the row
/// (0-based, counted across batches).
pub fn import(reader: impl RecordBatchReader, columns: &LogColumns) -> Result<EventLog> {
    let schema = reader.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let find = |name: &str, role: Role| -> Result<usize> {
        let i = names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| missing(name, &names))?;
        let t = schema.field(i).data_type();
        if !accepts(role, t) {
            let expected = match role {
                Role::Text => "text (string, large_string, string_view, dictionary) or integers",
                Role::Time => {
                    "timestamps (any unit, with or without a time zone), dates, or RFC 3339 text"
                }
            };
            return Err(input(
                "schema".into(),
                name,
                Some(t.to_string()),
                format!("the column has type {t}; expected {expected}"),
            ));
        }
        Ok(i)
    };
    let case = find(&columns.case, Role::Text)?;
    let activity = find(&columns.activity, Role::Text)?;
    let timestamp = find(&columns.timestamp, Role::Time)?;
    let start = columns
        .start_timestamp
        .as_deref()
        .map(|s| find(s, Role::Time))
        .transpose()?;
    let attributes =
        attribute_columns(&schema, &names, columns, [case, activity, timestamp], start)?;

    let mut b = LogBuilder::new();
    let mut first_row = 0usize;
    for batch in reader {
        let batch = batch.map_err(stream_error)?;
        let n = batch.num_rows();
        let cases = codes(batch.column(case), &columns.case, first_row, &mut |s| {
            b.case_code(s)
        })?;
        let acts = codes(
            batch.column(activity),
            &columns.activity,
            first_row,
            &mut |s| b.activity_code(s),
        )?;
        let ts = times(batch.column(timestamp), &columns.timestamp, first_row)?;
        let starts = match (start, &columns.start_timestamp) {
            (Some(i), Some(name)) => Some(times(batch.column(i), name, first_row)?),
            _ => None,
        };
        let first_event = b.len();
        for i in 0..n {
            let t = ts[i].ok_or_else(|| null_error(&columns.timestamp, first_row + i))?;
            let e = b.push_codes(cases[i], acts[i], t)?;
            if let Some(Some(s)) = starts.as_ref().map(|s| s[i]) {
                b.set_start(e, s);
            }
        }
        for (i, kind, target) in &attributes {
            let field = names[*i];
            set_attribute(
                &mut b,
                batch.column(*i),
                *kind,
                target,
                field,
                first_row,
                |row| (first_event + row, cases[row]),
            )?;
        }
        first_row += n;
    }
    b.finish()
}

/// The attribute columns kept: (column, how it is read, where it goes).
fn attribute_columns(
    schema: &Schema,
    names: &[&str],
    columns: &LogColumns,
    required: [usize; 3],
    start: Option<usize>,
) -> Result<Vec<(usize, Kind, Target)>> {
    for name in columns
        .case_attributes
        .iter()
        .chain(match &columns.attributes {
            Attributes::Only(v) => v.iter(),
            _ => [].iter(),
        })
    {
        if !names.contains(&name.as_str()) {
            return Err(missing(name, names));
        }
    }
    let mut out = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let name = field.name().as_str();
        let listed_case = columns.case_attributes.iter().any(|c| c == name);
        let kept = listed_case
            || match &columns.attributes {
                Attributes::All => true,
                Attributes::None => false,
                Attributes::Only(v) => v.iter().any(|c| c == name),
            };
        if !kept || required.contains(&i) || start == Some(i) {
            continue;
        }
        if field.data_type() == &DataType::Null {
            continue;
        }
        let kind = attribute_kind(field.data_type()).ok_or_else(|| {
            input(
                "schema".into(),
                name,
                Some(field.data_type().to_string()),
                format!(
                    "the column has type {}, which an attribute cannot hold (text, integers,                      floats, booleans, timestamps or dates); leave it out of the attributes kept",
                    field.data_type()
                ),
            )
        })?;
        let target = match (listed_case, name.strip_prefix("case:")) {
            (true, _) => Target::Case(name.to_string()),
            (false, Some(attr)) => Target::Case(attr.to_string()),
            (false, None) => Target::Event(name.to_string()),
        };
        out.push((i, kind, target));
    }
    Ok(out)
}

/// Sets the attribute values of one batch's column; `at(row)` is the row's event and case.
fn set_attribute(
    b: &mut LogBuilder,
    col: &ArrayRef,
    kind: Kind,
    target: &Target,
    field: &str,
    first_row: usize,
    at: impl Fn(usize) -> (usize, u32),
) -> Result<()> {
    let put = |b: &mut LogBuilder, row: usize, v: AttrValue<'_>| {
        let (event, case) = at(row);
        match target {
            Target::Event(name) => b.set_event_attribute(event, name, v),
            Target::Case(name) => b.set_case_attribute(case, name, v),
        }
    };
    let nulls = col.logical_nulls();
    let valid = |i: usize| !nulls.as_ref().is_some_and(|n| n.is_null(i));
    match kind {
        Kind::Text => {
            let mut buf = String::new();
            if let Some(dict) = col.as_any_dictionary_opt() {
                let values = dict.values();
                let text = Text::new(values.as_ref())
                    .ok_or_else(|| unsupported(field, col.data_type()))?;
                for (i, k) in super::dictionary_keys(dict).into_iter().enumerate() {
                    if valid(i) {
                        put(b, i, AttrValue::Text(text.get(k, &mut buf)));
                    }
                }
            } else {
                let text =
                    Text::new(col.as_ref()).ok_or_else(|| unsupported(field, col.data_type()))?;
                for i in (0..col.len()).filter(|&i| valid(i)) {
                    put(b, i, AttrValue::Text(text.get(i, &mut buf)));
                }
            }
        }
        Kind::Integer => {
            let text =
                Text::new(col.as_ref()).ok_or_else(|| unsupported(field, col.data_type()))?;
            let Text::Integer(value) = text else {
                return Err(unsupported(field, col.data_type()));
            };
            for i in (0..col.len()).filter(|&i| valid(i)) {
                let v = value(i);
                let v = i64::try_from(v).map_err(|_| {
                    input(
                        format!("row {}", first_row + i),
                        field,
                        Some(v.to_string()),
                        format!("{v} is past the largest integer an attribute holds (2^63 - 1)"),
                    )
                })?;
                put(b, i, AttrValue::Integer(v));
            }
        }
        Kind::Number => {
            let values = arrow_cast_f64(col);
            for (i, v) in values.into_iter().enumerate() {
                if let Some(v) = v.filter(|v| !v.is_nan()) {
                    put(b, i, AttrValue::Number(v));
                }
            }
        }
        Kind::Bool => {
            let a = col.as_boolean();
            for i in (0..col.len()).filter(|&i| valid(i)) {
                put(b, i, AttrValue::Bool(a.value(i)));
            }
        }
        Kind::Time => {
            for (i, t) in times(col, field, first_row)?.into_iter().enumerate() {
                if let Some(t) = t {
                    put(b, i, AttrValue::Time(t));
                }
            }
        }
    }
    Ok(())
}

/// A float column's values as f64 (None for a null).
fn arrow_cast_f64(col: &ArrayRef) -> Vec<Option<f64>> {
    macro_rules! floats {
        ($t:ty) => {{
            let a = col.as_primitive::<$t>();
            (0..a.len())
                .map(|i| (!a.is_null(i)).then(|| f64::from(a.value(i))))
                .collect()
        }};
    }
    match col.data_type() {
        DataType::Float16 => {
            let a = col.as_primitive::<Float16Type>();
            (0..a.len())
                .map(|i| (!a.is_null(i)).then(|| a.value(i).to_f64()))
                .collect()
        }
        DataType::Float32 => floats!(Float32Type),
        _ => floats!(Float64Type),
    }
}

/// Text of a column's rows: strings as they are, integers formatted.
enum Text<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    Integer(Box<dyn Fn(usize) -> i128 + 'a>),
}

impl<'a> Text<'a> {
    fn new(col: &'a dyn Array) -> Option<Text<'a>> {
        macro_rules! int {
            ($t:ty) => {{
                let a = col.as_primitive::<$t>();
                Text::Integer(Box::new(move |i| a.value(i) as i128))
            }};
        }
        Some(match col.data_type() {
            DataType::Utf8 => Text::Utf8(col.as_string::<i32>()),
            DataType::LargeUtf8 => Text::Large(col.as_string::<i64>()),
            DataType::Utf8View => Text::View(col.as_string_view()),
            DataType::Int8 => int!(Int8Type),
            DataType::Int16 => int!(Int16Type),
            DataType::Int32 => int!(Int32Type),
            DataType::Int64 => int!(Int64Type),
            DataType::UInt8 => int!(UInt8Type),
            DataType::UInt16 => int!(UInt16Type),
            DataType::UInt32 => int!(UInt32Type),
            DataType::UInt64 => int!(UInt64Type),
            _ => return None,
        })
    }

    fn get<'s>(&'s self, i: usize, buf: &'s mut String) -> &'s str {
        match self {
            Text::Utf8(a) => a.value(i),
            Text::Large(a) => a.value(i),
            Text::View(a) => a.value(i),
            Text::Integer(f) => {
                buf.clear();
                write!(buf, "{}", f(i)).expect("writing to a String");
                buf
            }
        }
    }
}

fn unsupported(field: &str, t: &DataType) -> Error {
    input(
        "schema".into(),
        field,
        Some(t.to_string()),
        format!("the column has type {t}, which is not supported here"),
    )
}

/// The codes of a text column's rows (`intern` gives a name's code); a null fails naming the row.
fn codes(
    col: &ArrayRef,
    field: &str,
    first_row: usize,
    intern: &mut dyn FnMut(&str) -> u32,
) -> Result<Vec<u32>, Error> {
    let nulls = col.logical_nulls();
    let null_at = |i: usize| nulls.as_ref().is_some_and(|n| n.is_null(i));
    let mut out = Vec::with_capacity(col.len());
    let mut buf = String::new();
    if let Some(dict) = col.as_any_dictionary_opt() {
        let values = dict.values();
        let text = Text::new(values.as_ref()).ok_or_else(|| unsupported(field, col.data_type()))?;
        let mut cache = vec![u32::MAX; values.len()];
        for (i, k) in super::dictionary_keys(dict).into_iter().enumerate() {
            if null_at(i) {
                return Err(null_error(field, first_row + i));
            }
            if cache[k] == u32::MAX {
                cache[k] = intern(text.get(k, &mut buf));
            }
            out.push(cache[k]);
        }
    } else {
        let text = Text::new(col.as_ref()).ok_or_else(|| unsupported(field, col.data_type()))?;
        for i in 0..col.len() {
            if null_at(i) {
                return Err(null_error(field, first_row + i));
            }
            out.push(intern(text.get(i, &mut buf)));
        }
    }
    Ok(out)
}

/// A time column as UTC nanoseconds (None for a null). Timestamps of any unit with or without a
/// zone (Arrow stores them as UTC instants; naive ones are taken as UTC), dates (midnight UTC),
/// or RFC 3339 text (without an offset: UTC).
fn times(col: &ArrayRef, field: &str, first_row: usize) -> Result<Vec<Option<i64>>, Error> {
    let range = |i: usize, v: i64| {
        input(
            format!("row {}", first_row + i),
            field,
            Some(v.to_string()),
            "the time is outside the range of nanosecond timestamps (years 1677 to 2262)".into(),
        )
    };
    let scaled = |a: &dyn Array, values: &mut dyn Iterator<Item = i64>, per: i64| {
        values
            .enumerate()
            .map(|(i, v)| {
                if a.is_null(i) {
                    Ok(None)
                } else {
                    v.checked_mul(per).map(Some).ok_or_else(|| range(i, v))
                }
            })
            .collect::<Result<Vec<_>, Error>>()
    };
    macro_rules! ints {
        ($t:ty, $per:expr) => {{
            let a = col.as_primitive::<$t>();
            scaled(a, &mut a.values().iter().map(|&v| v as i64), $per)
        }};
    }
    macro_rules! strings {
        ($a:expr) => {{
            let a = $a;
            (0..a.len())
                .map(|i| {
                    if a.is_null(i) {
                        return Ok(None);
                    }
                    let text = a.value(i);
                    parse_rfc3339(text, 0).map(Some).ok_or_else(|| {
                        input(
                            format!("row {}", first_row + i),
                            field,
                            Some(text.to_string()),
                            format!(
                                "'{text}' is not an RFC 3339 timestamp (like 2024-01-31T09:30:00Z)"
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>, Error>>()
        }};
    }
    match col.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => ints!(TimestampSecondType, 1_000_000_000),
        DataType::Timestamp(TimeUnit::Millisecond, _) => ints!(TimestampMillisecondType, 1_000_000),
        DataType::Timestamp(TimeUnit::Microsecond, _) => ints!(TimestampMicrosecondType, 1_000),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => ints!(TimestampNanosecondType, 1),
        DataType::Date32 => ints!(Date32Type, 86_400_000_000_000),
        DataType::Date64 => ints!(Date64Type, 1_000_000),
        DataType::Utf8 => strings!(col.as_string::<i32>()),
        DataType::LargeUtf8 => strings!(col.as_string::<i64>()),
        DataType::Utf8View => strings!(col.as_string_view()),
        t => Err(unsupported(field, t)),
    }
}

/// The log as one record batch: `case:concept:name` and `concept:name` dictionary-encoded (UInt32
/// keys: the log's own codes), `time:timestamp` (nanoseconds, UTC), `start_timestamp` when the log
/// has start times (null where an event has none), every event attribute under its own name and
/// every case attribute as `case:X`, repeated on each event of its case. Events come grouped by
/// case (cases in first-seen order), in time within a case.
pub fn export(log: &EventLog) -> Result<RecordBatch> {
    let n = log.num_events();
    let mut case_of = Vec::with_capacity(n);
    for c in 0..log.num_cases() {
        let events = log.offsets[c + 1] - log.offsets[c];
        case_of.extend(std::iter::repeat(c as u32).take(events as usize));
    }
    let utc = DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()));
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut push = |name: String, array: ArrayRef, nullable: bool| {
        fields.push(Field::new(name, array.data_type().clone(), nullable));
        arrays.push(array);
    };
    let dictionary = |keys: Vec<u32>, names: &[Arc<str>]| -> Result<ArrayRef> {
        let values = StringArray::from_iter_values(names.iter().map(|s| &**s));
        let keys = UInt32Array::from(keys);
        Ok(Arc::new(
            DictionaryArray::<UInt32Type>::try_new(keys, Arc::new(values)).map_err(arrow_bug)?,
        ))
    };
    push(
        CASE.into(),
        dictionary(case_of.clone(), log.case_ids.names())?,
        false,
    );
    push(
        ACTIVITY.into(),
        dictionary(log.activity.clone(), log.activities.names())?,
        false,
    );
    let times = TimestampNanosecondArray::from(log.timestamp.clone()).with_timezone("UTC");
    push(TIMESTAMP.into(), Arc::new(times), false);
    if let Some(starts) = &log.start {
        let starts: TimestampNanosecondArray = starts
            .iter()
            .map(|&s| (s != crate::log::NO_START).then_some(s))
            .collect();
        push(
            START_TIMESTAMP.into(),
            Arc::new(starts.with_timezone("UTC")),
            true,
        );
    }
    for (name, column) in &log.event_attributes {
        push(name.clone(), attribute_array(column, n, |i| i, &utc)?, true);
    }
    for (name, column) in &log.case_attributes {
        let array = attribute_array(column, n, |i| case_of[i] as usize, &utc)?;
        push(format!("case:{name}"), array, true);
    }
    let schema = Arc::new(Schema::new(fields));
    let options = RecordBatchOptions::new().with_row_count(Some(n));
    RecordBatch::try_new_with_options(schema, arrays, &options).map_err(arrow_bug)
}

fn arrow_bug(e: ArrowError) -> Error {
    Error::Invalid {
        path: "log".into(),
        value: "arrow".into(),
        reason: format!("cannot be laid out as an Arrow table: {e}"),
    }
}

/// An attribute column as `n` rows, row `i` taking the column's value `at(i)`.
fn attribute_array(
    column: &LogColumn,
    n: usize,
    at: impl Fn(usize) -> usize,
    utc: &DataType,
) -> Result<ArrayRef> {
    Ok(match column {
        LogColumn::Text { dict, codes } => {
            let keys: UInt32Array = (0..n)
                .map(|i| Some(codes[at(i)]).filter(|&k| k != NO_CODE))
                .collect();
            let values = StringArray::from_iter_values(dict.names().iter().map(|s| &**s));
            Arc::new(
                DictionaryArray::<UInt32Type>::try_new(keys, Arc::new(values))
                    .map_err(arrow_bug)?,
            )
        }
        LogColumn::Number(v) => {
            let mut b = Float64Builder::with_capacity(n);
            (0..n).for_each(|i| b.append_option(v[at(i)]));
            Arc::new(b.finish())
        }
        LogColumn::Integer(v) => {
            let mut b = Int64Builder::with_capacity(n);
            (0..n).for_each(|i| b.append_option(v[at(i)]));
            Arc::new(b.finish())
        }
        LogColumn::Bool(v) => {
            let mut b = BooleanBuilder::with_capacity(n);
            (0..n).for_each(|i| b.append_option(v[at(i)]));
            Arc::new(b.finish())
        }
        LogColumn::Time(v) => {
            let a: TimestampNanosecondArray = (0..n).map(|i| v[at(i)]).collect();
            let DataType::Timestamp(_, zone) = utc else {
                unreachable!("a timestamp type")
            };
            Arc::new(a.with_timezone_opt(zone.clone()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{
        Int32Array, ListArray, RecordBatchIterator, TimestampSecondArray, UInt64Array,
    };

    fn batch(extra: Vec<(&str, ArrayRef)>) -> RecordBatch {
        let mut columns: Vec<(&str, ArrayRef)> = vec![
            (CASE, Arc::new(StringArray::from(vec!["c1", "c2"]))),
            (ACTIVITY, Arc::new(StringArray::from(vec!["a", "b"]))),
            (TIMESTAMP, Arc::new(TimestampSecondArray::from(vec![0, 1]))),
        ];
        columns.extend(extra);
        RecordBatch::try_from_iter(columns).unwrap()
    }

    fn read(batch: RecordBatch, columns: &LogColumns) -> Result<EventLog> {
        let schema = batch.schema();
        import(RecordBatchIterator::new([Ok(batch)], schema), columns)
    }

    /// A dictionary without values (every key null): arrow's key lookup would panic on it.
    #[test]
    fn a_dictionary_without_values_is_nulls_not_a_panic() {
        let empty = || -> ArrayRef {
            let keys = Int32Array::from(vec![None, None]);
            Arc::new(
                DictionaryArray::<Int32Type>::try_new(
                    keys,
                    Arc::new(StringArray::from(Vec::<&str>::new())),
                )
                .unwrap(),
            )
        };
        let log = read(batch(vec![("channel", empty())]), &LogColumns::default()).unwrap();
        assert_eq!(log.num_events(), 2);
        let mut columns = vec![
            (CASE, empty()),
            (
                ACTIVITY,
                Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
            ),
            (TIMESTAMP, Arc::new(TimestampSecondArray::from(vec![0, 1]))),
        ];
        let e = read(
            RecordBatch::try_from_iter(columns.drain(..)).unwrap(),
            &LogColumns::default(),
        );
        assert!(e.unwrap_err().to_string().contains("row 0"));
    }

    #[test]
    fn a_column_an_attribute_cannot_hold_is_an_error_unless_left_out() {
        let list: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1)]),
            None,
        ]));
        let e = read(batch(vec![("tags", list.clone())]), &LogColumns::default()).unwrap_err();
        assert!(
            e.to_string().contains("'tags'") && e.to_string().contains("attributes kept"),
            "{e}"
        );
        let none = LogColumns {
            attributes: Attributes::None,
            ..LogColumns::default()
        };
        assert!(read(batch(vec![("tags", list)]), &none)
            .unwrap()
            .event_attribute("tags")
            .is_none());
    }

    #[test]
    fn an_unsigned_integer_past_i64_names_its_row() {
        let big: ArrayRef = Arc::new(UInt64Array::from(vec![1, u64::MAX]));
        let e = read(batch(vec![("n", big)]), &LogColumns::default()).unwrap_err();
        assert!(
            e.to_string().contains("row 1") && e.to_string().contains("18446744073709551615"),
            "{e}"
        );
    }

    #[test]
    fn names_that_do_not_exist_suggest_the_closest() {
        let only = LogColumns {
            attributes: Attributes::Only(vec!["chanel".into()]),
            ..LogColumns::default()
        };
        let channel: ArrayRef = Arc::new(StringArray::from(vec!["web", "app"]));
        let e = read(batch(vec![("channel", channel)]), &only).unwrap_err();
        assert!(e.to_string().contains("did you mean 'channel'"), "{e}");
        let columns: LogColumns =
            crate::json::from_str(r#"{"attributes": false, "case_attributes": ["plan"]}"#, "x")
                .unwrap();
        assert_eq!(
            (columns.attributes, columns.case_attributes),
            (Attributes::None, vec!["plan".to_string()])
        );
        assert!(crate::json::from_str::<LogColumns>(r#"{"atributes": true}"#, "x").is_err());
    }
}
