//! Reading survey scores and segment labels from an event log: the attribute lookups shared by
//! the KPIs, the moments of truth and the emotion curve.

use crate::error::{Error, Result};
use crate::log::timestamp::{format_rfc3339, parse_rfc3339};
use crate::log::{AttrValue, Column, EventLog, Timestamp};

/// A number event attribute (a number or an integer column), read as `f64`.
#[derive(Debug, Clone, Copy)]
pub enum Numbers<'a> {
    /// A number column.
    Number(&'a [Option<f64>]),
    /// An integer column.
    Integer(&'a [Option<i64>]),
}

impl Numbers<'_> {
    /// The value of event `e`, if it has one.
    pub fn get(&self, e: usize) -> Option<f64> {
        match self {
            Numbers::Number(v) => v[e],
            Numbers::Integer(v) => v[e].map(|i| i as f64),
        }
    }
}

/// The number event attribute `name`; `parameter` names the request field for errors.
pub fn numbers<'a>(log: &'a EventLog, parameter: &str, name: &str) -> Result<Numbers<'a>> {
    match log.event_attribute(name) {
        Some(Column::Number(v)) => Ok(Numbers::Number(v)),
        Some(Column::Integer(v)) => Ok(Numbers::Integer(v)),
        Some(_) => Err(Error::argument(
            parameter,
            name,
            "is not a number event attribute (some values are not numbers)",
        )),
        None if log.num_events() == 0 => Ok(Numbers::Number(&[])),
        None => Err(log.event_column(name, parameter).unwrap_err()),
    }
}

/// Where a segment label (persona, channel, stage ...) comes from: a case attribute, or an event
/// attribute (read at the scored event, or at a case's first event for per-case KPIs).
#[derive(Debug, Clone, Copy)]
pub enum Labels<'a> {
    /// A case attribute column (one value per case).
    Case(&'a Column),
    /// An event attribute column (one value per event).
    Event(&'a Column),
}

impl<'a> Labels<'a> {
    /// The attribute `name`: a case attribute when the log has one of that name, else an event
    /// attribute; an error naming `parameter` when it has neither.
    pub fn find(log: &'a EventLog, parameter: &str, name: &str) -> Result<Labels<'a>> {
        if let Some(c) = log.case_attribute(name) {
            Ok(Labels::Case(c))
        } else if let Some(c) = log.event_attribute(name) {
            Ok(Labels::Event(c))
        } else {
            Err(Error::argument(
                parameter,
                name,
                "is neither a case nor an event attribute of the log",
            ))
        }
    }

    /// The label of event `event` of case `case` (none when the attribute has no value there).
    pub fn label(&self, case: usize, event: usize) -> Option<String> {
        match self {
            Labels::Case(c) => c.get(case).map(text),
            Labels::Event(c) => c.get(event).map(text),
        }
    }
}

/// An attribute value as text (times in RFC 3339).
pub fn text(v: AttrValue<'_>) -> String {
    match v {
        AttrValue::Text(s) => s.to_string(),
        AttrValue::Number(x) => x.to_string(),
        AttrValue::Integer(x) => x.to_string(),
        AttrValue::Bool(x) => x.to_string(),
        AttrValue::Time(t) => format_rfc3339(t),
    }
}

/// An RFC 3339 time given as parameter `name` (UTC when it has no offset).
pub fn parse_time(name: &str, value: &str) -> Result<Timestamp> {
    parse_rfc3339(value, 0).ok_or_else(|| Error::argument(name, value, "is not an RFC 3339 time"))
}

/// Where event `event` of case `case` is, for error messages: `case 'c7', event 3` (1-based).
pub fn event_location(log: &EventLog, case: usize, event: usize) -> String {
    let c = log.case(case);
    format!("case '{}', event {}", c.id(), event - c.events().start + 1)
}
