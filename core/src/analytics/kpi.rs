//! Customer KPIs with confidence intervals, overall and per segment (persona, channel, stage ...).
//!
//! | metric | value | interval |
//! | --- | --- | --- |
//! | `nps` | % promoters (9–10) − % detractors (0–6) of 0–10 scores, in points (−100..100) | adjusted Wald (default) or Wald, on `Var = (p₊ + p₋ − (p₊ − p₋)²)/n` |
//! | `csat` | share of 4–5 answers on 1–5 | Wilson |
//! | `ces` | `ces_method` `mean` (default): mean score on 1–`ces_scale` (7 default, or 5); `top_box`: share of 5–7 of 7, 4–5 of 5 | mean ± z·s/√n; Wilson |
//! | `churn_rate` | lost ÷ customers at start | Wilson |
//! | `retention_rate` | (customers at end − new) ÷ customers at start | Wilson |
//! | `repeat_purchase_rate` | customers with more than one purchase ÷ customers with one or more | Wilson |
//! | `resolution_time` | mean seconds, with `percentiles` (0.5, 0.9, 0.95 by default) | mean ± z·s/√n |
//! | `sla` | share of resolution times ≤ `target_seconds` | Wilson |
//! | `conversion` | share of cases (with a `from_activity` event, when given) that reach `to_activity` (after it) | Wilson |
//!
//! Shares are fractions (0..1); the NPS is in points. Data come in the request (`scores` with
//! optional `segments` labels, `counts` rows, `durations` in seconds) or from an event log: scores
//! from a number event attribute (`score_attribute`, `score` by default), optionally only on
//! events of `activity`; resolution times per case, first to last event or from the first
//! `from_activity` to the first `to_activity` after it; purchases per case as events of
//! `purchase_activity`; conversion per case from a log only. `segment_by` names a case attribute, else an event attribute (read at the
//! scored event, or at the case's first event for per-case KPIs).
//!
//! A score outside its scale, or not a whole number, is an error naming its index (or case and
//! event) and value; no data at all is an error, never NaN.
//!
//! ```
//! use journeystream::analytics::kpi::{kpi, KpiRequest, Metric};
//! let mut request = KpiRequest::new(Metric::Nps);
//! request.scores = Some(vec![10.0, 9.0, 9.0, 8.0, 7.0, 6.0, 3.0, 10.0, 9.0, 5.0].into());
//! let result = kpi(&request, None)?;
//! assert_eq!(result.overall.value, 20.0); // 5 promoters, 3 detractors of 10
//! assert!(result.overall.ci_low.unwrap() < 20.0 && 20.0 < result.overall.ci_high.unwrap());
//! let mut bad = KpiRequest::new(Metric::Csat);
//! bad.scores = Some(vec![5.0, 6.0].into());
//! assert!(kpi(&bad, None).unwrap_err().to_string().contains("scores[1]"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::bulk::{self, each_slice, Number};
use super::partial::over_cases;
use super::scores::{event_location, numbers, Labels, Numbers};
use super::stats::{self, NetInterval};
use crate::error::{Error, Result};
use crate::log::calendar::Calendar;
use crate::log::{EventLog, Timestamp};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A customer KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Net Promoter Score, points.
    Nps,
    /// Share of 4–5 answers on 1–5.
    Csat,
    /// Customer effort score: mean or top-box share.
    Ces,
    /// Lost ÷ customers at start.
    ChurnRate,
    /// (End − new) ÷ start.
    RetentionRate,
    /// Customers with more than one purchase ÷ customers with one or more.
    RepeatPurchaseRate,
    /// Mean seconds, with percentiles.
    ResolutionTime,
    /// Share resolved within the target.
    Sla,
    /// Share of cases reaching `to_activity` (after `from_activity` when given).
    Conversion,
}

impl Metric {
    /// The name used in requests (`"churn_rate"`).
    pub fn name(self) -> &'static str {
        match self {
            Metric::Nps => "nps",
            Metric::Csat => "csat",
            Metric::Ces => "ces",
            Metric::ChurnRate => "churn_rate",
            Metric::RetentionRate => "retention_rate",
            Metric::RepeatPurchaseRate => "repeat_purchase_rate",
            Metric::ResolutionTime => "resolution_time",
            Metric::Sla => "sla",
            Metric::Conversion => "conversion",
        }
    }
}

/// How the CES is summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CesMethod {
    /// The mean score.
    #[default]
    Mean,
    /// The share of top-box answers: 5–7 of 7, 4–5 of 5.
    TopBox,
}

/// Counts behind a rate KPI, for one segment (or all when `segment` is absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRow {
    #[serde(default)]
    pub segment: Option<String>,
    /// Customers at the start of the period (churn and retention rate).
    #[serde(default)]
    pub start: Option<u64>,
    /// Customers lost in the period (churn rate).
    #[serde(default)]
    pub lost: Option<u64>,
    /// Customers at the end of the period (retention rate).
    #[serde(default)]
    pub end: Option<u64>,
    /// New customers in the period (retention rate).
    #[serde(default)]
    pub new: Option<u64>,
    /// Customers with one purchase or more (repeat purchase rate).
    #[serde(default)]
    pub customers: Option<u64>,
    /// Customers with more than one purchase (repeat purchase rate).
    #[serde(default)]
    pub repeat: Option<u64>,
}

