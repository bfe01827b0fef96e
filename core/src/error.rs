//! The one error type of the library.
//!
//! Every message says what was wrong and where: the JSON path of the bad field
//! (`value_stream.steps[2].uptime_pct`), the line and column of a syntax error, the offending value.

use std::fmt;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong. Matched by kind with [`Error::kind`], which is stable across languages.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{file}: {message}")]
    Io { file: String, message: String },
    /// The text is not a well-formed document: bad JSON, a wrong type, an unknown field, a bad time.
    /// `line` and `column` are 0 when the text's position is not known (a value read from JSON
    /// already parsed).
    #[error("{}{}{message}", at(path), position(*line, *column))]
    Parse {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A field names an id that the document does not define.
    #[error("{path}: unknown {kind} '{value}'")]
    UnknownReference {
        path: String,
        kind: String,
        value: String,
    },
    /// The same id is defined twice.
    #[error("{path}: duplicate id '{id}' (first defined at {first})")]
    DuplicateId {
        path: String,
        id: String,
        first: String,
    },
    /// A number outside the range its field allows (a percentage over 100, a severity of 7).
    #[error("{path}: {value} is out of range {range}")]
    OutOfRange {
        path: String,
        value: f64,
        range: String,
    },
    /// A time that is negative.
    #[error("{path}: negative time '{value}'")]
    NegativeTime { path: String, value: String },
    /// An emotion score outside the journey's declared scale.
    #[error("{path}: emotion {value} is outside the scale {min}..{max}")]
    EmotionOutOfScale {
        path: String,
        value: f64,
        min: f64,
        max: f64,
    },
    /// Work can enter a loop of steps and never leave it.
    #[error("{path}: steps [{}] form a cycle without exit", steps.join(", "))]
    CycleWithoutExit { path: String, steps: Vec<String> },
    /// A value that breaks a rule of the model not covered by the kinds above.
    #[error("{path}: '{value}' {reason}")]
    Invalid {
        path: String,
        value: String,
        reason: String,
    },
    /// A metric needs data that the document does not give (takt time without demand).
    #[error("{path}: missing {what}")]
    MissingData { path: String, what: String },
    /// A function argument is wrong.
    #[error("argument '{name}': '{value}' {reason}")]
    InvalidArgument {
        name: String,
        value: String,
        reason: String,
    },
    /// Bad input data in an event log: a malformed row, an unparseable timestamp, a missing column,
    /// invalid XML. `location` is a line (`line 12`) or an XML element path (`trace[3]/event[5]`).
    #[error("{location}{}: {message}", field.as_ref().map(|f| format!(", field '{f}'")).unwrap_or_default())]
    Input {
        location: String,
        field: Option<String>,
        value: Option<String>,
        message: String,
    },
    /// An error found in a named file.
    #[error("{file}: {source}")]
    InFile { file: String, source: Box<Error> },
}

fn at(path: &str) -> String {
    if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("{path}: ")
    }
}

fn position(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("line {line}, column {column}: ")
    }
}

