//! Filters: each returns a new [`EventLog`], never changes the one it reads.
//!
//! Every filter goes through one primitive, [`EventLog::select`]: keep some cases and, within them,
//! some events. The result keeps the log's invariants (events grouped by case, cases in their
//! original order, events in their original order within a case) and every attribute column, case
//! and event, row for row. A case left without events is dropped.
//!
//! The filtered log shares the original activity dictionary: codes stay valid, and activities
//! whose events were all filtered out keep their code but have no events. The analytics never
//! report an activity without events. Text attribute columns likewise keep their dictionaries.
//!
//! [`Filter`] names the filters pm4py users know (time range with pm4py's modes, attribute values,
//! activities, top-k variants, variant coverage, activity presence, follows patterns, case size
//! and duration); apply one with [`EventLog::filter`], invert one with `!`.
//!
//! ```
//! use journeystream::log::{filter::Filter, LogBuilder};
//! let mut b = LogBuilder::new();
//! for (case, activity, t) in [("1", "a", 0), ("1", "b", 1), ("2", "a", 2), ("2", "c", 3)] {
//!     b.push(case, activity, t)?;
//! }
//! let log = b.finish().unwrap();
//! let with_b = log.filter(&Filter::contains_any(["b"]))?;
//! assert_eq!(with_b.num_cases(), 1);
//! let without_a = log.filter(&!Filter::activities(["a"]))?;
//! assert_eq!(without_a.num_events(), 2);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::builder::NO_START;
use super::{value_code, Case, Column, EventLog, Interner, Timestamp, NO_CODE};
use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::fmt;

impl EventLog {
    /// The log restricted to the cases for which `keep_case` holds and, within them, to the events
    /// (by index in the event columns, see [`Case::events`]) for which `keep_event` holds.
    /// `keep_event` is only asked about events of kept cases. A case left without events is
    /// dropped. All attribute columns follow; the activity dictionary is shared.
    ///
    /// ```
    /// use journeystream::log::{AttrValue, LogBuilder};
    /// let mut b = LogBuilder::new();
    /// for (case, activity, t, channel) in [("1", "a", 0, "web"), ("1", "b", 1, "app"), ("2", "b", 2, "app")] {
    ///     let e = b.push(case, activity, t)?;
    ///     b.set_event_attribute(e, "channel", AttrValue::Text(channel));
    /// }
    /// let log = b.finish().unwrap();
    /// let channel = log.event_attribute("channel").unwrap();
    /// let web = log.select(|_| true, |e| channel.get(e) == Some(AttrValue::Text("web")));
    /// assert_eq!((web.num_cases(), web.num_events()), (1, 1));
    /// assert_eq!(web.case(0).activity_names().collect::<Vec<_>>(), ["a"]);
    /// let first = log.select(|case| case.id() == "1", |_| true);
    /// assert_eq!((first.num_cases(), first.num_events()), (1, 2));
    /// let none = log.select(|_| true, |_| false);
    /// assert_eq!(none.num_cases(), 0);
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn select(
        &self,
        keep_case: impl Fn(Case<'_>) -> bool,
        keep_event: impl Fn(usize) -> bool,
    ) -> EventLog {
        let mut cases: Vec<u32> = Vec::new();
        let mut events: Vec<u32> = Vec::new();
        let mut offsets: Vec<u32> = vec![0];
        for case in self.cases() {
            let (index, range) = (case.index(), case.events());
            if !keep_case(case) {
                continue;
            }
            let before = events.len();
            events.extend(range.filter(|&e| keep_event(e)).map(|e| e as u32));
            if events.len() > before {
                cases.push(index as u32);
                offsets.push(events.len() as u32);
            }
        }
        if events.len() == self.num_events() && cases.len() == self.num_cases() {
            return self.clone();
        }
        fn take<T: Copy>(v: &[T], rows: &[u32]) -> Vec<T> {
            rows.iter().map(|&i| v[i as usize]).collect()
        }
        let mut case_ids = Interner::default();
        for &c in &cases {
            case_ids.intern(self.case_ids.get(c));
        }
        EventLog {
            case_ids: std::sync::Arc::new(case_ids),
            activities: self.activities.clone(),
            offsets,
            activity: take(&self.activity, &events),
            timestamp: take(&self.timestamp, &events),
            start: self.start.as_ref().map(|s| take(s, &events)),
            event_attributes: self
                .event_attributes
                .iter()
                .map(|(k, c)| (k.clone(), c.permuted(&events)))
                .collect(),
            case_attributes: self
                .case_attributes
                .iter()
                .map(|(k, c)| (k.clone(), c.permuted(&cases)))
                .collect(),
        }
    }

    /// The log filtered by `filter` (see [`Filter`] for what each keeps).
    ///
    /// ```
    /// use journeystream::log::{filter::Filter, LogBuilder};
    /// let mut b = LogBuilder::new();
    /// for (case, activity, t) in [("1", "a", 0), ("1", "b", 5), ("2", "a", 7)] {
    ///     b.push(case, activity, t)?;
    /// }
    /// let log = b.finish().unwrap();
    /// assert_eq!(log.filter(&Filter::case_size(Some(2), None))?.num_cases(), 1);
    /// assert!(log.filter(&Filter::case_attribute("region", journeystream::log::filter::Predicate::equals("EU"))).is_err());
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn filter(&self, filter: &Filter) -> Result<EventLog> {
        Ok(match filter.compile(self)? {
            Keep::Cases(f) => self.select(f, |_| true),
            Keep::Events(f) => self.select(|_| true, f),
        })
    }
}

/// Which cases or events a time-range filter keeps, for the window `[from, to)` (pm4py's
/// `filter_time_range` modes). A case's span runs from its earliest to its latest completion
/// timestamp, as pm4py computes it.
///
/// pm4py closes the window on both ends (`dt1 <= t <= dt2`) in every mode but `intersecting`,
/// where it opens it on both ends (`min < dt2 and max > dt1`). Timestamps are whole nanoseconds,
/// so pm4py's results come from `[dt1, dt2 + 1)` and, for `intersecting`, `[dt1 + 1, dt2)`.
///
/// ```
/// use journeystream::log::filter::TimeMode;
/// let mode: TimeMode = serde_json::from_str("\"contained\"").unwrap();
/// assert_eq!(mode, TimeMode::Contained);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeMode {
    /// Cases whose whole span lies in the window (pm4py `traces_contained`).
    Contained,
    /// Cases whose span shares an instant with the window (pm4py `traces_intersecting`).
    Intersecting,
    /// Cases whose first event completes in the window (pm4py `traces_starting_in`).
    Started,
    /// Cases whose last event completes in the window (pm4py `traces_completing_in`).
    Completed,
    /// Events completed in the window, whatever their case (pm4py `events`).
    Events,
}

