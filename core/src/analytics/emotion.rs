//! The emotion curve of a journey from data: survey or sentiment scores attached to events
//! (a number event attribute), averaged per stage, with pain points flagged.
//!
//! An event's stage comes from a text attribute (`stage_attribute`, `stage` by default) or from a
//! map's activities and touchpoints (see [`StageSource`]); scored events without a stage are
//! counted as `excluded`. Per stage: the number of scores, mean, sample standard deviation and the
//! normal interval `mean ± z·s/√n`; and a one-sided Welch z-test of the stage against the scores
//! of all other stages, `z = (m − m_rest) / √(s²/n + s_rest²/n_rest)`, `p = Φ(z)`. A stage is a pain
//! point when its mean is below `threshold` (when given) or it is significantly below the rest
//! (`p < alpha`).
//!
//! With a map, stages come in journey order (stages without scores included, with null means), and
//! each stage's declared emotion — the mean of its touchpoints' `emotion` values — is compared with
//! the observed mean, rescaled linearly from `scale` (the scores' scale) to the journey's emotion
//! scale when `scale` is given. Without a map, stages are in `order`, then by name. With `scale`,
//! a score outside it is an error naming the case, event and value.
//!
//! ```
//! use journeystream::analytics::emotion::{emotion_curve, EmotionRequest};
//! use journeystream::log::{AttrValue, LogBuilder};
//! let mut b = LogBuilder::new();
//! for (i, (stage, score)) in [("buy", 4), ("buy", 5), ("support", 1), ("support", 2)].iter().enumerate() {
//!     let e = b.push(&format!("c{i}"), "survey", 0)?;
//!     b.set_event_attribute(e, "stage", AttrValue::Text(stage));
//!     b.set_event_attribute(e, "score", AttrValue::Integer(*score));
//! }
//! let mut request = EmotionRequest::new("score");
//! request.threshold = Some(3.0);
//! let curve = emotion_curve(&b.finish().unwrap(), &request)?;
//! assert_eq!(curve.stages[1].mean, Some(1.5));
//! assert_eq!(curve.pain_points, ["support"]);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::partial::over_cases;
use super::scores::{event_location, numbers, Numbers};
use super::stage::{event_stages, StageSource};
use super::stats::{self, Moments};
use crate::error::{Error, Result};
use crate::log::{EventLog, NO_CODE};
use crate::model::Map;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;

/// An inclusive score scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The lowest score.
    pub min: f64,
    /// The highest score.
    pub max: f64,
}

/// An `emotion_curve` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmotionRequest {
    /// The number event attribute holding scores (`score`).
    #[serde(default = "default_attribute")]
    pub score_attribute: String,
    /// Only scores on events of this activity.
    #[serde(default)]
    pub activity: Option<String>,
    /// The text event attribute holding the stage (`stage` when neither this nor `map` is given).
    #[serde(default)]
    pub stage_attribute: Option<String>,
    /// A map document: stages of activities (without `stage_attribute`), stage order and declared
    /// emotions.
    #[serde(default)]
    pub map: Option<Value>,
    /// Stages listed first, in this order (without a map).
    #[serde(default)]
    pub order: Vec<String>,
    /// The scores' scale: scores outside it are errors; observed means are rescaled from it to
    /// the map's emotion scale.
    #[serde(default)]
    pub scale: Option<Scale>,
    /// Stages with a mean below this are pain points.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Significance level of "below the rest" (0.05).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Confidence level of the intervals (0.95).
    #[serde(default = "default_confidence")]
    pub confidence: f64,
}

fn default_attribute() -> String {
    "score".into()
}
fn default_alpha() -> f64 {
    0.05
}
fn default_confidence() -> f64 {
    0.95
}

impl EmotionRequest {
    /// A request reading scores from `score_attribute`, stages from `stage`, default options.
    pub fn new(score_attribute: &str) -> EmotionRequest {
        EmotionRequest {
            score_attribute: score_attribute.into(),
            activity: None,
            stage_attribute: None,
            map: None,
            order: Vec::new(),
            scale: None,
            threshold: None,
            alpha: default_alpha(),
            confidence: default_confidence(),
        }
    }

