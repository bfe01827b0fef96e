//! NPS and CSAT with intervals on 10M int64 scores in the Rust core, timed the way
//! `benches/peers/python_analytics.py` times them from Python and with numpy + statsmodels
//! (uniform scores, seeded; median of `repeats` runs, default 7). Prints one JSON object.
//!
//! ```text
//! kpi_scores [n] [repeats]
//! ```

use journeystream::analytics::bulk::Numbers;
use journeystream::analytics::kpi::{kpi, KpiRequest, Metric};
use journeystream_benches::{median, rng::SplitMix64};
use serde_json::json;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(10_000_000, |a| a.parse().expect("n"));
    let repeats: usize = args.get(2).map_or(7, |a| a.parse().expect("repeats"));
    let mut rng = SplitMix64::new(1);
    let mut out = serde_json::Map::new();
    for (metric, name, top) in [(Metric::Nps, "nps", 10), (Metric::Csat, "csat", 4)] {
        let mut request = KpiRequest::new(metric);
        let low = if metric == Metric::Csat { 1 } else { 0 };
        let scores: Vec<i64> = (0..n).map(|_| low + rng.below(top + 1) as i64).collect();
        request.scores = Some(Numbers::new("scores", scores).expect("exact integers"));
        let mut runs = Vec::with_capacity(repeats);
        let mut value = 0.0;
        for _ in 0..repeats {
            let t = Instant::now();
            value = kpi(&request, None)
                .expect("scores on the scale")
                .overall
                .value;
            runs.push(t.elapsed().as_secs_f64());
        }
        out.insert(
            name.into(),
            json!({"median_s": median(runs), "value": value}),
        );
    }
    out.insert("n".into(), json!(n));
    println!("{}", serde_json::Value::Object(out));
}
