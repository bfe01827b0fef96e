//! Measuring the map from data: fills a value stream's step times and rework shares from what an
//! event log shows.
//!
//! A step stands for the log activities it lists in `activities` (else the activity named like its
//! id, else like its name). Per step occurrence, from [`ActivityPartial`]'s observations:
//! - with start timestamps: process time = complete − start; wait = start − the previous event's
//!   completion in the case;
//! - without: lead time = complete − the previous event's completion (Martin & Osterling's step
//!   lead time, which includes the process time); the first event of a case has none.
//!
//! Rework share: the share of the step's cases in which it occurs more than once.
//! The calibrated document takes the chosen statistic (median by default) of each observed time.

use super::activity::ActivityPartial;
use super::Partial;
use crate::error::{Error, Result};
use crate::log::EventLog;
use crate::model::{Map, Step};
use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// The statistic a calibrated step takes from its observed times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    #[default]
    Median,
    Mean,
    P90,
}

/// Observed times of a step, in seconds. Percentiles interpolate linearly between order
/// statistics (numpy's default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    pub count: u64,
    pub mean: f64,
    pub min: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub max: f64,
}

impl Observed {
    fn of(mut ns: Vec<i64>) -> Option<Observed> {
        if ns.is_empty() {
            return None;
        }
        ns.sort_unstable();
        let secs = |v: i64| v as f64 / 1e9;
        let q = |p: f64| {
            let pos = p * (ns.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            secs(ns[lo]) + (secs(ns[hi]) - secs(ns[lo])) * (pos - lo as f64)
        };
        let total: i128 = ns.iter().map(|&v| v as i128).sum();
        Some(Observed {
            count: ns.len() as u64,
            mean: total as f64 / ns.len() as f64 / 1e9,
            min: secs(ns[0]),
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
            max: secs(ns[ns.len() - 1]),
        })
    }

    fn pick(&self, s: Statistic) -> f64 {
        match s {
            Statistic::Median => self.p50,
            Statistic::Mean => self.mean,
            Statistic::P90 => self.p90,
        }
    }
}

/// What the log shows of one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepCalibration {
    pub step: String,
    /// The log activities matched.
    pub activities: Vec<String>,
    /// Events of those activities.
    pub occurrences: u64,
    /// Cases with at least one (summed over the activities).
    pub cases: u64,
    pub process_time: Option<Observed>,
    pub wait_time: Option<Observed>,
    pub lead_time: Option<Observed>,
    /// Share of its cases in which the step occurs more than once.
    pub rework_share: Option<f64>,
}

/// The calibrated map and what was observed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The map with observed times in its value stream.
    pub map: Map,
    pub statistic: Statistic,
    pub steps: Vec<StepCalibration>,
    /// Steps the log never shows.
    pub unseen_steps: Vec<String>,
    /// Touchpoints no seen step serves and no activity is named after.
    pub unseen_touchpoints: Vec<String>,
    /// Observations not applied to the document, and why.
    pub notes: Vec<String>,
}

fn candidates(step: &Step) -> Vec<String> {
    if step.activities.is_empty() {
        vec![step.id.clone(), step.name.clone()]
    } else {
        step.activities.clone()
    }
}

