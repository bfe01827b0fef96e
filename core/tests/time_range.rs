//! The whole range of times journeystream holds, 1677-09-21T00:12:43.145224193Z to
//! 2262-04-11T23:47:16.854775807Z, goes through every analysis without a wrapped number: a case
//! spans at most 2^63 − 1 ns (about 292 years) and longer ones are refused when the log is built;
//! gaps between cases are measured in a wider type.

use journeystream::analytics::request::analyze_json;
use journeystream::log::csv::{read_csv, CsvOptions};
use journeystream::log::timestamp::{format_rfc3339, parse_rfc3339, EARLIEST, LATEST};
use journeystream::log::{EventLog, LogBuilder};
use journeystream::ErrorKind;
use serde_json::Value;

const NS: f64 = 1e9;

/// Cases at both ends of the range and one that spans exactly the longest a case may.
fn edges() -> EventLog {
    let mut b = LogBuilder::new();
    for (case, activity, t) in [
        ("early", "visit", EARLIEST),
        ("early", "buy", EARLIEST + 3_600_000_000_000),
        ("late", "visit", LATEST - 86_400_000_000_000),
        ("late", "buy", LATEST),
        ("longest", "visit", EARLIEST),
        ("longest", "buy", EARLIEST + i64::MAX),
    ] {
        let e = b.push(case, activity, t).unwrap();
        b.set_event_attribute(e, "channel", journeystream::log::AttrValue::Text("web"));
    }
    b.finish().unwrap()
}

#[test]
fn the_edges_are_held_exactly() {
    assert_eq!(format_rfc3339(EARLIEST), "1677-09-21T00:12:43.145224193Z");
    assert_eq!(format_rfc3339(LATEST), "2262-04-11T23:47:16.854775807Z");
    assert_eq!(
        parse_rfc3339("1677-09-21T00:12:43.145224193Z", 0),
        Some(EARLIEST)
    );
    assert_eq!(parse_rfc3339("1677-09-21T00:12:43.145224192Z", 0), None);
    assert_eq!(
        parse_rfc3339("2262-04-11T23:47:16.854775807Z", 0),
        Some(LATEST)
    );
    assert_eq!(parse_rfc3339("2262-04-11T23:47:16.854775808Z", 0), None);
    let e = LogBuilder::new().push("c", "a", i64::MIN).unwrap_err();
    assert!(e.to_string().contains("earliest time"), "{e}");
}

