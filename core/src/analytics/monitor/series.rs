//! A KPI per calendar period from an event log, watched: its control chart, its change points
//! and the alerts of its targets.
//!
//! Any KPI of [`kpi`](crate::analytics::kpi) that a log holds (NPS, CSAT and CES from scores,
//! resolution time and SLA attainment per case, repeat purchase, conversion) is estimated per
//! [calendar period](crate::log::calendar) with its interval, overall and per segment (`segment_by`).
//! Scores fall in the period of their event; per-case KPIs in the period of the case's first
//! event (conversion: its first `from_activity` event). Periods without data between the first
//! and the last are kept, with no estimate, so the series has no silent gaps.
//!
//! On the overall series (periods with data):
//!
//! - a control chart: the p-chart of the successes of a share KPI, the individuals chart of the
//!   values of others (`chart`: `auto`, or `p`, `individuals`, `ewma`, `cusum`, `none`), with the
//!   request's run `rules`;
//! - change points: PELT (`change_cost`, `change_penalty`: the BIC by default, `min_size`), each
//!   reported with the period it starts in and the means before and after;
//! - alerts of each target (in the request, or the map document's `kpi_targets` of this KPI): a
//!   period is *breached* when its value is on the wrong side of the target, *trending* when it is
//!   not but the least-squares line through the last `trend_periods` values, one period on,
//!   is. An alert is reported when the state changes: `breached`, `recovered` (out of breach),
//!   `trending` (from within target into trending). `confirmed` says that the period's interval
//!   lies wholly on the alert's side of the target.
//!
//! The data behind the series are a mergeable partial: [`KpiMonitor`] adds logs (batches of
//! whole cases: a day's closed cases; scores may come in any batches) without recomputing
//! history, and saves itself as bytes ([`KpiMonitor::to_bytes`], format in the method's docs).
//!
//! ```
//! use journeystream::analytics::kpi::{KpiRequest, Metric};
//! use journeystream::analytics::monitor::series::{kpi_series, KpiSeriesRequest, SeriesTarget};
//! use journeystream::log::LogBuilder;
//! let day = 86_400_000_000_000;
//! let mut b = LogBuilder::new();
//! for (case, d, bought) in [("a", 0, true), ("b", 0, false), ("c", 1, false), ("d", 1, false), ("e", 3, true)] {
//!     b.push(case, "visit", d * day)?;
//!     if bought { b.push(case, "buy", d * day + 60)?; }
//! }
//! let mut kpi = KpiRequest::new(Metric::Conversion);
//! kpi.to_activity = Some("buy".into());
//! let mut request = KpiSeriesRequest::new(kpi);
//! request.targets = vec![SeriesTarget::at_least(0.25)];
//! let series = kpi_series(&request, &b.finish()?)?;
//! let labels: Vec<_> = series.points.iter().map(|p| p.period.as_str()).collect();
//! assert_eq!(labels, ["1970-01-01", "1970-01-02", "1970-01-03", "1970-01-04"]);
//! let values: Vec<_> = series.points.iter().map(|p| p.estimate.as_ref().map(|e| e.value)).collect();
//! assert_eq!(values, [Some(0.5), Some(0.0), None, Some(1.0)]);
//! let alerts: Vec<_> = series.alerts.iter().map(|a| (a.kind.name(), a.period.as_str())).collect();
//! assert_eq!(alerts, [("breached", "1970-01-02"), ("recovered", "1970-01-04")]);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::changepoint::{self, Cost, Penalty, Search};
use super::control::{self, ControlChart, Rules};
use crate::analytics::kpi::{
    self, check_options, estimate, interval_name, Grouping, Key, KpiData, KpiEstimate, KpiRequest,
    Metric, Sample,
};
use crate::analytics::scores::Labels;
use crate::error::{Error, Result};
use crate::log::calendar::{Calendar, Period};
use crate::log::timeformat::TimeZone;
use crate::log::{EventLog, Timestamp};
use crate::model::{Kpi, Map, Target};
use crate::time::{Duration, CALENDAR_DAY_SECS};
use base64::engine::{general_purpose::STANDARD as BASE64, Engine as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which side of a target is within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The KPI should be at least the target (NPS, CSAT, conversion, SLA attainment ...).
    AtLeast,
    /// The KPI should be at most the target (churn rate, resolution time).
    AtMost,
}

