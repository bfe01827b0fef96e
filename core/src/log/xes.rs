//! XES (IEEE 1849) reader, plain or gzipped, streaming.
//!
//! Activity, timestamp and case id come from the standard keys (`concept:name`,
//! `time:timestamp`; the trace's `concept:name`), or the keys given in [`XesOptions`]. Other
//! top-level event and trace attributes are kept as typed columns. Errors name the element path
//! (`trace[12]/event[3]`), the attribute and the value.

use super::read::{failed_read, open, Input, OnBadRow, Progress, ReadReport};
use super::timestamp::{parse_rfc3339, Timestamp};
use super::{AttrValue, EventLog, LogBuilder};
use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Options of the XES reader.
pub struct XesOptions<'a> {
    pub activity_key: String,
    pub timestamp_key: String,
    /// A date attribute holding the event's start, if the log has one.
    pub start_timestamp_key: Option<String>,
    /// The trace attribute naming the case.
    pub case_key: String,
    /// Keep the other attributes as columns.
    pub attributes: bool,
    pub on_bad_row: OnBadRow,
    /// Called with the input bytes read so far (compressed bytes for .xes.gz).
    pub progress: Option<Progress<'a>>,
}

impl Default for XesOptions<'_> {
    fn default() -> Self {
        XesOptions {
            activity_key: "concept:name".into(),
            timestamp_key: "time:timestamp".into(),
            start_timestamp_key: None,
            case_key: "concept:name".into(),
            attributes: true,
            on_bad_row: OnBadRow::Fail,
            progress: None,
        }
    }
}

/// Reads an `.xes` or `.xes.gz` file; errors name the file.
pub fn read_xes_file(
    path: impl AsRef<Path>,
    mut options: XesOptions<'_>,
) -> Result<(EventLog, ReadReport)> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let input = open(path, options.progress.take())?;
    read_xes(input, options).map_err(|e| failed_read(e, file))
}

/// Reads XES from any reader (gunzip it first when compressed).
pub fn read_xes<R: Read>(input: R, mut options: XesOptions<'_>) -> Result<(EventLog, ReadReport)> {
    let input = Input::new(input, options.progress.take());
    let mut buffered = BufReader::with_capacity(1 << 16, input);
    starts_as_xml(&mut buffered)?;
    let mut reader = quick_xml::Reader::from_reader(buffered);
    reader.config_mut().trim_text(true);
    let mut state = State::new(options);
    let mut buf = Vec::with_capacity(1024);
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| match e {
            quick_xml::Error::Io(io) => state.xml_error(io.to_string(), reader.buffer_position()),
            e => state.xml_error(format!("invalid XML: {e}"), reader.buffer_position()),
        })?;
        reader.get_mut().get_mut().mark();
        match event {
            Event::Start(e) => state.open(&e, false)?,
            Event::Empty(e) => state.open(&e, true)?,
            Event::End(_) => state.close()?,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if state.depth != 0 || !state.saw_log {
        return Err(state.xml_error(
            "invalid XML: the document ends before </log>: the file is truncated or not XES".into(),
            reader.buffer_position(),
        ));
    }
    Ok((state.builder.finish()?, state.report))
}

/// Fails at once when the input does not begin as XML does: after a byte-order mark and white
/// space, the first byte must be `<` (a file of zero bytes, a CSV renamed `.xes`).
fn starts_as_xml(input: &mut impl BufRead) -> Result<()> {
    let head = input.fill_buf().map_err(|e| Error::Input {
        location: "byte 1".into(),
        field: None,
        value: None,
        message: format!("cannot read the input: {e}"),
    })?;
    let body = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let skipped = head.len() - body.len();
    match body.iter().position(|b| !b.is_ascii_whitespace()) {
        Some(i) if body[i] != b'<' => Err(Error::Input {
            location: format!("byte {}", skipped + i + 1),
            field: None,
            value: Some(format!("0x{:02x}", body[i])),
            message: format!(
                "{} is not the start of XML (XES is XML and begins with '<'): the input is not \
                 an XES log",
                describe_byte(body[i])
            ),
        }),
        _ => Ok(()),
    }
}

fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("the byte 0x{b:02x}")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Log,
    Trace,
    Event,
    /// Inside something whose children are not read (global, extension, nested attributes).
    Other,
}

