//! Loads an XES(.gz) log, profiles it, prints timings as JSON and writes the profile.
//!
//! `profile_log <log.xes.gz> <profile.json> [repeats] [profile repeats]`

use journeystream::analytics::process::ProfilePartial;
use journeystream::analytics::Partial;
use journeystream::log::xes::{read_xes_file, XesOptions};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = (&args[1], &args[2]);
    let repeats: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    let profile_repeats: usize = args.get(4).and_then(|r| r.parse().ok()).unwrap_or(repeats);
    let mut loads = Vec::new();
    let mut log = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let (l, _) = read_xes_file(input, XesOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        loads.push(t.elapsed().as_secs_f64());
        log = Some(l);
    }
    let log = log.expect("at least one run");
    let (mut runs, mut partials) = (Vec::new(), Vec::new());
    let mut p = None;
    for _ in 0..profile_repeats {
        let t = Instant::now();
        let partial = ProfilePartial::of_log(&log);
        partials.push(t.elapsed().as_secs_f64());
        p = Some(partial.finish());
        runs.push(t.elapsed().as_secs_f64());
    }
    std::fs::write(
        output,
        serde_json::to_string(&p).expect("profile serializes"),
    )
    .expect("write profile");
    println!(
        "{}",
        serde_json::json!({"load_s": median(loads), "profile_s": median(runs), "partial_s": median(partials), "cases": log.num_cases(), "events": log.num_events(), "heap_bytes": log.heap_bytes()})
    );
}