impl Direction {
    /// The usual direction of a KPI: at most for churn and resolution time, at least for the
    /// others (give it for a CES whose scale runs from easy to hard).
    pub fn of(metric: Metric) -> Direction {
        match metric {
            Metric::ChurnRate | Metric::ResolutionTime => Direction::AtMost,
            _ => Direction::AtLeast,
        }
    }

    /// Whether `value` misses `target`.
    fn misses(self, value: f64, target: f64) -> bool {
        match self {
            Direction::AtLeast => value < target,
            Direction::AtMost => value > target,
        }
    }
}

/// A target of the KPI, in the KPI's unit (fractions for shares, points for the NPS, seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesTarget {
    pub value: f64,
    /// The KPI's usual direction when absent ([`Direction::of`]).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// The segment whose series it watches; the overall series when absent.
    #[serde(default)]
    pub segment: Option<String>,
    /// A name for the alerts (a map's targets are named by their stage).
    #[serde(default)]
    pub name: Option<String>,
}

impl SeriesTarget {
    /// The overall KPI at least `value`.
    pub fn at_least(value: f64) -> SeriesTarget {
        SeriesTarget {
            value,
            direction: Some(Direction::AtLeast),
            segment: None,
            name: None,
        }
    }

    /// The overall KPI at most `value`.
    pub fn at_most(value: f64) -> SeriesTarget {
        SeriesTarget {
            direction: Some(Direction::AtMost),
            ..SeriesTarget::at_least(value)
        }
    }
}

/// The control chart of the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesChart {
    /// `p` for share KPIs, `individuals` for the others.
    #[default]
    Auto,
    P,
    Individuals,
    Ewma,
    Cusum,
    None,
}

/// The `kpi_series` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiSeriesRequest {
    /// The KPI, where the log holds its data, its segments and options (a `kpi` request without
    /// data arrays).
    pub kpi: KpiRequest,
    #[serde(default)]
    pub period: Period,
    /// `UTC` (default), an offset (`+02:00`) or an IANA name (`Europe/Amsterdam`).
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub targets: Vec<SeriesTarget>,
    /// A map document: its journey's KPI targets of this KPI are targets too.
    #[serde(default)]
    pub map: Option<Value>,
    #[serde(default)]
    pub chart: SeriesChart,
    #[serde(default)]
    pub rules: Rules,
    /// Look for change points (true).
    #[serde(default = "yes")]
    pub change_points: bool,
    #[serde(default = "normal_mean")]
    pub change_cost: Cost,
    #[serde(default)]
    pub change_penalty: Penalty,
    /// The fewest periods of a segment between change points (2).
    #[serde(default = "two")]
    pub min_size: usize,
    /// Periods in the trend of a `trending` alert (4; 3 to 100).
    #[serde(default = "four")]
    pub trend_periods: usize,
    /// A saved monitor ([`KpiMonitor::to_bytes`], base64): the series covers its data and the
    /// log's. It must hold this request's `kpi`, `period` and `time_zone`.
    #[serde(default)]
    pub state: Option<String>,
    /// Return the monitor holding the data of the result as `state` (base64).
    #[serde(default)]
    pub save_state: bool,
}

fn yes() -> bool {
    true
}
fn normal_mean() -> Cost {
    Cost::NormalMean
}
fn two() -> usize {
    2
}
fn four() -> usize {
    4
}

impl KpiSeriesRequest {
    /// A daily UTC series of `kpi` with the default chart and change points and no targets.
    pub fn new(kpi: KpiRequest) -> KpiSeriesRequest {
        KpiSeriesRequest {
            kpi,
            period: Period::Day,
            time_zone: None,
            targets: Vec::new(),
            map: None,
            chart: SeriesChart::Auto,
            rules: Rules::BeyondLimits,
            change_points: true,
            change_cost: Cost::NormalMean,
            change_penalty: Penalty::Bic,
            min_size: 2,
            trend_periods: 4,
            state: None,
            save_state: false,
        }
    }

    /// The series of the saved `state` (when given) and `log` (when given), with the new state
    /// when `save_state` asks for it.
    pub fn run(&self, log: Option<&EventLog>) -> Result<KpiSeries> {
        let mut monitor = match &self.state {
            Some(text) => {
                let m = KpiMonitor::read(&decode_state(text)?, "state")?;
                m.check_request(self)?;
                m
            }
            None => KpiMonitor::new(self)?,
        };
        match log {
            Some(log) => monitor.add(log)?,
            None if self.state.is_none() => {
                return Err(Error::MissingData {
                    path: "analysis".into(),
                    what: "an event log or a saved state (a KPI series reads one)".into(),
                })
            }
            None => {}
        }
        let mut series = monitor.series(self)?;
        if self.save_state {
            series.state = Some(BASE64.encode(monitor.to_bytes()));
        }
        Ok(series)
    }

