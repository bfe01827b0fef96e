//! Analyses with typed results: a request handle whose array-shaped fields come in as C arrays
//! or Arrow arrays, and a result handle whose tables go out through the Arrow C stream
//! interface. Bulk data never passes through JSON text; a request's options still do.

use crate::args::{array, c_text, handle, out, owned, text};
use crate::boundary::{boundary, boundary_value, boundary_void, journeystream_status, Fail};
use crate::log::journeystream_log;
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{make_array, RecordBatchIterator};
use journeystream::analytics::bulk::{bad_value, Column};
use journeystream::analytics::request::{Output, Request};
use journeystream::columnar::{input, Tables};
use journeystream::Error;
use std::ffi::{c_char, CStr, CString};
use std::sync::OnceLock;

/// An analysis request (opaque): its options from JSON, its array-shaped fields set as columns.
/// Not thread-safe while being set; free it with `journeystream_request_free`.
pub struct journeystream_request {
    inner: Request,
}

/// The typed result of one analysis (opaque). Immutable; may be read from several threads at
/// once. Free it with `journeystream_result_free`; the streams it handed out stay valid after.
pub struct journeystream_result {
    output: Output,
    analysis: CString,
    tables: OnceLock<Result<Built, String>>,
}

/// A result's tables, built on first use, with their names as C strings.
struct Built {
    tables: Tables,
    names: Vec<CString>,
}

impl journeystream_result {
    fn boxed(output: Output) -> *mut journeystream_result {
        Box::into_raw(Box::new(journeystream_result {
            analysis: CString::new(output.analysis()).expect("analysis names have no NUL"),
            output,
            tables: OnceLock::new(),
        }))
    }

    fn tables(&self) -> Result<&Tables, Fail> {
        self.built().map(|b| &b.tables)
    }

    fn built(&self) -> Result<&Built, Fail> {
        self.tables
            .get_or_init(|| {
                let tables = Tables::of(&self.output).map_err(|e| e.to_string())?;
                let names = tables.names().into_iter().map(crate::args::keep).collect();
                Ok(Built { tables, names })
            })
            .as_ref()
            .map_err(|reason| {
                Fail::Core(Error::InvalidArgument {
                    name: "result".into(),
                    value: "tables".into(),
                    reason: reason.clone(),
                })
            })
    }
}

/// Parses a request (`len` bytes of UTF-8 JSON, as for `journeystream_analyze`), to be completed
/// with `journeystream_request_set_*` and run with `journeystream_request_evaluate`. A request that
/// is not JSON, names an unknown analysis or has an unknown field gives
/// `JOURNEYSTREAM_STATUS_PARSE` with the field's path.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_new(
    request_json: *const c_char,
    len: usize,
    out_request: *mut *mut journeystream_request,
) -> journeystream_status {
    boundary(|| {
        let out_request = out(out_request, "out_request")?;
        let inner = Request::from_json(text(request_json, len, "request_json")?)?;
        *out_request = Box::into_raw(Box::new(journeystream_request { inner }));
        Ok(())
    })
}

/// Frees a request. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_free(request: *mut journeystream_request) {
    boundary_void(|| {
        if !request.is_null() {
            drop(Box::from_raw(request));
        }
    })
}

unsafe fn set(
    request: *mut journeystream_request,
    field: *const c_char,
    column: impl FnOnce(&str) -> Result<Column, Fail>,
) -> journeystream_status {
    boundary(|| {
        let request = request.as_mut().ok_or(Fail::Null("request"))?;
        let field = c_text(field, "field")?;
        let column = column(field)?;
        request.inner.set_column(field, column)?;
        Ok(())
    })
}

/// Sets the array-shaped field `field` (NUL-terminated, e.g. `"scores"`, `"before.durations"`,
/// `"frequency"`) to `n` doubles, copied. A NaN or an infinity gives
/// `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT` naming `field[index]` and the value; so does a field
/// the analysis does not take (with the closest name it does), one already set, or one that takes
/// text. `values` may be NULL when `n` is 0.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_set_numbers(
    request: *mut journeystream_request,
    field: *const c_char,
    values: *const f64,
    n: usize,
) -> journeystream_status {
    set(request, field, |f| {
        Ok(Column::numbers(f, array(values, n, "values")?)?)
    })
}

