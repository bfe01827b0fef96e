//! CSV ingestion: reads a CSV event log with `read_csv_file` (default options: columns
//! `case:concept:name`, `concept:name`, `time:timestamp`, other columns kept as attributes),
//! then profiles it. Prints one JSON line.
//!
//! `csv_ingest <file.csv> [load repeats] [profile repeats] [profile.json]`
//!
//! Peak resident memory (VmHWM) is read right after the first load, before anything else runs,
//! so it is the load's own peak; later loads drop the previous log first. MB/s is the file's
//! bytes (10^6 bytes a MB) over the median load time.

use journeystream::analytics::process::ProfilePartial;
use journeystream::analytics::Partial;
use journeystream::log::csv::{read_csv_file, CsvOptions};
use journeystream_benches::{attribute_heap_bytes, median, proc_status_bytes};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(input) = args.get(1) else {
        eprintln!("usage: csv_ingest <file.csv> [load repeats] [profile repeats] [profile.json]");
        std::process::exit(2)
    };
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let profile_repeats: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(3);
    let bytes = std::fs::metadata(input)
        .unwrap_or_else(|e| panic!("{input}: {e}"))
        .len();

    let t = Instant::now();
    let (log, report) =
        read_csv_file(input, CsvOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut loads = vec![t.elapsed().as_secs_f64()];
    let hwm_loaded = proc_status_bytes("VmHWM");
    let rss_loaded = proc_status_bytes("VmRSS");
    let n = log.num_events() as f64;
    let heap = log.heap_bytes();
    let core_heap = heap - attribute_heap_bytes(&log);

    let mut runs = Vec::new();
    let mut profile = None;
    for _ in 0..profile_repeats.max(1) {
        let t = Instant::now();
        let p = ProfilePartial::of_log(&log).finish();
        runs.push(t.elapsed().as_secs_f64());
        profile = Some(p);
    }
    let profile = profile.expect("one run");
    if let Some(out) = args.get(4) {
        std::fs::write(
            out,
            serde_json::to_string(&profile).expect("profile serializes"),
        )
        .unwrap_or_else(|e| panic!("{out}: {e}"));
    }
    let (cases, edges, variants) = (log.num_cases(), profile.dfg.len(), profile.variants.len());
    drop(profile);
    let hwm_profiled = proc_status_bytes("VmHWM");
    drop(log);

    for _ in 1..repeats.max(1) {
        let t = Instant::now();
        let (log, _) =
            read_csv_file(input, CsvOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        loads.push(t.elapsed().as_secs_f64());
        drop(log);
    }
    let (load_s, profile_s) = (median(loads.clone()), median(runs.clone()));
    let per_event = |b: Option<u64>| b.map(|b| b as f64 / n);
    println!(
        "{}",
        serde_json::json!({
            "file": input, "bytes": bytes, "events": n as u64, "cases": cases,
            "rows_read": report.rows_read, "rows_skipped": report.rows_skipped,
            "dfg_edges": edges, "variants": variants,
            "load_s": load_s, "load_runs_s": loads, "mb_per_s": bytes as f64 / 1e6 / load_s,
            "load_ns_per_event": load_s * 1e9 / n,
            "profile_s": profile_s, "profile_runs_s": runs, "profile_ns_per_event": profile_s * 1e9 / n,
            "load_plus_profile_s": load_s + profile_s,
            "heap_bytes_per_event": heap as f64 / n, "core_heap_bytes_per_event": core_heap as f64 / n,
            "peak_rss_bytes_per_event_loaded": per_event(hwm_loaded),
            "rss_bytes_per_event_loaded": per_event(rss_loaded),
            "peak_rss_bytes_per_event_profiled": per_event(hwm_profiled),
        })
    );
}
