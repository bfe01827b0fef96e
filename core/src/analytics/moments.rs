//! Moments of truth from data: which touchpoints move an outcome.
//!
//! For every touchpoint (an activity, or the value of a text event attribute such as `channel`)
//! and an outcome per case — conversion (the case contains an activity), churn (a true case
//! attribute, or a churn activity), or a survey score over or under a threshold (the case's last
//! score) — the analysis counts, over the cases whose outcome is known:
//!
//! - **reach**: the share of cases touching it;
//! - **presence**: the outcome rate with vs without the touchpoint (Wilson intervals), their
//!   difference with Newcombe's interval and the pooled two-proportion z-test;
//! - **experience** (when `experience` is given): among cases touching it, the outcome rate after a
//!   good vs a bad experience at its first touch — bad when the wait before it (from the previous
//!   event's completion to its start) is over `wait_over_seconds`, or when a score attached to that
//!   event is below `below` (touches without a score are left out of this comparison).
//!
//! By default only touches *before* the outcome count (before the first outcome event, or before the
//! scored event), so that what follows a conversion cannot explain it. Touchpoints are ranked by
//! `|impact| × reach`, impact being the presence difference (or the experience difference with
//! `rank_by: experience`), and flagged as candidate moments of truth when that difference's
//! p-value is below `alpha`. With a map, each declared moment of truth (its touchpoint's id and
//! name, the activities of the steps serving it, or its channel) is confirmed when one of its
//! touchpoints is flagged; flagged touchpoints no declared moment names are listed as undeclared.
//!
//! The per-touchpoint counts are a mergeable partial ([`MomentCounts`]), computed on all cores.
//!
//! ```
//! use journeystream::analytics::moments::{moments_of_truth, MomentsRequest, OutcomeSpec};
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! for i in 0..40 {
//!     let case = format!("c{i}");
//!     b.push(&case, "visit", 0)?;
//!     if i % 2 == 0 { b.push(&case, "demo", 1)?; }
//!     if i % 2 == 0 && i % 10 != 0 || i == 1 { b.push(&case, "buy", 2)?; }
//! }
//! let request = MomentsRequest::new(OutcomeSpec::activity("buy"));
//! let m = moments_of_truth(&b.finish().unwrap(), &request)?;
//! let demo = m.touchpoints.iter().find(|t| t.touchpoint == "demo").unwrap();
//! assert_eq!((demo.with.rate, demo.without.rate), (Some(0.8), Some(0.05)));
//! assert!(demo.moment_of_truth);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::partial::over_cases;
use super::scores::{numbers, Numbers};
use super::stats;
use crate::error::{Error, Result};
use crate::log::{Column, EventLog, NO_CODE};
use crate::model::Map;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;

/// The outcome of a case: exactly one of `activity`, `case_attribute`, `score_attribute` (with
/// exactly one of `at_least` and `below`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeSpec {
    /// The outcome happens when the case contains this activity (conversion, churn activity).
    #[serde(default)]
    pub activity: Option<String>,
    /// A bool (or 0/1 number) case attribute that is true when the outcome happened (churned).
    #[serde(default)]
    pub case_attribute: Option<String>,
    /// A number event attribute: the case's last score decides the outcome.
    #[serde(default)]
    pub score_attribute: Option<String>,
    /// The outcome is a last score at least this.
    #[serde(default)]
    pub at_least: Option<f64>,
    /// The outcome is a last score below this.
    #[serde(default)]
    pub below: Option<f64>,
}

impl OutcomeSpec {
    /// Conversion: the case contains `activity`.
    pub fn activity(activity: &str) -> OutcomeSpec {
        OutcomeSpec {
            activity: Some(activity.into()),
            ..OutcomeSpec::default()
        }
    }
}

/// What makes an experience at a touchpoint bad: exactly one of `wait_over_seconds` and
/// `score_attribute` (with `below`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperienceSpec {
    /// Bad when the wait before the touch is longer than this.
    #[serde(default)]
    pub wait_over_seconds: Option<f64>,
    /// A number event attribute scoring the touch ...
    #[serde(default)]
    pub score_attribute: Option<String>,
    /// ... bad when below this.
    #[serde(default)]
    pub below: Option<f64>,
}

