//! Building an event log row by row; readers and bindings all end here.

use super::timestamp::{format_rfc3339, Timestamp, EARLIEST};
use super::{Column, EventLog, Interner, NO_CODE};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One attribute value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttrValue<'a> {
    Text(&'a str),
    Number(f64),
    Integer(i64),
    Bool(bool),
    Time(Timestamp),
}

impl AttrValue<'_> {
    fn to_text(self) -> String {
        match self {
            AttrValue::Text(s) => s.to_string(),
            AttrValue::Number(x) => x.to_string(),
            AttrValue::Integer(x) => x.to_string(),
            AttrValue::Bool(x) => x.to_string(),
            AttrValue::Time(t) => format_rfc3339(t),
        }
    }
}

/// A column under construction: typed by its first value; an integer column meeting a float
/// becomes a number column, and any other clash turns the column into text (nothing is lost).
#[derive(Debug, Clone)]
struct ColumnBuilder(Column);

impl ColumnBuilder {
    fn new(v: AttrValue<'_>) -> ColumnBuilder {
        ColumnBuilder(match v {
            AttrValue::Text(_) => Column::Text {
                dict: Interner::default(),
                codes: Vec::new(),
            },
            AttrValue::Number(_) => Column::Number(Vec::new()),
            AttrValue::Integer(_) => Column::Integer(Vec::new()),
            AttrValue::Bool(_) => Column::Bool(Vec::new()),
            AttrValue::Time(_) => Column::Time(Vec::new()),
        })
    }

    fn set(&mut self, row: usize, v: AttrValue<'_>) {
        self.pad(row + 1);
        match (&mut self.0, v) {
            (Column::Text { dict, codes }, v) => codes[row] = dict.intern(&v.to_text()),
            (Column::Number(c), AttrValue::Number(x)) => c[row] = Some(x),
            (Column::Number(c), AttrValue::Integer(x)) => c[row] = Some(x as f64),
            (Column::Integer(c), AttrValue::Integer(x)) => c[row] = Some(x),
            (Column::Bool(c), AttrValue::Bool(x)) => c[row] = Some(x),
            (Column::Time(c), AttrValue::Time(x)) => c[row] = Some(x),
            (Column::Integer(c), AttrValue::Number(x)) => {
                let mut promoted: Vec<Option<f64>> =
                    c.iter().map(|v| v.map(|i| i as f64)).collect();
                promoted[row] = Some(x);
                self.0 = Column::Number(promoted);
            }
            (_, v) => {
                self.widen_to_text();
                self.set(row, v);
            }
        }
    }

    fn widen_to_text(&mut self) {
        let n = self.0.len();
        let mut dict = Interner::default();
        let codes = (0..n)
            .map(|i| self.0.get(i).map_or(NO_CODE, |v| dict.intern(&v.to_text())))
            .collect();
        self.0 = Column::Text { dict, codes };
    }

    fn pad(&mut self, n: usize) {
        match &mut self.0 {
            Column::Text { codes, .. } if codes.len() < n => codes.resize(n, NO_CODE),
            Column::Number(v) if v.len() < n => v.resize(n, None),
            Column::Integer(v) if v.len() < n => v.resize(n, None),
            Column::Bool(v) if v.len() < n => v.resize(n, None),
            Column::Time(v) if v.len() < n => v.resize(n, None),
            _ => {}
        }
    }
}

/// Builds an [`EventLog`] from events in any order.
#[derive(Debug, Default)]
pub struct LogBuilder {
    case_ids: Interner,
    activities: Interner,
    case: Vec<u32>,
    activity: Vec<u32>,
    timestamp: Vec<Timestamp>,
    start: Option<Vec<Timestamp>>,
    event_attributes: BTreeMap<String, ColumnBuilder>,
    case_attributes: BTreeMap<String, ColumnBuilder>,
}

/// Marks an event without a start timestamp.
pub(crate) const NO_START: Timestamp = i64::MIN;

impl LogBuilder {
    /// An empty builder.
    pub fn new() -> LogBuilder {
        LogBuilder::default()
    }

    /// An empty builder with room for `events` events.
    pub fn with_capacity(events: usize) -> LogBuilder {
        LogBuilder {
            case: Vec::with_capacity(events),
            activity: Vec::with_capacity(events),
            timestamp: Vec::with_capacity(events),
            ..Default::default()
        }
    }

    /// The code of a case id (added when new), for [`LogBuilder::push_codes`].
    pub fn case_code(&mut self, id: &str) -> u32 {
        self.case_ids.intern(id)
    }

    /// The code of an activity name (added when new), for [`LogBuilder::push_codes`].
    pub fn activity_code(&mut self, name: &str) -> u32 {
        self.activities.intern(name)
    }

