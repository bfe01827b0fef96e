//! Event tables (CSV, JSON Lines) read with one set of settings given as data: the column
//! mapping, delimiter, timestamp format, time zone and bad-row policy, as the C and Python
//! bindings and configuration files give them.

use super::csv::ColumnMapping;
#[cfg(feature = "csv")]
use super::csv::{read_csv_file, CsvOptions};
use super::jsonl::{read_jsonl_file, JsonlOptions};
use super::read::{OnBadRow, Progress, ReadReport};
use super::timeformat::{TimeZone, TimestampFormat};
use super::EventLog;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

/// The layout of an event table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    Csv,
    Jsonl,
}

/// Reader settings as text, each `None` for the default: the column (CSV) or key (JSON Lines) of
/// each role (see [`ColumnMapping`]), the CSV delimiter (one one-byte character, `,` by
/// default), the timestamp format and time zone by name (see [`TimestampFormat`] and
/// [`TimeZone`]), and whether bad rows are skipped and counted instead of failing the read.
///
/// ```
/// use journeystream::log::table::{TableFormat, TableSettings};
/// let settings: TableSettings = serde_json::from_str(r#"{"case": "ticket", "delimiter": ";"}"#).unwrap();
/// let text = "ticket;activity;timestamp\nt1;open;2024-01-01T00:00:00Z\n";
/// let path = std::env::temp_dir().join("journeystream-table-doc.csv");
/// std::fs::write(&path, text).unwrap();
/// let (log, report) = settings.read_file(&path, TableFormat::Csv)?;
/// assert_eq!((log.num_events(), report.rows_skipped), (1, 0));
/// let bad = TableSettings { delimiter: Some(";;".into()), ..settings };
/// assert!(bad.read_file(&path, TableFormat::Csv).unwrap_err().to_string().contains("delimiter"));
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TableSettings {
    pub case: Option<String>,
    pub activity: Option<String>,
    pub timestamp: Option<String>,
    pub start_timestamp: Option<String>,
    pub resource: Option<String>,
    pub channel: Option<String>,
    pub stage: Option<String>,
    pub value: Option<String>,
    pub delimiter: Option<String>,
    pub timestamp_format: Option<String>,
    pub time_zone: Option<String>,
    pub skip_bad_rows: bool,
}

impl TableSettings {
    /// Reads a table file (plain or gzipped) with these settings; errors name the file, or the
    /// setting that is wrong.
    pub fn read_file(
        &self,
        path: impl AsRef<Path>,
        format: TableFormat,
    ) -> Result<(EventLog, ReadReport)> {
        self.read_file_reporting(path, format, None)
    }

    /// [`read_file`](Self::read_file), telling `progress` the bytes read (it may cancel).
    pub fn read_file_reporting(
        &self,
        path: impl AsRef<Path>,
        format: TableFormat,
        progress: Option<Progress<'_>>,
    ) -> Result<(EventLog, ReadReport)> {
        let columns = ColumnMapping {
            case: self.case.clone(),
            activity: self.activity.clone(),
            timestamp: self.timestamp.clone(),
            start_timestamp: self.start_timestamp.clone(),
            resource: self.resource.clone(),
            channel: self.channel.clone(),
            stage: self.stage.clone(),
            value: self.value.clone(),
        };
        let timestamp_format = match &self.timestamp_format {
            Some(f) => f.parse::<TimestampFormat>()?,
            None => TimestampFormat::default(),
        };
        let time_zone = match &self.time_zone {
            Some(z) => z.parse::<TimeZone>()?,
            None => TimeZone::default(),
        };
        let on_bad_row = if self.skip_bad_rows {
            OnBadRow::SkipAndReport
        } else {
            OnBadRow::Fail
        };
        match format {
            #[cfg(not(feature = "csv"))]
            TableFormat::Csv => Err(Error::argument(
                "format",
                "csv",
                "needs journeystream's csv feature (built without it)",
            )),
            #[cfg(feature = "csv")]
            TableFormat::Csv => read_csv_file(
                path,
                CsvOptions {
                    delimiter: self.delimiter_byte()?,
                    columns,
                    timestamp_format,
                    time_zone,
                    on_bad_row,
                    progress,
                    ..CsvOptions::default()
                },
            ),
            TableFormat::Jsonl => read_jsonl_file(
                path,
                JsonlOptions {
                    columns,
                    timestamp_format,
                    time_zone,
                    on_bad_row,
                    progress,
                    ..JsonlOptions::default()
                },
            ),
        }
    }

    #[cfg_attr(not(feature = "csv"), allow(dead_code))]
    fn delimiter_byte(&self) -> Result<u8> {
        match self.delimiter.as_deref().map(str::as_bytes) {
            None => Ok(b','),
            Some([b]) => Ok(*b),
            Some(_) => Err(Error::InvalidArgument {
                name: "delimiter".into(),
                value: self.delimiter.clone().unwrap_or_default(),
                reason: "is not a single one-byte character (such as ',', ';' or '\\t')".into(),
            }),
        }
    }
}
