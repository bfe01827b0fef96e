//! A value stream with every time resolved to seconds under its time basis.

use crate::error::{Error, Result};
use crate::model::routing::Routing;
use crate::model::{Step, ValueStream};
use crate::time::{Duration, TimeBasis, CALENDAR_DAY_SECS};

/// Resolved times of one step.
#[derive(Debug, Clone)]
pub(crate) struct StepTimes {
    pub wait: Duration,
    pub inventory_days: Option<f64>,
    pub process: Duration,
    pub lead: Duration,
    pub cycle: Duration,
}

/// The value stream with seconds instead of written times.
pub(crate) struct Resolved {
    pub routing: Routing,
    pub day: Duration,
    pub available_per_day: Option<Duration>,
    pub demand_per_day: Option<f64>,
    pub steps: Vec<StepTimes>,
}

impl Resolved {
    pub fn new(vs: &ValueStream) -> Result<Resolved> {
        let routing = Routing::new(vs, "value_stream").map_err(|mut p| p.remove(0))?;
        let clock = Duration::from_secs(1.0);
        let available_per_day = vs.demand.as_ref().map(|d| {
            let a = &d.available_time;
            (a.shift_length.resolve(clock)
                - a.breaks_per_shift.resolve(clock)
                - a.other_downtime_per_shift.resolve(clock))
                * a.shifts_per_day
        });
        let day = match vs.time_basis {
            TimeBasis::Calendar => Duration::from_secs(CALENDAR_DAY_SECS),
            TimeBasis::Working { day_length: Some(t) } => t.resolve(clock),
            TimeBasis::Working { day_length: None } => available_per_day.ok_or_else(|| Error::MissingData {
                path: "value_stream.time_basis".into(),
                what: "the length of a working day: give time_basis.day_length or demand.available_time".into(),
            })?,
        };
        let demand_per_day = vs.demand.as_ref().map(|d| d.per_day);
        let steps = vs
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| step_times(s, i, day, demand_per_day))
            .collect::<Result<_>>()?;
        Ok(Resolved {
            routing,
            day,
            available_per_day,
            demand_per_day,
            steps,
        })
    }
}

fn step_times(s: &Step, i: usize, day: Duration, demand: Option<f64>) -> Result<StepTimes> {
    let process = s.process_time.resolve(day);
    let (wait, inventory_days) = match (&s.wait, &s.inventory) {
        (Some(w), _) => (w.resolve(day), None),
        (None, Some(inv)) => {
            let per_day = inv.daily_demand.or(demand).ok_or_else(|| Error::MissingData {
                path: format!("value_stream.steps[{i}].inventory.daily_demand"),
                what: "the daily demand that converts this inventory to days (or value_stream.demand)".into(),
            })?;
            let days = inv.quantity / per_day;
            (Duration::from_days(days, day), Some(days))
        }
        (None, None) => (Duration::ZERO, None),
    };
    let (lead, wait) = match s.lead_time {
        Some(lt) => {
            let lead = lt.resolve(day);
            (lead, lead - process)
        }
        None => (wait + process, wait),
    };
    if wait.secs() < 0.0 {
        return Err(Error::invalid(
            format!("value_stream.steps[{i}].lead_time"),
            s.lead_time.map(|t| t.to_string()).unwrap_or_default(),
            "is shorter than the process time: a step's lead time includes it",
        ));
    }
    let cycle = s.cycle_time.map(|c| c.resolve(day)).unwrap_or(process);
    Ok(StepTimes {
        wait,
        inventory_days,
        process,
        lead,
        cycle,
    })
}
