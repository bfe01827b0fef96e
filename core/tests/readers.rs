//! The tabular event-log readers (CSV, JSON Lines) against the fixtures in tests/data/logs and
//! the XES reader.

use journeystream::log::csv::{read_csv, read_csv_file, ColumnMapping, CsvOptions};
use journeystream::log::jsonl::{read_jsonl, read_jsonl_file, JsonlOptions};
use journeystream::log::read::OnBadRow;
use journeystream::log::timeformat::{TimeZone, TimestampFormat};
use journeystream::log::timestamp::{format_rfc3339, parse_rfc3339};
use journeystream::log::xes::{read_xes_file, XesOptions};
use journeystream::log::{AttrValue, EventLog};
use journeystream::{Error, ErrorKind};

fn fixture(name: &str) -> String {
    format!("{}/../tests/data/logs/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Each case's id and its (activity, UTC time) events, in log order.
fn sequences(log: &EventLog) -> Vec<(String, Vec<(String, String)>)> {
    log.cases()
        .map(|c| {
            let events = c
                .activity_names()
                .zip(c.timestamps())
                .map(|(a, &t)| (a.to_string(), format_rfc3339(t)))
                .collect();
            (c.id().to_string(), events)
        })
        .collect()
}

fn csv(text: &str, options: CsvOptions<'_>) -> Result<EventLog, Error> {
    read_csv(text.as_bytes(), options).map(|(log, _)| log)
}

fn csv_err(text: &str, options: CsvOptions<'_>) -> String {
    read_csv(text.as_bytes(), options).unwrap_err().to_string()
}

fn skip_csv() -> CsvOptions<'static> {
    CsvOptions {
        on_bad_row: OnBadRow::SkipAndReport,
        ..CsvOptions::default()
    }
}

fn utc(text: &str) -> i64 {
    parse_rfc3339(text, 0).unwrap()
}

#[test]
fn csv_jsonl_and_xes_of_the_same_events_give_the_same_log() {
    let (xes, _) = read_xes_file(fixture("small.xes"), XesOptions::default()).unwrap();
    let (csv, report) = read_csv_file(fixture("small.csv"), CsvOptions::default()).unwrap();
    let (jsonl, _) = read_jsonl_file(fixture("small.jsonl"), JsonlOptions::default()).unwrap();
    assert_eq!((report.rows_read, report.rows_skipped), (8, 0));
    let expected = sequences(&xes);
    assert_eq!(expected.len(), 3);
    assert_eq!(
        expected[0].1[2],
        ("ship, express".into(), "2024-03-02T10:15:30.25Z".into())
    );
    assert_eq!(sequences(&csv), expected);
    assert_eq!(sequences(&jsonl), expected);
    for log in [&csv, &jsonl] {
        assert_eq!(log.activities().names(), xes.activities().names());
        for i in 0..log.num_events() {
            assert_eq!(
                log.event_attribute("items").unwrap().get(i),
                xes.event_attribute("items").unwrap().get(i)
            );
            assert_eq!(
                log.event_attribute("resource").unwrap().get(i),
                xes.event_attribute("org:resource").unwrap().get(i)
            );
        }
        for c in 0..log.num_cases() {
            assert_eq!(
                log.case_attribute("segment").unwrap().get(c),
                xes.case_attribute("segment").unwrap().get(c)
            );
        }
    }
}

#[test]
fn gzipped_csv_reads_like_the_plain_file() {
    let (plain, _) = read_csv_file(fixture("small.csv"), CsvOptions::default()).unwrap();
    let mut bytes = 0;
    let options = CsvOptions {
        progress: Some(Box::new(|n| {
            bytes = n;
            true
        })),
        ..CsvOptions::default()
    };
    let (gz, report) = read_csv_file(fixture("small.csv.gz"), options).unwrap();
    assert_eq!(gz, plain);
    assert_eq!(report.rows_read, 8);
    assert_eq!(
        bytes,
        std::fs::metadata(fixture("small.csv.gz")).unwrap().len()
    );
}

#[test]
fn a_progress_callback_can_cancel_a_read() {
    let stop =
        || -> Option<journeystream::log::read::Progress<'static>> { Some(Box::new(|_| false)) };
    let csv = CsvOptions {
        progress: stop(),
        ..CsvOptions::default()
    };
    let e = read_csv_file(fixture("small.csv"), csv).unwrap_err();
    assert!(
        e.to_string().contains(journeystream::log::read::CANCELLED),
        "{e}"
    );
    assert_eq!(e.kind(), journeystream::ErrorKind::Io, "{e}");
    let xes = journeystream::log::xes::XesOptions {
        progress: stop(),
        ..Default::default()
    };
    let e = journeystream::log::xes::read_xes_file(fixture("small.xes"), xes).unwrap_err();
    assert!(
        e.to_string().contains(journeystream::log::read::CANCELLED),
        "{e}"
    );
}

#[test]
fn skip_and_report_counts_every_bad_row() {
    let options = CsvOptions {
        columns: ColumnMapping {
            value: Some("value".into()),
            ..ColumnMapping::default()
        },
        ..skip_csv()
    };
    let (log, report) = read_csv_file(fixture("bad_rows.csv"), options).unwrap();
    assert_eq!(
        (log.num_events(), report.rows_read, report.rows_skipped),
        (2, 7, 5)
    );
    let messages: Vec<String> = report.examples.iter().map(Error::to_string).collect();
    assert_eq!(
        messages,
        [
            "line 3, field 'timestamp': '2024-13-01T09:00:00Z' is not a valid timestamp: \
             expected a date and time such as 2024-03-01T09:30:00Z, 2024-03-01 09:30:00, \
             2024-03-01, 2024/03/01 09:30, 01.03.2024 09:30 or an RFC 2822 date (give other \
             layouts as a strftime format)",
            "line 4: expected 4 fields as in the header, found 3",
            "line 5, field 'value': 'abc' is not a number",
            "line 6, field 'case': the case id is empty",
            "line 7: expected 4 fields as in the header, found 5",
        ]
    );
    match &report.examples[1] {
        Error::Input { value, field, .. } => {
            assert_eq!(value.as_deref(), Some("c1,c,2024-03-01T10:00:00Z"));
            assert_eq!(field, &None);
        }
        other => panic!("{other:?}"),
    }
    let values: Vec<_> = (0..2)
        .map(|i| log.event_attribute("value").unwrap().get(i))
        .collect();
    assert_eq!(
        values,
        [Some(AttrValue::Number(1.5)), Some(AttrValue::Number(4.0))]
    );
}

#[test]
fn the_first_bad_row_stops_the_read_and_names_file_line_field_and_value() {
    let err = read_csv_file(fixture("bad_rows.csv"), CsvOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.file().unwrap().ends_with("bad_rows.csv"));
    assert_eq!(err.path(), Some("line 3"));
    let Error::InFile { source, .. } = &err else {
        panic!("{err:?}")
    };
    let Error::Input {
        location,
        field,
        value,
        message,
    } = source.as_ref()
    else {
        panic!("{source:?}")
    };
    assert_eq!(location, "line 3");
    assert_eq!(field.as_deref(), Some("timestamp"));
    assert_eq!(value.as_deref(), Some("2024-13-01T09:00:00Z"));
    assert!(message.starts_with("'2024-13-01T09:00:00Z' is not a valid timestamp: expected"));
}

#[test]
fn missing_columns_are_named_with_the_header() {
    assert_eq!(
        csv_err(
            "case,activity,when\nc,a,2024-01-01\n",
            CsvOptions::default()
        ),
        "line 1, field 'time:timestamp': no column 'time:timestamp' (nor 'timestamp') for the \
         timestamp; the header has: 'case', 'activity', 'when'"
    );
    let options = CsvOptions {
        columns: ColumnMapping {
            stage: Some("phase".into()),
            ..ColumnMapping::default()
        },
        ..skip_csv()
    };
    assert_eq!(
        csv_err("case,activity,timestamp\nc,a,2024-01-01\n", options),
        "line 1, field 'phase': no column 'phase' for the stage; the header has: 'case', \
         'activity', 'timestamp'"
    );
}

#[test]
fn empty_files_are_errors() {
    assert_eq!(
        csv_err("", CsvOptions::default()),
        "line 1: the file is empty: expected a header line naming the columns"
    );
    assert_eq!(
        csv_err("\n\n", skip_csv()),
        "line 1: the file is empty: expected a header line naming the columns"
    );
    let (log, report) = read_csv("case,activity,timestamp\n".as_bytes(), skip_csv()).unwrap();
    assert_eq!((log.num_events(), report.rows_read), (0, 0));
    let path = std::env::temp_dir().join(format!("journeystream-empty-{}.csv", std::process::id()));
    std::fs::write(&path, "").unwrap();
    let err = read_csv_file(&path, CsvOptions::default()).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: line 1: the file is empty: expected a header line naming the columns",
            path.display()
        )
    );
    let err = read_csv_file(fixture("no-such-file.csv"), CsvOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
}