/// As `journeystream_request_set_numbers`, for `n` 64-bit integers; one past 2^53 in magnitude
/// (which a double cannot hold exactly) gives `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_set_integers(
    request: *mut journeystream_request,
    field: *const c_char,
    values: *const i64,
    n: usize,
) -> journeystream_status {
    set(request, field, |f| {
        Ok(Column::numbers(f, array(values, n, "values")?)?)
    })
}

/// Sets the timestamp field `field` (`"timestamps"` of `rfm_summary`) to `n` points in time,
/// nanoseconds since the Unix epoch (UTC), copied. `values` may be NULL when `n` is 0.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_set_times(
    request: *mut journeystream_request,
    field: *const c_char,
    values: *const i64,
    n: usize,
) -> journeystream_status {
    set(request, field, |_| {
        Ok(Column::Times(array(values, n, "values")?.to_vec()))
    })
}

/// Sets the text field `field` (`"segments"`) to `n` NUL-terminated UTF-8 strings, copied. A NULL
/// element or one that is not UTF-8 gives `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT` naming
/// `field[index]`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_set_texts(
    request: *mut journeystream_request,
    field: *const c_char,
    values: *const *const c_char,
    n: usize,
) -> journeystream_status {
    set(request, field, |f| {
        let texts = array(values, n, "values")?
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                if p.is_null() {
                    return Err(bad_value(f, i, "NULL", "is missing (a NULL string)"));
                }
                CStr::from_ptr(p)
                    .to_str()
                    .map(str::to_string)
                    .map_err(|_| bad_value(f, i, "(bytes)", "is not UTF-8"))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Column::Texts(texts.into()))
    })
}

/// Sets the field `field` from an Arrow array (C data interface) of any integer, float or string
/// type: integers and floats become numbers, strings text; a null, NaN, infinity or integer past
/// 2^53 gives `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT` naming `field[index]`.
///
/// Numbers are read in the array's own buffers, not copied; text is copied.
///
/// Ownership: once `request`, `field` (NUL-terminated UTF-8), `array` and `schema` are checked
/// (not NULL), the library moves `*array` and `*schema` out, successful or not (they are left
/// released: `release == NULL`); the caller must not release them again. The library calls the
/// array's `release` when it no longer reads it: at once on a failure or for text, and for
/// numbers when `request` is freed. A call that fails the pointer checks leaves both untouched.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_set_arrow(
    request: *mut journeystream_request,
    field: *const c_char,
    array: *mut FFI_ArrowArray,
    schema: *mut FFI_ArrowSchema,
) -> journeystream_status {
    set(request, field, |f| {
        // Both checked before either is moved.
        let (array, schema) = (out(array, "array")?, out(schema, "schema")?);
        let array = std::ptr::replace(array, FFI_ArrowArray::empty());
        let schema = std::ptr::replace(schema, FFI_ArrowSchema::empty());
        let data = from_ffi(array, &schema).map_err(|e| Error::InvalidArgument {
            name: f.into(),
            value: "an Arrow array".into(),
            reason: format!("cannot be read: {e}"),
        })?;
        Ok(input::column(f, &make_array(data))?)
    })
}

/// Runs a request on `log` (NULL for analyses that carry their data in the request) and writes a
/// new result handle to `out_result`. The request is not changed and may be run again.
#[no_mangle]
pub unsafe extern "C" fn journeystream_request_evaluate(
    request: *const journeystream_request,
    log: *const journeystream_log,
    out_result: *mut *mut journeystream_result,
) -> journeystream_status {
    boundary(|| {
        let out_result = out(out_result, "out_result")?;
        let request = handle(request, "request")?;
        *out_result =
            journeystream_result::boxed(request.inner.evaluate(log.as_ref().map(|l| &l.inner))?);
        Ok(())
    })
}