/// Whether an event-attribute filter keeps matching events or whole cases with a matching event
/// (pm4py's `level="event"` / `level="case"`).
///
/// ```
/// use journeystream::log::filter::Level;
/// assert_eq!(serde_json::to_string(&Level::Case).unwrap(), "\"case\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Keep the matching events (cases left empty are dropped).
    #[default]
    Event,
    /// Keep every event of the cases with at least one matching event.
    Case,
}

/// An attribute value to compare with: text, number, integer or bool. In JSON it is the bare
/// value (`"EU"`, `2.5`, `3`, `true`).
///
/// ```
/// use journeystream::log::filter::Scalar;
/// let v: Vec<Scalar> = serde_json::from_str(r#"["EU", 2.5, 3, true]"#).unwrap();
/// assert_eq!(v, [Scalar::from("EU"), Scalar::Number(2.5), Scalar::Integer(3), Scalar::Bool(true)]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// Matches bool columns.
    Bool(bool),
    /// Matches integer columns exactly, number columns as f64.
    Integer(i64),
    /// Matches number columns, and integer columns as f64.
    Number(f64),
    /// Matches text columns.
    Text(String),
}

impl From<&str> for Scalar {
    fn from(v: &str) -> Scalar {
        Scalar::Text(v.to_string())
    }
}
impl From<String> for Scalar {
    fn from(v: String) -> Scalar {
        Scalar::Text(v)
    }
}
impl From<f64> for Scalar {
    fn from(v: f64) -> Scalar {
        Scalar::Number(v)
    }
}
impl From<i64> for Scalar {
    fn from(v: i64) -> Scalar {
        Scalar::Integer(v)
    }
}
impl From<bool> for Scalar {
    fn from(v: bool) -> Scalar {
        Scalar::Bool(v)
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(v) => write!(f, "{v}"),
            Scalar::Integer(v) => write!(f, "{v}"),
            Scalar::Number(v) => write!(f, "{v}"),
            Scalar::Text(v) => f.write_str(v),
        }
    }
}