/// A `kpi` request: the metric, its data (in the request or from a log) and options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiRequest {
    pub metric: Metric,
    /// Survey scores (nps, csat, ces), of any integer or float type.
    #[serde(default)]
    pub scores: Option<bulk::Numbers>,
    /// A segment label per score.
    #[serde(default)]
    pub segments: Option<Vec<String>>,
    /// Counts per segment (churn, retention and repeat purchase rate).
    #[serde(default)]
    pub counts: Option<Vec<CountRow>>,
    /// Resolution times in seconds (resolution_time, sla).
    #[serde(default)]
    pub durations: Option<Vec<f64>>,
    /// The number event attribute holding scores (`score` when absent).
    #[serde(default)]
    pub score_attribute: Option<String>,
    /// Only scores on events of this activity (all events when absent).
    #[serde(default)]
    pub activity: Option<String>,
    /// The purchase activity (repeat purchase rate from a log).
    #[serde(default)]
    pub purchase_activity: Option<String>,
    /// Resolution time from the first event of this activity (the case's first event when absent).
    #[serde(default)]
    pub from_activity: Option<String>,
    /// ... to the first event of this activity after it (the case's last event when absent).
    #[serde(default)]
    pub to_activity: Option<String>,
    /// A case or event attribute to segment log data by.
    #[serde(default)]
    pub segment_by: Option<String>,
    /// Confidence level of the intervals (0.95).
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// The NPS interval (adjusted Wald).
    #[serde(default)]
    pub nps_interval: NetInterval,
    #[serde(default)]
    pub ces_method: CesMethod,
    /// The CES scale's top: 7 (1–7) or 5 (1–5).
    #[serde(default = "default_ces_scale")]
    pub ces_scale: u8,
    /// Percentiles of resolution time, as fractions (0.5, 0.9, 0.95).
    #[serde(default = "default_percentiles")]
    pub percentiles: Vec<f64>,
    /// The SLA's resolution time target, seconds.
    #[serde(default)]
    pub target_seconds: Option<f64>,
}

/// Where a KPI's data come from in an event log (the request fields of the same names).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogSource {
    /// The number event attribute holding scores (`score` when absent).
    pub score_attribute: Option<String>,
    /// Only scores on events of this activity (all events when absent).
    pub activity: Option<String>,
    /// The purchase activity (repeat purchase rate).
    pub purchase_activity: Option<String>,
    /// Resolution time from the first event of this activity (the case's first event when absent).
    pub from_activity: Option<String>,
    /// ... to the first event of this activity after it (the case's last event when absent).
    pub to_activity: Option<String>,
}

/// Options of the KPIs (the request fields of the same names).
#[derive(Debug, Clone, PartialEq)]
pub struct KpiOptions {
    /// Confidence level of the intervals (0.95).
    pub confidence: f64,
    /// The NPS interval (adjusted Wald).
    pub nps_interval: NetInterval,
    pub ces_method: CesMethod,
    /// The CES scale's top: 7 (1–7) or 5 (1–5).
    pub ces_scale: u8,
    /// Percentiles of resolution time, as fractions (0.5, 0.9, 0.95).
    pub percentiles: Vec<f64>,
    /// The SLA's resolution time target, seconds.
    pub target_seconds: Option<f64>,
}

fn default_confidence() -> f64 {
    0.95
}
fn default_ces_scale() -> u8 {
    7
}
fn default_percentiles() -> Vec<f64> {
    vec![0.5, 0.9, 0.95]
}

impl Default for KpiOptions {
    fn default() -> Self {
        KpiOptions {
            confidence: default_confidence(),
            nps_interval: NetInterval::default(),
            ces_method: CesMethod::default(),
            ces_scale: default_ces_scale(),
            percentiles: default_percentiles(),
            target_seconds: None,
        }
    }
}

impl KpiRequest {
    /// A request for `metric` with no data and default options.
    pub fn new(metric: Metric) -> KpiRequest {
        KpiRequest {
            metric,
            scores: None,
            segments: None,
            counts: None,
            durations: None,
            score_attribute: None,
            activity: None,
            purchase_activity: None,
            from_activity: None,
            to_activity: None,
            segment_by: None,
            confidence: default_confidence(),
            nps_interval: NetInterval::default(),
            ces_method: CesMethod::default(),
            ces_scale: default_ces_scale(),
            percentiles: default_percentiles(),
            target_seconds: None,
        }
    }

    /// The log fields of the request.
    pub fn source(&self) -> LogSource {
        LogSource {
            score_attribute: self.score_attribute.clone(),
            activity: self.activity.clone(),
            purchase_activity: self.purchase_activity.clone(),
            from_activity: self.from_activity.clone(),
            to_activity: self.to_activity.clone(),
        }
    }

    /// The options of the request.
    pub fn options(&self) -> KpiOptions {
        KpiOptions {
            confidence: self.confidence,
            nps_interval: self.nps_interval,
            ces_method: self.ces_method,
            ces_scale: self.ces_scale,
            percentiles: self.percentiles.clone(),
            target_seconds: self.target_seconds,
        }
    }
}

/// A percentile of resolution time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Percentile {
    /// The fraction (0.9 for the 90th percentile).
    pub q: f64,
    /// Seconds.
    pub value: f64,
}

/// A KPI over one segment (or over all data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiEstimate {
    /// The segment label; null for the overall estimate and for data without a label.
    pub segment: Option<String>,
    /// Observations: answers, customers at start, customers, cases.
    pub n: u64,
    /// The KPI: points for the NPS, a fraction for shares, the mean score for a CES mean,
    /// seconds for resolution time.
    pub value: f64,
    /// The interval; null where undefined (a mean of one value).
    pub ci_low: Option<f64>,
    /// The interval's upper end.
    pub ci_high: Option<f64>,
    /// Standard error of the interval's method (NPS, means); null for Wilson intervals.
    pub standard_error: Option<f64>,
    /// The counted observations of a share (4–5 answers, lost customers, resolved in time ...).
    pub successes: Option<u64>,
    /// NPS: answers 9–10.
    pub promoters: Option<u64>,
    /// NPS: answers 7–8.
    pub passives: Option<u64>,
    /// NPS: answers 0–6.
    pub detractors: Option<u64>,
    /// Sample standard deviation of means (scores, seconds).
    pub stdev: Option<f64>,
    /// Percentiles of resolution time (empty for other KPIs).
    pub percentiles: Vec<Percentile>,
}