    /// Adds an event; returns its index for [`LogBuilder::set_start`] and attributes.
    pub fn push(&mut self, case: &str, activity: &str, timestamp: Timestamp) -> Result<usize> {
        let (c, a) = (self.case_code(case), self.activity_code(activity));
        self.push_codes(c, a, timestamp)
    }

    /// Adds an event by codes from [`LogBuilder::case_code`] and [`LogBuilder::activity_code`].
    pub fn push_codes(&mut self, case: u32, activity: u32, timestamp: Timestamp) -> Result<usize> {
        let index = self.activity.len();
        if index >= u32::MAX as usize - 1 {
            return Err(Error::argument(
                "events",
                index,
                "exceed the 4,294,967,294 events a log holds",
            ));
        }
        if timestamp < EARLIEST {
            return Err(Error::argument(
                "timestamp",
                timestamp,
                "is before 1677-09-21T00:12:43.145224193Z, the earliest time journeystream can \
                 hold (the one earlier i64 marks a missing time, pandas' NaT)",
            ));
        }
        self.case.push(case);
        self.activity.push(activity);
        self.timestamp.push(timestamp);
        if let Some(s) = &mut self.start {
            s.push(NO_START);
        }
        Ok(index)
    }

    /// Number of events so far.
    pub fn len(&self) -> usize {
        self.activity.len()
    }

    /// Whether no event was added.
    pub fn is_empty(&self) -> bool {
        self.activity.is_empty()
    }

    /// Sets the start timestamp of event `event`.
    pub fn set_start(&mut self, event: usize, start: Timestamp) {
        let n = self.activity.len();
        self.start.get_or_insert_with(|| vec![NO_START; n])[event] = start;
    }

    /// Sets an attribute of event `event` (resource, channel, stage, value, ...).
    pub fn set_event_attribute(&mut self, event: usize, name: &str, value: AttrValue<'_>) {
        set(&mut self.event_attributes, event, name, value);
    }

    /// Sets an attribute of the case with code `case`.
    pub fn set_case_attribute(&mut self, case: u32, name: &str, value: AttrValue<'_>) {
        set(&mut self.case_attributes, case as usize, name, value);
    }

