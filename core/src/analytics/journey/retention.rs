//! Retention cohorts. A case is a customer; it enters at its first event (or its first event of
//! `cohort_activity`) and belongs to the cohort of that event's UTC calendar day, week (from
//! Monday) or month. Its *returns* are its later events (of `return_activity` when given). A
//! return falls in period k:
//!
//! - `rolling` windows: k = ⌊(return time − entry time) ÷ period length⌋, the length 1, 7 or 30
//!   days (Amplitude's N-day retention counts days this way);
//! - `calendar` windows: k = the return's calendar period − the entry's (days, Monday weeks,
//!   months).
//!
//! Per cohort and k = 0..=periods: `on[k]`, customers with a return in period k ("N-day"
//! retention; k = 0 is a return in the entry's own period), and `on_or_after[k]`, customers
//! with a return in period k or any later one, unbounded ("on or after"). Rates divide by the
//! cohort's size. Derived: `churn_rate[k]` = 1 − on_or_after rate (customers who never come back
//! from period k on) and `repeat_rate` = on_or_after[0] ÷ size (customers who came back at all:
//! the repeat-purchase rate when both activities are the purchase). Young cohorts: a period that
//! had not begun by the last event of the log counts as not returned in these rates, so
//! `observable[k]` gives the customers whose period k had begun by then (rolling: entry + k
//! periods ≤ last event; calendar: the period's first day ≤ last event) and `observable_rate[k]`
//! = `on[k]` ÷ `observable[k]` (none when 0), the rate among customers who could have returned.
//! The `total` row sums all cohorts.
//!
//! ```
//! use journeystream::analytics::journey::retention::{retention, RetentionRequest};
//! use journeystream::log::LogBuilder;
//! let day = 86_400_000_000_000;
//! let mut b = LogBuilder::new();
//! for (case, t) in [("a", 0), ("a", day + 1), ("a", 3 * day), ("b", 0), ("c", 0), ("c", 2 * day)] {
//!     b.push(case, "visit", t)?;
//! }
//! let r = retention(&b.finish().unwrap(), &RetentionRequest { periods: 3, ..Default::default() })?;
//! let c = &r.cohorts[0];
//! assert_eq!((c.cohort.as_str(), c.size), ("1970-01-01", 3));
//! assert_eq!(c.on, [0, 1, 1, 1]);
//! assert_eq!(c.on_or_after, [2, 2, 2, 1]);
//! assert_eq!(c.repeat_rate, 2.0 / 3.0);
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::analytics::partial::over_cases;
use crate::error::{Error, Result};
use crate::log::timestamp::{civil_from_days, day_start, days_from_civil, format_rfc3339};
use crate::log::{EventLog, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

const NS_PER_DAY: i64 = 86_400_000_000_000;

/// The period of cohorts and returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionPeriod {
    #[default]
    Day,
    Week,
    Month,
}

/// How return periods are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Windows {
    /// From each customer's entry time (the default).
    #[default]
    Rolling,
    /// Calendar periods.
    Calendar,
}

/// The `retention` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    #[serde(default)]
    pub period: RetentionPeriod,
    /// Periods after the entry's reported (default 7; 1 to 1000).
    #[serde(default = "default_periods")]
    pub periods: usize,
    #[serde(default)]
    pub windows: Windows,
    /// The activity that enters a customer (default: any first event).
    #[serde(default)]
    pub cohort_activity: Option<String>,
    /// The activity that counts as a return (default: any event).
    #[serde(default)]
    pub return_activity: Option<String>,
}

fn default_periods() -> usize {
    7
}

impl Default for RetentionRequest {
    fn default() -> Self {
        RetentionRequest {
            period: RetentionPeriod::Day,
            periods: default_periods(),
            windows: Windows::Rolling,
            cohort_activity: None,
            return_activity: None,
        }
    }
}

/// One cohort's retention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// The first day of the cohort's period (`YYYY-MM-DD`), or `total`.
    pub cohort: String,
    /// Its start (UTC nanoseconds; none for the total).
    pub start: Option<Timestamp>,
    pub size: u64,
    pub on: Vec<u64>,
    pub on_or_after: Vec<u64>,
    pub on_rate: Vec<f64>,
    pub on_or_after_rate: Vec<f64>,
    pub churn_rate: Vec<f64>,
    pub repeat_rate: f64,
    /// Customers whose period k had begun by the last event of the log.
    pub observable: Vec<u64>,
    /// `on[k]` ÷ `observable[k]` (none when no customer's period k had begun).
    pub observable_rate: Vec<Option<f64>>,
}