/// Which difference ranks and flags touchpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankBy {
    /// Outcome rate with − without the touchpoint.
    #[default]
    Presence,
    /// Outcome rate after a good − a bad experience at it.
    Experience,
}

/// A `moments_of_truth` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MomentsRequest {
    pub outcome: OutcomeSpec,
    /// A text event attribute whose values are the touchpoints (`channel`); activities when absent.
    #[serde(default)]
    pub touchpoint_attribute: Option<String>,
    #[serde(default)]
    pub experience: Option<ExperienceSpec>,
    /// Count only touches before the outcome (true).
    #[serde(default = "yes")]
    pub before_outcome: bool,
    #[serde(default)]
    pub rank_by: RankBy,
    /// Significance level of the flag (0.05).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Confidence level of the intervals (0.95).
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// A map document whose declared moments of truth are checked against the data.
    #[serde(default)]
    pub map: Option<Value>,
}

fn yes() -> bool {
    true
}
fn default_alpha() -> f64 {
    0.05
}
fn default_confidence() -> f64 {
    0.95
}

impl MomentsRequest {
    /// A request with this outcome and the defaults.
    pub fn new(outcome: OutcomeSpec) -> MomentsRequest {
        MomentsRequest {
            outcome,
            touchpoint_attribute: None,
            experience: None,
            before_outcome: true,
            rank_by: RankBy::default(),
            alpha: default_alpha(),
            confidence: default_confidence(),
            map: None,
        }
    }
}

enum Outcome<'a> {
    Activity(u32),
    Case(&'a Column),
    Score(Numbers<'a>, f64, bool),
}

enum Bad<'a> {
    WaitOver(i64),
    ScoreBelow(Numbers<'a>, f64),
}

/// What one scan of the log reads: the rules resolved against the log's columns.
struct Rules<'a> {
    outcome: Outcome<'a>,
    /// Touch key code of each event (NO_CODE: none), and the key names.
    keys: Keys<'a>,
    bad: Option<Bad<'a>>,
    before_outcome: bool,
}

enum Keys<'a> {
    Activities(&'a EventLog),
    Attribute(&'a [u32], &'a crate::log::Interner),
}

impl Keys<'_> {
    fn names(&self) -> &[std::sync::Arc<str>] {
        match self {
            Keys::Activities(log) => log.activities().names(),
            Keys::Attribute(_, dict) => dict.names(),
        }
    }
    fn code(&self, e: usize) -> u32 {
        match self {
            Keys::Activities(log) => log.activity[e],
            Keys::Attribute(codes, _) => codes[e],
        }
    }
}

fn exactly_one(path: &str, fields: &[(&str, bool)]) -> Result<()> {
    if fields.iter().filter(|f| f.1).count() != 1 {
        let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
        return Err(Error::invalid(
            path,
            names.join(" / "),
            "needs exactly one of these fields",
        ));
    }
    Ok(())
}