    /// The request's targets and those of its map.
    fn all_targets(&self) -> Result<Vec<SeriesTarget>> {
        let mut targets = self.targets.clone();
        for (i, t) in targets.iter().enumerate() {
            if !t.value.is_finite() {
                return Err(Error::argument(
                    &format!("targets[{i}].value"),
                    t.value,
                    "is not a finite number",
                ));
            }
        }
        if let Some(map) = &self.map {
            let map = Map::from_json(&map.to_string()).map_err(|e| e.under("map"))?;
            targets.extend(map_targets(&map, self.kpi.metric));
        }
        Ok(targets)
    }
}

/// The map's KPI targets of `metric`, in the KPI's unit (the map writes shares in %).
pub fn map_targets(map: &Map, metric: Metric) -> Vec<SeriesTarget> {
    let Some(journey) = &map.journey else {
        return Vec::new();
    };
    let share = !matches!(metric, Metric::Nps | Metric::Ces | Metric::ResolutionTime);
    let mut targets = Vec::new();
    for stage in &journey.stages {
        for k in &stage.kpi_targets {
            let of_metric = match (&k.kpi, metric) {
                (Kpi::Nps, Metric::Nps)
                | (Kpi::Csat, Metric::Csat)
                | (Kpi::Ces, Metric::Ces)
                | (Kpi::ChurnRate, Metric::ChurnRate)
                | (Kpi::RetentionRate, Metric::RetentionRate)
                | (Kpi::RepeatPurchaseRate, Metric::RepeatPurchaseRate)
                | (Kpi::ResolutionTime, Metric::ResolutionTime)
                | (Kpi::SlaCompliance, Metric::Sla) => true,
                (Kpi::Custom(name), m) => name == m.name(),
                _ => false,
            };
            if !of_metric {
                continue;
            }
            let value = match k.target {
                Target::Number(v) if share => v / 100.0,
                Target::Number(v) => v,
                Target::Time(span) => span.resolve(Duration::from_secs(CALENDAR_DAY_SECS)).secs(),
            };
            targets.push(SeriesTarget {
                value,
                direction: None,
                segment: None,
                name: Some(stage.name.clone()),
            });
        }
    }
    targets
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// The period's label (`2024-03-04`, `2024-03`, `2024-Q1` ...).
    pub period: String,
    /// Its first instant, UTC nanoseconds.
    pub start: Timestamp,
    /// The KPI in it; none for a period without data.
    pub estimate: Option<KpiEstimate>,
}

/// The series of one segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSeries {
    pub segment: Option<String>,
    pub points: Vec<SeriesPoint>,
}

/// Where the series changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The index in `points` of the first period after the change.
    pub index: usize,
    pub period: String,
    pub start: Timestamp,
    /// The mean of the segment before and after.
    pub before: f64,
    pub after: f64,
}

/// What an alert says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Breached,
    Recovered,
    Trending,
}

impl AlertKind {
    pub fn name(self) -> &'static str {
        match self {
            AlertKind::Breached => "breached",
            AlertKind::Recovered => "recovered",
            AlertKind::Trending => "trending",
        }
    }
}

/// A change of a target's state in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    /// The index in the series' points.
    pub index: usize,
    pub period: String,
    pub start: Timestamp,
    /// The segment of the series; none for the overall one.
    pub segment: Option<String>,
    /// The target's name, when it has one.
    pub name: Option<String>,
    pub value: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub target: f64,
    pub direction: Direction,
    /// The interval lies wholly on the alert's side of the target (breached: beyond it;
    /// recovered: within it; trending: unused, false).
    pub confirmed: bool,
    /// What fired, in words.
    pub rule: String,
}

/// A KPI per period, charted, segmented and watched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiSeries {
    pub metric: Metric,
    pub period: Period,
    pub time_zone: String,
    pub confidence: f64,
    /// The interval method (as in `kpi`).
    pub interval: String,
    pub points: Vec<SeriesPoint>,
    /// Per segment, by label (the unlabelled last); empty without segments.
    pub segments: Vec<SegmentSeries>,
    /// The control chart of the overall series' periods with data; its points' `index` is their
    /// index in `points`.
    pub chart: Option<ControlChart>,
    pub changes: Vec<Change>,
    /// The targets watched (the request's and the map's), in the KPI's unit.
    pub targets: Vec<SeriesTarget>,
    pub alerts: Vec<Alert>,
    /// Log data left out (as in `kpi`).
    pub excluded: u64,
    /// The saved monitor (base64 of [`KpiMonitor::to_bytes`]) when `save_state` asked for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// The KPI series of a log.
