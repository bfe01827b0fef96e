//! The JSON Lines reader on any bytes: what reads is a consistent log whose events are the
//! lines read less the lines skipped.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journeystream_fuzz::targets::jsonl(data));
