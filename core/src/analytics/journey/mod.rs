//! Journey analytics over an event log, with the meanings product-analytics tools give them:
//!
//! - [`funnel`]: ordered-step funnels (Amplitude / Mixpanel semantics: strict, exact or any
//!   order; conversion window; uniques or totals; exclusion steps; properties held constant;
//!   breakdown by a case attribute), with conversion, drop-off and time to convert per step;
//! - [`transitions`]: the transition graph as retentioneering defines it (edge weight =
//!   transitions or unique cases; normalisation none / full / per source node);
//! - [`step_matrix`]: the share of paths at each step having each event, with an end marker;
//! - [`paths`]: top paths (variants), path n-grams, paths before and after an anchor event;
//! - [`retention`]: retention cohorts by first-event period, "on" and "on or after" returns,
//!   rolling or calendar windows, churn and repeat rates.
//!
//! A case is a customer journey. Every aggregate is a mergeable partial: computed per range of
//! cases (on all cores), merged (also across logs loaded separately: partials carry names, not
//! only codes), then finished. Definitions: `docs/metrics.md`, section "Journeys".

pub mod funnel;
pub mod paths;
pub mod retention;
pub mod step_matrix;
pub mod transitions;

use crate::error::Result;
use crate::log::{value_code, AttrValue, Column, EventLog, Interner, NO_CODE};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// An event attribute holding a value: `{"name": "channel", "value": "web"}`. Numbers and
/// booleans are given as text (`"3"`, `"true"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeEquals {
    pub name: String,
    pub value: String,
}

/// A test on events: its activity and/or an event attribute equal to a value (both when both are
/// given). A bare string is an activity.
///
/// ```
/// use journeystream::analytics::journey::EventPredicate;
/// let p: EventPredicate = serde_json::from_str(r#""purchase""#).unwrap();
/// assert_eq!(p.label(), "purchase");
/// let p: EventPredicate =
///     serde_json::from_str(r#"{"activity": "visit", "attribute": {"name": "channel", "value": "web"}}"#).unwrap();
/// assert_eq!(p.label(), "visit [channel=web]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventPredicate {
    pub activity: Option<String>,
    pub attribute: Option<AttributeEquals>,
}

impl<'de> Deserialize<'de> for EventPredicate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            #[serde(default)]
            activity: Option<String>,
            #[serde(default)]
            attribute: Option<AttributeEquals>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Name(String),
            Fields(Fields),
        }
        match Either::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "expected an activity name or {\"activity\": a, \"attribute\": {\"name\": n, \"value\": v}}",
            )
        })? {
            Either::Name(a) => Ok(EventPredicate::activity(a)),
            Either::Fields(f) => Ok(EventPredicate {
                activity: f.activity,
                attribute: f.attribute,
            }),
        }
    }
}

impl EventPredicate {
    /// Events of one activity.
    pub fn activity(name: impl Into<String>) -> EventPredicate {
        EventPredicate {
            activity: Some(name.into()),
            attribute: None,
        }
    }

    /// How the predicate is shown in results: `activity`, `name=value` or `activity [name=value]`.
    pub fn label(&self) -> String {
        match (&self.activity, &self.attribute) {
            (Some(a), None) => a.clone(),
            (None, Some(x)) => format!("{}={}", x.name, x.value),
            (Some(a), Some(x)) => format!("{a} [{}={}]", x.name, x.value),
            (None, None) => "(any event)".into(),
        }
    }

    /// Checks that the log has the predicate's activity, attribute and value: an error at `path`
    /// naming the closest it has otherwise (the whole log is checked; a partition may lack them).
    pub(crate) fn check(&self, log: &EventLog, path: &str) -> Result<()> {
        if let Some(a) = &self.activity {
            log.activity_code(a, path)?;
        }
        if let Some(x) = &self.attribute {
            let col = log.event_column(&x.name, &format!("{path}.attribute.name"))?;
            let at = format!("{path}.attribute.value");
            match col {
                Column::Text { dict, .. } => value_code(dict, &x.name, &x.value, &at)?,
                _ => value_code(&value_codes(col).1, &x.name, x.value.trim(), &at)?,
            };
        }
        Ok(())
    }

    /// The predicate bound to a log; `path` names it in errors.
    pub(crate) fn bind<'a>(&self, log: &'a EventLog, path: &str) -> Result<BoundPredicate<'a>> {
        // An activity or value the log lacks matches nothing (a partition may lack it; `check`
        // refuses them for a whole log).
        let activity = self
            .activity
            .as_ref()
            .map(|a| log.activities().code(a).unwrap_or(NO_CODE - 1));
        let attribute = match &self.attribute {
            None => None,
            Some(x) => {
                let col = log.event_column(&x.name, &format!("{path}.attribute.name"))?;
                Some(match col {
                    Column::Text { dict, codes } => (
                        Cow::Borrowed(&codes[..]),
                        dict.code(&x.value).unwrap_or(NO_CODE - 1),
                    ),
                    _ => {
                        let flags = (0..col.len())
                            .map(|i| match col.get(i) {
                                Some(v) if value_text(v) == x.value.trim() => 1,
                                _ => 0,
                            })
                            .collect();
                        (Cow::Owned(flags), 1)
                    }
                })
            }
        };
        Ok(BoundPredicate {
            activities: &log.activity,
            activity,
            attribute,
        })
    }
}

