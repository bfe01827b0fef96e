//! Metrics over a value stream (Rother & Shook, *Learning to See*; Martin & Osterling,
//! *Value Stream Mapping*): lead time, process time, activity ratio, process cycle efficiency,
//! rolled %C&A, takt, capacity, utilization, bottleneck, inventory days, rework-adjusted lead time,
//! rollups per journey stage, lane and moment of truth; current vs future comparison; projection
//! of a plan; Little's law.
//!
//! ```
//! use journeystream::{Map, vsm};
//! let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/acme-stamping.json")).unwrap();
//! let m = vsm::measure(&map, &vsm::MeasureOptions::default()).unwrap();
//! assert_eq!(m.takt_time.unwrap().secs(), 60.0);
//! assert_eq!(m.process_time.secs(), 188.0);
//! assert_eq!((m.lead_time_days * 10.0).round() / 10.0, 23.6);
//! ```

mod compare;
pub(crate) mod flow;
mod little;
mod metrics;
mod project;
mod resolved;
mod rollup;

pub use compare::{compare, Comparison, MetricChange};
pub use little::{littles_law, LittlesLaw};
pub use metrics::{
    measure, measure_value_stream, Bottleneck, BottleneckBasis, StepMetrics, ValueStreamMetrics,
};
pub use project::{project, AppliedEffect, Projection};
pub use rollup::{GroupMetrics, MomentMetrics};

use serde::{Deserialize, Serialize};

/// How rework loops add to the lead time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReworkModel {
    /// Each loop adds its share × the time of the path it repeats, once (METRICS.md's definition).
    #[default]
    SinglePass,
    /// A reworked unit may be sent back again: expected visits of the absorbing chain, 1 ÷ (1 − share) on a simple loop.
    Geometric,
}

impl ReworkModel {
    /// The name as written in options and results (`"single_pass"`).
    pub fn name(self) -> &'static str {
        match self {
            ReworkModel::SinglePass => "single_pass",
            ReworkModel::Geometric => "geometric",
        }
    }

    /// Parses `"single_pass"` or `"geometric"`.
    pub fn parse(name: &str) -> crate::Result<ReworkModel> {
        match name {
            "single_pass" => Ok(ReworkModel::SinglePass),
            "geometric" => Ok(ReworkModel::Geometric),
            other => Err(crate::Error::argument(
                "rework",
                other,
                "is not a rework model: use single_pass or geometric",
            )),
        }
    }
}

/// Options of [`measure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeasureOptions {
    pub rework: ReworkModel,
}
