//! The main job: loads a map, prints its value-stream metrics (and the projected future state
//! when the map has a plan), and writes the JSON report.
//!
//! `cargo run --release -p journeystream --example report -- examples/support-journey.json out/report.json`

use journeystream::{render, vsm, Map};

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args
        .next()
        .unwrap_or_else(|| "examples/support-journey.json".into());
    let output = args.next().unwrap_or_else(|| "out/report.json".into());
    if let Err(e) = run(&input, &output) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(input: &str, output: &str) -> journeystream::Result<()> {
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
    Ok(())
}