fn rules<'a>(log: &'a EventLog, r: &MomentsRequest) -> Result<Rules<'a>> {
    let o = &r.outcome;
    exactly_one(
        "outcome",
        &[
            ("activity", o.activity.is_some()),
            ("case_attribute", o.case_attribute.is_some()),
            ("score_attribute", o.score_attribute.is_some()),
        ],
    )?;
    let outcome = if let Some(a) = &o.activity {
        Outcome::Activity(log.activity_code(a, "outcome.activity")?)
    } else if let Some(name) = &o.case_attribute {
        match log.case_column(name, "outcome.case_attribute")? {
            c @ (Column::Bool(_) | Column::Integer(_) | Column::Number(_)) => Outcome::Case(c),
            _ => {
                return Err(Error::argument(
                    "outcome.case_attribute",
                    name,
                    "is not a bool or number case attribute",
                ))
            }
        }
    } else {
        let name = o.score_attribute.as_deref().unwrap_or_default();
        exactly_one(
            "outcome",
            &[
                ("at_least", o.at_least.is_some()),
                ("below", o.below.is_some()),
            ],
        )?;
        let values = numbers(log, "outcome.score_attribute", name)?;
        match (o.at_least, o.below) {
            (Some(t), _) => Outcome::Score(values, t, true),
            (_, Some(t)) => Outcome::Score(values, t, false),
            _ => unreachable!("checked above"),
        }
    };
    let keys = match &r.touchpoint_attribute {
        None => Keys::Activities(log),
        Some(name) => match log.event_column(name, "touchpoint_attribute")? {
            Column::Text { dict, codes } => Keys::Attribute(codes, dict),
            _ => {
                return Err(Error::argument(
                    "touchpoint_attribute",
                    name,
                    "is not a text event attribute",
                ))
            }
        },
    };
    let bad = match &r.experience {
        None => None,
        Some(x) => {
            exactly_one(
                "experience",
                &[
                    ("wait_over_seconds", x.wait_over_seconds.is_some()),
                    ("score_attribute", x.score_attribute.is_some()),
                ],
            )?;
            if let Some(w) = x.wait_over_seconds {
                if w.is_nan() || w < 0.0 {
                    return Err(Error::NegativeTime {
                        path: "experience.wait_over_seconds".into(),
                        value: w.to_string(),
                    });
                }
                Some(Bad::WaitOver((w * 1e9) as i64))
            } else {
                let name = x.score_attribute.as_deref().unwrap_or_default();
                let below = x.below.ok_or_else(|| Error::MissingData {
                    path: "experience.below".into(),
                    what: "the score under which an experience is bad".into(),
                })?;
                Some(Bad::ScoreBelow(
                    numbers(log, "experience.score_attribute", name)?,
                    below,
                ))
            }
        }
    };
    Ok(Rules {
        outcome,
        keys,
        bad,
        before_outcome: r.before_outcome,
    })
}

// Counters per touchpoint.
const TOUCHED: usize = 0;
const TOUCHED_OUT: usize = 1;
const GOOD: usize = 2;
const GOOD_OUT: usize = 3;
const BAD: usize = 4;
const BAD_OUT: usize = 5;

/// The mergeable per-touchpoint counts behind [`MomentsOfTruth`]: touchpoints by name, so that
/// partitions of a log (or logs loaded separately) merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MomentCounts {
    /// Cases whose outcome is known.
    pub cases: u64,
    /// Of those, cases with the outcome.
    pub outcomes: u64,
    /// Cases left out: outcome unknown (no score, no attribute value).
    pub excluded: u64,
    /// Per touchpoint: touched, touched with outcome, good, good with outcome, bad, bad with
    /// outcome (cases).
    pub touchpoints: Vec<(String, [u64; 6])>,
    index: HashMap<String, usize>,
}

impl MomentCounts {
    fn slot(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.index.insert(name.to_string(), self.touchpoints.len());
        self.touchpoints.push((name.to_string(), [0; 6]));
        self.touchpoints.len() - 1
    }

    /// Combines with the counts of other cases.
    pub fn merge(mut self, other: MomentCounts) -> MomentCounts {
        self.cases += other.cases;
        self.outcomes += other.outcomes;
        self.excluded += other.excluded;
        for (name, counts) in other.touchpoints {
            let i = self.slot(&name);
            for (a, b) in self.touchpoints[i].1.iter_mut().zip(counts) {
                *a += b;
            }
        }
        self
    }

    /// The counts as a map from touchpoint name (for comparing partials regardless of order).
    pub fn by_touchpoint(&self) -> HashMap<&str, [u64; 6]> {
        self.touchpoints
            .iter()
            .map(|(n, c)| (n.as_str(), *c))
            .collect()
    }

    /// The counts of cases `cases` of `log` under the request's rules.
    pub fn of_cases(
        log: &EventLog,
        request: &MomentsRequest,
        cases: Range<usize>,
    ) -> Result<MomentCounts> {
        let rules = rules(log, request)?;
        let mut p = MomentCounts::default();
        add(&mut p, &rules, log, cases);
        Ok(p)
    }

    /// The counts of a whole log, on all cores.
    pub fn of_log(log: &EventLog, request: &MomentsRequest) -> Result<MomentCounts> {
        let rules = rules(log, request)?;
        Ok(over_cases(
            log,
            MomentCounts::default,
            |p, log, cases| add(p, &rules, log, cases),
            MomentCounts::merge,
        ))
    }
}

