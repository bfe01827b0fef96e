//! CSV event logs (one event a row), plain or gzipped, streaming; and the column mapping and
//! row handling that the [JSON Lines reader](super::jsonl) shares.
//!
//! # Which column is what
//! Each role (case id, activity, timestamp, ...) is read from the column named in
//! [`ColumnMapping`]; a role left `None` takes the first of its default names that the header has:
//!
//! | role | default names, in order | kept as |
//! | --- | --- | --- |
//! | case id (required) | `case:concept:name`, `case`, `case_id` | the case |
//! | activity (required) | `concept:name`, `activity` | the activity |
//! | timestamp (required) | `time:timestamp`, `timestamp` | the completion time |
//! | start timestamp | `start_timestamp` | the start time |
//! | resource | `org:resource`, `resource` | text attribute `resource` |
//! | channel | (none: name it) | text attribute `channel` |
//! | stage | (none: name it) | text attribute `stage` |
//! | value | (none: name it) | number attribute `value` |
//!
//! A column named in the mapping must exist. With [`CsvOptions::attributes`] every other column
//! is kept: columns named `case:X` as case attribute `X` (pm4py's convention; the last row of a
//! case wins), the rest as event attributes named as in the header. Their cells are typed by
//! inference, cell by cell: integers (`42`; not `007`, which stays text, being a code), decimals
//! (`4.5`, `1e3`), booleans (`true`/`false`, any case), else text; empty cells are null. A
//! column whose cells mix types widens (integer to number, anything else to text). A column
//! whose name is taken by a mapped role's attribute (`resource` when the resource comes from
//! `org:resource`) is not kept. Empty cells of optional roles are null; of required roles, an
//! error. Without a header the columns are named by position from `0`, so the mapping must name
//! them.
//!
//! # Errors
//! Errors are [`Error::Input`] with the physical line (`line 7`; the header is line 1, and a row
//! with quoted line breaks is named by its first line), the column and the bad text: a missing
//! column (listing the header), an empty file, a row with the wrong number of fields, a bad
//! timestamp or number, an empty case id or activity, text that is not UTF-8. Under
//! [`OnBadRow::SkipAndReport`] bad rows are skipped and counted in the [`ReadReport`] instead;
//! header problems always stop the read.
//!
//! ```
//! use journeystream::log::csv::{read_csv, CsvOptions};
//! let text = "case:concept:name,concept:name,time:timestamp,org:resource,amount\n\
//!             c1,visit,2024-03-01T09:00:00Z,ann,12\n\
//!             c1,buy,2024-03-01T09:05:00+01:00,bob,4.5\n";
//! let (log, report) = read_csv(text.as_bytes(), CsvOptions::default())?;
//! assert_eq!((log.num_cases(), log.num_events(), report.rows_skipped), (1, 2, 0));
//! // 09:05+01:00 is 08:05 UTC, before the visit.
//! assert_eq!(log.case(0).activity_names().collect::<Vec<_>>(), ["buy", "visit"]);
//! assert!(log.event_attribute("resource").is_some());
//! # Ok::<(), journeystream::Error>(())
//! ```

#[cfg(feature = "csv")]
use super::read::{failed_read, open, Input};
use super::read::{OnBadRow, Progress, ReadReport};
use super::timeformat::{TimeZone, TimestampFormat, TimestampParser};
use super::timestamp::Timestamp;
use super::{AttrValue, EventLog, LogBuilder};
use crate::error::{Error, Result};
use std::borrow::Cow;
#[cfg(feature = "csv")]
use std::{io::Read, path::Path};

/// Which column (CSV) or key (JSON Lines) holds each role; `None` looks up the default names
/// (see the [module docs](self)).
///
/// ```
/// use journeystream::log::csv::ColumnMapping;
/// let mapping = ColumnMapping {
///     case: Some("ticket".into()),
///     channel: Some("via".into()),
///     ..ColumnMapping::default()
/// };
/// assert_eq!(mapping.activity, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    pub case: Option<String>,
    pub activity: Option<String>,
    pub timestamp: Option<String>,
    pub start_timestamp: Option<String>,
    pub resource: Option<String>,
    pub channel: Option<String>,
    pub stage: Option<String>,
    /// A numeric column (revenue, cost, ...), kept as number attribute `value`.
    pub value: Option<String>,
}