/// Stable identity of an [`Error`] variant, shared by the C status codes and the Python exceptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum ErrorKind {
    Io = 4,
    Parse = 5,
    UnknownReference = 6,
    DuplicateId = 7,
    OutOfRange = 8,
    NegativeTime = 9,
    EmotionOutOfScale = 10,
    CycleWithoutExit = 11,
    Invalid = 12,
    MissingData = 13,
    InvalidArgument = 14,
    Input = 16,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::Io,
        ErrorKind::Parse,
        ErrorKind::UnknownReference,
        ErrorKind::DuplicateId,
        ErrorKind::OutOfRange,
        ErrorKind::NegativeTime,
        ErrorKind::EmotionOutOfScale,
        ErrorKind::CycleWithoutExit,
        ErrorKind::Invalid,
        ErrorKind::MissingData,
        ErrorKind::InvalidArgument,
        ErrorKind::Input,
    ];

    /// The snake_case name used in conformance vectors and Python (`"duplicate_id"`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Parse => "parse",
            ErrorKind::UnknownReference => "unknown_reference",
            ErrorKind::DuplicateId => "duplicate_id",
            ErrorKind::OutOfRange => "out_of_range",
            ErrorKind::NegativeTime => "negative_time",
            ErrorKind::EmotionOutOfScale => "emotion_out_of_scale",
            ErrorKind::CycleWithoutExit => "cycle_without_exit",
            ErrorKind::Invalid => "invalid",
            ErrorKind::MissingData => "missing_data",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Input => "input",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Error {
    /// The variant's stable kind.
    ///
    /// ```
    /// use journeystream::{Map, ErrorKind};
    /// let err = Map::from_json("{").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Parse);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Parse { .. } => ErrorKind::Parse,
            Error::UnknownReference { .. } => ErrorKind::UnknownReference,
            Error::DuplicateId { .. } => ErrorKind::DuplicateId,
            Error::OutOfRange { .. } => ErrorKind::OutOfRange,
            Error::NegativeTime { .. } => ErrorKind::NegativeTime,
            Error::EmotionOutOfScale { .. } => ErrorKind::EmotionOutOfScale,
            Error::CycleWithoutExit { .. } => ErrorKind::CycleWithoutExit,
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::MissingData { .. } => ErrorKind::MissingData,
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::Input { .. } => ErrorKind::Input,
            Error::InFile { source, .. } => source.kind(),
        }
    }

    /// The JSON path of the offending field, where the error has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Parse { path, .. } if path.is_empty() => None,
            Error::Parse { path, .. }
            | Error::UnknownReference { path, .. }
            | Error::DuplicateId { path, .. }
            | Error::OutOfRange { path, .. }
            | Error::NegativeTime { path, .. }
            | Error::EmotionOutOfScale { path, .. }
            | Error::CycleWithoutExit { path, .. }
            | Error::Invalid { path, .. }
            | Error::MissingData { path, .. } => Some(path),
            Error::InFile { source, .. } => source.path(),
            Error::Input { location, .. } => Some(location),
            Error::Io { .. } | Error::InvalidArgument { .. } => None,
        }
    }

    /// The file the error was found in, where it came from one.
    pub fn file(&self) -> Option<&str> {
        match self {
            Error::Io { file, .. } | Error::InFile { file, .. } => Some(file),
            _ => None,
        }
    }

    /// Attach the file the error was found in.
    pub fn in_file(self, file: impl Into<String>) -> Error {
        match self {
            e @ (Error::Io { .. } | Error::InFile { .. }) => e,
            e => Error::InFile {
                file: file.into(),
                source: Box::new(e),
            },
        }
    }

    /// The error with `prefix` put before its JSON path (`map` + `steps[0].id` =
    /// `map.steps[0].id`): for a document found inside another one.
    pub fn under(mut self, prefix: &str) -> Error {
        match &mut self {
            Error::Parse { path, .. }
            | Error::UnknownReference { path, .. }
            | Error::DuplicateId { path, .. }
            | Error::OutOfRange { path, .. }
            | Error::NegativeTime { path, .. }
            | Error::EmotionOutOfScale { path, .. }
            | Error::CycleWithoutExit { path, .. }
            | Error::Invalid { path, .. }
            | Error::MissingData { path, .. } => {
                *path = if path.is_empty() {
                    prefix.to_string()
                } else if path.starts_with('[') {
                    format!("{prefix}{path}")
                } else {
                    format!("{prefix}.{path}")
                };
                self
            }
            Error::InFile { file, source } => Error::InFile {
                file: std::mem::take(file),
                source: Box::new(
                    std::mem::replace(
                        source.as_mut(),
                        Error::Io {
                            file: String::new(),
                            message: String::new(),
                        },
                    )
                    .under(prefix),
                ),
            },
            _ => self,
        }
    }

    pub(crate) fn invalid(
        path: impl Into<String>,
        value: impl fmt::Display,
        reason: impl Into<String>,
    ) -> Error {
        Error::Invalid {
            path: path.into(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn argument(
        name: &str,
        value: impl fmt::Display,
        reason: impl Into<String>,
    ) -> Error {
        Error::InvalidArgument {
            name: name.into(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}