/// A KPI overall and per segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiResult {
    pub metric: Metric,
    /// The confidence level of the intervals.
    pub confidence: f64,
    /// The interval method: `wilson`, `adjusted_wald`, `wald` or `normal` (mean ± z·s/√n).
    pub interval: String,
    pub overall: KpiEstimate,
    /// Per segment, by label (the unlabelled last); empty without segments.
    pub segments: Vec<KpiEstimate>,
    /// Log data left out: cases without the activities of a resolution time, events of
    /// `activity` without a score.
    pub excluded: u64,
}

/// The data of one group, from which its estimate is computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Sample {
    /// Counts of each whole score 0..=10.
    Scores([u64; 11]),
    /// Successes of n.
    Share(u64, u64),
    /// Seconds.
    Durations(Vec<f64>),
}

impl Sample {
    pub(crate) fn merge(&mut self, other: &Sample) {
        match (self, other) {
            (Sample::Scores(a), Sample::Scores(b)) => {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b)
            }
            (Sample::Share(x, n), Sample::Share(y, m)) => {
                *x += y;
                *n += m;
            }
            (Sample::Durations(a), Sample::Durations(b)) => a.extend_from_slice(b),
            _ => unreachable!("samples of one KPI have one kind"),
        }
    }

    /// Why this sample cannot be one of `metric` (read from bytes), if it cannot.
    pub(crate) fn check(&self, metric: Metric) -> std::result::Result<(), String> {
        let kind = match metric {
            Metric::Nps | Metric::Csat | Metric::Ces => "scores",
            Metric::ResolutionTime => "durations",
            _ => "share",
        };
        match self {
            Sample::Scores(_) if kind == "scores" => Ok(()),
            Sample::Share(x, n) if kind == "share" || metric == Metric::Sla => {
                if x <= n {
                    Ok(())
                } else {
                    Err(format!("counts {x} successes of {n}"))
                }
            }
            Sample::Durations(d) if kind == "durations" || metric == Metric::Sla => {
                match d.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                    Some(v) => Err(format!("holds the duration {v}")),
                    None => Ok(()),
                }
            }
            _ => Err(format!("is not of {}'s kind ({kind})", metric.name())),
        }
    }

    fn n(&self) -> u64 {
        match self {
            Sample::Scores(t) => t.iter().sum(),
            Sample::Share(_, n) => *n,
            Sample::Durations(d) => d.len() as u64,
        }
    }

    /// The individual values (scores or seconds), for the bootstrap.
    pub(crate) fn values(&self) -> Vec<f64> {
        match self {
            Sample::Scores(t) => (0..=10)
                .flat_map(|v| std::iter::repeat(v as f64).take(t[v] as usize))
                .collect(),
            Sample::Share(x, n) => {
                let mut v = vec![1.0; *x as usize];
                v.resize(*n as usize, 0.0);
                v
            }
            Sample::Durations(d) => d.clone(),
        }
    }
}

/// What a group of data is: its calendar period (when grouped by period) and its segment label
/// (None: no label).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Key {
    pub(crate) period: Option<i64>,
    pub(crate) segment: Option<String>,
}

impl Key {
    fn segment(segment: Option<String>) -> Key {
        Key {
            period: None,
            segment,
        }
    }
}

/// Groups of data by key, in first-seen order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Groups {
    pub(crate) groups: Vec<(Key, Sample)>,
    index: HashMap<Key, usize>,
    pub(crate) excluded: u64,
}

impl Groups {
    pub(crate) fn entry(&mut self, label: Key, empty: impl FnOnce() -> Sample) -> &mut Sample {
        let i = match self.index.get(&label) {
            Some(&i) => i,
            None => {
                self.index.insert(label.clone(), self.groups.len());
                self.groups.push((label, empty()));
                self.groups.len() - 1
            }
        };
        &mut self.groups[i].1
    }

    pub(crate) fn merge(mut self, other: Groups) -> Groups {
        for (label, sample) in other.groups {
            match self.index.get(&label) {
                Some(&i) => self.groups[i].1.merge(&sample),
                None => {
                    self.index.insert(label.clone(), self.groups.len());
                    self.groups.push((label, sample));
                }
            }
        }
        self.excluded += other.excluded;
        self
    }

    /// All groups merged, or None when there are none.
    pub(crate) fn total(&self) -> Option<Sample> {
        let mut it = self.groups.iter();
        let mut total = it.next()?.1.clone();
        it.for_each(|(_, s)| total.merge(s));
        Some(total)
    }

    /// The group with this segment label.
    pub(crate) fn get(&self, label: &str) -> Option<&Sample> {
        self.index
            .get(&Key::segment(Some(label.to_string())))
            .map(|&i| &self.groups[i].1)
    }
}

/// The scale of a score KPI: (min, max, the score counted as a success from).
fn scale(metric: Metric, options: &KpiOptions) -> Result<(u8, u8)> {
    match metric {
        Metric::Nps => Ok((0, 10)),
        Metric::Csat => Ok((1, 5)),
        Metric::Ces => match options.ces_scale {
            5 | 7 => Ok((1, options.ces_scale)),
            other => Err(Error::argument(
                "ces_scale",
                other,
                "must be 5 (a 1-5 scale) or 7 (a 1-7 scale)",
            )),
        },
        _ => Err(Error::argument(
            "scores",
            metric.name(),
            "takes no scores: give counts or durations",
        )),
    }
}

/// Why a score is not on the scale, if it is not.
fn off_scale(score: f64, (min, max): (u8, u8)) -> Option<String> {
    if !(score >= min as f64 && score <= max as f64) {
        Some(format!("is outside the scale {min}..{max}"))
    } else if score.fract() != 0.0 {
        Some(format!("is not a whole number on the scale {min}..{max}"))
    } else {
        None
    }
}

fn score_error(path: String, score: f64, scale: (u8, u8), reason: String) -> Error {
    if score.fract() == 0.0 || !(score >= scale.0 as f64 && score <= scale.1 as f64) {
        Error::OutOfRange {
            path,
            value: score,
            range: format!("{}..{}", scale.0, scale.1),
        }
    } else {
        Error::invalid(path, score, reason)
    }
}