/// Options of the CSV reader.
pub struct CsvOptions<'a> {
    /// The field separator (`b','`; `b';'` and `b'\t'` are common).
    pub delimiter: u8,
    /// Whether the first line names the columns (`true`).
    pub has_header: bool,
    pub columns: ColumnMapping,
    pub timestamp_format: TimestampFormat,
    /// The zone of timestamps written without an offset.
    pub time_zone: TimeZone,
    /// Keep the unmapped columns as attributes (`true`).
    pub attributes: bool,
    pub on_bad_row: OnBadRow,
    /// Called with the input bytes read so far (compressed bytes for .csv.gz).
    pub progress: Option<Progress<'a>>,
}

impl Default for CsvOptions<'_> {
    fn default() -> Self {
        CsvOptions {
            delimiter: b',',
            has_header: true,
            columns: ColumnMapping::default(),
            timestamp_format: TimestampFormat::default(),
            time_zone: TimeZone::default(),
            attributes: true,
            on_bad_row: OnBadRow::Fail,
            progress: None,
        }
    }
}

/// Reads a `.csv` or gzipped CSV file (recognised by its first bytes); errors name the file.
///
/// ```no_run
/// use journeystream::log::csv::{read_csv_file, CsvOptions};
/// let (log, report) = read_csv_file("events.csv.gz", CsvOptions { delimiter: b';', ..CsvOptions::default() })?;
/// println!("{} events, {} bad rows skipped", log.num_events(), report.rows_skipped);
/// # Ok::<(), journeystream::Error>(())
/// ```
#[cfg(feature = "csv")]
pub fn read_csv_file(
    path: impl AsRef<Path>,
    mut options: CsvOptions<'_>,
) -> Result<(EventLog, ReadReport)> {
    let path = path.as_ref();
    let input = open(path, options.progress.take())?;
    read_csv(input, options).map_err(|e| failed_read(e, path.display().to_string()))
}