fn add(p: &mut MomentCounts, rules: &Rules<'_>, log: &EventLog, cases: Range<usize>) {
    let names = rules.keys.names();
    let mut slot_of = vec![u32::MAX; names.len()];
    let mut seen: Vec<u32> = Vec::new();
    for c in cases {
        let case = log.case(c);
        let events = case.events();
        let n = events.len();
        if n == 0 {
            continue;
        }
        let (ts, starts) = (case.timestamps(), case.starts());
        let (outcome, cut) = match &rules.outcome {
            Outcome::Activity(a) => {
                let pos = case.activities().iter().position(|x| x == a);
                (Some(pos.is_some()), pos.unwrap_or(n))
            }
            Outcome::Case(col) => {
                let v = match col {
                    Column::Bool(v) => v[c],
                    Column::Integer(v) => v[c].map(|i| i != 0),
                    Column::Number(v) => v[c].map(|x| x != 0.0),
                    _ => None,
                };
                (v, n)
            }
            Outcome::Score(values, t, at_least) => {
                match (0..n)
                    .rev()
                    .find_map(|k| values.get(events.start + k).map(|s| (k, s)))
                {
                    Some((k, s)) => (Some(if *at_least { s >= *t } else { s < *t }), k),
                    None => (None, n),
                }
            }
        };
        let Some(outcome) = outcome else {
            p.excluded += 1;
            continue;
        };
        let cut = if rules.before_outcome { cut } else { n };
        let o = outcome as u64;
        p.cases += 1;
        p.outcomes += o;
        seen.clear();
        for k in 0..cut {
            let e = events.start + k;
            let key = rules.keys.code(e);
            if key == NO_CODE || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            if slot_of[key as usize] == u32::MAX {
                slot_of[key as usize] = p.slot(&names[key as usize]) as u32;
            }
            let counts = &mut p.touchpoints[slot_of[key as usize] as usize].1;
            counts[TOUCHED] += 1;
            counts[TOUCHED_OUT] += o;
            let bad = match &rules.bad {
                None => None,
                Some(Bad::WaitOver(limit)) => {
                    let begin =
                        starts.map_or(ts[k], |s| if s[k] == i64::MIN { ts[k] } else { s[k] });
                    Some(k > 0 && (begin - ts[k - 1]).max(0) > *limit)
                }
                Some(Bad::ScoreBelow(values, below)) => values.get(e).map(|s| s < *below),
            };
            match bad {
                Some(false) => {
                    counts[GOOD] += 1;
                    counts[GOOD_OUT] += o;
                }
                Some(true) => {
                    counts[BAD] += 1;
                    counts[BAD_OUT] += o;
                }
                None => {}
            }
        }
    }
}

/// An outcome rate over some cases, with its Wilson interval (null without cases).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub cases: u64,
    pub outcomes: u64,
    pub rate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// A difference of two rates: Newcombe interval and pooled z-test (null when a side has no cases,
/// or the pooled rate is 0 or 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    pub difference: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub z: Option<f64>,
    pub p_value: Option<f64>,
}

/// The impact of one touchpoint on the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchpointImpact {
    pub touchpoint: String,
    /// Share of cases touching it.
    pub reach: f64,
    pub with: Rate,
    pub without: Rate,
    /// with − without.
    pub presence: Effect,
    /// After a good experience at it (null without `experience`).
    pub good: Option<Rate>,
    pub bad: Option<Rate>,
    /// good − bad.
    pub experience: Option<Effect>,
    /// The ranked difference (presence, or experience with `rank_by: experience`).
    pub impact: Option<f64>,
    /// |impact| × reach.
    pub score: f64,
    /// The ranked difference is significant at `alpha`.
    pub moment_of_truth: bool,
    /// Ids of the declared moments of truth at this touchpoint.
    pub declared: Vec<String>,
}

/// A moment of truth declared in the map, checked against the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclaredMoment {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub touchpoint: Option<String>,
    /// The log touchpoints it stands for (touchpoint id and name, step activities, or channel)
    /// that occur in the data.
    pub observed: Vec<String>,
    /// One of them is flagged as a moment of truth.
    pub confirmed: bool,
}

