//! Requests that ask for more than can be answered get an error naming the field, quickly, not a
//! panic, an abort or a hang; statistics that cannot be supported are refused rather than claimed.

use journeystream::analytics::request::analyze_json;
use journeystream::log::{EventLog, LogBuilder};
use journeystream::ErrorKind;
use std::time::Instant;

fn log() -> EventLog {
    let mut b = LogBuilder::new();
    for (case, activity, t) in [("a", "visit", 0), ("a", "buy", 60), ("b", "visit", 10)] {
        b.push(case, activity, t * 1_000_000_000).unwrap();
    }
    b.finish().unwrap()
}

fn refused(request: &str, log: Option<&EventLog>) -> journeystream::Error {
    let start = Instant::now();
    let e = analyze_json(request, log).unwrap_err();
    assert!(
        start.elapsed().as_secs() < 2,
        "{request} took {:?}",
        start.elapsed()
    );
    e
}

#[test]
fn huge_sizes_are_argument_errors() {
    let log = log();
    for steps in ["18446744073709551615", "1000000000000", "0"] {
        let e = refused(
            &format!(r#"{{"analysis": "step_matrix", "max_steps": {steps}}}"#),
            Some(&log),
        );
        assert_eq!(
            (e.kind(), e.to_string().contains("max_steps")),
            (ErrorKind::InvalidArgument, true),
            "{e}"
        );
    }
    for resamples in ["18446744073709551615", "1000000000", "1"] {
        let r = format!(
            r#"{{"analysis": "kpi_compare", "metric": "resolution_time", "resamples": {resamples},
                "before": {{"durations": [1, 2, 3, 4]}}, "after": {{"durations": [2, 3, 4, 5]}}}}"#
        );
        let e = refused(&r, None);
        assert!(e.to_string().contains("resamples"), "{e}");
    }
    let e = refused(
        r#"{"analysis": "clv_predict", "model": "bg_nbd",
            "params": {"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4},
            "spend_params": {"p": 6.25, "q": 3.74, "v": 15.4},
            "frequency": [1], "recency": [30], "T": [38], "monetary_value": [20],
            "clv": {"time": 4000000000, "freq": "W"}}"#,
        None,
    );
    assert!(e.to_string().contains("clv.time"), "{e}");
}

#[test]
fn a_bootstrap_of_one_duration_a_group_is_refused() {
    let e = refused(
        r#"{"analysis": "kpi_compare", "metric": "resolution_time",
            "before": {"durations": [10]}, "after": {"durations": [1000]}}"#,
        None,
    );
    assert_eq!(e.kind(), ErrorKind::MissingData, "{e}");
    assert!(e.to_string().contains("at least 2 durations"), "{e}");
}

#[test]
fn the_retention_of_an_empty_log_is_missing_data_not_full_churn() {
    let empty = LogBuilder::new().finish().unwrap();
    let e = refused(r#"{"analysis": "retention"}"#, Some(&empty));
    assert_eq!(e.kind(), ErrorKind::MissingData, "{e}");
}

#[test]
fn a_time_outside_the_range_says_so() {
    use journeystream::log::csv::{read_csv, CsvOptions};
    let text = "case,activity,timestamp\nc1,a,2024-01-01T00:00:00Z\nc1,b,1500-01-01T00:00:00Z\n";
    let e = read_csv(text.as_bytes(), CsvOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 3")
            && e.contains(
                "year 1500 is before 1677-09-21, the earliest time journeystream can hold"
            ),
        "{e}"
    );
    let text = "case,activity,timestamp\nc1,a,2262-04-12\n";
    let e = read_csv(text.as_bytes(), CsvOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("year 2262 is after 2262-04-11"), "{e}");
}
