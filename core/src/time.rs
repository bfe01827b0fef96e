//! Time values with explicit units.
//!
//! A document keeps times as the person wrote them ([`TimeSpan`]: `"39s"`, `"10min"`, `"5d"`), so
//! that loading and saving is lossless. Metrics work on [`Duration`], a number of seconds, after
//! days have been resolved under the value stream's [`TimeBasis`]: a working day (the available
//! time of one production day) or a calendar day (24 h). The choice is never implicit.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Sub};
use std::str::FromStr;

/// Seconds in a calendar day.
pub const CALENDAR_DAY_SECS: f64 = 86_400.0;

/// An amount of time, in seconds. Serialized as a number of seconds.
///
/// ```
/// use journeystream::Duration;
/// let d = Duration::from_mins(10.0) + Duration::from_secs(30.0);
/// assert_eq!(d.secs(), 630.0);
/// assert_eq!(d.to_string(), "10.5 min");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Duration(f64);

impl Duration {
    /// No time.
    pub const ZERO: Duration = Duration(0.0);
    /// From seconds.
    pub const fn from_secs(secs: f64) -> Duration {
        Duration(secs)
    }
    /// From minutes.
    pub fn from_mins(mins: f64) -> Duration {
        Duration(mins * 60.0)
    }
    /// From hours.
    pub fn from_hours(hours: f64) -> Duration {
        Duration(hours * 3600.0)
    }
    /// From days of the given length.
    pub fn from_days(days: f64, day: Duration) -> Duration {
        Duration(days * day.0)
    }
    /// In seconds.
    pub const fn secs(self) -> f64 {
        self.0
    }
    /// In days of the given length.
    pub fn days(self, day: Duration) -> f64 {
        self.0 / day.0
    }
    /// The larger of two durations.
    pub fn max(self, other: Duration) -> Duration {
        if other.0 > self.0 {
            other
        } else {
            self
        }
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, rhs: Duration) -> Duration {
        Duration(self.0 + rhs.0)
    }
}
impl AddAssign for Duration {
    fn add_assign(&mut self, rhs: Duration) {
        self.0 += rhs.0;
    }
}
impl Sub for Duration {
    type Output = Duration;
    fn sub(self, rhs: Duration) -> Duration {
        Duration(self.0 - rhs.0)
    }
}
impl Mul<f64> for Duration {
    type Output = Duration;
    fn mul(self, rhs: f64) -> Duration {
        Duration(self.0 * rhs)
    }
}
impl Div<f64> for Duration {
    type Output = Duration;
    fn div(self, rhs: f64) -> Duration {
        Duration(self.0 / rhs)
    }
}
/// The ratio of two durations.
impl Div for Duration {
    type Output = f64;
    fn div(self, rhs: Duration) -> f64 {
        self.0 / rhs.0
    }
}
impl Sum for Duration {
    fn sum<I: Iterator<Item = Duration>>(iter: I) -> Duration {
        Duration(iter.fold(0.0, |acc, d| acc + d.0))
    }
}

impl fmt::Display for Duration {
    /// Seconds below two minutes, minutes below two hours, else hours.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let (v, unit) = if s.abs() < 120.0 {
            (s, "s")
        } else if s.abs() < 7200.0 {
            (s / 60.0, "min")
        } else {
            (s / 3600.0, "h")
        };
        let rounded = (v * 100.0).round() / 100.0;
        write!(f, "{rounded} {unit}")
    }
}

/// The unit a [`TimeSpan`] was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// `s`
    Seconds,
    /// `min`
    Minutes,
    /// `h`
    Hours,
    /// `d`: a day under the value stream's [`TimeBasis`].
    Days,
}

impl TimeUnit {
    fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Minutes => "min",
            TimeUnit::Hours => "h",
            TimeUnit::Days => "d",
        }
    }

    fn parse(s: &str) -> Option<TimeUnit> {
        Some(match s {
            "s" | "sec" | "secs" | "second" | "seconds" => TimeUnit::Seconds,
            "min" | "mins" | "minute" | "minutes" => TimeUnit::Minutes,
            "h" | "hr" | "hrs" | "hour" | "hours" => TimeUnit::Hours,
            "d" | "day" | "days" => TimeUnit::Days,
            _ => return None,
        })
    }
}

/// A time as written in a document: a number and a unit (`"39s"`, `"10 min"`, `"1.5h"`, `"5d"`).
/// A bare JSON number means seconds. Days are resolved by [`TimeSpan::resolve`].
///
/// ```
/// use journeystream::{TimeSpan, Duration};
/// let t: TimeSpan = "10min".parse().unwrap();
/// assert_eq!(t.resolve(Duration::from_hours(8.0)).secs(), 600.0);
/// let d: TimeSpan = "2d".parse().unwrap();
/// assert_eq!(d.resolve(Duration::from_hours(8.0)).secs(), 57_600.0);
/// assert_eq!(d.to_string(), "2d");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeSpan {
    /// The number as written.
    pub value: f64,
    /// The unit as written.
    pub unit: TimeUnit,
}

impl TimeSpan {
    /// A span of seconds.
    pub const fn secs(value: f64) -> TimeSpan {
        TimeSpan {
            value,
            unit: TimeUnit::Seconds,
        }
    }
    /// A span of minutes.
    pub const fn mins(value: f64) -> TimeSpan {
        TimeSpan {
            value,
            unit: TimeUnit::Minutes,
        }
    }
    /// A span of hours.
    pub const fn hours(value: f64) -> TimeSpan {
        TimeSpan {
            value,
            unit: TimeUnit::Hours,
        }
    }
    /// A span of days (of the value stream's time basis).
    pub const fn days(value: f64) -> TimeSpan {
        TimeSpan {
            value,
            unit: TimeUnit::Days,
        }
    }

