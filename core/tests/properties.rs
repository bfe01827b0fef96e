//! Invariants of the value-stream metrics, over random value streams.

use journeystream::vsm::{self, MeasureOptions, ReworkModel};
use journeystream::{Map, ReworkLoop, Route, Step, TimeBasis, TimeSpan, ValueStream};
use proptest::prelude::*;

/// A random valid value stream: a linear backbone, optional two-way branches, optional rework.
fn value_stream() -> impl Strategy<Value = ValueStream> {
    let step = (
        0.0..3600.0f64,
        0.0..86_400.0f64,
        1.0..=100.0f64,
        1.0..=100.0f64,
        0u8..3,
    );
    (
        prop::collection::vec(step, 1..8),
        prop::option::of((0usize..8, 0usize..8, 1.0..60.0f64)),
        any::<bool>(),
        1.0..99.0f64,
    )
        .prop_map(|(steps, rework, branch, share)| {
            let n = steps.len();
            let mut out: Vec<Step> = steps
                .into_iter()
                .enumerate()
                .map(|(i, (pt, wait, ca, up, class))| {
                    let mut s = Step::new(
                        format!("s{i}"),
                        format!("Step {i}"),
                        TimeSpan::secs(pt.round()),
                    );
                    s.wait = Some(TimeSpan::secs(wait.round()));
                    s.complete_accurate_pct = ca.round();
                    s.uptime_pct = up.round();
                    s.value_class = [
                        journeystream::ValueClass::ValueAdding,
                        journeystream::ValueClass::NecessaryNonValueAdding,
                        journeystream::ValueClass::Waste,
                    ][class as usize];
                    s
                })
                .collect();
            if branch && n >= 3 {
                // s0 skips s1 for part of the work.
                let share = share.round();
                out[0].next = Some(vec![
                    Route {
                        step: "s1".into(),
                        share_pct: share,
                    },
                    Route {
                        step: "s2".into(),
                        share_pct: 100.0 - share,
                    },
                ]);
            }
            let rework = rework
                .map(|(a, b, s)| {
                    let (to, from) = (a.min(b) % n, a.max(b) % n);
                    let (to, from) = (to.min(from), to.max(from));
                    vec![ReworkLoop {
                        from: format!("s{from}"),
                        to: format!("s{to}"),
                        share_pct: s.round(),
                    }]
                })
                .unwrap_or_default();
            let mut vs = ValueStream {
                id: "vs".into(),
                name: "VS".into(),
                description: None,
                time_basis: TimeBasis::Calendar,
                demand: None,
                steps: out,
                rework,
            };
            // Keep only loops whose target is upstream on the backbone (validated by the model).
            let map = Map {
                value_stream: Some(vs.clone()),
                ..Map::default()
            };
            if map.validate().is_err() {
                vs.rework.clear();
            }
            vs
        })
}

fn measure(vs: &ValueStream, rework: ReworkModel) -> Option<vsm::ValueStreamMetrics> {
    let map = Map {
        value_stream: Some(vs.clone()),
        ..Map::default()
    };
    map.validate().expect("generated streams are valid");
    vsm::measure(&map, &MeasureOptions { rework }).ok()
}

proptest! {
    #[test]
    fn lead_time_covers_process_time_and_shares_add_up(vs in value_stream()) {
        if let Some(m) = measure(&vs, ReworkModel::SinglePass) {
            prop_assert!(m.lead_time >= m.process_time);
            prop_assert!((0.0..=1.0).contains(&m.activity_ratio));
            prop_assert!(m.process_cycle_efficiency <= m.activity_ratio + 1e-12);
            let total = m.value_adding_share + m.necessary_non_value_adding_share + m.waste_share;
            prop_assert!((total - 1.0).abs() < 1e-9, "shares add to {total}");
            prop_assert!((0.0..=1.0 + 1e-12).contains(&m.rolled_complete_accurate));
        }
    }

    #[test]
    fn on_a_linear_flow_rework_only_adds_time_and_geometric_adds_more(vs in value_stream()) {
        let mut vs = vs;
        vs.steps.iter_mut().for_each(|s| s.next = None);
        if let (Some(single), Some(geo)) = (measure(&vs, ReworkModel::SinglePass), measure(&vs, ReworkModel::Geometric)) {
            prop_assert!(single.rework_adjusted_lead_time.secs() >= single.lead_time.secs() - 1e-6);
            prop_assert!(geo.rework_adjusted_lead_time.secs() >= single.rework_adjusted_lead_time.secs() - 1e-6);
            prop_assert_eq!(single.lead_time, geo.lead_time);
        }
    }

    #[test]
    fn metrics_do_not_depend_on_names(vs in value_stream()) {
        let mut renamed = vs.clone();
        let rename = |id: &str| format!("renamed-{id}");
        for s in &mut renamed.steps {
            s.id = rename(&s.id);
            s.name = format!("Other {}", s.name);
            if let Some(next) = &mut s.next {
                next.iter_mut().for_each(|r| r.step = rename(&r.step));
            }
        }
        renamed.rework.iter_mut().for_each(|r| { r.from = rename(&r.from); r.to = rename(&r.to); });
        if let (Some(a), Some(b)) = (measure(&vs, ReworkModel::Geometric), measure(&renamed, ReworkModel::Geometric)) {
            prop_assert_eq!(a.lead_time, b.lead_time);
            prop_assert_eq!(a.rework_adjusted_lead_time, b.rework_adjusted_lead_time);
            prop_assert_eq!(a.rolled_complete_accurate, b.rolled_complete_accurate);
        }
    }

    #[test]
    fn documents_round_trip(vs in value_stream()) {
        let map = Map { value_stream: Some(vs), ..Map::default() };
        let again = Map::from_json(&map.to_json()).expect("a valid document reloads");
        prop_assert_eq!(again, map);
    }

    #[test]
    fn linear_rolled_complete_accurate_is_the_product(vs in value_stream()) {
        let mut linear = vs.clone();
        linear.steps.iter_mut().for_each(|s| s.next = None);
        linear.rework.clear();
        if let Some(m) = measure(&linear, ReworkModel::SinglePass) {
            let product: f64 = linear.steps.iter().map(|s| s.complete_accurate_pct / 100.0).product();
            prop_assert!((m.rolled_complete_accurate - product).abs() < 1e-12);
            let sum: f64 = linear.steps.iter().map(|s| s.wait.unwrap().value + s.process_time.value).sum();
            prop_assert!((m.lead_time.secs() - sum).abs() < 1e-6);
        }
    }
}
