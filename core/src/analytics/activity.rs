//! Per-activity statistics: frequency, service and waiting time, rework and self-loops.
//!
//! - Events and cases: events of the activity, and cases with at least one.
//! - Service time: completion − start of each event with a start timestamp (seconds); none when
//!   no event of the activity has one.
//! - Waiting time: from the completion of the previous event of the case to the start of this one
//!   (its completion when it has no start), never below zero:
//!   `max(start(b), complete(a)) − complete(a)`, the flow time of the directly-follows edge `a → b`
//!   in the process profile. The first event of a case has no waiting time.
//! - Rework cases: cases in which the activity occurs more than once (pm4py's
//!   `get_rework_cases_per_activity`); repeats: occurrences beyond the first in each case
//!   (events − cases).
//! - Self-loops: the activity directly followed by itself; the number of such pairs and of the
//!   cases with one.
//!
//! ```
//! use journeystream::{analytics::activity::activity_stats, log::LogBuilder};
//! let mut b = LogBuilder::new();
//! for (case, activity, t) in [("1", "a", 0), ("1", "b", 10), ("1", "b", 15), ("2", "a", 0), ("2", "b", 30)] {
//!     b.push(case, activity, t * 1_000_000_000)?;
//! }
//! let stats = activity_stats(&b.finish().unwrap());
//! let b_stats = &stats[0];
//! assert_eq!((b_stats.activity.as_str(), b_stats.events, b_stats.cases), ("b", 3, 2));
//! assert_eq!((b_stats.rework_cases, b_stats.repeats, b_stats.self_loops), (1, 1, 1));
//! assert_eq!(b_stats.waiting_time.as_ref().unwrap().mean, 15.0); // (10 + 5 + 30) / 3
//! assert!(b_stats.service_time.is_none());
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::partial::{add_counts, unify, Partial};
use super::process::DurationStats;
use crate::log::{EventLog, Interner};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// An event without a start timestamp (see [`crate::log::Case::starts`]).
const NO_START: i64 = i64::MIN;

/// Statistics of one activity (times in seconds).
///
/// ```
/// use journeystream::{analytics::activity::activity_stats, log::LogBuilder};
/// let mut b = LogBuilder::new();
/// let e = b.push("1", "a", 5_000_000_000)?;
/// b.set_start(e, 2_000_000_000);
/// let a = &activity_stats(&b.finish().unwrap())[0];
/// assert_eq!(a.service_time.as_ref().unwrap().mean, 3.0);
/// assert!(a.waiting_time.is_none());
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityStats {
    pub activity: String,
    /// Events of the activity.
    pub events: u64,
    /// Cases with at least one.
    pub cases: u64,
    /// Completion − start of its events with a start timestamp; none when none has one.
    pub service_time: Option<DurationStats>,
    /// From the previous event's completion to its start (completion when no start), not below
    /// zero; none when it never follows another event.
    pub waiting_time: Option<DurationStats>,
    /// Cases in which it occurs more than once.
    pub rework_cases: u64,
    /// Occurrences beyond the first in each case (events − cases).
    pub repeats: u64,
    /// Times it is directly followed by itself.
    pub self_loops: u64,
    /// Cases in which it is directly followed by itself.
    pub self_loop_cases: u64,
}

/// The mergeable partial of the per-activity statistics ([`Partial`]); finish with
/// [`ActivityPartial::finish`].
///
/// ```
/// use journeystream::analytics::{activity::ActivityPartial, Partial};
/// use journeystream::log::LogBuilder;
/// let log_of = |rows: &[(&str, &str, i64)]| {
///     let mut b = LogBuilder::new();
///     for &(c, a, t) in rows {
///         b.push(c, a, t).unwrap();
///     }
///     b.finish().unwrap()
/// };
/// let one = log_of(&[("1", "a", 0), ("1", "b", 1)]);
/// let two = log_of(&[("2", "b", 0), ("2", "b", 4)]);
/// let merged = ActivityPartial::of_log(&one).merge(ActivityPartial::of_log(&two)).finish();
/// assert_eq!((merged[0].activity.as_str(), merged[0].events, merged[0].self_loop_cases), ("b", 3, 1));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityPartial {
    activities: Arc<Interner>,
    events: Vec<u64>,
    cases: Vec<u64>,
    rework_cases: Vec<u64>,
    self_loops: Vec<u64>,
    self_loop_cases: Vec<u64>,
    /// Service times (ns) per activity.
    service: Vec<Vec<i64>>,
    /// Waiting times (ns) per activity.
    waiting: Vec<Vec<i64>>,
}

impl Partial for ActivityPartial {
    fn empty(activities: Arc<Interner>) -> Self {
        let n = activities.len();
        ActivityPartial {
            activities,
            events: vec![0; n],
            cases: vec![0; n],
            rework_cases: vec![0; n],
            self_loops: vec![0; n],
            self_loop_cases: vec![0; n],
            service: vec![Vec::new(); n],
            waiting: vec![Vec::new(); n],
        }
    }

