//! Customer journeys read from an event log: a case is a journey, its touches are its events'
//! channels (a text event attribute, `channel` by default, or the activity), and it converts at
//! its conversion event (or by a case attribute). Touches at and after the conversion event are
//! ignored; journeys that do not convert are nulls.

use crate::error::{Error, Result};
use crate::log::{value_code, AttrValue, Column, EventLog, Interner, Timestamp, NO_CODE};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What makes a journey convert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Conversion {
    /// The case's first event of this activity is the conversion.
    Activity(String),
    /// A case attribute marks converted cases: `true`, a non-zero number, or the text `true` /
    /// `yes` / `1` (`false` / `no` / `0` / empty do not convert). The conversion time is the
    /// case's last event, and every event is a touch.
    CaseAttribute(String),
    /// The case's first event whose attribute `name` equals `value` (text, or a number or
    /// boolean written as text) is the conversion.
    EventAttribute { name: String, value: String },
}

/// How journeys are read from an event log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogJourneys {
    /// The text event attribute naming each event's channel (`channel` when not given); events
    /// without a value are not touches.
    #[serde(default)]
    pub channel_attribute: Option<String>,
    /// Touches are the events' activities instead of a channel attribute.
    #[serde(default)]
    pub channel_from_activity: bool,
    /// What makes a journey convert (required).
    #[serde(default)]
    pub conversion: Option<Conversion>,
    /// A number attribute giving the conversion value: a case attribute of that name, else an
    /// event attribute read at the conversion event (with a case-attribute conversion: the
    /// case's last event that has one). Conversions without a value count 0 and are reported.
    #[serde(default)]
    pub value_attribute: Option<String>,
}

/// A conversion found in a journey.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Converted {
    pub value: Option<f64>,
}

enum EventTest<'a> {
    Code(&'a [u32], u32),
    Flags(Vec<bool>),
}

enum ValueSource<'a> {
    None,
    Case(&'a Column),
    Event(&'a Column),
}

/// The rules of [`LogJourneys`] bound to one log.
pub(crate) struct Journeys<'a> {
    log: &'a EventLog,
    codes: &'a [u32],
    channels: Arc<Interner>,
    case_flag: Option<&'a Column>,
    event_test: Option<EventTest<'a>>,
    value: ValueSource<'a>,
}

fn number(v: Option<AttrValue<'_>>) -> Option<f64> {
    match v {
        Some(AttrValue::Number(x)) => Some(x),
        Some(AttrValue::Integer(x)) => Some(x as f64),
        _ => None,
    }
}

fn truthy(v: Option<AttrValue<'_>>, name: &str) -> Result<bool> {
    Ok(match v {
        None => false,
        Some(AttrValue::Bool(b)) => b,
        Some(AttrValue::Number(x)) => x != 0.0,
        Some(AttrValue::Integer(x)) => x != 0,
        Some(AttrValue::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" | "" => false,
            _ => {
                return Err(Error::argument(
                    "conversion.case_attribute",
                    format!("{name} = {t}"),
                    "is not a yes/no value (true/false, yes/no, 1/0)",
                ))
            }
        },
        Some(AttrValue::Time(_)) => {
            return Err(Error::argument(
                "conversion.case_attribute",
                name,
                "is a time column, not a yes/no value",
            ))
        }
    })
}

