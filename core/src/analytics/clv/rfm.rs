//! The RFM summary of a transaction log, as `lifetimes`' `summary_data_from_transaction_data`.
//!
//! Transactions are bucketed into calendar periods (`freq`: hours, days, weeks Monday–Sunday as
//! pandas' `W`, or months); a customer's transactions in one period count once, their values
//! summed. Periods after the observation end's period are dropped. Then per customer:
//! `frequency` = periods with a purchase − 1, `recency` = last − first period, `T` = observation
//! end's period − first period, both in units of `freq` (a month is 30.436875 days, numpy's) ÷
//! `freq_multiplier`, and `monetary_value` = mean value of the repeat periods (0 without any).
//! With `include_first_transaction` the first period counts in both frequency and mean value.
//!
//! The summary is a mergeable partial ([`RfmPartial`]): per customer, the periods seen and their
//! summed values; partials of different partitions merge by customer id.
//!
//! ```
//! use journeystream::analytics::clv::{rfm::{RfmOptions, RfmPartial}, Freq};
//! let day = 86_400_000_000_000i64;
//! let mut p = RfmPartial::new(Freq::Day, true);
//! p.add("a", 0, Some(10.0));
//! p.add("a", day / 2, Some(5.0)); // same day: counted once, values summed
//! p.add("a", 3 * day, Some(20.0));
//! p.add("b", 4 * day, Some(7.0));
//! let s = p.finish(&RfmOptions::default())?;
//! assert_eq!(s.customer, ["a", "b"]);
//! assert_eq!((s.frequency[0], s.recency[0], s.t[0]), (1.0, 3.0, 4.0));
//! assert_eq!(s.monetary_value.as_ref().unwrap()[0], 20.0);
//! assert_eq!((s.frequency[1], s.t[1]), (0.0, 0.0));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::Freq;
use crate::analytics::bulk::TextSource;
use crate::analytics::partial::over_cases;
use crate::analytics::scores::{event_location, numbers};
use crate::error::{Error, Result};
use crate::log::timestamp::{civil_from_days, day_start, days_from_civil, period_start};
use crate::log::{EventLog, Timestamp};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

const HOUR: i64 = 3_600_000_000_000;
const DAY: i64 = 24 * HOUR;

impl Freq {
    /// The start of the period holding `t` (ns since the epoch, UTC).
    pub fn period_start(self, t: Timestamp) -> Timestamp {
        let day = t.div_euclid(DAY);
        match self {
            Freq::Hour => period_start(t, HOUR),
            Freq::Day => day_start(day),
            // 1970-01-01 was a Thursday; weeks start on Monday.
            Freq::Week => day_start(day - (day + 3).rem_euclid(7)),
            Freq::Month => {
                let (y, m, _) = civil_from_days(day);
                day_start(days_from_civil(y, m, 1))
            }
        }
    }

    /// The length of one unit in nanoseconds (numpy's `timedelta64(1, freq)`).
    pub fn unit_nanos(self) -> f64 {
        match self {
            Freq::Hour => HOUR as f64,
            Freq::Day => DAY as f64,
            Freq::Week => 7.0 * DAY as f64,
            Freq::Month => 30.436_875 * DAY as f64,
        }
    }
}

/// Options of the summary (`lifetimes`' parameters of the same names).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RfmOptions {
    /// Transactions after this time's period are dropped; the latest transaction when absent.
    pub observation_period_end: Option<Timestamp>,
    /// Divides recency and T (1 when 0).
    pub freq_multiplier: f64,
    pub include_first_transaction: bool,
}

/// The RFM summary, one row per customer, sorted by customer id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "columns")] // its sequences are one table (journeystream::columnar)
pub struct RfmSummary {
    pub customer: Vec<String>,
    pub frequency: Vec<f64>,
    pub recency: Vec<f64>,
    #[serde(rename = "T")]
    pub t: Vec<f64>,
    /// Present when transactions carry values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monetary_value: Option<Vec<f64>>,
}

/// Per customer, the periods with transactions (sorted) and their summed values.
#[derive(Debug, Clone, PartialEq)]
pub struct RfmPartial {
    freq: Freq,
    with_values: bool,
    customers: FxHashMap<String, Vec<(Timestamp, f64)>>,
    latest: Option<Timestamp>,
}

impl RfmPartial {
    /// An empty partial bucketing by `freq`; `with_values` when transactions carry values.
    pub fn new(freq: Freq, with_values: bool) -> RfmPartial {
        RfmPartial {
            freq,
            with_values,
            customers: FxHashMap::default(),
            latest: None,
        }
    }

