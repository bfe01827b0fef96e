//! The journey analytics are mergeable partials: the partials of case ranges of one log, and of
//! logs built separately (with their own codes), merge to the result of the whole log.

use journeystream::analytics::journey::funnel::{
    Counting, Exclusion, FunnelPartial, FunnelRequest, Order,
};
use journeystream::analytics::journey::paths::{TopPathsPartial, TopPathsRequest};
use journeystream::analytics::journey::retention::{
    RetentionPartial, RetentionPeriod, RetentionRequest, Windows,
};
use journeystream::analytics::journey::step_matrix::StepMatrixPartial;
use journeystream::analytics::journey::transitions::{
    Normalization, TransitionPartial, TransitionRequest, Weight,
};
use journeystream::log::{AttrValue, EventLog, LogBuilder};
use proptest::prelude::*;

/// (case, activity, hour, device)
type Row = (u8, u8, i64, u8);

fn build(rows: &[Row]) -> EventLog {
    let mut b = LogBuilder::new();
    for &(case, activity, hour, device) in rows {
        let e = b
            .push(
                &format!("c{case}"),
                &format!("a{activity}"),
                hour * 3_600_000_000_000,
            )
            .unwrap();
        b.set_event_attribute(
            e,
            "device",
            AttrValue::Text(["web", "app"][device as usize % 2]),
        );
        let code = b.case_code(&format!("c{case}"));
        if case % 4 != 0 {
            b.set_case_attribute(
                code,
                "plan",
                AttrValue::Text(["free", "pro"][case as usize % 2]),
            );
        }
    }
    b.finish().unwrap()
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec((0u8..10, 0u8..5, 0i64..400, 0u8..2), 2..120)
}

fn funnels() -> Vec<FunnelRequest> {
    let base = FunnelRequest::new(["a0", "a1", "a2"]);
    let mut out = vec![base.clone()];
    for order in [Order::Exact, Order::Any] {
        out.push(FunnelRequest {
            order,
            ..base.clone()
        });
    }
    out.push(FunnelRequest {
        counting: Counting::Totals,
        window_seconds: Some(50.0 * 3600.0),
        ..base.clone()
    });
    out.push(FunnelRequest {
        exclusions: vec![Exclusion {
            activity: Some("a3".into()),
            attribute: None,
            between: Some([1, 2]),
        }],
        hold_constant: vec!["device".into()],
        breakdown: Some("plan".into()),
        ..base
    });
    out
}

