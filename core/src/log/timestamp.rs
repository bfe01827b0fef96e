//! Timestamps: UTC nanoseconds since the Unix epoch, parsed from RFC 3339 / ISO 8601 text.
//! An offset (`+02:00`, `Z`) is honoured, never dropped; text without one is read in the zone the
//! caller gives (UTC unless said otherwise).

/// Nanoseconds since 1970-01-01T00:00:00Z.
pub type Timestamp = i64;

/// Nanoseconds per second.
pub const NANOS_PER_SEC: i64 = 1_000_000_000;

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day number since 1970-01-01: the inverse of
/// [`days_from_civil`] (Howard Hinnant's algorithm).
///
/// ```
/// use journeystream::log::timestamp::{civil_from_days, days_from_civil};
/// assert_eq!(civil_from_days(days_from_civil(1677, 9, 21)), (1677, 9, 21));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m as u32, d as u32)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `YYYY-MM-DD[(T| )hh:mm[:ss[.fffffffff]]][Z|±hh[:]mm]`.
/// Without an offset the time is taken as `default_offset_secs` east of UTC.
///
/// ```
/// use journeystream::log::timestamp::parse_rfc3339;
/// let t = parse_rfc3339("2011-10-01T00:38:44.546+02:00", 0).unwrap();
/// assert_eq!(t, 1_317_422_324_546_000_000);
/// assert_eq!(parse_rfc3339("2011-09-30T22:38:44.546Z", 0), Some(t));
/// assert!(parse_rfc3339("2011-02-30T00:00:00Z", 0).is_none());
/// ```
pub fn parse_rfc3339(text: &str, default_offset_secs: i64) -> Option<Timestamp> {
    parse_rfc3339_wide(text, default_offset_secs).and_then(held)
}

/// The earliest time journeystream holds: 1677-09-21T00:12:43.145224193Z, as in pandas. The one
/// `i64` below it marks a missing time (pandas' `NaT`, an event without a start).
pub const EARLIEST: Timestamp = i64::MIN + 1;
/// The latest time journeystream holds: 2262-04-11T23:47:16.854775807Z.
pub const LATEST: Timestamp = i64::MAX;

/// The first instant of day `day` since 1970-01-01 (UTC), or [`EARLIEST`] for the day that
/// began before it (and [`LATEST`] past the end).
///
/// ```
/// use journeystream::log::timestamp::{day_start, EARLIEST};
/// assert_eq!(day_start(1), 86_400_000_000_000);
/// assert_eq!(day_start(EARLIEST.div_euclid(86_400_000_000_000)), EARLIEST);
/// ```
pub fn day_start(day: i64) -> Timestamp {
    floor_multiple(day as i128 * 86_400 * NANOS_PER_SEC as i128)
}

/// The start of the period of `unit` nanoseconds (counted from the epoch) that holds `t`,
/// or [`EARLIEST`] for the period that began before it.
///
/// ```
/// use journeystream::log::timestamp::{period_start, EARLIEST};
/// let hour = 3_600_000_000_000;
/// assert_eq!(period_start(-1, hour), -hour);
/// assert_eq!(period_start(EARLIEST, hour), EARLIEST);
/// ```
pub fn period_start(t: Timestamp, unit: i64) -> Timestamp {
    floor_multiple(t.div_euclid(unit) as i128 * unit as i128)
}

fn floor_multiple(nanos: i128) -> Timestamp {
    nanos.clamp(EARLIEST as i128, LATEST as i128) as Timestamp
}

/// Nanoseconds as a [`Timestamp`] when they lie in [`EARLIEST`]..=[`LATEST`].
fn held(nanos: i128) -> Option<Timestamp> {
    Timestamp::try_from(nanos).ok().filter(|&t| t >= EARLIEST)
}

/// Why RFC 3339 text that names an instant is still not a [`Timestamp`]: it lies outside the
/// times journeystream holds ([`EARLIEST`] to [`LATEST`]).
/// None when the text is in range or is not RFC 3339.
///
/// ```
/// use journeystream::log::timestamp::out_of_range;
/// assert_eq!(out_of_range("1500-01-01T00:00:00Z").unwrap(),
///     "year 1500 is before 1677-09-21, the earliest time journeystream can hold");
/// assert!(out_of_range("1677-09-21T00:12:43.145224192Z").unwrap().starts_with("year 1677 is before"));
/// assert_eq!(out_of_range("1677-09-21T00:12:43.145224193Z"), None);
/// assert!(out_of_range("2300-01-01").unwrap().contains("after 2262-04-11"));
/// assert_eq!(out_of_range("2024-01-01"), None);
/// assert_eq!(out_of_range("yesterday"), None);
/// ```
pub fn out_of_range(text: &str) -> Option<String> {
    let wide = parse_rfc3339_wide(text, 0)?;
    if held(wide).is_some() {
        return None;
    }
    let text = text.trim();
    let digits = text.strip_prefix('-').unwrap_or(text);
    let year = &text[..text.len() - digits.len() + digits.find('-').unwrap_or(digits.len())];
    Some(if wide < 0 {
        format!("year {year} is before 1677-09-21, the earliest time journeystream can hold")
    } else {
        format!("year {year} is after 2262-04-11, the latest time journeystream can hold")
    })
}

