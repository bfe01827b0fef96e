//! Per-activity statistics and case arrivals: hand-computed logs, and partials that merge across
//! separately built logs (different activity codes) into what the whole log gives.

use journeystream::analytics::activity::{activity_stats, ActivityPartial, ActivityStats};
use journeystream::analytics::arrival::{arrivals, ArrivalBucket, ArrivalPartial, Period};
use journeystream::analytics::process::DurationStats;
use journeystream::analytics::Partial;
use journeystream::log::filter::Filter;
use journeystream::log::{EventLog, LogBuilder};
use proptest::prelude::*;

const S: i64 = 1_000_000_000;
const HOUR: i64 = 3600 * S;
const DAY: i64 = 24 * HOUR;

fn find<'a>(stats: &'a [ActivityStats], name: &str) -> &'a ActivityStats {
    stats.iter().find(|s| s.activity == name).unwrap()
}

/// Case x: a [0, 10], b [15, 20], b [18, 30] (the second b starts before the first ends);
/// case y: a completes at 5 (no start), b [7, 9].
fn with_starts() -> EventLog {
    let mut b = LogBuilder::new();
    for (case, activity, start, end) in [
        ("x", "b", Some(18), 30),
        ("x", "a", Some(0), 10),
        ("x", "b", Some(15), 20),
        ("y", "a", None, 5),
        ("y", "b", Some(7), 9),
    ] {
        let e = b.push(case, activity, end * S).unwrap();
        if let Some(s) = start {
            b.set_start(e, s * S);
        }
    }
    b.finish().unwrap()
}

#[test]
fn service_and_waiting_times_with_start_timestamps() {
    let stats = activity_stats(&with_starts());
    assert_eq!(
        stats
            .iter()
            .map(|s| s.activity.as_str())
            .collect::<Vec<_>>(),
        ["b", "a"]
    );
    let a = find(&stats, "a");
    assert_eq!((a.events, a.cases, a.rework_cases, a.repeats), (2, 2, 0, 0));
    // Only x's a has a start: 10 − 0.
    let service = a.service_time.as_ref().unwrap();
    assert_eq!(
        (service.count, service.mean, service.stdev),
        (1, 10.0, None)
    );
    assert!(a.waiting_time.is_none());
    let b = find(&stats, "b");
    assert_eq!((b.events, b.cases, b.rework_cases, b.repeats), (3, 2, 1, 1));
    assert_eq!((b.self_loops, b.self_loop_cases), (1, 1));
    // Service: 20 − 15, 30 − 18, 9 − 7.
    let service = b.service_time.as_ref().unwrap();
    assert_eq!(service.count, 3);
    assert_eq!(service.total, 19.0);
    assert_eq!((service.median, service.min, service.max), (5.0, 2.0, 12.0));
    assert_eq!(service.mean, 19.0 / 3.0);
    // Waiting: 15 − 10, max(18, 20) − 20 = 0, 7 − 5.
    let waiting = b.waiting_time.as_ref().unwrap();
    assert_eq!((waiting.count, waiting.total), (3, 7.0));
    assert_eq!((waiting.median, waiting.min, waiting.max), (2.0, 0.0, 5.0));
    let stdev = waiting.stdev.unwrap();
    let mean = 7.0 / 3.0;
    let want = (([5.0f64, 0.0, 2.0]
        .iter()
        .map(|v| (v - mean).powi(2))
        .sum::<f64>())
        / 2.0)
        .sqrt();
    assert!((stdev - want).abs() < 1e-12);
}

#[test]
fn waiting_time_without_start_timestamps_is_the_gap_between_completions() {
    let mut b = LogBuilder::new();
    for (case, activity, t) in [
        ("1", "a", 0),
        ("1", "b", 10),
        ("1", "a", 25),
        ("1", "a", 26),
        ("1", "a", 30),
        ("2", "b", 0),
        ("2", "a", 100),
        ("2", "b", 101),
        ("2", "b", 102),
    ] {
        b.push(case, activity, t * S).unwrap();
    }
    let stats = activity_stats(&b.finish().unwrap());
    let a = find(&stats, "a");
    assert_eq!((a.events, a.cases, a.rework_cases, a.repeats), (5, 2, 1, 3));
    assert_eq!((a.self_loops, a.self_loop_cases), (2, 1));
    assert!(a.service_time.is_none());
    // 25 − 10, 26 − 25, 30 − 26, 100 − 0.
    let w = a.waiting_time.as_ref().unwrap();
    assert_eq!((w.count, w.total, w.median), (4, 120.0, 9.5));
    let b = find(&stats, "b");
    assert_eq!((b.events, b.cases, b.rework_cases, b.repeats), (4, 2, 1, 2));
    assert_eq!((b.self_loops, b.self_loop_cases), (1, 1));
    // 10 − 0, 101 − 100, 102 − 101.
    let w = b.waiting_time.as_ref().unwrap();
    assert_eq!((w.count, w.total, w.median), (3, 12.0, 1.0));
    assert_eq!(stats[0].activity, "a");
}

