//! Case arrivals: when cases start, how often, and how far apart.
//!
//! A case arrives at its first event: that event's start timestamp when it has one, else its
//! completion (the earliest instant of the case, where the process profile's case durations
//! start). Without start timestamps this is pm4py's case start (the first event's timestamp).
//! Inter-arrival times are the differences between consecutive arrivals in time order; their mean
//! is pm4py's `get_case_arrival_average` (0 below two cases). Arrivals are counted per UTC hour,
//! day or week (weeks start on Monday).
//!
//! ```
//! use journeystream::analytics::arrival::{arrivals, Period};
//! use journeystream::log::LogBuilder;
//! let hour = 3_600_000_000_000;
//! let mut b = LogBuilder::new();
//! for (case, t) in [("1", 0), ("2", hour / 2), ("3", 2 * hour)] {
//!     b.push(case, "visit", t)?;
//! }
//! let a = arrivals(&b.finish().unwrap(), Period::Hour);
//! assert_eq!(a.inter_arrival.mean, 3600.0); // (1800 + 5400) / 2 seconds
//! assert_eq!((a.periods, a.rate), (3, 1.0));
//! assert_eq!(a.buckets.iter().map(|b| b.cases).collect::<Vec<_>>(), [2, 1]);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::partial::Partial;
use super::process::DurationStats;
use crate::log::timestamp::EARLIEST;
use crate::log::{EventLog, Interner, Timestamp};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

const NS_PER_HOUR: i128 = 3_600_000_000_000;
const NS_PER_DAY: i128 = 24 * NS_PER_HOUR;

/// A calendar period in UTC.
///
/// ```
/// use journeystream::analytics::arrival::Period;
/// let day = 86_400_000_000_000;
/// assert_eq!(Period::Day.bucket(day + 5), day);
/// assert_eq!(Period::Week.bucket(0), -3 * day); // 1970-01-01 was a Thursday
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A UTC clock hour.
    Hour,
    /// A UTC calendar day (the default).
    #[default]
    Day,
    /// Monday 00:00 to Monday 00:00.
    Week,
}

impl Period {
    /// The start of the period holding `t` (UTC nanoseconds); the earliest time for the period
    /// that began before it.
    ///
    /// ```
    /// use journeystream::analytics::arrival::Period;
    /// let hour = 3_600_000_000_000;
    /// assert_eq!(Period::Hour.bucket(-1), -hour);
    /// ```
    pub fn bucket(self, t: Timestamp) -> Timestamp {
        let (length, origin) = self.length_and_origin();
        let start = (t as i128 - origin).div_euclid(length) * length + origin;
        start.clamp(EARLIEST as i128, i64::MAX as i128) as i64
    }

    /// Length in nanoseconds, and a period start.
    fn length_and_origin(self) -> (i128, i128) {
        match self {
            Period::Hour => (NS_PER_HOUR, 0),
            Period::Day => (NS_PER_DAY, 0),
            // 1970-01-05 was a Monday.
            Period::Week => (7 * NS_PER_DAY, 4 * NS_PER_DAY),
        }
    }
}

/// The arrivals in one period.
///
/// ```
/// use journeystream::analytics::arrival::ArrivalBucket;
/// let b = ArrivalBucket { start: 0, cases: 3 };
/// assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"start":0,"cases":3}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalBucket {
    /// Start of the period (UTC nanoseconds).
    pub start: Timestamp,
    /// Cases that arrived in it.
    pub cases: u64,
}

/// Case arrivals of a log.
///
/// ```
/// use journeystream::analytics::arrival::{arrivals, Period};
/// use journeystream::log::LogBuilder;
/// let a = arrivals(&LogBuilder::new().finish().unwrap(), Period::Day);
/// assert_eq!((a.cases, a.periods, a.rate, a.inter_arrival.mean), (0, 0, 0.0, 0.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrivals {
    pub period: Period,
    /// Cases (arrivals).
    pub cases: u64,
    /// Periods from the first arrival's to the last's, both included (0 without cases).
    pub periods: u64,
    /// Arrivals per period: cases ÷ periods (0 without cases).
    pub rate: f64,
    /// Time between consecutive arrivals (seconds); `mean` is pm4py's case arrival average.
    pub inter_arrival: DurationStats,
    /// Arrivals per period, in time order; periods without arrivals are left out.
    pub buckets: Vec<ArrivalBucket>,
}