    fn parsed_map(&self) -> Result<Option<Map>> {
        self.map
            .as_ref()
            .map(|v| Map::from_json(&v.to_string()).map_err(|e| e.under("map")))
            .transpose()
    }

    fn source(&self, map: Option<&Map>) -> StageSource {
        match (&self.stage_attribute, map) {
            (Some(a), _) => StageSource::Attribute(a.clone()),
            (None, Some(m)) => StageSource::from_map(m),
            (None, None) => StageSource::Attribute("stage".into()),
        }
    }
}

/// The mergeable partial of an emotion curve: score moments per stage (by name), and the scored
/// events without a stage.
#[derive(Debug, Clone, Default)]
pub struct EmotionPartial {
    stages: Vec<(String, Moments)>,
    index: HashMap<String, usize>,
    excluded: u64,
    /// The first bad score: (case index, error).
    error: Option<(usize, Error)>,
}

impl EmotionPartial {
    fn slot(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.index.insert(name.to_string(), self.stages.len());
        self.stages.push((name.to_string(), Moments::default()));
        self.stages.len() - 1
    }

    /// Combines with the partial of other cases.
    pub fn merge(mut self, other: EmotionPartial) -> EmotionPartial {
        for (name, m) in other.stages {
            let i = self.slot(&name);
            self.stages[i].1 = self.stages[i].1.merge(m);
        }
        self.excluded += other.excluded;
        self.error = match (self.error, other.error) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        self
    }

    /// Score moments by stage name.
    pub fn by_stage(&self) -> HashMap<&str, Moments> {
        self.stages.iter().map(|(s, m)| (s.as_str(), *m)).collect()
    }

    /// The partial of cases `cases` of `log`.
    pub fn of_cases(
        log: &EventLog,
        request: &EmotionRequest,
        cases: Range<usize>,
    ) -> Result<EmotionPartial> {
        let map = request.parsed_map()?;
        let scan = Scan::new(log, request, map.as_ref())?;
        let mut p = EmotionPartial::default();
        scan.add(&mut p, log, cases);
        Ok(p)
    }

    /// The partial of a whole log, on all cores.
    pub fn of_log(log: &EventLog, request: &EmotionRequest) -> Result<EmotionPartial> {
        let map = request.parsed_map()?;
        Self::of_log_with(log, request, map.as_ref())
    }

    fn of_log_with(
        log: &EventLog,
        request: &EmotionRequest,
        map: Option<&Map>,
    ) -> Result<EmotionPartial> {
        let scan = Scan::new(log, request, map)?;
        Ok(over_cases(
            log,
            EmotionPartial::default,
            |p, log, cases| scan.add(p, log, cases),
            EmotionPartial::merge,
        ))
    }
}

struct Scan<'a> {
    scores: Numbers<'a>,
    attribute: &'a str,
    names: Vec<String>,
    codes: Vec<u32>,
    only: Option<u32>,
    scale: Option<Scale>,
}