/// A test on an attribute value. A row without a value never matches (so `!filter` keeps it).
///
/// | column  | `Equals` / `OneOf` with             | `Range`   |
/// |---------|-------------------------------------|-----------|
/// | text    | text                                | —         |
/// | number  | number or integer (compared as f64) | inclusive |
/// | integer | integer, or number (compared as f64)| inclusive |
/// | bool    | bool                                | —         |
///
/// Any other pairing, and time columns, give [`Error::InvalidArgument`].
///
/// ```
/// use journeystream::log::filter::Predicate;
/// let p = Predicate::one_of(["EU", "US"]);
/// assert_eq!(p, Predicate::OneOf(vec!["EU".into(), "US".into()]));
/// let r: Predicate = serde_json::from_str(r#"{"range": {"min": 10, "max": null}}"#).unwrap();
/// assert_eq!(r, Predicate::range(Some(10.0), None));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    /// The value equals this one.
    Equals(Scalar),
    /// The value equals one of these.
    OneOf(Vec<Scalar>),
    /// A number or integer with `min <= value <= max` (a missing bound does not limit).
    Range { min: Option<f64>, max: Option<f64> },
}

impl Predicate {
    /// Equal to `value`.
    ///
    /// ```
    /// use journeystream::log::filter::{Predicate, Scalar};
    /// assert_eq!(Predicate::equals(3i64), Predicate::Equals(Scalar::Integer(3)));
    /// ```
    pub fn equals(value: impl Into<Scalar>) -> Predicate {
        Predicate::Equals(value.into())
    }

    /// Equal to one of `values`.
    ///
    /// ```
    /// use journeystream::log::filter::Predicate;
    /// assert_eq!(Predicate::one_of([true]), Predicate::OneOf(vec![true.into()]));
    /// ```
    pub fn one_of<V: Into<Scalar>>(values: impl IntoIterator<Item = V>) -> Predicate {
        Predicate::OneOf(values.into_iter().map(Into::into).collect())
    }

    /// A number in `[min, max]`.
    ///
    /// ```
    /// use journeystream::log::filter::Predicate;
    /// assert_eq!(Predicate::range(None, Some(5.0)), Predicate::Range { min: None, max: Some(5.0) });
    /// ```
    pub fn range(min: Option<f64>, max: Option<f64>) -> Predicate {
        Predicate::Range { min, max }
    }
}

