//! Rule-based attribution: first touch, last touch, linear, position-based (U-shaped, J,
//! inverse J, custom) over a path table, and time decay over a log's timestamped journeys.
//!
//! Each converting path's conversions and value are split over its touches by weights that sum
//! to 1; a channel's credit adds the weights of its occurrences (a repeated channel is credited
//! per occurrence, as ChannelAttribution's linear model does).

use super::journey::{Journeys, LogJourneys};
use super::paths::{PathTable, Repeats};
use super::{Attribution, Credits};
use crate::analytics::partial::{over_cases, unify};
use crate::error::{Error, Result};
use crate::log::{EventLog, Interner, Timestamp};
use std::sync::Arc;

/// A rule giving each touch of a path its share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Heuristic {
    /// 100 % to the first touch.
    FirstTouch,
    /// 100 % to the last touch.
    LastTouch,
    /// Equal shares per touch occurrence.
    Linear,
    /// `first` to the first touch, `last` to the last, the rest spread equally over the middle
    /// touches; two touches split `first : last`.
    Position { first: f64, last: f64 },
}

impl Heuristic {
    /// U-shaped: 40 / 20 / 40 (two touches 50 / 50).
    pub const U_SHAPED: Heuristic = Heuristic::Position {
        first: 0.4,
        last: 0.4,
    };
    /// J-shaped: 20 / 20 / 60 (two touches 25 / 75).
    pub const J_SHAPED: Heuristic = Heuristic::Position {
        first: 0.2,
        last: 0.6,
    };
    /// Inverse J: 60 / 20 / 20 (two touches 75 / 25).
    pub const INVERSE_J: Heuristic = Heuristic::Position {
        first: 0.6,
        last: 0.2,
    };

    /// The model's name in requests and results (`u_shaped`, ..., `position` for other weights).
    pub fn name(&self) -> &'static str {
        match *self {
            Heuristic::FirstTouch => "first_touch",
            Heuristic::LastTouch => "last_touch",
            Heuristic::Linear => "linear",
            h if h == Heuristic::U_SHAPED => "u_shaped",
            h if h == Heuristic::J_SHAPED => "j_shaped",
            h if h == Heuristic::INVERSE_J => "inverse_j",
            Heuristic::Position { .. } => "position",
        }
    }

    /// Checks the position weights: each in [0, 1], `first + last` in (0, 1].
    pub fn validate(&self) -> Result<()> {
        if let Heuristic::Position { first, last } = *self {
            for (name, w) in [("first", first), ("last", last)] {
                if !(0.0..=1.0).contains(&w) {
                    return Err(Error::argument(name, w, "must be a share between 0 and 1"));
                }
            }
            if !(first + last > 0.0 && first + last <= 1.0 + 1e-12) {
                return Err(Error::argument(
                    "first",
                    format!("{first} + last {last}"),
                    "first + last must be above 0 and at most 1",
                ));
            }
        }
        Ok(())
    }

    /// The share of each of `n` touches, into `out`.
    pub fn weights(&self, n: usize, out: &mut Vec<f64>) {
        out.clear();
        out.resize(n, 0.0);
        if n == 0 {
            return;
        }
        match *self {
            Heuristic::FirstTouch => out[0] = 1.0,
            Heuristic::LastTouch => out[n - 1] = 1.0,
            Heuristic::Linear => out.fill(1.0 / n as f64),
            Heuristic::Position { first, last } => match n {
                1 => out[0] = 1.0,
                2 => {
                    out[0] = first / (first + last);
                    out[1] = last / (first + last);
                }
                _ => {
                    out.fill((1.0 - first - last) / (n - 2) as f64);
                    out[0] = first;
                    out[n - 1] = last;
                }
            },
        }
    }
}

/// Heuristic attribution of a path table (repeats as given in the table; see
/// [`PathTable::with_repeats`]).
///
/// ```
/// use journeystream::analytics::attribution::{heuristic::{heuristic, Heuristic}, PathTable};
/// let rows = serde_json::json!([["a > b > c", 10, 100.0], ["b", 5, 20.0]]);
/// let t = PathTable::from_rows(rows.as_array().unwrap(), ">")?;
/// let u = heuristic(&t, Heuristic::U_SHAPED)?;
/// let credit: Vec<_> = u.channels.iter().map(|c| (c.channel.as_str(), c.conversions)).collect();
/// assert_eq!(credit, [("a", 4.0), ("b", 7.0), ("c", 4.0)]);
/// assert_eq!(u.channels[1].value, 20.0 + 20.0);
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn heuristic(table: &PathTable, model: Heuristic) -> Result<Attribution> {
    model.validate()?;
    let mut credits = Credits::new(table.channels.len());
    let mut w = Vec::new();
    for r in &table.rows {
        credits.count(r.touches.is_empty(), r.conversions, r.value, r.nulls);
        if r.touches.is_empty() || (r.conversions == 0.0 && r.value == 0.0) {
            continue;
        }
        model.weights(r.touches.len(), &mut w);
        credits.spread(&r.touches, &w, r.conversions, r.value);
    }
    let mut a = credits.finish(&table.channels, table.conversions_without_value);
    a.model = model.name().into();
    Ok(a)
}

