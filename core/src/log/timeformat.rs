//! Timestamp formats and time zones of tabular event logs (CSV, JSON Lines).
//!
//! A [`TimestampFormat`] says how the text (or number) of a timestamp is written; a [`TimeZone`]
//! says where a local time without an offset was written. An offset in the text itself
//! (`+02:00`, `Z`, a `%z` field) always wins: it is honoured, never dropped, and the zone is then
//! not consulted. Epoch numbers are UTC by definition and ignore the zone too.
//!
//! Local times that a daylight-saving change makes ambiguous (the hour repeated in autumn) are
//! read as the **earliest** of the two instants, as pandas' `ambiguous=True` and chrono's
//! `earliest()` do. Local times that do not exist (the hour skipped in spring) are an **error**,
//! never shifted silently.
//!
//! ```
//! use journeystream::log::timeformat::{TimeZone, TimestampFormat, TimestampParser};
//! let p = TimestampParser::new(
//!     &TimestampFormat::Strftime("%d/%m/%Y %H:%M".into()),
//!     &TimeZone::Named("Europe/Amsterdam".into()),
//! )?;
//! // 09:30 in Amsterdam in winter is 08:30 UTC.
//! assert_eq!(p.parse("01/03/2024 09:30"), TimestampFormat::Rfc3339.parse("2024-03-01T08:30:00Z", &TimeZone::Utc));
//! assert!(p.parse("31/03/2024 02:30").unwrap_err().contains("does not exist"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::timestamp::{parse_rfc3339, Timestamp, NANOS_PER_SEC};
use crate::error::{Error, Result};
use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, NaiveDateTime, NaiveTime};
#[cfg(feature = "tz")]
use chrono::{LocalResult, Offset, TimeZone as _};

/// How timestamps are written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TimestampFormat {
    /// RFC 3339 first, then these layouts in order (the first that reads the whole text wins):
    /// `YYYY/MM/DD[ hh:mm[:ss[.f]]]`, `DD.MM.YYYY[ hh:mm[:ss[.f]]]` (dotted dates are always day
    /// first) and RFC 2822 (`Tue, 1 Jul 2003 10:52:37 +0200`). Slashed day/month dates
    /// (`01/02/2024`) are ambiguous and never guessed: give them as [`TimestampFormat::Strftime`].
    #[default]
    Auto,
    /// RFC 3339 / ISO 8601: `2024-03-01T09:30:00.5+01:00`, also with a space for the `T`, without
    /// seconds or offset, or a plain date (`2024-03-01`, midnight).
    Rfc3339,
    /// Seconds since 1970-01-01T00:00:00Z, integer or decimal (`1709285400.25`).
    EpochSeconds,
    /// Milliseconds since the epoch, integer or decimal.
    EpochMillis,
    /// Microseconds since the epoch, integer or decimal.
    EpochMicros,
    /// Nanoseconds since the epoch, integer or decimal.
    EpochNanos,
    /// A chrono `strftime` pattern such as `%d/%m/%Y %H:%M`. A pattern without time fields gives
    /// midnight; with `%z` the offset in the text is used; with `%s` the epoch seconds.
    Strftime(String),
}

/// Where local times without an explicit offset were written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TimeZone {
    /// Coordinated Universal Time (the default).
    #[default]
    Utc,
    /// A fixed offset in seconds east of UTC (`3600` for `+01:00`).
    FixedOffset(i32),
    /// An IANA zone name (`Europe/Amsterdam`), daylight saving included.
    Named(String),
}

impl TimestampFormat {
    /// Parses one timestamp into UTC nanoseconds; the reason when it cannot. For many
    /// timestamps build a [`TimestampParser`] once instead.
    ///
    /// ```
    /// use journeystream::log::timeformat::{TimeZone, TimestampFormat};
    /// let t = TimestampFormat::EpochMillis.parse("1709285400250", &TimeZone::Utc).unwrap();
    /// assert_eq!(t, 1_709_285_400_250_000_000);
    /// let same = TimestampFormat::Auto.parse("2024-03-01 10:30:00.25", &TimeZone::FixedOffset(3600));
    /// assert_eq!(same, Ok(t));
    /// ```
    pub fn parse(&self, text: &str, zone: &TimeZone) -> Result<Timestamp, String> {
        TimestampParser::new(self, zone)
            .map_err(|e| e.to_string())?
            .parse(text)
    }