/// A filter over an event log; apply it with [`EventLog::filter`].
///
/// Case filters keep or drop whole cases; event filters keep or drop events. `!filter`
/// ([`Filter::Not`]) keeps what `filter` drops, at the same level. An activity, attribute or value
/// that the log does not have (nor the log it was filtered from) is an error suggesting the
/// closest name it has. Variants rank as
/// in the process profile: by cases, most first, ties by activity names.
///
/// ```
/// use journeystream::log::{filter::{Filter, TimeMode}, LogBuilder};
/// let mut b = LogBuilder::new();
/// for (case, activity, t) in [("1", "a", 0), ("1", "b", 10), ("2", "a", 5), ("2", "b", 30)] {
///     b.push(case, activity, t)?;
/// }
/// let log = b.finish().unwrap();
/// let early = log.filter(&Filter::time_range(0, 20, TimeMode::Contained))?;
/// assert_eq!(early.case(0).id(), "1");
/// let events = log.filter(&Filter::time_range(0, 20, TimeMode::Events))?;
/// assert_eq!(events.num_events(), 3);
/// let json = serde_json::to_string(&!Filter::top_variants(1))?;
/// assert_eq!(json, r#"{"not":{"top_variants":1}}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Filter {
    /// Cases or events by time, in the window `[from, to)` of UTC nanoseconds (see [`TimeMode`]);
    /// in JSON each bound is integer nanoseconds or RFC 3339 text.
    TimeRange {
        #[serde(deserialize_with = "time_bound")]
        from: Timestamp,
        #[serde(deserialize_with = "time_bound")]
        to: Timestamp,
        mode: TimeMode,
    },
    /// Cases whose case attribute `name` matches.
    CaseAttribute { name: String, predicate: Predicate },
    /// Events whose event attribute `name` matches, or cases with such an event.
    EventAttribute {
        name: String,
        predicate: Predicate,
        level: Level,
    },
    /// Events of these activities (drop them with `!`).
    Activities(Vec<String>),
    /// Cases of the `k` most frequent variants.
    TopVariants(usize),
    /// Cases of the most frequent variants, taken in rank order until they cover at least this
    /// share (0 to 1) of the cases. (pm4py's `filter_variants_by_coverage_percentage` differs: it
    /// keeps every variant whose own share reaches a minimum.)
    VariantCoverage(f64),
    /// Cases with at least one event of one of these activities.
    ContainsAny(Vec<String>),
    /// Cases with events of all of these activities (every case, for none).
    ContainsAll(Vec<String>),
    /// Cases in which these activities occur in this order: each eventually followed by the next
    /// (pm4py's eventually-follows filter, for two), or, when `directly`, consecutively (pm4py's
    /// directly-follows filter). Every case matches an empty pattern.
    Follows {
        activities: Vec<String>,
        directly: bool,
    },
    /// Cases with `min <= events <= max`.
    CaseSize {
        min: Option<usize>,
        max: Option<usize>,
    },
    /// Cases whose duration (last completion − first start, as in the process profile) is in
    /// `[min_seconds, max_seconds]`, in seconds as every duration the library reports.
    CaseDuration {
        #[serde(default)]
        min_seconds: Option<f64>,
        #[serde(default)]
        max_seconds: Option<f64>,
    },
    /// What the inner filter drops, at its level.
    Not(Box<Filter>),
}

impl std::ops::Not for Filter {
    type Output = Filter;
    /// The filter keeping what this one drops; `!!f` is `f`.
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// let f = Filter::top_variants(3);
    /// assert_eq!(!f.clone(), Filter::Not(Box::new(f.clone())));
    /// assert_eq!(!!f.clone(), f);
    /// ```
    fn not(self) -> Filter {
        match self {
            Filter::Not(inner) => *inner,
            f => Filter::Not(Box::new(f)),
        }
    }
}

fn names<S: Into<String>>(v: impl IntoIterator<Item = S>) -> Vec<String> {
    v.into_iter().map(Into::into).collect()
}

impl Filter {
    /// [`Filter::TimeRange`] over `[from, to)`.
    ///
    /// ```
    /// use journeystream::log::filter::{Filter, TimeMode};
    /// let f = Filter::time_range(0, 10, TimeMode::Started);
    /// assert_eq!(f, Filter::TimeRange { from: 0, to: 10, mode: TimeMode::Started });
    /// ```
    pub fn time_range(from: Timestamp, to: Timestamp, mode: TimeMode) -> Filter {
        Filter::TimeRange { from, to, mode }
    }

    /// [`Filter::CaseAttribute`].
    ///
    /// ```
    /// use journeystream::log::filter::{Filter, Predicate};
    /// let f = Filter::case_attribute("region", Predicate::equals("EU"));
    /// assert!(matches!(f, Filter::CaseAttribute { .. }));
    /// ```
    pub fn case_attribute(name: impl Into<String>, predicate: Predicate) -> Filter {
        Filter::CaseAttribute {
            name: name.into(),
            predicate,
        }
    }

    /// [`Filter::EventAttribute`].
    ///
    /// ```
    /// use journeystream::log::filter::{Filter, Level, Predicate};
    /// let f = Filter::event_attribute("channel", Predicate::equals("web"), Level::Case);
    /// assert!(matches!(f, Filter::EventAttribute { level: Level::Case, .. }));
    /// ```
    pub fn event_attribute(name: impl Into<String>, predicate: Predicate, level: Level) -> Filter {
        Filter::EventAttribute {
            name: name.into(),
            predicate,
            level,
        }
    }