impl<'a> Scan<'a> {
    fn new(log: &'a EventLog, request: &'a EmotionRequest, map: Option<&Map>) -> Result<Scan<'a>> {
        let scores = numbers(log, "score_attribute", &request.score_attribute)?;
        let (names, codes) = if log.num_events() == 0 {
            (Vec::new(), Vec::new())
        } else {
            event_stages(log, &request.source(map))?
        };
        let only = match &request.activity {
            Some(a) => Some(log.activity_code(a, "activity")?),
            None => None,
        };
        if let Some(s) = request.scale {
            if s.min.is_nan() || s.max.is_nan() || s.min >= s.max {
                return Err(Error::invalid(
                    "scale",
                    format!("{}..{}", s.min, s.max),
                    "needs min below max",
                ));
            }
        }
        Ok(Scan {
            scores,
            attribute: &request.score_attribute,
            names,
            codes,
            only,
            scale: request.scale,
        })
    }

    fn add(&self, p: &mut EmotionPartial, log: &EventLog, cases: Range<usize>) {
        let mut slot = vec![usize::MAX; self.names.len()];
        for c in cases {
            for e in log.case(c).events() {
                if self.only.is_some_and(|a| log.activity[e] != a) {
                    continue;
                }
                let Some(score) = self.scores.get(e) else {
                    continue;
                };
                if let Some(s) = self.scale {
                    if !(score >= s.min && score <= s.max) {
                        if p.error.is_none() {
                            p.error = Some((
                                c,
                                Error::Input {
                                    location: event_location(log, c, e),
                                    field: Some(self.attribute.to_string()),
                                    value: Some(score.to_string()),
                                    message: format!(
                                        "score {score} is outside the scale {}..{}",
                                        s.min, s.max
                                    ),
                                },
                            ));
                        }
                        return;
                    }
                }
                let code = self.codes[e];
                if code == NO_CODE {
                    p.excluded += 1;
                    continue;
                }
                if slot[code as usize] == usize::MAX {
                    slot[code as usize] = p.slot(&self.names[code as usize]);
                }
                p.stages[slot[code as usize]].1.push(score);
            }
        }
    }
}

/// The emotion of one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageEmotion {
    pub stage: String,
    /// Scores.
    pub n: u64,
    /// Null without scores.
    pub mean: Option<f64>,
    pub stdev: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Welch z of the stage against all other stages' scores (null without two scores on each side).
    pub z: Option<f64>,
    /// One-sided p of "below the rest".
    pub p_value: Option<f64>,
    pub below_threshold: bool,
    pub significantly_below: bool,
    pub pain_point: bool,
    /// The map's emotion for the stage: the mean of its touchpoints' emotions.
    pub declared: Option<f64>,
    /// The observed mean on the map's emotion scale (rescaled from `scale` when given).
    pub observed: Option<f64>,
    /// observed − declared.
    pub gap: Option<f64>,
}

/// A journey's emotion curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmotionCurve {
    /// All scores with a stage.
    pub n: u64,
    pub mean: f64,
    pub stdev: Option<f64>,
    pub confidence: f64,
    pub alpha: f64,
    pub threshold: Option<f64>,
    /// In stage order.
    pub stages: Vec<StageEmotion>,
    /// Stages flagged as pain points, in stage order.
    pub pain_points: Vec<String>,
    /// Scored events without a stage.
    pub excluded: u64,
}

