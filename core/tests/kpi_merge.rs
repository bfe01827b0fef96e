//! The event-log aggregates of the customer KPIs are mergeable partials: the moments-of-truth
//! counts and the emotion curve of partitions (case ranges of one log, or logs built separately
//! with their own codes) merge to those of the whole log.

use journeystream::analytics::emotion::{EmotionPartial, EmotionRequest};
use journeystream::analytics::moments::{
    ExperienceSpec, MomentCounts, MomentsRequest, OutcomeSpec,
};
use journeystream::log::{AttrValue, EventLog, LogBuilder};
use proptest::prelude::*;

/// (case, activity, minute, channel, score)
type Row = (u8, u8, i64, u8, Option<u8>);

fn build(rows: &[Row]) -> EventLog {
    let mut b = LogBuilder::new();
    for &(case, activity, t, channel, score) in rows {
        let e = b
            .push(
                &format!("c{case}"),
                &format!("a{activity}"),
                t * 60_000_000_000,
            )
            .unwrap();
        b.set_event_attribute(
            e,
            "channel",
            AttrValue::Text(["web", "app", "chat"][channel as usize % 3]),
        );
        b.set_event_attribute(
            e,
            "stage",
            AttrValue::Text(["s0", "s1", "s2"][activity as usize % 3]),
        );
        if let Some(s) = score {
            b.set_event_attribute(e, "score", AttrValue::Integer(s as i64));
        }
        let code = b.case_code(&format!("c{case}"));
        b.set_case_attribute(code, "churned", AttrValue::Bool(case % 3 == 0));
    }
    b.finish().unwrap()
}

fn requests() -> Vec<MomentsRequest> {
    let mut by_activity = MomentsRequest::new(OutcomeSpec::activity("a3"));
    by_activity.experience = Some(ExperienceSpec {
        wait_over_seconds: Some(300.0),
        ..Default::default()
    });
    let mut by_channel = MomentsRequest::new(OutcomeSpec {
        score_attribute: Some("score".into()),
        at_least: Some(7.0),
        ..Default::default()
    });
    by_channel.touchpoint_attribute = Some("channel".into());
    by_channel.experience = Some(ExperienceSpec {
        score_attribute: Some("score".into()),
        below: Some(5.0),
        ..Default::default()
    });
    let churn = MomentsRequest::new(OutcomeSpec {
        case_attribute: Some("churned".into()),
        ..Default::default()
    });
    vec![by_activity, by_channel, churn]
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0u8..12,
            0u8..6,
            0i64..200,
            0u8..3,
            prop::option::of(0u8..11),
        ),
        1..120,
    )
}

fn emotion_request() -> EmotionRequest {
    EmotionRequest::new("score")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn moment_counts_merge_over_case_ranges(rows in rows(), cut in 0usize..20) {
        let log = build(&rows);
        let k = cut.min(log.num_cases());
        for r in requests() {
            // Every request needs the column it reads; one without scores errs the same way on all.
            let Ok(whole) = MomentCounts::of_log(&log, &r) else { continue };
            let a = MomentCounts::of_cases(&log, &r, 0..k).unwrap();
            let b = MomentCounts::of_cases(&log, &r, k..log.num_cases()).unwrap();
            let merged = b.merge(a);
            prop_assert_eq!((merged.cases, merged.outcomes, merged.excluded), (whole.cases, whole.outcomes, whole.excluded));
            prop_assert_eq!(merged.by_touchpoint(), whole.by_touchpoint());
        }
    }

    #[test]
    fn moment_counts_merge_over_separate_logs(rows in rows()) {
        let (odd, even): (Vec<Row>, Vec<Row>) = rows.iter().partition(|r| r.0 % 2 == 1);
        let (whole, odd, even) = (build(&rows), build(&odd), build(&even));
        for r in requests() {
            let (Ok(w), Ok(a), Ok(b)) = (MomentCounts::of_log(&whole, &r), MomentCounts::of_log(&odd, &r), MomentCounts::of_log(&even, &r)) else { continue };
            let merged = a.merge(b);
            prop_assert_eq!((merged.cases, merged.outcomes, merged.excluded), (w.cases, w.outcomes, w.excluded));
            prop_assert_eq!(merged.by_touchpoint(), w.by_touchpoint());
        }
    }

    #[test]
    fn emotion_partials_merge(rows in rows(), cut in 0usize..20) {
        let log = build(&rows);
        let r = emotion_request();
        let Ok(whole) = EmotionPartial::of_log(&log, &r) else { return Ok(()) };
        let k = cut.min(log.num_cases());
        let merged = EmotionPartial::of_cases(&log, &r, 0..k).unwrap()
            .merge(EmotionPartial::of_cases(&log, &r, k..log.num_cases()).unwrap());
        let (w, m) = (whole.by_stage(), merged.by_stage());
        prop_assert_eq!(w.len(), m.len());
        for (stage, x) in &w {
            let y = m[stage];
            prop_assert_eq!(x.n, y.n);
            prop_assert!((x.mean - y.mean).abs() <= 1e-9 * x.mean.abs().max(1.0));
            prop_assert!((x.m2 - y.m2).abs() <= 1e-9 * x.m2.abs().max(1.0));
        }
    }
}