/// Reads CSV from any reader (gunzip it first when compressed).
///
/// ```
/// use journeystream::log::csv::{read_csv, CsvOptions};
/// use journeystream::log::read::OnBadRow;
/// let text = "case;activity;timestamp\nc1;a;2024-01-01\nc1;b;not a time\n";
/// let options = || CsvOptions { delimiter: b';', ..CsvOptions::default() };
/// let err = read_csv(text.as_bytes(), options()).unwrap_err();
/// assert!(err.to_string().starts_with("line 3, field 'timestamp': 'not a time' is not a valid timestamp"));
/// let skip = CsvOptions { on_bad_row: OnBadRow::SkipAndReport, ..options() };
/// let (log, report) = read_csv(text.as_bytes(), skip)?;
/// assert_eq!((log.num_events(), report.rows_read, report.rows_skipped), (1, 2, 1));
/// # Ok::<(), journeystream::Error>(())
/// ```
#[cfg(feature = "csv")]
pub fn read_csv<R: Read>(input: R, mut options: CsvOptions<'_>) -> Result<(EventLog, ReadReport)> {
    let input = Input::new(input, options.progress.take());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(options.delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let mut loader = Loader::new(
        options.columns,
        &options.timestamp_format,
        &options.time_zone,
        options.attributes,
        options.on_bad_row,
    )?;
    let mut record = csv::StringRecord::new();
    let mut pending = false;
    match next_record(&mut reader, &mut record)? {
        Next::Record if !record.is_empty() => {}
        Next::NotUtf8 { .. } => {
            return Err(Error::Input {
                location: "line 1".into(),
                field: None,
                value: None,
                message: "the text is not UTF-8 (convert the file to UTF-8)".into(),
            })
        }
        _ => {
            let expected = if options.has_header {
                "a header line naming the columns"
            } else {
                "rows of events"
            };
            return Err(Error::Input {
                location: "line 1".into(),
                field: None,
                value: None,
                message: format!("the file is empty: expected {expected}"),
            });
        }
    }
    if options.has_header {
        for (i, name) in record.iter().enumerate() {
            loader.add_column(if i == 0 {
                name.trim_start_matches('\u{feff}')
            } else {
                name
            });
        }
    } else {
        for i in 0..record.len() {
            loader.add_column(&i.to_string());
        }
        pending = true;
    }
    loader.resolve(false);
    loader.check_columns(options.has_header)?;
    let width = loader.width();
    loop {
        let next = if pending {
            pending = false;
            Next::Record
        } else {
            next_record(&mut reader, &mut record)?
        };
        let error = match next {
            Next::End => break,
            Next::Record if record.len() == width => {
                let line = record.position().map_or(0, |p| p.line());
                loader.row(line, &CsvRow(&record))?;
                continue;
            }
            Next::Record => Error::Input {
                location: format!("line {}", record.position().map_or(0, |p| p.line())),
                field: None,
                value: Some(record_text(&record, options.delimiter)),
                message: format!(
                    "expected {width} fields{}, found {}",
                    if options.has_header {
                        " as in the header"
                    } else {
                        " as in the first row"
                    },
                    record.len()
                ),
            },
            Next::NotUtf8 { line, field } => Error::Input {
                location: format!("line {line}"),
                field: loader.column_name(field).map(str::to_string),
                value: None,
                message: "the text is not UTF-8 (convert the file to UTF-8)".into(),
            },
        };
        loader.report.rows_read += 1;
        loader.bad(error)?;
    }
    loader.finish()
}

/// What reading one record gave.
#[cfg(feature = "csv")]
enum Next {
    Record,
    End,
    /// A record that is not UTF-8 (the csv crate validates whole records, fast when ASCII).
    NotUtf8 {
        line: u64,
        field: usize,
    },
}

#[cfg(feature = "csv")]
fn next_record<R: Read>(
    reader: &mut csv::Reader<Input<'_, R>>,
    record: &mut csv::StringRecord,
) -> Result<Next> {
    let read = reader.read_record(record);
    reader.get_mut().mark();
    match read {
        Ok(true) => Ok(Next::Record),
        Ok(false) => Ok(Next::End),
        Err(e) => match e.kind() {
            csv::ErrorKind::Utf8 { pos, err } => Ok(Next::NotUtf8 {
                line: pos.as_ref().map_or(0, |p| p.line()),
                field: err.field(),
            }),
            _ => Err(Error::Input {
                location: format!("line {}", e.position().unwrap_or(reader.position()).line()),
                field: None,
                value: None,
                message: format!("cannot read the input: {e}"),
            }),
        },
    }
}

#[cfg(feature = "csv")]
fn record_text(record: &csv::StringRecord, delimiter: u8) -> String {
    let text = record
        .iter()
        .collect::<Vec<_>>()
        .join(&(delimiter as char).to_string());
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

#[cfg(feature = "csv")]
struct CsvRow<'r>(&'r csv::StringRecord);

#[cfg(feature = "csv")]
impl Row for CsvRow<'_> {
    #[inline]
    fn cell(&self, slot: usize) -> Cell<'_> {
        match self.0.get(slot) {
            None => Cell::Missing,
            Some("") => Cell::Null,
            Some(text) => Cell::Raw(text),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared by the CSV and JSON Lines readers: roles, cells, and turning a row into an event.

/// What a column is read as, in the order of [`ROLES`] (`role as usize` indexes per-role arrays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Case,
    Activity,
    Timestamp,
    Start,
    Resource,
    Channel,
    Stage,
    Value,
}

const ROLES: [Role; 8] = [
    Role::Case,
    Role::Activity,
    Role::Timestamp,
    Role::Start,
    Role::Resource,
    Role::Channel,
    Role::Stage,
    Role::Value,
];

impl Role {
    fn defaults(self) -> &'static [&'static str] {
        match self {
            Role::Case => &["case:concept:name", "case", "case_id"],
            Role::Activity => &["concept:name", "activity"],
            Role::Timestamp => &["time:timestamp", "timestamp"],
            Role::Start => &["start_timestamp"],
            Role::Resource => &["org:resource", "resource"],
            Role::Channel | Role::Stage | Role::Value => &[],
        }
    }

    fn required(self) -> bool {
        matches!(self, Role::Case | Role::Activity | Role::Timestamp)
    }

    /// The event attribute the role's values go to.
    fn attribute(self) -> Option<&'static str> {
        match self {
            Role::Resource => Some("resource"),
            Role::Channel => Some("channel"),
            Role::Stage => Some("stage"),
            Role::Value => Some("value"),
            _ => None,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Role::Case => "case id",
            Role::Activity => "activity",
            Role::Timestamp => "timestamp",
            Role::Start => "start timestamp",
            Role::Resource => "resource",
            Role::Channel => "channel",
            Role::Stage => "stage",
            Role::Value => "value",
        }
    }
}