pub fn kpi_series(request: &KpiSeriesRequest, log: &EventLog) -> Result<KpiSeries> {
    request.run(Some(log))
}

/// What a monitor's data are: the fields of a series request that decide which sample each
/// observation joins. Presentation (targets, chart, change points) may differ between calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataConfig {
    kpi: KpiRequest,
    period: Period,
    time_zone: Option<String>,
}

/// The data of a KPI series, per period and segment: a mergeable partial that takes new logs and
/// leaves the process as bytes.
///
/// ```
/// use journeystream::analytics::kpi::{KpiRequest, Metric};
/// use journeystream::analytics::monitor::series::{KpiMonitor, KpiSeriesRequest};
/// use journeystream::log::{AttrValue, LogBuilder};
/// let request = KpiSeriesRequest::new(KpiRequest::new(Metric::Nps));
/// let day = 86_400_000_000_000;
/// let scored = |case: &str, t: i64, score: i64| -> journeystream::Result<_> {
///     let mut b = LogBuilder::new();
///     let e = b.push(case, "survey", t)?;
///     b.set_event_attribute(e, "score", AttrValue::Integer(score));
///     b.finish()
/// };
/// let mut monitor = KpiMonitor::new(&request)?;
/// monitor.add(&scored("a", 0, 10)?)?;
/// let saved = monitor.to_bytes();
/// let mut restored = KpiMonitor::from_bytes(&saved)?;
/// restored.add(&scored("b", day, 3)?)?;
/// let series = restored.series(&request)?;
/// assert_eq!(series.points.len(), 2);
/// assert_eq!(series.points[1].estimate.as_ref().unwrap().value, -100.0);
/// assert!(KpiMonitor::from_bytes(&saved[..10]).is_err());
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct KpiMonitor {
    config: DataConfig,
    calendar: Calendar,
    samples: BTreeMap<Key, Sample>,
    excluded: u64,
}

/// What a saved monitor holds: the data fields of its series request, and how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorInfo {
    pub kpi: KpiRequest,
    pub period: Period,
    pub time_zone: Option<String>,
    /// Samples: one per period and segment with data.
    pub samples: usize,
    pub excluded: u64,
}

/// The `monitor_info` request: a saved monitor (base64), described.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorInfoRequest {
    pub state: String,
}

impl MonitorInfoRequest {
    pub fn run(&self) -> Result<MonitorInfo> {
        Ok(KpiMonitor::read(&decode_state(&self.state)?, "state")?.info())
    }
}

fn decode_state(text: &str) -> Result<Vec<u8>> {
    BASE64
        .decode(text.trim())
        .map_err(|e| Error::argument("state", "…", format!("is not base64: {e}")))
}

/// The first bytes of a saved [`KpiMonitor`].
pub const MONITOR_MAGIC: &[u8; 8] = b"JSKPIMON";
/// The version of the saved format this build writes and reads.
pub const MONITOR_FORMAT_VERSION: u16 = 1;
/// The largest saved monitor read (1 GiB).
pub const MAX_MONITOR_BYTES: u64 = 1 << 30;
const HEADER_BYTES: usize = 8 + 2 + 2 + 8 + 4;

/// The body of the saved format.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    config: DataConfig,
    samples: Vec<(Key, Sample)>,
    excluded: u64,
}

impl KpiMonitor {
    /// An empty monitor of the request's KPI, period and zone. The request's data arrays are not
    /// allowed (a series reads logs).
    pub fn new(request: &KpiSeriesRequest) -> Result<KpiMonitor> {
        let config = DataConfig {
            kpi: request.kpi.clone(),
            period: request.period,
            time_zone: request.time_zone.clone(),
        };
        Self::of_config(config)
    }

    fn of_config(config: DataConfig) -> Result<KpiMonitor> {
        let k = &config.kpi;
        for (field, given) in [
            ("scores", k.scores.is_some()),
            ("segments", k.segments.is_some()),
            ("counts", k.counts.is_some()),
            ("durations", k.durations.is_some()),
        ] {
            if given {
                return Err(Error::argument(
                    &format!("kpi.{field}"),
                    "given",
                    "has no times: a KPI series reads an event log (give values per period to \
                     control_chart or change_points instead)",
                ));
            }
        }
        check_options(&k.options()).map_err(|e| e.under("kpi"))?;
        let zone = match &config.time_zone {
            Some(z) => z.parse()?,
            None => TimeZone::Utc,
        };
        let calendar = Calendar::new(config.period, &zone)?;
        Ok(KpiMonitor {
            config,
            calendar,
            samples: BTreeMap::new(),
            excluded: 0,
        })
    }

