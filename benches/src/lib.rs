//! Helpers shared by the benchmark binaries in `src/bin`: a deterministic synthetic
//! customer-journey generator, a splitmix64 random stream, medians, and the process's peak resident memory.
//!
//! The benchmarks themselves live in `benches/` (criterion) and `src/bin` (side-by-side runs).

pub mod journeys;
pub mod rng;

/// The median of some timings (the upper middle one for an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    assert!(!v.is_empty(), "median of no runs");
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A field of `/proc/self/status` in bytes (`VmHWM`: peak resident set, `VmRSS`: resident set);
/// `None` off Linux.
pub fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    let kb: u64 = line[field.len() + 1..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Heap bytes of a log's attribute columns (the part of `EventLog::heap_bytes` that is not the
/// core columns: case ids, activity dictionary, offsets, activity codes, timestamps). Counted as
/// the core counts them: codes 4 bytes, options of 8-byte values 16, booleans 2.
pub fn attribute_heap_bytes(log: &journeystream::log::EventLog) -> usize {
    use journeystream::log::Column;
    let column = |c: &Column| match c {
        Column::Text { dict, codes } => dict.heap_bytes() + codes.capacity() * 4,
        Column::Number(v) => v.capacity() * 16,
        Column::Integer(v) => v.capacity() * 16,
        Column::Bool(v) => v.capacity() * 2,
        Column::Time(v) => v.capacity() * 16,
    };
    let events: usize = log
        .event_attribute_names()
        .filter_map(|n| log.event_attribute(n))
        .map(column)
        .sum();
    let cases: usize = log
        .case_attribute_names()
        .filter_map(|n| log.case_attribute(n))
        .map(column)
        .sum();
    events + cases
}
