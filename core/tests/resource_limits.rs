//! Inputs that would take unbounded memory stop with an error at the bound: one record (a CSV
//! row, a JSON Lines line, an XML tag or text) reads at most `MAX_RECORD_BYTES` (64 MiB), a
//! name at most `MAX_NAME_BYTES` (64 KiB), and bytes that are not XML stop the XES reader at
//! the first one.

use flate2::{write::GzEncoder, Compression};
use journeystream::log::csv::{read_csv, CsvOptions};
use journeystream::log::jsonl::{read_jsonl, JsonlOptions};
use journeystream::log::read::{decompressed, MAX_RECORD_BYTES};
use journeystream::log::xes::{read_xes, XesOptions};
use journeystream::log::MAX_NAME_BYTES;
use journeystream::ErrorKind;
use std::io::{self, Read};

/// `n` bytes of `byte`, generated as they are read (the test holds none of them).
fn repeated(byte: u8, n: u64) -> impl Read {
    io::repeat(byte).take(n)
}

fn gzip(mut input: impl Read) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    io::copy(&mut input, &mut gz).unwrap();
    gz.finish().unwrap()
}

const BIG: u64 = MAX_RECORD_BYTES + (8 << 20);

#[test]
fn zero_bytes_are_not_xml_from_the_first_byte() {
    let bomb = gzip(repeated(0, 64 << 20));
    assert!(bomb.len() < 1 << 20, "{}", bomb.len()); // a thousandfold
    let e = read_xes(decompressed(&bomb[..]).unwrap(), XesOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Input);
    assert!(
        e.to_string()
            .starts_with("byte 1: the byte 0x00 is not the start of XML"),
        "{e}"
    );
    let e = read_xes(&b"\xef\xbb\xbf  case,activity\n"[..], XesOptions::default()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("byte 6: 'c' is not the start of XML"),
        "{e}"
    );
}

#[test]
fn an_attribute_value_past_the_bound_stops_the_xes_reader() {
    let head = r#"<?xml version="1.0"?><log><trace><string key="concept:name" value="c1"/><event><string key="concept:name" value=""#;
    let input = head
        .as_bytes()
        .chain(repeated(b'a', BIG))
        .chain(&b"\"/></event></trace></log>"[..]);
    let e = read_xes(input, XesOptions::default()).unwrap_err();
    assert!(e.to_string().contains("longer than 64 MiB"), "{e}");
}

#[test]
fn a_csv_row_past_the_bound_is_refused() {
    let input = "case,activity,timestamp\nc1,"
        .as_bytes()
        .chain(repeated(b'a', BIG))
        .chain(&b",2024-01-01\n"[..]);
    let e = read_csv(input, CsvOptions::default()).unwrap_err();
    assert!(e.to_string().contains("longer than 64 MiB"), "{e}");
    assert!(e.to_string().starts_with("line 2"), "{e}");
    // Zero bytes without a line break: one record that never ends.
    let e = read_csv(repeated(0, BIG), CsvOptions::default()).unwrap_err();
    assert!(e.to_string().contains("longer than 64 MiB"), "{e}");
}

#[test]
fn a_json_lines_line_past_the_bound_is_refused() {
    let input = br#"{"case": "c1", "activity": ""#
        .chain(repeated(b'a', BIG))
        .chain(&b"\", \"timestamp\": \"2024-01-01\"}\n"[..]);
    let e = read_jsonl(input, JsonlOptions::default()).unwrap_err();
    assert!(e.to_string().contains("longer than 64 MiB"), "{e}");
    assert!(e.to_string().starts_with("line 1"), "{e}");
}

#[test]
fn names_longer_than_64_kib_are_refused_and_64_kib_is_a_name() {
    let csv = |len: usize| {
        format!(
            "case,activity,timestamp\nc1,{},2024-01-01\nc1,b,2024-01-02\n",
            "x".repeat(len)
        )
    };
    let (log, _) = read_csv(csv(MAX_NAME_BYTES).as_bytes(), CsvOptions::default()).unwrap();
    assert_eq!(log.num_events(), 2);
    let e = read_csv(csv(MAX_NAME_BYTES + 1).as_bytes(), CsvOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Input);
    assert!(
        e.to_string()
            .contains("the activity is 65537 bytes long, more than the 65536"),
        "{e}"
    );
}

#[test]
fn a_large_valid_record_below_the_bound_reads() {
    // A 1 MiB attribute value is data, not an attack.
    let value = "v".repeat(1 << 20);
    let text = format!("case,activity,timestamp,note\nc1,a,2024-01-01,{value}\n");
    let (log, _) = read_csv(text.as_bytes(), CsvOptions::default()).unwrap();
    assert_eq!(log.num_events(), 1);
}

#[test]
#[ignore]
fn print_the_messages() {
    let head = r#"<?xml version="1.0"?><log><trace><event><string key="concept:name" value=""#;
    let input = head.as_bytes().chain(repeated(b'a', BIG));
    println!(
        "xes: {}",
        read_xes(input, XesOptions::default()).unwrap_err()
    );
    let input = "case,activity,timestamp\nc1,"
        .as_bytes()
        .chain(repeated(b'a', BIG));
    println!(
        "csv: {}",
        read_csv(input, CsvOptions::default()).unwrap_err()
    );
    let input = br#"{"case": "c1", "activity": ""#.chain(repeated(b'a', BIG));
    println!(
        "jsonl: {}",
        read_jsonl(input, JsonlOptions::default()).unwrap_err()
    );
}

/// Reads the XES file named by `JOURNEYSTREAM_XES` (for measuring memory on a real bomb:
/// `/usr/bin/time -v cargo test --release --test resource_limits -- --ignored read_a_named_file`).
#[test]
#[ignore]
fn read_a_named_file() {
    if let Ok(path) = std::env::var("JOURNEYSTREAM_XES") {
        let start = std::time::Instant::now();
        let result = journeystream::log::xes::read_xes_file(&path, XesOptions::default());
        println!(
            "{path}: {:?} in {:?}",
            result.map(|(l, _)| l.num_events()),
            start.elapsed()
        );
    }
}
