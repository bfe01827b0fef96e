//! Times drawing the bundled sample: each picture and the whole HTML report (median of runs).
//!
//! `render [map.json] [log.csv] [runs]` (defaults: the support journey, its sample log, 50 runs)

use journeystream::analytics::process::profile;
use journeystream::log::csv::{read_csv_file, CsvOptions};
use journeystream::render::{self, MapKind, RenderOptions};
use journeystream::Map;
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
    println!("  \"html report bytes\": {bytes}");
    println!("}}");
}