/// Moments of truth found in a log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MomentsOfTruth {
    /// Cases whose outcome is known.
    pub cases: u64,
    pub outcomes: u64,
    pub outcome_rate: f64,
    /// Cases left out (outcome unknown).
    pub excluded: u64,
    pub alpha: f64,
    pub confidence: f64,
    pub rank_by: RankBy,
    /// By score, highest first (ties by name).
    pub touchpoints: Vec<TouchpointImpact>,
    /// The map's moments of truth (empty without a map).
    pub declared: Vec<DeclaredMoment>,
    /// Touchpoints flagged as moments of truth that no declared moment names (empty without a map).
    pub undeclared: Vec<String>,
}

fn rate(outcomes: u64, cases: u64, z: f64) -> Rate {
    let (lo, hi) = if cases > 0 {
        let (l, h) = stats::wilson(outcomes, cases, z);
        (Some(l), Some(h))
    } else {
        (None, None)
    };
    Rate {
        cases,
        outcomes,
        rate: (cases > 0).then(|| outcomes as f64 / cases as f64),
        ci_low: lo,
        ci_high: hi,
    }
}

fn effect(a: &Rate, b: &Rate, z: f64) -> Effect {
    if a.cases == 0 || b.cases == 0 {
        return Effect {
            difference: None,
            ci_low: None,
            ci_high: None,
            z: None,
            p_value: None,
        };
    }
    let (lo, hi) = stats::newcombe(a.outcomes, a.cases, b.outcomes, b.cases, z);
    let t = stats::two_proportion_z(a.outcomes, a.cases, b.outcomes, b.cases);
    Effect {
        difference: Some(a.outcomes as f64 / a.cases as f64 - b.outcomes as f64 / b.cases as f64),
        ci_low: Some(lo),
        ci_high: Some(hi),
        z: t.map(|t| t.0),
        p_value: t.map(|t| t.1),
    }
}

/// Ranks the touchpoints of merged counts.
pub fn finish(
    counts: &MomentCounts,
    request: &MomentsRequest,
    map: Option<&Map>,
) -> Result<MomentsOfTruth> {
    let z = stats::z_for(request.confidence)?;
    let alpha = stats::check_alpha(request.alpha)?;
    if counts.cases == 0 {
        return Err(Error::MissingData {
            path: "outcome".into(),
            what: "cases with a known outcome (none in the log)".into(),
        });
    }
    if request.rank_by == RankBy::Experience && request.experience.is_none() {
        return Err(Error::MissingData {
            path: "experience".into(),
            what: "an experience rule (rank_by: experience needs one)".into(),
        });
    }
    let (n, o) = (counts.cases, counts.outcomes);
    let declared_at = declared_keys(map, request.touchpoint_attribute.is_some());
    let mut touchpoints: Vec<TouchpointImpact> = counts
        .touchpoints
        .iter()
        .map(|(name, c)| {
            let with = rate(c[TOUCHED_OUT], c[TOUCHED], z);
            let without = rate(o - c[TOUCHED_OUT], n - c[TOUCHED], z);
            let presence = effect(&with, &without, z);
            let (good, bad, experience) = if request.experience.is_some() {
                let (g, b) = (rate(c[GOOD_OUT], c[GOOD], z), rate(c[BAD_OUT], c[BAD], z));
                let e = effect(&g, &b, z);
                (Some(g), Some(b), Some(e))
            } else {
                (None, None, None)
            };
            let ranked = match request.rank_by {
                RankBy::Presence => &presence,
                RankBy::Experience => experience.as_ref().expect("checked above"),
            };
            let reach = c[TOUCHED] as f64 / n as f64;
            TouchpointImpact {
                touchpoint: name.clone(),
                reach,
                impact: ranked.difference,
                score: ranked.difference.map_or(0.0, |d| d.abs() * reach),
                moment_of_truth: ranked.p_value.is_some_and(|p| p < alpha),
                declared: declared_at
                    .iter()
                    .filter(|(_, keys)| keys.contains(name))
                    .map(|(m, _)| m.id.clone())
                    .collect(),
                with,
                without,
                presence,
                good,
                bad,
                experience,
            }
        })
        .collect();
    touchpoints.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.touchpoint.cmp(&b.touchpoint))
    });
    let declared: Vec<DeclaredMoment> = declared_at
        .iter()
        .map(|(m, keys)| {
            let observed: Vec<&TouchpointImpact> = touchpoints
                .iter()
                .filter(|t| keys.contains(&t.touchpoint))
                .collect();
            DeclaredMoment {
                id: m.id.clone(),
                name: m.name.clone(),
                stage: m.stage.clone(),
                touchpoint: m.touchpoint.clone(),
                observed: observed.iter().map(|t| t.touchpoint.clone()).collect(),
                confirmed: observed.iter().any(|t| t.moment_of_truth),
            }
        })
        .collect();
    let undeclared = if map.is_some() {
        touchpoints
            .iter()
            .filter(|t| t.moment_of_truth && t.declared.is_empty())
            .map(|t| t.touchpoint.clone())
            .collect()
    } else {
        Vec::new()
    };
    Ok(MomentsOfTruth {
        cases: n,
        outcomes: o,
        outcome_rate: o as f64 / n as f64,
        excluded: counts.excluded,
        alpha,
        confidence: request.confidence,
        rank_by: request.rank_by,
        touchpoints,
        declared,
        undeclared,
    })
}

