//! Event logs in Python: a native handle on a `journeystream::log::EventLog` (logs are big: they
//! never cross as JSON), read from XES or imported from any Arrow C stream (`__arrow_c_stream__`:
//! pyarrow, pandas, polars, DuckDB). Reading, importing and profiling run with the GIL released.

use crate::result::NativeResult;
use crate::to_py;
use arrow_array::cast::AsArray;
use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::types::{
    Date32Type, Date64Type, Int16Type, Int32Type, Int64Type, Int8Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatchReader};
use arrow_schema::{DataType, TimeUnit};
use journeystream::analytics::request::Request;
use journeystream::log::filter::Filter;
use journeystream::log::read::{OnBadRow, ReadReport};
use journeystream::log::table::{TableFormat, TableSettings};
use journeystream::log::timestamp::parse_rfc3339;
use journeystream::log::xes::{read_xes_file, XesOptions};
use journeystream::log::{EventLog, LogBuilder};
use journeystream::Error;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// A native event log (wrapped by `journeystream.EventLog`).
#[pyclass(frozen, module = "journeystream._native", name = "_EventLog")]
pub struct NativeLog {
    log: Arc<EventLog>,
}

#[pymethods]
impl NativeLog {
    /// Number of cases.
    fn num_cases(&self) -> usize {
        self.log.num_cases()
    }

    /// Number of events.
    fn num_events(&self) -> usize {
        self.log.num_events()
    }

    /// The names of the activities that occur, in first-seen order.
    fn activities(&self, py: Python<'_>) -> Vec<String> {
        let log = self.log.clone();
        py.detach(move || {
            let names = log.activities().names();
            let mut seen = vec![false; names.len()];
            for case in log.cases() {
                for &a in case.activities() {
                    seen[a as usize] = true;
                }
            }
            names
                .iter()
                .zip(seen)
                .filter(|&(_, s)| s)
                .map(|(n, _)| n.to_string())
                .collect()
        })
    }

    /// A new log with what the filter (JSON) keeps (without the GIL).
    fn filter(&self, py: Python<'_>, filter: &str) -> PyResult<NativeLog> {
        let filter = parse_filter(filter).map_err(|e| to_py(py, e))?;
        let log = self.log.clone();
        py.detach(move || log.filter(&filter))
            .map(wrap)
            .map_err(|e| to_py(py, e))
    }
}

/// Reads a filter from JSON, as a `Parse` error with its line and column when it does not.
fn parse_filter(text: &str) -> Result<Filter, Error> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        Error::Parse {
            path: String::new(),
            line: e.line(),
            column: e.column(),
            message: format!("not a filter: {message}"),
        }
    })
}

fn wrap(log: EventLog) -> NativeLog {
    NativeLog { log: Arc::new(log) }
}

/// Reads an XES file (`.xes` or `.xes.gz`): `(log, rows_read, rows_skipped, [skipped row errors])`.
#[pyfunction]
#[pyo3(signature = (path, skip_bad_rows = false))]
fn read_xes(
    py: Python<'_>,
    path: PathBuf,
    skip_bad_rows: bool,
) -> PyResult<(NativeLog, u64, u64, Vec<String>)> {
    let options = XesOptions {
        on_bad_row: if skip_bad_rows {
            OnBadRow::SkipAndReport
        } else {
            OnBadRow::Fail
        },
        ..XesOptions::default()
    };
    let (log, report) = py
        .detach(move || read_xes_file(path, options))
        .map_err(|e| to_py(py, e))?;
    let examples = report.examples.iter().map(|e| e.to_string()).collect();
    Ok((wrap(log), report.rows_read, report.rows_skipped, examples))
}

type ReadResult = (NativeLog, u64, u64, Vec<String>);

fn read_result(log: EventLog, report: ReadReport) -> ReadResult {
    let examples = report.examples.iter().map(|e| e.to_string()).collect();
    (wrap(log), report.rows_read, report.rows_skipped, examples)
}

/// Reads a CSV or JSON Lines file (`format` "csv" or "jsonl"; plain or gzipped) with reader
/// settings given as JSON (`journeystream::log::table::TableSettings`):
/// `(log, rows_read, rows_skipped, [skipped row errors])`.
#[pyfunction]
fn read_table(py: Python<'_>, path: PathBuf, format: &str, settings: &str) -> PyResult<ReadResult> {
    let format = match format {
        "csv" => TableFormat::Csv,
        "jsonl" => TableFormat::Jsonl,
        other => {
            return Err(to_py(
                py,
                Error::InvalidArgument {
                    name: "format".into(),
                    value: other.into(),
                    reason: "is not a table format (\"csv\" or \"jsonl\")".into(),
                },
            ))
        }
    };
    let settings: TableSettings =
        journeystream::json::from_str(settings, "the reader settings").map_err(|e| to_py(py, e))?;
    let (log, report) = py
        .detach(move || settings.read_file(path, format))
        .map_err(|e| to_py(py, e))?;
    Ok(read_result(log, report))
}

