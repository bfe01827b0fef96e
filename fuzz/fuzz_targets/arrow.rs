//! The Arrow import on tables of every column type it takes (text, large text, views,
//! dictionaries, integers, timestamps of each unit and zone, dates, numbers, booleans), with
//! nulls anywhere and values at the ends of their ranges: what imports is a consistent log with
//! one event per row; anything else is an error.
#![no_main]

use arrow_array::builder::{StringDictionaryBuilder, StringViewBuilder};
use arrow_array::types::Int32Type;
use arrow_array::*;
use journeystream::columnar::log::{import, LogColumns};
use journeystream_fuzz::{check_error, check_log};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

#[derive(Arbitrary, Debug)]
struct Row {
    case: Option<u8>,
    activity: Option<u8>,
    time: Option<i64>,
    start: Option<i64>,
    number: Option<f64>,
    flag: Option<bool>,
}

#[derive(Arbitrary, Debug)]
struct Table {
    case_type: u8,
    time_type: u8,
    with_start: bool,
    batches: Vec<Vec<Row>>,
}

fn text(kind: u8, values: Vec<Option<String>>) -> ArrayRef {
    match kind % 5 {
        0 => Arc::new(StringArray::from(values)),
        1 => Arc::new(LargeStringArray::from(values)),
        2 => {
            let mut b = StringViewBuilder::new();
            values.iter().for_each(|v| b.append_option(v.as_deref()));
            Arc::new(b.finish())
        }
        3 => {
            let mut b = StringDictionaryBuilder::<Int32Type>::new();
            values.iter().for_each(|v| b.append_option(v.as_deref()));
            Arc::new(b.finish())
        }
        _ => Arc::new(Int64Array::from(
            values
                .iter()
                .map(|v| v.as_ref().map(|s| s.len() as i64))
                .collect::<Vec<_>>(),
        )),
    }
}

fn time(kind: u8, values: Vec<Option<i64>>) -> ArrayRef {
    let zone = (kind & 8 != 0)
        .then(|| Arc::<str>::from(["UTC", "+02:00", "Europe/Paris"][kind as usize % 3]));
    match kind % 8 {
        0 => Arc::new(TimestampNanosecondArray::from(values).with_timezone_opt(zone)),
        1 => Arc::new(TimestampMicrosecondArray::from(values).with_timezone_opt(zone)),
        2 => Arc::new(TimestampMillisecondArray::from(values).with_timezone_opt(zone)),
        3 => Arc::new(TimestampSecondArray::from(values).with_timezone_opt(zone)),
        4 => Arc::new(Date32Array::from(
            values
                .iter()
                .map(|v| v.map(|x| x as i32))
                .collect::<Vec<_>>(),
        )),
        5 => Arc::new(Date64Array::from(values)),
        6 => Arc::new(StringArray::from(
            values
                .iter()
                .map(|v| v.map(|x| format!("2024-01-{:02}T00:00:00Z", x.rem_euclid(31) + 1)))
                .collect::<Vec<_>>(),
        )),
        _ => Arc::new(Int64Array::from(values)),
    }
}

fn batch(t: &Table, rows: &[Row]) -> Option<RecordBatch> {
    let name = |v: Option<u8>, prefix: &str| v.map(|x| format!("{prefix}{}", x % 16));
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        (
            "case:concept:name",
            text(
                t.case_type,
                rows.iter().map(|r| name(r.case, "c")).collect(),
            ),
        ),
        (
            "concept:name",
            text(
                t.case_type >> 3,
                rows.iter().map(|r| name(r.activity, "a")).collect(),
            ),
        ),
        (
            "time:timestamp",
            time(t.time_type, rows.iter().map(|r| r.time).collect()),
        ),
        (
            "value",
            Arc::new(Float64Array::from(
                rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            )),
        ),
        (
            "flag",
            Arc::new(BooleanArray::from(
                rows.iter().map(|r| r.flag).collect::<Vec<_>>(),
            )),
        ),
    ];
    if t.with_start {
        columns.push((
            "start_timestamp",
            time(t.time_type, rows.iter().map(|r| r.start).collect()),
        ));
    }
    RecordBatch::try_from_iter(columns).ok()
}

fuzz_target!(|t: Table| {
    let batches: Vec<RecordBatch> = match t.batches.iter().map(|rows| batch(&t, rows)).collect() {
        Some(b) => b,
        None => return,
    };
    let Some(schema) = batches.first().map(|b| b.schema()) else {
        return;
    };
    if batches.iter().any(|b| b.schema() != schema) {
        return;
    }
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    let columns = LogColumns {
        start_timestamp: t.with_start.then(|| "start_timestamp".to_string()),
        ..LogColumns::default()
    };
    let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema);
    match import(reader, &columns) {
        Ok(log) => {
            assert_eq!(log.num_events(), rows, "rows in, events out");
            check_log(&log);
        }
        Err(e) => check_error(&e),
    }
});