    /// The log: events grouped by case (cases in first-seen order), ordered within a case by
    /// (start timestamp when given, timestamp), ties in input order.
    ///
    /// A case's times (starts and completions) must lie within [`MAX_CASE_SPAN`] of each other,
    /// so that every duration inside a case is exact in nanoseconds; a case that spans more is
    /// an [`Error::Input`] naming the case and its first and last time.
    ///
    /// ```
    /// use journeystream::log::LogBuilder;
    /// let mut b = LogBuilder::new();
    /// b.push("c1", "Order", -8_000_000_000_000_000_000); // 1716
    /// b.push("c1", "Ship", 3_000_000_000_000_000_000); // 2065
    /// let e = b.finish().unwrap_err().to_string();
    /// assert!(e.starts_with("case 'c1', field 'timestamp': its times span 348.6 years"), "{e}");
    /// ```
    pub fn finish(self) -> Result<EventLog> {
        let n = self.activity.len();
        let cases = self.case_ids.len();
        let mut offsets = vec![0u32; cases + 1];
        for &c in &self.case {
            offsets[c as usize + 1] += 1;
        }
        for i in 0..cases {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut order = vec![0u32; n];
        for (i, &c) in self.case.iter().enumerate() {
            order[next[c as usize] as usize] = i as u32;
            next[c as usize] += 1;
        }
        let (ts, start) = (&self.timestamp, self.start.as_deref());
        let key = |i: u32| {
            let t = ts[i as usize];
            let s = start.map_or(t, |s| {
                if s[i as usize] == NO_START {
                    t
                } else {
                    s[i as usize]
                }
            });
            (s, t)
        };
        for c in 0..cases {
            let slice = &mut order[offsets[c] as usize..offsets[c + 1] as usize];
            if slice.windows(2).any(|w| key(w[0]) > key(w[1])) {
                slice.sort_by_key(|&i| key(i));
            }
        }
        let take = |v: &[u32]| order.iter().map(|&i| v[i as usize]).collect::<Vec<_>>();
        let activity = take(&self.activity);
        let timestamp: Vec<Timestamp> = order.iter().map(|&i| self.timestamp[i as usize]).collect();
        let start: Option<Vec<Timestamp>> = self
            .start
            .as_ref()
            .map(|s| order.iter().map(|&i| s[i as usize]).collect());
        long_name("case id", &self.case_ids)?;
        long_name("activity", &self.activities)?;
        for c in 0..cases {
            let events = offsets[c] as usize..offsets[c + 1] as usize;
            let starts = start.as_deref().map_or(&[][..], |s| &s[events.clone()]);
            let times = timestamp[events.clone()].iter();
            let given = starts.iter().filter(|&&s| s != NO_START);
            let (first, last) = times
                .chain(given)
                .fold((i64::MAX, i64::MIN), |(lo, hi), &t| (lo.min(t), hi.max(t)));
            if !events.is_empty() && last.abs_diff(first) > MAX_CASE_SPAN {
                return Err(case_too_long(self.case_ids.get(c as u32), first, last));
            }
        }
        let event_attributes = self
            .event_attributes
            .into_iter()
            .map(|(k, mut b)| {
                b.pad(n);
                (k, b.0.permuted(&order))
            })
            .collect();
        let case_attributes = self
            .case_attributes
            .into_iter()
            .map(|(k, mut b)| {
                b.pad(cases);
                (k, b.0)
            })
            .collect();
        Ok(EventLog {
            case_ids: Arc::new(self.case_ids),
            activities: Arc::new(self.activities),
            offsets,
            activity,
            timestamp,
            start,
            event_attributes,
            case_attributes,
        })
    }
}

/// The longest time a case may span, in nanoseconds: `i64::MAX`, about 292.3 years. Any two
/// times of one case then differ by an exact `i64` number of nanoseconds.
pub const MAX_CASE_SPAN: u64 = i64::MAX as u64;

/// The longest case id or activity name, in bytes.
pub const MAX_NAME_BYTES: usize = 64 << 10;

/// Refuses a name longer than [`MAX_NAME_BYTES`]: such a "name" is a value read from the wrong
/// column or a corrupt row, and would be drawn and compared as a name.
fn long_name(what: &str, names: &Interner) -> Result<()> {
    match names.names().iter().find(|n| n.len() > MAX_NAME_BYTES) {
        None => Ok(()),
        Some(name) => {
            let head: String = name.chars().take(40).collect();
            Err(Error::Input {
                location: format!("{what} '{head}…'"),
                field: Some(
                    if what == "activity" {
                        "activity"
                    } else {
                        "case"
                    }
                    .into(),
                ),
                value: Some(format!("{} bytes", name.len())),
                message: format!(
                    "the {what} is {} bytes long, more than the {MAX_NAME_BYTES} bytes a name may \
                     have: the column is not the {what}, or the row is corrupt",
                    name.len()
                ),
            })
        }
    }
}

fn case_too_long(case: &str, first: Timestamp, last: Timestamp) -> Error {
    const NS_PER_YEAR: f64 = 365.2425 * 86_400e9;
    Error::Input {
        location: format!("case '{case}'"),
        field: Some("timestamp".into()),
        value: Some(format!(
            "{} .. {}",
            format_rfc3339(first),
            format_rfc3339(last)
        )),
        message: format!(
            "its times span {:.1} years, from {} to {}; a case may span at most 292 years \
             (2^63 nanoseconds), so that its durations are exact",
            last.abs_diff(first) as f64 / NS_PER_YEAR,
            format_rfc3339(first),
            format_rfc3339(last)
        ),
    }
}

fn set(
    columns: &mut BTreeMap<String, ColumnBuilder>,
    row: usize,
    name: &str,
    value: AttrValue<'_>,
) {
    match columns.get_mut(name) {
        Some(c) => c.set(row, value),
        None => {
            let mut c = ColumnBuilder::new(value);
            c.set(row, value);
            columns.insert(name.to_string(), c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_case_and_sorts_stably() {
        let mut b = LogBuilder::new();
        for (c, a, t) in [
            ("x", "b", 5),
            ("y", "a", 1),
            ("x", "a", 1),
            ("x", "c", 5),
            ("y", "z", 0),
        ] {
            b.push(c, a, t).unwrap();
        }
        let log = b.finish().unwrap();
        assert_eq!(log.case(0).id(), "x");
        assert_eq!(
            log.case(0).activity_names().collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(log.case(1).activity_names().collect::<Vec<_>>(), ["z", "a"]);
    }

    #[test]
    fn attribute_columns_follow_the_events_and_widen_on_clashes() {
        let mut b = LogBuilder::new();
        let e1 = b.push("x", "b", 5).unwrap();
        let e0 = b.push("x", "a", 1).unwrap();
        b.set_event_attribute(e1, "n", AttrValue::Integer(2));
        b.set_event_attribute(e0, "n", AttrValue::Number(0.5));
        b.set_event_attribute(e0, "who", AttrValue::Text("ann"));
        b.set_event_attribute(e1, "who", AttrValue::Integer(7));
        let log = b.finish().unwrap();
        assert_eq!(
            log.event_attribute("n").unwrap().get(0),
            Some(AttrValue::Number(0.5))
        );
        assert_eq!(
            log.event_attribute("n").unwrap().get(1),
            Some(AttrValue::Number(2.0))
        );
        assert_eq!(
            log.event_attribute("who").unwrap().get(1),
            Some(AttrValue::Text("7"))
        );
    }
}