/// Parses and runs a request in one call: `journeystream_request_new` then
/// `journeystream_request_evaluate`, for requests without columns.
#[no_mangle]
pub unsafe extern "C" fn journeystream_evaluate(
    log: *const journeystream_log,
    request_json: *const c_char,
    len: usize,
    out_result: *mut *mut journeystream_result,
) -> journeystream_status {
    boundary(|| {
        let out_result = out(out_result, "out_result")?;
        let request = Request::from_json(text(request_json, len, "request_json")?)?;
        *out_result =
            journeystream_result::boxed(request.evaluate(log.as_ref().map(|l| &l.inner))?);
        Ok(())
    })
}

/// Frees a result. NULL is ignored. Streams from `journeystream_result_table` stay valid.
#[no_mangle]
pub unsafe extern "C" fn journeystream_result_free(result: *mut journeystream_result) {
    boundary_void(|| {
        if !result.is_null() {
            drop(Box::from_raw(result));
        }
    })
}

/// The name of the analysis that made `result` (`"profile"`), valid while `result` lives; NULL
/// when `result` is NULL.
#[no_mangle]
pub unsafe extern "C" fn journeystream_result_analysis(
    result: *const journeystream_result,
) -> *const c_char {
    boundary_value(std::ptr::null(), || {
        result
            .as_ref()
            .map_or(std::ptr::null(), |r| r.analysis.as_ptr())
    })
}

/// The whole result as JSON (what `journeystream_analyze` writes). Free it with
/// `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_result_json(
    result: *const journeystream_result,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let result = handle(result, "result")?;
        *out_json = owned(serde_json::to_string(&result.output).expect("results serialize"));
        Ok(())
    })
}

/// The result without its tables, as JSON (`null` when the whole result is one table). Free it
/// with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_result_scalars_json(
    result: *const journeystream_result,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let result = handle(result, "result")?;
        *out_json = owned(result.tables()?.scalars.to_string());
        Ok(())
    })
}

/// The number of tables in the result.
#[no_mangle]
pub unsafe extern "C" fn journeystream_result_table_count(
    result: *const journeystream_result,
    out_count: *mut usize,
) -> journeystream_status {
    boundary(|| {
        let out_count = out(out_count, "out_count")?;
        *out_count = handle(result, "result")?.tables()?.tables.len();
        Ok(())
    })
}

/// The name of table `index` (`"dfg"`, `"variants"`, `"case_durations.cases"`: where it sits in
/// the result's JSON, `rows` when the whole result is a table), valid while `result` lives. An
/// index past the last gives `JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_result_table_name(
    result: *const journeystream_result,
    index: usize,
    out_name: *mut *const c_char,
) -> journeystream_status {
    boundary(|| {
        let out_name = out(out_name, "out_name")?;
        let built = handle(result, "result")?.built()?;
        *out_name = crate::args::at(&built.names, index)?.as_ptr();
        Ok(())
    })
}

/// Exports table `name` (NUL-terminated) as an Arrow C stream of one record batch into
/// `*out_stream`. The stream shares the table's buffers and owns a reference to them: it stays
/// valid after `journeystream_result_free`, and the caller releases it with
/// `out_stream->release(out_stream)`. Its schema is a struct whose children are the table's
/// columns, with the metadata `journeystream.table` (the name) and `journeystream.kind`
/// (`rows`, `values` or `columns`). A name the result does not have gives
/// `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT` listing those it has.
#[no_mangle]
pub unsafe extern "C" fn journeystream_result_table(
    result: *const journeystream_result,
    name: *const c_char,
    out_stream: *mut FFI_ArrowArrayStream,
) -> journeystream_status {
    boundary(|| {
        let out_stream = out(out_stream, "out_stream")?;
        let name = c_text(name, "name")?;
        let table = handle(result, "result")?.tables()?.named(name)?;
        let batch = table.batch.clone();
        let reader = RecordBatchIterator::new([Ok(batch.clone())], batch.schema());
        std::ptr::write(out_stream, FFI_ArrowArrayStream::new(Box::new(reader)));
        Ok(())
    })
}
