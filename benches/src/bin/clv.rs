//! Lifetime value side by side with lifetimes: generates a synthetic customer base from the BG/NBD
//! and Gamma-Gamma models, and fits and predicts on a summary CSV, printing timings.
//!
//! ```text
//! clv gen <customers> <out.csv> [seed]
//! clv run <summary.csv> [repeats] [t]
//! ```
//!
//! `gen` simulates customers with Fader, Hardie & Lee's CDNOW parameters (r 0.243, alpha 4.414,
//! a 0.793, b 2.426; weeks), first purchases spread uniformly over 12 weeks of a 39-week window
//! (T from 27 to 39 as in CDNOW), and mean repeat values from a Gamma-Gamma (p 6.25, q 3.74,
//! v 15.44); it writes `frequency,recency,T,monetary_value`.
//!
//! `run` reads a summary CSV (columns `frequency`, `recency`, `T`, `monetary_value`, or CDNOW's
//! `x`, `t_x`, `T`, `zbar`) once (not timed), then times `repeats` runs (default 5) of: the BG/NBD
//! fit (with standard errors), the Gamma-Gamma fit on the repeat buyers, and the predictions
//! (expected purchases in `t` periods (default 39), probability alive, expected average spend,
//! 12-month CLV at 1 % a month with weekly data). It prints one JSON object with the medians and
//! the fitted parameters.

use journeystream::analytics::clv::{
    self, bgnbd::BgNbd, gamma_gamma::GammaGamma, Customers, FitOptions, Freq, Model,
};
use journeystream_benches::{median, rng::SplitMix64};
use serde_json::json;
use std::io::{BufWriter, Write};
use std::time::Instant;

fn generate(n: usize, out: &str, seed: u64) {
    let mut rng = SplitMix64::new(seed);
    let (r, alpha, a, b) = (0.243, 4.414, 0.793, 2.426);
    let (p, q, v) = (6.25, 3.74, 15.44);
    let mut w = BufWriter::new(std::fs::File::create(out).expect("the output file"));
    writeln!(w, "frequency,recency,T,monetary_value").unwrap();
    for _ in 0..n {
        let lambda = rng.gamma(r) / alpha;
        let (ga, gb) = (rng.gamma(a), rng.gamma(b));
        let dropout = ga / (ga + gb);
        let big_t = 27.0 + 12.0 * rng.open_unit();
        let (mut t, mut x, mut tx) = (0.0, 0u32, 0.0);
        loop {
            t += -rng.open_unit().ln() / lambda;
            if t > big_t {
                break;
            }
            x += 1;
            tx = t;
            if rng.open_unit() < dropout {
                break;
            }
        }
        // Mean of x purchase values, each Gamma(p, nu), nu ~ Gamma(q, v): the mean is
        // Gamma(p x, x nu).
        let monetary = if x > 0 {
            let nu = rng.gamma(q) / v;
            rng.gamma(p * x as f64) / (x as f64 * nu)
        } else {
            0.0
        };
        writeln!(w, "{x},{tx:.4},{big_t:.4},{monetary:.4}").unwrap();
    }
    w.flush().unwrap();
}

fn read(path: &str) -> [Vec<f64>; 4] {
    let text = std::fs::read_to_string(path).expect("the summary file");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(h));
    let idx = [
        col(&["frequency", "x"]).expect("a frequency column"),
        col(&["recency", "t_x"]).expect("a recency column"),
        col(&["T"]).expect("a T column"),
        col(&["monetary_value", "zbar"]).expect("a monetary_value column"),
    ];
    let mut out: [Vec<f64>; 4] = Default::default();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        for k in 0..4 {
            out[k].push(f[idx[k]].parse().expect("a number"));
        }
    }
    out
}

fn run(path: &str, repeats: usize, horizon: f64) {
    let [x, tx, t, m] = read(path);
    let mut data = Customers::new(&x, &tx, &t);
    data.monetary_value = Some(&m);
    let (mut fit_bg, mut fit_gg, mut predict) = (vec![], vec![], vec![]);
    let mut last = None;
    for _ in 0..repeats {
        let start = Instant::now();
        let bg = clv::fit(Model::BgNbd, &data, &FitOptions::default()).expect("the BG/NBD fit");
        fit_bg.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let gg = clv::fit(Model::GammaGamma, &data, &FitOptions::default())
            .expect("the Gamma-Gamma fit");
        fit_gg.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let (bm, gm) = (
            BgNbd::from_slice(&bg.params),
            GammaGamma::from_slice(&gg.params),
        );
        let e = clv::conditional_expected_purchases(&bm, horizon, &data);
        let alive = clv::probability_alive(&bm, &data);
        let spend = clv::gamma_gamma::conditional_expected_average_profit(&gm, &data).unwrap();
        let value = clv::customer_lifetime_value(&bm, &gm, &data, 12, 0.01, Freq::Week).unwrap();
        predict.push(start.elapsed().as_secs_f64());
        last = Some((bg, gg, e, alive, spend, value));
    }
    let (bg, gg, e, alive, spend, value) = last.expect("one run");
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    println!(
        "{}",
        json!({
            "customers": x.len(),
            "threads": rayon_threads(),
            "fit_bg_nbd_s": median(fit_bg.clone()),
            "fit_gamma_gamma_s": median(fit_gg.clone()),
            "predict_s": median(predict.clone()),
            "runs": {"fit_bg_nbd_s": fit_bg, "fit_gamma_gamma_s": fit_gg, "predict_s": predict},
            "bg_nbd": bg,
            "gamma_gamma": gg,
            "sums": {"expected_purchases": sum(&e), "probability_alive": sum(&alive),
                     "expected_average_spend": sum(&spend), "clv": sum(&value)},
        })
    );
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("gen") if args.len() >= 4 => generate(
            args[2].parse().expect("a number of customers"),
            &args[3],
            args.get(4).map_or(7, |s| s.parse().expect("a seed")),
        ),
        Some("run") if args.len() >= 3 => run(
            &args[2],
            args.get(3).map_or(5, |s| s.parse().expect("repeats")),
            args.get(4).map_or(39.0, |s| s.parse().expect("t")),
        ),
        _ => {
            eprintln!(
                "usage: clv gen <customers> <out.csv> [seed] | clv run <summary.csv> [repeats] [t]"
            );
            std::process::exit(2);
        }
    }
}