    /// What text of this format looks like, for error messages.
    pub(crate) fn expected(&self) -> String {
        match self {
            TimestampFormat::Auto => "expected a date and time such as 2024-03-01T09:30:00Z, \
                2024-03-01 09:30:00, 2024-03-01, 2024/03/01 09:30, 01.03.2024 09:30 or an RFC 2822 \
                date (give other layouts as a strftime format)"
                .into(),
            TimestampFormat::Rfc3339 => "expected an RFC 3339 date and time such as \
                2024-03-01T09:30:00+01:00, 2024-03-01 09:30:00 or 2024-03-01"
                .into(),
            TimestampFormat::Strftime(f) => format!("expected the format '{f}'"),
            epoch => format!(
                "expected {} since 1970-01-01T00:00:00Z (an integer or decimal number)",
                epoch.epoch_unit().map_or("", |(_, name)| name)
            ),
        }
    }

    /// Nanoseconds per unit and the unit's name, for the epoch formats.
    fn epoch_unit(&self) -> Option<(i64, &'static str)> {
        match self {
            TimestampFormat::EpochSeconds => Some((NANOS_PER_SEC, "seconds")),
            TimestampFormat::EpochMillis => Some((1_000_000, "milliseconds")),
            TimestampFormat::EpochMicros => Some((1_000, "microseconds")),
            TimestampFormat::EpochNanos => Some((1, "nanoseconds")),
            _ => None,
        }
    }
}

impl std::str::FromStr for TimestampFormat {
    type Err = Error;

    /// Reads a format by name: `auto`, `rfc3339`, `epoch_s`, `epoch_ms`, `epoch_us`, `epoch_ns`
    /// (any case), or any text containing `%`, taken as a strftime pattern (checked when a
    /// [`TimestampParser`] is built). Anything else is an [`Error::InvalidArgument`].
    ///
    /// ```
    /// use journeystream::log::timeformat::TimestampFormat;
    /// assert_eq!("epoch_ms".parse::<TimestampFormat>()?, TimestampFormat::EpochMillis);
    /// assert_eq!("%d/%m/%Y".parse::<TimestampFormat>()?, TimestampFormat::Strftime("%d/%m/%Y".into()));
    /// assert!("iso".parse::<TimestampFormat>().is_err());
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<TimestampFormat> {
        if s.contains('%') {
            return Ok(TimestampFormat::Strftime(s.to_string()));
        }
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => TimestampFormat::Auto,
            "rfc3339" => TimestampFormat::Rfc3339,
            "epoch_s" => TimestampFormat::EpochSeconds,
            "epoch_ms" => TimestampFormat::EpochMillis,
            "epoch_us" => TimestampFormat::EpochMicros,
            "epoch_ns" => TimestampFormat::EpochNanos,
            _ => {
                return Err(Error::argument(
                    "timestamp_format",
                    s,
                    "is not a timestamp format: expected auto, rfc3339, epoch_s, epoch_ms, \
                     epoch_us, epoch_ns or a strftime pattern containing '%'",
                ))
            }
        })
    }
}

impl std::str::FromStr for TimeZone {
    type Err = Error;

    /// Reads a zone: `UTC` (or `Z`, any case), a fixed offset `+02:00` / `-05:30` (also `+0200`
    /// and `+02`), or an IANA name such as `Europe/Amsterdam`. An unknown name or an offset of a
    /// day or more is an [`Error::InvalidArgument`].
    ///
    /// ```
    /// use journeystream::log::timeformat::TimeZone;
    /// assert_eq!("UTC".parse::<TimeZone>()?, TimeZone::Utc);
    /// assert_eq!("-05:30".parse::<TimeZone>()?, TimeZone::FixedOffset(-19_800));
    /// assert_eq!("Europe/Amsterdam".parse::<TimeZone>()?, TimeZone::Named("Europe/Amsterdam".into()));
    /// assert!("Mars/Olympus".parse::<TimeZone>().is_err());
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<TimeZone> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
            return Ok(TimeZone::Utc);
        }
        if let Some(rest) = t.strip_prefix('+').or_else(|| t.strip_prefix('-')) {
            let sign = if t.starts_with('-') { -1 } else { 1 };
            let digits: String = rest.chars().filter(|&c| c != ':').collect();
            let shape_ok = digits.chars().all(|c| c.is_ascii_digit())
                && (digits.len() == 2 || digits.len() == 4)
                && (!rest.contains(':') || (rest.len() == 5 && rest.as_bytes()[2] == b':'));
            let bad = || {
                Error::argument(
                    "time_zone",
                    s,
                    "is not a UTC offset of less than a day such as +02:00 or -05:30",
                )
            };
            if !shape_ok {
                return Err(bad());
            }
            let hours: i32 = digits[..2].parse().map_err(|_| bad())?;
            let minutes: i32 = if digits.len() == 4 {
                digits[2..].parse().map_err(|_| bad())?
            } else {
                0
            };
            if hours >= 24 || minutes >= 60 {
                return Err(bad());
            }
            return Ok(TimeZone::FixedOffset(sign * (hours * 3600 + minutes * 60)));
        }
        match named_zone(t) {
            Ok(_) => Ok(TimeZone::Named(t.to_string())),
            Err(why) => Err(Error::argument("time_zone", s, why)),
        }
    }
}