/// A value of an attribute, as parsed.
enum Value {
    Text(String),
    Number(f64),
    Integer(i64),
    Bool(bool),
    Time(Timestamp),
}

impl Value {
    fn as_attr(&self) -> AttrValue<'_> {
        match self {
            Value::Text(s) => AttrValue::Text(s),
            Value::Number(x) => AttrValue::Number(*x),
            Value::Integer(x) => AttrValue::Integer(*x),
            Value::Bool(x) => AttrValue::Bool(*x),
            Value::Time(t) => AttrValue::Time(*t),
        }
    }
}

struct PendingEvent {
    activity: Option<u32>,
    timestamp: Option<Timestamp>,
    start: Option<Timestamp>,
    attributes: Vec<(String, Value)>,
}

struct State<'a> {
    options: XesOptions<'a>,
    builder: LogBuilder,
    report: ReadReport,
    scopes: Vec<Scope>,
    depth: usize,
    saw_log: bool,
    traces: u64,
    events_in_trace: u64,
    case_id: Option<String>,
    case_attributes: Vec<(String, Value)>,
    events: Vec<PendingEvent>,
    event: Option<PendingEvent>,
    trace_error: Option<Error>,
}

impl<'a> State<'a> {
    fn new(options: XesOptions<'a>) -> Self {
        State {
            options,
            builder: LogBuilder::new(),
            report: ReadReport::default(),
            scopes: Vec::new(),
            depth: 0,
            saw_log: false,
            traces: 0,
            events_in_trace: 0,
            case_id: None,
            case_attributes: Vec::new(),
            events: Vec::new(),
            event: None,
            trace_error: None,
        }
    }

    fn location(&self) -> String {
        match self.scopes.iter().rposition(|s| *s == Scope::Trace) {
            Some(_) if self.event.is_some() => format!(
                "trace[{}]/event[{}]",
                self.traces - 1,
                self.events_in_trace - 1
            ),
            Some(_) => format!("trace[{}]", self.traces - 1),
            None => "log".into(),
        }
    }

    fn xml_error(&self, message: String, position: u64) -> Error {
        Error::Input {
            location: format!("{} (byte {position})", self.location()),
            field: None,
            value: None,
            message,
        }
    }

    fn open(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        let parent = self.scopes.last().copied();
        let scope = match (parent, e.name().as_ref()) {
            (None, b"log") => {
                self.saw_log = true;
                Scope::Log
            }
            (None, other) => {
                return Err(Error::Input {
                    location: "document".into(),
                    field: None,
                    value: Some(String::from_utf8_lossy(other).into_owned()),
                    message: "the root element is not <log>: this is not an XES document".into(),
                })
            }
            (Some(Scope::Log), b"trace") => {
                self.traces += 1;
                self.events_in_trace = 0;
                self.case_id = None;
                self.case_attributes.clear();
                self.events.clear();
                self.trace_error = None;
                Scope::Trace
            }
            (Some(Scope::Trace), b"event") => {
                self.events_in_trace += 1;
                self.event = Some(PendingEvent {
                    activity: None,
                    timestamp: None,
                    start: None,
                    attributes: Vec::new(),
                });
                Scope::Event
            }
            (Some(Scope::Trace), name) | (Some(Scope::Event), name) if is_attribute(name) => {
                self.attribute(e, parent == Some(Scope::Event))?;
                Scope::Other
            }
            _ => Scope::Other,
        };
        if empty {
            self.scopes.push(scope);
            self.close()
        } else {
            self.scopes.push(scope);
            self.depth += 1;
            Ok(())
        }
    }

    fn close(&mut self) -> Result<()> {
        let scope = self.scopes.pop();
        self.depth = self.depth.saturating_sub(1);
        match scope {
            Some(Scope::Event) => self.end_event(),
            Some(Scope::Trace) => self.end_trace(),
            _ => Ok(()),
        }
    }

    fn bad(&mut self, error: Error) -> Result<()> {
        self.report.bad_row(self.options.on_bad_row, error)
    }