#[test]
fn ties_sort_by_name_and_results_round_trip_through_json() {
    let mut b = LogBuilder::new();
    for (case, activity) in [("1", "z"), ("1", "m"), ("2", "a")] {
        b.push(case, activity, 0).unwrap();
    }
    let stats = activity_stats(&b.finish().unwrap());
    assert_eq!(
        stats
            .iter()
            .map(|s| s.activity.as_str())
            .collect::<Vec<_>>(),
        ["a", "m", "z"]
    );
    let json = serde_json::to_string(&stats).unwrap();
    let back: Vec<ActivityStats> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, stats);
    assert!(activity_stats(&LogBuilder::new().finish().unwrap()).is_empty());
}

#[test]
fn filtered_out_activities_are_not_reported() {
    let log = with_starts();
    let stats = activity_stats(&log.filter(&!Filter::activities(["a"])).unwrap());
    assert_eq!(stats.len(), 1);
    assert_eq!(stats[0].activity, "b");
    // Without a, b's first events have no predecessor.
    assert_eq!(stats[0].waiting_time.as_ref().unwrap().count, 1);
}

#[test]
fn arrivals_per_period_and_inter_arrival_times() {
    let mut b = LogBuilder::new();
    // Case order in the log differs from arrival order.
    for (case, t) in [("3", 40 * S), ("1", 0), ("2", 10 * S), ("1", 5 * HOUR)] {
        b.push(case, "a", t).unwrap();
    }
    let a = arrivals(&b.finish().unwrap(), Period::Hour);
    assert_eq!(a.cases, 3);
    // Gaps 10 s and 30 s: pm4py's case arrival average is 20 s.
    assert_eq!(
        (
            a.inter_arrival.count,
            a.inter_arrival.mean,
            a.inter_arrival.median
        ),
        (2, 20.0, 20.0)
    );
    assert_eq!((a.periods, a.rate), (1, 3.0));
    assert_eq!(a.buckets, [ArrivalBucket { start: 0, cases: 3 }]);
    assert_eq!(a.period, Period::Hour);
}

#[test]
fn arrival_buckets_in_utc_hours_days_and_weeks() {
    let mut b = LogBuilder::new();
    // 1970-01-04 23:30 (a Sunday), 1970-01-05 00:10 (Monday), 1970-01-07 12:00, 1970-01-12 01:00.
    let times = [
        3 * DAY + 23 * HOUR + 30 * 60 * S,
        4 * DAY + 10 * 60 * S,
        6 * DAY + 12 * HOUR,
        11 * DAY + HOUR,
    ];
    for (i, &t) in times.iter().enumerate() {
        b.push(&i.to_string(), "a", t).unwrap();
    }
    let log = b.finish().unwrap();
    let days = arrivals(&log, Period::Day);
    assert_eq!(
        days.buckets,
        [
            ArrivalBucket {
                start: 3 * DAY,
                cases: 1
            },
            ArrivalBucket {
                start: 4 * DAY,
                cases: 1
            },
            ArrivalBucket {
                start: 6 * DAY,
                cases: 1
            },
            ArrivalBucket {
                start: 11 * DAY,
                cases: 1
            },
        ]
    );
    assert_eq!((days.periods, days.rate), (9, 4.0 / 9.0));
    let weeks = arrivals(&log, Period::Week);
    assert_eq!(
        weeks.buckets,
        [
            ArrivalBucket {
                start: -3 * DAY,
                cases: 1
            },
            ArrivalBucket {
                start: 4 * DAY,
                cases: 2
            },
            ArrivalBucket {
                start: 11 * DAY,
                cases: 1
            },
        ]
    );
    assert_eq!((weeks.periods, weeks.rate), (3, 4.0 / 3.0));
    let hours = arrivals(&log, Period::Hour);
    assert_eq!(hours.buckets.len(), 4);
    assert_eq!(hours.buckets[0].start, 3 * DAY + 23 * HOUR);
    assert_eq!(hours.periods, (11 * 24 + 1 - (3 * 24 + 23)) as u64 + 1);
    assert_eq!(Period::Hour.bucket(-1), -HOUR);
    assert_eq!(Period::Day.bucket(-DAY), -DAY);
}

#[test]
fn a_case_arrives_at_its_first_start() {
    let mut b = LogBuilder::new();
    let e = b.push("x", "a", 100 * S).unwrap();
    b.set_start(e, 40 * S);
    b.push("y", "a", 50 * S).unwrap();
    let a = arrivals(&b.finish().unwrap(), Period::Day);
    assert_eq!(a.inter_arrival.mean, 10.0);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(
        serde_json::from_str::<journeystream::analytics::arrival::Arrivals>(&json).unwrap(),
        a
    );
}

// ---------------------------------------------------------------------------------------------
// Merging partials of separately built logs.

const ACTIVITIES: [&str; 4] = ["a", "b", "c", "d"];

