//! Drawings of the bundled samples: well-formed XML, deterministic, accessible, no overlaps.

use journeystream::analytics::process::profile;
use journeystream::log::csv::{read_csv_file, CsvOptions};
use journeystream::render::{self, MapKind, RenderOptions};
use journeystream::Map;
use quick_xml::events::Event;
use quick_xml::Reader;

fn root() -> String {
    format!("{}/..", env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str) -> Map {
    Map::from_path(format!("{}/examples/{name}", root())).unwrap()
}

/// Parses `svg` as XML; returns the number of <text> and <title> elements.
fn parse(svg: &str) -> (usize, usize) {
    let mut reader = Reader::from_str(svg);
    let (mut depth, mut texts, mut titles) = (0i64, 0, 0);
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML: {e}"))
        {
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    b"text" => texts += 1,
                    b"title" => titles += 1,
                    _ => {}
                }
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced elements");
    (texts, titles)
}

fn sample_profile() -> journeystream::analytics::process::Profile {
    let (log, report) = read_csv_file(
        format!("{}/examples/support-log.csv", root()),
        CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(report.rows_skipped, 0);
    profile(&log)
}

#[test]
fn every_drawing_is_xml_deterministic_titled_and_clean() {
    let options = RenderOptions::default();
    let support = load("support-journey.json");
    let acme = load("acme-stamping.json");
    let mut drawings = Vec::new();
    for kind in MapKind::ALL {
        drawings.push((
            format!("support {}", kind.name()),
            render::map_drawing(&support, kind, &options).unwrap(),
        ));
    }
    drawings.push((
        "acme value_stream".into(),
        render::map_drawing(&acme, MapKind::ValueStream, &options).unwrap(),
    ));
    drawings.push((
        "acme blueprint".into(),
        render::map_drawing(&acme, MapKind::Blueprint, &options).unwrap(),
    ));
    drawings.push((
        "flow graph".into(),
        render::flow_graph_drawing(&sample_profile(), &options),
    ));
    for (name, d) in &drawings {
        let (texts, titles) = parse(&d.svg);
        assert!(texts > 10, "{name}: {texts} text elements");
        assert!(titles > 1, "{name}: {titles} titles");
        assert!(
            !d.svg.contains("<script") && !d.svg.contains("href"),
            "{name} links out"
        );
        let problems = d.layout.problems();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
    // Same input, same bytes.
    for kind in MapKind::ALL {
        assert_eq!(
            render::svg_map(&support, kind, &options).unwrap(),
            render::svg_map(&support.clone(), kind, &options).unwrap()
        );
    }
    let p = sample_profile();
    assert_eq!(
        render::svg_flow_graph(&p, &options),
        render::svg_flow_graph(&sample_profile(), &options)
    );
}

#[test]
fn html_report_holds_every_drawing() {
    let map = load("support-journey.json");
    let p = sample_profile();
    let html = render::html_report(
        render::ReportInput {
            map: &map,
            profile: Some(&p),
        },
        &RenderOptions::default(),
    )
    .unwrap();
    for id in ["journey-map", "blueprint", "value-stream", "flow-graph"] {
        assert!(html.contains(&format!("<section id=\"{id}\"")), "{id}");
    }
    assert_eq!(html.matches("<svg ").count(), 4);
    assert!(!html.contains("<script"));
}

#[test]
fn hostile_text_is_escaped() {
    let mut map = load("support-journey.json");
    let j = map.journey.as_mut().unwrap();
    j.name = "<script>alert('x')</script> & \"quotes\" \u{1}".into();
    j.stages[0].name = "]]> <!-- -->".into();
    let svg = render::svg_map(&map, MapKind::JourneyMap, &RenderOptions::default()).unwrap();
    parse(&svg);
    assert!(!svg.contains("<script>"));
}

#[test]
fn errors_name_what_is_missing() {
    let acme = load("acme-stamping.json");
    let e = render::svg_map(&acme, MapKind::JourneyMap, &RenderOptions::default()).unwrap_err();
    assert_eq!(e.path(), Some("journey"));
    let e = render::svg_map(
        &acme,
        MapKind::ValueStreamCompare,
        &RenderOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.path(), Some("plan"));
    let bad = RenderOptions {
        font_size: 99.0,
        ..RenderOptions::default()
    };
    let e = render::svg_map(&acme, MapKind::ValueStream, &bad).unwrap_err();
    assert_eq!(e.path(), Some("font_size"));
}