/// Scores from the request, grouped by their segment labels.
fn score_groups(
    scores: &bulk::Numbers,
    segments: Option<&[String]>,
    scale: (u8, u8),
) -> Result<Groups> {
    if let Some(s) = segments {
        if s.len() != scores.len() {
            return Err(Error::invalid(
                "segments",
                format!("{} labels", s.len()),
                format!("must give one label per score ({} scores)", scores.len()),
            ));
        }
    }
    let tallies = each_slice!(scores.slice(), s => tally(s, segments, scale));
    let tallies = tallies.map_err(|i| {
        let score = scores.get(i);
        let reason = off_scale(score, scale).expect("found off scale");
        score_error(format!("scores[{i}]"), score, scale, reason)
    })?;
    let mut labels: Vec<_> = tallies.into_iter().collect();
    labels.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut groups = Groups::default();
    for (label, t) in labels {
        groups.entry(Key::segment(label.map(str::to_string)), || {
            Sample::Scores(t)
        });
    }
    Ok(groups)
}

type Tallies<'a> = FxHashMap<Option<&'a str>, [u64; 11]>;

/// The counts of each score per label, read in the scores' own type on all cores, or the index
/// of the first score off the scale.
fn tally<'a, T: Number>(
    scores: &[T],
    segments: Option<&'a [String]>,
    (min, max): (u8, u8),
) -> std::result::Result<Tallies<'a>, usize> {
    const CHUNK: usize = 1 << 16;
    let parts: Vec<std::result::Result<Tallies<'a>, usize>> = scores
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| {
            let base = k * CHUNK;
            let bad = |j: usize| base + j;
            let mut tallies = Tallies::default();
            match segments {
                None => {
                    // Four interleaved counts, so that runs of one score do not wait on one
                    // counter.
                    let mut counts = [[0u64; 11]; 4];
                    for (j, four) in chunk.chunks(4).enumerate() {
                        for (c, v) in counts.iter_mut().zip(four) {
                            match v.on_scale(min, max) {
                                Some(p) => c[p] += 1,
                                None => {
                                    let at =
                                        four.iter().position(|v| v.on_scale(min, max).is_none());
                                    return Err(bad(4 * j + at.expect("one is off scale")));
                                }
                            }
                        }
                    }
                    let mut plain = [0u64; 11];
                    for c in counts {
                        for (p, n) in c.iter().enumerate().take(usize::from(max - min) + 1) {
                            plain[p + usize::from(min)] += n;
                        }
                    }
                    tallies.insert(None, plain);
                }
                Some(labels) => {
                    for (j, v) in chunk.iter().enumerate() {
                        let p = v.on_scale(min, max).ok_or_else(|| bad(j))?;
                        tallies
                            .entry(Some(labels[base + j].as_str()))
                            .or_insert([0; 11])[p + usize::from(min)] += 1;
                    }
                }
            }
            Ok(tallies)
        })
        .collect();
    if let Some(i) = parts.iter().filter_map(|p| p.as_ref().err()).min() {
        return Err(*i);
    }
    let mut all = Tallies::default();
    for tallies in parts.into_iter().flatten() {
        for (label, t) in tallies {
            let into = all.entry(label).or_insert([0; 11]);
            into.iter_mut().zip(t).for_each(|(a, b)| *a += b);
        }
    }
    Ok(all)
}

/// Rate counts from the request.
fn count_groups(metric: Metric, rows: &[CountRow]) -> Result<Groups> {
    let mut groups = Groups::default();
    for (i, row) in rows.iter().enumerate() {
        let need = |field: &str, v: Option<u64>| {
            v.ok_or_else(|| Error::MissingData {
                path: format!("counts[{i}]"),
                what: format!("'{field}' ({} needs it)", metric.name()),
            })
        };
        let over = |field: &str, v: u64, of: &str, max: u64| {
            if v > max {
                Err(Error::invalid(
                    format!("counts[{i}].{field}"),
                    v,
                    format!("is more than {of} ({max})"),
                ))
            } else {
                Ok(())
            }
        };
        let (x, n) = match metric {
            Metric::ChurnRate => {
                let (start, lost) = (need("start", row.start)?, need("lost", row.lost)?);
                over("lost", lost, "the customers at start", start)?;
                (lost, start)
            }
            Metric::RetentionRate => {
                let start = need("start", row.start)?;
                let (end, new) = (need("end", row.end)?, need("new", row.new)?);
                over("new", new, "the customers at end", end)?;
                over(
                    "end",
                    end - new,
                    "the customers at start plus new ones",
                    start + new,
                )?;
                (end - new, start)
            }
            Metric::RepeatPurchaseRate => {
                let customers = need("customers", row.customers)?;
                let repeat = need("repeat", row.repeat)?;
                over("repeat", repeat, "the customers", customers)?;
                (repeat, customers)
            }
            Metric::Conversion => {
                return Err(Error::argument(
                    "counts",
                    "conversion",
                    "is read from the cases of an event log, not from counts",
                ))
            }
            other => {
                return Err(Error::argument(
                    "counts",
                    other.name(),
                    "takes no counts: give scores or durations",
                ))
            }
        };
        groups
            .entry(Key::segment(row.segment.clone()), || Sample::Share(0, 0))
            .merge(&Sample::Share(x, n));
    }
    Ok(groups)
}

fn duration_groups(durations: &[f64]) -> Result<Groups> {
    let mut groups = Groups::default();
    if let Some(i) = durations.iter().position(|d| d.is_nan() || *d < 0.0) {
        return Err(Error::NegativeTime {
            path: format!("durations[{i}]"),
            value: durations[i].to_string(),
        });
    }
    if !durations.is_empty() {
        groups.entry(Key::default(), || Sample::Durations(durations.to_vec()));
    }
    Ok(groups)
}

/// How log data are grouped: by a segment attribute, before/after a time, or by calendar period
/// (and segment).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Grouping<'a> {
    All,
    Segment(Labels<'a>),
    /// `before` for times earlier than this, `after` for the others.
    Split(Timestamp),
    Periods(&'a Calendar, Option<Labels<'a>>),
}

