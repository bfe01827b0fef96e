//! Synthetic customer journeys (see `journeystream_benches::journeys`), deterministic from a seed.
//!
//! ```text
//! gen_journeys csv   <events> <out.csv> [seed]       write a CSV: case:concept:name,concept:name,time:timestamp,channel
//! gen_journeys scale <events> [profile repeats] [seed]  build the log in memory (LogBuilder, no CSV)
//!                                                      and time the profile and its Arrow tables
//! gen_journeys growth <events,events,...> [rounds] [seed]  build each log in memory, then time
//!                                                      their profiles in turn, round after round
//! ```
//!
//! Each prints one JSON line. `scale` reports the build time, the profile's median and fastest
//! time and ns/event, EventLog::heap_bytes per event, and the peak resident memory (VmHWM) per event
//! after building and after profiling. `growth` reports each size's runs, median and fastest, and
//! the growth exponent b in time = c * events^b (least squares over the sizes): because the sizes
//! alternate within each round, a machine that slows down or speeds up mid-run slows or speeds all
//! of them, not only the ones that happened to run then. A log of a tenth of the largest runs its
//! profile up to ten times per round (as often as fits the time of one largest profile).

use journeystream::analytics::process::ProfilePartial;
use journeystream::analytics::Partial;
use journeystream_benches::journeys::{build_log, generate, write_csv_row, CSV_HEADER};
use journeystream_benches::{attribute_heap_bytes, median, proc_status_bytes};
use std::io::Write;
use std::time::Instant;

const DEFAULT_SEED: u64 = 20_240_101;

fn usage() -> ! {
    eprintln!("usage: gen_journeys csv <events> <out.csv> [seed] | gen_journeys scale <events> [profile repeats] [seed] | gen_journeys growth <events,events,...> [rounds] [seed]");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed = |i: usize| {
        args.get(i)
            .and_then(|s| s.parse().ok())
            .unwrap_or(DEFAULT_SEED)
    };
    if args.get(1).map(String::as_str) == Some("growth") {
        let sizes: Vec<u64> = args
            .get(2)
            .unwrap_or_else(|| usage())
            .split(',')
            .map(|n| n.replace('_', "").parse().unwrap_or_else(|_| usage()))
            .collect();
        let rounds = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
        return growth(&sizes, rounds, seed(4));
    }
    let events: u64 = args
        .get(2)
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or_else(|| usage());
    match args.get(1).map(String::as_str) {
        Some("csv") => {
            let out = args.get(3).unwrap_or_else(|| usage());
            csv(events, out, seed(4));
        }
        Some("scale") => {
            let repeats = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
            scale(events, repeats, seed(4));
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
    let (mut runs, mut partials, mut table_runs) = (Vec::new(), Vec::new(), Vec::new());
    let mut summary = None;
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        let partial = ProfilePartial::of_log(&log);
        partials.push(t.elapsed().as_secs_f64());
        let p = partial.finish();
        runs.push(t.elapsed().as_secs_f64());
        summary = Some((p.dfg.len(), p.variants.len(), p.cases));
        let t = Instant::now();
        let tables = journeystream::columnar::Tables::of(&p).expect("a profile has tables");
        table_runs.push(t.elapsed().as_secs_f64());
        drop((p, tables));
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
            "partial_s": median(partials), "tables_s": median(table_runs), "profile_ns_per_event": profile_s * 1e9 / n,
            "profile_min_s": profile_min_s, "profile_min_ns_per_event": profile_min_s * 1e9 / n,
            "heap_bytes_per_event": heap as f64 / n, "core_heap_bytes_per_event": core_heap as f64 / n,
            "peak_rss_bytes_per_event_built": per_event(hwm_built),
            "peak_rss_bytes_per_event_profiled": per_event(proc_status_bytes("VmHWM")),
        })
    );
}

fn growth(sizes: &[u64], rounds: usize, seed: u64) {
    let largest = sizes.iter().copied().max().unwrap_or_else(|| usage());
    let logs: Vec<_> = sizes
        .iter()
        .map(|&n| {
            let t = Instant::now();
            let log = build_log(n, seed);
            (log, t.elapsed().as_secs_f64())
        })
        .collect();
    let mut runs = vec![Vec::new(); sizes.len()];
    let mut variants = vec![0; sizes.len()];
    for _ in 0..rounds.max(1) {
        for (((log, _), runs), variants) in logs.iter().zip(&mut runs).zip(&mut variants) {
            let per_round = (largest / log.num_events().max(1) as u64).clamp(1, 10);
            for _ in 0..per_round {
                let t = Instant::now();
                let p = ProfilePartial::of_log(log).finish();
                runs.push(t.elapsed().as_secs_f64());
                *variants = p.variants.len();
                drop(p);
            }
        }
    }
    let rows: Vec<serde_json::Value> = logs
        .iter()
        .zip(&runs)
        .zip(&variants)
        .map(|(((log, build_s), runs), variants)| {
            let n = log.num_events() as f64;
            let (med, min) = (
                median(runs.clone()),
                runs.iter().copied().fold(f64::INFINITY, f64::min),
            );
            let core_heap = log.heap_bytes() - attribute_heap_bytes(log);
            serde_json::json!({
                "events": log.num_events(), "cases": log.num_cases(), "variants": variants,
                "build_s": build_s,
                "profile_runs_s": runs, "profile_s": med, "profile_min_s": min,
                "profile_ns_per_event": med * 1e9 / n, "profile_min_ns_per_event": min * 1e9 / n,
                "core_heap_bytes_per_event": core_heap as f64 / n,
            })
        })
        .collect();
    let exponent = |field: &str| {
        let points: Vec<(f64, f64)> = rows
            .iter()
            .map(|r| {
                (
                    r["events"].as_f64().unwrap_or(1.0).ln(),
                    r[field].as_f64().unwrap_or(1.0).ln(),
                )
            })
            .collect();
        slope(&points)
    };
    println!(
        "{}",
        serde_json::json!({
            "mode": "growth", "seed": seed, "rounds": rounds,
            "threads": rayon::current_num_threads(), "sizes": rows,
            "exponent_median": exponent("profile_s"), "exponent_min": exponent("profile_min_s"),
        })
    );
}

/// The least-squares slope of `y` on `x`; none for fewer than two distinct `x`.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
    let sxx: f64 = points.iter().map(|&(x, _)| (x - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|&(x, y)| (x - mx) * (y - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}