    /// Adds a log's data. Per-case KPIs take each case as a whole: give batches of whole cases.
    pub fn add(&mut self, log: &EventLog) -> Result<()> {
        let k = &self.config.kpi;
        let calendar = &self.calendar;
        let groups = kpi::groups(
            k.metric,
            &KpiData::default(),
            &k.source(),
            &k.options(),
            Some(log),
            |log| {
                let labels = match &k.segment_by {
                    Some(name) => Some(Labels::find(log, "segment_by", name)?),
                    None => None,
                };
                Ok(Grouping::Periods(calendar, labels))
            },
        )
        .map_err(|e| match e.path() {
            Some("analysis" | "data") => e,
            _ => e.under("kpi"),
        })?;
        self.excluded += groups.excluded;
        for (key, sample) in groups.groups {
            match self.samples.get_mut(&key) {
                Some(s) => s.merge(&sample),
                None => {
                    self.samples.insert(key, sample);
                }
            }
        }
        Ok(())
    }

    /// Adds another monitor's data; both must watch the same KPI, period and zone.
    pub fn merge(&mut self, other: KpiMonitor) -> Result<()> {
        if other.config != self.config {
            return Err(Error::argument(
                "monitor",
                "of another KPI",
                "merges only with a monitor of the same KPI request, period and time zone",
            ));
        }
        self.excluded += other.excluded;
        for (key, sample) in other.samples {
            match self.samples.get_mut(&key) {
                Some(s) => s.merge(&sample),
                None => {
                    self.samples.insert(key, sample);
                }
            }
        }
        Ok(())
    }

    /// Checks that `request` asks for this monitor's data (its `kpi`, `period` and
    /// `time_zone`); the rest of it may differ.
    pub fn check_request(&self, request: &KpiSeriesRequest) -> Result<()> {
        let c = &self.config;
        let differs = if request.kpi != c.kpi {
            Some("kpi")
        } else if request.period != c.period {
            Some("period")
        } else if request.time_zone != c.time_zone {
            Some("time_zone")
        } else {
            None
        };
        match differs {
            Some(field) => Err(Error::argument(
                field,
                "differs from the saved monitor's",
                format!(
                    "must be the monitor's own (it holds {} per {}{})",
                    c.kpi.metric.name(),
                    c.period.name(),
                    c.time_zone
                        .as_ref()
                        .map_or(String::new(), |z| format!(" in {z}"))
                ),
            )),
            None => Ok(()),
        }
    }

