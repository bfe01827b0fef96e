//! Funnel and step matrix on a journey log (CSV from `gen_journeys csv`), timed; one JSON line.
//!
//! ```text
//! journey <events.csv> [repeats] [max_steps] [steps, comma-separated]
//! ```
//!
//! Loads the CSV once (timed), then runs the strict-order uniques funnel (no window) over
//! `steps` and the step matrix over `max_steps` steps `repeats` times each, on all cores, and
//! prints the medians, the funnel's counts and median times from step 1, and the step matrix's
//! shares (for the peers to be checked against).

use journeystream::analytics::journey::funnel::{funnel, FunnelRequest};
use journeystream::analytics::journey::step_matrix::{step_matrix, StepMatrixRequest};
use journeystream::log::csv::{read_csv_file, CsvOptions};
use journeystream_benches::median;
use std::time::Instant;

pub const DEFAULT_STEPS: &str = "landing_page,view_product,add_to_cart,start_checkout,place_order";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: journey <events.csv> [repeats] [max_steps] [steps]");
        std::process::exit(2)
    };
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let max_steps: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(10);
    let steps: Vec<String> = args
        .get(4)
        .map_or(DEFAULT_STEPS, String::as_str)
        .split(',')
        .map(str::to_string)
        .collect();
    let t = Instant::now();
    let (log, _) = read_csv_file(path, CsvOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let load_s = t.elapsed().as_secs_f64();

    let request = FunnelRequest::new(steps);
    let (mut funnel_runs, mut matrix_runs) = (Vec::new(), Vec::new());
    let (mut f, mut m) = (None, None);
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        f = Some(funnel(&log, &request).unwrap_or_else(|e| panic!("{e}")));
        funnel_runs.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        m = Some(
            step_matrix(
                &log,
                &StepMatrixRequest {
                    max_steps,
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("{e}")),
        );
        matrix_runs.push(t.elapsed().as_secs_f64());
    }
    let (f, m) = (f.expect("one run"), m.expect("one run"));
    let shares: serde_json::Map<String, serde_json::Value> = m
        .rows
        .iter()
        .map(|r| (r.activity.clone(), serde_json::json!(r.shares)))
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "events": log.num_events(), "cases": log.num_cases(), "threads": rayon_threads(),
            "load_s": load_s,
            "funnel_s": median(funnel_runs.clone()), "funnel_runs_s": funnel_runs,
            "step_matrix_s": median(matrix_runs.clone()), "step_matrix_runs_s": matrix_runs,
            "funnel_counts": f.steps.iter().map(|s| s.count).collect::<Vec<_>>(),
            "funnel_median_from_start_s": f.steps.iter().map(|s| s.time_from_start.map(|t| t.median)).collect::<Vec<_>>(),
            "max_steps": max_steps, "step_matrix": shares,
        })
    );
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