    fn add_cases(&mut self, log: &EventLog, cases: Range<usize>) {
        let n = self.activities.len();
        // The last case in which each activity was seen, was seen twice, and looped.
        let (mut seen, mut reworked, mut looped) = (
            vec![usize::MAX; n],
            vec![usize::MAX; n],
            vec![usize::MAX; n],
        );
        for c in cases {
            let case = log.case(c);
            let (acts, ts, starts) = (case.activities(), case.timestamps(), case.starts());
            for (i, &a) in acts.iter().enumerate() {
                let a = a as usize;
                self.events[a] += 1;
                if seen[a] != c {
                    seen[a] = c;
                    self.cases[a] += 1;
                } else if reworked[a] != c {
                    reworked[a] = c;
                    self.rework_cases[a] += 1;
                }
                let start = starts.map_or(NO_START, |s| s[i]);
                if start != NO_START {
                    self.service[a].push(ts[i] - start);
                }
                if i > 0 {
                    let begin = if start == NO_START { ts[i] } else { start };
                    self.waiting[a].push(begin.max(ts[i - 1]) - ts[i - 1]);
                    if acts[i - 1] as usize == a {
                        self.self_loops[a] += 1;
                        if looped[a] != c {
                            looped[a] = c;
                            self.self_loop_cases[a] += 1;
                        }
                    }
                }
            }
        }
    }

    fn merge(mut self, other: Self) -> Self {
        let (dict, map) = unify(&self.activities, &other.activities);
        let m = map.as_deref();
        self.activities = dict;
        add_counts(&mut self.events, &other.events, m);
        add_counts(&mut self.cases, &other.cases, m);
        add_counts(&mut self.rework_cases, &other.rework_cases, m);
        add_counts(&mut self.self_loops, &other.self_loops, m);
        add_counts(&mut self.self_loop_cases, &other.self_loop_cases, m);
        append_lists(&mut self.service, other.service, m);
        append_lists(&mut self.waiting, other.waiting, m);
        let n = self.activities.len();
        for v in [
            &mut self.events,
            &mut self.cases,
            &mut self.rework_cases,
            &mut self.self_loops,
            &mut self.self_loop_cases,
        ] {
            v.resize(n, 0);
        }
        self.service.resize_with(n, Vec::new);
        self.waiting.resize_with(n, Vec::new);
        self
    }
}

/// Appends `theirs` (indexed by their codes) to `ours` (indexed by the unified codes).
fn append_lists(ours: &mut Vec<Vec<i64>>, theirs: Vec<Vec<i64>>, map: Option<&[u32]>) {
    for (i, mut v) in theirs.into_iter().enumerate() {
        let j = map.map_or(i, |m| m[i] as usize);
        if j >= ours.len() {
            ours.resize_with(j + 1, Vec::new);
        }
        if ours[j].is_empty() {
            ours[j] = v;
        } else {
            ours[j].append(&mut v);
        }
    }
}

impl ActivityPartial {
    /// The statistics of every activity with events, by events (most first), ties by name.
    ///
    /// ```
    /// use journeystream::analytics::{activity::ActivityPartial, Partial};
    /// use journeystream::log::LogBuilder;
    /// let mut b = LogBuilder::new();
    /// b.push("1", "a", 0)?;
    /// let stats = ActivityPartial::of_log(&b.finish().unwrap()).finish();
    /// assert_eq!(stats.len(), 1);
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn finish(self) -> Vec<ActivityStats> {
        let stats = |mut v: Vec<i64>| (!v.is_empty()).then(|| DurationStats::of_nanos(&mut v));
        let names = self.activities.names();
        let mut out: Vec<ActivityStats> = self
            .service
            .into_par_iter()
            .zip(self.waiting)
            .enumerate()
            .filter(|&(a, _)| self.events[a] > 0)
            .map(|(a, (service, waiting))| ActivityStats {
                activity: names[a].to_string(),
                events: self.events[a],
                cases: self.cases[a],
                service_time: stats(service),
                waiting_time: stats(waiting),
                rework_cases: self.rework_cases[a],
                repeats: self.events[a] - self.cases[a],
                self_loops: self.self_loops[a],
                self_loop_cases: self.self_loop_cases[a],
            })
            .collect();
        out.sort_by(|x, y| {
            y.events
                .cmp(&x.events)
                .then_with(|| x.activity.cmp(&y.activity))
        });
        out
    }
}

/// The raw observations of one activity in an [`ActivityPartial`].
pub(crate) struct ActivityTimes<'a> {
    pub events: u64,
    pub cases: u64,
    pub rework_cases: u64,
    /// Service times (ns): complete − start.
    pub service: &'a [i64],
    /// Waiting times (ns): start (complete without starts) − previous complete in the case.
    pub waiting: &'a [i64],
}

impl ActivityPartial {
    /// The observations of the activity named `name`, if the log has it.
    pub(crate) fn times(&self, name: &str) -> Option<ActivityTimes<'_>> {
        let a = self.activities.code(name)? as usize;
        (self.events.get(a).copied().unwrap_or(0) > 0).then(|| ActivityTimes {
            events: self.events[a],
            cases: self.cases[a],
            rework_cases: self.rework_cases[a],
            service: &self.service[a],
            waiting: &self.waiting[a],
        })
    }
}

/// The per-activity statistics of a log, on all cores.
///
/// ```
/// use journeystream::{analytics::activity::activity_stats, log::LogBuilder};
/// let mut b = LogBuilder::new();
/// for (case, activity, t) in [("1", "a", 0), ("1", "a", 1), ("2", "a", 2)] {
///     b.push(case, activity, t)?;
/// }
/// let a = &activity_stats(&b.finish().unwrap())[0];
/// assert_eq!((a.events, a.cases, a.rework_cases, a.self_loop_cases), (3, 2, 1, 1));
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn activity_stats(log: &EventLog) -> Vec<ActivityStats> {
    ActivityPartial::of_log(log).finish()
}