impl Grouping<'_> {
    fn label(&self, case: usize, event: usize, time: Timestamp) -> Key {
        match self {
            Grouping::All => Key::default(),
            Grouping::Segment(l) => Key::segment(l.label(case, event)),
            Grouping::Split(t) => {
                Key::segment(Some(if time < *t { "before" } else { "after" }.to_string()))
            }
            Grouping::Periods(calendar, labels) => Key {
                period: Some(calendar.index(time)),
                segment: labels.and_then(|l| l.label(case, event)),
            },
        }
    }
}

/// Scores from the log's events, grouped, on all cores.
fn log_score_groups(
    log: &EventLog,
    source: &LogSource,
    scale: (u8, u8),
    grouping: Grouping<'_>,
) -> Result<Groups> {
    let attribute = source.score_attribute.as_deref().unwrap_or("score");
    let values: Numbers<'_> = numbers(log, "score_attribute", attribute)?;
    let only = match &source.activity {
        Some(a) => Some(log.activity_code(a, "activity")?),
        None => None,
    };
    type P = (Groups, Option<(usize, Error)>);
    let empty = || -> P { (Groups::default(), None) };
    let add = |(groups, error): &mut P, log: &EventLog, cases: std::ops::Range<usize>| {
        for c in cases {
            let case = log.case(c);
            let ts = case.timestamps();
            for (k, e) in case.events().enumerate() {
                if only.is_some_and(|a| log.activity[e] != a) {
                    continue;
                }
                let Some(score) = values.get(e) else {
                    groups.excluded += only.is_some() as u64;
                    continue;
                };
                if let Some(reason) = off_scale(score, scale) {
                    if error.is_none() {
                        *error = Some((
                            c,
                            Error::Input {
                                location: event_location(log, c, e),
                                field: Some(attribute.to_string()),
                                value: Some(score.to_string()),
                                message: format!("score {score} {reason}"),
                            },
                        ));
                    }
                    return;
                }
                let label = grouping.label(c, e, ts[k]);
                if let Sample::Scores(t) = groups.entry(label, || Sample::Scores([0; 11])) {
                    t[score as usize] += 1;
                }
            }
        }
    };
    let merge = |a: P, b: P| -> P {
        let error = match (a.1, b.1) {
            (Some(x), Some(y)) => Some(if x.0 <= y.0 { x } else { y }),
            (x, y) => x.or(y),
        };
        (a.0.merge(b.0), error)
    };
    let (groups, error) = over_cases(log, empty, add, merge);
    match error {
        Some((_, e)) => Err(e),
        None => Ok(groups),
    }
}

/// Per-case data from the log (resolution times, purchases), grouped by the case's first event.
fn log_case_groups(
    log: &EventLog,
    metric: Metric,
    source: &LogSource,
    target: Option<f64>,
    grouping: Grouping<'_>,
) -> Result<Groups> {
    let code = |field: &str, a: &Option<String>| -> Result<Option<u32>> {
        match a {
            Some(a) => log.activity_code(a, field).map(Some),
            None => Ok(None),
        }
    };
    let purchase = code("purchase_activity", &source.purchase_activity)?;
    let (from, to) = (
        code("from_activity", &source.from_activity)?,
        code("to_activity", &source.to_activity)?,
    );
    if metric == Metric::Conversion && to.is_none() {
        return Err(Error::MissingData {
            path: "to_activity".into(),
            what: "the activity that converts (conversion is the share of cases reaching it)"
                .into(),
        });
    }
    if metric == Metric::RepeatPurchaseRate && purchase.is_none() {
        return Err(Error::MissingData {
            path: "purchase_activity".into(),
            what: "the purchase activity (repeat_purchase_rate from a log counts its events)"
                .into(),
        });
    }
    let add = |groups: &mut Groups, log: &EventLog, cases: std::ops::Range<usize>| {
        for c in cases {
            let case = log.case(c);
            let (acts, ts, events) = (case.activities(), case.timestamps(), case.events());
            if acts.is_empty() {
                continue;
            }
            let label = grouping.label(c, events.start, ts[0]);
            if metric == Metric::RepeatPurchaseRate {
                let bought = acts.iter().filter(|&&a| Some(a) == purchase).count();
                if bought > 0 {
                    groups
                        .entry(label, || Sample::Share(0, 0))
                        .merge(&Sample::Share((bought > 1) as u64, 1));
                }
                continue;
            }
            let starts = case.starts();
            let begin =
                |i: usize| starts.map_or(ts[i], |s| if s[i] == i64::MIN { ts[i] } else { s[i] });
            let i = match from {
                Some(f) => acts.iter().position(|&a| a == f),
                None => Some(0),
            };
            let j = i.and_then(|i| match to {
                Some(t) => acts[i..].iter().position(|&a| a == t).map(|k| i + k),
                None => Some(acts.len() - 1),
            });
            if metric == Metric::Conversion {
                let Some(i) = i else {
                    groups.excluded += 1;
                    continue;
                };
                let label = grouping.label(c, events.start + i, ts[i]);
                groups
                    .entry(label, || Sample::Share(0, 0))
                    .merge(&Sample::Share(j.is_some() as u64, 1));
                continue;
            }
            let (Some(i), Some(j)) = (i, j) else {
                groups.excluded += 1;
                continue;
            };
            let seconds = (ts[j] - begin(i)) as f64 / 1e9;
            let sample = match (metric, target) {
                (Metric::Sla, Some(t)) => Sample::Share((seconds <= t) as u64, 1),
                _ => Sample::Durations(vec![seconds]),
            };
            let empty = match sample {
                Sample::Share(..) => Sample::Share(0, 0),
                _ => Sample::Durations(Vec::new()),
            };
            groups.entry(label, || empty).merge(&sample);
        }
    };
    Ok(over_cases(log, Groups::default, add, Groups::merge))
}

