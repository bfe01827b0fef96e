//! Draws one picture of a map document as SVG.
//!
//! `cargo run -p journeystream --example draw -- examples/support-journey.json journey_map out/journey.svg`

use journeystream::{render, Map};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 3 {
        eprintln!("usage: draw <map.json> <journey_map|blueprint|value_stream|value_stream_compare> <out.svg>");
        std::process::exit(2);
    }
    let run = || -> journeystream::Result<()> {
        let map = Map::from_path(&args[0])?;
        let kind = render::MapKind::parse(&args[1])?;
        let svg = render::svg_map(&map, kind, &render::RenderOptions::default())?;
        std::fs::write(&args[2], svg).map_err(|e| journeystream::Error::Io {
            file: args[2].clone(),
            message: e.to_string(),
        })
    };
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