/// The zone, resolved.
#[derive(Debug, Clone)]
pub(crate) enum Zone {
    Fixed(i64),
    Named(NamedZone),
}

impl Zone {
    /// The zone of a [`TimeZone`], and its name for messages: an unknown name or an offset of a
    /// day or more is an [`Error::InvalidArgument`] of `time_zone`.
    pub(crate) fn resolve(zone: &TimeZone) -> Result<(Zone, String)> {
        Ok(match zone {
            TimeZone::Utc => (Zone::Fixed(0), "UTC".to_string()),
            TimeZone::FixedOffset(s) if s.unsigned_abs() < 86_400 => {
                (Zone::Fixed(*s as i64), format!("UTC{:+}s", s))
            }
            TimeZone::FixedOffset(s) => {
                return Err(Error::argument(
                    "time_zone",
                    s,
                    "is not an offset in seconds of less than a day",
                ))
            }
            TimeZone::Named(name) => match named_zone(name) {
                Ok(tz) => (Zone::Named(tz), name.clone()),
                Err(why) => return Err(Error::argument("time_zone", name, why)),
            },
        })
    }

    /// Seconds east of UTC at the UTC instant `utc` (nanoseconds).
    #[cfg_attr(not(feature = "tz"), allow(unused_variables))]
    pub(crate) fn offset_at(&self, utc: Timestamp) -> i64 {
        match self {
            Zone::Fixed(s) => *s,
            #[cfg(not(feature = "tz"))]
            Zone::Named(tz) => match *tz {},
            #[cfg(feature = "tz")]
            Zone::Named(tz) => {
                let naive = DateTime::from_timestamp_nanos(utc).naive_utc();
                tz.offset_from_utc_datetime(&naive).fix().local_minus_utc() as i64
            }
        }
    }

    /// Seconds east of UTC of the local wall-clock time `local` (nanoseconds read as if UTC):
    /// the earlier instant's when the time occurs twice, None when the clocks skip it.
    #[cfg_attr(not(feature = "tz"), allow(unused_variables))]
    pub(crate) fn offset_of_local(&self, local: Timestamp) -> Option<i64> {
        match self {
            Zone::Fixed(s) => Some(*s),
            #[cfg(not(feature = "tz"))]
            Zone::Named(tz) => match *tz {},
            #[cfg(feature = "tz")]
            Zone::Named(tz) => {
                let naive = DateTime::from_timestamp_nanos(local).naive_utc();
                match tz.offset_from_local_datetime(&naive) {
                    LocalResult::Single(o) => Some(o.fix().local_minus_utc() as i64),
                    // Earliest instant: the larger offset.
                    LocalResult::Ambiguous(a, b) => {
                        Some((a.fix().local_minus_utc().max(b.fix().local_minus_utc())) as i64)
                    }
                    LocalResult::None => None,
                }
            }
        }
    }
}

/// A zone of the IANA database.
#[cfg(feature = "tz")]
pub(crate) type NamedZone = chrono_tz::Tz;
/// Without the `tz` feature there are no named zones.
#[cfg(not(feature = "tz"))]
#[derive(Debug, Clone)]
pub(crate) enum NamedZone {}

