//! Calendar periods in a time zone: the hour, day, week (from Monday), month or quarter that
//! holds a time, numbered, with its first instant and its label.
//!
//! Periods are local: a day in `Europe/Amsterdam` runs from local midnight to local midnight
//! and is 23 or 25 hours long on the days the clocks change; a local hour that occurs twice (the
//! clocks go back) is one period of two hours, and one the clocks skip is no period. A period
//! whose local start the clocks skip starts at the first instant after the gap.
//!
//! | period | index | label |
//! | --- | --- | --- |
//! | `hour` | local hours since 1970-01-01T00:00 | `2024-03-04T09:00` |
//! | `day` | local days since 1970-01-01 | `2024-03-04` |
//! | `week` | Monday weeks since 1969-12-29 | `2024-03-04` (its Monday) |
//! | `month` | months since 1970-01 | `2024-03` |
//! | `quarter` | quarters since 1970-Q1 | `2024-Q1` |
//!
//! ```
//! use journeystream::log::calendar::{Calendar, Period};
//! use journeystream::log::timeformat::TimeZone;
//! use journeystream::log::timestamp::parse_rfc3339;
//! let t = parse_rfc3339("2024-03-31T22:30:00Z", 0).unwrap(); // 00:30 on 1 April in Amsterdam
//! let utc = Calendar::new(Period::Month, &TimeZone::Utc)?;
//! let amsterdam = Calendar::new(Period::Month, &"Europe/Amsterdam".parse()?)?;
//! assert_eq!(utc.label(utc.index(t)), "2024-03");
//! assert_eq!(amsterdam.label(amsterdam.index(t)), "2024-04");
//! // April starts at local midnight, 22:00 UTC (summer time).
//! assert_eq!(amsterdam.start(amsterdam.index(t)), parse_rfc3339("2024-03-31T22:00:00Z", 0).unwrap());
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::timeformat::{TimeZone, Zone};
use super::timestamp::{civil_from_days, days_from_civil, Timestamp, EARLIEST, LATEST};
use crate::error::Result;
use serde::{Deserialize, Serialize};

const NS_PER_SEC: i128 = 1_000_000_000;
const NS_PER_HOUR: i128 = 3600 * NS_PER_SEC;
const NS_PER_DAY: i128 = 24 * NS_PER_HOUR;
/// Day 0 of week 0: Monday 1969-12-29.
const FIRST_MONDAY: i64 = -3;

/// A calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Hour,
    #[default]
    Day,
    /// Monday 00:00 to Monday 00:00.
    Week,
    Month,
    /// January, April, July and October to the next.
    Quarter,
}

impl Period {
    /// The request name (`"week"`).
    pub fn name(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        }
    }
}

/// Periods of one kind in one time zone.
#[derive(Debug, Clone)]
pub struct Calendar {
    period: Period,
    zone: Zone,
    time_zone: TimeZone,
}

impl PartialEq for Calendar {
    fn eq(&self, other: &Calendar) -> bool {
        self.period == other.period && self.time_zone == other.time_zone
    }
}

impl Calendar {
    /// Periods of `period` in `zone`; an unknown zone is an error of `time_zone`.
    pub fn new(period: Period, zone: &TimeZone) -> Result<Calendar> {
        Ok(Calendar {
            period,
            zone: Zone::resolve(zone)?.0,
            time_zone: zone.clone(),
        })
    }

