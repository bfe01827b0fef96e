//! Python bindings: the `journeystream._native` module. Thin: documents and results cross as
//! JSON text, compute runs with the GIL released, every core error becomes an exception of its
//! own class under `JourneyStreamError` (a `ValueError`) with `kind`, `path` and `file` attributes.

use journeystream::{vsm, Error, ErrorKind, Map, StagePreset};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::{create_exception, PyTypeInfo};

mod columns;
mod log;
mod render;
mod result;

create_exception!(
    journeystream,
    JourneyStreamError,
    PyValueError,
    "Root of every journeystream error."
);
create_exception!(
    journeystream,
    IoError,
    JourneyStreamError,
    "A file could not be read or written."
);
create_exception!(
    journeystream,
    ParseError,
    JourneyStreamError,
    "Not a well-formed document."
);
create_exception!(
    journeystream,
    UnknownReferenceError,
    JourneyStreamError,
    "A field names an id the document does not define."
);
create_exception!(
    journeystream,
    DuplicateIdError,
    JourneyStreamError,
    "The same id is defined twice."
);
create_exception!(
    journeystream,
    OutOfRangeError,
    JourneyStreamError,
    "A number outside its field's range."
);
create_exception!(
    journeystream,
    NegativeTimeError,
    JourneyStreamError,
    "A negative time."
);
create_exception!(
    journeystream,
    EmotionOutOfScaleError,
    JourneyStreamError,
    "An emotion outside the declared scale."
);
create_exception!(
    journeystream,
    CycleWithoutExitError,
    JourneyStreamError,
    "Steps that work can enter and never leave."
);
create_exception!(
    journeystream,
    InvalidError,
    JourneyStreamError,
    "A value that breaks a rule of the model."
);
create_exception!(
    journeystream,
    MissingDataError,
    JourneyStreamError,
    "A metric needs data the document does not give."
);
create_exception!(
    journeystream,
    InvalidArgumentError,
    JourneyStreamError,
    "A function argument is wrong."
);
create_exception!(
    journeystream,
    InputError,
    JourneyStreamError,
    "Bad input data in an event log: a malformed row, an unparseable timestamp, invalid XML."
);

fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    let err = match e.kind() {
        ErrorKind::Io => IoError::new_err(message),
        ErrorKind::Parse => ParseError::new_err(message),
        ErrorKind::UnknownReference => UnknownReferenceError::new_err(message),
        ErrorKind::DuplicateId => DuplicateIdError::new_err(message),
        ErrorKind::OutOfRange => OutOfRangeError::new_err(message),
        ErrorKind::NegativeTime => NegativeTimeError::new_err(message),
        ErrorKind::EmotionOutOfScale => EmotionOutOfScaleError::new_err(message),
        ErrorKind::CycleWithoutExit => CycleWithoutExitError::new_err(message),
        ErrorKind::Invalid => InvalidError::new_err(message),
        ErrorKind::MissingData => MissingDataError::new_err(message),
        ErrorKind::InvalidArgument => InvalidArgumentError::new_err(message),
        ErrorKind::Input => InputError::new_err(message),
    };
    let value = err.value(py);
    for (name, attr) in [
        ("kind", Some(e.kind().name())),
        ("path", e.path()),
        ("file", e.file()),
    ] {
        if let Err(failed) = value.setattr(name, attr) {
            return failed;
        }
    }
    err
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("results serialize")
}

fn parse_result<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    text: &str,
    what: &str,
) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| {
        to_py(
            py,
            Error::InvalidArgument {
                name: what.into(),
                value: "<json>".into(),
                reason: format!("is not {what} JSON from this library: {e}"),
            },
        )
    })
}

/// Parses and validates a JSON document; returns it as canonical JSON.
#[pyfunction]
#[pyo3(signature = (text, file = None))]
fn load_json(py: Python<'_>, text: &str, file: Option<&str>) -> PyResult<String> {
    let text = text.to_owned();
    let file = file.map(str::to_owned);
    py.detach(move || {
        Map::from_json(&text)
            .map(|m| m.to_json())
            .map_err(|e| match file {
                Some(f) => e.in_file(f),
                None => e,
            })
    })
    .map_err(|e| to_py(py, e))
}

/// Reads, parses and validates a JSON document file; returns it as canonical JSON.
#[pyfunction]
fn load_path(py: Python<'_>, path: &str) -> PyResult<String> {
    let path = path.to_owned();
    py.detach(move || Map::from_path(&path).map(|m| m.to_json()))
        .map_err(|e| to_py(py, e))
}

/// Every problem of a JSON document as a list of `(kind, path, message)`.
#[pyfunction]
fn problems(py: Python<'_>, text: &str) -> Vec<(String, Option<String>, String)> {
    let text = text.to_owned();
    py.detach(move || {
        let list = match Map::parse_json(&text) {
            Ok(map) => map.problems(),
            Err(e) => vec![e],
        };
        list.into_iter()
            .map(|e| {
                (
                    e.kind().name().to_string(),
                    e.path().map(str::to_string),
                    e.to_string(),
                )
            })
            .collect()
    })
}