/// Retention cohorts, oldest first, and their total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    pub period: RetentionPeriod,
    pub windows: Windows,
    pub periods: usize,
    pub cohorts: Vec<Cohort>,
    pub total: Cohort,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Acc {
    size: u64,
    on: Vec<u64>,
    on_or_after: Vec<u64>,
    /// Each customer's entry time, kept to count the observable periods once the log's last
    /// event is known.
    entries: Vec<Timestamp>,
}

impl Acc {
    fn merge(&mut self, o: &Acc) {
        self.size += o.size;
        for (a, b) in self.on.iter_mut().zip(&o.on) {
            *a += b;
        }
        for (a, b) in self.on_or_after.iter_mut().zip(&o.on_or_after) {
            *a += b;
        }
        self.entries.extend_from_slice(&o.entries);
    }

    fn finish(&self, cohort: String, start: Option<Timestamp>, observable: Vec<u64>) -> Cohort {
        let rate = |v: &[u64]| -> Vec<f64> {
            v.iter()
                .map(|&x| {
                    if self.size == 0 {
                        0.0
                    } else {
                        x as f64 / self.size as f64
                    }
                })
                .collect()
        };
        let on_or_after_rate = rate(&self.on_or_after);
        Cohort {
            cohort,
            start,
            size: self.size,
            on: self.on.clone(),
            on_or_after: self.on_or_after.clone(),
            on_rate: rate(&self.on),
            churn_rate: on_or_after_rate.iter().map(|r| 1.0 - r).collect(),
            repeat_rate: on_or_after_rate[0],
            on_or_after_rate,
            observable_rate: self
                .on
                .iter()
                .zip(&observable)
                .map(|(&on, &n)| (n > 0).then(|| on as f64 / n as f64))
                .collect(),
            observable,
        }
    }
}

/// Months since 1970-01 of a timestamp, and the timestamp of that month's first day (the
/// earliest time when that day is before it).
fn month_of(t: Timestamp) -> (i64, Timestamp) {
    let (y, m, _) = civil_from_days(t.div_euclid(NS_PER_DAY));
    (
        (y - 1970) * 12 + m as i64 - 1,
        day_start(days_from_civil(y, m, 1)),
    )
}

impl RetentionPeriod {
    /// Calendar index of the period holding `t`, and the period's start.
    fn calendar(self, t: Timestamp) -> (i64, Timestamp) {
        let day = t.div_euclid(NS_PER_DAY);
        match self {
            RetentionPeriod::Day => (day, day_start(day)),
            // 1970-01-05 was a Monday.
            RetentionPeriod::Week => {
                let w = (day - 4).div_euclid(7);
                (w, day_start(w * 7 + 4))
            }
            RetentionPeriod::Month => month_of(t),
        }
    }

    /// The first instant of the calendar period with index `index` (as [`Self::calendar`] gives).
    fn start_of(self, index: i64) -> Timestamp {
        match self {
            RetentionPeriod::Day => day_start(index),
            RetentionPeriod::Week => day_start(index.saturating_mul(7).saturating_add(4)),
            RetentionPeriod::Month => {
                let (y, m) = (1970 + index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
                day_start(days_from_civil(y, m, 1))
            }
        }
    }

    fn length(self) -> i64 {
        match self {
            RetentionPeriod::Day => NS_PER_DAY,
            RetentionPeriod::Week => 7 * NS_PER_DAY,
            RetentionPeriod::Month => 30 * NS_PER_DAY,
        }
    }
}

/// The mergeable partial of [`Retention`]: per cohort start, sizes and return counts.
///
/// ```
/// use journeystream::analytics::journey::retention::{RetentionPartial, RetentionRequest};
/// use journeystream::log::LogBuilder;
/// let mut b = LogBuilder::new();
/// b.push("a", "visit", 0)?;
/// b.push("b", "visit", 0)?;
/// let log = b.finish().unwrap();
/// let r = RetentionRequest::default();
/// let parts = RetentionPartial::of_cases(&log, &r, 0..1)?.merge(RetentionPartial::of_cases(&log, &r, 1..2)?);
/// assert_eq!(parts.finish(&r), RetentionPartial::of_log(&log, &r)?.finish(&r));
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionPartial {
    cohorts: BTreeMap<Timestamp, Acc>,
    /// The last event of the cases seen.
    end: Option<Timestamp>,
}

fn check(r: &RetentionRequest) -> Result<()> {
    if !(1..=1000).contains(&r.periods) {
        return Err(Error::argument("periods", r.periods, "must be 1 to 1000"));
    }
    Ok(())
}

impl RetentionPartial {
    fn add(&mut self, log: &EventLog, r: &RetentionRequest, cases: Range<usize>) {
        let code = |a: &Option<String>| {
            a.as_ref()
                .map(|a| log.activities().code(a).unwrap_or(crate::log::NO_CODE))
        };
        let (entry_code, return_code) = (code(&r.cohort_activity), code(&r.return_activity));
        let p = r.periods;
        let mut on = vec![false; p + 1];
        for c in cases {
            let case = log.case(c);
            let (acts, ts) = (case.activities(), case.timestamps());
            self.end = self.end.max(ts.iter().copied().max());
            let Some(i) = (match entry_code {
                None => (!acts.is_empty()).then_some(0),
                Some(a) => acts.iter().position(|&x| x == a),
            }) else {
                continue;
            };
            let t0 = ts[i];
            let (index0, start) = r.period.calendar(t0);
            on.iter_mut().for_each(|x| *x = false);
            let mut furthest: Option<i64> = None;
            for (&a, &t) in acts[i + 1..].iter().zip(&ts[i + 1..]) {
                if return_code.is_some_and(|want| a != want) {
                    continue;
                }
                let k = match r.windows {
                    Windows::Rolling => (t - t0).div_euclid(r.period.length()),
                    Windows::Calendar => r.period.calendar(t).0 - index0,
                };
                if (0..=p as i64).contains(&k) {
                    on[k as usize] = true;
                }
                furthest = furthest.max(Some(k));
            }
            let acc = self.cohorts.entry(start).or_insert_with(|| Acc {
                size: 0,
                on: vec![0; p + 1],
                on_or_after: vec![0; p + 1],
                entries: Vec::new(),
            });
            acc.size += 1;
            acc.entries.push(t0);
            for (k, &hit) in on.iter().enumerate() {
                acc.on[k] += hit as u64;
                acc.on_or_after[k] += furthest.is_some_and(|f| f >= k as i64) as u64;
            }
        }
    }