/// The mergeable partial of [`Arrivals`]: each case's arrival time ([`Partial`]).
///
/// ```
/// use journeystream::analytics::{arrival::{ArrivalPartial, Period}, Partial};
/// use journeystream::log::LogBuilder;
/// let log_of = |case: &str, t: i64| {
///     let mut b = LogBuilder::new();
///     b.push(case, "a", t).unwrap();
///     b.finish().unwrap()
/// };
/// let p = ArrivalPartial::of_log(&log_of("2", 9_000_000_000))
///     .merge(ArrivalPartial::of_log(&log_of("1", 1_000_000_000)));
/// assert_eq!(p.finish(Period::Day).inter_arrival.mean, 8.0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArrivalPartial {
    arrivals: Vec<Timestamp>,
}

impl Partial for ArrivalPartial {
    fn empty(_activities: Arc<Interner>) -> Self {
        ArrivalPartial::default()
    }

    fn add_cases(&mut self, log: &EventLog, cases: Range<usize>) {
        self.arrivals.reserve(cases.len());
        for c in cases {
            let case = log.case(c);
            let Some(&first) = case.timestamps().first() else {
                continue;
            };
            // Events are ordered by (start when given, completion): the first begins earliest.
            let start = case.starts().map_or(i64::MIN, |s| s[0]);
            self.arrivals
                .push(if start == i64::MIN { first } else { start });
        }
    }

    fn merge(mut self, mut other: Self) -> Self {
        if self.arrivals.len() < other.arrivals.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.arrivals.append(&mut other.arrivals);
        self
    }
}

impl ArrivalPartial {
    /// The arrivals, counted per `period`.
    ///
    /// ```
    /// use journeystream::analytics::{arrival::{ArrivalPartial, Period}, Partial};
    /// use journeystream::log::LogBuilder;
    /// let mut b = LogBuilder::new();
    /// b.push("1", "a", 0)?;
    /// let a = ArrivalPartial::of_log(&b.finish().unwrap()).finish(Period::Hour);
    /// assert_eq!((a.cases, a.periods, a.rate, a.inter_arrival.count), (1, 1, 1.0, 0));
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn finish(self, period: Period) -> Arrivals {
        let mut arrivals = self.arrivals;
        arrivals.par_sort_unstable();
        let mut gaps: Vec<u64> = arrivals.windows(2).map(|w| w[1].abs_diff(w[0])).collect();
        let inter_arrival = DurationStats::of_nanos(&mut gaps);
        let mut buckets: Vec<ArrivalBucket> = Vec::new();
        for &t in &arrivals {
            let start = period.bucket(t);
            match buckets.last_mut() {
                Some(b) if b.start == start => b.cases += 1,
                _ => buckets.push(ArrivalBucket { start, cases: 1 }),
            }
        }
        let periods = match (buckets.first(), buckets.last()) {
            (Some(first), Some(last)) => {
                let (length, _) = period.length_and_origin();
                ((last.start as i128 - first.start as i128) / length + 1) as u64
            }
            _ => 0,
        };
        let cases = arrivals.len() as u64;
        Arrivals {
            period,
            cases,
            periods,
            rate: if periods == 0 {
                0.0
            } else {
                cases as f64 / periods as f64
            },
            inter_arrival,
            buckets,
        }
    }
}

/// The case arrivals of a log per `period`, on all cores.
///
/// ```
/// use journeystream::analytics::arrival::{arrivals, Period};
/// use journeystream::log::LogBuilder;
/// let day = 86_400_000_000_000;
/// let mut b = LogBuilder::new();
/// for (case, t) in [("1", 0), ("2", 3 * day), ("3", 4 * day + 1)] {
///     b.push(case, "order", t)?;
/// }
/// let a = arrivals(&b.finish().unwrap(), Period::Day);
/// assert_eq!((a.periods, a.rate), (5, 0.6));
/// assert_eq!(a.inter_arrival.max, 3.0 * 86_400.0); // gaps of 3 days and 1 day + 1 ns
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn arrivals(log: &EventLog, period: Period) -> Arrivals {
    ArrivalPartial::of_log(log).finish(period)
}
