//! The value-stream metrics of one state.

use super::flow::{rework_visits, rolled_pass_rate, visits};
use super::resolved::Resolved;
use super::rollup::{lanes, moments_of_truth, stages, GroupMetrics, MomentMetrics};
use super::{MeasureOptions, ReworkModel};
use crate::error::{Error, Result};
use crate::model::{Journey, Map, ValueClass, ValueStream};
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// Metrics of a value stream. Durations serialize as seconds; ratios are fractions (0–1).
///
/// Totals weight each step by its expected visits per unit (1 on a linear flow; the route shares
/// on a branching one): lead time `LT = Σ v·(wait + PT)`, process time `PT = Σ v·PT`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueStreamMetrics {
    /// Id of the value stream.
    pub value_stream: String,
    /// The length of one day under the time basis.
    pub day_length: Duration,
    /// Production lead time: Σ waits + Σ process times, without rework.
    pub lead_time: Duration,
    /// The lead time in days of `day_length`.
    pub lead_time_days: f64,
    /// Σ process times.
    pub process_time: Duration,
    /// Σ waits (lead time − process time).
    pub wait_time: Duration,
    /// Activity ratio: Σ PT ÷ Σ LT.
    pub activity_ratio: f64,
    /// Process cycle efficiency: value-adding time ÷ lead time.
    pub process_cycle_efficiency: f64,
    /// Rolled %C&A: the chance a unit passes every step first time right (Π %C&A on a linear flow).
    pub rolled_complete_accurate: f64,
    /// Process time of value-adding steps.
    pub value_adding_time: Duration,
    /// Process time of necessary non-value-adding steps.
    pub necessary_non_value_adding_time: Duration,
    /// Process time of waste steps plus every wait.
    pub waste_time: Duration,
    /// Shares of the lead time; the three add up to 1.
    pub value_adding_share: f64,
    pub necessary_non_value_adding_share: f64,
    pub waste_share: f64,
    /// The rework model used below.
    pub rework_model: ReworkModel,
    /// Lead time including the time the rework loops add.
    pub rework_adjusted_lead_time: Duration,
    pub rework_adjusted_lead_time_days: f64,
    /// Customer demand, units per day.
    pub demand_per_day: Option<f64>,
    /// Available time per day: shifts × (shift − breaks − downtime).
    pub available_time_per_day: Option<Duration>,
    /// Takt time: available time ÷ demand.
    pub takt_time: Option<Duration>,
    /// Units queued in inventories.
    pub total_inventory: f64,
    /// Those inventories in days of demand.
    pub inventory_days: f64,
    /// The step that limits the flow.
    pub bottleneck: Option<Bottleneck>,
    pub steps: Vec<StepMetrics>,
    /// Rollups per journey stage (stages with steps, in journey order).
    pub stages: Vec<GroupMetrics>,
    /// Rollups per service-blueprint lane.
    pub lanes: Vec<GroupMetrics>,
    /// The steps behind each moment of truth.
    pub moments_of_truth: Vec<MomentMetrics>,
}

/// Metrics of one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepMetrics {
    pub id: String,
    pub name: String,
    /// Expected visits per unit without rework.
    pub visits: f64,
    /// Expected visits per unit with rework, under the rework model.
    pub rework_visits: f64,
    /// Wait before the step (from its wait, inventory or lead time).
    pub wait_time: Duration,
    /// The inventory before the step in days of demand, when given as inventory.
    pub inventory_days: Option<f64>,
    pub process_time: Duration,
    /// Wait + process time (or the step's given lead time).
    pub lead_time: Duration,
    pub cycle_time: Duration,
    /// %C&A as a fraction.
    pub complete_accurate: f64,
    pub value_class: ValueClass,
    /// Units per day: available time ÷ cycle time × uptime (none without demand or with a zero cycle time).
    pub capacity_per_day: Option<f64>,
    /// Demand × rework visits × cycle time ÷ (available time × uptime); above 1 the step cannot keep takt.
    pub utilization: Option<f64>,
    /// Cycle time ÷ takt time.
    pub cycle_time_to_takt: Option<f64>,
}

/// The limiting step and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bottleneck {
    pub step: String,
    pub basis: BottleneckBasis,
    /// The utilization (basis `utilization`) or the effective cycle time in seconds (basis `cycle_time`).
    pub value: f64,
}

/// What the bottleneck was chosen by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BottleneckBasis {
    /// Highest utilization (demand known): the step furthest above takt.
    Utilization,
    /// Highest effective cycle time, visits × C/T ÷ uptime (no demand given).
    CycleTime,
}

impl BottleneckBasis {
    /// The name as written in results (`"utilization"`).
    pub fn name(self) -> &'static str {
        match self {
            BottleneckBasis::Utilization => "utilization",
            BottleneckBasis::CycleTime => "cycle_time",
        }
    }
}

/// Measures the value stream of a map, with the journey overlay when the map has one.
pub fn measure(map: &Map, options: &MeasureOptions) -> Result<ValueStreamMetrics> {
    let vs = map
        .value_stream
        .as_ref()
        .ok_or_else(|| Error::MissingData {
            path: "value_stream".into(),
            what: "a value stream to measure".into(),
        })?;
    measure_value_stream(vs, map.journey.as_ref(), options)
}

