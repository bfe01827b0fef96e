//! Funnels over ordered steps, with the semantics of Amplitude and Mixpanel.
//!
//! Steps are [`EventPredicate`]s (an activity and/or an event attribute equal to a value). An
//! *attempt* starts at an event matching step 1 and matches the later steps in the case's event
//! order (time, ties in input order):
//!
//! - [`Order::Strict`] ("this order"): each step at a later event than the previous one, other
//!   events allowed between; steps are matched greedily (the earliest next match);
//! - [`Order::Exact`] ("exact order"): each step at the very next event;
//! - [`Order::Any`] ("any order"): step 1 first, the others in any order after it; step k is
//!   reached when steps 2..k have all occurred (its time is the latest of their first
//!   occurrences after the start).
//!
//! With a conversion window, only events at most `window_seconds` after the attempt's step-1
//! event count. Exclusion steps end an attempt at the first excluded event between the steps they
//! name (`between: [a, b]`, 1-based, default the whole funnel; in any order: anywhere after the
//! start); an event that matches the next step is taken as the step, not as an exclusion. With
//! `hold_constant`, only events whose values of those event attributes equal the step-1 event's
//! (both missing counts as equal) take part in an attempt.
//!
//! **Uniques** (the default): a case counts once, by its best attempt: the one reaching the
//! furthest step, and among those the one with the earliest step-1 event (Amplitude and Mixpanel
//! also count the attempt that gets furthest; this makes the choice between equals explicit).
//! **Totals**: a case counts its attempts one after another: after an attempt that completes the
//! funnel, the next one starts after its last step's event; an attempt that does not complete is
//! the case's last (so only completed funnels are re-entered, as in Mixpanel's totals).
//!
//! Per step: count, conversion from the start (count ÷ step-1 count) and from the previous step,
//! drop-off, and the time to convert from step 1 and from the previous step (seconds; mean,
//! median and quartiles, p90) over the attempts reaching the step.
//!
//! ```
//! use journeystream::analytics::journey::funnel::{funnel, FunnelRequest};
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! for (case, activity, minute) in [("a", "visit", 0), ("a", "cart", 5), ("a", "buy", 10),
//!                                  ("b", "visit", 0), ("b", "cart", 1), ("c", "visit", 0)] {
//!     b.push(case, activity, minute * 60_000_000_000)?;
//! }
//! let f = funnel(&b.finish().unwrap(), &FunnelRequest::new(["visit", "cart", "buy"]))?;
//! let counts: Vec<u64> = f.steps.iter().map(|s| s.count).collect();
//! assert_eq!(counts, [3, 2, 1]);
//! assert_eq!(f.steps[2].conversion_from_previous, 0.5);
//! assert_eq!(f.steps[1].time_from_start.unwrap().median, 180.0); // 5 and 1 minutes
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::{value_codes, BoundPredicate, EventPredicate, TimeStats};
use crate::analytics::partial::over_cases;
use crate::error::{Error, Result};
use crate::log::{EventLog, Timestamp, NO_CODE};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// How steps follow each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// In order, other events allowed between (the default).
    #[default]
    Strict,
    /// In order, nothing between.
    Exact,
    /// Step 1 first, the others in any order.
    Any,
}

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// Cases, once each (the default).
    #[default]
    Uniques,
    /// Attempts (a case re-enters after completing the funnel).
    Totals,
}

/// An exclusion step: an event that ends an attempt between two steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    #[serde(default)]
    pub activity: Option<String>,
    #[serde(default)]
    pub attribute: Option<super::AttributeEquals>,
    /// Steps (1-based) between which the exclusion applies: after step `a` is reached and before
    /// step `b` is; default the whole funnel `[1, n]`.
    #[serde(default)]
    pub between: Option<[usize; 2]>,
}

/// The `funnel` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelRequest {
    /// The steps (2 to 32; a bare string is an activity).
    pub steps: Vec<EventPredicate>,
    #[serde(default)]
    pub order: Order,
    /// Conversion window from the step-1 event, seconds (none: unbounded).
    #[serde(default)]
    pub window_seconds: Option<f64>,
    #[serde(default)]
    pub counting: Counting,
    /// Up to 32 exclusion steps.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// Event attributes whose value must stay that of the step-1 event.
    #[serde(default)]
    pub hold_constant: Vec<String>,
    /// A case attribute to break the funnel down by.
    #[serde(default)]
    pub breakdown: Option<String>,
}

