//! Reading arguments from C: NULL checks, UTF-8, slices, and output pointers.

use crate::boundary::Fail;
use std::ffi::{c_char, CStr, CString};

/// A `(ptr, len)` UTF-8 string; a zero-length slice may have a NULL pointer.
pub(crate) unsafe fn text<'a>(
    ptr: *const c_char,
    len: usize,
    name: &'static str,
) -> Result<&'a str, Fail> {
    if len == 0 {
        return Ok("");
    }
    if ptr.is_null() {
        return Err(Fail::Null(name));
    }
    std::str::from_utf8(std::slice::from_raw_parts(ptr.cast::<u8>(), len))
        .map_err(|_| Fail::Utf8(name))
}

/// A NUL-terminated UTF-8 string.
pub(crate) unsafe fn c_text<'a>(ptr: *const c_char, name: &'static str) -> Result<&'a str, Fail> {
    if ptr.is_null() {
        return Err(Fail::Null(name));
    }
    CStr::from_ptr(ptr).to_str().map_err(|_| Fail::Utf8(name))
}

/// A `const` handle.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, name: &'static str) -> Result<&'a T, Fail> {
    ptr.as_ref().ok_or(Fail::Null(name))
}

/// An output pointer, checked before any work is done and written only on success.
pub(crate) unsafe fn out<'a, T>(ptr: *mut T, name: &'static str) -> Result<&'a mut T, Fail> {
    ptr.as_mut().ok_or(Fail::Null(name))
}

/// An optional `const double *`.
pub(crate) unsafe fn maybe(ptr: *const f64) -> Option<f64> {
    ptr.as_ref().copied()
}

/// A string the caller owns and frees with `journeystream_string_free`.
pub(crate) fn owned(s: String) -> *mut c_char {
    CString::new(s.replace('\0', "\\0"))
        .expect("NULs were replaced")
        .into_raw()
}

/// A borrowed C string for a Rust string, kept alive by its owner.
pub(crate) fn keep(s: &str) -> CString {
    CString::new(s.replace('\0', "\\0")).expect("NULs were replaced")
}

/// An element of a list, or `OutOfBounds`.
pub(crate) fn at<T>(list: &[T], index: usize) -> Result<&T, Fail> {
    list.get(index).ok_or(Fail::Bounds {
        index,
        len: list.len(),
    })
}

/// An `n`-element array argument: NULL is accepted only when `n` is 0.
pub(crate) unsafe fn array<'a, T>(
    ptr: *const T,
    n: usize,
    name: &'static str,
) -> Result<&'a [T], Fail> {
    if n == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Fail::Null(name));
    }
    Ok(std::slice::from_raw_parts(ptr, n))
}
