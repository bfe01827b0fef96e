//! Loading, validating and writing documents.

use journeystream::{ErrorKind, Map};
use std::path::Path;

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

#[test]
fn examples_load_and_round_trip_through_files() {
    let dir = std::env::temp_dir().join(format!("journeystream-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["acme-stamping.json", "support-journey.json"] {
        let map = Map::from_path(example(name)).unwrap();
        let copy = dir.join(name);
        map.save(&copy).unwrap();
        assert_eq!(Map::from_path(&copy).unwrap(), map, "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let err = Map::from_path("/no/such/map.json").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.to_string().starts_with("/no/such/map.json: "), "{err}");
}

#[test]
fn errors_in_a_file_name_the_file_line_and_field() {
    let path = std::env::temp_dir().join(format!("journeystream-bad-{}.json", std::process::id()));
    std::fs::write(&path, "{\n  \"value_stream\": {\"id\": 5}\n}").unwrap();
    let err = Map::from_path(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(err.kind(), ErrorKind::Parse);
    assert_eq!(err.file(), Some(path.display().to_string().as_str()));
    assert_eq!(err.path(), Some("value_stream.id"));
    let text = err.to_string();
    assert!(
        text.contains("line 2") && text.contains("value_stream.id"),
        "{text}"
    );
}

#[test]
fn problems_lists_every_problem_in_document_order() {
    let text = std::fs::read_to_string(example("support-journey.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["value_stream"]["steps"][2]["complete_accurate_pct"] = 120.into();
    doc["value_stream"]["steps"][3]["wait"] = "-1h".into();
    doc["journey"]["stages"][0]["touchpoints"][0]["emotion"] = 5.into();
    let map = Map::parse_json(&doc.to_string()).unwrap();
    let kinds: Vec<ErrorKind> = map.problems().iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        vec![
            ErrorKind::EmotionOutOfScale,
            ErrorKind::OutOfRange,
            ErrorKind::NegativeTime
        ]
    );
    assert_eq!(
        map.validate().unwrap_err().kind(),
        ErrorKind::EmotionOutOfScale
    );
}

#[test]
fn every_error_message_names_its_path() {
    let text = std::fs::read_to_string(example("support-journey.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["value_stream"]["steps"][1]["touchpoint"] = "fax".into();
    let err = Map::from_json(&doc.to_string()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "value_stream.steps[1].touchpoint: unknown touchpoint 'fax'"
    );
}
