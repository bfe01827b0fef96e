//! The process profile is a mergeable partial: partitions built separately (their own activity
//! codes) and merged give the profile of the whole log.

use journeystream::analytics::process::{profile, ProfilePartial};
use journeystream::analytics::Partial;
use journeystream::log::{EventLog, LogBuilder};
use proptest::prelude::*;
use serde_json::Value;

type Row = (u8, u8, i64);

fn build(rows: &[Row]) -> EventLog {
    let mut b = LogBuilder::new();
    for &(case, activity, t) in rows {
        b.push(
            &format!("case-{case}"),
            &format!("act-{activity}"),
            t * 1_000_000,
        )
        .unwrap();
    }
    b.finish().unwrap()
}

/// Equal up to float rounding in sums of squares (stdev), exactly elsewhere.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

proptest! {
    #[test]
    fn merged_partitions_equal_the_whole(rows in prop::collection::vec((0u8..12, 0u8..6, 0i64..1_000), 0..120), split in 0u8..12) {
        let whole = serde_json::to_value(profile(&build(&rows))).unwrap();
        // Partition by case; each side with its cases in reverse order (events of a case keep their
        // order, ties included) so that activities are first seen in another order.
        let (mut left, mut right): (Vec<Row>, Vec<Row>) = rows.iter().partition(|r| r.0 < split);
        left.sort_by_key(|r| std::cmp::Reverse(r.0));
        right.sort_by_key(|r| std::cmp::Reverse(r.0));
        let (a, b) = (build(&left), build(&right));
        let merged = ProfilePartial::of_log(&a).merge(ProfilePartial::of_log(&b)).finish();
        let merged = serde_json::to_value(merged).unwrap();
        prop_assert!(same(&whole, &merged), "whole {whole}\nmerged {merged}");
    }
}

#[test]
fn ties_keep_input_order_and_single_edges_have_no_stdev() {
    let log = build(&[(1, 0, 5), (1, 1, 5), (1, 2, 5), (2, 2, 0), (2, 1, 10)]);
    let p = profile(&log);
    assert_eq!(
        p.variants
            .iter()
            .map(|v| v.activities.join(","))
            .collect::<Vec<_>>(),
        ["act-0,act-1,act-2", "act-2,act-1"]
    );
    let e = p
        .dfg
        .iter()
        .find(|e| e.source == "act-2" && e.target == "act-1")
        .unwrap();
    assert_eq!((e.count, e.mean, e.stdev), (1, 0.01, None));
}

#[test]
fn variants_of_equal_count_are_ordered_by_their_activity_names() {
    use journeystream::log::LogBuilder;
    // Sequences sharing their first eight activities and longer ones, one a prefix of another;
    // the codes are given in an order unlike the names' so that ranks, not codes, must decide.
    let sequences: [&[&str]; 5] = [
        &["z", "a", "a", "a", "a", "a", "a", "a", "c"],
        &["z", "a", "a", "a", "a", "a", "a", "a", "b", "b"],
        &["z", "a", "a", "a", "a", "a", "a", "a"],
        &["m"],
        &["z", "a", "a", "a", "a", "a", "a", "a", "b"],
    ];
    let mut b = LogBuilder::new();
    for (case, seq) in sequences.iter().enumerate() {
        for (i, activity) in seq.iter().enumerate() {
            b.push(&format!("c{case}"), activity, i as i64).unwrap();
        }
    }
    let p = profile(&b.finish().unwrap());
    let order: Vec<String> = p.variants.iter().map(|v| v.activities.join("")).collect();
    assert_eq!(
        order,
        ["m", "zaaaaaaa", "zaaaaaaab", "zaaaaaaabb", "zaaaaaaac"]
    );
}