impl FunnelRequest {
    /// A strict-order funnel of activities, uniques, no window.
    pub fn new<S: Into<String>>(activities: impl IntoIterator<Item = S>) -> FunnelRequest {
        FunnelRequest {
            steps: activities
                .into_iter()
                .map(EventPredicate::activity)
                .collect(),
            order: Order::Strict,
            window_seconds: None,
            counting: Counting::Uniques,
            exclusions: Vec::new(),
            hold_constant: Vec::new(),
            breakdown: None,
        }
    }
}

/// One step of a funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelStep {
    /// 1-based.
    pub step: usize,
    pub label: String,
    /// Cases (uniques) or attempts (totals) reaching the step.
    pub count: u64,
    /// count ÷ step-1 count (0 when no one entered).
    pub conversion_from_start: f64,
    /// count ÷ previous step's count (1 for step 1 when any entered, else 0).
    pub conversion_from_previous: f64,
    /// Previous step's count − count (0 for step 1).
    pub drop_off: u64,
    /// drop_off ÷ previous step's count (0 for step 1).
    pub drop_off_rate: f64,
    /// Seconds from the step-1 event to this step's (none for step 1 or when none reached it).
    pub time_from_start: Option<TimeStats>,
    /// Seconds from the previous step's event to this step's.
    pub time_from_previous: Option<TimeStats>,
}

/// A funnel for one value of the breakdown attribute (`value` none: cases without one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelGroup {
    pub value: Option<String>,
    pub steps: Vec<FunnelStep>,
}

/// The result of a funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    pub order: Order,
    pub counting: Counting,
    pub window_seconds: Option<f64>,
    /// Cases in the log.
    pub cases: u64,
    /// Over all cases.
    pub steps: Vec<FunnelStep>,
    /// The attribute of `breakdown`, if any.
    pub breakdown_attribute: Option<String>,
    /// Per value of the breakdown attribute, sorted by value (none first); empty without one.
    pub breakdown: Vec<FunnelGroup>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct GroupAcc {
    counts: Vec<u64>,
    from_start: Vec<Vec<i64>>,
    from_previous: Vec<Vec<i64>>,
}

impl GroupAcc {
    fn new(n: usize) -> GroupAcc {
        GroupAcc {
            counts: vec![0; n],
            from_start: vec![Vec::new(); n],
            from_previous: vec![Vec::new(); n],
        }
    }

    fn merge(&mut self, other: GroupAcc) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        for (a, mut b) in self.from_start.iter_mut().zip(other.from_start) {
            a.append(&mut b);
        }
        for (a, mut b) in self.from_previous.iter_mut().zip(other.from_previous) {
            a.append(&mut b);
        }
    }

    fn record(&mut self, reached: usize, times: &[Timestamp]) {
        for k in 0..reached {
            self.counts[k] += 1;
            if k > 0 {
                self.from_start[k].push(times[k] - times[0]);
                self.from_previous[k].push(times[k] - times[k - 1]);
            }
        }
    }

    fn finish(mut self, labels: &[String]) -> Vec<FunnelStep> {
        let first = self.counts[0];
        let times: Vec<(Option<TimeStats>, Option<TimeStats>)> = self
            .from_start
            .par_iter_mut()
            .zip(self.from_previous.par_iter_mut())
            .map(|(a, b)| (TimeStats::of_nanos(a), TimeStats::of_nanos(b)))
            .collect();
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        (0..labels.len())
            .map(|k| {
                let count = self.counts[k];
                let previous = if k == 0 { first } else { self.counts[k - 1] };
                let drop_off = previous - count;
                FunnelStep {
                    step: k + 1,
                    label: labels[k].clone(),
                    count,
                    conversion_from_start: ratio(count, first),
                    conversion_from_previous: ratio(count, previous),
                    drop_off,
                    drop_off_rate: ratio(drop_off, previous),
                    time_from_start: times[k].0,
                    time_from_previous: times[k].1,
                }
            })
            .collect()
    }
}