    /// Adds a transaction (`value` is ignored without values).
    pub fn add(&mut self, customer: &str, at: Timestamp, value: Option<f64>) {
        let start = self.freq.period_start(at);
        let v = value.unwrap_or(0.0);
        self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        let periods = match self.customers.get_mut(customer) {
            Some(p) => p,
            None => self.customers.entry(customer.to_string()).or_default(),
        };
        match periods.binary_search_by_key(&start, |p| p.0) {
            Ok(i) => periods[i].1 += v,
            Err(i) => periods.insert(i, (start, v)),
        }
    }

    /// Combines with the partial of other transactions (same `freq`).
    pub fn merge(mut self, other: RfmPartial) -> RfmPartial {
        if self.customers.len() < other.customers.len() {
            return other.merge(self);
        }
        self.latest = match (self.latest, other.latest) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.with_values |= other.with_values;
        for (customer, theirs) in other.customers {
            match self.customers.get_mut(&customer) {
                None => {
                    self.customers.insert(customer, theirs);
                }
                Some(ours) => {
                    let mut merged = Vec::with_capacity(ours.len() + theirs.len());
                    let (mut i, mut j) = (0, 0);
                    while i < ours.len() || j < theirs.len() {
                        if j == theirs.len() || (i < ours.len() && ours[i].0 < theirs[j].0) {
                            merged.push(ours[i]);
                            i += 1;
                        } else if i == ours.len() || theirs[j].0 < ours[i].0 {
                            merged.push(theirs[j]);
                            j += 1;
                        } else {
                            merged.push((ours[i].0, ours[i].1 + theirs[j].1));
                            i += 1;
                            j += 1;
                        }
                    }
                    *ours = merged;
                }
            }
        }
        self
    }

    /// The summary.
    pub fn finish(&self, options: &RfmOptions) -> Result<RfmSummary> {
        let end = match options.observation_period_end.or(self.latest) {
            Some(end) => self.freq.period_start(end),
            None => {
                return Ok(RfmSummary {
                    customer: Vec::new(),
                    frequency: Vec::new(),
                    recency: Vec::new(),
                    t: Vec::new(),
                    monetary_value: self.with_values.then(Vec::new),
                })
            }
        };
        let multiplier = if options.freq_multiplier == 0.0 {
            1.0
        } else {
            options.freq_multiplier
        };
        if !(multiplier.is_finite() && multiplier > 0.0) {
            return Err(Error::argument(
                "freq_multiplier",
                multiplier,
                "expected a number > 0",
            ));
        }
        let unit = self.freq.unit_nanos() * multiplier;
        let mut ids: Vec<&String> = self.customers.keys().collect();
        ids.sort_unstable();
        let mut s = RfmSummary {
            customer: Vec::with_capacity(ids.len()),
            frequency: Vec::with_capacity(ids.len()),
            recency: Vec::with_capacity(ids.len()),
            t: Vec::with_capacity(ids.len()),
            monetary_value: self.with_values.then(|| Vec::with_capacity(ids.len())),
        };
        for id in ids {
            let periods = &self.customers[id];
            let kept = periods.partition_point(|p| p.0 <= end);
            if kept == 0 {
                continue;
            }
            let periods = &periods[..kept];
            let (first, last) = (periods[0].0, periods[kept - 1].0);
            let skip = usize::from(!options.include_first_transaction);
            s.customer.push(id.clone());
            s.frequency.push((kept - skip) as f64);
            s.recency.push(last.abs_diff(first) as f64 / unit);
            s.t.push(end.abs_diff(first) as f64 / unit);
            if let Some(m) = &mut s.monetary_value {
                let repeat = &periods[skip..];
                m.push(if repeat.is_empty() {
                    0.0
                } else {
                    repeat.iter().map(|p| p.1).sum::<f64>() / repeat.len() as f64
                });
            }
        }
        Ok(s)
    }
}

/// The partial of transactions given as arrays; errors name the index and field.
pub fn from_arrays(
    customers: &(impl TextSource + ?Sized),
    timestamps: &[Timestamp],
    values: Option<&[f64]>,
    freq: Freq,
) -> Result<RfmPartial> {
    let n = customers.len();
    if timestamps.len() != n || values.is_some_and(|v| v.len() != n) {
        return Err(Error::argument(
            "timestamps",
            timestamps.len(),
            format!(
                "values given for {n} customers: customers, timestamps and values must have the \
                 same length (values: {})",
                values.map_or(n, |v| v.len())
            ),
        ));
    }
    let mut p = RfmPartial::new(freq, values.is_some());
    for i in 0..n {
        let value = values.map(|v| v[i]);
        if let Some(v) = value {
            if !v.is_finite() {
                return Err(Error::Input {
                    location: format!("transaction {i}"),
                    field: Some("values".into()),
                    value: Some(v.to_string()),
                    message: format!("values[{i}] is {v}: expected a finite number"),
                });
            }
        }
        p.add(customers.get(i), timestamps[i], value);
    }
    Ok(p)
}

