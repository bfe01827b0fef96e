//! Results in Python: a native handle on the typed Rust result of an analysis
//! (`journeystream::analytics::request::Output`). Nothing is converted until asked for: its
//! tables (`journeystream::columnar`) are built once, without the GIL, on first use, and cross as
//! Arrow C streams (`__arrow_c_stream__`), read without copies by pyarrow, polars and DuckDB; its
//! scalars cross as a small JSON text; its whole JSON only through `to_json()`.

use crate::{json, to_py};
use arrow_array::ffi::FFI_ArrowSchema;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator};
use journeystream::analytics::request::Output;
use journeystream::columnar::{rows, Tables};
use journeystream::Error;
use pyo3::exceptions::{PyIndexError, PyKeyError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyCapsule, PyDict, PyList};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// The result of one analysis (wrapped by the typed classes of `journeystream`).
#[pyclass(frozen, module = "journeystream._native", name = "_Result")]
pub struct NativeResult {
    output: Arc<Output>,
    tables: OnceLock<Result<Arc<Tables>, String>>,
}

impl NativeResult {
    pub(crate) fn new(output: Output) -> NativeResult {
        NativeResult {
            output: Arc::new(output),
            tables: OnceLock::new(),
        }
    }

    fn tables(&self, py: Python<'_>) -> PyResult<Arc<Tables>> {
        // Built outside the lock: a thread waiting on it while holding the GIL would keep the
        // building thread (which needs the GIL back) from finishing.
        if self.tables.get().is_none() {
            let output = self.output.clone();
            let built = py.detach(move || {
                Tables::of(&*output)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            });
            let _ = self.tables.set(built);
        }
        self.tables.get().expect("set above").clone().map_err(|e| {
            to_py(
                py,
                Error::InvalidArgument {
                    name: "result".into(),
                    value: "tables".into(),
                    reason: e,
                },
            )
        })
    }
}

#[pymethods]
impl NativeResult {
    /// The whole result as JSON text (what `journeystream.analyze` returns, parsed).
    fn to_json(&self, py: Python<'_>) -> String {
        let output = self.output.clone();
        py.detach(move || json(&*output))
    }

    /// The result without its tables, as JSON text.
    fn scalars(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.tables(py)?.scalars.to_string())
    }

    /// The names of the result's tables, in order.
    fn table_names(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        Ok(self
            .tables(py)?
            .names()
            .into_iter()
            .map(str::to_string)
            .collect())
    }

    /// The table `name`; a name the result does not have raises `KeyError` listing those it has.
    fn table(&self, py: Python<'_>, name: &str) -> PyResult<NativeTable> {
        let tables = self.tables(py)?;
        match tables.named(name) {
            Ok(t) => Ok(NativeTable {
                name: t.name.clone(),
                batch: t.batch.clone(),
            }),
            Err(e) => Err(PyKeyError::new_err(e.to_string())),
        }
    }

    /// The analysis' name.
    #[getter]
    fn analysis(&self) -> &'static str {
        self.output.analysis()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<NativeResult>()
            .is_ok_and(|o| *o.get().output == *self.output)
    }
}

/// One table of a result: an Arrow record batch held natively.
#[pyclass(frozen, module = "journeystream._native", name = "_Table")]
pub struct NativeTable {
    name: String,
    batch: RecordBatch,
}

impl NativeTable {
    pub(crate) fn new(name: String, batch: RecordBatch) -> NativeTable {
        NativeTable { name, batch }
    }

    /// The column `name`; a name the table does not have is a `KeyError` with the closest one.
    fn column(&self, name: &str) -> PyResult<&arrow_array::ArrayRef> {
        self.batch.column_by_name(name).ok_or_else(|| {
            let schema = self.batch.schema_ref();
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            let hint = journeystream::suggest::closest(name, &names)
                .map(|c| format!("did you mean '{c}'? "))
                .unwrap_or_default();
            PyKeyError::new_err(format!(
                "the table '{}' has no column '{name}'; {hint}its columns are: {}",
                self.name,
                names.join(", ")
            ))
        })
    }
}

#[pymethods]
impl NativeTable {
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// The table as an Arrow C stream (PyCapsule `arrow_array_stream`) of one batch, sharing the
    /// table's buffers. `requested_schema` is not applied: the table has one schema.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let schema = self.batch.schema();
        let reader = RecordBatchIterator::new([Ok(self.batch.clone())], schema);
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The table's schema (PyCapsule `arrow_schema`).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.batch.schema().as_ref())
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    /// The numeric column `name` as native-endian float64 bytes (nulls as NaN), for
    /// `numpy.frombuffer`: one copy, no Python object per value. An integer past 2^53 is an
    /// error, as is a column that is not numeric or does not exist (with the closest name).
    fn column_floats<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyByteArray>> {
        let column = self.column(name)?.clone();
        let field = format!("{}.{name}", self.name);
        let values = py.detach(move || rows::floats(&field, column.as_ref()));
        let values = values.map_err(|e| pyo3::exceptions::PyTypeError::new_err(e.to_string()))?;
        // SAFETY: the bytes of a slice of f64, read as bytes.
        let bytes = unsafe {
            std::slice::from_raw_parts(
                values.as_ptr().cast::<u8>(),
                std::mem::size_of_val(&values[..]),
            )
        };
        Ok(PyByteArray::new(py, bytes))
    }

    /// The column `name` as a list of Python values (as `rows` gives them).
    fn column_list<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
        let column = self.column(name)?;
        let items = (0..column.len())
            .map(|i| to_object(py, &rows::value(column.as_ref(), i)))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Rows `start..stop` as dicts (a column each; struct columns as dicts, lists as lists).
    #[pyo3(signature = (start = 0, stop = None))]
    fn rows<'py>(
        &self,
        py: Python<'py>,
        start: usize,
        stop: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let n = self.batch.num_rows();
        let stop = stop.unwrap_or(n).min(n);
        if start > stop {
            return Err(PyIndexError::new_err(format!(
                "rows {start}..{stop} of a table of {n}"
            )));
        }
        let values = rows::batch_rows(&self.batch, start..stop);
        let items = values
            .iter()
            .map(|v| to_object(py, v))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }
}

/// A JSON value as the Python object `json.loads` would give.
pub(crate) fn to_object<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(a) => {
            let items = a
                .iter()
                .map(|x| to_object(py, x))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, to_object(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// Reads a result of `analysis` back from its JSON, strictly (errors name the field's path).
#[pyfunction]
fn result_from_json(py: Python<'_>, analysis: &str, text: &str) -> PyResult<NativeResult> {
    let (analysis, text) = (analysis.to_owned(), text.to_owned());
    py.detach(move || Output::from_json(&analysis, &text))
        .map(NativeResult::new)
        .map_err(|e| to_py(py, e))
}

/// Adds the result classes to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(result_from_json, m)?)?;
    m.setattr("_Result", m.py().get_type::<NativeResult>())?;
    m.setattr("_Table", m.py().get_type::<NativeTable>())?;
    Ok(())
}