/// The IANA zone `name`, or why it is not one.
fn named_zone(name: &str) -> std::result::Result<NamedZone, &'static str> {
    #[cfg(feature = "tz")]
    return name.parse::<chrono_tz::Tz>().map_err(|_| {
        "is not a time zone: expected UTC, an offset such as +02:00 or an IANA name such as \
         Europe/Amsterdam"
    });
    #[cfg(not(feature = "tz"))]
    {
        let _ = name;
        Err(
            "is not UTC or an offset such as +02:00 (IANA names such as Europe/Amsterdam need \
             journeystream's tz feature, which this build leaves out)",
        )
    }
}

/// A [`TimestampFormat`] and [`TimeZone`] checked and compiled once, for parsing many
/// timestamps.
///
/// ```
/// use journeystream::log::timeformat::{TimeZone, TimestampFormat, TimestampParser};
/// let p = TimestampParser::new(&TimestampFormat::Auto, &TimeZone::Named("America/New_York".into()))?;
/// // No offset in the text: the zone applies (EST is UTC-5 in January).
/// assert_eq!(p.parse("2024-01-15 09:00"), p.parse("2024-01-15T14:00:00Z"));
/// // An explicit offset wins over the zone.
/// assert_eq!(p.parse("2024-01-15T09:00:00+01:00"), p.parse("2024-01-15T08:00:00Z"));
/// assert!(TimestampParser::new(&TimestampFormat::Auto, &TimeZone::Named("Mars/Olympus".into())).is_err());
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TimestampParser {
    format: TimestampFormat,
    zone: Zone,
    #[cfg_attr(not(feature = "tz"), allow(dead_code))] // named in DST errors
    zone_name: String,
    /// The compiled strftime pattern, or the Auto layouts after RFC 3339.
    layouts: Vec<Vec<Item<'static>>>,
}

/// The layouts [`TimestampFormat::Auto`] tries after RFC 3339 (RFC 2822 comes last).
const AUTO_LAYOUTS: [&str; 6] = [
    "%Y/%m/%d %H:%M:%S%.f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d.%m.%Y %H:%M:%S%.f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
];

impl TimestampParser {
    /// Checks the format and zone: an invalid strftime pattern, an unknown zone name or an
    /// offset of a day or more is an [`Error::InvalidArgument`].
    pub fn new(format: &TimestampFormat, zone: &TimeZone) -> Result<TimestampParser> {
        let (zone, zone_name) = Zone::resolve(zone)?;
        let compile = |pattern: &str| {
            StrftimeItems::new(pattern).parse_to_owned().map_err(|e| {
                Error::argument(
                    "timestamp_format",
                    pattern,
                    format!("is not a valid strftime format: {e}"),
                )
            })
        };
        let layouts = match format {
            TimestampFormat::Strftime(pattern) => vec![compile(pattern)?],
            TimestampFormat::Auto => AUTO_LAYOUTS
                .iter()
                .map(|l| compile(l))
                .collect::<Result<_>>()?,
            _ => Vec::new(),
        };
        Ok(TimestampParser {
            format: format.clone(),
            zone,
            zone_name,
            layouts,
        })
    }

    /// The format this parser reads.
    pub fn format(&self) -> &TimestampFormat {
        &self.format
    }

    /// Parses text into UTC nanoseconds; the reason when it cannot (what was expected, or why
    /// the local time does not exist).
    pub fn parse(&self, text: &str) -> Result<Timestamp, String> {
        let text = text.trim();
        if let Some((unit, _)) = self.format.epoch_unit() {
            return parse_epoch(text, unit).ok_or_else(|| self.format.expected());
        }
        if matches!(
            self.format,
            TimestampFormat::Auto | TimestampFormat::Rfc3339
        ) {
            match self.zone {
                Zone::Fixed(offset) => {
                    if let Some(t) = parse_rfc3339(text, offset) {
                        return Ok(t);
                    }
                }
                Zone::Named(_) => {
                    if let Some(local) = parse_rfc3339(text, 0) {
                        return if has_rfc3339_offset(text) {
                            Ok(local)
                        } else {
                            self.local_to_utc(local)
                        };
                    }
                }
            }
            if let Some(why) = super::timestamp::out_of_range(text) {
                return Err(why);
            }
            if self.format == TimestampFormat::Rfc3339 {
                return Err(self.format.expected());
            }
        }
        let mut last_error = None;
        for items in &self.layouts {
            match self.parse_with(text, items) {
                Ok(t) => return Ok(t),
                // The text fits the layout but names no instant (out of range, skipped by DST).
                Err(Failure::Instant(e)) => return Err(e),
                Err(Failure::Layout(e)) => last_error = Some(e),
            }
        }
        if self.format == TimestampFormat::Auto {
            if let Ok(t) = DateTime::parse_from_rfc2822(text) {
                return t
                    .timestamp_nanos_opt()
                    .ok_or_else(|| OUT_OF_RANGE.to_string());
            }
            return Err(self.format.expected());
        }
        Err(match last_error {
            Some(e) => format!("{} ({e})", self.format.expected()),
            None => self.format.expected(),
        })
    }

