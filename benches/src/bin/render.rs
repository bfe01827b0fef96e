//! Times drawing the bundled sample: each picture and the whole HTML report (median of runs).
//!
//! `render [map.json] [log.csv] [runs]` (defaults: the support journey, its sample log, 50 runs)

use journeystream::analytics::process::profile;
use journeystream::log::csv::{read_csv_file, CsvOptions};
use journeystream::render::{self, MapKind, RenderOptions};
use journeystream::{Channel, Journey, Map, Stage, Touchpoint};
use std::time::Instant;

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let map_path = args
        .get(1)
        .map_or("examples/support-journey.json", String::as_str);
    let log_path = args
        .get(2)
        .map_or("examples/support-log.csv", String::as_str);
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(50);
    let options = RenderOptions::default();
    let map = Map::from_path(map_path).unwrap_or_else(|e| panic!("{e}"));
    let mut p = None;
    let load = median_ms(runs, || {
        let (log, _) =
            read_csv_file(log_path, CsvOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        p = Some(profile(&log));
    });
    let p = p.expect("one run");
    println!("{{");
    println!("  \"log read + profile ms\": {load:.3},");
    for kind in MapKind::ALL {
        let ms = median_ms(runs, || {
            render::svg_map(&map, kind, &options).unwrap_or_else(|e| panic!("{e}"));
        });
        println!("  \"{} ms\": {ms:.3},", kind.name());
    }
    let flow = median_ms(runs, || {
        render::svg_flow_graph(&p, &options);
    });
    println!("  \"flow_graph ms\": {flow:.3},");
    let mut bytes = 0;
    let report = median_ms(runs, || {
        let html = render::html_report(
            render::ReportInput {
                map: &map,
                profile: Some(&p),
            },
            &options,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        bytes = html.len();
    });
    println!("  \"html report ms\": {report:.3},");
    println!("  \"html report bytes\": {bytes},");
    let big = big_journey();
    let ms = median_ms(runs, || {
        render::svg_journey_map(&big, &options);
    });
    println!("  \"journey map 12 stages / 40 touchpoints, long labels ms\": {ms:.3}");
    println!("}}");
}

/// 12 stages and 40 touchpoints with long labels (the layout test's size).
fn big_journey() -> Journey {
    let long = "an unusually long label that keeps going well past the width of any column";
    let mut j = Journey::new("big", "Big journey");
    let mut n = 0;
    for s in 0..12 {
        let mut stage = Stage::new(format!("s{s}"), format!("Stage {s}: {long}"));
        for _ in 0..if s < 4 { 4 } else { 3 } {
            stage.touchpoints.push(Touchpoint {
                id: format!("t{n}"),
                name: format!("Touchpoint {n} {long}"),
                channel: Channel::from(["web", "chat", "phone", "store"][n % 4]),
                description: None,
                personas: vec![],
                actions: vec![format!("Does {long}")],
                thoughts: vec![format!("Thinks {long}")],
                feelings: vec![],
                emotion: Some((n % 5) as f64 - 2.0),
            });
            n += 1;
        }
        j.stages.push(stage);
    }
    j
}