#[derive(Debug, Clone)]
struct Row {
    case: usize,
    activity: usize,
    t: i64,
    start: Option<i64>,
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let row = (
        0usize..10,
        0usize..ACTIVITIES.len(),
        -50i64..200,
        prop::option::of(-5i64..30),
    )
        .prop_map(|(case, activity, t, wait)| Row {
            case,
            activity,
            // Sub-second times exercise exact sums.
            t: t * S + t.rem_euclid(7) * 123_456_789,
            start: wait.map(|w| (t - w) * S),
        });
    prop::collection::vec(row, 0..60)
}

/// A log of the rows whose case is selected; `reversed` interns activities in reverse order first,
/// so that the same name gets a different code.
fn build(rows: &[Row], keep: impl Fn(usize) -> bool, reversed: bool) -> EventLog {
    let mut b = LogBuilder::new();
    if reversed {
        for name in ACTIVITIES.iter().rev() {
            b.activity_code(name);
        }
    }
    for r in rows.iter().filter(|r| keep(r.case)) {
        let e = b
            .push(&format!("c{}", r.case), ACTIVITIES[r.activity], r.t)
            .unwrap();
        if let Some(s) = r.start {
            b.set_start(e, s);
        }
    }
    b.finish().unwrap()
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-300),
        _ => false,
    }
}

fn same_stats(x: &Option<DurationStats>, y: &Option<DurationStats>) -> bool {
    match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            let exact = |s: &DurationStats| (s.count, s.mean, s.median, s.min, s.max, s.total);
            exact(x) == exact(y) && close(x.stdev, y.stdev)
        }
        _ => false,
    }
}

fn same_activity_stats(x: &[ActivityStats], y: &[ActivityStats]) -> bool {
    x.len() == y.len()
        && x.iter().zip(y).all(|(a, b)| {
            let counts = |s: &ActivityStats| {
                (
                    s.activity.clone(),
                    s.events,
                    s.cases,
                    s.rework_cases,
                    s.repeats,
                    s.self_loops,
                    s.self_loop_cases,
                )
            };
            counts(a) == counts(b)
                && same_stats(&a.service_time, &b.service_time)
                && same_stats(&a.waiting_time, &b.waiting_time)
        })
}

proptest! {
    #[test]
    fn activity_partials_merge_across_dictionaries(
        rows in rows(), split in prop::collection::vec(any::<bool>(), 10), starts in any::<bool>()
    ) {
        let rows: Vec<Row> = rows
            .into_iter()
            .map(|r| Row { start: r.start.filter(|_| starts), ..r })
            .collect();
        let whole = build(&rows, |_| true, false);
        let left = build(&rows, |c| split[c], false);
        let right = build(&rows, |c| !split[c], true);
        let expected = ActivityPartial::of_log(&whole).finish();
        let l = ActivityPartial::of_log(&left);
        let r = ActivityPartial::of_log(&right);
        let merged = l.clone().merge(r.clone()).finish();
        prop_assert!(same_activity_stats(&merged, &expected), "{merged:#?}\n{expected:#?}");
        let merged = r.merge(l).finish();
        prop_assert!(same_activity_stats(&merged, &expected), "{merged:#?}\n{expected:#?}");
        // Case ranges of one log, merged, give the same.
        let n = whole.num_cases();
        let dict = whole.activity_dictionary().clone();
        let mut first = ActivityPartial::empty(dict.clone());
        first.add_cases(&whole, 0..n / 2);
        let mut second = ActivityPartial::empty(dict);
        second.add_cases(&whole, n / 2..n);
        let chunked = first.merge(second).finish();
        prop_assert!(same_activity_stats(&chunked, &expected));
        // Self-consistency with the profile.
        let profile = journeystream::analytics::process::profile(&whole);
        for a in &expected {
            let p = profile.activities.iter().find(|p| p.activity == a.activity).unwrap();
            prop_assert_eq!((p.events, p.cases), (a.events, a.cases));
            prop_assert!(a.rework_cases <= a.cases && a.self_loop_cases <= a.rework_cases);
            prop_assert_eq!(a.repeats, a.events - a.cases);
        }
        prop_assert_eq!(expected.len(), profile.activities.len());
    }

    #[test]
    fn arrival_partials_merge_across_logs(
        rows in rows(), split in prop::collection::vec(any::<bool>(), 10),
        period in prop::sample::select(vec![Period::Hour, Period::Day, Period::Week])
    ) {
        let whole = build(&rows, |_| true, false);
        let left = build(&rows, |c| split[c], false);
        let right = build(&rows, |c| !split[c], true);
        let expected = arrivals(&whole, period);
        let merged = ArrivalPartial::of_log(&left)
            .merge(ArrivalPartial::of_log(&right))
            .finish(period);
        prop_assert_eq!(&merged, &expected);
        prop_assert_eq!(expected.cases as usize, whole.num_cases());
        prop_assert_eq!(expected.buckets.iter().map(|b| b.cases).sum::<u64>(), expected.cases);
        prop_assert!(expected.buckets.windows(2).all(|w| w[0].start < w[1].start));
        if expected.cases >= 2 {
            prop_assert_eq!(expected.inter_arrival.count, expected.cases - 1);
        }
    }
}
