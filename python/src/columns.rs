//! Array-shaped inputs from Python (`journeystream::analytics::bulk`): Arrow arrays
//! (`__arrow_c_array__`: pyarrow, polars) and numpy arrays (`__array_interface__`), both read in
//! their own buffers without a copy, and sequences of numbers or text. Numbers must be finite and integers exact as floats
//! (|x| ≤ 2^53); a null, NaN, infinity or a value of the wrong type is an error naming the
//! field, the index and the value. Nothing is cast silently.

use crate::to_py;
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::make_array;
use journeystream::analytics::bulk::{self, Column, Number, Numbers, Slice, Source};
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
    if matches!(kind.as_bytes().first(), Some(b'O' | b'U' | b'S')) {
        return sequence(field, obj); // text (or objects): read item by item
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
    let mut texts = Vec::new();
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        let text = !texts.is_empty() || (numbers.is_empty() && item.is_instance_of::<PyString>());
        if text {
            match item.cast::<PyString>() {
                Ok(s) => texts.push(s.extract::<String>()?),
                Err(_) => {
                    return Ok(Err(bad(
                        field,
                        i,
                        item.repr()?,
                        "is not text, as the values before it are",
                    )))
                }
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
        Column::Texts(texts)
    }))
}

/// The address of the first value the column reader reads for `values` (a numbers column), so a
/// test can see that numpy and Arrow buffers are read where they are, not copied.
#[pyfunction]
pub fn column_address(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<usize> {
    match column(py, "values", values)? {
        Column::Numbers(n) => Ok(n.address()),
        Column::Texts(_) => Err(pyo3::exceptions::PyTypeError::new_err(
            "values: text has no address; give numbers",
        )),
    }
}