impl<'a> Journeys<'a> {
    pub fn new(log: &'a EventLog, spec: &LogJourneys) -> Result<Journeys<'a>> {
        let (codes, channels): (&[u32], Arc<Interner>) = if spec.channel_from_activity {
            if spec.channel_attribute.is_some() {
                return Err(Error::argument(
                    "channel_attribute",
                    spec.channel_attribute.as_deref().unwrap_or_default(),
                    "cannot be given with channel_from_activity",
                ));
            }
            (&log.activity, log.activity_dictionary().clone())
        } else {
            let name = spec.channel_attribute.as_deref().unwrap_or("channel");
            match log.event_column(name, "channel_attribute") {
                Ok(Column::Text { dict, codes }) => (codes, Arc::new(dict.clone())),
                Ok(_) => {
                    return Err(Error::argument(
                        "channel_attribute",
                        name,
                        "is not a text event attribute",
                    ))
                }
                Err(Error::InvalidArgument {
                    name: field,
                    value,
                    reason,
                }) => {
                    return Err(Error::InvalidArgument {
                        name: field,
                        value,
                        reason: format!(
                            "{reason}; give channel_attribute, or channel_from_activity: true"
                        ),
                    })
                }
                Err(e) => return Err(e),
            }
        };
        let conversion = spec.conversion.as_ref().ok_or_else(|| Error::MissingData {
            path: "conversion".into(),
            what: "the conversion rule (activity, case_attribute or event_attribute)".into(),
        })?;
        let mut case_flag = None;
        let mut event_test = None;
        match conversion {
            Conversion::Activity(a) => {
                let code = log.activity_code(a, "conversion.activity")?;
                event_test = Some(EventTest::Code(&log.activity, code));
            }
            Conversion::CaseAttribute(name) => {
                let col = log.case_column(name, "conversion.case_attribute")?;
                for c in 0..col.len() {
                    truthy(col.get(c), name)?;
                }
                case_flag = Some(col);
            }
            Conversion::EventAttribute { name, value } => {
                let col = log.event_column(name, "conversion.event_attribute.name")?;
                event_test = Some(match col {
                    Column::Text { dict, codes } => {
                        let at = "conversion.event_attribute.value";
                        EventTest::Code(codes, value_code(dict, name, value, at)?)
                    }
                    Column::Bool(v) => {
                        let want = match value.as_str() {
                            "true" => true,
                            "false" => false,
                            _ => {
                                return Err(Error::argument(
                                    "conversion.event_attribute.value",
                                    value,
                                    "must be true or false for a boolean attribute",
                                ))
                            }
                        };
                        EventTest::Flags(v.iter().map(|&b| b == Some(want)).collect())
                    }
                    Column::Number(_) | Column::Integer(_) => {
                        let want: f64 = value.trim().parse().map_err(|_| {
                            Error::argument(
                                "conversion.event_attribute.value",
                                value,
                                "must be a number for a numeric attribute",
                            )
                        })?;
                        EventTest::Flags(
                            (0..col.len())
                                .map(|i| number(col.get(i)) == Some(want))
                                .collect(),
                        )
                    }
                    Column::Time(_) => {
                        return Err(Error::argument(
                            "conversion.event_attribute.name",
                            name,
                            "is a time attribute",
                        ))
                    }
                });
            }
        }
        let value = match spec.value_attribute.as_deref() {
            None => ValueSource::None,
            Some(name) => {
                let numeric = |c: &Column| matches!(c, Column::Number(_) | Column::Integer(_));
                match (log.case_attribute(name), log.event_attribute(name)) {
                    (Some(c), _) if numeric(c) => ValueSource::Case(c),
                    (_, Some(c)) if numeric(c) => ValueSource::Event(c),
                    (None, None) => {
                        return Err(Error::argument(
                            "value_attribute",
                            name,
                            "is neither a case nor an event attribute of the log",
                        ))
                    }
                    _ => {
                        return Err(Error::argument(
                            "value_attribute",
                            name,
                            "is not a number attribute",
                        ))
                    }
                }
            }
        };
        Ok(Journeys {
            log,
            codes,
            channels,
            case_flag,
            event_test,
            value,
        })
    }

    /// The channel dictionary of the touch codes.
    pub fn channels(&self) -> &Arc<Interner> {
        &self.channels
    }

    /// Whether conversions carry a value.
    pub fn has_value(&self) -> bool {
        !matches!(self.value, ValueSource::None)
    }

    /// Reads journey `case`: fills `touches` (channel codes) and, when given, `times` (their
    /// timestamps); returns its conversion, if any.
    pub fn journey(
        &self,
        case: usize,
        touches: &mut Vec<u32>,
        mut times: Option<&mut Vec<Timestamp>>,
    ) -> Journey {
        touches.clear();
        if let Some(t) = times.as_deref_mut() {
            t.clear();
        }
        let events = self.log.case(case).events();
        let ts = &self.log.timestamp;
        let converting_event = match &self.event_test {
            Some(EventTest::Code(codes, code)) => events.clone().find(|&e| codes[e] == *code),
            Some(EventTest::Flags(flags)) => events.clone().find(|&e| flags[e]),
            None => None,
        };
        let converted_by_case = self
            .case_flag
            .is_some_and(|col| truthy(col.get(case), "").unwrap_or(false));
        let end = converting_event.unwrap_or(events.end);
        let range = events.start..end;
        for (&code, &time) in self.codes[range.clone()].iter().zip(&ts[range]) {
            if code != NO_CODE {
                touches.push(code);
                if let Some(t) = times.as_deref_mut() {
                    t.push(time);
                }
            }
        }
        let at = match (converting_event, converted_by_case) {
            (Some(e), _) => Some(e),
            (None, true) if !events.is_empty() => Some(events.end - 1),
            _ => None,
        };
        Journey {
            conversion: at.map(|e| Converted {
                value: match self.value {
                    ValueSource::None => None,
                    ValueSource::Case(col) => number(col.get(case)),
                    ValueSource::Event(col) if converting_event.is_some() => number(col.get(e)),
                    ValueSource::Event(col) => {
                        events.clone().rev().find_map(|i| number(col.get(i)))
                    }
                },
            }),
        }
    }
}

/// One journey's outcome.
pub(crate) struct Journey {
    pub conversion: Option<Converted>,
}