/// Time-decay weights: touch i gets 2^(−(t_conversion − t_i) / half-life), normalised over the
/// path. Computed relative to the latest touch (whose weight is 1), so no path underflows to 0.
pub fn time_decay_weights(times: &[Timestamp], half_life_seconds: f64, out: &mut Vec<f64>) {
    out.clear();
    let latest = times.iter().copied().max().unwrap_or(0);
    out.extend(
        times
            .iter()
            .map(|&t| (-((latest as i128 - t as i128) as f64 / 1e9) / half_life_seconds).exp2()),
    );
    let sum: f64 = out.iter().sum();
    for w in out.iter_mut() {
        *w /= sum;
    }
}

struct DecayPartial {
    channels: Arc<Interner>,
    credits: Credits,
    without_value: u64,
}

impl DecayPartial {
    fn merge(mut self, other: DecayPartial) -> DecayPartial {
        let (channels, map) = unify(&self.channels, &other.channels);
        self.channels = channels;
        self.credits.absorb(other.credits, map.as_deref());
        self.without_value += other.without_value;
        self
    }
}

/// Time-decay attribution over a log's journeys (needs timestamps, so log input only): a
/// converting journey's conversion and value are split over its touches with weights
/// 2^(−Δt / half-life), Δt the time from the touch to the conversion. `repeats` treats repeated
/// channels as for a path table (a merged run keeps its first touch's time). Runs on all cores.
///
/// ```
/// use journeystream::analytics::attribution::{heuristic::time_decay, Conversion, LogJourneys, Repeats};
/// use journeystream::log::LogBuilder;
/// let hour = 3_600_000_000_000;
/// let mut b = LogBuilder::new();
/// for (activity, t) in [("ad", 0), ("email", 2 * hour), ("buy", 4 * hour)] {
///     b.push("c1", activity, t)?;
/// }
/// let spec = LogJourneys {
///     channel_from_activity: true,
///     conversion: Some(Conversion::Activity("buy".into())),
///     ..LogJourneys::default()
/// };
/// let a = time_decay(&b.finish().unwrap(), &spec, 2.0 * 3600.0, Repeats::Keep)?;
/// // weights 2^-2 and 2^-1: 1/3 and 2/3
/// assert!((a.channels[0].conversions - 1.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn time_decay(
    log: &EventLog,
    spec: &LogJourneys,
    half_life_seconds: f64,
    repeats: Repeats,
) -> Result<Attribution> {
    if !(half_life_seconds.is_finite() && half_life_seconds > 0.0) {
        return Err(Error::argument(
            "half_life",
            half_life_seconds,
            "must be a positive number of seconds",
        ));
    }
    let journeys = Journeys::new(log, spec)?;
    let dict = journeys.channels().clone();
    let empty = || DecayPartial {
        channels: dict.clone(),
        credits: Credits::new(dict.len()),
        without_value: 0,
    };
    let p = over_cases(
        log,
        empty,
        |p, _, cases| {
            let (mut touches, mut times, mut w) = (Vec::new(), Vec::new(), Vec::new());
            for c in cases {
                let j = journeys.journey(c, &mut touches, Some(&mut times));
                let Some(conv) = j.conversion else {
                    p.credits.count(touches.is_empty(), 0.0, 0.0, 1.0);
                    continue;
                };
                if conv.value.is_none() && journeys.has_value() {
                    p.without_value += 1;
                }
                let value = conv.value.unwrap_or(0.0);
                p.credits.count(touches.is_empty(), 1.0, value, 0.0);
                if touches.is_empty() {
                    continue;
                }
                if repeats != Repeats::Keep {
                    let keep = kept(&touches, repeats);
                    touches = keep.iter().map(|&i| touches[i]).collect();
                    times = keep.iter().map(|&i| times[i]).collect();
                }
                // Relative weights do not depend on the reference time: the latest touch's is used.
                time_decay_weights(&times, half_life_seconds, &mut w);
                p.credits.spread(&touches, &w, 1.0, value);
            }
        },
        DecayPartial::merge,
    );
    let mut a = p.credits.finish(p.channels.names(), p.without_value);
    a.model = "time_decay".into();
    Ok(a)
}