    /// The series, presented as `request` asks (its targets, chart and change points).
    pub fn series(&self, request: &KpiSeriesRequest) -> Result<KpiSeries> {
        self.check_request(request)?;
        if !(3..=100).contains(&request.trend_periods) {
            return Err(Error::argument(
                "trend_periods",
                request.trend_periods,
                "must be 3 to 100",
            ));
        }
        let metric = self.config.kpi.metric;
        let options = self.config.kpi.options();
        let targets = request.all_targets()?;
        let Some((first, last)) = self
            .samples
            .keys()
            .filter_map(|k| k.period)
            .fold(None, |span: Option<(i64, i64)>, p| {
                Some(span.map_or((p, p), |(a, b)| (a.min(p), b.max(p))))
            })
        else {
            return Err(Error::MissingData {
                path: "data".into(),
                what: format!("observations: {} of no data is undefined", metric.name()),
            });
        };
        if last - first >= MAX_PERIODS as i64 {
            return Err(Error::argument(
                "period",
                request.period.name(),
                format!(
                    "gives {} periods from the first data to the last: at most {MAX_PERIODS} \
                     (choose a longer period)",
                    last as i128 - first as i128 + 1
                ),
            ));
        }
        // The samples of each segment and of all, per period.
        let mut overall: BTreeMap<i64, Sample> = BTreeMap::new();
        let mut by_segment: BTreeMap<Option<String>, BTreeMap<i64, &Sample>> = BTreeMap::new();
        for (key, sample) in &self.samples {
            let p = key.period.expect("series samples have periods");
            match overall.get_mut(&p) {
                Some(s) => s.merge(sample),
                None => {
                    overall.insert(p, sample.clone());
                }
            }
            by_segment
                .entry(key.segment.clone())
                .or_default()
                .insert(p, sample);
        }
        let points = |samples: &dyn Fn(i64) -> Option<Sample>,
                      segment: &Option<String>|
         -> Result<Vec<SeriesPoint>> {
            (first..=last)
                .map(|p| {
                    let estimate = match samples(p) {
                        Some(s) => Some(estimate(metric, segment.clone(), &s, &options)?),
                        None => None,
                    };
                    Ok(SeriesPoint {
                        period: self.calendar.label(p),
                        start: self.calendar.start(p),
                        estimate,
                    })
                })
                .collect()
        };
        let all = points(&|p| overall.get(&p).cloned(), &None)?;
        let mut segments = Vec::new();
        if self.config.kpi.segment_by.is_some() {
            for (label, samples) in &by_segment {
                segments.push(SegmentSeries {
                    segment: label.clone(),
                    points: points(&|p| samples.get(&p).map(|s| (*s).clone()), label)?,
                });
            }
            // The unlabelled last, as in `kpi`.
            segments.sort_by_key(|s| (s.segment.is_none(), s.segment.clone()));
        }
        let chart = chart(&all, metric, &options, request)?;
        let changes = changes(&all, request)?;
        let mut alerts = Vec::new();
        for (i, target) in targets.iter().enumerate() {
            let series = match &target.segment {
                None => &all,
                Some(label) => {
                    match segments
                        .iter()
                        .find(|s| s.segment.as_deref() == Some(label))
                    {
                        Some(s) => &s.points,
                        None => {
                            let known: Vec<&str> = segments
                                .iter()
                                .filter_map(|s| s.segment.as_deref())
                                .collect();
                            return Err(Error::argument(
                                &format!("targets[{i}].segment"),
                                label,
                                crate::suggest::not_one_of(
                                    label,
                                    "a segment of the series",
                                    "segments",
                                    &known,
                                ),
                            ));
                        }
                    }
                }
            };
            alerts.extend(watch(series, target, metric, request.trend_periods));
        }
        alerts.sort_by_key(|a| a.index);
        Ok(KpiSeries {
            metric,
            period: self.config.period,
            time_zone: self
                .config
                .time_zone
                .clone()
                .unwrap_or_else(|| "UTC".into()),
            confidence: options.confidence,
            interval: interval_name(metric, &options).into(),
            points: all,
            segments,
            chart,
            changes,
            targets,
            alerts,
            excluded: self.excluded,
            state: None,
        })
    }

    /// The monitor as bytes, little-endian:
    ///
    /// | bytes | field |
    /// | --- | --- |
    /// | 8 | magic `JSKPIMON` |
    /// | 2 | format version (1) |
    /// | 2 | reserved, 0 |
    /// | 8 | body length |
    /// | 4 | CRC-32 (IEEE) of the body |
    /// | length | body: UTF-8 JSON `{"config": {"kpi", "period", "time_zone"}, "samples": [[{"period", "segment"}, sample], ...], "excluded"}`, a sample `{"scores": [11 counts]}`, `{"share": [successes, n]}` or `{"durations": [seconds]}` |
    pub fn to_bytes(&self) -> Vec<u8> {
        let saved = Saved {
            config: self.config.clone(),
            samples: self
                .samples
                .iter()
                .map(|(k, s)| (k.clone(), s.clone()))
                .collect(),
            excluded: self.excluded,
        };
        frame(&serde_json::to_vec(&saved).expect("a monitor serialises"))
    }

    /// What the monitor holds.
    pub fn info(&self) -> MonitorInfo {
        MonitorInfo {
            kpi: self.config.kpi.clone(),
            period: self.config.period,
            time_zone: self.config.time_zone.clone(),
            samples: self.samples.len(),
            excluded: self.excluded,
        }
    }

    /// A series request for this monitor's data (its `kpi`, `period` and `time_zone`), the rest
    /// at defaults.
    pub fn request(&self) -> KpiSeriesRequest {
        KpiSeriesRequest {
            period: self.config.period,
            time_zone: self.config.time_zone.clone(),
            ..KpiSeriesRequest::new(self.config.kpi.clone())
        }
    }

    /// Reads [`Self::to_bytes`]' format: a wrong magic, version, length or checksum, or a body
    /// that is not a monitor, is an error saying which.
    pub fn from_bytes(bytes: &[u8]) -> Result<KpiMonitor> {
        Self::read(bytes, "monitor state")
    }