    /// [`Filter::Activities`]: keep the events of these activities.
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// assert_eq!(Filter::activities(["a"]), Filter::Activities(vec!["a".into()]));
    /// ```
    pub fn activities<S: Into<String>>(activities: impl IntoIterator<Item = S>) -> Filter {
        Filter::Activities(names(activities))
    }

    /// [`Filter::TopVariants`].
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// assert_eq!(Filter::top_variants(5), Filter::TopVariants(5));
    /// ```
    pub fn top_variants(k: usize) -> Filter {
        Filter::TopVariants(k)
    }

    /// [`Filter::VariantCoverage`].
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// assert_eq!(Filter::variant_coverage(0.8), Filter::VariantCoverage(0.8));
    /// ```
    pub fn variant_coverage(share: f64) -> Filter {
        Filter::VariantCoverage(share)
    }

    /// [`Filter::ContainsAny`].
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// assert_eq!(Filter::contains_any(["a"]), Filter::ContainsAny(vec!["a".into()]));
    /// ```
    pub fn contains_any<S: Into<String>>(activities: impl IntoIterator<Item = S>) -> Filter {
        Filter::ContainsAny(names(activities))
    }

    /// [`Filter::ContainsAll`].
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// assert_eq!(Filter::contains_all(["a", "b"]), Filter::ContainsAll(vec!["a".into(), "b".into()]));
    /// ```
    pub fn contains_all<S: Into<String>>(activities: impl IntoIterator<Item = S>) -> Filter {
        Filter::ContainsAll(names(activities))
    }

    /// [`Filter::Follows`] with `directly: false`: `a` eventually followed by `b`.
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// let f = Filter::eventually_follows("a", "b");
    /// assert_eq!(f, Filter::Follows { activities: vec!["a".into(), "b".into()], directly: false });
    /// ```
    pub fn eventually_follows(a: impl Into<String>, b: impl Into<String>) -> Filter {
        Filter::Follows {
            activities: vec![a.into(), b.into()],
            directly: false,
        }
    }

    /// [`Filter::Follows`] with `directly: true`: `a` directly followed by `b`.
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// let f = Filter::directly_follows("a", "b");
    /// assert_eq!(f, Filter::Follows { activities: vec!["a".into(), "b".into()], directly: true });
    /// ```
    pub fn directly_follows(a: impl Into<String>, b: impl Into<String>) -> Filter {
        Filter::Follows {
            activities: vec![a.into(), b.into()],
            directly: true,
        }
    }

    /// [`Filter::CaseSize`].
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// assert_eq!(Filter::case_size(Some(2), None), Filter::CaseSize { min: Some(2), max: None });
    /// ```
    pub fn case_size(min: Option<usize>, max: Option<usize>) -> Filter {
        Filter::CaseSize { min, max }
    }

