//! C ABI over the `journeystream` core: `libjourneystream.so` / `.a` and `include/journeystream.h`.
//!
//! Conventions (from rustls-ffi): every function runs behind a panic boundary; fallible functions
//! return a [`journeystream_status`] and write their result through `out_*` pointers only on
//! success; `journeystream_last_error_message()` tells what went wrong on this thread; handles are
//! opaque, created by `_new`/`_from_*`/`_measure` and released by `_free`; NULL arguments give
//! `JOURNEYSTREAM_STATUS_NULL_ARGUMENT`; enum values from C are read as integers and checked.
#![allow(non_camel_case_types, clippy::missing_safety_doc)]

mod analysis;
mod args;
mod boundary;
mod log;
mod map;
mod metrics;
mod render;

pub use analysis::*;
pub use boundary::*;
pub use log::*;
pub use map::*;
pub use metrics::*;
pub use render::*;

use std::ffi::{c_char, CString};

/// The library version, e.g. `"0.1.0"`.
#[no_mangle]
pub extern "C" fn journeystream_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Frees a string returned by the library. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn journeystream_string_free(s: *mut c_char) {
    boundary::boundary_void(|| {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}