fn retentions() -> Vec<RetentionRequest> {
    vec![
        RetentionRequest::default(),
        RetentionRequest {
            period: RetentionPeriod::Week,
            windows: Windows::Calendar,
            periods: 3,
            return_activity: Some("a1".into()),
            cohort_activity: Some("a0".into()),
        },
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn partials_merge_over_case_ranges(rows in rows(), cut in 0usize..12) {
        let log = build(&rows);
        let (k, n) = (cut.min(log.num_cases()), log.num_cases());
        for r in funnels() {
            let whole = FunnelPartial::of_log(&log, &r).unwrap().finish(&r);
            let merged = FunnelPartial::of_cases(&log, &r, k..n).unwrap()
                .merge(FunnelPartial::of_cases(&log, &r, 0..k).unwrap()).finish(&r);
            prop_assert_eq!(whole, merged);
        }
        for weight in [Weight::Transitions, Weight::Cases, Weight::Sessions] {
            for normalization in [Normalization::None, Normalization::Full, Normalization::Node] {
                for start_end in [false, true] {
                    let r = TransitionRequest { weight, normalization, start_end, session_attribute: Some("device".into()) };
                    let merged = TransitionPartial::of_cases(&log, &r, k..n).unwrap()
                        .merge(TransitionPartial::of_cases(&log, &r, 0..k).unwrap()).finish(&r);
                    prop_assert_eq!(TransitionPartial::of_log(&log, &r).unwrap().finish(&r), merged);
                }
            }
        }
        let merged = StepMatrixPartial::of_cases(&log, 6, k..n).merge(StepMatrixPartial::of_cases(&log, 6, 0..k));
        let m = merged.finish("ENDED");
        prop_assert_eq!(&StepMatrixPartial::of_log(&log, 6).finish("ENDED"), &m);
        for j in 0..6 {
            let column: u64 = m.rows.iter().map(|r| r.counts[j]).sum();
            prop_assert_eq!(column, m.paths);
        }
        let r = TopPathsRequest { top: 0, ngram: Some(2), anchor: Some("a1".into()), steps: 2 };
        let merged = TopPathsPartial::of_cases(&log, &r, k..n).merge(TopPathsPartial::of_cases(&log, &r, 0..k)).finish(&r);
        prop_assert_eq!(TopPathsPartial::of_log(&log, &r).finish(&r), merged);
        for r in retentions() {
            let merged = RetentionPartial::of_cases(&log, &r, k..n).unwrap()
                .merge(RetentionPartial::of_cases(&log, &r, 0..k).unwrap()).finish(&r);
            prop_assert_eq!(RetentionPartial::of_log(&log, &r).unwrap().finish(&r), merged);
        }
    }

    #[test]
    fn partials_merge_over_separate_logs(rows in rows()) {
        let (odd, even): (Vec<Row>, Vec<Row>) = rows.iter().partition(|r| r.0 % 2 == 1);
        prop_assume!(!odd.is_empty() && !even.is_empty());
        let (whole, odd, even) = (build(&rows), build(&odd), build(&even));
        for r in funnels() {
            // A partition without any planned case has no plan column: such a breakdown errs.
            let (Ok(a), Ok(b)) = (FunnelPartial::of_log(&odd, &r), FunnelPartial::of_log(&even, &r)) else { continue };
            prop_assert_eq!(FunnelPartial::of_log(&whole, &r).unwrap().finish(&r), a.merge(b).finish(&r));
        }
        let r = TransitionRequest { weight: Weight::Sessions, normalization: Normalization::Node, start_end: true, session_attribute: Some("device".into()) };
        prop_assert_eq!(TransitionPartial::of_log(&whole, &r).unwrap().finish(&r),
            TransitionPartial::of_log(&odd, &r).unwrap().merge(TransitionPartial::of_log(&even, &r).unwrap()).finish(&r));
        prop_assert_eq!(StepMatrixPartial::of_log(&whole, 5).finish("ENDED"),
            StepMatrixPartial::of_log(&odd, 5).merge(StepMatrixPartial::of_log(&even, 5)).finish("ENDED"));
        let r = TopPathsRequest { top: 0, ngram: Some(3), anchor: Some("a2".into()), steps: 1 };
        prop_assert_eq!(TopPathsPartial::of_log(&whole, &r).finish(&r),
            TopPathsPartial::of_log(&odd, &r).merge(TopPathsPartial::of_log(&even, &r)).finish(&r));
        for r in retentions() {
            prop_assert_eq!(RetentionPartial::of_log(&whole, &r).unwrap().finish(&r),
                RetentionPartial::of_log(&odd, &r).unwrap().merge(RetentionPartial::of_log(&even, &r).unwrap()).finish(&r));
        }
    }

    /// The shortcut taken without a window (only the first step-1 event is tried) gives what
    /// trying every step-1 event gives (as a window longer than the log forces).
    #[test]
    fn earliest_start_reaches_furthest_without_a_window(rows in rows()) {
        let log = build(&rows);
        for order in [Order::Strict, Order::Any] {
            let plain = FunnelRequest { order, ..FunnelRequest::new(["a0", "a1", "a2", "a0"]) };
            let windowed = FunnelRequest { window_seconds: Some(1e9), ..plain.clone() };
            let (a, b) = (FunnelPartial::of_log(&log, &plain).unwrap().finish(&plain),
                          FunnelPartial::of_log(&log, &windowed).unwrap().finish(&windowed));
            prop_assert_eq!(a.steps, b.steps);
        }
    }
}
