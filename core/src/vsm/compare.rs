//! Current state vs future state: each summary metric before, after, and its change.

use super::metrics::ValueStreamMetrics;
use serde::{Deserialize, Serialize};

/// The change of one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricChange {
    pub metric: String,
    /// `s`, `d`, `ratio`, `units`, `units/d`.
    pub unit: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// after − before.
    pub absolute: Option<f64>,
    /// (after − before) ÷ |before|; none when before is 0 or either side is missing.
    pub relative: Option<f64>,
}

/// Two states compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub changes: Vec<MetricChange>,
    /// Step ids only in the current state.
    pub steps_removed: Vec<String>,
    /// Step ids only in the future state.
    pub steps_added: Vec<String>,
    /// Bottleneck step before and after.
    pub bottleneck_before: Option<String>,
    pub bottleneck_after: Option<String>,
}

impl Comparison {
    /// The change of the named metric.
    pub fn change(&self, metric: &str) -> Option<&MetricChange> {
        self.changes.iter().find(|c| c.metric == metric)
    }
}

/// The summary metrics a comparison lists, in order, with their units.
pub(crate) fn summary(m: &ValueStreamMetrics) -> Vec<(&'static str, &'static str, Option<f64>)> {
    vec![
        ("lead_time", "s", Some(m.lead_time.secs())),
        ("lead_time_days", "d", Some(m.lead_time_days)),
        ("process_time", "s", Some(m.process_time.secs())),
        ("wait_time", "s", Some(m.wait_time.secs())),
        ("activity_ratio", "ratio", Some(m.activity_ratio)),
        (
            "process_cycle_efficiency",
            "ratio",
            Some(m.process_cycle_efficiency),
        ),
        (
            "rolled_complete_accurate",
            "ratio",
            Some(m.rolled_complete_accurate),
        ),
        ("value_adding_time", "s", Some(m.value_adding_time.secs())),
        (
            "necessary_non_value_adding_time",
            "s",
            Some(m.necessary_non_value_adding_time.secs()),
        ),
        ("waste_time", "s", Some(m.waste_time.secs())),
        (
            "rework_adjusted_lead_time",
            "s",
            Some(m.rework_adjusted_lead_time.secs()),
        ),
        (
            "rework_adjusted_lead_time_days",
            "d",
            Some(m.rework_adjusted_lead_time_days),
        ),
        ("takt_time", "s", m.takt_time.map(|t| t.secs())),
        ("total_inventory", "units", Some(m.total_inventory)),
        ("inventory_days", "d", Some(m.inventory_days)),
        ("steps", "count", Some(m.steps.len() as f64)),
        (
            "bottleneck_utilization",
            "ratio",
            m.bottleneck
                .as_ref()
                .filter(|b| b.basis == super::BottleneckBasis::Utilization)
                .map(|b| b.value),
        ),
    ]
}

/// Compares two measured states.
///
/// ```
/// use journeystream::{Map, vsm};
/// let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json")).unwrap();
/// let opts = vsm::MeasureOptions::default();
/// let future = vsm::project(&map).unwrap().map;
/// let c = vsm::compare(&vsm::measure(&map, &opts).unwrap(), &vsm::measure(&future, &opts).unwrap());
/// assert!(c.change("lead_time").unwrap().relative.unwrap() < 0.0);
/// ```
pub fn compare(before: &ValueStreamMetrics, after: &ValueStreamMetrics) -> Comparison {
    let changes = summary(before)
        .into_iter()
        .zip(summary(after))
        .map(|((metric, unit, b), (_, _, a))| {
            let absolute = b.zip(a).map(|(b, a)| a - b);
            let relative = b
                .zip(a)
                .filter(|(b, _)| *b != 0.0)
                .map(|(b, a)| (a - b) / b.abs());
            MetricChange {
                metric: metric.to_string(),
                unit: unit.to_string(),
                before: b,
                after: a,
                absolute,
                relative,
            }
        })
        .collect();
    let ids = |m: &ValueStreamMetrics| m.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    let (b, a) = (ids(before), ids(after));
    Comparison {
        changes,
        steps_removed: b.iter().filter(|id| !a.contains(id)).cloned().collect(),
        steps_added: a.iter().filter(|id| !b.contains(id)).cloned().collect(),
        bottleneck_before: before.bottleneck.as_ref().map(|x| x.step.clone()),
        bottleneck_after: after.bottleneck.as_ref().map(|x| x.step.clone()),
    }
}