struct Declared {
    id: String,
    name: String,
    stage: String,
    touchpoint: Option<String>,
}

/// Each declared moment of truth with the log touchpoints it stands for.
fn declared_keys(map: Option<&Map>, by_channel: bool) -> Vec<(Declared, Vec<String>)> {
    let Some(map) = map else { return Vec::new() };
    let Some(journey) = &map.journey else {
        return Vec::new();
    };
    journey
        .moments_of_truth()
        .map(|(stage, m)| {
            let mut keys = Vec::new();
            if let Some((_, t)) = m.touchpoint.as_deref().and_then(|t| journey.touchpoint(t)) {
                if by_channel {
                    keys.push(t.channel.as_str().to_string());
                } else {
                    keys.push(t.id.clone());
                    keys.push(t.name.clone());
                    for s in map.value_stream.iter().flat_map(|vs| &vs.steps) {
                        if s.touchpoint.as_deref() == Some(t.id.as_str()) {
                            if s.activities.is_empty() {
                                keys.push(s.id.clone());
                                keys.push(s.name.clone());
                            } else {
                                keys.extend(s.activities.iter().cloned());
                            }
                        }
                    }
                }
            }
            (
                Declared {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    stage: stage.id.clone(),
                    touchpoint: m.touchpoint.clone(),
                },
                keys,
            )
        })
        .collect()
}