/// The mergeable partial of a [`Funnel`]: per breakdown value, the counts and conversion times
/// of the steps.
///
/// ```
/// use journeystream::analytics::journey::funnel::{FunnelPartial, FunnelRequest};
/// use journeystream::log::LogBuilder;
/// let mut b = LogBuilder::new();
/// for (case, activity, t) in [("a", "visit", 0), ("a", "buy", 5), ("b", "visit", 1)] {
///     b.push(case, activity, t)?;
/// }
/// let log = b.finish().unwrap();
/// let r = FunnelRequest::new(["visit", "buy"]);
/// let whole = FunnelPartial::of_log(&log, &r)?;
/// let parts = FunnelPartial::of_cases(&log, &r, 0..1)?.merge(FunnelPartial::of_cases(&log, &r, 1..2)?);
/// assert_eq!(parts.finish(&r), whole.finish(&r));
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelPartial {
    cases: u64,
    groups: BTreeMap<Option<String>, GroupAcc>,
}

/// A [`FunnelRequest`] bound to a log.
struct Bound<'a> {
    log: &'a EventLog,
    steps: Vec<BoundPredicate<'a>>,
    exclusions: Vec<(BoundPredicate<'a>, usize, usize)>,
    hold: Vec<Cow<'a, [u32]>>,
    window: Option<i64>,
    order: Order,
    counting: Counting,
    breakdown: Option<(Cow<'a, [u32]>, Vec<String>)>,
    /// The mask of each activity code, when every step and exclusion tests only the activity.
    by_activity: Option<Vec<u64>>,
}

const MAX_STEPS: usize = 32;

impl<'a> Bound<'a> {
    fn new(log: &'a EventLog, r: &FunnelRequest) -> Result<Bound<'a>> {
        let n = r.steps.len();
        if !(2..=MAX_STEPS).contains(&n) {
            return Err(Error::argument(
                "steps",
                n,
                format!("a funnel has 2 to {MAX_STEPS} steps"),
            ));
        }
        if r.exclusions.len() > MAX_STEPS {
            return Err(Error::argument(
                "exclusions",
                r.exclusions.len(),
                format!("at most {MAX_STEPS} exclusion steps"),
            ));
        }
        let steps = r
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| s.bind(log, &format!("steps[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        let mut exclusions = Vec::new();
        for (i, x) in r.exclusions.iter().enumerate() {
            let [a, b] = x.between.unwrap_or([1, n]);
            if a < 1 || b > n || a >= b {
                return Err(Error::argument(
                    &format!("exclusions[{i}].between"),
                    format!("[{a}, {b}]"),
                    format!("must be two steps a < b within 1..={n}"),
                ));
            }
            let p = EventPredicate {
                activity: x.activity.clone(),
                attribute: x.attribute.clone(),
            };
            exclusions.push((p.bind(log, &format!("exclusions[{i}]"))?, a, b));
        }
        let mut hold = Vec::new();
        // A partition without the column has no values in it (the whole log is checked by
        // `funnel`): all its events are "missing", which equals "missing".
        for name in &r.hold_constant {
            hold.push(match log.event_attribute(name) {
                Some(col) => value_codes(col).0,
                None => Cow::Owned(vec![NO_CODE; log.num_events()]),
            });
        }
        let window = match r.window_seconds {
            None => None,
            Some(w) if w.is_finite() && w >= 0.0 => Some((w * 1e9).min(i64::MAX as f64) as i64),
            Some(w) => {
                return Err(Error::argument(
                    "window_seconds",
                    w,
                    "must be a finite number of seconds ≥ 0",
                ))
            }
        };
        let breakdown = r
            .breakdown
            .as_ref()
            .map(|name| match log.case_attribute(name) {
                Some(col) => {
                    let (codes, dict) = value_codes(col);
                    (codes, dict.to_strings())
                }
                None => (Cow::Owned(vec![NO_CODE; log.num_cases()]), Vec::new()),
            });
        let activity_only = r.steps.iter().all(|s| s.attribute.is_none())
            && r.exclusions.iter().all(|x| x.attribute.is_none());
        let by_activity = activity_only.then(|| {
            let mut table = vec![0u64; log.activities().len()];
            let mask = |p: &EventPredicate| p.activity.as_ref().map(|a| log.activities().code(a));
            let mut set = |p: &EventPredicate, bit: u64| match mask(p) {
                None => table.iter_mut().for_each(|m| *m |= bit),
                Some(Some(code)) => table[code as usize] |= bit,
                Some(None) => {}
            };
            for (k, p) in r.steps.iter().enumerate() {
                set(p, 1 << k);
            }
            for (j, x) in r.exclusions.iter().enumerate() {
                let p = EventPredicate {
                    activity: x.activity.clone(),
                    attribute: None,
                };
                set(&p, 1 << (32 + j));
            }
            table
        });
        Ok(Bound {
            by_activity,
            log,
            steps,
            exclusions,
            hold,
            window,
            order: r.order,
            counting: r.counting,
            breakdown,
        })
    }

    /// Bit k: step k; bit 32 + j: exclusion j.
    fn masks(&self, events: Range<usize>, out: &mut Vec<u64>) {
        out.clear();
        if let Some(table) = &self.by_activity {
            out.extend(self.log.activity[events].iter().map(|&a| table[a as usize]));
            return;
        }
        out.extend(events.map(|e| {
            let mut m = 0u64;
            for (k, s) in self.steps.iter().enumerate() {
                if s.matches(e) {
                    m |= 1 << k;
                }
            }
            for (j, (x, _, _)) in self.exclusions.iter().enumerate() {
                if x.matches(e) {
                    m |= 1 << (32 + j);
                }
            }
            m
        }));
    }

    /// Exclusion bits active once `reached` steps are matched.
    fn active_exclusions(&self, reached: usize) -> u64 {
        let mut m = 0;
        for (j, &(_, a, b)) in self.exclusions.iter().enumerate() {
            if (self.order == Order::Any || (a <= reached && reached < b)) && reached >= 1 {
                m |= 1 << (32 + j);
            }
        }
        m
    }

    /// One attempt from case-relative event `s`: fills `times` with the steps' times, returns
    /// (steps reached, index of the last matched event).
    fn attempt(
        &self,
        first: usize,
        masks: &[u64],
        times: &mut [Timestamp],
        s: usize,
        active: &[u64],
    ) -> (usize, usize) {
        let ts = &self.log.timestamp[first..first + masks.len()];
        let n = self.steps.len();
        let t0 = ts[s];
        times[0] = t0;
        let visible = |e: usize| {
            self.window.map_or(true, |w| ts[e] - t0 <= w)
                && self.hold.iter().all(|h| {
                    h[first + e] == h[first + s]
                        || h[first + s] == NO_CODE && h[first + e] == NO_CODE
                })
        };
        match self.order {
            Order::Strict | Order::Exact => {
                let mut reached = 1;
                let mut last = s;
                for e in s + 1..masks.len() {
                    if self.window.is_some_and(|w| ts[e] - t0 > w) {
                        break;
                    }
                    if !self.hold.is_empty() && !visible(e) {
                        continue;
                    }
                    if masks[e] >> reached & 1 == 1 {
                        times[reached] = ts[e];
                        reached += 1;
                        last = e;
                        if reached == n {
                            break;
                        }
                    } else if self.order == Order::Exact || masks[e] & active[reached] != 0 {
                        break;
                    }
                }
                (reached, last)
            }
            Order::Any => {
                let mut found = [i64::MIN; MAX_STEPS];
                let mut missing: u64 = ((1u64 << n) - 1) & !1;
                let mut last = s;
                for e in s + 1..masks.len() {
                    if missing == 0 || self.window.is_some_and(|w| ts[e] - t0 > w) {
                        break;
                    }
                    if !self.hold.is_empty() && !visible(e) {
                        continue;
                    }
                    let hit = masks[e] & missing;
                    if hit != 0 {
                        let mut h = hit;
                        while h != 0 {
                            let k = h.trailing_zeros() as usize;
                            found[k] = ts[e];
                            h &= h - 1;
                        }
                        missing &= !hit;
                        last = e;
                    } else if masks[e] & active[1] != 0 {
                        break;
                    }
                }
                let mut reached = 1;
                let mut t = t0;
                while reached < n && found[reached] != i64::MIN {
                    t = t.max(found[reached]);
                    times[reached] = t;
                    reached += 1;
                }
                (reached, last)
            }
        }
    }

    /// Adds cases to per-breakdown-code accumulators (index: code, last: no value).
    fn add(&self, cases: Range<usize>, accs: &mut [GroupAcc]) {
        let n = self.steps.len();
        let active: Vec<u64> = (0..=n).map(|k| self.active_exclusions(k)).collect();
        // Without a window, held values and exclusions, the earliest start gets furthest.
        let first_start_only = self.window.is_none()
            && self.hold.is_empty()
            && self.exclusions.is_empty()
            && self.order != Order::Exact;
        let mut masks = Vec::new();
        let mut times = vec![0; n];
        let mut best_times = vec![0; n];
        for c in cases {
            let events = self.log.case(c).events();
            let first = events.start;
            let group = match &self.breakdown {
                Some((codes, _)) if codes[c] != NO_CODE => codes[c] as usize,
                Some((_, dict)) => dict.len(),
                None => 0,
            };
            self.masks(events, &mut masks);
            let mut from = 0;
            loop {
                let mut best: Option<(usize, usize)> = None;
                for s in from..masks.len() {
                    if masks[s] & 1 == 0 {
                        continue;
                    }
                    let (reached, last) = self.attempt(first, &masks, &mut times, s, &active);
                    if best.map_or(true, |(r, _)| reached > r) {
                        best = Some((reached, last));
                        best_times.copy_from_slice(&times);
                    }
                    if reached == n || first_start_only {
                        break;
                    }
                }
                let Some((reached, last)) = best else { break };
                accs[group].record(reached, &best_times[..reached]);
                if self.counting == Counting::Uniques || reached < n {
                    break;
                }
                from = last + 1;
            }
        }
    }
}

impl FunnelPartial {
    /// The partial of cases `cases` of `log`.
    pub fn of_cases(
        log: &EventLog,
        r: &FunnelRequest,
        cases: Range<usize>,
    ) -> Result<FunnelPartial> {
        let bound = Bound::new(log, r)?;
        Ok(bound.partial(cases))
    }

    /// The partial of a whole log, on all cores.
    pub fn of_log(log: &EventLog, r: &FunnelRequest) -> Result<FunnelPartial> {
        let bound = Bound::new(log, r)?;
        Ok(over_cases(
            log,
            || FunnelPartial {
                cases: 0,
                groups: BTreeMap::new(),
            },
            |p, _, cases| {
                let q = std::mem::replace(
                    p,
                    FunnelPartial {
                        cases: 0,
                        groups: BTreeMap::new(),
                    },
                );
                *p = q.merge(bound.partial(cases));
            },
            FunnelPartial::merge,
        ))
    }

    /// Combines with the partial of other cases.
    pub fn merge(mut self, other: FunnelPartial) -> FunnelPartial {
        self.cases += other.cases;
        for (k, g) in other.groups {
            match self.groups.get_mut(&k) {
                Some(a) => a.merge(g),
                None => {
                    self.groups.insert(k, g);
                }
            }
        }
        self
    }

    /// The funnel.
    pub fn finish(self, r: &FunnelRequest) -> Funnel {
        let labels: Vec<String> = r.steps.iter().map(EventPredicate::label).collect();
        let mut overall = GroupAcc::new(labels.len());
        let mut breakdown = Vec::new();
        for (value, g) in self.groups {
            if r.breakdown.is_some() {
                overall.merge(g.clone());
                breakdown.push(FunnelGroup {
                    value,
                    steps: g.finish(&labels),
                });
            } else {
                overall.merge(g);
            }
        }
        Funnel {
            order: r.order,
            counting: r.counting,
            window_seconds: r.window_seconds,
            cases: self.cases,
            steps: overall.finish(&labels),
            breakdown_attribute: r.breakdown.clone(),
            breakdown,
        }
    }
}

impl Bound<'_> {
    fn partial(&self, cases: Range<usize>) -> FunnelPartial {
        let n = self.steps.len();
        let groups = self.breakdown.as_ref().map_or(1, |(_, d)| d.len() + 1);
        let mut accs = vec![GroupAcc::new(n); groups];
        let count = cases.len() as u64;
        self.add(cases, &mut accs);
        let mut out = BTreeMap::new();
        for (i, acc) in accs.into_iter().enumerate() {
            if acc.counts[0] == 0 {
                continue;
            }
            let key = match &self.breakdown {
                Some((_, dict)) => dict.get(i).cloned(),
                None => None,
            };
            out.insert(key, acc);
        }
        FunnelPartial {
            cases: count,
            groups: out,
        }
    }
}

/// The funnel of a log, on all cores.
///
/// Unlike the partials (where a partition may lack a name the others have), the whole log must
/// have the steps' and exclusions' activities, attributes and values, the `hold_constant` event
/// attributes and the `breakdown` case attribute.
pub fn funnel(log: &EventLog, r: &FunnelRequest) -> Result<Funnel> {
    for (i, step) in r.steps.iter().enumerate() {
        step.check(log, &format!("steps[{i}]"))?;
    }
    for (i, x) in r.exclusions.iter().enumerate() {
        let p = EventPredicate {
            activity: x.activity.clone(),
            attribute: x.attribute.clone(),
        };
        p.check(log, &format!("exclusions[{i}]"))?;
    }
    for (i, name) in r.hold_constant.iter().enumerate() {
        log.event_column(name, &format!("hold_constant[{i}]"))?;
    }
    if let Some(name) = &r.breakdown {
        log.case_column(name, "breakdown")?;
    }
    Ok(FunnelPartial::of_log(log, r)?.finish(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{AttrValue, LogBuilder};

    fn log() -> EventLog {
        let mut b = LogBuilder::new();
        for (case, activity, t, device) in [
            ("1", "a", 0, "web"),
            ("1", "x", 1, "app"),
            ("1", "b", 2, "web"),
            ("2", "a", 0, "web"),
            ("2", "a", 10, "app"),
            ("2", "b", 11, "app"),
        ] {
            let e = b.push(case, activity, t * 1_000_000_000).unwrap();
            b.set_event_attribute(e, "device", AttrValue::Text(device));
        }
        b.finish().unwrap()
    }

    fn counts(r: &FunnelRequest) -> Vec<u64> {
        funnel(&log(), r)
            .unwrap()
            .steps
            .iter()
            .map(|s| s.count)
            .collect()
    }

    #[test]
    fn exact_order_skips_events_of_other_held_values() {
        let mut r = FunnelRequest::new(["a", "b"]);
        r.order = Order::Exact;
        // Case 1: x lies between a and b; case 2: the second a is followed by b.
        assert_eq!(counts(&r), [2, 1]);
        r.hold_constant = vec!["device".into()];
        // Holding the device, case 1's x (app) is not seen: a, b are adjacent among web events.
        assert_eq!(counts(&r), [2, 2]);
    }

    #[test]
    fn window_picks_a_later_start() {
        let mut r = FunnelRequest::new(["a", "b"]);
        r.window_seconds = Some(5.0);
        let f = funnel(&log(), &r).unwrap();
        assert_eq!(f.steps[1].count, 2);
        // Case 2 converts from its second a (1 s), not its first (11 s, outside the window).
        assert_eq!(f.steps[1].time_from_start.unwrap().max, 2.0);
    }

    #[test]
    fn names_the_log_lacks_are_errors_not_zeros() {
        let e = funnel(&log(), &FunnelRequest::new(["a", "bb"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument 'steps[1]': 'bb' is not an activity of the log; did you mean 'b'? \
             (activities: a, x, b)"
        );
        let mut r = FunnelRequest::new(["a", "b"]);
        r.steps[1].attribute = Some(super::super::AttributeEquals {
            name: "device".into(),
            value: "wbe".into(),
        });
        let e = funnel(&log(), &r).unwrap_err().to_string();
        assert!(e.starts_with("argument 'steps[1].attribute.value': 'wbe' is not a value of 'device' in the log; did you mean 'web'?"), "{e}");
        r.steps[1].attribute = None;
        r.exclusions = vec![Exclusion {
            activity: Some("y".into()),
            attribute: None,
            between: None,
        }];
        let e = funnel(&log(), &r).unwrap_err().to_string();
        assert!(e.starts_with("argument 'exclusions[0]': 'y'"), "{e}");
        // A partition may lack a step's activity: its partial counts zero, and merges.
        let p = FunnelPartial::of_log(&log(), &FunnelRequest::new(["a", "zz"])).unwrap();
        assert_eq!(p.cases, 2);
    }

    #[test]
    fn bad_parameters_name_their_field() {
        let bad = |r: FunnelRequest, field: &str| {
            let e = funnel(&log(), &r).unwrap_err();
            assert!(e.to_string().contains(field), "{e}");
        };
        bad(FunnelRequest::new(["a"]), "steps");
        let mut r = FunnelRequest::new(["a", "b"]);
        r.window_seconds = Some(-1.0);
        bad(r, "window_seconds");
        let mut r = FunnelRequest::new(["a", "b"]);
        r.hold_constant = vec!["colour".into()];
        bad(r, "hold_constant[0]");
        let mut r = FunnelRequest::new(["a", "b"]);
        r.exclusions = vec![Exclusion {
            activity: Some("x".into()),
            attribute: None,
            between: Some([2, 2]),
        }];
        bad(r, "exclusions[0].between");
        let mut r = FunnelRequest::new(["a", "b"]);
        r.steps[0].attribute = Some(super::super::AttributeEquals {
            name: "nope".into(),
            value: "1".into(),
        });
        bad(r, "steps[0].attribute.name");
    }
}
