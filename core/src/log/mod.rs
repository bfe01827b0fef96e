//! The event log: what customers and processes actually did.
//!
//! Columnar and interned. Events are grouped by case (customer, ticket, order) and, within a case,
//! ordered by timestamp with ties in input order (a stable sort), as pm4py orders them. Timestamps
//! are UTC nanoseconds. Core columns cost 12 bytes an event (activity code + timestamp) plus 8
//! bytes a case; optional columns (start timestamp, resource, channel, stage, value, attributes)
//! only when present.
//!
//! ```
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! b.push("c1", "visit", 30)?;
//! b.push("c1", "signup", 10)?;
//! b.push("c2", "visit", 20)?;
//! let log = b.finish().unwrap();
//! assert_eq!(log.num_cases(), 2);
//! assert_eq!(log.case(0).activity_names().collect::<Vec<_>>(), ["signup", "visit"]);
//! # Ok::<(), journeystream::Error>(())
//! ```

mod builder;
pub mod calendar;
pub mod csv;
pub mod filter;
mod interner;
pub mod jsonl;
mod names;
pub mod read;
pub mod table;
pub mod timeformat;
pub mod timestamp;
#[cfg(feature = "xes")]
pub mod xes;

#[cfg(feature = "arrow")]
pub(crate) use builder::NO_START;
pub use builder::{AttrValue, LogBuilder, MAX_CASE_SPAN, MAX_NAME_BYTES};
pub use interner::Interner;
pub(crate) use names::value_code;
pub use timestamp::Timestamp;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// Marks "no value" in a code column.
pub const NO_CODE: u32 = u32::MAX;

/// An attribute column, one value per event (or per case).
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Text { dict: Interner, codes: Vec<u32> },
    Number(Vec<Option<f64>>),
    Integer(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    Time(Vec<Option<Timestamp>>),
}

impl Column {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Text { codes, .. } => codes.len(),
            Column::Number(v) => v.len(),
            Column::Integer(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Time(v) => v.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of row `i`.
    pub fn get(&self, i: usize) -> Option<AttrValue<'_>> {
        match self {
            Column::Text { dict, codes } => {
                (codes[i] != NO_CODE).then(|| AttrValue::Text(dict.get(codes[i])))
            }
            Column::Number(v) => v[i].map(AttrValue::Number),
            Column::Integer(v) => v[i].map(AttrValue::Integer),
            Column::Bool(v) => v[i].map(AttrValue::Bool),
            Column::Time(v) => v[i].map(AttrValue::Time),
        }
    }

    fn permuted(&self, order: &[u32]) -> Column {
        fn take<T: Copy>(v: &[T], order: &[u32]) -> Vec<T> {
            order.iter().map(|&i| v[i as usize]).collect()
        }
        match self {
            Column::Text { dict, codes } => Column::Text {
                dict: dict.clone(),
                codes: take(codes, order),
            },
            Column::Number(v) => Column::Number(take(v, order)),
            Column::Integer(v) => Column::Integer(take(v, order)),
            Column::Bool(v) => Column::Bool(take(v, order)),
            Column::Time(v) => Column::Time(take(v, order)),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Column::Text { dict, codes } => dict.heap_bytes() + codes.capacity() * 4,
            Column::Number(v) => v.capacity() * 16,
            Column::Integer(v) => v.capacity() * 16,
            Column::Bool(v) => v.capacity() * 2,
            Column::Time(v) => v.capacity() * 16,
        }
    }
}

/// An event log. Build one with [`LogBuilder`] or a reader ([`xes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EventLog {
    pub(crate) case_ids: Arc<Interner>,
    pub(crate) activities: Arc<Interner>,
    /// Events of case `c` are `offsets[c]..offsets[c + 1]`.
    pub(crate) offsets: Vec<u32>,
    pub(crate) activity: Vec<u32>,
    pub(crate) timestamp: Vec<Timestamp>,
    pub(crate) start: Option<Vec<Timestamp>>,
    pub(crate) event_attributes: BTreeMap<String, Column>,
    pub(crate) case_attributes: BTreeMap<String, Column>,
}