    /// The span in seconds, with days of length `day`.
    pub fn resolve(self, day: Duration) -> Duration {
        match self.unit {
            TimeUnit::Seconds => Duration::from_secs(self.value),
            TimeUnit::Minutes => Duration::from_mins(self.value),
            TimeUnit::Hours => Duration::from_hours(self.value),
            TimeUnit::Days => Duration::from_days(self.value, day),
        }
    }

    /// The same span scaled by `factor`, in the same unit.
    pub fn scaled(self, factor: f64) -> TimeSpan {
        TimeSpan {
            value: self.value * factor,
            unit: self.unit,
        }
    }

    /// Whether the value is below zero.
    pub fn is_negative(self) -> bool {
        self.value < 0.0
    }

    /// Whether the unit is independent of the time basis.
    pub fn is_clock_time(self) -> bool {
        self.unit != TimeUnit::Days
    }
}

impl fmt::Display for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit.suffix())
    }
}

impl FromStr for TimeSpan {
    type Err = String;
    fn from_str(s: &str) -> Result<TimeSpan, String> {
        let t = s.trim();
        // A number may contain an exponent (1e3); the unit starts at the first other letter.
        let split = first_unit_char(t).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let value: f64 = num.trim().parse().map_err(|_| {
            format!(
                "'{s}' is not a time: expected a number and a unit such as 39s, 10min, 1.5h or 5d"
            )
        })?;
        if !value.is_finite() {
            return Err(format!("'{s}' is not a finite time"));
        }
        let unit = match unit.trim() {
            "" if value == 0.0 => TimeUnit::Seconds,
            "" => return Err(format!("'{s}' has no unit: write s, min, h or d")),
            u => TimeUnit::parse(u)
                .ok_or_else(|| format!("'{s}' has unknown time unit '{u}': use s, min, h or d"))?,
        };
        Ok(TimeSpan { value, unit })
    }
}

fn first_unit_char(t: &str) -> Option<usize> {
    let bytes = t.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let c = b as char;
        if c.is_ascii_alphabetic() || c == ' ' {
            let exponent = (c == 'e' || c == 'E')
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+');
            if !exponent {
                return Some(i);
            }
        }
    }
    None
}

impl Serialize for TimeSpan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeSpan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TimeSpan, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = TimeSpan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a time such as \"39s\", \"10min\", \"1.5h\", \"5d\", or a number of seconds",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TimeSpan, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TimeSpan, E> {
                Ok(TimeSpan::secs(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TimeSpan, E> {
                Ok(TimeSpan::secs(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TimeSpan, E> {
                Ok(TimeSpan::secs(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

/// What a day means when a document writes `"5d"` and when results are given in days.
///
/// JSON: `{"days": "working"}` (a day is the available time per day from the demand, or an
/// explicit `day_length`), or `{"days": "calendar"}` (24 h).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TimeBasisFields", into = "TimeBasisFields")]
pub enum TimeBasis {
    /// A day is 24 hours.
    Calendar,
    /// A day is one working day: `day_length` if given, else the value stream's available time per day.
    Working { day_length: Option<TimeSpan> },
}

/// The JSON form of [`TimeBasis`]: strict about its keys.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeBasisFields {
    days: DayKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    day_length: Option<TimeSpan>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum DayKind {
    Calendar,
    Working,
}

impl TryFrom<TimeBasisFields> for TimeBasis {
    type Error = String;
    fn try_from(f: TimeBasisFields) -> Result<TimeBasis, String> {
        match (f.days, f.day_length) {
            (DayKind::Calendar, Some(t)) => Err(format!(
                "day_length '{t}' goes with working days only: a calendar day is 24h"
            )),
            (DayKind::Calendar, None) => Ok(TimeBasis::Calendar),
            (DayKind::Working, day_length) => Ok(TimeBasis::Working { day_length }),
        }
    }
}

impl From<TimeBasis> for TimeBasisFields {
    fn from(b: TimeBasis) -> TimeBasisFields {
        match b {
            TimeBasis::Calendar => TimeBasisFields {
                days: DayKind::Calendar,
                day_length: None,
            },
            TimeBasis::Working { day_length } => TimeBasisFields {
                days: DayKind::Working,
                day_length,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_aliases() {
        for (text, secs) in [
            ("39s", 39.0),
            ("10 min", 600.0),
            ("1.5h", 5400.0),
            ("2 hours", 7200.0),
            ("0", 0.0),
            ("1e2s", 100.0),
        ] {
            let t: TimeSpan = text.parse().unwrap();
            assert_eq!(t.resolve(Duration::from_secs(1.0)).secs(), secs, "{text}");
        }
        assert_eq!(
            "3d".parse::<TimeSpan>()
                .unwrap()
                .resolve(Duration::from_secs(55_200.0))
                .secs(),
            165_600.0
        );
    }

    #[test]
    fn rejects_bad_times() {
        for bad in ["", "abc", "5", "5 parsecs", "s", "NaNs", "infs"] {
            assert!(bad.parse::<TimeSpan>().is_err(), "{bad}");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in ["39s", "10min", "1.5h", "7.6d", "-2h", "0.1s"] {
            let t: TimeSpan = text.parse().unwrap();
            assert_eq!(t.to_string(), text);
            assert_eq!(t.to_string().parse::<TimeSpan>().unwrap(), t);
        }
    }
}