#[test]
fn durations_across_the_range_are_exact_and_never_negative() {
    let log = edges();
    let p: Value =
        serde_json::from_str(&analyze_json(r#"{"analysis": "profile"}"#, Some(&log)).unwrap())
            .unwrap();
    let d = &p["case_durations"];
    assert_eq!(d["min"], 3600.0, "{d}");
    assert_eq!(d["max"], i64::MAX as f64 / NS, "{d}");
    assert!(d["mean"].as_f64().unwrap() > 0.0);
    // Inter-arrival gaps span the whole range: more than an i64 of nanoseconds.
    let a: Value =
        serde_json::from_str(&analyze_json(r#"{"analysis": "arrivals"}"#, Some(&log)).unwrap())
            .unwrap();
    let gaps = &a["inter_arrival"];
    assert_eq!(gaps["count"], 2, "{gaps}");
    let whole = (LATEST as f64 - 86_400e9 - EARLIEST as f64) / NS;
    assert!(
        (gaps["total"].as_f64().unwrap() - whole).abs() < 1.0,
        "{gaps}"
    );
    assert!(gaps["min"].as_f64().unwrap() >= 0.0, "{gaps}");
}

#[test]
fn every_analysis_of_the_log_answers_at_the_edges() {
    let log = edges();
    for request in [
        r#"{"analysis": "profile"}"#,
        r#"{"analysis": "activity_stats"}"#,
        r#"{"analysis": "arrivals", "period": "week"}"#,
        r#"{"analysis": "arrivals", "period": "hour"}"#,
        r#"{"analysis": "stage_dwell", "stage_attribute": "channel"}"#,
        r#"{"analysis": "funnel", "steps": ["visit", "buy"], "window_seconds": 10000}"#,
        r#"{"analysis": "transition_graph"}"#,
        r#"{"analysis": "step_matrix"}"#,
        r#"{"analysis": "top_paths"}"#,
        r#"{"analysis": "retention", "period": "week", "windows": "calendar"}"#,
        r#"{"analysis": "retention", "period": "month", "windows": "calendar"}"#,
        r#"{"analysis": "retention", "period": "day"}"#,
        r#"{"analysis": "kpi", "metric": "resolution_time", "from_activity": "visit", "to_activity": "buy"}"#,
        r#"{"analysis": "kpi", "metric": "repeat_purchase_rate", "purchase_activity": "buy"}"#,
        r#"{"analysis": "attribution", "model": "time_decay", "half_life": 3600, "conversion": {"activity": "buy"}}"#,
        r#"{"analysis": "attribution", "model": "markov", "conversion": {"activity": "buy"}}"#,
        r#"{"analysis": "rfm_summary", "purchase_activity": "buy"}"#,
        r#"{"analysis": "rfm_summary", "purchase_activity": "buy", "freq": "M"}"#,
        r#"{"analysis": "rfm_summary", "purchase_activity": "buy", "freq": "W"}"#,
        r#"{"analysis": "moments_of_truth", "outcome": {"activity": "buy"}, "touchpoint_attribute": "channel", "experience": {"wait_over_seconds": 60}}"#,
        r#"{"analysis": "kpi_compare", "metric": "resolution_time", "split_at": "1970-01-01T00:00:00Z", "from_activity": "visit", "to_activity": "buy"}"#,
    ] {
        match analyze_json(request, Some(&log)) {
            Ok(json) => {
                let found = negatives(&serde_json::from_str(&json).unwrap(), "");
                assert!(found.is_empty(), "{request}: negative {found:?} in {json}");
            }
            Err(e) => assert!(
                matches!(
                    e.kind(),
                    ErrorKind::MissingData | ErrorKind::InvalidArgument
                ),
                "{request}: {e}"
            ),
        }
    }
}

/// Paths of the negative numbers in a result, but for the times (which may be before 1970) and
/// the lower ends of normal intervals and differences (which may be below 0).
fn negatives(v: &Value, path: &str) -> Vec<String> {
    match v {
        Value::Number(n) if n.as_f64().unwrap() < 0.0 => vec![path.to_string()],
        Value::Array(items) => (items.iter().enumerate())
            .flat_map(|(i, x)| negatives(x, &format!("{path}[{i}]")))
            .collect(),
        Value::Object(fields) => (fields.iter())
            .filter(|(k, _)| {
                ![
                    "start",
                    "end",
                    "first",
                    "last",
                    "split_at",
                    "ci_low",
                    "difference",
                    "diff_ci_low",
                ]
                .contains(&k.as_str())
            })
            .flat_map(|(k, x)| negatives(x, &format!("{path}.{k}")))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn a_case_longer_than_292_years_is_refused_with_its_name() {
    let csv = "case,activity,timestamp\n\
               ok,a,2026-01-01T00:00:00Z\n\
               migrated,a,1700-01-01T00:00:00Z\n\
               migrated,b,2026-01-01T00:00:00Z\n";
    let e = read_csv(csv.as_bytes(), CsvOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Input);
    let text = e.to_string();
    assert!(
        text.contains("case 'migrated'") && text.contains("326.0 years"),
        "{text}"
    );
    assert!(text.contains("1700-01-01T00:00:00Z"), "{text}");
    // One nanosecond less than the limit is a case.
    let mut b = LogBuilder::new();
    b.push("c", "a", EARLIEST).unwrap();
    b.push("c", "b", EARLIEST + i64::MAX).unwrap();
    assert!(b.finish().is_ok());
    let mut b = LogBuilder::new();
    b.push("c", "a", EARLIEST).unwrap();
    b.push("c", "b", LATEST).unwrap();
    assert!(b.finish().is_err());
}

#[test]
fn a_start_far_from_its_completion_counts_toward_the_span() {
    let mut b = LogBuilder::new();
    let e = b.push("c", "a", 0).unwrap();
    b.set_start(e, EARLIEST);
    b.push("c", "b", LATEST).unwrap();
    let e = b.finish().unwrap_err().to_string();
    assert!(e.contains("case 'c'"), "{e}");
}