    /// [`Filter::CaseDuration`], bounds in seconds.
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// let f = Filter::case_duration(None, Some(3600.0));
    /// assert_eq!(f, Filter::CaseDuration { min_seconds: None, max_seconds: Some(3600.0) });
    /// assert_eq!(serde_json::to_string(&f)?, r#"{"case_duration":{"min_seconds":null,"max_seconds":3600.0}}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn case_duration(min_seconds: Option<f64>, max_seconds: Option<f64>) -> Filter {
        Filter::CaseDuration {
            min_seconds,
            max_seconds,
        }
    }

    /// Reads a filter from JSON: an error names the bad field's path, or the line and column of
    /// a syntax error.
    ///
    /// ```
    /// use journeystream::log::filter::Filter;
    /// let f = Filter::from_json(r#"{"time_range": {"from": "2024-01-01T00:00:00Z", "to": 1704153600000000000, "mode": "events"}}"#)?;
    /// assert_eq!(f, Filter::time_range(1_704_067_200_000_000_000, 1_704_153_600_000_000_000, journeystream::log::filter::TimeMode::Events));
    /// let e = Filter::from_json(r#"{"case_duration": {"max": 3600}}"#).unwrap_err();
    /// assert!(e.to_string().contains("unknown field `max`"), "{e}");
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Filter> {
        crate::json::from_str(text, "a filter")
    }

    fn compile<'a>(&self, log: &'a EventLog) -> Result<Keep<'a>> {
        Ok(match self {
            Filter::Not(inner) => match inner.compile(log)? {
                Keep::Cases(f) => Keep::Cases(Box::new(move |c| !f(c))),
                Keep::Events(f) => Keep::Events(Box::new(move |e| !f(e))),
            },
            &Filter::TimeRange { from, to, mode } => {
                if from > to {
                    return Err(Error::argument(
                        "to",
                        to,
                        format!("is before 'from' ({from})"),
                    ));
                }
                let inside = move |t: Timestamp| from <= t && t < to;
                let span = |c: &Case<'_>| {
                    let ts = c.timestamps();
                    let min = ts.iter().copied().min().unwrap_or(0);
                    let max = ts.iter().copied().max().unwrap_or(0);
                    (min, max)
                };
                match mode {
                    TimeMode::Events => Keep::Events(Box::new(move |e| inside(log.timestamp[e]))),
                    TimeMode::Contained => Keep::Cases(Box::new(move |c| {
                        let (min, max) = span(&c);
                        from <= min && max < to
                    })),
                    TimeMode::Intersecting => Keep::Cases(Box::new(move |c| {
                        let (min, max) = span(&c);
                        min < to && max >= from
                    })),
                    TimeMode::Started => Keep::Cases(Box::new(move |c| inside(span(&c).0))),
                    TimeMode::Completed => Keep::Cases(Box::new(move |c| inside(span(&c).1))),
                }
            }
            Filter::CaseAttribute { name, predicate } => {
                let column = attribute(log, name, false)?;
                let matches = matcher(column, name, predicate)?;
                Keep::Cases(Box::new(move |c| matches(c.index())))
            }
            Filter::EventAttribute {
                name,
                predicate,
                level,
            } => {
                let column = attribute(log, name, true)?;
                let matches = matcher(column, name, predicate)?;
                match level {
                    Level::Event => Keep::Events(matches),
                    Level::Case => Keep::Cases(Box::new(move |c| c.events().any(&matches))),
                }
            }
            Filter::Activities(names) => {
                let mask = activity_mask(log, names)?;
                Keep::Events(Box::new(move |e| mask[log.activity[e] as usize]))
            }
            &Filter::TopVariants(k) => {
                let (rank_of_case, _) = ranked_variants(log);
                Keep::Cases(Box::new(move |c| (rank_of_case[c.index()] as usize) < k))
            }
            &Filter::VariantCoverage(share) => {
                if !(0.0..=1.0).contains(&share) {
                    return Err(Error::argument("share", share, "is not between 0 and 1"));
                }
                let (rank_of_case, counts) = ranked_variants(log);
                let total = log.num_cases() as f64;
                let (mut kept, mut covered) = (0usize, 0u64);
                // Shares are compared as quotients so that 3 of 10 cases covers a share of 0.3.
                while kept < counts.len() && (covered as f64 / total) < share {
                    covered += counts[kept];
                    kept += 1;
                }
                Keep::Cases(Box::new(move |c| (rank_of_case[c.index()] as usize) < kept))
            }
            Filter::ContainsAny(names) => {
                let mask = activity_mask(log, names)?;
                Keep::Cases(Box::new(move |c| {
                    c.activities().iter().any(|&a| mask[a as usize])
                }))
            }
            Filter::ContainsAll(names) => {
                let mut required = codes(log, names)?;
                required.sort_unstable();
                required.dedup();
                Keep::Cases(Box::new(move |c| {
                    let acts = c.activities();
                    required.iter().all(|a| acts.contains(a))
                }))
            }
            &Filter::Follows {
                ref activities,
                directly,
            } => match codes(log, activities)? {
                pattern if pattern.is_empty() => Keep::Cases(Box::new(|_| true)),
                pattern if directly => Keep::Cases(Box::new(move |c| {
                    c.activities().windows(pattern.len()).any(|w| w == pattern)
                })),
                pattern => Keep::Cases(Box::new(move |c| {
                    let mut next = pattern.iter().peekable();
                    for a in c.activities() {
                        if next.peek() == Some(&a) {
                            next.next();
                        }
                    }
                    next.peek().is_none()
                })),
            },
            &Filter::CaseSize { min, max } => {
                check_bounds(min, max)?;
                Keep::Cases(Box::new(move |c| within(c.len(), min, max)))
            }
            &Filter::CaseDuration {
                min_seconds,
                max_seconds,
            } => {
                for (name, bound) in [("min_seconds", min_seconds), ("max_seconds", max_seconds)] {
                    if bound.is_some_and(f64::is_nan) {
                        return Err(Error::argument(name, "NaN", "is not a duration"));
                    }
                }
                check_bounds(min_seconds, max_seconds)?;
                // Bounds in nanoseconds, compared exactly with durations in a wider type.
                let nanos = |s: f64| (s * 1e9).round() as i128;
                let (min, max) = (min_seconds.map(nanos), max_seconds.map(nanos));
                Keep::Cases(Box::new(move |c| within(case_duration(&c), min, max)))
            }
        })
    }
}

