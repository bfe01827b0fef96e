//! The core without its optional features (`default-features = false`): a log built in code or
//! read from JSON Lines, its analytics through the typed functions and the JSON requests, and clear
//! errors for what the build leaves out (named time zones, gzipped files). CI runs this with
//! `--no-default-features`; with the defaults it checks the same analytics.

use journeystream::analytics::journey::funnel::{funnel, FunnelRequest};
use journeystream::analytics::process::profile;
use journeystream::analytics::request::analyze_json;
use journeystream::log::jsonl::{read_jsonl, JsonlOptions};
use journeystream::log::timeformat::TimeZone;
use journeystream::log::LogBuilder;

const MINUTE: i64 = 60_000_000_000;

#[test]
fn analytics_of_a_log_built_in_code() {
    let mut b = LogBuilder::new();
    for (case, activity, minute) in [("a", "visit", 0), ("a", "buy", 5), ("b", "visit", 1)] {
        b.push(case, activity, minute * MINUTE).unwrap();
    }
    let log = b.finish().unwrap();
    let p = profile(&log);
    assert_eq!((p.cases, p.events), (2, 3));
    assert_eq!(p.case_durations.max, 300.0);
    let f = funnel(&log, &FunnelRequest::new(["visit", "buy"])).unwrap();
    assert_eq!(f.steps[1].count, 1);
    let json = analyze_json(r#"{"analysis": "retention", "period": "day"}"#, Some(&log)).unwrap();
    assert!(json.contains("\"cohorts\""));
    let e = analyze_json(
        r#"{"analysis": "funnel", "steps": ["visit", "by"]}"#,
        Some(&log),
    )
    .unwrap_err();
    assert!(e.to_string().contains("did you mean 'buy'?"), "{e}");
}

#[test]
fn json_lines_read_without_optional_features() {
    let text = "{\"case\": \"a\", \"activity\": \"visit\", \"timestamp\": \"2024-01-01T00:00:00+02:00\"}\n";
    let (log, report) = read_jsonl(text.as_bytes(), JsonlOptions::default()).unwrap();
    assert_eq!((log.num_events(), report.rows_read), (1, 1));
}

#[test]
fn time_zones_by_name_need_the_tz_feature() {
    let named = "Europe/Paris".parse::<TimeZone>();
    if cfg!(feature = "tz") {
        assert_eq!(named.unwrap(), TimeZone::Named("Europe/Paris".into()));
    } else {
        let e = named.unwrap_err().to_string();
        assert!(e.contains("tz feature"), "{e}");
        assert_eq!(
            "+02:00".parse::<TimeZone>().unwrap(),
            TimeZone::FixedOffset(7200)
        );
    }
}

#[test]
fn gzipped_files_need_the_gzip_feature() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/logs/small.csv.gz"
    );
    let read = journeystream::log::jsonl::read_jsonl_file(path, JsonlOptions::default());
    if !cfg!(feature = "gzip") {
        let e = read.unwrap_err().to_string();
        assert!(e.contains("gzip feature"), "{e}");
    }
}