/// Measures a value stream; `journey` gives the stage and moment-of-truth rollups.
pub fn measure_value_stream(
    vs: &ValueStream,
    journey: Option<&Journey>,
    options: &MeasureOptions,
) -> Result<ValueStreamMetrics> {
    if vs.steps.is_empty() {
        return Err(Error::invalid(
            "value_stream.steps",
            "[]",
            "must list at least one step",
        ));
    }
    let r = Resolved::new(vs)?;
    let base = visits(&r.routing.base, 0);
    let with_rework = rework_visits(&r.routing, options.rework);
    let weighted = |v: &[f64], f: &dyn Fn(usize) -> Duration| -> Duration {
        (0..v.len()).map(|i| f(i) * v[i]).sum()
    };

    let lead_time = weighted(&base, &|i| r.steps[i].lead);
    if lead_time.secs() <= 0.0 {
        return Err(Error::invalid(
            "value_stream.steps",
            "0s",
            "add up to no lead time: give process times or waits",
        ));
    }
    let process_time = weighted(&base, &|i| r.steps[i].process);
    let class_time = |class: ValueClass| {
        weighted(&base, &|i| {
            if vs.steps[i].value_class == class {
                r.steps[i].process
            } else {
                Duration::ZERO
            }
        })
    };
    let value_adding_time = class_time(ValueClass::ValueAdding);
    let nnva_time = class_time(ValueClass::NecessaryNonValueAdding);
    let waste_time = class_time(ValueClass::Waste) + (lead_time - process_time);
    let rework_adjusted = weighted(&with_rework, &|i| r.steps[i].lead);
    let pass: Vec<f64> = vs
        .steps
        .iter()
        .map(|s| s.complete_accurate_pct / 100.0)
        .collect();

    let takt_time = match (r.available_per_day, r.demand_per_day) {
        (Some(a), Some(d)) => Some(a / d),
        _ => None,
    };
    let steps: Vec<StepMetrics> = vs
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let t = &r.steps[i];
            let uptime = s.uptime_pct / 100.0;
            let has_cycle = t.cycle.secs() > 0.0;
            StepMetrics {
                id: s.id.clone(),
                name: s.name.clone(),
                visits: base[i],
                rework_visits: with_rework[i],
                wait_time: t.wait,
                inventory_days: t.inventory_days,
                process_time: t.process,
                lead_time: t.lead,
                cycle_time: t.cycle,
                complete_accurate: pass[i],
                value_class: s.value_class,
                capacity_per_day: r
                    .available_per_day
                    .filter(|_| has_cycle)
                    .map(|a| a / t.cycle * uptime),
                utilization: r
                    .available_per_day
                    .zip(r.demand_per_day)
                    .map(|(a, d)| d * with_rework[i] * (t.cycle / a) / uptime),
                cycle_time_to_takt: takt_time.map(|k| t.cycle / k),
            }
        })
        .collect();
    let bottleneck = bottleneck(vs, &steps);
    let total_inventory = vs
        .steps
        .iter()
        .filter_map(|s| s.inventory.as_ref())
        .fold(0.0, |acc, i| acc + i.quantity);
    let inventory_days = steps
        .iter()
        .filter_map(|s| s.inventory_days)
        .fold(0.0, |acc, d| acc + d);
    let (stages, lanes, moments) = (
        stages(vs, journey, &steps),
        lanes(vs, &steps),
        moments_of_truth(vs, journey, &steps),
    );

    Ok(ValueStreamMetrics {
        value_stream: vs.id.clone(),
        day_length: r.day,
        lead_time,
        lead_time_days: lead_time.days(r.day),
        process_time,
        wait_time: lead_time - process_time,
        activity_ratio: process_time / lead_time,
        process_cycle_efficiency: value_adding_time / lead_time,
        rolled_complete_accurate: rolled_pass_rate(&r.routing.base, &pass),
        value_adding_time,
        necessary_non_value_adding_time: nnva_time,
        waste_time,
        value_adding_share: value_adding_time / lead_time,
        necessary_non_value_adding_share: nnva_time / lead_time,
        waste_share: waste_time / lead_time,
        rework_model: options.rework,
        rework_adjusted_lead_time: rework_adjusted,
        rework_adjusted_lead_time_days: rework_adjusted.days(r.day),
        demand_per_day: r.demand_per_day,
        available_time_per_day: r.available_per_day,
        takt_time,
        total_inventory,
        inventory_days,
        bottleneck,
        steps,
        stages,
        lanes,
        moments_of_truth: moments,
    })
}

fn bottleneck(vs: &ValueStream, steps: &[StepMetrics]) -> Option<Bottleneck> {
    let by = |f: &dyn Fn(usize) -> Option<f64>, basis| {
        (0..steps.len())
            .filter_map(|i| f(i).map(|v| (i, v)))
            .filter(|(_, v)| *v > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, value)| Bottleneck {
                step: steps[i].id.clone(),
                basis,
                value,
            })
    };
    if steps.iter().all(|s| s.utilization.is_some()) {
        by(&|i| steps[i].utilization, BottleneckBasis::Utilization)
    } else {
        by(
            &|i| {
                Some(
                    steps[i].rework_visits * steps[i].cycle_time.secs()
                        / (vs.steps[i].uptime_pct / 100.0),
                )
            },
            BottleneckBasis::CycleTime,
        )
    }
}