    /// The partial of cases `cases` of `log`.
    pub fn of_cases(
        log: &EventLog,
        r: &RetentionRequest,
        cases: Range<usize>,
    ) -> Result<RetentionPartial> {
        check(r)?;
        let mut p = RetentionPartial {
            cohorts: BTreeMap::new(),
            end: None,
        };
        p.add(log, r, cases);
        Ok(p)
    }

    /// The partial of a whole log, on all cores.
    pub fn of_log(log: &EventLog, r: &RetentionRequest) -> Result<RetentionPartial> {
        check(r)?;
        Ok(over_cases(
            log,
            || RetentionPartial {
                cohorts: BTreeMap::new(),
                end: None,
            },
            |p, log, cases| p.add(log, r, cases),
            RetentionPartial::merge,
        ))
    }

    /// Combines with the partial of other cases.
    pub fn merge(mut self, other: RetentionPartial) -> RetentionPartial {
        self.end = self.end.max(other.end);
        for (k, v) in other.cohorts {
            match self.cohorts.get_mut(&k) {
                Some(a) => a.merge(&v),
                None => {
                    self.cohorts.insert(k, v);
                }
            }
        }
        self
    }

    /// The cohorts.
    pub fn finish(self, r: &RetentionRequest) -> Retention {
        let mut total = Acc {
            size: 0,
            on: vec![0; r.periods + 1],
            on_or_after: vec![0; r.periods + 1],
            entries: Vec::new(),
        };
        let end = self.end.unwrap_or(Timestamp::MIN);
        let mut total_observable = vec![0u64; r.periods + 1];
        let cohorts = self
            .cohorts
            .iter()
            .map(|(&start, acc)| {
                let (index0, _) = r.period.calendar(start);
                // Customers whose period k had begun by the last event.
                let mut entries = acc.entries.clone();
                entries.sort_unstable();
                let observable: Vec<u64> = (0..=r.periods)
                    .map(|k| match r.windows {
                        Windows::Rolling => entries.partition_point(|&t| {
                            t as i128 + k as i128 * r.period.length() as i128 <= end as i128
                        }) as u64,
                        Windows::Calendar if r.period.start_of(index0 + k as i64) <= end => {
                            acc.size
                        }
                        Windows::Calendar => 0,
                    })
                    .collect();
                for (t, o) in total_observable.iter_mut().zip(&observable) {
                    *t += o;
                }
                let (size, on, on_or_after) = (acc.size, acc.on.clone(), acc.on_or_after.clone());
                total.merge(&Acc {
                    size,
                    on,
                    on_or_after,
                    entries: Vec::new(),
                });
                let day = format_rfc3339(start);
                acc.finish(day[..day.len() - 10].to_string(), Some(start), observable)
            })
            .collect();
        Retention {
            period: r.period,
            windows: r.windows,
            periods: r.periods,
            cohorts,
            total: total.finish("total".into(), None, total_observable),
        }
    }
}

/// The retention cohorts of a log, on all cores.
pub fn retention(log: &EventLog, r: &RetentionRequest) -> Result<Retention> {
    if log.num_cases() == 0 {
        // Rates of no customers are not 0 or 1: there is nothing to measure.
        return Err(crate::error::Error::MissingData {
            path: "log".into(),
            what: "customers: the log has no cases, so there is no retention to measure".into(),
        });
    }
    // A partition may lack the activities; the whole log must have them.
    for (path, name) in [
        ("cohort_activity", &r.cohort_activity),
        ("return_activity", &r.return_activity),
    ] {
        if let Some(a) = name {
            log.activity_code(a, path)?;
        }
    }
    Ok(RetentionPartial::of_log(log, r)?.finish(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::timestamp::parse_rfc3339;
    use crate::log::LogBuilder;

    #[test]
    fn months_by_calendar_and_rolling() {
        let mut b = LogBuilder::new();
        for (case, t) in [
            ("a", "2024-01-31T23:00:00Z"),
            ("a", "2024-02-01T01:00:00Z"),
            ("b", "2023-12-15T00:00:00Z"),
            ("b", "2024-03-01T00:00:00Z"),
        ] {
            b.push(case, "visit", parse_rfc3339(t, 0).unwrap()).unwrap();
        }
        let log = b.finish().unwrap();
        let r = |windows| RetentionRequest {
            period: RetentionPeriod::Month,
            periods: 3,
            windows,
            ..Default::default()
        };
        let calendar = retention(&log, &r(Windows::Calendar)).unwrap();
        let cohorts: Vec<&str> = calendar.cohorts.iter().map(|c| c.cohort.as_str()).collect();
        assert_eq!(cohorts, ["2023-12-01", "2024-01-01"]);
        // b: December to March is 3 calendar months; a: January to February, 1.
        assert_eq!(calendar.cohorts[0].on, [0, 0, 0, 1]);
        assert_eq!(calendar.cohorts[1].on, [0, 1, 0, 0]);
        let rolling = retention(&log, &r(Windows::Rolling)).unwrap();
        // b: 77 days = period 2 of 30 days; a: 2 hours = period 0.
        assert_eq!(rolling.cohorts[0].on, [0, 0, 1, 0]);
        assert_eq!(rolling.cohorts[1].on, [1, 0, 0, 0]);
        assert_eq!(rolling.total.churn_rate, [0.0, 0.5, 0.5, 1.0]);
    }

    #[test]
    fn young_cohorts_count_only_the_periods_that_had_begun() {
        let day = NS_PER_DAY;
        let mut b = LogBuilder::new();
        for (case, t) in [("a", 0), ("a", day), ("b", 2 * day), ("b", 3 * day)] {
            b.push(case, "visit", t).unwrap();
        }
        let log = b.finish().unwrap();
        for windows in [Windows::Rolling, Windows::Calendar] {
            let r = RetentionRequest {
                periods: 3,
                windows,
                ..Default::default()
            };
            let x = retention(&log, &r).unwrap();
            // The last event is on day 3: a (day 0) could return in periods 0..=3, b (day 2) in 0..=1.
            assert_eq!(x.cohorts[0].observable, [1, 1, 1, 1]);
            assert_eq!(x.cohorts[1].observable, [1, 1, 0, 0]);
            assert_eq!(x.cohorts[1].on, [0, 1, 0, 0]);
            assert_eq!(
                x.cohorts[1].observable_rate,
                [Some(0.0), Some(1.0), None, None]
            );
            assert_eq!(x.total.observable, [2, 2, 1, 1]);
            let halves = RetentionPartial::of_cases(&log, &r, 0..1)
                .unwrap()
                .merge(RetentionPartial::of_cases(&log, &r, 1..2).unwrap());
            assert_eq!(halves.finish(&r), x);
        }
    }

    #[test]
    fn weeks_start_on_monday() {
        let day = NS_PER_DAY;
        // 1970-01-04 was a Sunday, 1970-01-05 a Monday.
        assert_eq!(RetentionPeriod::Week.calendar(3 * day).1, -3 * day);
        assert_eq!(RetentionPeriod::Week.calendar(4 * day).1, 4 * day);
        assert_eq!(
            RetentionPeriod::Month.calendar(parse_rfc3339("2024-02-29T12:00:00Z", 0).unwrap()),
            (
                (2024 - 1970) * 12 + 1,
                parse_rfc3339("2024-02-01T00:00:00Z", 0).unwrap()
            )
        );
    }
}
