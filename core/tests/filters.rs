//! Log filters: hand-computed cases for every filter, and invariants over random logs.

use journeystream::analytics::activity::activity_stats;
use journeystream::analytics::process::profile;
use journeystream::log::filter::{Filter, Level, Predicate, Scalar, TimeMode};
use journeystream::log::{AttrValue, EventLog, LogBuilder};
use journeystream::ErrorKind;
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Five cases (times in seconds):
///
/// | case | events                 | region | amount | vip   | n |
/// |------|------------------------|--------|--------|-------|---|
/// | c1   | a 0, b 10, c 20        | EU     | 100    | true  | 1 |
/// | c2   | a 5, c 15              | US     | 50.5   | false | 2 |
/// | c3   | a 30, b 40, b 45, c 50 | EU     |        |       | 3 |
/// | c4   | b 60                   | APAC   |        |       |   |
/// | c5   | a 70, c 80             |        |        |       |   |
///
/// Event attribute `channel`: "web" on `a`, "app" on `b` and `c`, none in c5. Events are pushed
/// out of order to exercise the builder's sort.
fn sample() -> EventLog {
    let mut b = LogBuilder::new();
    let rows = [
        ("c1", "c", 20),
        ("c1", "a", 0),
        ("c1", "b", 10),
        ("c2", "a", 5),
        ("c2", "c", 15),
        ("c3", "a", 30),
        ("c3", "b", 40),
        ("c3", "c", 50),
        ("c3", "b", 45),
        ("c4", "b", 60),
        ("c5", "c", 80),
        ("c5", "a", 70),
    ];
    for (case, activity, t) in rows {
        let e = b.push(case, activity, t * 1_000_000_000).unwrap();
        if case != "c5" {
            let channel = if activity == "a" { "web" } else { "app" };
            b.set_event_attribute(e, "channel", AttrValue::Text(channel));
        }
    }
    let code = |b: &mut LogBuilder, c: &str| b.case_code(c);
    for (case, region) in [("c1", "EU"), ("c2", "US"), ("c3", "EU"), ("c4", "APAC")] {
        let c = code(&mut b, case);
        b.set_case_attribute(c, "region", AttrValue::Text(region));
    }
    let (c1, c2, c3) = (code(&mut b, "c1"), code(&mut b, "c2"), code(&mut b, "c3"));
    b.set_case_attribute(c1, "amount", AttrValue::Number(100.0));
    b.set_case_attribute(c2, "amount", AttrValue::Number(50.5));
    b.set_case_attribute(c1, "vip", AttrValue::Bool(true));
    b.set_case_attribute(c2, "vip", AttrValue::Bool(false));
    for (c, n) in [(c1, 1), (c2, 2), (c3, 3)] {
        b.set_case_attribute(c, "n", AttrValue::Integer(n));
    }
    b.finish().unwrap()
}

fn ids(log: &EventLog) -> Vec<&str> {
    log.cases().map(|c| c.id()).collect()
}

/// The error of a filter on the sample log, as text.
fn refused(filter: Filter) -> String {
    sample().filter(&filter).unwrap_err().to_string()
}

fn kept(filter: Filter) -> Vec<String> {
    let log = sample();
    let out = log.filter(&filter).unwrap();
    ids(&out).into_iter().map(String::from).collect()
}

const S: i64 = 1_000_000_000;

