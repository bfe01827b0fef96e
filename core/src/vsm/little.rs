//! Little's law: WIP = throughput × lead time.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The three quantities of Little's law, in units and days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LittlesLaw {
    /// Work in process, units.
    pub wip: f64,
    /// Throughput, units per day.
    pub throughput_per_day: f64,
    /// Lead time, days.
    pub lead_time_days: f64,
}

/// Given exactly two of WIP, throughput and lead time, the third.
///
/// ```
/// use journeystream::vsm::littles_law;
/// let l = littles_law(Some(7000.0), Some(920.0), None).unwrap();
/// assert!((l.lead_time_days - 7.6087).abs() < 1e-4);
/// assert!(littles_law(Some(1.0), None, None).is_err());
/// ```
pub fn littles_law(
    wip: Option<f64>,
    throughput_per_day: Option<f64>,
    lead_time_days: Option<f64>,
) -> Result<LittlesLaw> {
    for (name, v) in [
        ("wip", wip),
        ("throughput_per_day", throughput_per_day),
        ("lead_time_days", lead_time_days),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::argument(name, v, "must be a finite number ≥ 0"));
            }
        }
    }
    let positive = |name: &str, v: f64| {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(Error::argument(name, v, "must be above 0 to divide by"))
        }
    };
    match (wip, throughput_per_day, lead_time_days) {
        (Some(w), Some(t), None) => Ok(LittlesLaw {
            wip: w,
            throughput_per_day: t,
            lead_time_days: w / positive("throughput_per_day", t)?,
        }),
        (Some(w), None, Some(l)) => Ok(LittlesLaw {
            wip: w,
            throughput_per_day: w / positive("lead_time_days", l)?,
            lead_time_days: l,
        }),
        (None, Some(t), Some(l)) => Ok(LittlesLaw {
            wip: t * l,
            throughput_per_day: t,
            lead_time_days: l,
        }),
        _ => Err(Error::argument(
            "littles_law",
            format!(
                "{} of 3 given",
                [wip, throughput_per_day, lead_time_days]
                    .iter()
                    .flatten()
                    .count()
            ),
            "needs exactly two of wip, throughput_per_day, lead_time_days",
        )),
    }
}