/// An [`EventPredicate`] with codes of one log.
pub(crate) struct BoundPredicate<'a> {
    activities: &'a [u32],
    activity: Option<u32>,
    attribute: Option<(Cow<'a, [u32]>, u32)>,
}

impl BoundPredicate<'_> {
    /// Whether event `e` (index in the log) matches.
    #[inline]
    pub fn matches(&self, e: usize) -> bool {
        self.activity.map_or(true, |a| self.activities[e] == a)
            && self.attribute.as_ref().map_or(true, |(c, v)| c[e] == *v)
    }
}

/// An attribute value as text (numbers in their shortest form, booleans `true`/`false`, times
/// as RFC 3339).
pub(crate) fn value_text(v: AttrValue<'_>) -> String {
    match v {
        AttrValue::Text(s) => s.to_string(),
        AttrValue::Number(x) => x.to_string(),
        AttrValue::Integer(x) => x.to_string(),
        AttrValue::Bool(b) => b.to_string(),
        AttrValue::Time(t) => crate::log::timestamp::format_rfc3339(t),
    }
}

/// Per-row codes of a column's values (equal codes: equal values; `NO_CODE` for none) and the
/// dictionary of the codes.
pub(crate) fn value_codes(col: &Column) -> (Cow<'_, [u32]>, Cow<'_, Interner>) {
    match col {
        Column::Text { dict, codes } => (Cow::Borrowed(&codes[..]), Cow::Borrowed(dict)),
        _ => {
            let mut dict = Interner::default();
            let codes = (0..col.len())
                .map(|i| col.get(i).map_or(NO_CODE, |v| dict.intern(&value_text(v))))
                .collect();
            (Cow::Owned(codes), Cow::Owned(dict))
        }
    }
}

/// Time statistics of durations (seconds): mean, percentiles interpolated linearly between order
/// statistics (numpy's default).
///
/// ```
/// use journeystream::analytics::journey::TimeStats;
/// let s = TimeStats::of_nanos(&mut vec![4_000_000_000, 1_000_000_000, 2_000_000_000, 3_000_000_000]).unwrap();
/// assert_eq!((s.count, s.median, s.p25, s.p75, s.mean), (4, 2.5, 1.75, 3.25, 2.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeStats {
    pub count: u64,
    pub mean: f64,
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub p90: f64,
    pub max: f64,
}

impl TimeStats {
    /// Statistics of nanosecond durations (reordered in place: the order statistics are found
    /// by selection, not a full sort); None for none.
    pub fn of_nanos(values: &mut [i64]) -> Option<TimeStats> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let qs = [0.25, 0.5, 0.75, 0.9];
        let mut wanted: Vec<usize> = vec![0, n - 1];
        for q in qs {
            let lo = ((n - 1) as f64 * q).floor() as usize;
            wanted.extend([lo, (lo + 1).min(n - 1)]);
        }
        wanted.sort_unstable();
        wanted.dedup();
        // Select each wanted position in turn, within the part after the previous one.
        let mut from = 0;
        for &k in &wanted {
            values[from..].select_nth_unstable(k - from);
            from = k + 1;
            if from >= n {
                break;
            }
        }
        let secs = |i: usize| values[i] as f64 / 1e9;
        let q = |p: f64| {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            secs(lo) + (h - lo as f64) * (secs(hi) - secs(lo))
        };
        let total: i128 = values.iter().map(|&v| v as i128).sum();
        Some(TimeStats {
            count: n as u64,
            mean: total as f64 / n as f64 / 1e9,
            min: secs(0),
            p25: q(0.25),
            median: q(0.5),
            p75: q(0.75),
            p90: q(0.9),
            max: secs(n - 1),
        })
    }
}

/// Codes of `theirs` in `ours` (extended with their names); None when the dictionaries are equal.
pub(crate) fn unify_codes(ours: &mut Arc<Interner>, theirs: &Arc<Interner>) -> Option<Vec<u32>> {
    let (both, map) = super::partial::unify(ours, theirs);
    *ours = both;
    map
}

/// Code `c` of a partial mapped by `map`.
#[inline]
pub(crate) fn remap(map: Option<&[u32]>, c: u32) -> u32 {
    map.map_or(c, |m| m[c as usize])
}