/// What a compiled filter keeps: cases, or events by index.
enum Keep<'a> {
    Cases(Box<dyn Fn(Case<'_>) -> bool + 'a>),
    Events(Box<dyn Fn(usize) -> bool + 'a>),
}

fn check_bounds<T: PartialOrd + fmt::Display>(min: Option<T>, max: Option<T>) -> Result<()> {
    match (min, max) {
        (Some(min), Some(max)) if min > max => Err(Error::argument(
            "max",
            max,
            format!("is below 'min' ({min})"),
        )),
        _ => Ok(()),
    }
}

fn within<T: PartialOrd>(v: T, min: Option<T>, max: Option<T>) -> bool {
    min.map_or(true, |m| v >= m) && max.map_or(true, |m| v <= m)
}

/// Last completion − first start (first completion without start timestamps), as the profile,
/// in nanoseconds (wide: two timestamps can be further apart than an `i64` holds).
fn case_duration(c: &Case<'_>) -> i128 {
    let ts = c.timestamps();
    let first = match c.starts() {
        Some(s) if s[0] != NO_START => s[0],
        _ => ts[0],
    };
    ts[ts.len() - 1] as i128 - first as i128
}

/// A time bound given as integer nanoseconds or RFC 3339 text.
fn time_bound<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Timestamp, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Bound {
        Nanos(i64),
        Text(String),
    }
    let expected = "integer nanoseconds since 1970-01-01 UTC or RFC 3339 text";
    match Bound::deserialize(d)
        .map_err(|_| serde::de::Error::custom(format!("expected {expected}")))?
    {
        Bound::Nanos(t) => Ok(t),
        Bound::Text(s) => super::timestamp::parse_rfc3339(&s, 0).ok_or_else(|| {
            serde::de::Error::custom(format!("'{s}' is not a time: expected {expected}"))
        }),
    }
}

/// A mask over the log's activity codes: true for the named activities.
fn activity_mask(log: &EventLog, names: &[String]) -> Result<Vec<bool>> {
    let mut mask = vec![false; log.activities.len()];
    for a in codes(log, names)? {
        mask[a as usize] = true;
    }
    Ok(mask)
}

/// The codes of the named activities; an error for one the log does not have.
fn codes(log: &EventLog, names: &[String]) -> Result<Vec<u32>> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| log.activity_code(n, &format!("activities[{i}]")))
        .collect()
}

/// For each case the rank of its variant (0 = most frequent; ties by activity names), and the
/// number of cases of each rank.
fn ranked_variants(log: &EventLog) -> (Vec<u32>, Vec<u64>) {
    let mut ids: FxHashMap<&[u32], u32> = FxHashMap::default();
    let mut counts: Vec<u64> = Vec::new();
    let mut firsts: Vec<&[u32]> = Vec::new();
    let id_of_case: Vec<u32> = log
        .cases()
        .map(|c| {
            let acts = c.activities();
            let id = *ids.entry(acts).or_insert_with(|| {
                counts.push(0);
                firsts.push(acts);
                counts.len() as u32 - 1
            });
            counts[id as usize] += 1;
            id
        })
        .collect();
    let names = log.activities.names();
    let mut order: Vec<u32> = (0..counts.len() as u32).collect();
    order.sort_unstable_by(|&x, &y| {
        let (x, y) = (x as usize, y as usize);
        counts[y].cmp(&counts[x]).then_with(|| {
            let name = |a: &u32| &*names[*a as usize];
            firsts[x].iter().map(name).cmp(firsts[y].iter().map(name))
        })
    });
    let mut rank = vec![0u32; counts.len()];
    for (r, &id) in order.iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    let ranked_counts = order.iter().map(|&id| counts[id as usize]).collect();
    (
        id_of_case.iter().map(|&id| rank[id as usize]).collect(),
        ranked_counts,
    )
}