    /// An integer timestamp (a JSON number): epoch formats only.
    pub fn parse_integer(&self, n: i64) -> Result<Timestamp, String> {
        match self.format.epoch_unit() {
            Some((unit, _)) => n.checked_mul(unit).ok_or_else(|| OUT_OF_RANGE.to_string()),
            None => Err(self.number_not_text()),
        }
    }

    /// A decimal timestamp (a JSON number): epoch formats only, rounded to the nanosecond
    /// (an `f64` holds about 16 significant digits: write exact values as text or integers).
    pub fn parse_float(&self, x: f64) -> Result<Timestamp, String> {
        match self.format.epoch_unit() {
            // Whole units and the fraction apart, so that 1709285400.25 s is exact.
            Some((unit, _)) if x.is_finite() && x.abs() < 9.2e18 => {
                let whole = x.trunc();
                let fraction = ((x - whole) * unit as f64).round() as i64;
                (whole as i64)
                    .checked_mul(unit)
                    .and_then(|w| w.checked_add(fraction))
                    .ok_or_else(|| OUT_OF_RANGE.to_string())
            }
            Some(_) => Err(OUT_OF_RANGE.to_string()),
            None => Err(self.number_not_text()),
        }
    }

    fn number_not_text(&self) -> String {
        format!(
            "{}, found a number (numbers are read with an epoch format)",
            self.format.expected()
        )
    }