#[test]
fn quoted_fields_keep_delimiters_quotes_and_line_breaks_and_lines_stay_right() {
    let options = || CsvOptions {
        delimiter: b';',
        ..CsvOptions::default()
    };
    let err = read_csv_file(fixture("quoted.csv"), options()).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("quoted.csv: line 8, field 'timestamp': 'not a time' is not a valid timestamp: expected a date and time such as 2024-03-01T09:30:00Z, 2024-03-01 09:30:00, 2024-03-01, 2024/03/01 09:30, 01.03.2024 09:30 or an RFC 2822 date (give other layouts as a strftime format)"),
        "{err}"
    );
    let options = CsvOptions {
        on_bad_row: OnBadRow::SkipAndReport,
        ..options()
    };
    let (log, report) = read_csv_file(fixture("quoted.csv"), options).unwrap();
    assert_eq!((report.rows_read, report.rows_skipped), (4, 1));
    assert_eq!(
        log.case(0).activity_names().collect::<Vec<_>>(),
        ["fill in; check", "say \"hi\"", "send"]
    );
    let note = log.event_attribute("note").unwrap();
    assert_eq!(
        note.get(0),
        Some(AttrValue::Text("first line\nsecond line"))
    );
    assert_eq!(note.get(2), Some(AttrValue::Text("a;b\nc\nd")));
    // A bad row after a multi-line one is named by its own first line.
    let text = "case,activity,timestamp\nc,\"a\nb\",2024-01-01\nc,b,2024-01-01,x\n";
    assert_eq!(
        csv_err(text, CsvOptions::default()),
        "line 4: expected 3 fields as in the header, found 4"
    );
}

