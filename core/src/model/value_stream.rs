//! The value stream: steps with their times and quality, the waits between them, the flow and its
//! rework loops, and the customer demand that sets the takt.

use crate::time::{TimeBasis, TimeSpan};
use serde::{Deserialize, Serialize};

fn hundred() -> f64 {
    100.0
}

/// A value stream: ordered (or graph-shaped) steps from request to delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueStream {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What a day is: working or calendar. Required: it changes every ratio.
    pub time_basis: TimeBasis,
    /// Customer demand and available time; needed for takt, capacity, utilization, inventory days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand: Option<Demand>,
    /// Steps; the first is where work enters. Without `next`, a step passes work to the one below it.
    pub steps: Vec<Step>,
    /// Shares of work sent back to an earlier step.
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub rework: Vec<ReworkLoop>,
}

impl ValueStream {
    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The index of the step with this id.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }
}

/// Customer demand per day and the time available to meet it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Units (pieces, tickets, orders) the customer needs per day.
    pub per_day: f64,
    pub available_time: AvailableTime,
}

/// Available time per day: shifts × (shift length − breaks − other planned downtime).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailableTime {
    pub shift_length: TimeSpan,
    #[serde(default = "one")]
    pub shifts_per_day: f64,
    #[serde(default = "zero_span")]
    pub breaks_per_shift: TimeSpan,
    #[serde(default = "zero_span")]
    pub other_downtime_per_shift: TimeSpan,
}

fn one() -> f64 {
    1.0
}
fn zero_span() -> TimeSpan {
    TimeSpan::secs(0.0)
}

/// Where a step sits in a service blueprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    Customer,
    FrontStage,
    BackStage,
    Support,
}

impl Lane {
    /// The name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Customer => "customer",
            Lane::FrontStage => "front_stage",
            Lane::BackStage => "back_stage",
            Lane::Support => "support",
        }
    }
}

/// Whether the customer would pay for a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueClass {
    #[default]
    ValueAdding,
    NecessaryNonValueAdding,
    Waste,
}

/// The eight wastes of lean (TIMWOODS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WasteType {
    Transport,
    Inventory,
    Motion,
    Waiting,
    Overproduction,
    Overprocessing,
    Defects,
    /// Unused skills and talent.
    Skills,
}

/// Work queued before a step, converted to a wait by the daily demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// Units waiting.
    pub quantity: f64,
    /// Units consumed per day; defaults to the value stream's demand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_demand: Option<f64>,
}

/// Where a step passes its work, and which share of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub step: String,
    #[serde(default = "hundred")]
    pub share_pct: f64,
}

/// A share of a step's output sent back to an earlier step (or to itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReworkLoop {
    pub from: String,
    pub to: String,
    pub share_pct: f64,
}

/// One process step.
///
/// Its lead time is `lead_time` when given (Martin & Osterling's LT, which includes the process
/// time), else the wait before it plus its process time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub name: String,
    /// Touch time per unit (PT).
    pub process_time: TimeSpan,
    /// Time between units leaving the step (C/T); defaults to the process time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_time: Option<TimeSpan>,
    /// Wait before the step, as a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<TimeSpan>,
    /// Wait before the step, as queued units (converted to days by the daily demand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<Inventory>,
    /// Elapsed time from work available to passed on, including the process time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time: Option<TimeSpan>,
    /// %C&A: share of inputs usable as received, 0–100.
    #[serde(default = "hundred")]
    pub complete_accurate_pct: f64,
    #[serde(default)]
    pub value_class: ValueClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waste_type: Option<WasteType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<Lane>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Changeover time (C/O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changeover: Option<TimeSpan>,
    /// Share of available time the step can run, (0, 100].
    #[serde(default = "hundred")]
    pub uptime_pct: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operators: Option<f64>,
    /// The journey stage this step serves (implied by `touchpoint` when that is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The journey touchpoint this step serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<String>,
    /// The event-log activities this step stands for (for calibration); empty: an activity
    /// named like the step's id, else like its name.
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub activities: Vec<String>,
    /// Where work goes next. Absent: the following step (or the end, for the last step);
    /// `[]`: the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Vec<Route>>,
}

impl Step {
    /// A value-adding step with only a process time.
    ///
    /// ```
    /// use journeystream::{Step, TimeSpan};
    /// let weld = Step::new("weld", "Spot weld", TimeSpan::secs(39.0));
    /// assert_eq!(weld.complete_accurate_pct, 100.0);
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>, process_time: TimeSpan) -> Step {
        Step {
            id: id.into(),
            name: name.into(),
            process_time,
            cycle_time: None,
            wait: None,
            inventory: None,
            lead_time: None,
            complete_accurate_pct: 100.0,
            value_class: ValueClass::ValueAdding,
            waste_type: None,
            lane: None,
            owner: None,
            changeover: None,
            uptime_pct: 100.0,
            operators: None,
            stage: None,
            touchpoint: None,
            activities: Vec::new(),
            next: None,
        }
    }
}
