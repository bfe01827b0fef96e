//! Every analysis through the one entry the bindings use, on a small log: any request text gets
//! a JSON result or an error, never a panic, an abort or a hang (libFuzzer's -timeout).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journeystream_fuzz::targets::request(data));