#[test]
fn tab_delimiter_strftime_and_attribute_types() {
    let options = CsvOptions {
        delimiter: b'\t',
        timestamp_format: TimestampFormat::Strftime("%d/%m/%Y %H:%M".into()),
        ..CsvOptions::default()
    };
    let (log, _) = read_csv_file(fixture("tabs.tsv"), options).unwrap();
    assert_eq!(
        sequences(&log)[0].1,
        [
            ("a".to_string(), "2024-03-01T09:30:00Z".to_string()),
            ("b".to_string(), "2024-03-02T09:30:00Z".to_string())
        ]
    );
    let cost = log.event_attribute("cost").unwrap();
    assert_eq!(
        (cost.get(0), cost.get(1), cost.get(2)),
        (
            Some(AttrValue::Number(1.5)),
            Some(AttrValue::Number(2.0)),
            None
        )
    );
}

#[test]
fn attribute_types_are_inferred_and_widened() {
    let text = "case,activity,timestamp,int,float,flag,code,mixed,blank\n\
                c,a,2024-01-01,1,0.5,true,007,1,\n\
                c,b,2024-01-02,-2,3,False,010,x,\n";
    let log = csv(text, CsvOptions::default()).unwrap();
    let col = |name: &str| {
        let c = log.event_attribute(name).unwrap();
        (c.get(0), c.get(1))
    };
    assert_eq!(
        col("int"),
        (Some(AttrValue::Integer(1)), Some(AttrValue::Integer(-2)))
    );
    assert_eq!(
        col("float"),
        (Some(AttrValue::Number(0.5)), Some(AttrValue::Number(3.0)))
    );
    assert_eq!(
        col("flag"),
        (Some(AttrValue::Bool(true)), Some(AttrValue::Bool(false)))
    );
    assert_eq!(
        col("code"),
        (Some(AttrValue::Text("007")), Some(AttrValue::Text("010")))
    );
    assert_eq!(
        col("mixed"),
        (Some(AttrValue::Text("1")), Some(AttrValue::Text("x")))
    );
    assert!(log.event_attribute("blank").is_none());
}

