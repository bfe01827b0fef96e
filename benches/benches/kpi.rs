//! Criterion benchmarks of the customer KPIs: NPS and CSAT with their intervals over 10M scores
//! (validation, tally, interval), a seeded bootstrap comparison of means, and moments of truth
//! over the synthetic journey log (1M events, ~100k cases; outcome: the case places an order,
//! experience: a wait over one hour before the touch).

use criterion::{criterion_group, criterion_main, Criterion};
use journeystream::analytics::kpi::{kpi, KpiRequest, Metric};
use journeystream::analytics::kpi_compare::{kpi_compare, KpiCompareRequest, KpiSide};
use journeystream::analytics::moments::{
    moments_of_truth, ExperienceSpec, MomentsRequest, OutcomeSpec,
};
use journeystream_benches::journeys::{build_log, SplitMix64};
use std::hint::black_box;

const SCORES: usize = 10_000_000;

fn scores(top: u64, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed);
    (0..SCORES).map(|_| rng.below(top + 1) as f64).collect()
}

fn bench_scores(c: &mut Criterion) {
    let mut g = c.benchmark_group("kpi_10M_scores");
    g.sample_size(10);
    let mut nps = KpiRequest::new(Metric::Nps);
    nps.scores = Some(scores(10, 1).into());
    g.bench_function("nps_adjusted_wald", |b| {
        b.iter(|| black_box(kpi(&nps, None).unwrap()))
    });
    let mut csat = KpiRequest::new(Metric::Csat);
    csat.scores = Some(scores(4, 2).into_iter().map(|s| s + 1.0).collect());
    g.bench_function("csat_wilson", |b| {
        b.iter(|| black_box(kpi(&csat, None).unwrap()))
    });
    let labels = ["web", "app", "store", "phone"];
    nps.segments = Some((0..SCORES).map(|i| labels[i % 4].to_string()).collect());
    g.bench_function("nps_4_segments", |b| {
        b.iter(|| black_box(kpi(&nps, None).unwrap()))
    });
    g.finish();
}

fn bench_bootstrap(c: &mut Criterion) {
    let mut g = c.benchmark_group("kpi_compare");
    g.sample_size(10);
    let side = |seed| KpiSide {
        durations: Some(scores(1000, seed)[..10_000].to_vec()),
        ..KpiSide::default()
    };
    let mut r = KpiCompareRequest::new(Metric::ResolutionTime);
    (r.before, r.after) = (Some(side(3)), Some(side(4)));
    g.bench_function("bootstrap_mean_2x10k_2000", |b| {
        b.iter(|| black_box(kpi_compare(&r, None).unwrap()))
    });
    g.finish();
}

fn bench_moments(c: &mut Criterion) {
    let log = build_log(1_000_000, 20240101);
    let mut g = c.benchmark_group("moments_of_truth_1M_events");
    g.sample_size(10);
    let mut r = MomentsRequest::new(OutcomeSpec::activity("place_order"));
    g.bench_function("presence", |b| {
        b.iter(|| black_box(moments_of_truth(&log, &r).unwrap()))
    });
    r.experience = Some(ExperienceSpec {
        wait_over_seconds: Some(3600.0),
        ..ExperienceSpec::default()
    });
    g.bench_function("presence_and_wait_experience", |b| {
        b.iter(|| black_box(moments_of_truth(&log, &r).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench_scores, bench_bootstrap, bench_moments);
criterion_main!(benches);
