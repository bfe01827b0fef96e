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

/// A reader that reports how many bytes went through it.
pub(crate) struct Counting<'a, R> {
    inner: R,
    pub read: u64,
    next_report: u64,
    progress: Option<Progress<'a>>,
}

impl<'a, R: Read> Counting<'a, R> {
    pub fn new(inner: R, progress: Option<Progress<'a>>) -> Self {
        Counting {
            inner,
            read: 0,
            next_report: 4 << 20,
            progress,
        }
    }
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
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

/// Opens a file, gunzipping it when it starts with the gzip magic bytes; `progress` is told the
/// bytes of the file read so far (compressed bytes for a gzipped file, comparable to its size).
pub(crate) fn open<'a>(
    path: &std::path::Path,
    progress: Option<Progress<'a>>,
) -> Result<Box<dyn Read + Send + 'a>, Error> {
    let io_error = |e: io::Error| Error::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    };
    let mut file = io::BufReader::new(std::fs::File::open(path).map_err(io_error)?);
    let gzipped = io::BufRead::fill_buf(&mut file)
        .map_err(io_error)?
        .starts_with(&[0x1f, 0x8b]);
    let counting = Counting::new(file, progress);
    if !gzipped {
        return Ok(Box::new(counting));
    }
    #[cfg(feature = "gzip")]
    return Ok(Box::new(flate2::read::MultiGzDecoder::new(counting)));
    #[cfg(not(feature = "gzip"))]
    Err(Error::Io {
        file: path.display().to_string(),
        message: "the file is gzip-compressed: reading it needs journeystream's gzip feature, \
                  which this build leaves out (or decompress it first)"
            .into(),
    })
}
