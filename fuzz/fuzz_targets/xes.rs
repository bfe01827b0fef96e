//! The XES reader on any bytes, plain or gzipped (the gzip magic bytes decide, as for a file):
//! what reads is a consistent log.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journeystream_fuzz::targets::xes(data));