/// Calibrates the map's value stream from `log`.
///
/// ```
/// use journeystream::{analytics::calibrate::{calibrate, Statistic}, log::LogBuilder, Map};
/// let map = Map::from_json(r#"{"value_stream": {"id": "vs", "name": "Tickets", "time_basis": {"days": "calendar"},
///   "steps": [{"id": "open", "name": "Open", "process_time": "5min"},
///             {"id": "fix", "name": "Fix", "process_time": "30min", "wait": "1d"}]}}"#)?;
/// let mut b = LogBuilder::new();
/// for (case, activity, minutes) in [("1", "open", 0), ("1", "fix", 120), ("2", "open", 0), ("2", "fix", 240)] {
///     b.push(case, activity, minutes * 60_000_000_000)?;
/// }
/// let c = calibrate(&map, &b.finish().unwrap(), Statistic::Median)?;
/// let fix = &c.steps[1];
/// assert_eq!(fix.lead_time.as_ref().unwrap().p50, 10_800.0); // median of 2 h and 4 h
/// let step = &c.map.value_stream.as_ref().unwrap().steps[1];
/// assert_eq!(step.lead_time.unwrap().to_string(), "10800s");
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn calibrate(map: &Map, log: &EventLog, statistic: Statistic) -> Result<Calibration> {
    let vs = map
        .value_stream
        .as_ref()
        .ok_or_else(|| Error::MissingData {
            path: "value_stream".into(),
            what: "a value stream to calibrate".into(),
        })?;
    map.validate()?;
    let observations = ActivityPartial::of_log(log);
    let mut out = map.clone();
    let (mut steps, mut unseen_steps, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    for (i, step) in vs.steps.iter().enumerate() {
        let mut matched = Vec::new();
        let (mut occurrences, mut cases, mut rework_cases) = (0, 0, 0);
        let (mut service, mut waiting) = (Vec::new(), Vec::new());
        for name in candidates(step) {
            if matched.contains(&name) {
                continue;
            }
            if let Some(t) = observations.times(&name) {
                occurrences += t.events;
                cases += t.cases;
                rework_cases += t.rework_cases;
                service.extend_from_slice(t.service);
                waiting.extend_from_slice(t.waiting);
                matched.push(name);
                if step.activities.is_empty() {
                    break;
                }
            }
        }
        if matched.is_empty() {
            unseen_steps.push(step.id.clone());
            continue;
        }
        let has_starts = !service.is_empty();
        let process_time = Observed::of(service);
        let (wait_time, lead_time) = if has_starts {
            (Observed::of(waiting), None)
        } else {
            (None, Observed::of(waiting))
        };
        let target = &mut out
            .value_stream
            .as_mut()
            .expect("cloned from a map with one")
            .steps[i];
        match (&process_time, &wait_time, &lead_time) {
            (Some(p), w, _) => {
                target.process_time = TimeSpan::secs(p.pick(statistic));
                target.wait = w.as_ref().map(|w| TimeSpan::secs(w.pick(statistic)));
                target.inventory = None;
                target.lead_time = None;
            }
            (None, _, Some(l)) => {
                let pt = step
                    .process_time
                    .resolve(crate::Duration::from_secs(1.0))
                    .secs();
                if step.process_time.is_clock_time() && l.pick(statistic) < pt {
                    notes.push(format!("{}: observed lead time {}s is shorter than its process time {}: not applied", step.id, l.pick(statistic), step.process_time));
                } else {
                    target.lead_time = Some(TimeSpan::secs(l.pick(statistic)));
                    target.wait = None;
                    target.inventory = None;
                }
            }
            _ => notes.push(format!(
                "{}: only ever the first event of a case: no time observed",
                step.id
            )),
        }
        steps.push(StepCalibration {
            step: step.id.clone(),
            activities: matched,
            occurrences,
            cases,
            process_time,
            wait_time,
            lead_time,
            rework_share: (cases > 0).then(|| rework_cases as f64 / cases as f64),
        });
    }
    let seen: Vec<&str> = steps.iter().map(|s| s.step.as_str()).collect();
    let unseen_touchpoints = map
        .journey
        .iter()
        .flat_map(|j| j.stages.iter().flat_map(|s| s.touchpoints.iter()))
        .filter(|t| {
            let served = vs.steps.iter().any(|s| {
                s.touchpoint.as_deref() == Some(t.id.as_str()) && seen.contains(&s.id.as_str())
            });
            let named =
                log.activities().code(&t.id).is_some() || log.activities().code(&t.name).is_some();
            !served && !named
        })
        .map(|t| t.id.clone())
        .collect();
    out.validate()?;
    Ok(Calibration {
        map: out,
        statistic,
        steps,
        unseen_steps,
        unseen_touchpoints,
        notes,
    })
}