    fn attribute(&mut self, e: &BytesStart<'_>, in_event: bool) -> Result<()> {
        type Bytes<'a> = Cow<'a, [u8]>;
        let (mut key, mut value): (Option<Bytes<'_>>, Option<Bytes<'_>>) = (None, None);
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| self.xml_error(format!("invalid XML: {err}"), 0))?;
            match attr.key.as_ref() {
                b"key" => key = Some(attr.value),
                b"value" => value = Some(attr.value),
                _ => {}
            }
        }
        let (Some(key), Some(raw)) = (key, value) else {
            return Ok(());
        };
        let key = String::from_utf8_lossy(&key).into_owned();
        let text = unescape(&raw).map_err(|m| Error::Input {
            location: self.location(),
            field: Some(key.clone()),
            value: None,
            message: m,
        })?;
        let parsed = match e.name().as_ref() {
            b"date" => parse_rfc3339(&text, 0).map(Value::Time),
            b"int" => text.trim().parse().ok().map(Value::Integer),
            b"float" => text
                .trim()
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .map(Value::Number),
            b"boolean" => match text.trim() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => Some(Value::Text(text.clone().into_owned())),
        };
        let Some(parsed) = parsed else {
            let kind = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            let message = format!("'{text}' is not a valid {kind}");
            let error = Error::Input {
                location: self.location(),
                field: Some(key),
                value: Some(text.into_owned()),
                message,
            };
            if in_event {
                self.event_failed(error);
                return Ok(());
            }
            self.trace_error.get_or_insert(error);
            return Ok(());
        };
        if in_event {
            let activity_key = key == self.options.activity_key;
            let timestamp_key = key == self.options.timestamp_key;
            let start_key = self.options.start_timestamp_key.as_deref() == Some(key.as_str());
            let code = match (&parsed, activity_key) {
                (Value::Text(name), true) => Some(self.builder.activity_code(name)),
                _ => None,
            };
            let keep = self.options.attributes;
            let ev = self.event.as_mut().expect("inside an event");
            match parsed {
                Value::Time(t) if timestamp_key => ev.timestamp = Some(t),
                Value::Time(t) if start_key => ev.start = Some(t),
                _ if activity_key && code.is_some() => ev.activity = code,
                other if keep => ev.attributes.push((key, other)),
                _ => {}
            }
        } else if key == self.options.case_key {
            self.case_id = Some(match parsed {
                Value::Text(s) => s,
                other => other.as_attr().to_string_lossy(),
            });
        } else if self.options.attributes {
            self.case_attributes.push((key, parsed));
        }
        Ok(())
    }

    fn event_failed(&mut self, error: Error) {
        if let Some(ev) = &mut self.event {
            ev.activity = None;
            ev.attributes.clear();
        }
        self.trace_error.get_or_insert(error);
    }

    fn end_event(&mut self) -> Result<()> {
        let ev = self.event.take().expect("an open event");
        let location = format!(
            "trace[{}]/event[{}]",
            self.traces - 1,
            self.events_in_trace - 1
        );
        let missing = match (ev.activity, ev.timestamp) {
            (None, _) => Some(self.options.activity_key.clone()),
            (_, None) => Some(self.options.timestamp_key.clone()),
            _ => None,
        };
        if let Some(field) = missing {
            let error = match self.trace_error.take() {
                Some(e) => e,
                None => Error::Input {
                    location,
                    field: Some(field.clone()),
                    value: None,
                    message: format!("the event has no '{field}'"),
                },
            };
            self.report.rows_read += 1;
            return self.bad(error);
        }
        self.events.push(ev);
        Ok(())
    }

    fn end_trace(&mut self) -> Result<()> {
        if let Some(error) = self.trace_error.take() {
            self.report.rows_read += 1;
            self.bad(error)?;
        }
        let Some(case_id) = self.case_id.take() else {
            let error = Error::Input {
                location: format!("trace[{}]", self.traces - 1),
                field: Some(self.options.case_key.clone()),
                value: None,
                message: format!(
                    "the trace has no '{}' to name its case",
                    self.options.case_key
                ),
            };
            self.report.rows_read += self.events.len() as u64;
            for _ in 0..self.events.len().max(1) {
                self.bad(error.clone())?;
            }
            return Ok(());
        };
        let case = self.builder.case_code(&case_id);
        for (key, value) in self.case_attributes.drain(..) {
            self.builder.set_case_attribute(case, &key, value.as_attr());
        }
        for ev in self.events.drain(..) {
            let i = self.builder.push_codes(
                case,
                ev.activity.expect("checked"),
                ev.timestamp.expect("checked"),
            )?;
            if let Some(s) = ev.start {
                self.builder.set_start(i, s);
            }
            for (key, value) in &ev.attributes {
                self.builder.set_event_attribute(i, key, value.as_attr());
            }
            self.report.rows_read += 1;
        }
        Ok(())
    }
}

