//! The main job: loads a map, prints its value-stream metrics (and the projected future state
//! when the map has a plan), writes the JSON report, and next to it `report.html`: the journey
//! map, service blueprint, value stream map current vs future, and the flow graph of the event
//! log when one is given (CSV with case, activity, timestamp columns).
//!
//! `cargo run --release -p journeystream --example report -- examples/support-journey.json out/report.json examples/support-log.csv`

use journeystream::analytics::process::profile;
use journeystream::log::csv::{read_csv_file, CsvOptions};
use journeystream::{render, vsm, Map};

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args
        .next()
        .unwrap_or_else(|| "examples/support-journey.json".into());
    let output = args.next().unwrap_or_else(|| "out/report.json".into());
    let log = args.next();
    if let Err(e) = run(&input, &output, log.as_deref()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(input: &str, output: &str, log: Option<&str>) -> journeystream::Result<()> {
    let map = Map::from_path(input)?;
    let options = vsm::MeasureOptions::default();
    let current = vsm::measure(&map, &options)?;
    let projection = map.plan.as_ref().map(|_| vsm::project(&map)).transpose()?;
    let future = projection
        .as_ref()
        .map(|p| vsm::measure(&p.map, &options))
        .transpose()?;
    let comparison = future.as_ref().map(|f| vsm::compare(&current, f));
    println!(
        "{}",
        render::text_report(&map, &current, comparison.as_ref())
    );
    let report = serde_json::json!({
        "current": current,
        "future": future,
        "comparison": comparison,
        "applied": projection.as_ref().map(|p| &p.applied),
    });
    if let Some(dir) = std::path::Path::new(output).parent() {
        std::fs::create_dir_all(dir).map_err(|e| journeystream::Error::Io {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?;
    }
    std::fs::write(
        output,
        serde_json::to_string_pretty(&report).expect("results serialize") + "\n",
    )
    .map_err(|e| journeystream::Error::Io {
        file: output.into(),
        message: e.to_string(),
    })?;
    println!("wrote {output}");

    let started = std::time::Instant::now();
    let profile = log
        .map(|path| read_csv_file(path, CsvOptions::default()).map(|(log, _)| profile(&log)))
        .transpose()?;
    let read = started.elapsed();
    let html = render::html_report(
        render::ReportInput {
            map: &map,
            profile: profile.as_ref(),
        },
        &render::RenderOptions::default(),
    )?;
    let rendered = started.elapsed() - read;
    let html_path = std::path::Path::new(output).with_file_name("report.html");
    std::fs::write(&html_path, html).map_err(|e| journeystream::Error::Io {
        file: html_path.display().to_string(),
        message: e.to_string(),
    })?;
    println!(
        "wrote {} (drawn in {:.1} ms{})",
        html_path.display(),
        rendered.as_secs_f64() * 1000.0,
        log.map(|l| format!(
            "; {l} read and profiled in {:.1} ms",
            read.as_secs_f64() * 1000.0
        ))
        .unwrap_or_default()
    );
    Ok(())
}