/// The events of one case.
#[derive(Debug, Clone)]
pub struct Case<'a> {
    log: &'a EventLog,
    index: usize,
    range: Range<usize>,
}

impl<'a> Case<'a> {
    /// Position of the case in the log.
    pub fn index(&self) -> usize {
        self.index
    }
    /// The case id.
    pub fn id(&self) -> &'a str {
        self.log.case_ids.get(self.index as u32)
    }
    /// Activity codes, in event order.
    pub fn activities(&self) -> &'a [u32] {
        &self.log.activity[self.range.clone()]
    }
    /// Activity names, in event order.
    pub fn activity_names(&self) -> impl Iterator<Item = &'a str> + 'a {
        let log = self.log;
        self.activities()
            .iter()
            .map(move |&a| log.activities.get(a))
    }
    /// Completion timestamps, in event order.
    pub fn timestamps(&self) -> &'a [Timestamp] {
        &self.log.timestamp[self.range.clone()]
    }
    /// Start timestamps, when the log has them (`i64::MIN` where an event has none).
    pub fn starts(&self) -> Option<&'a [Timestamp]> {
        self.log.start.as_ref().map(|s| &s[self.range.clone()])
    }
    /// Indices of its events in the log's event columns.
    pub fn events(&self) -> Range<usize> {
        self.range.clone()
    }
    /// Number of events.
    pub fn len(&self) -> usize {
        self.range.len()
    }
    /// Whether the case has no events.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

impl EventLog {
    /// Number of cases.
    pub fn num_cases(&self) -> usize {
        self.offsets.len() - 1
    }
    /// Number of events.
    pub fn num_events(&self) -> usize {
        self.activity.len()
    }
    /// Activity names by code.
    pub fn activities(&self) -> &Interner {
        &self.activities
    }
    /// Case ids by case index (the dictionary partial aggregates keep to name cases).
    pub fn case_dictionary(&self) -> &Arc<Interner> {
        &self.case_ids
    }
    /// The activity dictionary, shared with the partial aggregates computed from this log.
    pub fn activity_dictionary(&self) -> &Arc<Interner> {
        &self.activities
    }
    /// Case `i`.
    pub fn case(&self, i: usize) -> Case<'_> {
        Case {
            log: self,
            index: i,
            range: self.offsets[i] as usize..self.offsets[i + 1] as usize,
        }
    }
    /// All cases in order.
    pub fn cases(&self) -> impl ExactSizeIterator<Item = Case<'_>> + '_ {
        (0..self.num_cases()).map(move |i| self.case(i))
    }
    /// Whether events carry start timestamps.
    pub fn has_start_timestamps(&self) -> bool {
        self.start.is_some()
    }
    /// An event attribute column (resource, channel, stage, value and others, by name).
    pub fn event_attribute(&self, name: &str) -> Option<&Column> {
        self.event_attributes.get(name)
    }
    /// Names of the event attribute columns.
    pub fn event_attribute_names(&self) -> impl Iterator<Item = &str> {
        self.event_attributes.keys().map(String::as_str)
    }
    /// A case attribute column (one row per case).
    pub fn case_attribute(&self, name: &str) -> Option<&Column> {
        self.case_attributes.get(name)
    }
    /// Names of the case attribute columns.
    pub fn case_attribute_names(&self) -> impl Iterator<Item = &str> {
        self.case_attributes.keys().map(String::as_str)
    }
    /// Heap bytes held by the log's columns and dictionaries.
    pub fn heap_bytes(&self) -> usize {
        self.case_ids.heap_bytes()
            + self.activities.heap_bytes()
            + self.offsets.capacity() * 4
            + self.activity.capacity() * 4
            + self.timestamp.capacity() * 8
            + self.start.as_ref().map_or(0, |s| s.capacity() * 8)
            + self
                .event_attributes
                .values()
                .chain(self.case_attributes.values())
                .map(Column::heap_bytes)
                .sum::<usize>()
    }
}