/// The named attribute column, or an error naming it and the closest columns there are.
fn attribute<'a>(log: &'a EventLog, name: &str, event: bool) -> Result<&'a Column> {
    if event {
        log.event_column(name, "attribute")
    } else {
        log.case_column(name, "attribute")
    }
}

fn kind_of(column: &Column) -> &'static str {
    match column {
        Column::Text { .. } => "text",
        Column::Number(_) => "number",
        Column::Integer(_) => "integer",
        Column::Bool(_) => "bool",
        Column::Time(_) => "time",
    }
}

/// A test of row `i` of `column` against `predicate`.
fn matcher<'a>(
    column: &'a Column,
    name: &str,
    predicate: &Predicate,
) -> Result<Box<dyn Fn(usize) -> bool + 'a>> {
    let mismatch = |value: &dyn fmt::Display, what: &str| {
        Error::argument(
            "predicate",
            value,
            format!(
                "{what} cannot be compared with the {} attribute '{name}'",
                kind_of(column)
            ),
        )
    };
    let values: &[Scalar] = match predicate {
        Predicate::Equals(v) => std::slice::from_ref(v),
        Predicate::OneOf(v) => v,
        &Predicate::Range { min, max } => {
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi || lo.is_nan() || hi.is_nan() {
                    return Err(Error::argument("max", hi, format!("is below 'min' ({lo})")));
                }
            }
            let inside = move |x: f64| within(x, min, max);
            return Ok(match column {
                Column::Number(v) => Box::new(move |i| v[i].is_some_and(inside)),
                Column::Integer(v) => Box::new(move |i| v[i].is_some_and(|x| inside(x as f64))),
                _ => return Err(mismatch(&"range", "a range")),
            });
        }
    };
    Ok(match column {
        Column::Text { dict, codes } => {
            let mut mask = vec![false; dict.len()];
            for v in values {
                match v {
                    Scalar::Text(s) => {
                        mask[value_code(dict, name, s, "predicate")? as usize] = true;
                    }
                    v => return Err(mismatch(v, "a non-text value")),
                }
            }
            Box::new(move |i| codes[i] != NO_CODE && mask[codes[i] as usize])
        }
        Column::Number(col) => {
            let wanted = numbers(values, &mismatch)?;
            Box::new(move |i| col[i].is_some_and(|x| wanted.contains(&x)))
        }
        Column::Integer(col) => {
            numbers(values, &mismatch)?;
            let (mut ints, mut floats) = (Vec::new(), Vec::new());
            for v in values {
                match v {
                    Scalar::Integer(x) => ints.push(*x),
                    Scalar::Number(x) => floats.push(*x),
                    _ => {}
                }
            }
            // Integers compare exactly; numbers compare with the integer as f64.
            Box::new(move |i| {
                col[i].is_some_and(|x| ints.contains(&x) || floats.contains(&(x as f64)))
            })
        }
        Column::Bool(col) => {
            let (mut t, mut f) = (false, false);
            for v in values {
                match v {
                    Scalar::Bool(true) => t = true,
                    Scalar::Bool(false) => f = true,
                    v => return Err(mismatch(v, "a non-bool value")),
                }
            }
            Box::new(move |i| col[i].is_some_and(|x| if x { t } else { f }))
        }
        Column::Time(_) => return Err(mismatch(&"value", "a value")),
    })
}

/// The numbers among `values` (integers widened to f64, for number columns); text or bool is
/// an error.
fn numbers(
    values: &[Scalar],
    mismatch: &dyn Fn(&dyn fmt::Display, &str) -> Error,
) -> Result<Vec<f64>> {
    values
        .iter()
        .map(|v| match v {
            Scalar::Number(x) => Ok(*x),
            Scalar::Integer(x) => Ok(*x as f64),
            v => Err(mismatch(v, "a non-numeric value")),
        })
        .collect()
}
