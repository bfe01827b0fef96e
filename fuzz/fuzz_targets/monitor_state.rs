//! A saved KPI monitor from any bytes (raw, or a body framed in a valid header): what reads
//! round-trips through bytes and gives a series or an error.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journeystream_fuzz::targets::monitor_state(data));