    /// [`Self::from_bytes`], its errors located at `location`.
    fn read(bytes: &[u8], location: &str) -> Result<KpiMonitor> {
        let bad = |what: String| Error::Input {
            location: location.into(),
            field: None,
            value: None,
            message: what,
        };
        if bytes.len() < HEADER_BYTES {
            return Err(bad(format!(
                "is {} bytes, shorter than the {HEADER_BYTES}-byte header of a saved monitor",
                bytes.len()
            )));
        }
        if &bytes[..8] != MONITOR_MAGIC {
            return Err(bad(
                "does not start with JSKPIMON: it is not a saved KPI monitor".into(),
            ));
        }
        let word = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let version = word(8);
        if version != MONITOR_FORMAT_VERSION {
            return Err(bad(format!(
                "is format version {version}; this build reads version {MONITOR_FORMAT_VERSION}"
            )));
        }
        if word(10) != 0 {
            return Err(bad(format!("has reserved bytes {:#06x}, not 0", word(10))));
        }
        let length = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
        let body = &bytes[HEADER_BYTES..];
        if length > MAX_MONITOR_BYTES || length != body.len() as u64 {
            return Err(bad(format!(
                "says its body is {length} bytes, but {} follow the header",
                body.len()
            )));
        }
        let crc = u32::from_le_bytes(bytes[20..24].try_into().expect("4 bytes"));
        if crc != crc32(body) {
            return Err(bad(
                "fails its checksum: the bytes were changed or cut".into()
            ));
        }
        let saved: Saved = serde_json::from_slice(body)
            .map_err(|e| bad(format!("has a body that is not a monitor: {e}")))?;
        let mut monitor = Self::of_config(saved.config)?;
        for (key, sample) in saved.samples {
            if key.period.is_none() {
                return Err(bad("has a sample without a period".into()));
            }
            sample
                .check(monitor.config.kpi.metric)
                .map_err(|why| bad(format!("has a sample that {why}")))?;
            if monitor.samples.insert(key, sample).is_some() {
                return Err(bad("has two samples of one period and segment".into()));
            }
        }
        monitor.excluded = saved.excluded;
        Ok(monitor)
    }
}

