//! XES(.gz) import side by side: journeystream's `read_xes_file` vs the `process_mining` crate
//! (rust4pm) `import_xes_path`, in one binary (so both get the same flate2 build).
//!
//! `import_peers <log.xes.gz> [repeats] [which]`
//!
//! `which` is `all` (default: runs alternate, medians of each), or one importer alone —
//! `journeystream`, `process_mining`, `process_mining_sorted` — so that the process's peak
//! resident memory (VmHWM) belongs to that importer. `process_mining_sorted` asks it to sort each
//! trace's events by `time:timestamp`, which journeystream always does (stable), so that one is
//! the like-for-like run; `process_mining` is its default (file order). Both keep every
//! attribute. Prints one JSON line.

use journeystream::log::xes::{read_xes_file, XesOptions};
use journeystream_benches::{median, proc_status_bytes};
use process_mining::core::event_data::case_centric::xes::{import_xes_path, XESImportOptions};
use std::time::Instant;

const IMPORTERS: [&str; 3] = ["journeystream", "process_mining", "process_mining_sorted"];

/// Imports once; returns (seconds, traces, events).
fn run(importer: &str, path: &str) -> (f64, usize, usize) {
    let t = Instant::now();
    let (cases, events) = match importer {
        "journeystream" => {
            let (log, _) =
                read_xes_file(path, XesOptions::default()).unwrap_or_else(|e| panic!("{e}"));
            (log.num_cases(), log.num_events())
        }
        "process_mining" | "process_mining_sorted" => {
            let options = XESImportOptions {
                verbose: false,
                sort_events_with_timestamp_key: (importer == "process_mining_sorted")
                    .then(|| "time:timestamp".to_string()),
                ..XESImportOptions::default()
            };
            let log = import_xes_path(path, options)
                .unwrap_or_else(|e| panic!("process_mining: {path}: {e:?}"));
            let events = log.traces.iter().map(|t| t.events.len()).sum();
            (log.traces.len(), events)
        }
        other => panic!("unknown importer {other}; one of {IMPORTERS:?} or all"),
    };
    // The time includes dropping the log, as a load-and-discard would.
    (t.elapsed().as_secs_f64(), cases, events)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!(
            "usage: import_peers <log.xes.gz> [repeats] [all|{}]",
            IMPORTERS.join("|")
        );
        std::process::exit(2)
    };
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let which = args.get(3).map_or("all", String::as_str);
    let importers: Vec<&str> = if which == "all" {
        IMPORTERS.to_vec()
    } else {
        vec![which]
    };
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); importers.len()];
    let mut sizes = vec![(0, 0); importers.len()];
    for _ in 0..repeats.max(1) {
        for (i, importer) in importers.iter().enumerate() {
            let (s, cases, events) = run(importer, path);
            times[i].push(s);
            sizes[i] = (cases, events);
        }
    }
    let mut out = serde_json::Map::new();
    out.insert("file".into(), path.as_str().into());
    out.insert("repeats".into(), repeats.into());
    for (i, importer) in importers.iter().enumerate() {
        out.insert(
            (*importer).into(),
            serde_json::json!({
                "median_s": median(times[i].clone()), "runs_s": times[i],
                "cases": sizes[i].0, "events": sizes[i].1,
            }),
        );
    }
    if importers.len() == 1 {
        out.insert("peak_rss_bytes".into(), proc_status_bytes("VmHWM").into());
    }
    println!("{}", serde_json::Value::Object(out));
}
