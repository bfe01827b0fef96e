//! Event logs in Python: a native handle on a `journeystream::log::EventLog` (logs are big: they
//! never cross as JSON), read from XES or imported from any Arrow C stream (`__arrow_c_stream__`:
//! pyarrow, pandas, polars, DuckDB). Reading, importing and profiling run with the GIL released.

use crate::result::{NativeResult, NativeTable};
use crate::to_py;
use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use journeystream::analytics::request::Request;
use journeystream::columnar::log::{export, import, Attributes, LogColumns};
use journeystream::log::filter::Filter;
use journeystream::log::read::{OnBadRow, Progress, ReadReport};
use journeystream::log::table::{TableFormat, TableSettings};
use journeystream::log::xes::{read_xes_file, XesOptions};
use journeystream::log::EventLog;
use journeystream::Error;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};
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

    /// Whether both hold the same events, attributes and dictionaries.
    fn equals(&self, other: &NativeLog) -> bool {
        Arc::ptr_eq(&self.log, &other.log) || *self.log == *other.log
    }

    /// The log as one Arrow table (`journeystream::columnar::log::export`), built without the GIL.
    fn to_table(&self, py: Python<'_>) -> PyResult<NativeTable> {
        let log = self.log.clone();
        py.detach(move || export(&log))
            .map(|batch| NativeTable::new("log".into(), batch))
            .map_err(|e| to_py(py, e))
    }

    /// A new log with what the filter (JSON) keeps (without the GIL).
    fn filter(&self, py: Python<'_>, filter: &str) -> PyResult<NativeLog> {
        let filter = Filter::from_json(filter).map_err(|e| to_py(py, e))?;
        let log = self.log.clone();
        py.detach(move || log.filter(&filter))
            .map(wrap)
            .map_err(|e| to_py(py, e))
    }
}

fn wrap(log: EventLog) -> NativeLog {
    NativeLog { log: Arc::new(log) }
}

/// Reads an XES file (`.xes` or `.xes.gz`): `(log, rows_read, rows_skipped, [skipped row errors])`;
/// `progress(bytes_read)` is called about every 4 MiB (see `Hook`).
#[pyfunction]
#[pyo3(signature = (path, skip_bad_rows = false, progress = None))]
fn read_xes(
    py: Python<'_>,
    path: PathBuf,
    skip_bad_rows: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<(NativeLog, u64, u64, Vec<String>)> {
    let hook = Hook::new(progress);
    let options = XesOptions {
        on_bad_row: if skip_bad_rows {
            OnBadRow::SkipAndReport
        } else {
            OnBadRow::Fail
        },
        progress: Some(hook.progress()),
        ..XesOptions::default()
    };
    let (log, report) = hook.finish(py, py.detach(move || read_xes_file(path, options)))?;
    Ok(read_result(log, report))
}

/// The progress of a read: with the GIL, about every 4 MiB, it raises a pending signal (Ctrl-C)
/// and calls `callback(bytes_read)`; either raising stops the read, and the exception is what
/// the read raises.
struct Hook {
    callback: Option<Arc<Py<PyAny>>>,
    failure: Arc<std::sync::Mutex<Option<PyErr>>>,
}

impl Hook {
    fn new(callback: Option<Py<PyAny>>) -> Hook {
        Hook {
            callback: callback.map(Arc::new),
            failure: Arc::default(),
        }
    }

    fn progress(&self) -> Progress<'static> {
        let (callback, failure) = (self.callback.clone(), self.failure.clone());
        Box::new(move |bytes| {
            Python::attach(|py| {
                let outcome = py.check_signals().and_then(|()| match &callback {
                    Some(f) => f.call1(py, (bytes,)).map(drop),
                    None => Ok(()),
                });
                match outcome {
                    Ok(()) => true,
                    Err(e) => {
                        *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                        false
                    }
                }
            })
        })
    }

    /// The read's result, or the exception that stopped it.
    fn finish<T>(self, py: Python<'_>, result: Result<T, Error>) -> PyResult<T> {
        if let Some(e) = self
            .failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            return Err(e);
        }
        result.map_err(|e| to_py(py, e))
    }
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
#[pyo3(signature = (path, format, settings, progress = None))]
fn read_table(
    py: Python<'_>,
    path: PathBuf,
    format: &str,
    settings: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<ReadResult> {
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
    let hook = Hook::new(progress);
    let reporting = hook.progress();
    let read = py.detach(move || settings.read_file_reporting(path, format, Some(reporting)));
    let (log, report) = hook.finish(py, read)?;
    Ok(read_result(log, report))
}

/// Builds a log from an object with `__arrow_c_stream__` (`journeystream::columnar::log::import`):
/// the named columns, and as attributes every other column (`attributes` None), none (`[]`) or
/// those listed; `case_attributes` are case attributes by name.
#[pyfunction]
#[pyo3(signature = (data, case, activity, timestamp, start_timestamp = None, attributes = None, case_attributes = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn from_arrow(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    case: String,
    activity: String,
    timestamp: String,
    start_timestamp: Option<String>,
    attributes: Option<Vec<String>>,
    case_attributes: Vec<String>,
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
    let columns = LogColumns {
        case,
        activity,
        timestamp,
        start_timestamp,
        attributes: match attributes {
            None => Attributes::All,
            Some(names) if names.is_empty() => Attributes::None,
            Some(names) => Attributes::Only(names),
        },
        case_attributes,
    };
    py.detach(move || {
        let reader = ArrowArrayStreamReader::try_new(stream).map_err(|e| Error::Input {
            location: "arrow stream".into(),
            field: None,
            value: None,
            message: e.to_string(),
        })?;
        import(reader, &columns)
    })
    .map(wrap)
    .map_err(|e| to_py(py, e))
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
