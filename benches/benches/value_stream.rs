//! Criterion benchmarks of the value-stream kernels: load + validate, measure, project + compare,
//! on the bundled support journey and on synthetic streams of 10 to 400 steps with branches and
//! rework loops (the flow solve is dense, so its cost grows with the cube of the step count).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use journeystream::vsm::{self, MeasureOptions, ReworkModel};
use journeystream::{Map, ReworkLoop, Route, Step, TimeBasis, TimeSpan, ValueStream};
use std::hint::black_box;

fn support() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/support-journey.json"
    ))
    .expect("bundled example")
}

/// A stream of `n` steps: every fifth step branches 70/30 over the next two, every tenth sends 10% back five steps.
fn synthetic(n: usize) -> Map {
    let steps = (0..n)
        .map(|i| {
            let mut s = Step::new(
                format!("s{i}"),
                format!("Step {i}"),
                TimeSpan::mins((i % 7 + 1) as f64),
            );
            s.wait = Some(TimeSpan::hours((i % 5) as f64));
            s.complete_accurate_pct = 95.0 + (i % 5) as f64;
            if i % 5 == 0 && i + 3 < n {
                s.next = Some(vec![
                    Route {
                        step: format!("s{}", i + 1),
                        share_pct: 70.0,
                    },
                    Route {
                        step: format!("s{}", i + 2),
                        share_pct: 30.0,
                    },
                ]);
            }
            s
        })
        .collect();
    let rework = (10..n)
        .step_by(10)
        .map(|i| ReworkLoop {
            from: format!("s{i}"),
            to: format!("s{}", i - 5),
            share_pct: 10.0,
        })
        .collect();
    let vs = ValueStream {
        id: "vs".into(),
        name: "Synthetic".into(),
        description: None,
        time_basis: TimeBasis::Calendar,
        demand: None,
        steps,
        rework,
    };
    let map = Map {
        value_stream: Some(vs),
        ..Map::default()
    };
    map.validate().expect("synthetic stream is valid");
    map
}

fn bench(c: &mut Criterion) {
    let text = support();
    let map = Map::from_json(&text).unwrap();
    let opts = MeasureOptions::default();
    c.bench_function("support/load", |b| {
        b.iter(|| Map::from_json(black_box(&text)).unwrap())
    });
    c.bench_function("support/measure", |b| {
        b.iter(|| vsm::measure(black_box(&map), &opts).unwrap())
    });
    c.bench_function("support/project+compare", |b| {
        b.iter(|| {
            let future = vsm::project(black_box(&map)).unwrap().map;
            vsm::compare(
                &vsm::measure(&map, &opts).unwrap(),
                &vsm::measure(&future, &opts).unwrap(),
            )
        })
    });
    let mut group = c.benchmark_group("synthetic/measure");
    for n in [10, 50, 100, 200, 400] {
        let map = synthetic(n);
        for rework in [ReworkModel::SinglePass, ReworkModel::Geometric] {
            let opts = MeasureOptions { rework };
            group.bench_with_input(BenchmarkId::new(format!("{rework:?}"), n), &map, |b, m| {
                b.iter(|| vsm::measure(m, &opts).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