/// Builds a log from an object with `__arrow_c_stream__`, reading the named columns.
#[pyfunction]
#[pyo3(signature = (data, case, activity, timestamp, start_timestamp = None))]
fn from_arrow(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    case: String,
    activity: String,
    timestamp: String,
    start_timestamp: Option<String>,
) -> PyResult<NativeLog> {
    if !data.hasattr("__arrow_c_stream__")? {
        return Err(PyTypeError::new_err(format!(
            "from_arrow needs a table with the Arrow PyCapsule interface (__arrow_c_stream__): a \
             pyarrow Table or RecordBatchReader, a polars or pandas DataFrame, a DuckDB result; \
             got {}",
            data.get_type().name()?
        )));
    }
    let capsule = data.call_method0("__arrow_c_stream__")?;
    let capsule = capsule
        .cast::<PyCapsule>()
        .map_err(|_| PyTypeError::new_err("__arrow_c_stream__() did not return a PyCapsule"))?;
    let pointer = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // Takes the stream out of the capsule, leaving a released one behind (which the capsule's
    // destructor then leaves alone).
    let stream = unsafe { FFI_ArrowArrayStream::from_raw(pointer.as_ptr().cast()) };
    let columns = Columns {
        case,
        activity,
        timestamp,
        start_timestamp,
    };
    py.detach(move || import(stream, &columns))
        .map(wrap)
        .map_err(|e| to_py(py, e))
}

struct Columns {
    case: String,
    activity: String,
    timestamp: String,
    start_timestamp: Option<String>,
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

fn is_integer(t: &DataType) -> bool {
    t.is_integer()
}

fn accepts(role: Role, t: &DataType) -> bool {
    match (role, t) {
        (Role::Text, DataType::Dictionary(_, v)) => is_text(v) || is_integer(v),
        (Role::Text, t) => is_text(t) || is_integer(t),
        (Role::Time, DataType::Timestamp(..) | DataType::Date32 | DataType::Date64) => true,
        (Role::Time, t) => is_text(t),
    }
}

fn import(stream: FFI_ArrowArrayStream, columns: &Columns) -> Result<EventLog, Error> {
    let reader = ArrowArrayStreamReader::try_new(stream).map_err(stream_error)?;
    let schema = reader.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let find = |name: &str, role: Role| -> Result<usize, Error> {
        let i = names.iter().position(|n| *n == name).ok_or_else(|| {
            input(
                "schema".into(),
                name,
                None,
                format!("no column '{name}'; the columns are: {}", names.join(", ")),
            )
        })?;
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
        for i in 0..n {
            let t = ts[i].ok_or_else(|| null_error(&columns.timestamp, first_row + i))?;
            let e = b.push_codes(cases[i], acts[i], t)?;
            if let Some(Some(s)) = starts.as_ref().map(|s| s[i]) {
                b.set_start(e, s);
            }
        }
        first_row += n;
    }
    Ok(b.finish())
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
        for (i, k) in dict.normalized_keys().into_iter().enumerate() {
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

/// Adds the event-log class and functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Private (not in `__all__`): users see the Python wrapper `journeystream.EventLog`.
    m.setattr("_EventLog", m.py().get_type::<NativeLog>())?;
    m.add_function(wrap_pyfunction!(read_xes, m)?)?;
    m.add_function(wrap_pyfunction!(from_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(read_table, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(bulk_fields, m)?)?;
    m.add_function(wrap_pyfunction!(crate::columns::column_address, m)?)?;
    Ok(())
}

/// Runs one analytic by name (the request is JSON; see `journeystream::analytics::request`) over
/// `log`, or over the data in the request when `log` is None; `columns` gives array-shaped fields
/// (`journeystream::analytics::bulk`) as arrays, by name. The result stays native. Parsing the
/// request, reading numeric arrays and computing run without the GIL.
#[pyfunction]
#[pyo3(signature = (request, log=None, columns=None))]
pub fn analyze(
    py: Python<'_>,
    request: &str,
    log: Option<&NativeLog>,
    columns: Option<&Bound<'_, PyDict>>,
) -> PyResult<NativeResult> {
    let log = log.map(|l| l.log.clone());
    let text = request.to_owned();
    let mut request = py
        .detach(move || Request::from_json(&text))
        .map_err(|e| to_py(py, e))?;
    if let Some(columns) = columns {
        for (name, values) in columns.iter() {
            let name: String = name.extract()?;
            let column = crate::columns::column(py, &name, &values)?;
            request
                .set_column(&name, column)
                .map_err(|e| to_py(py, e))?;
        }
    }
    // The request is dropped here, with the GIL: it may hold Python arrays and strings.
    py.detach(|| request.evaluate(log.as_deref()))
        .map(NativeResult::new)
        .map_err(|e: Error| to_py(py, e))
}

/// The array-shaped fields an analysis takes as columns.
#[pyfunction]
pub fn bulk_fields(analysis: &str) -> Vec<&'static str> {
    journeystream::analytics::bulk::fields(analysis).to_vec()
}