/// A body in the header of the saved format ([`KpiMonitor::to_bytes`]): magic, version, length
/// and checksum.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_BYTES + body.len());
    out.extend_from_slice(MONITOR_MAGIC);
    out.extend_from_slice(&MONITOR_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The most periods in a series, from the first with data to the last (274 years of days, 11 of
/// hours): each is a point of the series and of every segment's.
pub const MAX_PERIODS: usize = 100_000;

/// The chart of the periods with data.
fn chart(
    points: &[SeriesPoint],
    metric: Metric,
    options: &kpi::KpiOptions,
    request: &KpiSeriesRequest,
) -> Result<Option<ControlChart>> {
    let with_data: Vec<(usize, &KpiEstimate)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.estimate.as_ref().map(|e| (i, e)))
        .collect();
    let share = interval_name(metric, options) == "wilson";
    let kind = match request.chart {
        SeriesChart::Auto if share => SeriesChart::P,
        SeriesChart::Auto => SeriesChart::Individuals,
        k => k,
    };
    let values: Vec<f64> = with_data.iter().map(|(_, e)| e.value).collect();
    let enough = match kind {
        SeriesChart::None => return Ok(None),
        SeriesChart::P => !values.is_empty(),
        _ => values.len() >= 2,
    };
    if !enough {
        return Ok(None);
    }
    let mut chart = match kind {
        SeriesChart::P => {
            if !share {
                return Err(Error::argument(
                    "chart",
                    "p",
                    format!("charts shares; {} is not one", metric.name()),
                ));
            }
            let defects: Vec<f64> = with_data
                .iter()
                .map(|(_, e)| e.successes.unwrap_or(0) as f64)
                .collect();
            let sizes: Vec<f64> = with_data.iter().map(|(_, e)| e.n as f64).collect();
            control::p_chart(&defects, &sizes, None, request.rules)?
        }
        SeriesChart::Individuals => control::individuals(&values, None, None, request.rules)?,
        SeriesChart::Ewma | SeriesChart::Cusum => {
            let mut r: control::ControlChartRequest = serde_json::from_value(serde_json::json!({
                "chart": if kind == SeriesChart::Ewma { "ewma" } else { "cusum" },
            }))
            .expect("a chart request");
            r.values = Some(values);
            r.rules = request.rules;
            r.run()?
        }
        SeriesChart::Auto | SeriesChart::None => unreachable!("resolved above"),
    };
    let at = |i: usize| with_data[i].0;
    for p in chart
        .points
        .iter_mut()
        .chain(&mut chart.ranges)
        .chain(&mut chart.lower_sums)
    {
        p.index = at(p.index);
    }
    for s in &mut chart.signals {
        s.index = at(s.index);
    }
    Ok(Some(chart))
}

/// The change points of the periods with data.
fn changes(points: &[SeriesPoint], request: &KpiSeriesRequest) -> Result<Vec<Change>> {
    if !request.change_points {
        return Ok(Vec::new());
    }
    let with_data: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.estimate.as_ref().map(|e| (i, e.value)))
        .collect();
    let search = Search {
        min_size: request.min_size,
        jump: 1,
    };
    if with_data.len() < 2 * request.min_size.max(1) {
        return Ok(Vec::new());
    }
    let values: Vec<f64> = with_data.iter().map(|v| v.1).collect();
    let found = changepoint::pelt(
        &values,
        request.change_cost,
        request.change_penalty,
        &search,
    )?;
    Ok(found
        .segments
        .windows(2)
        .map(|w| {
            let index = with_data[w[1].start].0;
            Change {
                index,
                period: points[index].period.clone(),
                start: points[index].start,
                before: w[0].mean,
                after: w[1].mean,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Within,
    Trending,
    Breached,
}

/// The alerts of one target on one series.
fn watch(
    points: &[SeriesPoint],
    target: &SeriesTarget,
    metric: Metric,
    trend_periods: usize,
) -> Vec<Alert> {
    let direction = target.direction.unwrap_or(Direction::of(metric));
    let t = target.value;
    let mut alerts = Vec::new();
    let mut state = State::Within;
    let mut recent: Vec<f64> = Vec::new();
    for (index, point) in points.iter().enumerate() {
        let Some(e) = &point.estimate else { continue };
        recent.push(e.value);
        let now = if direction.misses(e.value, t) {
            State::Breached
        } else if recent.len() >= trend_periods {
            let next = next_on_trend(&recent[recent.len() - trend_periods..]);
            if direction.misses(next, t) {
                State::Trending
            } else {
                State::Within
            }
        } else {
            State::Within
        };
        let side = |beyond: bool| -> bool {
            let (lo, hi) = (e.ci_low.unwrap_or(e.value), e.ci_high.unwrap_or(e.value));
            match (direction, beyond) {
                (Direction::AtLeast, true) => hi < t,
                (Direction::AtLeast, false) => lo >= t,
                (Direction::AtMost, true) => lo > t,
                (Direction::AtMost, false) => hi <= t,
            }
        };
        let word = match direction {
            Direction::AtLeast => "at least",
            Direction::AtMost => "at most",
        };
        let fired = match (state, now) {
            (State::Breached, State::Breached) => None,
            (_, State::Breached) => Some((
                AlertKind::Breached,
                side(true),
                format!("{} {} is not {word} the target {t}", metric.name(), e.value),
            )),
            (State::Breached, _) => Some((
                AlertKind::Recovered,
                side(false),
                format!(
                    "{} {} is {word} the target {t} again",
                    metric.name(),
                    e.value
                ),
            )),
            (State::Within, State::Trending) => Some((
                AlertKind::Trending,
                false,
                format!(
                    "the least-squares line through the last {trend_periods} periods misses the \
                     target {t} next period"
                ),
            )),
            _ => None,
        };
        if let Some((kind, confirmed, rule)) = fired {
            alerts.push(Alert {
                kind,
                index,
                period: point.period.clone(),
                start: point.start,
                segment: target.segment.clone(),
                name: target.name.clone(),
                value: e.value,
                ci_low: e.ci_low,
                ci_high: e.ci_high,
                target: t,
                direction,
                confirmed,
                rule,
            });
        }
        state = now;
    }
    alerts
}

/// The least-squares line through `y` at x = 0..n, evaluated at x = n.
fn next_on_trend(y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, v) in y.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (v - mean_y);
        sxx += dx * dx;
    }
    mean_y + sxy / sxx * (n - mean_x)
}

/// CRC-32 (IEEE 802.3, reflected, as zlib's `crc32`).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_zlib() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn trend_line() {
        assert!((next_on_trend(&[1.0, 2.0, 3.0, 4.0]) - 5.0).abs() < 1e-12);
        assert!((next_on_trend(&[2.0, 2.0, 2.0]) - 2.0).abs() < 1e-12);
    }
}
