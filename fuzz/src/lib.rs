//! Invariants the fuzz targets check on whatever they manage to read.

use journeystream::analytics::process::{profile, ProfilePartial};
use journeystream::analytics::Partial;
use journeystream::log::read::ReadReport;
use journeystream::log::EventLog;

/// A log that reads is consistent: every event in one case, events ordered within a case, and
/// its profile adds up and is the same whether computed whole or from two halves merged.
pub fn check_log(log: &EventLog) {
    let events: usize = log.cases().map(|c| c.len()).sum();
    assert_eq!(events, log.num_events());
    for case in log.cases() {
        let (ts, starts) = (case.timestamps(), case.starts());
        let key = |i: usize| {
            (
                starts.map_or(ts[i], |s| if s[i] == i64::MIN { ts[i] } else { s[i] }),
                ts[i],
            )
        };
        assert!(
            (1..ts.len()).all(|i| key(i - 1) <= key(i)),
            "case {} is out of order",
            case.id()
        );
        assert_eq!(case.activities().len(), ts.len());
    }
    let p = profile(log);
    assert_eq!(p.events as usize, log.num_events());
    assert_eq!(
        p.cases as usize,
        log.cases().filter(|c| !c.is_empty()).count()
    );
    assert_eq!(p.activities.iter().map(|a| a.events).sum::<u64>(), p.events);
    assert_eq!(p.variants.iter().map(|v| v.count).sum::<u64>(), p.cases);
    assert_eq!(
        p.start_activities.iter().map(|a| a.cases).sum::<u64>(),
        p.cases
    );
    assert_eq!(
        p.dfg.iter().map(|e| e.count).sum::<u64>(),
        p.events - p.cases
    );
    assert!(
        p.case_durations.min >= 0.0 || p.case_durations.count == 0 || log.has_start_timestamps()
    );
    let half = log.num_cases() / 2;
    let part = |cases| {
        let mut q = ProfilePartial::empty(log.activity_dictionary().clone());
        q.add_cases(log, cases);
        q
    };
    let merged = part(0..half).merge(part(half..log.num_cases())).finish();
    assert_eq!(merged, p, "merge(split) != whole");
}

/// A reader's report accounts for every row: each row read is an event or a skipped row.
pub fn check_report(log: &EventLog, report: &ReadReport) {
    assert_eq!(
        log.num_events() as u64,
        report.rows_read - report.rows_skipped,
        "rows read {} − skipped {} != events",
        report.rows_read,
        report.rows_skipped
    );
    assert!(report.examples.len() as u64 <= report.rows_skipped);
}

/// No error message is empty or a debug dump.
pub fn check_error(e: &journeystream::Error) {
    let text = e.to_string();
    assert!(!text.is_empty());
    assert!(!text.contains("panicked"), "{text}");
}

/// The small log the request and filter targets analyse: the test suite's KPI journeys (channels,
/// stages, scores, a persona and churn per case) with a case at each end of the time range.
pub fn sample_log() -> &'static EventLog {
    static LOG: std::sync::OnceLock<EventLog> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let mut text = include_str!("../../tests/data/logs/kpi_journeys.csv").to_string();
        text.push_str("early,visit,1677-09-21T00:12:43.145224193Z,web,awareness,,3,pro,true\n");
        text.push_str("early,buy,1677-09-22T00:00:00Z,web,purchase,,4,pro,true\n");
        text.push_str("late,visit,2262-04-10T00:00:00Z,chat,awareness,10,,basic,false\n");
        text.push_str("late,buy,2262-04-11T23:47:16.854775807Z,chat,purchase,,5,basic,false\n");
        let options = journeystream::log::csv::CsvOptions::default();
        journeystream::log::csv::read_csv(text.as_bytes(), options)
            .expect("the sample log reads")
            .0
    })
}

/// What each fuzz target does with its input; the stable test suite replays the seed corpora
/// and every crash input found through these same functions (`core/tests/fuzz_corpus.rs`).
pub mod targets {
    use super::*;
    use journeystream::analytics::request::analyze_json;
    use journeystream::log::csv::{read_csv, CsvOptions};
    use journeystream::log::filter::Filter;
    use journeystream::log::jsonl::{read_jsonl, JsonlOptions};
    use journeystream::log::read::{decompressed, OnBadRow};
    use journeystream::log::xes::{read_xes, XesOptions};
    use journeystream::render::{self, MapKind, RenderOptions, ReportInput};
    use journeystream::vsm::{self, MeasureOptions};
    use journeystream::Map;

    /// The CSV reader on any bytes, under options chosen by the first byte: what reads is a
    /// consistent log whose events are the rows read less the rows skipped.
    pub fn csv(data: &[u8]) {
        let Some((&choice, text)) = data.split_first() else {
            return;
        };
        let options = CsvOptions {
            delimiter: [b',', b';', b'\t', b'|'][choice as usize % 4],
            has_header: choice & 4 == 0,
            on_bad_row: if choice & 8 == 0 {
                OnBadRow::Fail
            } else {
                OnBadRow::SkipAndReport
            },
            timestamp_format: match choice >> 4 & 3 {
                0 => "auto",
                1 => "epoch_s",
                2 => "%d/%m/%Y %H:%M",
                _ => "rfc3339",
            }
            .parse()
            .unwrap(),
            attributes: choice & 64 == 0,
            ..CsvOptions::default()
        };
        match read_csv(text, options) {
            Ok((log, report)) => {
                check_report(&log, &report);
                check_log(&log);
            }
            Err(e) => check_error(&e),
        }
    }