/// The emotion curve of a log (see the module documentation).
pub fn emotion_curve(log: &EventLog, request: &EmotionRequest) -> Result<EmotionCurve> {
    let z = stats::z_for(request.confidence)?;
    let alpha = stats::check_alpha(request.alpha)?;
    let map = request.parsed_map()?;
    let partial = EmotionPartial::of_log_with(log, request, map.as_ref())?;
    if let Some((_, e)) = partial.error {
        return Err(e);
    }
    let all = partial
        .stages
        .iter()
        .fold(Moments::default(), |a, (_, m)| a.merge(*m));
    if all.n == 0 {
        return Err(Error::MissingData {
            path: "score_attribute".into(),
            what: format!(
                "scores: no event with a stage has a '{}' value",
                request.score_attribute
            ),
        });
    }
    let journey = map.as_ref().and_then(|m| m.journey.as_ref());
    // Stage order: the map's, else `order` then name; map stages are listed even without scores.
    let mut order: Vec<(String, Option<f64>)> = Vec::new();
    let by_stage = partial.by_stage();
    if let Some(j) = journey {
        for s in &j.stages {
            let emotions: Vec<f64> = s.touchpoints.iter().filter_map(|t| t.emotion).collect();
            let declared = (!emotions.is_empty())
                .then(|| emotions.iter().sum::<f64>() / emotions.len() as f64);
            order.push((s.id.clone(), declared));
        }
        // Attribute values may name stages by name rather than id.
        let known: Vec<String> = order.iter().map(|o| o.0.clone()).collect();
        let mut extra: Vec<&str> = by_stage
            .keys()
            .copied()
            .filter(|k| !known.iter().any(|id| id == k) && !j.stages.iter().any(|s| s.name == *k))
            .collect();
        extra.sort_unstable();
        order.extend(extra.into_iter().map(|s| (s.to_string(), None)));
    } else {
        let mut names: Vec<&str> = by_stage.keys().copied().collect();
        let place = |s: &str| {
            request
                .order
                .iter()
                .position(|o| o == s)
                .unwrap_or(usize::MAX)
        };
        names.sort_by(|a, b| place(a).cmp(&place(b)).then_with(|| a.cmp(b)));
        order.extend(names.into_iter().map(|s| (s.to_string(), None)));
    }
    let moments_of = |id: &str| -> Moments {
        let mut m = by_stage.get(id).copied().unwrap_or_default();
        if let Some(s) = journey.and_then(|j| j.stage(id)) {
            if s.name != id {
                m = m.merge(by_stage.get(s.name.as_str()).copied().unwrap_or_default());
            }
        }
        m
    };
    let emotion_scale = journey.map(|j| j.emotion_scale);
    let rescale = |x: f64| match (request.scale, emotion_scale) {
        (Some(from), Some(to)) => {
            to.min + (x - from.min) / (from.max - from.min) * (to.max - to.min)
        }
        _ => x,
    };
    let stages: Vec<StageEmotion> = order
        .into_iter()
        .map(|(stage, declared)| {
            let m = moments_of(&stage);
            let mean = (m.n > 0).then_some(m.mean);
            let stdev = m.stdev();
            let se = stdev.map(|s| s / (m.n as f64).sqrt());
            // The rest: all scores minus this stage's (by the moments' algebra).
            let rest = remove(all, m);
            let (zs, p) = match (
                m.variance(),
                rest.and_then(|r| r.variance().map(|v| (r, v))),
            ) {
                (Some(v), Some((r, rv))) => {
                    let se = (v / m.n as f64 + rv / r.n as f64).sqrt();
                    if se > 0.0 {
                        let zs = (m.mean - r.mean) / se;
                        (Some(zs), Some(stats::norm_cdf(zs)))
                    } else {
                        (None, None)
                    }
                }
                _ => (None, None),
            };
            let below_threshold = matches!((mean, request.threshold), (Some(x), Some(t)) if x < t);
            let significantly_below = p.is_some_and(|p| p < alpha);
            let observed = mean.filter(|_| journey.is_some()).map(rescale);
            StageEmotion {
                stage,
                n: m.n,
                mean,
                stdev,
                ci_low: se.map(|se| m.mean - z * se),
                ci_high: se.map(|se| m.mean + z * se),
                z: zs,
                p_value: p,
                below_threshold,
                significantly_below,
                pain_point: below_threshold || significantly_below,
                declared,
                observed,
                gap: observed.zip(declared).map(|(o, d)| o - d),
            }
        })
        .collect();
    Ok(EmotionCurve {
        n: all.n,
        mean: all.mean,
        stdev: all.stdev(),
        confidence: request.confidence,
        alpha,
        threshold: request.threshold,
        pain_points: stages
            .iter()
            .filter(|s| s.pain_point)
            .map(|s| s.stage.clone())
            .collect(),
        stages,
        excluded: partial.excluded,
    })
}

