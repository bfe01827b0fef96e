//! The CSV reader on any bytes, under options chosen by the first byte: what reads is a
//! consistent log whose events are the rows read less the rows skipped.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journeystream_fuzz::targets::csv(data));