/// [`parse_rfc3339`] in nanoseconds that may lie outside an `i64`.
fn parse_rfc3339_wide(text: &str, default_offset_secs: i64) -> Option<i128> {
    let b = text.trim().as_bytes();
    let mut p = Parser { b, i: 0 };
    let neg_year = p.eat(b'-');
    let year = p.digits(4, 4)? as i64;
    let year = if neg_year { -year } else { year };
    p.expect(b'-')?;
    let month = p.digits(2, 2)? as u32;
    p.expect(b'-')?;
    let day = p.digits(2, 2)? as u32;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let (mut hour, mut minute, mut second, mut nanos) = (0, 0, 0, 0i64);
    let mut offset = default_offset_secs;
    if p.i < b.len() {
        if !(p.eat(b'T') || p.eat(b't') || p.eat(b' ')) {
            return None;
        }
        hour = p.digits(2, 2)?;
        p.expect(b':')?;
        minute = p.digits(2, 2)?;
        if p.eat(b':') {
            second = p.digits(2, 2)?;
            if p.eat(b'.') || p.eat(b',') {
                let start = p.i;
                let frac = p.digits(1, 18)?;
                let len = (p.i - start) as u32;
                nanos = if len <= 9 {
                    frac as i64 * 10i64.pow(9 - len)
                } else {
                    (frac / 10u64.pow(len - 9)) as i64
                };
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if p.i < b.len() {
            if p.eat(b'Z') || p.eat(b'z') {
                offset = 0;
            } else {
                let sign = if p.eat(b'+') {
                    1
                } else if p.eat(b'-') {
                    -1
                } else {
                    return None;
                };
                let oh = p.digits(2, 2)? as i64;
                p.eat(b':');
                let om = if p.i < b.len() {
                    p.digits(2, 2)? as i64
                } else {
                    0
                };
                if oh > 23 || om > 59 {
                    return None;
                }
                offset = sign * (oh * 3600 + om * 60);
            }
        }
    }
    if p.i != b.len() {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400
        + hour as i64 * 3600
        + minute as i64 * 60
        + second as i64
        - offset;
    Some(secs as i128 * NANOS_PER_SEC as i128 + nanos as i128)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }
    fn digits(&mut self, min: usize, max: usize) -> Option<u64> {
        let start = self.i;
        let mut v: u64 = 0;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            v = v * 10 + (self.b[self.i] - b'0') as u64;
            self.i += 1;
        }
        (self.i - start >= min).then_some(v)
    }
}

/// Formats a timestamp as RFC 3339 in UTC with the shortest exact fraction.
pub fn format_rfc3339(t: Timestamp) -> String {
    let secs = t.div_euclid(NANOS_PER_SEC);
    let nanos = t.rem_euclid(NANOS_PER_SEC);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let mut s = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_round_trip() {
        for (text, utc) in [
            ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
            ("2011-10-01T00:38:44.546+02:00", "2011-09-30T22:38:44.546Z"),
            (
                "2024-02-29 12:00:00.123456789-05:30",
                "2024-02-29T17:30:00.123456789Z",
            ),
            ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z"),
            ("2012-01-01", "2012-01-01T00:00:00Z"),
            ("2012-01-01T10:00", "2012-01-01T10:00:00Z"),
        ] {
            let t = parse_rfc3339(text, 0).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(format_rfc3339(t), utc, "{text}");
        }
        assert_eq!(
            parse_rfc3339("2012-01-01T10:00:00", 3600),
            parse_rfc3339("2012-01-01T09:00:00Z", 0)
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for bad in [
            "",
            "2012",
            "2012-13-01",
            "2012-02-30",
            "2012-01-01T25:00:00",
            "2012-01-01T10:00:00+2",
            "yesterday",
            "2012-01-01T10:00:00Zjunk",
        ] {
            assert!(parse_rfc3339(bad, 0).is_none(), "{bad}");
        }
    }
}
