//! Array-shaped inputs from Python (`journeystream::analytics::bulk`): Arrow arrays
//! (`__arrow_c_array__`: pyarrow, polars) and numpy arrays (`__array_interface__`), both read in
//! their own buffers without a copy, and sequences of numbers or text. Numbers must be finite and integers exact as floats
//! (|x| ≤ 2^53); a null, NaN, infinity or a value of the wrong type is an error naming the
//! field, the index and the value. Nothing is cast silently.

use crate::to_py;
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::make_array;
use journeystream::analytics::bulk::{
    self, Column, Number, Numbers, Slice, Source, TextSource, Texts,
};
use journeystream::columnar::input;
use journeystream::Error;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyFloat, PyInt, PyString, PyTuple};

fn bad(field: &str, i: usize, value: impl std::fmt::Display, reason: &str) -> Error {
    bulk::bad_value(field, i, value, reason)
}

/// The column of `obj` for `field`.
pub(crate) fn column(py: Python<'_>, field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Column> {
    let result = if obj.hasattr("__arrow_c_array__")? {
        arrow(field, obj)
    } else if obj.hasattr("__array_interface__")? {
        numpy(field, obj)
    } else {
        sequence(field, obj)
    };
    match result {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(to_py(py, e)),
        Err(e) => Err(e),
    }
}

fn arrow(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Result<Column, Error>> {
    let pair = obj.call_method0("__arrow_c_array__")?;
    let pair = pair.cast::<PyTuple>()?;
    let schema = pair.get_item(0)?;
    let array = pair.get_item(1)?;
    let schema = schema.cast::<PyCapsule>()?;
    let array = array.cast::<PyCapsule>()?;
    let schema_ptr = schema.pointer_checked(Some(c"arrow_schema"))?;
    let array_ptr = array.pointer_checked(Some(c"arrow_array"))?;
    // Moves both out of their capsules, leaving released structs behind (the capsules'
    // destructors leave those alone).
    let (schema, array) = unsafe {
        (
            std::ptr::replace(
                schema_ptr.as_ptr().cast::<FFI_ArrowSchema>(),
                FFI_ArrowSchema::empty(),
            ),
            std::ptr::replace(
                array_ptr.as_ptr().cast::<FFI_ArrowArray>(),
                FFI_ArrowArray::empty(),
            ),
        )
    };
    let data = unsafe { from_ffi(array, &schema) }
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("{field}: {e}")))?;
    let array = make_array(data);
    Ok(obj.py().detach(|| input::column(field, &array)))
}

/// A 1-D, C-contiguous numpy array of numbers, read in place (the array is kept alive by `obj`).
fn numpy(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Result<Column, Error>> {
    let iface = obj.getattr("__array_interface__")?;
    let iface = iface.cast::<PyDict>()?;
    let item = |k: &str| -> PyResult<Bound<'_, PyAny>> {
        iface.get_item(k)?.ok_or_else(|| {
            pyo3::exceptions::PyTypeError::new_err(format!("__array_interface__ has no {k}"))
        })
    };
    let typestr: String = item("typestr")?.extract()?;
    let shape: Vec<usize> = item("shape")?.extract()?;
    let strides = item("strides")?;
    if shape.len() != 1 || !strides.is_none() {
        return Ok(Err(Error::InvalidArgument {
            name: field.into(),
            value: format!("an array of shape {shape:?}"),
            reason: "expected a one-dimensional, contiguous array".into(),
        }));
    }
    let n = shape[0];
    let kind = typestr.get(1..).unwrap_or("");
    if kind == "O" && n > 0 {
        let (address, _readonly): (usize, bool) = item("data")?.extract()?;
        return objects(field, obj, address, n);
    }
    if kind.starts_with('M') {
        let (address, _readonly): (usize, bool) = item("data")?.extract()?;
        return Ok(datetimes(field, kind, address, n));
    }
    if matches!(kind.as_bytes().first(), Some(b'O' | b'U' | b'S')) {
        return sequence(field, obj); // fixed-width text: read item by item
    }
    if typestr.starts_with('>') {
        return Ok(Err(Error::InvalidArgument {
            name: field.into(),
            value: typestr,
            reason: "is a big-endian array: convert it with .astype(native dtype)".into(),
        }));
    }
    let (address, _readonly): (usize, bool) = item("data")?.extract()?;
    let owner = obj.clone().unbind();
    let py = obj.py();
    Ok(py.detach(move || read_numbers(field, kind, owner, address, n)))
}