    fn parse_with(&self, text: &str, items: &[Item<'static>]) -> Result<Timestamp, Failure> {
        let layout = |e: chrono::format::ParseError| Failure::Layout(e.to_string());
        let mut p = Parsed::new();
        chrono::format::parse(&mut p, text, items.iter()).map_err(layout)?;
        let out_of_range = || Failure::Instant(OUT_OF_RANGE.to_string());
        if let Some(secs) = p.timestamp() {
            let nanos = p.nanosecond().unwrap_or(0) as i64;
            return secs
                .checked_mul(NANOS_PER_SEC)
                .and_then(|s| s.checked_add(nanos))
                .ok_or_else(out_of_range);
        }
        let date = p.to_naive_date().map_err(layout)?;
        let no_time =
            p.hour_div_12().is_none() && p.hour_mod_12().is_none() && p.minute().is_none();
        let time = if no_time {
            NaiveTime::MIN
        } else {
            p.to_naive_time().map_err(layout)?
        };
        let local = naive_nanos(&date.and_time(time)).map_err(Failure::Instant)?;
        match p.offset() {
            Some(offset) => local
                .checked_sub(offset as i64 * NANOS_PER_SEC)
                .ok_or_else(out_of_range),
            None => self.local_to_utc(local).map_err(Failure::Instant),
        }
    }

    /// Local wall-clock nanoseconds (read as if UTC) to UTC in the parser's zone.
    fn local_to_utc(&self, local: Timestamp) -> Result<Timestamp, String> {
        let Some(offset_secs) = self.zone.offset_of_local(local) else {
            let naive = DateTime::from_timestamp_nanos(local).naive_utc();
            return Err(format!(
                "the local time {} does not exist in {} (the clocks skip it at a daylight-saving \
                 change)",
                naive.format("%Y-%m-%d %H:%M:%S"),
                self.zone_name
            ));
        };
        local
            .checked_sub(offset_secs * NANOS_PER_SEC)
            .ok_or_else(|| OUT_OF_RANGE.to_string())
    }
}

/// Why a layout did not give a time.
enum Failure {
    /// The text does not fit the layout.
    Layout(String),
    /// It fits, but names no instant: out of range, or skipped by a daylight-saving change.
    Instant(String),
}

const OUT_OF_RANGE: &str = "the time is outside the years 1677 to 2262 that nanoseconds hold";

fn naive_nanos(t: &NaiveDateTime) -> Result<Timestamp, String> {
    t.and_utc()
        .timestamp_nanos_opt()
        .ok_or_else(|| OUT_OF_RANGE.to_string())
}

/// Whether text that `parse_rfc3339` accepted carries its own offset (`Z`, `±hh:mm`).
fn has_rfc3339_offset(text: &str) -> bool {
    let b = text.as_bytes();
    let date_len = if b.first() == Some(&b'-') { 11 } else { 10 };
    b.get(date_len..)
        .is_some_and(|time| time.iter().any(|c| matches!(c, b'Z' | b'z' | b'+' | b'-')))
}

/// Exact decimal epoch text (`-12.5`, `1.5e9`) in units of `unit` nanoseconds, truncated to
/// the nanosecond.
fn parse_epoch(text: &str, unit: i64) -> Option<Timestamp> {
    let b = text.as_bytes();
    let (negative, b) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let (mantissa, exponent) = match b.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => (
            &b[..i],
            std::str::from_utf8(&b[i + 1..]).ok()?.parse::<i32>().ok()?,
        ),
        None => (b, 0),
    };
    let (int, frac) = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &mantissa[mantissa.len()..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    // value = m * 10^scale units, keeping 20 significant digits (more than nanoseconds need).
    const LIMIT: i128 = 10i128.pow(19);
    let (mut m, mut scale) = (0i128, exponent as i64);
    for &c in int {
        if m < LIMIT {
            m = m * 10 + (c - b'0') as i128;
        } else {
            scale += 1;
        }
    }
    for &c in frac {
        if m < LIMIT {
            m = m * 10 + (c - b'0') as i128;
            scale -= 1;
        }
    }
    let ns = m * unit as i128;
    let ns = if m == 0 {
        0
    } else if scale >= 0 {
        ns.checked_mul(10i128.checked_pow(u32::try_from(scale).ok()?)?)?
    } else if scale < -38 {
        0
    } else {
        ns / 10i128.pow((-scale) as u32)
    };
    i64::try_from(if negative { -ns } else { ns }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_names() {
        let f = |s: &str| s.parse::<TimestampFormat>();
        assert_eq!(f("auto").unwrap(), TimestampFormat::Auto);
        assert_eq!(f("RFC3339").unwrap(), TimestampFormat::Rfc3339);
        assert_eq!(f("epoch_s").unwrap(), TimestampFormat::EpochSeconds);
        assert_eq!(f("epoch_ms").unwrap(), TimestampFormat::EpochMillis);
        assert_eq!(f("epoch_us").unwrap(), TimestampFormat::EpochMicros);
        assert_eq!(f("epoch_ns").unwrap(), TimestampFormat::EpochNanos);
        assert_eq!(
            f("%d/%m/%Y %H:%M").unwrap(),
            TimestampFormat::Strftime("%d/%m/%Y %H:%M".into())
        );
        let err = f("iso8601").unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::InvalidArgument);
        assert!(err.to_string().contains("iso8601"), "{err}");
    }

    #[test]
    fn zones_parse_from_names() {
        let z = |s: &str| s.parse::<TimeZone>();
        assert_eq!(z("UTC").unwrap(), TimeZone::Utc);
        assert_eq!(z("utc").unwrap(), TimeZone::Utc);
        assert_eq!(z("+02:00").unwrap(), TimeZone::FixedOffset(7200));
        assert_eq!(z("-05:30").unwrap(), TimeZone::FixedOffset(-19_800));
        assert_eq!(z("+0100").unwrap(), TimeZone::FixedOffset(3600));
        assert_eq!(z("-03").unwrap(), TimeZone::FixedOffset(-10_800));
        assert_eq!(
            z("America/New_York").unwrap(),
            TimeZone::Named("America/New_York".into())
        );
        for bad in [
            "+24:00",
            "+02:60",
            "+2:00",
            "+02:0",
            "+ab:cd",
            "Mars/Olympus",
            "",
        ] {
            let err = z(bad).unwrap_err();
            assert_eq!(
                err.kind(),
                crate::error::ErrorKind::InvalidArgument,
                "{bad}"
            );
        }
    }

    fn utc(text: &str) -> Timestamp {
        parse_rfc3339(text, 0).unwrap()
    }

    fn parser(format: TimestampFormat, zone: TimeZone) -> TimestampParser {
        TimestampParser::new(&format, &zone).unwrap()
    }

    #[test]
    fn named_zone_follows_daylight_saving() {
        let p = parser(
            TimestampFormat::Auto,
            TimeZone::Named("Europe/Amsterdam".into()),
        );
        assert_eq!(
            p.parse("2024-01-10 12:00:00"),
            Ok(utc("2024-01-10T11:00:00Z"))
        );
        assert_eq!(
            p.parse("2024-07-10 12:00:00"),
            Ok(utc("2024-07-10T10:00:00Z"))
        );
        assert_eq!(p.parse("2024-07-10"), Ok(utc("2024-07-09T22:00:00Z")));
        // Ambiguous (02:30 happens twice on 27 October 2024): the earliest, still in summer time.
        assert_eq!(p.parse("2024-10-27 02:30"), Ok(utc("2024-10-27T00:30:00Z")));
        // Nonexistent (skipped on 31 March 2024): an error, never shifted.
        let err = p.parse("2024-03-31 02:30").unwrap_err();
        assert_eq!(
            err,
            "the local time 2024-03-31 02:30:00 does not exist in Europe/Amsterdam (the clocks \
             skip it at a daylight-saving change)"
        );
    }

    #[test]
    fn explicit_offset_wins_over_any_zone() {
        for zone in [
            TimeZone::Utc,
            TimeZone::FixedOffset(-5 * 3600),
            TimeZone::Named("Asia/Tokyo".into()),
        ] {
            for format in [TimestampFormat::Auto, TimestampFormat::Rfc3339] {
                let p = parser(format, zone.clone());
                assert_eq!(
                    p.parse("2024-03-31T02:30:00+02:00"),
                    Ok(utc("2024-03-31T00:30:00Z"))
                );
                assert_eq!(
                    p.parse("2024-03-31T00:30:00Z"),
                    Ok(utc("2024-03-31T00:30:00Z"))
                );
            }
            let p = parser(TimestampFormat::Strftime("%d/%m/%Y %H:%M %z".into()), zone);
            assert_eq!(
                p.parse("31/03/2024 02:30 +0200"),
                Ok(utc("2024-03-31T00:30:00Z"))
            );
        }
    }

    #[test]
    fn fixed_offset_applies_to_local_times() {
        let p = parser(
            TimestampFormat::Rfc3339,
            TimeZone::FixedOffset(-3 * 3600 - 1800),
        );
        assert_eq!(p.parse("2024-01-01T00:00"), Ok(utc("2024-01-01T03:30:00Z")));
        let p = parser(
            TimestampFormat::Strftime("%Y%m%d%H%M%S".into()),
            TimeZone::FixedOffset(3600),
        );
        assert_eq!(p.parse("20240101120000"), Ok(utc("2024-01-01T11:00:00Z")));
        assert!(
            TimestampParser::new(&TimestampFormat::Auto, &TimeZone::FixedOffset(86_400)).is_err()
        );
    }

    #[test]
    fn epoch_units_from_text_and_numbers() {
        let t = utc("2024-03-01T09:30:00.25Z");
        for (format, text) in [
            (TimestampFormat::EpochSeconds, "1709285400.25"),
            (TimestampFormat::EpochSeconds, "1.70928540025e9"),
            (TimestampFormat::EpochMillis, "1709285400250"),
            (TimestampFormat::EpochMillis, " 1709285400250.0 "),
            (TimestampFormat::EpochMicros, "1709285400250000"),
            (TimestampFormat::EpochNanos, "1709285400250000000"),
        ] {
            let p = parser(format.clone(), TimeZone::Named("Europe/Paris".into()));
            assert_eq!(p.parse(text), Ok(t), "{format:?} {text}");
        }
        let p = parser(TimestampFormat::EpochSeconds, TimeZone::Utc);
        assert_eq!(p.parse("-1.5"), Ok(-1_500_000_000));
        assert_eq!(p.parse("0.123456789123"), Ok(123_456_789));
        assert_eq!(
            p.parse_integer(1_709_285_400),
            Ok(utc("2024-03-01T09:30:00Z"))
        );
        assert_eq!(p.parse_float(1_709_285_400.25), Ok(t));
        assert!(p.parse("12:00").is_err());
        assert!(p.parse("1e300").is_err());
        assert_eq!(p.parse("1.5e-9"), Ok(1));
        assert_eq!(
            p.parse("0.000000000000000000000000000000000000000001"),
            Ok(0)
        );
        assert_eq!(p.parse("-0"), Ok(0));
        for bad in ["", "-", ".", "1.2.3", "1e", "e5", "1,5", "0x10"] {
            assert!(p.parse(bad).is_err(), "{bad}");
        }
        assert!(p.parse("99999999999999999999").is_err());
        assert!(p.parse_integer(i64::MAX).is_err());
        assert_eq!(
            p.parse("abc").unwrap_err(),
            "expected seconds since 1970-01-01T00:00:00Z (an integer or decimal number)"
        );
        let p = parser(TimestampFormat::Auto, TimeZone::Utc);
        assert!(p.parse_integer(5).unwrap_err().contains("found a number"));
    }

    #[test]
    fn strftime_layouts() {
        let p = parser(
            TimestampFormat::Strftime("%d/%m/%Y %H:%M".into()),
            TimeZone::Utc,
        );
        assert_eq!(p.parse("01/03/2024 09:30"), Ok(utc("2024-03-01T09:30:00Z")));
        assert_eq!(
            p.parse("2024-03-01 09:30").unwrap_err(),
            "expected the format '%d/%m/%Y %H:%M' (input contains invalid characters)"
        );
        let p = parser(TimestampFormat::Strftime("%d/%m/%Y".into()), TimeZone::Utc);
        assert_eq!(p.parse("01/03/2024"), Ok(utc("2024-03-01T00:00:00Z")));
        let p = parser(
            TimestampFormat::Strftime("%b %d %Y %I:%M %p".into()),
            TimeZone::Utc,
        );
        assert_eq!(
            p.parse("Mar 01 2024 09:30 PM"),
            Ok(utc("2024-03-01T21:30:00Z"))
        );
        let p = parser(TimestampFormat::Strftime("%s".into()), TimeZone::Utc);
        assert_eq!(p.parse("1709285400"), Ok(utc("2024-03-01T09:30:00Z")));
        let err = TimestampParser::new(&TimestampFormat::Strftime("%Q".into()), &TimeZone::Utc)
            .unwrap_err();
        assert!(
            err.to_string().contains("not a valid strftime format"),
            "{err}"
        );
    }

    #[test]
    fn auto_layouts() {
        let p = parser(TimestampFormat::Auto, TimeZone::Utc);
        for (text, expected) in [
            ("2024-03-01T09:30:00.5Z", "2024-03-01T09:30:00.5Z"),
            ("2024-03-01 09:30:00", "2024-03-01T09:30:00Z"),
            ("2024-03-01", "2024-03-01T00:00:00Z"),
            ("2024/03/01 09:30:00.125", "2024-03-01T09:30:00.125Z"),
            ("2024/03/01 09:30", "2024-03-01T09:30:00Z"),
            ("2024/03/01", "2024-03-01T00:00:00Z"),
            ("01.03.2024 09:30:15", "2024-03-01T09:30:15Z"),
            ("01.03.2024 09:30", "2024-03-01T09:30:00Z"),
            ("01.03.2024", "2024-03-01T00:00:00Z"),
            ("Fri, 1 Mar 2024 10:30:00 +0100", "2024-03-01T09:30:00Z"),
        ] {
            assert_eq!(p.parse(text), Ok(utc(expected)), "{text}");
        }
        for bad in [
            "01/03/2024",
            "2024-02-30",
            "yesterday",
            "",
            "2024/03/01 25:00",
        ] {
            assert!(
                p.parse(bad).unwrap_err().starts_with("expected a date"),
                "{bad}"
            );
        }
        let p = parser(
            TimestampFormat::Auto,
            TimeZone::Named("Europe/Berlin".into()),
        );
        assert_eq!(p.parse("01.07.2024 12:00"), Ok(utc("2024-07-01T10:00:00Z")));
        assert!(p
            .parse("31.03.2024 02:15")
            .unwrap_err()
            .contains("does not exist"));
    }

    #[test]
    fn rfc3339_format_rejects_other_layouts() {
        let p = parser(TimestampFormat::Rfc3339, TimeZone::Utc);
        assert!(p
            .parse("2024/03/01")
            .unwrap_err()
            .starts_with("expected an RFC 3339"));
        assert!(p.parse("1709285400").is_err());
    }
}
