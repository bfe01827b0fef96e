//! Filters from any JSON text on a small log: a filter and its negation split the log's events
//! between them (each keeps what the other drops, at its level), and both results are logs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journeystream_fuzz::targets::filter(data));