/// Positions of the touches `repeats` keeps.
fn kept(touches: &[u32], repeats: Repeats) -> Vec<usize> {
    let mut keep = Vec::with_capacity(touches.len());
    for (i, &t) in touches.iter().enumerate() {
        let drop = match repeats {
            Repeats::Keep => false,
            Repeats::Collapse => i > 0 && touches[i - 1] == t,
            Repeats::First => touches[..i].contains(&t),
        };
        if !drop {
            keep.push(i);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table() -> PathTable {
        // Hand example: a>b>c>d 10 conversions value 100; a>b 4 conv value 8; c 2 conv; b>b 0 conv.
        let rows = json!([
            ["a > b > c > d", 10, 100.0, 1],
            ["a > b", 4, 8.0, 0],
            ["c", 2, 6.0, 3],
            ["b > b", 0, 0.0, 5]
        ]);
        PathTable::from_rows(rows.as_array().unwrap(), ">").unwrap()
    }

    fn credit(a: &Attribution) -> Vec<(f64, f64)> {
        a.channels
            .iter()
            .map(|c| (c.conversions, c.value))
            .collect()
    }

    fn close(a: &[(f64, f64)], b: &[(f64, f64)]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!(
                (x.0 - y.0).abs() < 1e-12 && (x.1 - y.1).abs() < 1e-12,
                "{a:?} != {b:?}"
            );
        }
    }

    #[test]
    fn hand_computed() {
        let t = table();
        // channels a, b, c, d
        close(
            &credit(&heuristic(&t, Heuristic::FirstTouch).unwrap()),
            &[(14.0, 108.0), (0.0, 0.0), (2.0, 6.0), (0.0, 0.0)],
        );
        close(
            &credit(&heuristic(&t, Heuristic::LastTouch).unwrap()),
            &[(0.0, 0.0), (4.0, 8.0), (2.0, 6.0), (10.0, 100.0)],
        );
        close(
            &credit(&heuristic(&t, Heuristic::Linear).unwrap()),
            &[
                (2.5 + 2.0, 25.0 + 4.0),
                (4.5, 29.0),
                (4.5, 31.0),
                (2.5, 25.0),
            ],
        );
        // U: 4 touches 40/10/10/40; 2 touches 50/50.
        close(
            &credit(&heuristic(&t, Heuristic::U_SHAPED).unwrap()),
            &[
                (4.0 + 2.0, 40.0 + 4.0),
                (1.0 + 2.0, 10.0 + 4.0),
                (1.0 + 2.0, 10.0 + 6.0),
                (4.0, 40.0),
            ],
        );
        // J: 20/10/10/60; two 25/75.
        close(
            &credit(&heuristic(&t, Heuristic::J_SHAPED).unwrap()),
            &[
                (2.0 + 1.0, 20.0 + 2.0),
                (1.0 + 3.0, 10.0 + 6.0),
                (1.0 + 2.0, 10.0 + 6.0),
                (6.0, 60.0),
            ],
        );
        let a = heuristic(&t, Heuristic::INVERSE_J).unwrap();
        close(
            &credit(&a),
            &[
                (6.0 + 3.0, 60.0 + 6.0),
                (1.0 + 1.0, 10.0 + 2.0),
                (1.0 + 2.0, 10.0 + 6.0),
                (2.0, 20.0),
            ],
        );
        assert_eq!(
            (a.total_conversions, a.total_conversion_value, a.total_null),
            (16.0, 114.0, 9.0)
        );
    }

    #[test]
    fn shares_sum_to_totals_and_bad_weights_fail() {
        let t = table();
        for m in [
            Heuristic::FirstTouch,
            Heuristic::LastTouch,
            Heuristic::Linear,
            Heuristic::Position {
                first: 0.3,
                last: 0.5,
            },
        ] {
            let a = heuristic(&t, m).unwrap();
            let s: f64 = a.channels.iter().map(|c| c.conversions).sum();
            assert!((s - 16.0).abs() < 1e-12);
        }
        let e = heuristic(
            &t,
            Heuristic::Position {
                first: 0.7,
                last: 0.5,
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("at most 1"), "{e}");
    }

    #[test]
    fn decay_weights() {
        let mut w = Vec::new();
        let h = 1e9 as i64;
        time_decay_weights(&[0, 10 * h, 20 * h], 10.0, &mut w);
        let z = 0.25 + 0.5 + 1.0;
        for (x, y) in w.iter().zip([0.25 / z, 0.5 / z, 1.0 / z]) {
            assert!((x - y).abs() < 1e-15);
        }
        // far apart: no underflow to 0/0
        time_decay_weights(&[0, 1_000_000_000 * h], 1.0, &mut w);
        assert_eq!(w, [0.0, 1.0]);
    }

    #[test]
    fn kept_positions() {
        assert_eq!(kept(&[1, 1, 2, 1], Repeats::Collapse), [0, 2, 3]);
        assert_eq!(kept(&[1, 1, 2, 1], Repeats::First), [0, 2]);
    }
}
