//! The panic boundary, the status codes and the thread's last error.

use journeystream::Error;
use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Status of a call. `JOURNEYSTREAM_STATUS_OK` is 0; the numbers never change.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum journeystream_status {
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// The library panicked; a bug. The message says where.
    Panic = 2,
    /// A string argument was not UTF-8.
    InvalidUtf8 = 3,
    Io = 4,
    Parse = 5,
    UnknownReference = 6,
    DuplicateId = 7,
    OutOfRange = 8,
    NegativeTime = 9,
    EmotionOutOfScale = 10,
    CycleWithoutExit = 11,
    Invalid = 12,
    MissingData = 13,
    InvalidArgument = 14,
    /// An index past the end of a list.
    OutOfBounds = 15,
    /// Bad input data in an event log (a malformed row, an unparseable timestamp, invalid XML).
    Input = 16,
}

/// Why a call failed, before it becomes a status.
pub(crate) enum Fail {
    Null(&'static str),
    Utf8(&'static str),
    Bounds { index: usize, len: usize },
    Core(Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail::Core(e)
    }
}

struct LastError {
    message: CString,
    path: Option<CString>,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn cstring(s: String) -> CString {
    CString::new(s.replace('\0', "\\0")).expect("NULs were replaced")
}

fn record(message: String, path: Option<&str>) {
    LAST_ERROR.with(|e| {
        *e.borrow_mut() = Some(LastError {
            message: cstring(message),
            path: path.map(|p| cstring(p.to_string())),
        })
    });
}

fn status_of(f: Fail) -> journeystream_status {
    use journeystream::ErrorKind as K;
    use journeystream_status as S;
    match f {
        Fail::Null(name) => {
            record(format!("argument '{name}' is NULL"), None);
            S::NullArgument
        }
        Fail::Utf8(name) => {
            record(format!("argument '{name}' is not valid UTF-8"), None);
            S::InvalidUtf8
        }
        Fail::Bounds { index, len } => {
            record(
                format!("index {index} is out of bounds (length {len})"),
                None,
            );
            S::OutOfBounds
        }
        Fail::Core(e) => {
            record(e.to_string(), e.path());
            match e.kind() {
                K::Io => S::Io,
                K::Parse => S::Parse,
                K::UnknownReference => S::UnknownReference,
                K::DuplicateId => S::DuplicateId,
                K::OutOfRange => S::OutOfRange,
                K::NegativeTime => S::NegativeTime,
                K::EmotionOutOfScale => S::EmotionOutOfScale,
                K::CycleWithoutExit => S::CycleWithoutExit,
                K::Invalid => S::Invalid,
                K::MissingData => S::MissingData,
                K::InvalidArgument => S::InvalidArgument,
                K::Input => S::Input,
            }
        }
    }
}

/// Runs `f` behind the panic boundary; its failure or panic becomes a status and the last error.
pub(crate) fn boundary(f: impl FnOnce() -> Result<(), Fail>) -> journeystream_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => {
            LAST_ERROR.with(|e| *e.borrow_mut() = None);
            journeystream_status::Ok
        }
        Ok(Err(fail)) => status_of(fail),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            record(format!("internal error (panic): {what}"), None);
            journeystream_status::Panic
        }
    }
}

/// Runs a function that returns nothing (a `_free`) behind the panic boundary.
pub(crate) fn boundary_void(f: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(f));
}

/// Runs a function that returns a value behind the panic boundary, with `fallback` on a panic.
pub(crate) fn boundary_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// The message of the last failed call on this thread, or NULL when the last call that returns a
/// `journeystream_status` succeeded. Valid until the next such call on this thread.
#[no_mangle]
pub extern "C" fn journeystream_last_error_message() -> *const c_char {
    boundary_value(std::ptr::null(), || {
        LAST_ERROR.with(|e| {
            e.borrow()
                .as_ref()
                .map_or(std::ptr::null(), |e| e.message.as_ptr())
        })
    })
}

/// The JSON path of the field the last failed call complained about (`value_stream.steps[2].uptime_pct`),
/// or NULL when it has none. Valid until the next call that returns a `journeystream_status` on this thread.
#[no_mangle]
pub extern "C" fn journeystream_last_error_path() -> *const c_char {
    boundary_value(std::ptr::null(), || {
        LAST_ERROR.with(|e| {
            e.borrow()
                .as_ref()
                .and_then(|e| e.path.as_ref())
                .map_or(std::ptr::null(), |p| p.as_ptr())
        })
    })
}

/// The snake_case name of a status (`"duplicate_id"`), or `"unknown"` for a number that is no status.
#[no_mangle]
pub extern "C" fn journeystream_status_name(status: u32) -> *const c_char {
    let name: &'static [u8] = match status {
        0 => b"ok\0",
        1 => b"null_argument\0",
        2 => b"panic\0",
        3 => b"invalid_utf8\0",
        4 => b"io\0",
        5 => b"parse\0",
        6 => b"unknown_reference\0",
        7 => b"duplicate_id\0",
        8 => b"out_of_range\0",
        9 => b"negative_time\0",
        10 => b"emotion_out_of_scale\0",
        11 => b"cycle_without_exit\0",
        12 => b"invalid\0",
        13 => b"missing_data\0",
        14 => b"invalid_argument\0",
        15 => b"out_of_bounds\0",
        16 => b"input\0",
        _ => b"unknown\0",
    };
    name.as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_match_core_error_kinds() {
        for kind in journeystream::ErrorKind::ALL {
            let name = unsafe { std::ffi::CStr::from_ptr(journeystream_status_name(kind as u32)) };
            assert_eq!(name.to_str().unwrap(), kind.name());
        }
    }

    #[test]
    fn a_panic_becomes_a_status() {
        let status = boundary(|| panic!("boom"));
        assert_eq!(status, journeystream_status::Panic);
        let msg = unsafe { std::ffi::CStr::from_ptr(journeystream_last_error_message()) };
        assert!(msg.to_str().unwrap().contains("boom"));
    }
}
