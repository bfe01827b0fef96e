//! The map document on any text: a document that parses re-serialises to an equal document;
//! a valid one measures, projects and draws in every kind (or says why it cannot), and its
//! drawings are well-formed SVG.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journeystream_fuzz::targets::map(data));