#[test]
fn time_range_modes() {
    let window = |mode| Filter::time_range(5 * S, 51 * S, mode);
    assert_eq!(kept(window(TimeMode::Contained)), ["c2", "c3"]);
    assert_eq!(kept(window(TimeMode::Intersecting)), ["c1", "c2", "c3"]);
    assert_eq!(kept(window(TimeMode::Started)), ["c2", "c3"]);
    assert_eq!(kept(window(TimeMode::Completed)), ["c1", "c2", "c3"]);
    let log = sample().filter(&window(TimeMode::Events)).unwrap();
    assert_eq!(ids(&log), ["c1", "c2", "c3"]);
    assert_eq!(log.num_events(), 8);
    assert_eq!(log.case(0).activity_names().collect::<Vec<_>>(), ["b", "c"]);
    // The window is half-open: a case ending at 50 is not contained in [5, 50).
    let half_open = Filter::time_range(5 * S, 50 * S, TimeMode::Contained);
    assert_eq!(kept(half_open), ["c2"]);
    // Intersecting: c1 ends at the window's start (kept), c3 starts at its end (not kept).
    let touching = Filter::time_range(20 * S, 30 * S, TimeMode::Intersecting);
    assert_eq!(kept(touching), ["c1"]);
    // pm4py's closed window [dt1, dt2] is [dt1, dt2 + 1ns) here.
    let closed = Filter::time_range(5 * S, 50 * S + 1, TimeMode::Contained);
    assert_eq!(kept(closed), ["c2", "c3"]);
    assert_eq!(kept(!window(TimeMode::Started)), ["c1", "c4", "c5"]);
    let err = sample()
        .filter(&Filter::time_range(2, 1, TimeMode::Events))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

/// pm4py 2.7's `filter_time_range(df, "1970-01-01 00:00:10", "1970-01-01 00:00:40", mode)` on this
/// log keeps: contained [3], intersecting [1, 2], starting_in [3], completing_in [1, 3], events 5
/// events of cases 1 and 3. Its closed window is `[dt1, dt2 + 1ns)` here, and its open
/// intersecting window `[dt1 + 1ns, dt2)`.
#[test]
fn time_range_matches_pm4py() {
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
        ("3", "c", 40),
    ] {
        b.push(case, activity, t * S).unwrap();
    }
    let log = b.finish().unwrap();
    let (dt1, dt2) = (10 * S, 40 * S);
    let run = |from, to, mode| log.filter(&Filter::time_range(from, to, mode)).unwrap();
    let closed = |mode| run(dt1, dt2 + 1, mode);
    assert_eq!(ids(&closed(TimeMode::Contained)), ["3"]);
    assert_eq!(ids(&run(dt1 + 1, dt2, TimeMode::Intersecting)), ["1", "2"]);
    assert_eq!(ids(&closed(TimeMode::Started)), ["3"]);
    assert_eq!(ids(&closed(TimeMode::Completed)), ["1", "3"]);
    let events = closed(TimeMode::Events);
    assert_eq!((ids(&events), events.num_events()), (vec!["1", "3"], 5));
}

#[test]
fn case_attribute_predicates() {
    let attr = |name: &str, p| Filter::case_attribute(name, p);
    assert_eq!(kept(attr("region", Predicate::equals("EU"))), ["c1", "c3"]);
    assert_eq!(
        kept(attr("region", Predicate::one_of(["EU", "APAC"]))),
        ["c1", "c3", "c4"]
    );
    assert_eq!(
        kept(!attr("region", Predicate::equals("EU"))),
        ["c2", "c4", "c5"]
    );
    assert_eq!(
        kept(attr("amount", Predicate::range(Some(50.5), Some(100.0)))),
        ["c1", "c2"]
    );
    assert_eq!(kept(attr("amount", Predicate::equals(100i64))), ["c1"]);
    assert_eq!(kept(attr("vip", Predicate::equals(true))), ["c1"]);
    assert_eq!(
        kept(!attr("vip", Predicate::equals(true))),
        ["c2", "c3", "c4", "c5"]
    );
    assert_eq!(
        kept(attr("n", Predicate::range(Some(2.0), None))),
        ["c2", "c3"]
    );
    assert_eq!(kept(attr("n", Predicate::equals(2.0))), ["c2"]);
    assert_eq!(kept(attr("n", Predicate::one_of([1i64, 3]))), ["c1", "c3"]);
}