/// `n` values of type `T` at `address` in the buffer of a numpy array, which `_owner` keeps alive.
struct Pinned<T> {
    _owner: Py<PyAny>,
    address: usize,
    n: usize,
    _type: std::marker::PhantomData<T>,
}

impl<T: Number> Source for Pinned<T> {
    fn slice(&self) -> Slice<'_> {
        if self.n == 0 {
            return T::slice(&[]);
        }
        // SAFETY: numpy's __array_interface__ gave a contiguous, aligned buffer of n items of
        // this type, which lives as long as the array `_owner` holds.
        T::slice(unsafe { std::slice::from_raw_parts(self.address as *const T, self.n) })
    }
}

fn read_numbers(
    field: &str,
    kind: &str,
    owner: Py<PyAny>,
    address: usize,
    n: usize,
) -> Result<Column, Error> {
    fn pinned<T: Number>(
        field: &str,
        owner: Py<PyAny>,
        address: usize,
        n: usize,
    ) -> Result<Column, Error> {
        if n > 0 && address % std::mem::align_of::<T>() != 0 {
            return Err(Error::InvalidArgument {
                name: field.into(),
                value: format!("an array at address {address:#x}"),
                reason: "is not aligned to its dtype: copy it with numpy.ascontiguousarray".into(),
            });
        }
        let source = Pinned::<T> {
            _owner: owner,
            address,
            n,
            _type: std::marker::PhantomData,
        };
        Numbers::new(field, source).map(Column::Numbers)
    }
    match kind {
        "f8" => pinned::<f64>(field, owner, address, n),
        "f4" => pinned::<f32>(field, owner, address, n),
        "i8" => pinned::<i64>(field, owner, address, n),
        "i4" => pinned::<i32>(field, owner, address, n),
        "i2" => pinned::<i16>(field, owner, address, n),
        "i1" => pinned::<i8>(field, owner, address, n),
        "u8" => pinned::<u64>(field, owner, address, n),
        "u4" => pinned::<u32>(field, owner, address, n),
        "u2" => pinned::<u16>(field, owner, address, n),
        "u1" => pinned::<u8>(field, owner, address, n),
        other => Err(Error::InvalidArgument {
            name: field.into(),
            value: format!("dtype {other}"),
            reason: "is not a dtype this field takes (integers or floats)".into(),
        }),
    }
}

/// A numpy `datetime64[ns]` array of `n` values at `address`, as nanoseconds since the epoch;
/// NaT is an error naming its index. Other units are converted in Python first.
fn datetimes(field: &str, kind: &str, address: usize, n: usize) -> Result<Column, Error> {
    if kind != "M8[ns]" {
        return Err(Error::InvalidArgument {
            name: field.into(),
            value: format!("dtype {kind}"),
            reason: "is a datetime64 unit this reader does not take: convert it with \
                     .astype('datetime64[ns]')"
                .into(),
        });
    }
    if n > 0 && address % std::mem::align_of::<i64>() != 0 {
        return Err(Error::InvalidArgument {
            name: field.into(),
            value: format!("an array at address {address:#x}"),
            reason: "is not aligned to its dtype: copy it with numpy.ascontiguousarray".into(),
        });
    }
    let values: &[i64] = if n == 0 {
        &[]
    } else {
        // SAFETY: numpy's __array_interface__ gave a contiguous, aligned buffer of n int64
        // nanoseconds, alive while the caller holds the array.
        unsafe { std::slice::from_raw_parts(address as *const i64, n) }
    };
    match values.iter().position(|&v| v == i64::MIN) {
        Some(i) => Err(bad(field, i, "NaT", "is missing (NaT)")),
        None => Ok(Column::Times(values.to_vec())),
    }
}

/// A numpy array of `n` objects at `address` (a pandas text column): strings are read in place,
/// from the array's own item pointers; anything else item by item.
fn objects(
    field: &str,
    obj: &Bound<'_, PyAny>,
    address: usize,
    n: usize,
) -> PyResult<Result<Column, Error>> {
    let py = obj.py();
    // SAFETY: a contiguous object array holds `n` valid object pointers; `obj` keeps it alive,
    // and each item is borrowed only while the GIL is held, then held by its own reference.
    let item = |i: usize| unsafe {
        Bound::from_borrowed_ptr(py, *(address as *const *mut pyo3::ffi::PyObject).add(i))
    };
    if !item(0).is_instance_of::<PyString>() {
        return sequence(field, obj);
    }
    let mut texts = PyTexts::with_capacity(n);
    for i in 0..n {
        if let Err(e) = texts.push(field, i, item(i))? {
            return Ok(Err(e));
        }
    }
    Ok(Ok(Column::Texts(Texts::new(texts))))
}