/// The partial of a log's purchases: each case is a customer, its events of `purchase_activity`
/// (all events when absent) its transactions, valued by the number event attribute
/// `value_attribute` (no values when absent). Runs on all cores.
pub fn from_log(
    log: &EventLog,
    purchase_activity: Option<&str>,
    value_attribute: Option<&str>,
    freq: Freq,
) -> Result<RfmPartial> {
    let purchase = match purchase_activity {
        Some(a) => Some(log.activity_code(a, "purchase_activity")?),
        None => None,
    };
    let values = match value_attribute {
        Some(name) => Some(numbers(log, "value_attribute", name)?),
        None => None,
    };
    let with_values = values.is_some();
    type Part = (RfmPartial, Option<(usize, usize)>);
    let add = |(p, missing): &mut Part, log: &EventLog, cases: std::ops::Range<usize>| {
        for c in cases {
            let case = log.case(c);
            let id = case.id();
            for (k, e) in case.events().enumerate() {
                if purchase.is_some_and(|a| case.activities()[k] != a) {
                    continue;
                }
                let value = match &values {
                    Some(v) => match v.get(e) {
                        Some(x) if x.is_finite() => Some(x),
                        _ => {
                            missing.get_or_insert((c, e));
                            continue;
                        }
                    },
                    None => None,
                };
                p.add(id, case.timestamps()[k], value);
            }
        }
    };
    let (p, missing) = over_cases(
        log,
        || (RfmPartial::new(freq, with_values), None),
        add,
        |a: Part, b: Part| (a.0.merge(b.0), a.1.or(b.1)),
    );
    if let Some((case, event)) = missing {
        return Err(Error::Input {
            location: event_location(log, case, event),
            field: value_attribute.map(str::to_string),
            value: None,
            message: "a purchase without a finite value".into(),
        });
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{AttrValue, LogBuilder};
    use proptest::prelude::*;

    fn transactions() -> impl Strategy<Value = Vec<(u8, i64, u8)>> {
        prop::collection::vec((0u8..6, 0i64..90 * DAY, 0u8..100), 0..60)
    }

    fn arrays(t: &[(u8, i64, u8)], freq: Freq) -> RfmPartial {
        let ids: Vec<String> = t.iter().map(|x| format!("c{}", x.0)).collect();
        let times: Vec<i64> = t.iter().map(|x| x.1).collect();
        let values: Vec<f64> = t.iter().map(|x| x.2 as f64).collect();
        from_arrays(&ids, &times, Some(&values), freq).unwrap()
    }

    proptest! {
        #[test]
        fn merged_partials_equal_the_whole(t in transactions(), cut in 0usize..60, week in any::<bool>()) {
            let freq = if week { Freq::Week } else { Freq::Day };
            let cut = cut.min(t.len());
            let options = RfmOptions { observation_period_end: Some(80 * DAY), ..Default::default() };
            let whole = arrays(&t, freq).finish(&options).unwrap();
            let merged = arrays(&t[cut..], freq).merge(arrays(&t[..cut], freq)).finish(&options).unwrap();
            prop_assert_eq!(&merged, &whole);
            // The same purchases in a log (with other events between) give the same summary.
            let mut b = LogBuilder::new();
            for (i, x) in t.iter().enumerate() {
                let e = b.push(&format!("c{}", x.0), "buy", x.1).unwrap();
                b.set_event_attribute(e, "value", AttrValue::Number(x.2 as f64));
                if i % 3 == 0 {
                    b.push(&format!("c{}", x.0), "visit", x.1 + 1).unwrap();
                }
            }
            let log = b.finish().unwrap();
            let from_log = from_log(&log, Some("buy"), Some("value"), freq);
            if t.is_empty() {
                prop_assert!(from_log.is_err());
            } else {
                prop_assert_eq!(from_log.unwrap().finish(&options).unwrap(), whole);
            }
        }
    }

    #[test]
    fn periods_are_calendar_periods() {
        // 2024-01-03 (a Wednesday) 15:00 UTC.
        let t = 1_704_294_000 * 1_000_000_000;
        let day = 1_704_240_000 * 1_000_000_000;
        assert_eq!(Freq::Day.period_start(t), day);
        assert_eq!(Freq::Week.period_start(t), day - 2 * DAY); // Monday 2024-01-01
        assert_eq!(Freq::Month.period_start(t), day - 2 * DAY); // 2024-01-01
        assert_eq!(Freq::Hour.period_start(t), t);
        assert_eq!(Freq::Day.period_start(-1), -DAY);
    }
}