#[test]
fn attribute_errors_name_the_problem() {
    let log = sample();
    let err = log
        .filter(&Filter::case_attribute("country", Predicate::equals("EU")))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let text = err.to_string();
    assert!(text.contains("'country'"), "{text}");
    assert!(text.contains("amount, n, region, vip"), "{text}");
    let err = log
        .filter(&Filter::event_attribute(
            "region",
            Predicate::equals("EU"),
            Level::Event,
        ))
        .unwrap_err();
    assert!(
        err.to_string().contains("(event attributes: channel)"),
        "{err}"
    );
    let e = refused(Filter::case_attribute(
        "region",
        Predicate::one_of(["EU", "nowhere"]),
    ));
    assert!(
        e.contains("'nowhere' is not a value of 'region' in the log (its values: EU, US, APAC)"),
        "{e}"
    );
    let e = refused(Filter::case_attribute("regoin", Predicate::equals("EU")));
    assert!(e.contains("did you mean 'region'?"), "{e}");
    for (name, p) in [
        ("region", Predicate::range(Some(1.0), None)),
        ("region", Predicate::equals(1i64)),
        ("vip", Predicate::equals("yes")),
        ("amount", Predicate::equals("100")),
        ("n", Predicate::one_of([Scalar::Bool(true)])),
        ("n", Predicate::range(Some(3.0), Some(1.0))),
    ] {
        let err = log.filter(&Filter::case_attribute(name, p)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    let empty = LogBuilder::new().finish().unwrap();
    let err = empty
        .filter(&Filter::case_attribute("x", Predicate::equals(1i64)))
        .unwrap_err();
    assert!(err.to_string().contains("(there are none)"), "{err}");
}

#[test]
fn event_attribute_at_both_levels_keeps_columns_aligned() {
    let log = sample();
    let web = Predicate::equals("web");
    let events = log
        .filter(&Filter::event_attribute(
            "channel",
            web.clone(),
            Level::Event,
        ))
        .unwrap();
    assert_eq!(ids(&events), ["c1", "c2", "c3"]);
    assert_eq!(events.num_events(), 3);
    let channel = events.event_attribute("channel").unwrap();
    for e in 0..events.num_events() {
        assert_eq!(channel.get(e), Some(AttrValue::Text("web")));
    }
    let region = events.case_attribute("region").unwrap();
    assert_eq!(region.get(1), Some(AttrValue::Text("US")));
    let cases = log
        .filter(&Filter::event_attribute(
            "channel",
            web.clone(),
            Level::Case,
        ))
        .unwrap();
    assert_eq!(ids(&cases), ["c1", "c2", "c3"]);
    assert_eq!(cases.num_events(), 9);
    // Events without a channel (all of c5) are what the negation keeps.
    let not_web = log
        .filter(&!Filter::event_attribute("channel", web, Level::Event))
        .unwrap();
    assert_eq!(not_web.num_events(), 12 - 3);
    let c4 = not_web.cases().find(|c| c.id() == "c4").unwrap();
    assert_eq!(
        not_web.case_attribute("region").unwrap().get(c4.index()),
        Some(AttrValue::Text("APAC"))
    );
    assert_eq!(
        not_web
            .event_attribute("channel")
            .unwrap()
            .get(c4.events().start),
        Some(AttrValue::Text("app"))
    );
}

#[test]
fn activities_kept_or_dropped() {
    let log = sample();
    let only_b = log.filter(&Filter::activities(["b"])).unwrap();
    assert_eq!(ids(&only_b), ["c1", "c3", "c4"]);
    assert_eq!(only_b.num_events(), 4);
    let no_b = log.filter(&!Filter::activities(["b"])).unwrap();
    assert_eq!(ids(&no_b), ["c1", "c2", "c3", "c5"]);
    assert_eq!(no_b.num_events(), 8);
    // The dictionary is kept, but no analytics reports the dropped activity.
    assert!(no_b.activities().code("b").is_some());
    let p = profile(&no_b);
    assert!(p.activities.iter().all(|a| a.activity != "b"));
    assert!(p.start_activities.iter().all(|a| a.activity != "b"));
    assert!(p.end_activities.iter().all(|a| a.activity != "b"));
    assert!(p.dfg.iter().all(|e| e.source != "b" && e.target != "b"));
    assert!(activity_stats(&no_b).iter().all(|a| a.activity != "b"));
    // An activity the filter removed is still known to the filtered log (it counts zero there).
    assert_eq!(
        no_b.filter(&Filter::activities(["b"])).unwrap().num_cases(),
        0
    );
    assert!(refused(Filter::activities(["zzz"])).contains("'zzz' is not an activity of the log"));
}

#[test]
fn top_variants_and_coverage() {
    // Variants: ac (c2, c5), then by names abbc (c3), abc (c1), b (c4).
    assert_eq!(kept(Filter::top_variants(1)), ["c2", "c5"]);
    assert_eq!(kept(Filter::top_variants(2)), ["c2", "c3", "c5"]);
    assert_eq!(kept(Filter::top_variants(3)), ["c1", "c2", "c3", "c5"]);
    assert_eq!(kept(Filter::top_variants(10)).len(), 5);
    assert!(kept(Filter::top_variants(0)).is_empty());
    assert_eq!(kept(!Filter::top_variants(1)), ["c1", "c3", "c4"]);
    assert_eq!(kept(Filter::variant_coverage(0.4)), ["c2", "c5"]);
    assert_eq!(kept(Filter::variant_coverage(0.41)), ["c2", "c3", "c5"]);
    assert!(kept(Filter::variant_coverage(0.0)).is_empty());
    assert_eq!(kept(Filter::variant_coverage(1.0)).len(), 5);
    for bad in [-0.1, 1.5, f64::NAN] {
        let err = sample().filter(&Filter::variant_coverage(bad)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
}

#[test]
fn activity_presence() {
    assert_eq!(kept(Filter::contains_any(["b"])), ["c1", "c3", "c4"]);
    // A name the log does not have is an error, not an empty result.
    let e = refused(Filter::contains_any(["b", "zzz"]));
    assert_eq!(
        e,
        "argument 'activities[1]': 'zzz' is not an activity of the log (activities: c, a, b)"
    );
    assert_eq!(kept(Filter::contains_all(["a", "b"])), ["c1", "c3"]);
    assert_eq!(kept(Filter::contains_all(["b", "b"])), ["c1", "c3", "c4"]);
    assert!(refused(Filter::contains_all(["a", "zzz"])).contains("'activities[1]': 'zzz'"));
    assert_eq!(kept(Filter::contains_all(Vec::<String>::new())).len(), 5);
    assert_eq!(kept(!Filter::contains_any(["b"])), ["c2", "c5"]);
}

#[test]
fn follows_patterns() {
    assert_eq!(
        kept(Filter::eventually_follows("a", "c")),
        ["c1", "c2", "c3", "c5"]
    );
    assert_eq!(kept(Filter::directly_follows("a", "c")), ["c2", "c5"]);
    assert_eq!(kept(Filter::directly_follows("b", "b")), ["c3"]);
    assert!(kept(Filter::eventually_follows("c", "a")).is_empty());
    assert!(refused(Filter::eventually_follows("a", "zzz")).contains("'zzz' is not an activity"));
    let pattern = |acts: &[&str], directly| Filter::Follows {
        activities: acts.iter().map(|s| s.to_string()).collect(),
        directly,
    };
    assert_eq!(kept(pattern(&["a", "b", "c"], false)), ["c1", "c3"]);
    assert_eq!(kept(pattern(&["a", "b", "c"], true)), ["c1"]);
    assert_eq!(kept(pattern(&["b", "b", "c"], true)), ["c3"]);
    assert_eq!(kept(pattern(&["b", "c"], true)), ["c1", "c3"]);
    assert_eq!(kept(pattern(&["a", "a"], false)), Vec::<String>::new());
    assert_eq!(kept(pattern(&[], true)).len(), 5);
}

#[test]
fn case_size_and_duration() {
    assert_eq!(kept(Filter::case_size(Some(3), None)), ["c1", "c3"]);
    assert_eq!(kept(Filter::case_size(None, Some(1))), ["c4"]);
    assert_eq!(
        kept(Filter::case_size(Some(2), Some(3))),
        ["c1", "c2", "c5"]
    );
    // Durations: c1 20 s, c2 10 s, c3 20 s, c4 0, c5 10 s; bounds in seconds, inclusive and
    // exact to the nanosecond.
    assert_eq!(kept(Filter::case_duration(Some(15.0), None)), ["c1", "c3"]);
    assert_eq!(kept(Filter::case_duration(None, Some(0.0))), ["c4"]);
    assert_eq!(
        kept(Filter::case_duration(Some(10.0), Some(10.0))),
        ["c2", "c5"]
    );
    assert_eq!(
        kept(Filter::case_duration(Some(10.000_000_001), Some(20.0))),
        ["c1", "c3"]
    );
    // The old nanosecond fields are refused, not read as seconds.
    let e = Filter::from_json(r#"{"case_duration": {"min": 0}}"#).unwrap_err();
    assert_eq!(e.path(), Some("case_duration.min"), "{e}");
    let e =
        Filter::from_json(r#"{"time_range": {"from": "yesterday", "to": 0, "mode": "events"}}"#)
            .unwrap_err();
    assert!(e.to_string().contains("RFC 3339"), "{e}");
    for f in [
        Filter::case_size(Some(3), Some(2)),
        Filter::case_duration(Some(1.0), Some(0.0)),
        Filter::case_duration(Some(f64::NAN), None),
    ] {
        assert_eq!(
            sample().filter(&f).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }
}

#[test]
fn durations_and_windows_with_start_timestamps() {
    let mut b = LogBuilder::new();
    let e = b.push("x", "a", 10 * S).unwrap();
    b.set_start(e, 2 * S);
    b.push("x", "b", 12 * S).unwrap();
    b.push("y", "a", 20 * S).unwrap();
    let log = b.finish().unwrap();
    // x runs from its first start (2 s) to its last completion (12 s).
    let long = log
        .filter(&Filter::case_duration(Some(10.0), None))
        .unwrap();
    assert_eq!(ids(&long), ["x"]);
    assert_eq!(long.case(0).starts().unwrap()[0], 2 * S);
    // Time windows read completion timestamps, as pm4py does.
    let events = log
        .filter(&Filter::time_range(0, 11 * S, TimeMode::Events))
        .unwrap();
    assert_eq!(
        (events.num_events(), events.has_start_timestamps()),
        (1, true)
    );
}

#[test]
fn filters_chain_and_round_trip_through_json() {
    let log = sample();
    let chained = log
        .filter(&Filter::case_attribute("region", Predicate::equals("EU")))
        .unwrap()
        .filter(&!Filter::activities(["b"]))
        .unwrap()
        .filter(&Filter::top_variants(1))
        .unwrap();
    assert_eq!(ids(&chained), ["c1", "c3"]);
    assert_eq!(chained.num_events(), 4);
    let filters = vec![
        Filter::time_range(1, 2, TimeMode::Intersecting),
        Filter::case_attribute("amount", Predicate::range(Some(1.0), None)),
        Filter::event_attribute("channel", Predicate::one_of(["web", "app"]), Level::Case),
        !Filter::activities(["a"]),
        Filter::variant_coverage(0.5),
        Filter::contains_all(["a"]),
        Filter::directly_follows("a", "b"),
        Filter::case_size(None, Some(3)),
        Filter::case_duration(Some(1e-9), None),
    ];
    let json = serde_json::to_string(&filters).unwrap();
    let back: Vec<Filter> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, filters);
}

#[test]
fn select_keeps_everything_or_nothing() {
    let log = sample();
    assert_eq!(log.select(|_| true, |_| true), log);
    let none = log.select(|_| false, |_| true);
    assert_eq!((none.num_cases(), none.num_events()), (0, 0));
    assert_eq!(none.case_attribute("region").unwrap().len(), 0);
    assert_eq!(none.event_attribute("channel").unwrap().len(), 0);
    assert_eq!(profile(&none).cases, 0);
}

// ---------------------------------------------------------------------------------------------
// Random logs.

const ACTIVITIES: [&str; 5] = ["a", "b", "c", "d", "e"];

#[derive(Debug, Clone)]
struct Row {
    case: usize,
    activity: usize,
    t: i64,
    start: Option<i64>,
    channel: Option<bool>,
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let row = (
        0usize..8,
        0usize..ACTIVITIES.len(),
        0i64..100,
        prop::option::of(0i64..20),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(case, activity, t, wait, channel)| Row {
            case,
            activity,
            t,
            start: wait.map(|w| t - w),
            channel,
        });
    prop::collection::vec(row, 0..40)
}

/// Each event gets its row number as attribute `eid`; each case its number as `cnum`.
fn build(rows: &[Row], starts: bool) -> EventLog {
    let mut b = LogBuilder::new();
    // Every activity is known, as in a log filtered from a larger one (filters name them).
    for a in ACTIVITIES {
        b.activity_code(a);
    }
    for (i, r) in rows.iter().enumerate() {
        let e = b
            .push(&format!("c{}", r.case), ACTIVITIES[r.activity], r.t * S)
            .unwrap();
        if let (true, Some(s)) = (starts, r.start) {
            b.set_start(e, s * S);
        }
        b.set_event_attribute(e, "eid", AttrValue::Integer(i as i64));
        if let Some(web) = r.channel {
            let channel = if web { "web" } else { "app" };
            b.set_event_attribute(e, "channel", AttrValue::Text(channel));
        }
        let c = b.case_code(&format!("c{}", r.case));
        b.set_case_attribute(c, "cnum", AttrValue::Integer(r.case as i64));
        b.set_case_attribute(c, "even", AttrValue::Bool(r.case % 2 == 0));
    }
    b.finish().unwrap()
}

fn filter() -> impl Strategy<Value = Filter> {
    let names = prop::collection::vec(prop::sample::select(&ACTIVITIES[..]), 0..3)
        .prop_map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
    let mode = prop::sample::select(vec![
        TimeMode::Contained,
        TimeMode::Intersecting,
        TimeMode::Started,
        TimeMode::Completed,
        TimeMode::Events,
    ]);
    let base = prop_oneof![
        (0i64..100, 0i64..60, mode).prop_map(|(from, len, mode)| Filter::time_range(
            from * S,
            (from + len) * S,
            mode
        )),
        (0i64..8, 0i64..8).prop_map(|(a, b)| Filter::case_attribute(
            "cnum",
            Predicate::range(Some(a.min(b) as f64), Some(a.max(b) as f64))
        )),
        any::<bool>().prop_map(|v| Filter::case_attribute("even", Predicate::equals(v))),
        (
            0usize..2,
            prop::sample::select(vec![Level::Event, Level::Case])
        )
            .prop_map(|(v, level)| Filter::event_attribute(
                "channel",
                Predicate::equals(["web", "app"][v]),
                level
            )),
        names.clone().prop_map(Filter::Activities),
        (0usize..6).prop_map(Filter::TopVariants),
        (0.0..=1.0f64).prop_map(Filter::VariantCoverage),
        names.clone().prop_map(Filter::ContainsAny),
        names.clone().prop_map(Filter::ContainsAll),
        (names, any::<bool>()).prop_map(|(activities, directly)| Filter::Follows {
            activities,
            directly
        }),
        (0usize..5, 0usize..5).prop_map(|(a, b)| Filter::case_size(Some(a.min(b)), Some(a.max(b)))),
        (0i64..60, 0i64..60)
            .prop_map(|(a, b)| Filter::case_duration(Some(a.min(b) as f64), Some(a.max(b) as f64))),
    ];
    (base, any::<bool>()).prop_map(|(f, not)| if not { !f } else { f })
}

/// The `eid` of every event of `log`, checking that each event still carries its own case,
/// activity, timestamps and attributes, and that cases keep their events in original order.
fn check_consistent(log: &EventLog, rows: &[Row], original: &EventLog) -> BTreeSet<i64> {
    if log.num_cases() == 0 {
        return BTreeSet::new();
    }
    let eid = log.event_attribute("eid").unwrap();
    let channel = log.event_attribute("channel");
    let cnum = log.case_attribute("cnum").unwrap();
    let even = log.case_attribute("even").unwrap();
    let original_position = |id: i64| {
        let col = original.event_attribute("eid").unwrap();
        (0..original.num_events())
            .find(|&e| col.get(e) == Some(AttrValue::Integer(id)))
            .unwrap()
    };
    let mut all = BTreeSet::new();
    let mut seen_cases = BTreeSet::new();
    for case in log.cases() {
        assert!(!case.is_empty());
        assert!(seen_cases.insert(case.id().to_string()), "case twice");
        let n: usize = case.id()[1..].parse().unwrap();
        assert_eq!(cnum.get(case.index()), Some(AttrValue::Integer(n as i64)));
        assert_eq!(even.get(case.index()), Some(AttrValue::Bool(n % 2 == 0)));
        let mut last_position = None;
        for (k, e) in case.events().enumerate() {
            let Some(AttrValue::Integer(id)) = eid.get(e) else {
                panic!("event without eid")
            };
            let row = &rows[id as usize];
            assert_eq!(row.case, n);
            assert_eq!(
                case.activities()[k],
                log.activities().code(ACTIVITIES[row.activity]).unwrap()
            );
            assert_eq!(case.timestamps()[k], row.t * S);
            if let Some(starts) = case.starts() {
                let want = row.start.map_or(i64::MIN, |s| s * S);
                assert_eq!(starts[k], want);
            }
            let want = row
                .channel
                .map(|w| AttrValue::Text(if w { "web" } else { "app" }));
            assert_eq!(channel.and_then(|c| c.get(e)), want);
            let position = original_position(id);
            assert!(last_position < Some(position), "events out of order");
            last_position = Some(position);
            all.insert(id);
        }
    }
    all
}

proptest! {
    #[test]
    fn select_all_is_the_identity(rows in rows(), starts in any::<bool>()) {
        let log = build(&rows, starts);
        prop_assert_eq!(&log.select(|_| true, |_| true), &log);
        prop_assert_eq!(log.select(|_| true, |_| false).num_cases(), 0);
    }

    #[test]
    fn a_filter_and_its_negation_split_the_events(
        rows in rows(), starts in any::<bool>(), f in filter()
    ) {
        let log = build(&rows, starts);
        let kept = match log.filter(&f) {
            Ok(kept) => kept,
            Err(e) => {
                // Only the channel column, or a channel value, that no generated row happened
                // to set is missing.
                prop_assert_eq!(e.kind(), ErrorKind::InvalidArgument);
                let e = e.to_string();
                prop_assert!(log.num_events() == 0 || e.contains("channel") || e.contains("'web'")
                    || e.contains("'app'"), "{}", e);
                return Ok(());
            }
        };
        let dropped = log.filter(&!f.clone()).unwrap();
        let a = check_consistent(&kept, &rows, &log);
        let b = check_consistent(&dropped, &rows, &log);
        prop_assert!(a.is_disjoint(&b));
        prop_assert_eq!(a.len() + b.len(), rows.len());
        prop_assert_eq!(kept.num_events(), a.len());
        let p = profile(&kept);
        prop_assert_eq!(p.events as usize, kept.num_events());
        prop_assert!(p.activities.iter().all(|a| a.events > 0));
    }

    #[test]
    fn dropped_activities_disappear_from_the_analytics(
        rows in rows(), starts in any::<bool>(), drop in prop::sample::subsequence(ACTIVITIES.to_vec(), 0..3)
    ) {
        let log = build(&rows, starts);
        let out = log.filter(&!Filter::activities(drop.clone())).unwrap();
        let p = profile(&out);
        for name in &drop {
            prop_assert!(p.activities.iter().all(|a| &a.activity != name));
            prop_assert!(p.dfg.iter().all(|e| &e.source != name && &e.target != name));
            prop_assert!(activity_stats(&out).iter().all(|a| &a.activity != name));
        }
        let dropped_events: u64 = profile(&log)
            .activities
            .iter()
            .filter(|a| drop.contains(&a.activity.as_str()))
            .map(|a| a.events)
            .sum();
        prop_assert_eq!(out.num_events() as u64, log.num_events() as u64 - dropped_events);
    }

    #[test]
    fn top_variants_are_the_profiles_first_variants(rows in rows(), k in 0usize..6) {
        let log = build(&rows, false);
        let all = profile(&log).variants;
        let top = profile(&log.filter(&Filter::top_variants(k)).unwrap()).variants;
        let key = |v: &journeystream::analytics::process::Variant| (v.activities.clone(), v.count);
        prop_assert_eq!(
            top.iter().map(key).collect::<Vec<_>>(),
            all.iter().take(k).map(key).collect::<Vec<_>>()
        );
    }

    #[test]
    fn coverage_keeps_the_fewest_variants_that_cover_the_share(rows in rows(), share in 0.0..=1.0f64) {
        let log = build(&rows, false);
        let all = profile(&log).variants;
        let out = log.filter(&Filter::variant_coverage(share)).unwrap();
        let kept = profile(&out).variants.len();
        let total = log.num_cases() as f64;
        let covered = |n: usize| all.iter().take(n).map(|v| v.count).sum::<u64>() as f64 / total;
        if log.num_cases() > 0 {
            prop_assert!(covered(kept) >= share);
            if kept > 0 {
                prop_assert!(covered(kept - 1) < share);
            }
        }
    }
}