#[test]
fn time_zones_named_fixed_and_explicit_offsets() {
    let text = "case,activity,timestamp\n\
                c,winter,2024-01-15 09:00:00\n\
                c,summer,2024-07-15 09:00:00\n\
                c,explicit,2024-07-15T09:00:00+09:00\n\
                c,utc,2024-07-15T09:00:00Z\n";
    let read_in = |zone: TimeZone| {
        let log = csv(
            text,
            CsvOptions {
                time_zone: zone,
                ..CsvOptions::default()
            },
        )
        .unwrap();
        let mut times: Vec<(String, String)> = sequences(&log).remove(0).1;
        times.sort();
        times
    };
    let amsterdam = read_in(TimeZone::Named("Europe/Amsterdam".into()));
    let pairs = |v: [(&str, &str); 4]| -> Vec<(String, String)> {
        let mut v: Vec<_> = v
            .iter()
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        amsterdam,
        pairs([
            ("winter", "2024-01-15T08:00:00Z"),
            ("summer", "2024-07-15T07:00:00Z"),
            ("explicit", "2024-07-15T00:00:00Z"),
            ("utc", "2024-07-15T09:00:00Z"),
        ])
    );
    let fixed = read_in(TimeZone::FixedOffset(-4 * 3600));
    assert_eq!(
        fixed,
        pairs([
            ("winter", "2024-01-15T13:00:00Z"),
            ("summer", "2024-07-15T13:00:00Z"),
            ("explicit", "2024-07-15T00:00:00Z"),
            ("utc", "2024-07-15T09:00:00Z"),
        ])
    );
    // A local time skipped by daylight saving is an error, not a shifted time.
    let gap = "case,activity,timestamp\nc,a,2024-03-10 02:30:00\n";
    let options = CsvOptions {
        time_zone: TimeZone::Named("America/New_York".into()),
        ..CsvOptions::default()
    };
    assert_eq!(
        csv_err(gap, options),
        "line 2, field 'timestamp': '2024-03-10 02:30:00' is not a valid timestamp: the local \
         time 2024-03-10 02:30:00 does not exist in America/New_York (the clocks skip it at a \
         daylight-saving change)"
    );
    // The repeated hour in autumn is read as its earliest instant (EDT, UTC-4).
    let repeated = "case,activity,timestamp\nc,a,2024-11-03 01:30:00\n";
    let options = CsvOptions {
        time_zone: TimeZone::Named("America/New_York".into()),
        ..CsvOptions::default()
    };
    let log = csv(repeated, options).unwrap();
    assert_eq!(log.case(0).timestamps(), [utc("2024-11-03T05:30:00Z")]);
    let err = read_csv(
        gap.as_bytes(),
        CsvOptions {
            time_zone: TimeZone::Named("Mars/Olympus".into()),
            ..CsvOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn epoch_timestamps_as_text_and_json_numbers() {
    let expected = utc("2024-03-01T09:30:00.25Z");
    for (format, text) in [
        (TimestampFormat::EpochSeconds, "1709285400.25"),
        (TimestampFormat::EpochMillis, "1709285400250"),
        (TimestampFormat::EpochMicros, "1709285400250000"),
        (TimestampFormat::EpochNanos, "1709285400250000000"),
    ] {
        let csv_text = format!("case,activity,timestamp\nc,a,{text}\n");
        let log = csv(
            &csv_text,
            CsvOptions {
                timestamp_format: format.clone(),
                time_zone: TimeZone::Named("Asia/Kolkata".into()),
                ..CsvOptions::default()
            },
        )
        .unwrap();
        assert_eq!(log.case(0).timestamps(), [expected], "{format:?}");
        for value in [text.to_string(), format!("\"{text}\"")] {
            let line = format!("{{\"case\":\"c\",\"activity\":\"a\",\"timestamp\":{value}}}\n");
            let options = JsonlOptions {
                timestamp_format: format.clone(),
                ..JsonlOptions::default()
            };
            let (log, _) = read_jsonl(line.as_bytes(), options).unwrap();
            assert_eq!(log.case(0).timestamps(), [expected], "{format:?} {value}");
        }
    }
    let err = read_jsonl(
        "{\"case\":\"c\",\"activity\":\"a\",\"timestamp\":1709285400}\n".as_bytes(),
        JsonlOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with(
            "line 1, field 'timestamp': '1709285400' is not a valid timestamp: expected a date"
        ),
        "{err}"
    );
    assert!(err
        .to_string()
        .ends_with("found a number (numbers are read with an epoch format)"));
}

#[test]
fn start_timestamps_order_events_and_are_kept() {
    let text = "case,activity,timestamp,start_timestamp\n\
                c,b,2024-01-01T12:00:00Z,2024-01-01T11:00:00Z\n\
                c,a,2024-01-01T13:00:00Z,2024-01-01T10:00:00Z\n";
    let log = csv(text, CsvOptions::default()).unwrap();
    assert_eq!(log.case(0).activity_names().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(
        log.case(0).starts().unwrap(),
        [utc("2024-01-01T10:00:00Z"), utc("2024-01-01T11:00:00Z")]
    );
    let bad = "case,activity,timestamp,start_timestamp\nc,a,2024-01-01,yesterday\n";
    assert!(csv_err(bad, CsvOptions::default()).starts_with(
        "line 2, field 'start_timestamp': 'yesterday' is not a valid start timestamp: expected"
    ));
}

#[test]
fn jsonl_errors_count_physical_lines_and_skip_blank_ones() {
    let text = "{\"case\":\"c\",\"activity\":\"a\",\"timestamp\":\"2024-01-01\"}\n\
                \n\
                   \r\n\
                {\"case\":\"c\",\"timestamp\":\"2024-01-02\"}\n\
                {\"case\":\"c\",\"activity\":\"b\",\"timestamp\":\"2024-01-03\",\"value\":\"x\"}\n\
                not json\n";
    let err = read_jsonl(text.as_bytes(), JsonlOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 4, field 'concept:name': the event has no 'concept:name' (nor 'activity')"
    );
    let options = JsonlOptions {
        on_bad_row: OnBadRow::SkipAndReport,
        columns: ColumnMapping {
            value: Some("value".into()),
            ..ColumnMapping::default()
        },
        ..JsonlOptions::default()
    };
    let (log, report) = read_jsonl(text.as_bytes(), options).unwrap();
    assert_eq!(
        (log.num_events(), report.rows_read, report.rows_skipped),
        (1, 4, 3)
    );
    let messages: Vec<String> = report.examples.iter().map(Error::to_string).collect();
    assert_eq!(messages[1], "line 5, field 'value': 'x' is not a number");
    assert_eq!(
        messages[2],
        "line 6: invalid JSON at column 2: expected ident"
    );
}

#[test]
fn jsonl_gzipped_file_and_file_errors() {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("journeystream-{}.jsonl.gz", std::process::id()));
    let plain = std::fs::read(fixture("small.jsonl")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &plain).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let result = read_jsonl_file(&path, JsonlOptions::default());
    std::fs::remove_file(&path).unwrap();
    let (log, _) = result.unwrap();
    let (expected, _) = read_jsonl_file(fixture("small.jsonl"), JsonlOptions::default()).unwrap();
    assert_eq!(log, expected);
    let options = JsonlOptions {
        columns: ColumnMapping {
            case: Some("ticket".into()),
            ..ColumnMapping::default()
        },
        ..JsonlOptions::default()
    };
    let err = read_jsonl_file(fixture("small.jsonl"), options).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("small.jsonl: line 1, field 'ticket': the event has no 'ticket'"),
        "{err}"
    );
}