impl AttrValue<'_> {
    fn to_string_lossy(self) -> String {
        match self {
            AttrValue::Text(s) => s.to_string(),
            AttrValue::Number(x) => x.to_string(),
            AttrValue::Integer(x) => x.to_string(),
            AttrValue::Bool(x) => x.to_string(),
            AttrValue::Time(t) => super::timestamp::format_rfc3339(t),
        }
    }
}

fn is_attribute(name: &[u8]) -> bool {
    matches!(
        name,
        b"string" | b"date" | b"int" | b"float" | b"boolean" | b"id"
    )
}

fn unescape(raw: &[u8]) -> std::result::Result<Cow<'_, str>, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "the value is not UTF-8".to_string())?;
    if text.contains('&') {
        quick_xml::escape::unescape(text)
            .map(|c| Cow::Owned(c.into_owned()))
            .map_err(|e| format!("bad escape in '{text}': {e}"))
    } else {
        Ok(Cow::Borrowed(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
  <trace>
    <string key="concept:name" value="c1"/>
    <float key="AMOUNT" value="5000"/>
    <event><string key="concept:name" value="B &amp; C"/><date key="time:timestamp" value="2012-01-01T10:00:00.000+01:00"/><string key="org:resource" value="112"/></event>
    <event><string key="concept:name" value="A"/><date key="time:timestamp" value="2012-01-01T08:00:00.000+01:00"/></event>
  </trace>
  <trace>
    <event><string key="concept:name" value="A"/><date key="time:timestamp" value="2012-01-02T08:00:00Z"/></event>
    <string key="concept:name" value="c2"/>
  </trace>
</log>"#;

    #[test]
    fn reads_cases_events_and_attributes() {
        let (log, report) = read_xes(SMALL.as_bytes(), XesOptions::default()).unwrap();
        assert_eq!(
            (
                log.num_cases(),
                log.num_events(),
                report.rows_read,
                report.rows_skipped
            ),
            (2, 3, 3, 0)
        );
        assert_eq!(
            log.case(0).activity_names().collect::<Vec<_>>(),
            ["A", "B & C"]
        );
        assert_eq!(log.case(1).id(), "c2");
        assert_eq!(
            log.event_attribute("org:resource").unwrap().get(1),
            Some(AttrValue::Text("112"))
        );
        assert_eq!(
            log.case_attribute("AMOUNT").unwrap().get(0),
            Some(AttrValue::Number(5000.0))
        );
    }

    #[test]
    fn bad_timestamp_names_its_place_or_is_skipped_and_counted() {
        let bad = SMALL.replace("2012-01-02T08:00:00Z", "2012-02-30T08:00:00Z");
        let err = read_xes(bad.as_bytes(), XesOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "trace[1]/event[0], field 'time:timestamp': '2012-02-30T08:00:00Z' is not a valid date"
        );
        let opts = XesOptions {
            on_bad_row: OnBadRow::SkipAndReport,
            ..XesOptions::default()
        };
        let (log, report) = read_xes(bad.as_bytes(), opts).unwrap();
        assert_eq!(
            (log.num_events(), report.rows_skipped, report.examples.len()),
            (2, 1, 1)
        );
    }

    #[test]
    fn truncated_or_foreign_documents_are_errors() {
        let err =
            read_xes(&SMALL.as_bytes()[..SMALL.len() / 2], XesOptions::default()).unwrap_err();
        assert!(
            err.to_string().contains("truncated") || err.to_string().contains("invalid XML"),
            "{err}"
        );
        let err = read_xes("<html></html>".as_bytes(), XesOptions::default()).unwrap_err();
        assert!(err.to_string().contains("not an XES document"), "{err}");
        assert!(read_xes("".as_bytes(), XesOptions::default()).is_err());
    }
}