    pub fn period(&self) -> Period {
        self.period
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// The number of the period holding the UTC instant `t`.
    pub fn index(&self, t: Timestamp) -> i64 {
        let local = t as i128 + self.zone.offset_at(t) as i128 * NS_PER_SEC;
        let day = local.div_euclid(NS_PER_DAY) as i64;
        match self.period {
            Period::Hour => local.div_euclid(NS_PER_HOUR) as i64,
            Period::Day => day,
            Period::Week => (day - FIRST_MONDAY).div_euclid(7),
            Period::Month => month_index(day),
            Period::Quarter => month_index(day).div_euclid(3),
        }
    }

    /// The first instant (UTC) of period `index`, clamped to the times a [`Timestamp`] holds.
    pub fn start(&self, index: i64) -> Timestamp {
        let index = index as i128;
        let local = match self.period {
            Period::Hour => index * NS_PER_HOUR,
            Period::Day => index * NS_PER_DAY,
            Period::Week => (index * 7 + FIRST_MONDAY as i128) * NS_PER_DAY,
            Period::Month => month_start_day(index) * NS_PER_DAY,
            Period::Quarter => month_start_day(index * 3) * NS_PER_DAY,
        };
        let clamp = |ns: i128| ns.clamp(EARLIEST as i128, LATEST as i128) as Timestamp;
        let near = clamp(local);
        let offset = match self.zone.offset_of_local(near) {
            Some(o) => o,
            // The clocks skip the local start: the period begins where the gap ends, at the
            // offset in force before it.
            None => self.zone.offset_at(clamp(local - NS_PER_DAY)),
        };
        clamp(local - offset as i128 * NS_PER_SEC)
    }

    /// The period's label (see the module table).
    pub fn label(&self, index: i64) -> String {
        let date = |day: i64| {
            let (y, m, d) = civil_from_days(day);
            format!("{y:04}-{m:02}-{d:02}")
        };
        match self.period {
            Period::Hour => format!(
                "{}T{:02}:00",
                date(index.div_euclid(24)),
                index.rem_euclid(24)
            ),
            Period::Day => date(index),
            Period::Week => date(index.saturating_mul(7).saturating_add(FIRST_MONDAY)),
            Period::Month => format!(
                "{:04}-{:02}",
                1970 + index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Period::Quarter => format!(
                "{:04}-Q{}",
                1970 + index.div_euclid(4),
                index.rem_euclid(4) + 1
            ),
        }
    }
}

/// Months since 1970-01 of a day number.
fn month_index(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    (y - 1970) * 12 + m as i64 - 1
}

/// The day number of the first day of month `index` (months since 1970-01).
fn month_start_day(index: i128) -> i128 {
    let index = index.clamp(i64::MIN as i128 / 24, i64::MAX as i128 / 24) as i64;
    days_from_civil(
        1970 + index.div_euclid(12),
        index.rem_euclid(12) as u32 + 1,
        1,
    ) as i128
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::timestamp::parse_rfc3339;

    fn at(text: &str) -> Timestamp {
        parse_rfc3339(text, 0).unwrap()
    }

    fn cal(period: Period, zone: &str) -> Calendar {
        Calendar::new(period, &zone.parse().unwrap()).unwrap()
    }

    #[test]
    fn utc_periods_and_labels() {
        let t = at("2024-02-29T13:45:00Z"); // a Thursday
        let cases = [
            (Period::Hour, "2024-02-29T13:00", "2024-02-29T13:00:00Z"),
            (Period::Day, "2024-02-29", "2024-02-29T00:00:00Z"),
            (Period::Week, "2024-02-26", "2024-02-26T00:00:00Z"),
            (Period::Month, "2024-02", "2024-02-01T00:00:00Z"),
            (Period::Quarter, "2024-Q1", "2024-01-01T00:00:00Z"),
        ];
        for (period, label, start) in cases {
            let c = cal(period, "UTC");
            let i = c.index(t);
            assert_eq!(c.label(i), label, "{period:?}");
            assert_eq!(c.start(i), at(start), "{period:?}");
            assert!(c.start(i + 1) > t && c.index(c.start(i + 1)) == i + 1);
            assert_eq!(c.index(c.start(i + 1) - 1), i);
        }
        // The epoch is a Thursday of the week of Monday 1969-12-29.
        let w = cal(Period::Week, "UTC");
        assert_eq!((w.index(0), w.label(0)), (0, "1969-12-29".to_string()));
        assert_eq!(w.index(-1), 0);
        assert_eq!(cal(Period::Month, "UTC").label(-1), "1969-12");
    }

    #[test]
    fn offsets_move_the_boundaries() {
        let c = cal(Period::Day, "-05:00");
        // 03:00 UTC on 1 March is 22:00 on 29 February in UTC-5.
        assert_eq!(c.label(c.index(at("2024-03-01T03:00:00Z"))), "2024-02-29");
        assert_eq!(
            c.start(c.index(at("2024-03-01T03:00:00Z"))),
            at("2024-02-29T05:00:00Z")
        );
        let india = cal(Period::Hour, "+05:30");
        let i = india.index(at("2024-03-01T03:00:00Z")); // 08:30 local
        assert_eq!(india.label(i), "2024-03-01T08:00");
        assert_eq!(india.start(i), at("2024-03-01T02:30:00Z"));
    }

    #[cfg(feature = "tz")]
    #[test]
    fn daylight_saving_days_and_hours() {
        let c = cal(Period::Day, "Europe/Amsterdam");
        // 31 March 2024 is 23 hours long, 27 October 25 hours.
        let spring = c.index(at("2024-03-31T12:00:00Z"));
        assert_eq!(
            c.start(spring + 1) - c.start(spring),
            23 * 3_600_000_000_000
        );
        let autumn = c.index(at("2024-10-27T12:00:00Z"));
        assert_eq!(
            c.start(autumn + 1) - c.start(autumn),
            25 * 3_600_000_000_000
        );
        // The skipped local hour 02:00 on 31 March: its period starts at 03:00 local (01:00 UTC)
        // and ends there too.
        let h = cal(Period::Hour, "Europe/Amsterdam");
        let two = h.index(at("2024-03-31T01:00:00Z")); // 03:00 local
        assert_eq!(h.label(two), "2024-03-31T03:00");
        assert_eq!(h.start(two - 1), at("2024-03-31T01:00:00Z"));
        // The repeated hour 02:00 on 27 October holds both of its instants.
        let first = h.index(at("2024-10-27T00:30:00Z"));
        let second = h.index(at("2024-10-27T01:30:00Z"));
        assert_eq!((first, h.label(first)), (second, "2024-10-27T02:00".into()));
        // A zone whose midnight the clocks skip (Sao Paulo, 4 November 2018).
        let sp = cal(Period::Day, "America/Sao_Paulo");
        let d = sp.index(at("2018-11-04T12:00:00Z"));
        assert_eq!(sp.label(d), "2018-11-04");
        assert_eq!(sp.start(d), at("2018-11-04T03:00:00Z")); // 01:00 local, after the gap
    }

    #[test]
    fn the_whole_time_range() {
        for period in [
            Period::Hour,
            Period::Day,
            Period::Week,
            Period::Month,
            Period::Quarter,
        ] {
            for zone in ["UTC", "+13:00", "-11:30"] {
                let c = cal(period, zone);
                for t in [EARLIEST, LATEST, 0] {
                    let i = c.index(t);
                    assert!(c.start(i) <= t, "{period:?} {zone} {t}");
                    assert!(!c.label(i).is_empty());
                }
            }
        }
    }

    #[test]
    fn unknown_zones_are_errors() {
        assert!(Calendar::new(Period::Day, &TimeZone::FixedOffset(90_000)).is_err());
    }
}
