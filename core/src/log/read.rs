//! What every reader shares: options for bad rows, the report of what was skipped, progress.

use crate::error::Error;
use std::io::{self, Read};

/// How many skipped rows a [`ReadReport`] keeps as examples.
pub const EXAMPLES_KEPT: usize = 10;

/// What a reader did with rows it could not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnBadRow {
    /// Stop at the first bad row with an error naming it (the default).
    #[default]
    Fail,
    /// Skip bad rows; count them and keep the first few in the [`ReadReport`].
    SkipAndReport,
}

/// Rows skipped under [`OnBadRow::SkipAndReport`]: none are dropped without being counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadReport {
    pub rows_read: u64,
    pub rows_skipped: u64,
    /// The first skipped rows' errors.
    pub examples: Vec<Error>,
}

impl ReadReport {
    /// Counts a bad row under `policy`: `Err` to stop, `Ok` when skipped.
    pub(crate) fn bad_row(&mut self, policy: OnBadRow, error: Error) -> Result<(), Error> {
        match policy {
            OnBadRow::Fail => Err(error),
            OnBadRow::SkipAndReport => {
                self.rows_skipped += 1;
                if self.examples.len() < EXAMPLES_KEPT {
                    self.examples.push(error);
                }
                Ok(())
            }
        }
    }
}

/// Calls back with the number of input bytes consumed, about every 4 MiB and at the end; it
/// returns whether to go on: `false` stops the read with an [`Error::Io`] that says it was
/// cancelled (a user pressed Ctrl-C, a service shuts down).
pub type Progress<'a> = Box<dyn FnMut(u64) -> bool + Send + 'a>;

/// What a read stopped by its [`Progress`] callback says.
pub const CANCELLED: &str = "the read was cancelled by its progress callback";

/// The error of reading `file`: an [`Error::Io`] saying so when the progress callback cancelled
/// the read (the parsers see a failed read, which they would report as bad input), else the
/// error in the file.
pub(crate) fn failed_read(e: Error, file: String) -> Error {
    if e.to_string().contains(CANCELLED) {
        Error::Io {
            file,
            message: CANCELLED.into(),
        }
    } else {
        e.in_file(file)
    }
}

/// The most bytes one record of input may take: a CSV row, a JSON Lines line, an XML tag or
/// text. Readers hold one record at a time, so reading needs at most this much memory beyond the
/// log it builds, whatever the input (a gzip stream that inflates a thousandfold included).
pub const MAX_RECORD_BYTES: u64 = 64 << 20;

/// What a read stopped by [`MAX_RECORD_BYTES`] says.
pub const RECORD_TOO_LONG: &str = "a single record (a row, a line, an XML tag or text) is longer \
    than 64 MiB, the most journeystream reads in one piece: the input is not an event log in this \
    format, or a value in it is corrupt";

/// The input of a reader: counts the bytes that went through it for the progress callback, and
/// stops a record longer than [`MAX_RECORD_BYTES`] (the parser calls [`Input::mark`] at every
/// record's end).
pub(crate) struct Input<'a, R> {
    inner: R,
    pub read: u64,
    next_report: u64,
    record_start: u64,
    progress: Option<Progress<'a>>,
}

impl<'a, R: Read> Input<'a, R> {
    pub fn new(inner: R, progress: Option<Progress<'a>>) -> Self {
        Input {
            inner,
            read: 0,
            next_report: 4 << 20,
            record_start: 0,
            progress,
        }
    }

    /// A record ended: the next one starts here.
    pub fn mark(&mut self) {
        self.record_start = self.read;
    }
}

impl<R: Read> Read for Input<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read - self.record_start > MAX_RECORD_BYTES {
            return Err(io::Error::other(RECORD_TOO_LONG));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if let Some(p) = &mut self.progress {
            if self.read >= self.next_report || n == 0 {
                if !p(self.read) {
                    return Err(io::Error::other(CANCELLED));
                }
                self.next_report = self.read + (4 << 20);
            }
        }
        Ok(n)
    }
}

/// The bytes of `input`, gunzipped when they start with the gzip magic bytes (a `.gz` file, an
/// upload held in memory).
///
/// ```
/// use journeystream::log::read::decompressed;
/// use std::io::Read;
/// let mut text = String::new();
/// decompressed(&b"case,activity"[..])?.read_to_string(&mut text).unwrap();
/// assert_eq!(text, "case,activity");
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn decompressed<'a, R: io::BufRead + Send + 'a>(
    mut input: R,
) -> Result<Box<dyn Read + Send + 'a>, Error> {
    let gzipped = input
        .fill_buf()
        .map_err(|e| Error::Io {
            file: "the input".into(),
            message: e.to_string(),
        })?
        .starts_with(&[0x1f, 0x8b]);
    if !gzipped {
        return Ok(Box::new(input));
    }
    #[cfg(feature = "gzip")]
    return Ok(Box::new(flate2::bufread::MultiGzDecoder::new(input)));
    #[cfg(not(feature = "gzip"))]
    Err(Error::Io {
        file: "the input".into(),
        message: "the input is gzip-compressed: reading it needs journeystream's gzip feature, \
                  which this build leaves out (or decompress it first)"
            .into(),
    })
}

/// Opens a file, gunzipping it when it starts with the gzip magic bytes; `progress` is told the
/// bytes of the file read so far (compressed bytes for a gzipped file, comparable to its size).
pub(crate) fn open<'a>(
    path: &std::path::Path,
    progress: Option<Progress<'a>>,
) -> Result<Box<dyn Read + Send + 'a>, Error> {
    let file = path.display().to_string();
    let io_error = |e: io::Error| Error::Io {
        file: file.clone(),
        message: e.to_string(),
    };
    let file_input = std::fs::File::open(path).map_err(io_error)?;
    let counted = io::BufReader::new(Counted(Input::new(file_input, progress)));
    decompressed(counted).map_err(|e| match e {
        Error::Io { message, .. } => Error::Io {
            file: file.clone(),
            message: message.replace("the input is", "the file is"),
        },
        e => e,
    })
}

/// The compressed bytes of a file, counted for progress only (a record's bound applies to the
/// decompressed bytes the parser reads).
struct Counted<'a, R>(Input<'a, R>);

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.mark();
        self.0.read(buf)
    }
}