impl ColumnMapping {
    fn named(&self, role: Role) -> Option<&str> {
        match role {
            Role::Case => &self.case,
            Role::Activity => &self.activity,
            Role::Timestamp => &self.timestamp,
            Role::Start => &self.start_timestamp,
            Role::Resource => &self.resource,
            Role::Channel => &self.channel,
            Role::Stage => &self.stage,
            Role::Value => &self.value,
        }
        .as_deref()
    }

    /// The names a role is looked up by, in order.
    fn names(&self, role: Role) -> Vec<&str> {
        match self.named(role) {
            Some(name) => vec![name],
            None => role.defaults().to_vec(),
        }
    }

    /// `'ts'`, or `'time:timestamp' (nor 'timestamp')`.
    fn describe(&self, role: Role) -> String {
        let names = self.names(role);
        let mut s = format!("'{}'", names.first().copied().unwrap_or_default());
        if names.len() > 1 {
            let rest: Vec<String> = names[1..].iter().map(|n| format!("'{n}'")).collect();
            s.push_str(&format!(" (nor {})", rest.join(", ")));
        }
        s
    }
}

/// One cell of a row, as the reader found it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(not(feature = "csv"), allow(dead_code))] // Raw: CSV cells
pub(crate) enum Cell<'a> {
    /// No such field in this row (JSON Lines: the key is absent).
    Missing,
    /// An empty CSV cell or a JSON `null`.
    Null,
    /// Untyped text (CSV): typed by inference in attribute columns.
    Raw(&'a str),
    /// A JSON string.
    Text(&'a str),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A nested JSON object or array, as compact JSON text.
    Json(&'a str),
}

/// A row whose cells are addressed by the slots the [`Loader`] gave out.
pub(crate) trait Row {
    fn cell(&self, slot: usize) -> Cell<'_>;
}

/// The attribute a slot feeds.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Event(String),
    Case(String),
}

/// Turns rows into events: resolves roles to slots, parses, validates, counts bad rows.
pub(crate) struct Loader {
    builder: LogBuilder,
    pub report: ReadReport,
    parser: TimestampParser,
    mapping: ColumnMapping,
    keep_attributes: bool,
    on_bad_row: OnBadRow,
    names: Vec<String>,
    /// The slots kept as attributes.
    attributes: Vec<(usize, Target)>,
    /// For each role (in [`ROLES`] order), the slots it may come from, in order of preference.
    roles: [Vec<usize>; 8],
    last_case: Option<(String, u32)>,
}

/// A row's role values, parsed and checked before anything is added to the log.
struct Parsed<'r> {
    case: Cow<'r, str>,
    activity: Cow<'r, str>,
    timestamp: Timestamp,
    start: Option<Timestamp>,
    texts: [Option<Cow<'r, str>>; 3],
    value: Option<f64>,
}

impl Loader {
    pub fn new(
        mapping: ColumnMapping,
        format: &TimestampFormat,
        zone: &TimeZone,
        keep_attributes: bool,
        on_bad_row: OnBadRow,
    ) -> Result<Loader> {
        Ok(Loader {
            builder: LogBuilder::new(),
            report: ReadReport::default(),
            parser: TimestampParser::new(format, zone)?,
            mapping,
            keep_attributes,
            on_bad_row,
            names: Vec::new(),
            attributes: Vec::new(),
            roles: Default::default(),
            last_case: None,
        })
    }

    /// The name of a slot.
    #[cfg_attr(not(feature = "csv"), allow(dead_code))]
    pub fn column_name(&self, slot: usize) -> Option<&str> {
        self.names.get(slot).map(String::as_str)
    }

    /// Number of slots.
    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// Adds a column (a key) and returns its slot; call [`Loader::resolve`] after adding.
    pub fn add_column(&mut self, name: &str) -> usize {
        self.names.push(name.to_string());
        self.names.len() - 1
    }

    /// Assigns roles to slots: the first present name of each role, or with `alternatives` all
    /// present names in order (JSON Lines, where each line picks the first it has); then what
    /// every other slot feeds.
    pub fn resolve(&mut self, alternatives: bool) {
        for (r, role) in ROLES.iter().enumerate() {
            let mut slots = Vec::new();
            for name in self.mapping.names(*role) {
                if let Some(slot) = self.names.iter().position(|n| n == name) {
                    slots.push(slot);
                    if !alternatives {
                        break;
                    }
                }
            }
            self.roles[r] = slots;
        }
        let taken: Vec<&str> = ROLES
            .iter()
            .zip(&self.roles)
            .filter(|(_, slots)| !slots.is_empty())
            .filter_map(|(role, _)| role.attribute())
            .collect();
        self.attributes.clear();
        for (slot, name) in self.names.iter().enumerate() {
            if !self.keep_attributes
                || taken.contains(&name.as_str())
                || self.roles.iter().any(|s| s.contains(&slot))
            {
                continue;
            }
            let target = match name.strip_prefix("case:") {
                Some(attr) => Target::Case(attr.to_string()),
                None => Target::Event(name.clone()),
            };
            self.attributes.push((slot, target));
        }
    }

    /// Header check (CSV): every required role and every named column must be there.
    #[cfg_attr(not(feature = "csv"), allow(dead_code))]
    pub fn check_columns(&self, has_header: bool) -> Result<()> {
        for (r, role) in ROLES.iter().enumerate() {
            let named = self.mapping.named(*role);
            if self.roles[r].is_empty() && (role.required() || named.is_some()) {
                let names = self.mapping.names(*role);
                let list: Vec<String> = self.names.iter().map(|n| format!("'{n}'")).collect();
                return Err(Error::Input {
                    location: "line 1".into(),
                    field: Some(names.first().copied().unwrap_or_default().to_string()),
                    value: None,
                    message: format!(
                        "no column {} for the {}; {}: {}",
                        self.mapping.describe(*role),
                        role.what(),
                        if has_header {
                            "the header has"
                        } else {
                            "without a header the columns are"
                        },
                        list.join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// Counts a bad row: `Err` to stop, `Ok` when skipped.
    pub fn bad(&mut self, error: Error) -> Result<()> {
        self.report.bad_row(self.on_bad_row, error)
    }

    /// Adds the row at `line` as an event, or counts it as bad.
    pub fn row(&mut self, line: u64, row: &impl Row) -> Result<()> {
        self.report.rows_read += 1;
        match self.parse(line, row) {
            Ok(parsed) => {
                self.add(row, parsed);
                Ok(())
            }
            Err(error) => self.bad(error),
        }
    }

    pub fn finish(self) -> Result<(EventLog, ReadReport)> {
        Ok((self.builder.finish()?, self.report))
    }

    /// The cell of a role and the name of its column: the first slot this row has.
    #[inline]
    fn role_cell<'r>(&self, role: Role, row: &'r impl Row) -> (Cell<'r>, &str) {
        for &slot in &self.roles[role as usize] {
            let cell = row.cell(slot);
            if cell != Cell::Missing {
                return (cell, &self.names[slot]);
            }
        }
        (Cell::Missing, "")
    }

    fn parse<'r>(&self, line: u64, row: &'r impl Row) -> Result<Parsed<'r>> {
        let err = |field: &str, value: Option<String>, message: String| Error::Input {
            location: format!("line {line}"),
            field: Some(field.to_string()),
            value,
            message,
        };
        let missing = |role: Role| {
            let names = self.mapping.names(role);
            err(
                names.first().copied().unwrap_or_default(),
                None,
                format!("the event has no {}", self.mapping.describe(role)),
            )
        };
        let text = |role: Role| -> Result<Option<Cow<'r, str>>> {
            let (cell, field) = self.role_cell(role, row);
            match cell {
                Cell::Missing if role.required() => Err(missing(role)),
                Cell::Null | Cell::Raw("") | Cell::Text("") if role.required() => Err(err(
                    field,
                    Some(String::new()),
                    format!("the {} is empty", role.what()),
                )),
                Cell::Missing | Cell::Null => Ok(None),
                Cell::Raw(s) | Cell::Text(s) => Ok(Some(Cow::Borrowed(s))),
                Cell::Integer(n) => Ok(Some(Cow::Owned(n.to_string()))),
                Cell::Float(x) => Ok(Some(Cow::Owned(x.to_string()))),
                Cell::Bool(b) => Ok(Some(Cow::Owned(b.to_string()))),
                Cell::Json(j) => Err(err(
                    field,
                    Some(j.to_string()),
                    format!(
                        "the {} must be text, not a JSON object or array",
                        role.what()
                    ),
                )),
            }
        };
        let time = |role: Role| -> Result<Option<Timestamp>> {
            let (cell, field) = self.role_cell(role, row);
            let parsed = match cell {
                Cell::Missing if role.required() => return Err(missing(role)),
                Cell::Null if role.required() => {
                    return Err(err(
                        field,
                        Some(String::new()),
                        format!("the {} is empty", role.what()),
                    ))
                }
                Cell::Missing | Cell::Null => return Ok(None),
                Cell::Raw(s) | Cell::Text(s) => self.parser.parse(s),
                Cell::Integer(n) => self.parser.parse_integer(n),
                Cell::Float(x) => self.parser.parse_float(x),
                Cell::Bool(_) | Cell::Json(_) => Err(self.parser.format().expected()),
            };
            parsed.map(Some).map_err(|reason| {
                let shown = cell_text(cell);
                err(
                    field,
                    Some(shown.clone()),
                    format!("'{shown}' is not a valid {}: {reason}", role.what()),
                )
            })
        };
        let case = text(Role::Case)?.expect("required");
        let activity = text(Role::Activity)?.expect("required");
        let timestamp = time(Role::Timestamp)?.expect("required");
        let start = time(Role::Start)?;
        let texts = [
            text(Role::Resource)?,
            text(Role::Channel)?,
            text(Role::Stage)?,
        ];
        let (cell, field) = self.role_cell(Role::Value, row);
        let value = match cell {
            Cell::Missing | Cell::Null => None,
            Cell::Integer(n) => Some(n as f64),
            Cell::Float(x) => Some(x),
            Cell::Raw(s) | Cell::Text(s) => match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    return Err(err(
                        field,
                        Some(s.to_string()),
                        format!("'{s}' is not a number"),
                    ))
                }
            },
            other => {
                let shown = cell_text(other);
                return Err(err(
                    field,
                    Some(shown.clone()),
                    format!("'{shown}' is not a number"),
                ));
            }
        };
        Ok(Parsed {
            case,
            activity,
            timestamp,
            start,
            texts,
            value,
        })
    }

    fn add(&mut self, row: &impl Row, p: Parsed<'_>) {
        let case = match &mut self.last_case {
            Some((last, code)) if *last == p.case => *code,
            slot => {
                let code = self.builder.case_code(&p.case);
                match slot {
                    Some((last, c)) => {
                        last.clear();
                        last.push_str(&p.case);
                        *c = code;
                    }
                    None => *slot = Some((p.case.to_string(), code)),
                }
                code
            }
        };
        let activity = self.builder.activity_code(&p.activity);
        let Ok(event) = self.builder.push_codes(case, activity, p.timestamp) else {
            // The log is full (over 4 billion events); LogBuilder's limit, counted as a skip.
            self.report.rows_skipped += 1;
            return;
        };
        if let Some(start) = p.start {
            self.builder.set_start(event, start);
        }
        for (text, name) in p.texts.iter().zip(["resource", "channel", "stage"]) {
            if let Some(text) = text {
                self.builder
                    .set_event_attribute(event, name, AttrValue::Text(text));
            }
        }
        if let Some(x) = p.value {
            self.builder
                .set_event_attribute(event, "value", AttrValue::Number(x));
        }
        for (slot, target) in &self.attributes {
            let value = match row.cell(*slot) {
                Cell::Raw(s) => infer(s),
                Cell::Text(s) | Cell::Json(s) => AttrValue::Text(s),
                Cell::Integer(n) => AttrValue::Integer(n),
                Cell::Float(x) => AttrValue::Number(x),
                Cell::Bool(b) => AttrValue::Bool(b),
                Cell::Missing | Cell::Null => continue,
            };
            match target {
                Target::Event(name) => self.builder.set_event_attribute(event, name, value),
                Target::Case(name) => self.builder.set_case_attribute(case, name, value),
            }
        }
    }
}

fn cell_text(cell: Cell<'_>) -> String {
    match cell {
        Cell::Raw(s) | Cell::Text(s) | Cell::Json(s) => s.to_string(),
        Cell::Integer(n) => n.to_string(),
        Cell::Float(x) => x.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Missing | Cell::Null => String::new(),
    }
}

/// The type of an untyped cell: integer (no leading zeros), finite decimal, boolean, else text.
fn infer(s: &str) -> AttrValue<'_> {
    let b = s.as_bytes();
    if matches!(b[0], b'0'..=b'9' | b'-' | b'+' | b'.') {
        let digits = b.strip_prefix(b"-").or(b.strip_prefix(b"+")).unwrap_or(b);
        let leading_zero = digits.len() > 1 && digits[0] == b'0' && digits[1].is_ascii_digit();
        if !leading_zero {
            if let Ok(n) = s.parse::<i64>() {
                return AttrValue::Integer(n);
            }
            if let Ok(x) = s.parse::<f64>() {
                if x.is_finite() {
                    return AttrValue::Number(x);
                }
            }
        }
    } else if s.eq_ignore_ascii_case("true") {
        return AttrValue::Bool(true);
    } else if s.eq_ignore_ascii_case("false") {
        return AttrValue::Bool(false);
    }
    AttrValue::Text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<(EventLog, ReadReport)> {
        read_csv(text.as_bytes(), CsvOptions::default())
    }

    fn skip() -> CsvOptions<'static> {
        CsvOptions {
            on_bad_row: OnBadRow::SkipAndReport,
            ..CsvOptions::default()
        }
    }

    #[test]
    fn roles_index_their_arrays_in_order() {
        assert!(ROLES.iter().enumerate().all(|(i, r)| *r as usize == i));
    }

    #[test]
    fn infers_attribute_types_cell_by_cell() {
        assert_eq!(infer("42"), AttrValue::Integer(42));
        assert_eq!(infer("-7"), AttrValue::Integer(-7));
        assert_eq!(infer("0"), AttrValue::Integer(0));
        assert_eq!(infer("007"), AttrValue::Text("007"));
        assert_eq!(infer("4.5"), AttrValue::Number(4.5));
        assert_eq!(infer("0.5"), AttrValue::Number(0.5));
        assert_eq!(infer("1e3"), AttrValue::Number(1000.0));
        assert_eq!(infer("TRUE"), AttrValue::Bool(true));
        assert_eq!(infer("false"), AttrValue::Bool(false));
        assert_eq!(infer("NaN"), AttrValue::Text("NaN"));
        assert_eq!(infer("inf"), AttrValue::Text("inf"));
        assert_eq!(infer("-"), AttrValue::Text("-"));
        assert_eq!(infer("12 units"), AttrValue::Text("12 units"));
    }

    #[test]
    fn plain_names_roles_and_case_attributes() {
        let text = "case_id,activity,timestamp,start_timestamp,resource,case:segment,n\n\
                    1,a,2024-01-01T10:00:00Z,2024-01-01T09:00:00Z,ann,gold,1\n\
                    1,b,2024-01-01T11:00:00Z,,,gold,\n";
        let (log, report) = read(text).unwrap();
        assert_eq!((log.num_events(), report.rows_read), (2, 2));
        assert_eq!(log.case(0).id(), "1");
        assert!(log.has_start_timestamps());
        let resource = log.event_attribute("resource").unwrap();
        assert_eq!(
            (resource.get(0), resource.get(1)),
            (Some(AttrValue::Text("ann")), None)
        );
        assert_eq!(
            log.case_attribute("segment").unwrap().get(0),
            Some(AttrValue::Text("gold"))
        );
        assert_eq!(log.event_attribute("n").unwrap().get(1), None);
        assert_eq!(
            log.event_attribute_names().collect::<Vec<_>>(),
            ["n", "resource"]
        );
    }

    #[test]
    fn explicit_mapping_and_journey_roles() {
        let text = "ticket,step,at,via,phase,revenue,org:resource,resource\n\
                    t1,open,2024-01-01,web,awareness,10.5,r1,dup\n";
        let options = CsvOptions {
            columns: ColumnMapping {
                case: Some("ticket".into()),
                activity: Some("step".into()),
                timestamp: Some("at".into()),
                channel: Some("via".into()),
                stage: Some("phase".into()),
                value: Some("revenue".into()),
                ..ColumnMapping::default()
            },
            ..CsvOptions::default()
        };
        let (log, _) = read_csv(text.as_bytes(), options).unwrap();
        let get = |name: &str| log.event_attribute(name).unwrap().get(0);
        assert_eq!(get("channel"), Some(AttrValue::Text("web")));
        assert_eq!(get("stage"), Some(AttrValue::Text("awareness")));
        assert_eq!(get("value"), Some(AttrValue::Number(10.5)));
        // The resource role (org:resource) wins over the column named "resource".
        assert_eq!(get("resource"), Some(AttrValue::Text("r1")));
        assert_eq!(log.event_attribute_names().count(), 4);
    }

    #[test]
    fn bad_value_and_empty_required_cells() {
        let text = "case,activity,timestamp,amount\nc,a,2024-01-01,x\n,a,2024-01-01,1\n";
        let options = || CsvOptions {
            columns: ColumnMapping {
                value: Some("amount".into()),
                ..ColumnMapping::default()
            },
            ..skip()
        };
        let (log, report) = read_csv(text.as_bytes(), options()).unwrap();
        assert_eq!(
            (log.num_events(), log.num_cases(), report.rows_skipped),
            (0, 0, 2)
        );
        assert_eq!(
            report.examples[0].to_string(),
            "line 2, field 'amount': 'x' is not a number"
        );
        assert_eq!(
            report.examples[1].to_string(),
            "line 3, field 'case': the case id is empty"
        );
    }

    #[test]
    fn not_utf8_is_an_error_naming_the_column() {
        let mut bytes = b"case,activity,timestamp,note\nc,a,2024-01-01,".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
        let err = read_csv(&bytes[..], CsvOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, field 'note': the text is not UTF-8 (convert the file to UTF-8)"
        );
        // Skipped and counted; the reading goes on with the right line numbers.
        let mut bytes = b"case,activity,timestamp,note\nc,\"a\nb\",2024-01-01,x\nc,".to_vec();
        bytes.extend_from_slice(&[0xe9]);
        bytes.extend_from_slice(b",2024-01-01,\nc,b,bad,\n\nc,d,2024-01-02,\n");
        let (log, report) = read_csv(&bytes[..], skip()).unwrap();
        assert_eq!(
            (log.num_events(), report.rows_read, report.rows_skipped),
            (2, 4, 2)
        );
        let messages: Vec<String> = report.examples.iter().map(Error::to_string).collect();
        assert_eq!(
            messages[0],
            "line 4, field 'activity': the text is not UTF-8 (convert the file to UTF-8)"
        );
        assert!(messages[1].starts_with("line 5, field 'timestamp': 'bad'"));
        let err = read_csv(&[0xff, b'\n'][..], CsvOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: the text is not UTF-8 (convert the file to UTF-8)"
        );
    }

    #[test]
    fn without_header_columns_are_numbered() {
        let text = "c1,a,2024-01-01\nc1,b,2024-01-02\n";
        let err = read_csv(
            text.as_bytes(),
            CsvOptions {
                has_header: false,
                ..CsvOptions::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1, field 'case:concept:name': no column 'case:concept:name' (nor 'case', \
             'case_id') for the case id; without a header the columns are: '0', '1', '2'"
        );
        let options = CsvOptions {
            has_header: false,
            columns: ColumnMapping {
                case: Some("0".into()),
                activity: Some("1".into()),
                timestamp: Some("2".into()),
                ..ColumnMapping::default()
            },
            ..CsvOptions::default()
        };
        let (log, report) = read_csv(text.as_bytes(), options).unwrap();
        assert_eq!((log.num_events(), report.rows_read), (2, 2));
    }

    #[test]
    fn byte_order_mark_is_not_part_of_the_first_name() {
        let text = "\u{feff}case,activity,timestamp\nc,a,2024-01-01\n";
        assert_eq!(read(text).unwrap().0.num_events(), 1);
    }

    #[test]
    fn attributes_off_keeps_only_roles() {
        let text = "case,activity,timestamp,resource,x,case:y\nc,a,2024-01-01,r,1,2\n";
        let options = CsvOptions {
            attributes: false,
            ..CsvOptions::default()
        };
        let (log, _) = read_csv(text.as_bytes(), options).unwrap();
        assert_eq!(
            log.event_attribute_names().collect::<Vec<_>>(),
            ["resource"]
        );
        assert_eq!(log.case_attribute_names().count(), 0);
    }

    #[test]
    fn progress_is_called() {
        let mut calls = 0u64;
        let options = CsvOptions {
            progress: Some(Box::new(|_| {
                calls += 1;
                true
            })),
            ..CsvOptions::default()
        };
        read_csv(
            "case,activity,timestamp\nc,a,2024-01-01\n".as_bytes(),
            options,
        )
        .unwrap();
        assert!(calls >= 1);
    }
}