/// A sequence of numbers or of text, item by item (the first item tells which).
fn sequence(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Result<Column, Error>> {
    if obj.is_instance_of::<PyString>() {
        return Ok(Err(Error::InvalidArgument {
            name: field.into(),
            value: obj.extract::<String>()?,
            reason: "is one string; expected a sequence of values".into(),
        }));
    }
    let mut numbers = Vec::new();
    let mut texts = PyTexts::default();
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        let text = !texts.is_empty() || (numbers.is_empty() && item.is_instance_of::<PyString>());
        if text {
            if let Err(e) = texts.push(field, i, item)? {
                return Ok(Err(e));
            }
            continue;
        }
        let value = if item.is_none() {
            Err(bad(field, i, "None", "is missing (None)"))
        } else if item.is_instance_of::<pyo3::types::PyBool>() {
            Err(bad(
                field,
                i,
                item.repr()?,
                "is a boolean; expected a number",
            ))
        } else if item.is_instance_of::<PyInt>() || item.hasattr("__index__")? {
            match item.extract::<i64>() {
                Ok(v) => v.checked(field, i),
                Err(_) => Err(bad(field, i, item.repr()?, "is an integer past 2^53")),
            }
        } else if item.is_instance_of::<PyFloat>() || item.hasattr("__float__")? {
            match item.extract::<f64>() {
                Ok(v) => v.checked(field, i),
                Err(_) => Err(bad(field, i, item.repr()?, "is not a number")),
            }
        } else {
            Err(bad(field, i, item.repr()?, "is not a number"))
        };
        match value {
            Ok(v) => numbers.push(v),
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(if texts.is_empty() {
        Column::from(numbers)
    } else {
        Column::Texts(Texts::new(texts))
    }))
}

/// Python strings, read in place: each is held (so its UTF-8 buffer lives, and a `str` never
/// changes) beside where its UTF-8 text is.
#[derive(Default)]
struct PyTexts {
    strings: Vec<Py<PyString>>,
    utf8: Vec<(usize, usize)>,
}

impl PyTexts {
    fn with_capacity(n: usize) -> PyTexts {
        PyTexts {
            strings: Vec::with_capacity(n),
            utf8: Vec::with_capacity(n),
        }
    }

    fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Adds `item`, or gives the error for an item that is not text.
    fn push(
        &mut self,
        field: &str,
        i: usize,
        item: Bound<'_, PyAny>,
    ) -> PyResult<Result<(), Error>> {
        let s = match item.cast_into::<PyString>() {
            Ok(s) => s,
            Err(e) => {
                let item = e.into_inner();
                let missing = item.is_none()
                    || item.extract::<f64>().is_ok_and(f64::is_nan)
                        && item.is_instance_of::<PyFloat>();
                let reason = if missing {
                    "is missing (None or NaN)"
                } else {
                    "is not text, as the values before it are"
                };
                return Ok(Err(bad(field, i, item.repr()?, reason)));
            }
        };
        let text = s.to_str()?;
        self.utf8.push((text.as_ptr() as usize, text.len()));
        self.strings.push(s.unbind());
        Ok(Ok(()))
    }
}

impl TextSource for PyTexts {
    fn len(&self) -> usize {
        self.utf8.len()
    }
    fn get(&self, i: usize) -> &str {
        let (address, len) = self.utf8[i];
        // SAFETY: the UTF-8 text of a `str` held in `strings`: it lives, unchanged, while the
        // string does (`PyUnicode_AsUTF8AndSize` keeps it with the object).
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(address as *const u8, len))
        }
    }
}

/// The address of the first value the column reader reads for `values` (a numbers column), so a
/// test can see that numpy and Arrow buffers are read where they are, not copied.
#[pyfunction]
pub fn column_address(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<usize> {
    match column(py, "values", values)? {
        Column::Numbers(n) => Ok(n.address()),
        Column::Texts(_) | Column::Times(_) => Err(pyo3::exceptions::PyTypeError::new_err(
            "values: only numbers are read in place; give numbers",
        )),
    }
}