    /// The JSON Lines reader on any bytes: what reads is a consistent log whose events are the
    /// lines read less the lines skipped.
    pub fn jsonl(data: &[u8]) {
        let Some((&choice, text)) = data.split_first() else {
            return;
        };
        let options = JsonlOptions {
            on_bad_row: if choice & 1 == 0 {
                OnBadRow::Fail
            } else {
                OnBadRow::SkipAndReport
            },
            timestamp_format: if choice & 2 == 0 { "auto" } else { "epoch_ms" }
                .parse()
                .unwrap(),
            attributes: choice & 4 == 0,
            ..JsonlOptions::default()
        };
        match read_jsonl(text, options) {
            Ok((log, report)) => {
                check_report(&log, &report);
                check_log(&log);
            }
            Err(e) => check_error(&e),
        }
    }

    /// The XES reader on any bytes, plain or gzipped (the gzip magic bytes decide, as for a file):
    /// what reads is a consistent log.
    pub fn xes(data: &[u8]) {
        let Some((&choice, bytes)) = data.split_first() else {
            return;
        };
        let options = XesOptions {
            on_bad_row: if choice & 1 == 0 {
                OnBadRow::Fail
            } else {
                OnBadRow::SkipAndReport
            },
            attributes: choice & 2 == 0,
            start_timestamp_key: (choice & 4 != 0).then(|| "start_timestamp".to_string()),
            ..XesOptions::default()
        };
        let input = match decompressed(bytes) {
            Ok(input) => input,
            Err(e) => return check_error(&e),
        };
        match read_xes(input, options) {
            Ok((log, report)) => {
                assert!(report.examples.len() as u64 <= report.rows_skipped);
                check_log(&log);
            }
            Err(e) => check_error(&e),
        }
    }

    /// The map document on any text: a document that parses re-serialises to an equal document;
    /// a valid one measures, projects and draws in every kind (or says why it cannot), and its
    /// drawings are well-formed SVG.
    pub fn map(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let map = match Map::parse_json(text) {
            Ok(map) => map,
            Err(e) => return check_error(&e),
        };
        let again = Map::parse_json(&map.to_json()).expect("a serialised document parses");
        assert_eq!(again, map, "parse(to_json(map)) != map");
        if let Err(e) = map.validate() {
            return check_error(&e);
        }
        let _ = vsm::measure(&map, &MeasureOptions::default()).map_err(|e| check_error(&e));
        let _ = vsm::project(&map).map_err(|e| check_error(&e));
        let options = RenderOptions::default();
        for kind in MapKind::ALL {
            match render::svg_map(&map, kind, &options) {
                Ok(svg) => assert!(
                    svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                    "{kind:?}"
                ),
                Err(e) => check_error(&e),
            }
        }
        let _ = render::html_report(
            ReportInput {
                map: &map,
                profile: None,
            },
            &options,
        )
        .map_err(|e| check_error(&e));
    }

    /// Every analysis through the one entry the bindings use, on a small log: any request text gets
    /// a JSON result or an error, never a panic, an abort or a hang (libFuzzer's -timeout).
    pub fn request(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        match analyze_json(text, Some(sample_log())) {
            Ok(json) => {
                serde_json::from_str::<serde_json::Value>(&json).expect("a result is JSON");
            }
            Err(e) => check_error(&e),
        }
    }

    /// Filters from any JSON text on a small log: a filter and its negation split the log's events
    /// between them (each keeps what the other drops, at its level), and both results are logs.
    pub fn filter(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let filter = match Filter::from_json(text) {
            Ok(f) => f,
            Err(e) => return check_error(&e),
        };
        let log = sample_log();
        let (kept, dropped) = match (log.filter(&filter), log.filter(&!filter.clone())) {
            (Ok(k), Ok(d)) => (k, d),
            (Err(e), Err(_)) => return check_error(&e),
            (k, d) => panic!("a filter and its negation disagree on failing: {k:?} {d:?}"),
        };
        assert_eq!(
            kept.num_events() + dropped.num_events(),
            log.num_events(),
            "{filter:?}"
        );
        check_log(&kept);
        check_log(&dropped);
    }

    /// A saved KPI monitor from any bytes: raw when the first byte is even, else the rest framed
    /// in a valid header (so that the body's parser is reached past the checksum). What reads
    /// saves to bytes that read back to the same monitor, and gives a series or an error.
    pub fn monitor_state(data: &[u8]) {
        use journeystream::analytics::monitor::series::{frame, KpiMonitor};
        let bytes = match data.split_first() {
            Some((&choice, body)) if choice % 2 == 1 => frame(body),
            _ => data.to_vec(),
        };
        let monitor = match KpiMonitor::from_bytes(&bytes) {
            Ok(m) => m,
            Err(e) => return check_error(&e),
        };
        let again = KpiMonitor::from_bytes(&monitor.to_bytes()).expect("a saved monitor reads");
        assert_eq!(again, monitor);
        let request = monitor.request();
        let series = monitor.series(&request);
        if let Err(e) = &series {
            check_error(e);
        }
        let mut more = monitor.clone();
        match more.add(sample_log()) {
            Ok(()) => {
                let _ = more.series(&request);
            }
            Err(e) => check_error(&e),
        }
    }
}
