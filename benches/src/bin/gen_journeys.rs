//! Synthetic customer journeys (see `journeystream_benches::journeys`), deterministic from a seed.
//!
//! ```text
//! gen_journeys csv   <events> <out.csv> [seed]       write a CSV: case:concept:name,concept:name,time:timestamp,channel
//! gen_journeys scale <events> [profile repeats] [seed]  build the log in memory (LogBuilder, no CSV)
//!                                                      and time the profile on it
//! ```
//!
//! Both print one JSON line. `scale` reports the build time, the profile's median and fastest
//! time and ns/event, EventLog::heap_bytes per event, and the peak resident memory (VmHWM) per event
//! after building and after profiling.

use journeystream::analytics::process::ProfilePartial;
use journeystream::analytics::Partial;
use journeystream_benches::journeys::{build_log, generate, write_csv_row, CSV_HEADER};
use journeystream_benches::{attribute_heap_bytes, median, proc_status_bytes};
use std::io::Write;
use std::time::Instant;

const DEFAULT_SEED: u64 = 20_240_101;

fn usage() -> ! {
    eprintln!("usage: gen_journeys csv <events> <out.csv> [seed] | gen_journeys scale <events> [profile repeats] [seed]");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let events: u64 = args
        .get(2)
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or_else(|| usage());
    match args.get(1).map(String::as_str) {
        Some("csv") => {
            let out = args.get(3).unwrap_or_else(|| usage());
            let seed = args
                .get(4)
                .and_then(|s| s.parse().ok())
                .unwrap_or(DEFAULT_SEED);
            csv(events, out, seed);
        }
        Some("scale") => {
            let repeats = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
            let seed = args
                .get(4)
                .and_then(|s| s.parse().ok())
                .unwrap_or(DEFAULT_SEED);
            scale(events, repeats, seed);
        }
        _ => usage(),
    }
}

fn csv(events: u64, out: &str, seed: u64) {
    let t = Instant::now();
    let file = std::fs::File::create(out).unwrap_or_else(|e| panic!("{out}: {e}"));
    let mut file = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut buf = Vec::with_capacity(1 << 20);
    buf.extend_from_slice(CSV_HEADER.as_bytes());
    let mut bytes = 0u64;
    let mut error = None;
    let cases = generate(events, seed, |e| {
        write_csv_row(&mut buf, e);
        if buf.len() >= (1 << 20) - 128 {
            bytes += buf.len() as u64;
            if let Err(e) = file.write_all(&buf) {
                error.get_or_insert(e);
            }
            buf.clear();
        }
    });
    bytes += buf.len() as u64;
    let result = file.write_all(&buf).and_then(|_| file.flush());
    if let Some(e) = error.or(result.err()) {
        panic!("{out}: {e}");
    }
    println!(
        "{}",
        serde_json::json!({
            "mode": "csv", "file": out, "seed": seed, "events": events, "cases": cases,
            "events_per_case": events as f64 / cases as f64, "bytes": bytes,
            "seconds": t.elapsed().as_secs_f64(),
        })
    );
}

fn scale(events: u64, repeats: usize, seed: u64) {
    let t = Instant::now();
    let log = build_log(events, seed);
    let build_s = t.elapsed().as_secs_f64();
    let hwm_built = proc_status_bytes("VmHWM");
    let heap = log.heap_bytes();
    let core_heap = heap - attribute_heap_bytes(&log);
    let (mut runs, mut partials) = (Vec::new(), Vec::new());
    let mut summary = None;
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        let partial = ProfilePartial::of_log(&log);
        partials.push(t.elapsed().as_secs_f64());
        let p = partial.finish();
        runs.push(t.elapsed().as_secs_f64());
        summary = Some((p.dfg.len(), p.variants.len(), p.cases));
        drop(p);
    }
    let (edges, variants, cases) = summary.expect("one run");
    let profile_s = median(runs.clone());
    let profile_min_s = runs.iter().copied().fold(f64::INFINITY, f64::min);
    let n = log.num_events() as f64;
    let per_event = |b: Option<u64>| b.map(|b| b as f64 / n);
    println!(
        "{}",
        serde_json::json!({
            "mode": "scale", "seed": seed, "events": log.num_events(), "cases": log.num_cases(),
            "events_per_case": n / log.num_cases() as f64,
            "dfg_edges": edges, "variants": variants, "profiled_cases": cases,
            "build_s": build_s, "profile_s": profile_s, "profile_runs_s": runs,
            "partial_s": median(partials), "profile_ns_per_event": profile_s * 1e9 / n,
            "profile_min_s": profile_min_s, "profile_min_ns_per_event": profile_min_s * 1e9 / n,
            "heap_bytes_per_event": heap as f64 / n, "core_heap_bytes_per_event": core_heap as f64 / n,
            "peak_rss_bytes_per_event_built": per_event(hwm_built),
            "peak_rss_bytes_per_event_profiled": per_event(proc_status_bytes("VmHWM")),
        })
    );
}
