//! Attribution side by side with ChannelAttribution: generates a synthetic path table and runs a
//! model on a path table CSV (ChannelAttribution's layout, `;`-separated, header
//! `path;total_conversions;total_conversion_value;total_null`), printing timings and the result.
//!
//! ```text
//! attribution gen <paths> <out.csv> [seed]
//! attribution run <table.csv> <model> [order] [repeats]
//! ```
//!
//! Models: `first_touch`, `last_touch`, `linear`, `u_shaped`, `markov`, `shapley`, and
//! `heuristics` (the first three on one parse of the table, as ChannelAttribution's
//! `heuristic_models` computes them in one call).
//!
//! `run` reads the file into JSON rows once (not timed), then times `repeats` runs (default 5) of
//! reading the rows into a path table (parsing the path strings) plus the model, and prints one
//! JSON object: `model`, `order`, `rows`, `median_s`, `runs_s`, `same_every_run` (every run's
//! result serialised identically) and `result`.

use journeystream::analytics::attribution::{
    heuristic::{heuristic, Heuristic},
    markov::markov,
    shapley::shapley,
    Attribution, PathTable,
};
use journeystream_benches::{median, rng::SplitMix64};
use serde_json::{json, Value};
use std::io::{BufWriter, Write};
use std::time::Instant;

const CHANNELS: [&str; 12] = [
    "paid_search",
    "organic_search",
    "display",
    "social",
    "email",
    "affiliate",
    "direct",
    "referral",
    "video",
    "push",
    "sms",
    "partner",
];

/// A synthetic path table: channels drawn with a Zipf-like popularity and a preference to repeat
/// the previous channel's neighbours, path lengths 1..=24 (geometric, mean about 4), conversions
/// and nulls per path small counts, value per conversion 5 to 200.
fn generate(paths: usize, seed: u64, out: &str) -> std::io::Result<()> {
    let mut rng = SplitMix64::new(seed);
    let weights: Vec<f64> = (0..CHANNELS.len())
        .map(|i| 1.0 / (i as f64 + 1.0))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    writeln!(
        w,
        "path;total_conversions;total_conversion_value;total_null"
    )?;
    let mut path: Vec<usize> = Vec::new();
    for _ in 0..paths {
        path.clear();
        loop {
            let c = if let (Some(&prev), true) = (path.last(), rng.unit() < 0.35) {
                (prev + 1 + (rng.next_u64() % 3) as usize) % CHANNELS.len()
            } else {
                let mut u = rng.unit() * total;
                let mut k = 0;
                while k + 1 < weights.len() && u >= weights[k] {
                    u -= weights[k];
                    k += 1;
                }
                k
            };
            path.push(c);
            if path.len() >= 24 || rng.unit() < 0.25 {
                break;
            }
        }
        // Conversion odds grow with email, direct and path length.
        let boost = path.iter().filter(|&&c| c == 4 || c == 6).count() as f64;
        let p = (0.05 + 0.04 * boost + 0.01 * path.len() as f64).min(0.8);
        let journeys = 1 + (rng.next_u64() % 6);
        let conversions = (0..journeys).filter(|_| rng.unit() < p).count() as u64;
        let value: f64 = (0..conversions).fold(0.0, |s, _| s + 5.0 + 195.0 * rng.unit());
        let names: Vec<&str> = path.iter().map(|&c| CHANNELS[c]).collect();
        writeln!(
            w,
            "{};{};{:.3};{}",
            names.join(" > "),
            conversions,
            value,
            journeys - conversions
        )?;
    }
    w.flush()
}

fn read_rows(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            let num =
                |i: usize| -> f64 { f.get(i).and_then(|s| s.trim().parse().ok()).unwrap_or(0.0) };
            json!([f[0], num(1), num(2), num(3)])
        })
        .collect()
}

/// Runs `model` on the rows; `heuristics` runs first touch, last touch and linear on one parse
/// (ChannelAttribution's `heuristic_models` computes the three in one call) and returns linear's.
fn run_model(rows: &[Value], model: &str, order: usize) -> Attribution {
    let t = PathTable::from_rows(rows, ">").unwrap_or_else(|e| panic!("{e}"));
    let h = |m| heuristic(&t, m).unwrap_or_else(|e| panic!("{e}"));
    match model {
        "heuristics" => {
            let (first, last) = (h(Heuristic::FirstTouch), h(Heuristic::LastTouch));
            assert_eq!(first.total_conversions, last.total_conversions);
            h(Heuristic::Linear)
        }
        "first_touch" => h(Heuristic::FirstTouch),
        "last_touch" => h(Heuristic::LastTouch),
        "linear" => h(Heuristic::Linear),
        "u_shaped" => h(Heuristic::U_SHAPED),
        "markov" => markov(&t, order).unwrap_or_else(|e| panic!("{e}")),
        "shapley" => shapley(&t).unwrap_or_else(|e| panic!("{e}")),
        other => panic!("unknown model {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("gen") => {
            let n: usize = args[2].parse().expect("paths");
            let seed = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(42);
            generate(n, seed, &args[3]).expect("write the table");
        }
        Some("run") => {
            let rows = read_rows(&args[2]);
            let model = args[3].as_str();
            let order: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
            let repeats: usize = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(5);
            let mut runs = Vec::new();
            let mut results = Vec::new();
            for _ in 0..repeats.max(1) {
                let t = Instant::now();
                let a = run_model(&rows, model, order);
                runs.push(t.elapsed().as_secs_f64());
                results.push(serde_json::to_string(&a).expect("serialize"));
            }
            let same = results.iter().all(|r| *r == results[0]);
            let result: Value = serde_json::from_str(&results[0]).expect("json");
            println!(
                "{}",
                json!({
                    "model": model,
                    "order": order,
                    "rows": rows.len(),
                    "median_s": median(runs.clone()),
                    "runs_s": runs,
                    "same_every_run": same,
                    "result": result,
                })
            );
        }
        _ => {
            eprintln!("attribution gen <paths> <out.csv> [seed] | attribution run <table.csv> <model> [order] [repeats]");
            std::process::exit(2);
        }
    }
}
