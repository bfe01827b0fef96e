//! Rollups of step metrics through the journey overlay: per stage, per lane, per moment of truth.

use super::metrics::StepMetrics;
use crate::model::{Journey, Lane, Polarity, ValueStream};
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// Totals over a group of steps (a stage or a lane), each step weighted by its visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMetrics {
    /// Stage id, or lane name.
    pub id: String,
    pub name: String,
    pub steps: Vec<String>,
    pub lead_time: Duration,
    pub process_time: Duration,
    pub wait_time: Duration,
    /// Σ PT ÷ Σ LT of the group; none when the group takes no time.
    pub activity_ratio: Option<f64>,
    /// Π %C&A^visits over the group's steps (Π %C&A on a linear flow).
    pub rolled_complete_accurate: f64,
    /// The group's share of the whole lead time.
    pub share_of_lead_time: f64,
}

/// The steps behind a moment of truth: those serving its touchpoint (or, without one, its stage).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MomentMetrics {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub touchpoint: Option<String>,
    pub polarity: Polarity,
    pub steps: Vec<String>,
    pub lead_time: Duration,
    pub process_time: Duration,
    pub rolled_complete_accurate: f64,
}

/// The stage a step serves: its own, or its touchpoint's.
fn stage_of<'a>(vs: &'a ValueStream, journey: Option<&'a Journey>, i: usize) -> Option<&'a str> {
    let s = &vs.steps[i];
    s.stage.as_deref().or_else(|| {
        s.touchpoint
            .as_deref()
            .and_then(|t| journey?.touchpoint(t))
            .map(|(stage, _)| stage.id.as_str())
    })
}

struct Totals {
    lead: Duration,
    process: Duration,
    pass: f64,
}

fn totals(steps: &[StepMetrics], members: &[usize]) -> Totals {
    let mut t = Totals {
        lead: Duration::ZERO,
        process: Duration::ZERO,
        pass: 1.0,
    };
    for &i in members {
        let s = &steps[i];
        t.lead += s.lead_time * s.visits;
        t.process += s.process_time * s.visits;
        t.pass *= s.complete_accurate.powf(s.visits);
    }
    t
}

fn group(
    id: &str,
    name: &str,
    steps: &[StepMetrics],
    members: &[usize],
    whole: Duration,
) -> GroupMetrics {
    let t = totals(steps, members);
    GroupMetrics {
        id: id.to_string(),
        name: name.to_string(),
        steps: members.iter().map(|&i| steps[i].id.clone()).collect(),
        lead_time: t.lead,
        process_time: t.process,
        wait_time: t.lead - t.process,
        activity_ratio: (t.lead.secs() > 0.0).then(|| t.process / t.lead),
        rolled_complete_accurate: t.pass,
        share_of_lead_time: if whole.secs() > 0.0 {
            t.lead / whole
        } else {
            0.0
        },
    }
}

fn whole(steps: &[StepMetrics]) -> Duration {
    steps.iter().map(|s| s.lead_time * s.visits).sum()
}

pub(crate) fn stages(
    vs: &ValueStream,
    journey: Option<&Journey>,
    steps: &[StepMetrics],
) -> Vec<GroupMetrics> {
    let Some(j) = journey else { return Vec::new() };
    let total = whole(steps);
    j.stages
        .iter()
        .filter_map(|stage| {
            let members: Vec<usize> = (0..vs.steps.len())
                .filter(|&i| stage_of(vs, journey, i) == Some(stage.id.as_str()))
                .collect();
            (!members.is_empty()).then(|| group(&stage.id, &stage.name, steps, &members, total))
        })
        .collect()
}

pub(crate) fn lanes(vs: &ValueStream, steps: &[StepMetrics]) -> Vec<GroupMetrics> {
    let total = whole(steps);
    [
        Lane::Customer,
        Lane::FrontStage,
        Lane::BackStage,
        Lane::Support,
    ]
    .into_iter()
    .filter_map(|lane| {
        let members: Vec<usize> = (0..vs.steps.len())
            .filter(|&i| vs.steps[i].lane == Some(lane))
            .collect();
        (!members.is_empty()).then(|| group(lane.as_str(), lane.as_str(), steps, &members, total))
    })
    .collect()
}

pub(crate) fn moments_of_truth(
    vs: &ValueStream,
    journey: Option<&Journey>,
    steps: &[StepMetrics],
) -> Vec<MomentMetrics> {
    let Some(j) = journey else { return Vec::new() };
    j.moments_of_truth()
        .map(|(stage, m)| {
            let members: Vec<usize> = (0..vs.steps.len())
                .filter(|&i| match &m.touchpoint {
                    Some(t) => vs.steps[i].touchpoint.as_deref() == Some(t.as_str()),
                    None => stage_of(vs, journey, i) == Some(stage.id.as_str()),
                })
                .collect();
            let t = totals(steps, &members);
            MomentMetrics {
                id: m.id.clone(),
                name: m.name.clone(),
                stage: stage.id.clone(),
                touchpoint: m.touchpoint.clone(),
                polarity: m.polarity,
                steps: members.iter().map(|&i| steps[i].id.clone()).collect(),
                lead_time: t.lead,
                process_time: t.process,
                rolled_complete_accurate: t.pass,
            }
        })
        .collect()
}