/// The data groups of a request: from its fields, or from the log.
pub(crate) fn groups<'a>(
    metric: Metric,
    data: &KpiData<'_>,
    source: &LogSource,
    options: &KpiOptions,
    log: Option<&'a EventLog>,
    grouping: impl FnOnce(&'a EventLog) -> Result<Grouping<'a>>,
) -> Result<Groups> {
    let given = [
        ("scores", data.scores.is_some()),
        ("counts", data.counts.is_some()),
        ("durations", data.durations.is_some()),
    ];
    if given.iter().filter(|g| g.1).count() > 1 {
        return Err(Error::argument(
            "scores",
            "with counts or durations",
            "give one kind of data",
        ));
    }
    if metric == Metric::Sla {
        match options.target_seconds {
            Some(t) if t >= 0.0 => {}
            Some(t) => {
                return Err(Error::NegativeTime {
                    path: "target_seconds".into(),
                    value: t.to_string(),
                })
            }
            None => {
                return Err(Error::MissingData {
                    path: "target_seconds".into(),
                    what: "the SLA target (seconds)".into(),
                })
            }
        }
    }
    let is_score = matches!(metric, Metric::Nps | Metric::Csat | Metric::Ces);
    let is_time = matches!(metric, Metric::ResolutionTime | Metric::Sla);
    if let Some(scores) = data.scores {
        return score_groups(scores, data.segments, scale(metric, options)?);
    }
    if data.segments.is_some() {
        return Err(Error::argument(
            "segments",
            "without scores",
            "labels scores: give them with scores",
        ));
    }
    if let Some(rows) = data.counts {
        return count_groups(metric, rows);
    }
    if let Some(d) = data.durations {
        if !is_time {
            return Err(Error::argument(
                "durations",
                metric.name(),
                "takes no durations",
            ));
        }
        let mut g = duration_groups(d)?;
        if let (Metric::Sla, Some(t)) = (metric, options.target_seconds) {
            for (_, s) in &mut g.groups {
                if let Sample::Durations(d) = s {
                    *s =
                        Sample::Share(d.iter().filter(|&&x| x <= t).count() as u64, d.len() as u64);
                }
            }
        }
        return Ok(g);
    }
    let Some(log) = log else {
        return Err(Error::MissingData {
            path: "analysis".into(),
            what: format!(
                "data: {} (or an event log to read them from)",
                if is_score {
                    "scores"
                } else if is_time {
                    "durations"
                } else if metric == Metric::Conversion {
                    "the cases"
                } else {
                    "counts"
                }
            ),
        });
    };
    let grouping = grouping(log)?;
    if is_score {
        log_score_groups(log, source, scale(metric, options)?, grouping)
    } else if is_time || matches!(metric, Metric::RepeatPurchaseRate | Metric::Conversion) {
        log_case_groups(log, metric, source, options.target_seconds, grouping)
    } else {
        Err(Error::MissingData {
            path: "counts".into(),
            what: format!(
                "the counts of {} (it is not read from a log)",
                metric.name()
            ),
        })
    }
}

/// The request's own data, borrowed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KpiData<'a> {
    pub(crate) scores: Option<&'a bulk::Numbers>,
    pub(crate) segments: Option<&'a [String]>,
    pub(crate) counts: Option<&'a [CountRow]>,
    pub(crate) durations: Option<&'a [f64]>,
}

/// The estimate of one sample.
pub(crate) fn estimate(
    metric: Metric,
    segment: Option<String>,
    sample: &Sample,
    options: &KpiOptions,
) -> Result<KpiEstimate> {
    let z = stats::z_for(options.confidence)?;
    let n = sample.n();
    let mut e = KpiEstimate {
        segment,
        n,
        value: 0.0,
        ci_low: None,
        ci_high: None,
        standard_error: None,
        successes: None,
        promoters: None,
        passives: None,
        detractors: None,
        stdev: None,
        percentiles: Vec::new(),
    };
    if n == 0 {
        return Err(Error::MissingData {
            path: e
                .segment
                .clone()
                .map_or("data".into(), |s| format!("segment '{s}'")),
            what: format!("observations: {} of no data is undefined", metric.name()),
        });
    }
    let share = |e: &mut KpiEstimate, x: u64, n: u64| {
        let (lo, hi) = stats::wilson(x, n, z);
        e.value = x as f64 / n as f64;
        e.successes = Some(x);
        e.ci_low = Some(lo);
        e.ci_high = Some(hi);
    };
    let mean = |e: &mut KpiEstimate, m: stats::Moments| {
        e.value = m.mean;
        e.stdev = m.stdev();
        if let Some(s) = e.stdev {
            let se = s / (m.n as f64).sqrt();
            e.standard_error = Some(se);
            e.ci_low = Some(m.mean - z * se);
            e.ci_high = Some(m.mean + z * se);
        }
    };
    match sample {
        Sample::Scores(t) => match metric {
            Metric::Nps => {
                let (det, pas, pro) = (t[..=6].iter().sum(), t[7] + t[8], t[9] + t[10]);
                let s = stats::net_score(pro, det, n, z, options.nps_interval);
                e.value = 100.0 * s.value;
                e.standard_error = Some(100.0 * s.standard_error);
                e.ci_low = Some(100.0 * s.low);
                e.ci_high = Some(100.0 * s.high);
                (e.promoters, e.passives, e.detractors) = (Some(pro), Some(pas), Some(det));
            }
            Metric::Csat => share(&mut e, t[4] + t[5], n),
            _ if options.ces_method == CesMethod::TopBox => {
                let from = if options.ces_scale == 7 { 5 } else { 4 };
                share(&mut e, t[from..].iter().sum(), n)
            }
            _ => {
                let mut m = stats::Moments::default();
                let total: f64 = (0..=10).map(|v| v as f64 * t[v] as f64).sum();
                m.n = n;
                m.mean = total / n as f64;
                m.m2 = (0..=10)
                    .map(|v| t[v] as f64 * (v as f64 - m.mean).powi(2))
                    .sum();
                mean(&mut e, m);
            }
        },
        Sample::Share(x, n) => share(&mut e, *x, *n),
        Sample::Durations(d) => {
            let mut m = stats::Moments::default();
            d.iter().for_each(|&x| m.push(x));
            mean(&mut e, m);
            let mut sorted = d.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            for &q in &options.percentiles {
                if let Some(value) = stats::percentile(&sorted, q) {
                    e.percentiles.push(Percentile { q, value });
                }
            }
        }
    }
    Ok(e)
}