/// Moments of truth of a log under a request (see the module documentation).
pub fn moments_of_truth(log: &EventLog, request: &MomentsRequest) -> Result<MomentsOfTruth> {
    let map = match &request.map {
        Some(v) => Some(Map::from_json(&v.to_string()).map_err(|e| e.under("map"))?),
        None => None,
    };
    stats::z_for(request.confidence)?;
    stats::check_alpha(request.alpha)?;
    let counts = MomentCounts::of_log(log, request)?;
    finish(&counts, request, map.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{AttrValue, LogBuilder};

    /// 20 cases. "chat" in cases 0..10, 8 of them buy; no chat in 10..20, 2 buy.
    /// Waits: chat after 10 min in cases 0..5 (bad at a 5-minute limit), after 1 min in 5..10;
    /// of the bad ones 3 buy, of the good ones 5.
    fn log() -> EventLog {
        let mut b = LogBuilder::new();
        let m = 60_000_000_000i64;
        for i in 0..20 {
            let c = format!("c{i:02}");
            b.push(&c, "visit", 0).unwrap();
            if i < 10 {
                b.push(&c, "chat", if i < 5 { 10 * m } else { m }).unwrap();
            }
            let buys = (i < 3) || (5..10).contains(&i) || i == 10 || i == 11;
            if buys {
                b.push(&c, "buy", 20 * m).unwrap();
                b.push(&c, "ship", 30 * m).unwrap();
            }
            let code = b.case_code(&c);
            b.set_case_attribute(code, "churned", AttrValue::Bool(!buys));
        }
        b.finish().unwrap()
    }

    #[test]
    fn presence_and_experience_by_hand() {
        let mut r = MomentsRequest::new(OutcomeSpec::activity("buy"));
        r.experience = Some(ExperienceSpec {
            wait_over_seconds: Some(300.0),
            ..ExperienceSpec::default()
        });
        let m = moments_of_truth(&log(), &r).unwrap();
        assert_eq!((m.cases, m.outcomes), (20, 10));
        // Ship follows the purchase: not a touch before the outcome.
        assert!(m.touchpoints.iter().all(|t| t.touchpoint != "ship"));
        let chat = &m.touchpoints[0];
        assert_eq!(chat.touchpoint, "chat");
        assert_eq!((chat.with.outcomes, chat.with.cases), (8, 10));
        assert_eq!((chat.without.outcomes, chat.without.cases), (2, 10));
        assert!((chat.presence.difference.unwrap() - 0.6).abs() < 1e-12);
        assert!((chat.score - 0.6 * 0.5).abs() < 1e-12);
        // Pooled 0.5: z = 0.6 / √(0.25 × 0.2) = 2.683.
        assert!((chat.presence.z.unwrap() - 0.6 / 0.05f64.sqrt()).abs() < 1e-12);
        assert!(chat.moment_of_truth);
        let (g, b) = (chat.good.as_ref().unwrap(), chat.bad.as_ref().unwrap());
        assert_eq!((g.outcomes, g.cases, b.outcomes, b.cases), (5, 5, 3, 5));
        let visit = m
            .touchpoints
            .iter()
            .find(|t| t.touchpoint == "visit")
            .unwrap();
        assert_eq!(visit.reach, 1.0);
        assert_eq!(visit.presence.difference, None); // no case without it
        assert!(!visit.moment_of_truth);
    }

    #[test]
    fn churn_attribute_outcome_and_declared_moments() {
        let mut r = MomentsRequest::new(OutcomeSpec {
            case_attribute: Some("churned".into()),
            ..OutcomeSpec::default()
        });
        r.map = Some(serde_json::json!({
            "journey": {"id": "j", "name": "J", "stages": [
                {"id": "buy", "name": "Buy", "touchpoints": [
                    {"id": "chat", "name": "Live chat", "channel": "chat"},
                    {"id": "visit", "name": "Site", "channel": "web"}],
                 "moments_of_truth": [
                    {"id": "m1", "name": "Help", "kind": "support", "polarity": "positive", "touchpoint": "chat"},
                    {"id": "m2", "name": "Arrive", "kind": "first_impression", "polarity": "positive", "touchpoint": "visit"}]}
            ]}
        }));
        let m = moments_of_truth(&log(), &r).unwrap();
        // Churn = not buying: chat lowers it by 0.6; "buy" and "ship" only occur without churn.
        let chat = m
            .touchpoints
            .iter()
            .find(|t| t.touchpoint == "chat")
            .unwrap();
        assert!((chat.presence.difference.unwrap() + 0.6).abs() < 1e-12);
        assert_eq!(chat.declared, ["m1"]);
        assert_eq!(m.declared.len(), 2);
        assert!(m.declared[0].confirmed && !m.declared[1].confirmed);
        assert_eq!(m.declared[1].observed, ["visit"]);
        assert_eq!(m.undeclared, ["buy", "ship"]);
    }

    #[test]
    fn bad_requests() {
        let mut r = MomentsRequest::new(OutcomeSpec::default());
        let e = moments_of_truth(&log(), &r).unwrap_err();
        assert!(e.to_string().contains("outcome"), "{e}");
        r.outcome = OutcomeSpec {
            score_attribute: Some("nps".into()),
            at_least: Some(9.0),
            ..OutcomeSpec::default()
        };
        let e = moments_of_truth(&log(), &r).unwrap_err();
        assert!(e.to_string().contains("nps"), "{e}");
        let mut r = MomentsRequest::new(OutcomeSpec::activity("buy"));
        r.rank_by = RankBy::Experience;
        assert!(moments_of_truth(&log(), &r)
            .unwrap_err()
            .to_string()
            .contains("experience"));
        let e = moments_of_truth(
            &LogBuilder::new().finish().unwrap(),
            &MomentsRequest::new(OutcomeSpec::activity("buy")),
        )
        .unwrap_err();
        assert!(e.to_string().contains("not an activity of the log"), "{e}");
    }
}