/// Measures the value stream of a document; `rework` is `"single_pass"` or `"geometric"`.
#[pyfunction]
#[pyo3(signature = (document, rework = "single_pass"))]
fn measure(py: Python<'_>, document: &str, rework: &str) -> PyResult<String> {
    let rework = vsm::ReworkModel::parse(rework).map_err(|e| to_py(py, e))?;
    let document = document.to_owned();
    py.detach(move || {
        let map = Map::from_json(&document)?;
        vsm::measure(&map, &vsm::MeasureOptions { rework }).map(|m| json(&m))
    })
    .map_err(|e| to_py(py, e))
}

/// Applies the document's plan: `{"map": ..., "applied": [...]}` as JSON.
#[pyfunction]
fn project(py: Python<'_>, document: &str) -> PyResult<String> {
    let document = document.to_owned();
    py.detach(move || vsm::project(&Map::from_json(&document)?).map(|p| json(&p)))
        .map_err(|e| to_py(py, e))
}

/// Compares two metrics (JSON from `measure`); returns the comparison as JSON.
#[pyfunction]
fn compare(py: Python<'_>, before: &str, after: &str) -> PyResult<String> {
    let before: vsm::ValueStreamMetrics = parse_result(py, before, "before")?;
    let after: vsm::ValueStreamMetrics = parse_result(py, after, "after")?;
    Ok(json(&vsm::compare(&before, &after)))
}

/// Little's law from exactly two of the three.
#[pyfunction]
#[pyo3(signature = (wip = None, throughput_per_day = None, lead_time_days = None))]
fn littles_law(
    py: Python<'_>,
    wip: Option<f64>,
    throughput_per_day: Option<f64>,
    lead_time_days: Option<f64>,
) -> PyResult<(f64, f64, f64)> {
    let l = vsm::littles_law(wip, throughput_per_day, lead_time_days).map_err(|e| to_py(py, e))?;
    Ok((l.wip, l.throughput_per_day, l.lead_time_days))
}

/// The stages of a preset (`"five_stage"`, `"three_stage"`) as JSON.
#[pyfunction]
fn stage_preset(py: Python<'_>, name: &str) -> PyResult<String> {
    StagePreset::parse(name)
        .map(|p| json(&p.stages()))
        .map_err(|e| to_py(py, e))
}

/// The text report of a document's metrics (and of a comparison, when given).
#[pyfunction]
#[pyo3(signature = (document, metrics, comparison = None))]
fn text_report(
    py: Python<'_>,
    document: &str,
    metrics: &str,
    comparison: Option<&str>,
) -> PyResult<String> {
    let metrics: vsm::ValueStreamMetrics = parse_result(py, metrics, "metrics")?;
    let comparison: Option<vsm::Comparison> = comparison
        .map(|c| parse_result(py, c, "comparison"))
        .transpose()?;
    let document = document.to_owned();
    py.detach(move || {
        Map::from_json(&document)
            .map(|map| journeystream::render::text_report(&map, &metrics, comparison.as_ref()))
    })
    .map_err(|e| to_py(py, e))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", journeystream::VERSION)?;
    for (name, ty) in [
        ("JourneyStreamError", JourneyStreamError::type_object(py)),
        ("IoError", IoError::type_object(py)),
        ("ParseError", ParseError::type_object(py)),
        (
            "UnknownReferenceError",
            UnknownReferenceError::type_object(py),
        ),
        ("DuplicateIdError", DuplicateIdError::type_object(py)),
        ("OutOfRangeError", OutOfRangeError::type_object(py)),
        ("NegativeTimeError", NegativeTimeError::type_object(py)),
        (
            "EmotionOutOfScaleError",
            EmotionOutOfScaleError::type_object(py),
        ),
        (
            "CycleWithoutExitError",
            CycleWithoutExitError::type_object(py),
        ),
        ("InvalidError", InvalidError::type_object(py)),
        ("MissingDataError", MissingDataError::type_object(py)),
        (
            "InvalidArgumentError",
            InvalidArgumentError::type_object(py),
        ),
        ("InputError", InputError::type_object(py)),
    ] {
        m.add(name, ty)?;
    }
    m.add_function(wrap_pyfunction!(load_json, m)?)?;
    m.add_function(wrap_pyfunction!(load_path, m)?)?;
    m.add_function(wrap_pyfunction!(problems, m)?)?;
    m.add_function(wrap_pyfunction!(measure, m)?)?;
    m.add_function(wrap_pyfunction!(project, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(littles_law, m)?)?;
    m.add_function(wrap_pyfunction!(stage_preset, m)?)?;
    m.add_function(wrap_pyfunction!(text_report, m)?)?;
    log::register(m)?;
    result::register(m)?;
    render::register(m)?;
    Ok(())
}