/// The interval method's name for a metric under these options.
pub(crate) fn interval_name(metric: Metric, options: &KpiOptions) -> &'static str {
    match metric {
        Metric::Nps => match options.nps_interval {
            NetInterval::AdjustedWald => "adjusted_wald",
            NetInterval::Wald => "wald",
        },
        Metric::ResolutionTime => "normal",
        Metric::Ces if options.ces_method == CesMethod::Mean => "normal",
        _ => "wilson",
    }
}

pub(crate) fn check_options(options: &KpiOptions) -> Result<()> {
    stats::z_for(options.confidence)?;
    if let Some(q) = options
        .percentiles
        .iter()
        .find(|q| !(0.0..=1.0).contains(*q))
    {
        return Err(Error::argument(
            "percentiles",
            q,
            "must be fractions from 0 to 1 (0.9 for the 90th percentile)",
        ));
    }
    Ok(())
}

/// Computes a KPI request: overall and per segment. `log` is read when the request carries no
/// data of its own.
pub fn kpi(request: &KpiRequest, log: Option<&EventLog>) -> Result<KpiResult> {
    let options = &request.options();
    check_options(options)?;
    let data = KpiData {
        scores: request.scores.as_ref(),
        segments: request.segments.as_deref(),
        counts: request.counts.as_deref(),
        durations: request.durations.as_deref(),
    };
    let groups = groups(
        request.metric,
        &data,
        &request.source(),
        options,
        log,
        |log| match &request.segment_by {
            Some(name) => Ok(Grouping::Segment(Labels::find(log, "segment_by", name)?)),
            None => Ok(Grouping::All),
        },
    )?;
    let total = groups.total().ok_or_else(|| Error::MissingData {
        path: "data".into(),
        what: format!(
            "observations: {} of no data is undefined",
            request.metric.name()
        ),
    })?;
    let overall = estimate(request.metric, None, &total, options)?;
    let segmented = request.segments.is_some()
        || request.segment_by.is_some()
        || groups.groups.iter().any(|(k, _)| k.segment.is_some());
    let mut segments = Vec::new();
    if segmented {
        for (key, sample) in &groups.groups {
            if sample.n() > 0 {
                segments.push(estimate(
                    request.metric,
                    key.segment.clone(),
                    sample,
                    options,
                )?);
            }
        }
        segments.sort_by(|a, b| match (&a.segment, &b.segment) {
            (Some(x), Some(y)) => x.cmp(y),
            (x, y) => y.is_none().cmp(&x.is_none()).reverse(),
        });
    }
    Ok(KpiResult {
        metric: request.metric,
        confidence: options.confidence,
        interval: interval_name(request.metric, options).into(),
        overall,
        segments,
        excluded: groups.excluded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{AttrValue, LogBuilder};

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    fn scores(metric: Metric, s: &[f64]) -> KpiRequest {
        let mut r = KpiRequest::new(metric);
        r.scores = Some(s.to_vec().into());
        r
    }

    /// By hand: 5 promoters, 2 passives, 3 detractors of 10. NPS 20. Wald: Var = (0.5 + 0.3 −
    /// 0.04)/10 = 0.076. Adjusted: 5.75 and 3.75 of 13.
    #[test]
    fn nps_by_hand_both_intervals() {
        let s = [10.0, 9.0, 9.0, 8.0, 7.0, 6.0, 3.0, 10.0, 9.0, 0.0];
        let mut r = scores(Metric::Nps, &s);
        r.nps_interval = NetInterval::Wald;
        let w = kpi(&r, None).unwrap();
        assert_eq!(w.interval, "wald");
        let o = &w.overall;
        assert_eq!(
            (o.n, o.promoters, o.passives, o.detractors),
            (10, Some(5), Some(2), Some(3))
        );
        assert!(close(o.value, 20.0, 1e-12));
        let se = 100.0 * 0.076f64.sqrt();
        assert!(close(o.standard_error.unwrap(), se, 1e-12));
        assert!(close(
            o.ci_low.unwrap(),
            20.0 - 1.959963984540054 * se,
            1e-12
        ));
        let a = kpi(&scores(Metric::Nps, &s), None).unwrap();
        let (pp, pd): (f64, f64) = (5.75 / 13.0, 3.75 / 13.0);
        let se = 100.0 * ((pp + pd - (pp - pd).powi(2)) / 13.0f64).sqrt();
        assert_eq!(a.interval, "adjusted_wald");
        assert!(close(a.overall.value, 20.0, 1e-12));
        assert!(close(
            a.overall.ci_high.unwrap(),
            100.0 * (pp - pd) + 1.959963984540054 * se,
            1e-12
        ));
    }

    #[test]
    fn csat_ces_and_segments() {
        let mut r = scores(Metric::Csat, &[5.0, 4.0, 3.0, 1.0, 5.0, 4.0]);
        r.segments = Some(
            ["web", "app", "web", "app", "web", "store"]
                .map(String::from)
                .to_vec(),
        );
        let k = kpi(&r, None).unwrap();
        assert_eq!((k.overall.successes, k.overall.n), (Some(4), 6));
        let labels: Vec<_> = k
            .segments
            .iter()
            .map(|s| s.segment.clone().unwrap())
            .collect();
        assert_eq!(labels, ["app", "store", "web"]);
        assert_eq!((k.segments[2].successes, k.segments[2].n), (Some(2), 3));
        // CES mean on 1-7: 2, 4, 6, 7 → mean 4.75, s² = (7.5625 + 0.5625 + 1.5625 + 5.0625)/3.
        let c = kpi(&scores(Metric::Ces, &[2.0, 4.0, 6.0, 7.0]), None).unwrap();
        assert!(close(c.overall.value, 4.75, 1e-15));
        assert!(close(
            c.overall.stdev.unwrap(),
            (14.75f64 / 3.0).sqrt(),
            1e-14
        ));
        assert_eq!(c.interval, "normal");
        let mut t = scores(Metric::Ces, &[2.0, 4.0, 6.0, 7.0]);
        t.ces_method = CesMethod::TopBox;
        assert_eq!(kpi(&t, None).unwrap().overall.successes, Some(2));
        t.ces_scale = 5;
        let e = kpi(&t, None).unwrap_err();
        assert!(
            e.to_string().contains("scores[2]") && e.to_string().contains("1..5"),
            "{e}"
        );
    }

    #[test]
    fn bad_scores_and_empty_input_are_errors() {
        let e = kpi(&scores(Metric::Nps, &[3.0, 11.0]), None).unwrap_err();
        assert_eq!(e.to_string(), "scores[1]: 11 is out of range 0..10");
        let e = kpi(&scores(Metric::Nps, &[3.0, 7.5]), None).unwrap_err();
        assert!(
            e.to_string().contains("scores[1]") && e.to_string().contains("whole"),
            "{e}"
        );
        let e = kpi(&scores(Metric::Nps, &[]), None).unwrap_err();
        assert!(e.to_string().contains("no data"), "{e}");
        let e = kpi(&KpiRequest::new(Metric::Nps), None).unwrap_err();
        assert!(e.to_string().contains("scores"), "{e}");
        let mut r = scores(Metric::Nps, &[3.0]);
        r.confidence = 95.0;
        assert!(kpi(&r, None)
            .unwrap_err()
            .to_string()
            .contains("confidence"));
        let mut r = scores(Metric::Nps, &[3.0]);
        r.segments = Some(vec![]);
        assert!(kpi(&r, None)
            .unwrap_err()
            .to_string()
            .contains("one label per score"));
    }

    #[test]
    fn rates_from_counts() {
        let mut r = KpiRequest::new(Metric::RetentionRate);
        r.counts = Some(vec![CountRow {
            start: Some(200),
            end: Some(210),
            new: Some(30),
            ..CountRow::default()
        }]);
        let k = kpi(&r, None).unwrap();
        assert_eq!(
            (k.overall.successes, k.overall.n, k.overall.value),
            (Some(180), 200, 0.9)
        );
        let mut c = KpiRequest::new(Metric::ChurnRate);
        c.counts = Some(vec![
            CountRow {
                segment: Some("a".into()),
                start: Some(100),
                lost: Some(5),
                ..CountRow::default()
            },
            CountRow {
                segment: Some("b".into()),
                start: Some(100),
                lost: Some(15),
                ..CountRow::default()
            },
        ]);
        let k = kpi(&c, None).unwrap();
        assert_eq!((k.overall.value, k.segments.len()), (0.1, 2));
        c.counts.as_mut().unwrap()[1].lost = Some(150);
        let e = kpi(&c, None).unwrap_err();
        assert!(e.to_string().contains("counts[1].lost"), "{e}");
    }

    #[test]
    fn resolution_time_sla_and_repeat_purchases_from_a_log() {
        let mut b = LogBuilder::new();
        // c1: open 0, close 100 s; c2: open 0, reply 50, close 400; c3: no close.
        for (case, act, t) in [
            ("c1", "open", 0),
            ("c1", "close", 100),
            ("c2", "open", 0),
            ("c2", "reply", 50),
            ("c2", "close", 400),
            ("c3", "open", 0),
            ("c3", "buy", 10),
            ("c3", "buy", 20),
            ("c1", "buy", 5),
        ] {
            b.push(case, act, t * 1_000_000_000).unwrap();
        }
        let c1 = b.case_code("c1");
        b.set_case_attribute(c1, "persona", AttrValue::Text("pro"));
        let log = b.finish().unwrap();
        let mut r = KpiRequest::new(Metric::ResolutionTime);
        r.from_activity = Some("open".into());
        r.to_activity = Some("close".into());
        let k = kpi(&r, Some(&log)).unwrap();
        assert_eq!((k.overall.n, k.overall.value, k.excluded), (2, 250.0, 1));
        assert_eq!(
            k.overall.percentiles[0],
            Percentile {
                q: 0.5,
                value: 250.0
            }
        );
        let mut s = KpiRequest::new(Metric::Sla);
        s.target_seconds = Some(100.0);
        s.segment_by = Some("persona".into());
        let k = kpi(&s, Some(&log)).unwrap(); // first to last: 100, 400, 20
        assert_eq!((k.overall.successes, k.overall.n), (Some(2), 3));
        assert_eq!(k.segments[0].segment.as_deref(), Some("pro"));
        assert_eq!(k.segments[1].segment, None);
        let mut p = KpiRequest::new(Metric::RepeatPurchaseRate);
        p.purchase_activity = Some("buy".into());
        let k = kpi(&p, Some(&log)).unwrap();
        assert_eq!((k.overall.successes, k.overall.n), (Some(1), 2));
    }

    #[test]
    fn scores_from_log_events_with_errors_naming_the_event() {
        let mut b = LogBuilder::new();
        for (case, act, t, score) in [
            ("c1", "visit", 0, None),
            ("c1", "survey", 10, Some(9.0)),
            ("c2", "survey", 5, Some(4.0)),
            ("c2", "survey", 6, None),
        ] {
            let e = b.push(case, act, t).unwrap();
            if let Some(s) = score {
                b.set_event_attribute(e, "score", AttrValue::Number(s));
            }
        }
        let log = b.finish().unwrap();
        let mut r = KpiRequest::new(Metric::Nps);
        r.activity = Some("survey".into());
        let k = kpi(&r, Some(&log)).unwrap();
        assert_eq!((k.overall.n, k.overall.value, k.excluded), (2, 0.0, 1));
        let e = kpi(&KpiRequest::new(Metric::Csat), Some(&log)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "case 'c1', event 2, field 'score': score 9 is outside the scale 1..5"
        );
    }
}