/// The moments of `all` without the part `part` (the inverse of [`Moments::merge`]); none when
/// nothing is left.
fn remove(all: Moments, part: Moments) -> Option<Moments> {
    let n = all.n.checked_sub(part.n).filter(|&n| n > 0)?;
    let mean = (all.mean * all.n as f64 - part.mean * part.n as f64) / n as f64;
    let d = part.mean - mean;
    let m2 = all.m2 - part.m2 - d * d * (part.n as f64 * n as f64 / all.n as f64);
    Some(Moments {
        n,
        mean,
        m2: m2.max(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{AttrValue, LogBuilder};

    fn log(rows: &[(&str, &str, Option<i64>)]) -> EventLog {
        let mut b = LogBuilder::new();
        for (i, (activity, stage, score)) in rows.iter().enumerate() {
            let e = b.push(&format!("c{}", i % 3), activity, i as i64).unwrap();
            if !stage.is_empty() {
                b.set_event_attribute(e, "stage", AttrValue::Text(stage));
            }
            if let Some(s) = score {
                b.set_event_attribute(e, "score", AttrValue::Integer(*s));
            }
        }
        b.finish().unwrap()
    }

    /// Hand computation: awareness 4, 5, 4, 5 (mean 4.5, s² 1/3); support 1, 2, 1, 2 (mean 1.5,
    /// s² 1/3); one unscored and one unstaged event. Support vs rest: z = −3 / √(1/12 + 1/12).
    #[test]
    fn means_intervals_and_pain_points_by_hand() {
        let rows = [
            ("ad", "awareness", Some(4)),
            ("ad", "awareness", Some(5)),
            ("ad", "awareness", Some(4)),
            ("ad", "awareness", Some(5)),
            ("help", "support", Some(1)),
            ("help", "support", Some(2)),
            ("help", "support", Some(1)),
            ("help", "support", Some(2)),
            ("help", "support", None),
            ("x", "", Some(3)),
        ];
        let mut r = EmotionRequest::new("score");
        r.order = vec!["support".into()];
        let c = emotion_curve(&log(&rows), &r).unwrap();
        assert_eq!((c.n, c.mean, c.excluded), (8, 3.0, 1));
        assert_eq!(c.stages[0].stage, "support");
        let s = &c.stages[0];
        assert_eq!((s.n, s.mean), (4, Some(1.5)));
        let se = (1.0f64 / 3.0 / 4.0).sqrt();
        assert!((s.ci_low.unwrap() - (1.5 - 1.959963984540054 * se)).abs() < 1e-12);
        let z = -3.0 / (2.0f64 / 12.0).sqrt();
        assert!((s.z.unwrap() - z).abs() < 1e-9);
        assert!(s.significantly_below && s.pain_point && !s.below_threshold);
        assert!(!c.stages[1].pain_point);
        assert_eq!(c.pain_points, ["support"]);
    }

    #[test]
    fn declared_emotions_from_a_map_and_scale_errors() {
        let rows = [
            ("ad", "", Some(5)),
            ("ad", "", Some(4)),
            ("help", "", Some(1)),
            ("help", "", Some(2)),
        ];
        let mut r = EmotionRequest::new("score");
        r.scale = Some(Scale { min: 1.0, max: 5.0 });
        r.map = Some(
            serde_json::json!({"journey": {"id": "j", "name": "J", "stages": [
                {"id": "aware", "name": "Aware", "touchpoints": [{"id": "ad", "name": "Ad", "channel": "web", "emotion": 1}]},
                {"id": "care", "name": "Care", "touchpoints": [
                    {"id": "help", "name": "Help desk", "channel": "phone", "emotion": -1},
                    {"id": "faq", "name": "FAQ", "channel": "web", "emotion": 0}]},
                {"id": "leave", "name": "Leave"}
            ]}}),
        );
        let c = emotion_curve(&log(&rows), &r).unwrap();
        let ids: Vec<&str> = c.stages.iter().map(|s| s.stage.as_str()).collect();
        assert_eq!(ids, ["aware", "care", "leave"]);
        // Aware: mean 4.5 on 1..5 → 1.5 on -2..2; declared 1. Help: 1.5 → -1.5; declared -0.5.
        assert_eq!(
            (c.stages[0].observed, c.stages[0].gap),
            (Some(1.5), Some(0.5))
        );
        assert_eq!(
            (c.stages[1].declared, c.stages[1].gap),
            (Some(-0.5), Some(-1.0))
        );
        assert_eq!((c.stages[2].n, c.stages[2].mean), (0, None));
        r.scale = Some(Scale { min: 1.0, max: 4.0 });
        let e = emotion_curve(&log(&rows), &r).unwrap_err();
        assert_eq!(
            e.to_string(),
            "case 'c0', event 1, field 'score': score 5 is outside the scale 1..4"
        );
        let e = emotion_curve(&log(&[("a", "s", None)]), &EmotionRequest::new("score"));
        assert!(e.unwrap_err().to_string().contains("score"));
    }
}
