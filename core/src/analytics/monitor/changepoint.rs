//! Change points of a series: PELT (Killick, Fearnhead & Eckley 2012), exact for a penalised
//! cost, and binary segmentation (greedy), with the segment costs and the search of the
//! `ruptures` package, so that both give its breakpoints on the same series, cost and penalty.
//!
//! A segmentation of `y[0..n]` is its breakpoints: the end (exclusive) of every segment, the
//! last one `n` (as `ruptures` reports them). It minimises Σ cost(segment) + penalty × segments.
//!
//! | cost | segment cost | `ruptures` | BIC penalty |
//! | --- | --- | --- | --- |
//! | [`Cost::NormalMean`] | Σ (y − ȳ)² | `l2` | 2 σ̂² ln n |
//! | [`Cost::NormalMeanVar`] | m ln(s² + 10⁻⁶), s² the segment's variance (÷ m) | `normal` | 3 ln n |
//! | [`Cost::Poisson`] | 2 (S − S ln(S / m)), S the segment's sum | — | 2 ln n |
//!
//! The costs are twice the negative log-likelihood up to terms that do not depend on the
//! segmentation (the normal mean one times σ²), so the BIC penalty is the number of parameters a
//! change adds (its location and the new segment's mean, variance or rate) times ln n, as the
//! `changepoint` R package's BIC/SIC. σ̂ is the noise estimated from
//! the first differences, MAD(Δy) × 1.4826 / √2, robust to the changes themselves. The 10⁻⁶
//! added to a variance is `ruptures`' own, so that a constant segment has a finite cost.
//!
//! ```
//! use journeystream::analytics::monitor::changepoint::{pelt, Cost, Penalty, Search};
//! // 50 points about 0, then 50 about 5.
//! let y: Vec<f64> = (0..100u64)
//!     .map(|i| (i * 2654435761 % 1000) as f64 / 1000.0 - 0.5 + if i < 50 { 0.0 } else { 5.0 })
//!     .collect();
//! let found = pelt(&y, Cost::NormalMean, Penalty::Value(10.0), &Search::default())?;
//! assert_eq!(found.breakpoints, vec![50, 100]);
//! assert!((found.segments[1].mean - 5.0).abs() < 0.1);
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The segment model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cost {
    /// A change of mean, the variance the same throughout (`ruptures`' `l2`).
    NormalMean,
    /// A change of mean or variance (`ruptures`' `normal`).
    NormalMeanVar,
    /// A change of the rate of counts (values must be whole numbers ≥ 0).
    Poisson,
}

/// The price of one more segment; as data `"bic"` or a number.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Penalty {
    /// The Bayesian information criterion for the cost (see the module table).
    #[default]
    Bic,
    /// A value of the cost's unit.
    Value(f64),
}

impl Serialize for Penalty {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Penalty::Bic => s.serialize_str("bic"),
            Penalty::Value(v) => s.serialize_f64(*v),
        }
    }
}

impl<'de> Deserialize<'de> for Penalty {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Penalty, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Given {
            Value(f64),
            Name(String),
        }
        match Given::deserialize(d)? {
            Given::Value(v) => Ok(Penalty::Value(v)),
            Given::Name(n) if n == "bic" => Ok(Penalty::Bic),
            Given::Name(n) => Err(serde::de::Error::custom(format!(
                "'{n}' is not a penalty: expected \"bic\" or a number"
            ))),
        }
    }
}

/// How to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Exact: [`pelt`].
    #[default]
    Pelt,
    /// Greedy: [`binary_segmentation`].
    BinarySegmentation,
}

/// The `change_points` request (see [`crate::analytics::request`]): a series (in the request,
/// or a column `series`), the method, cost, penalty and search.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePointRequest {
    #[serde(default)]
    pub series: Option<Vec<f64>>,
    #[serde(default)]
    pub method: Method,
    #[serde(default = "normal_mean")]
    pub cost: Cost,
    #[serde(default)]
    pub penalty: Penalty,
    #[serde(default = "two")]
    pub min_size: usize,
    #[serde(default = "one")]
    pub jump: usize,
    /// Binary segmentation only: stop after this many changes instead of at the penalty.
    #[serde(default)]
    pub max_changes: Option<usize>,
}

fn normal_mean() -> Cost {
    Cost::NormalMean
}
fn two() -> usize {
    2
}
fn one() -> usize {
    1
}

impl ChangePointRequest {
    /// Runs the request.
    pub fn run(&self) -> Result<ChangePoints> {
        let y = self.series.as_deref().ok_or_else(|| Error::MissingData {
            path: "series".into(),
            what: "the series to segment".into(),
        })?;
        let search = Search {
            min_size: self.min_size,
            jump: self.jump,
        };
        match (self.method, self.max_changes) {
            (Method::Pelt, Some(m)) => Err(Error::argument(
                "max_changes",
                m,
                "is for binary segmentation; PELT stops at the penalty",
            )),
            (Method::Pelt, None) => pelt(y, self.cost, self.penalty, &search),
            (Method::BinarySegmentation, m) => {
                binary_segmentation(y, self.cost, self.penalty, m, &search)
            }
        }
    }
}

/// How candidate breakpoints are laid out (`ruptures`' `min_size` and `jump`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    /// The shortest segment (at least 2 for the normal costs).
    pub min_size: usize,
    /// Breakpoints only at multiples of this (1: every point).
    pub jump: usize,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            min_size: 2,
            jump: 1,
        }
    }
}

/// One segment of a segmentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// First index.
    pub start: usize,
    /// One past the last index.
    pub end: usize,
    pub mean: f64,
    /// Variance (÷ length).
    pub variance: f64,
    pub cost: f64,
}

/// A segmentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangePoints {
    pub cost: Cost,
    /// The penalty used (the BIC's value when asked for it).
    pub penalty: f64,
    /// Segment ends; the last is the length of the series.
    pub breakpoints: Vec<usize>,
    pub segments: Vec<Segment>,
    /// Σ segment costs (without penalties).
    pub total_cost: f64,
}

/// Prefix sums of a series, for segment costs in O(1).
struct Costs {
    cost: Cost,
    sum: Vec<f64>,
    squares: Vec<f64>,
    shift: f64,
}

impl Costs {
    fn new(y: &[f64], cost: Cost) -> Costs {
        // Centred (normal costs), so that the sums of squares lose nothing to a large mean.
        let shift = match cost {
            Cost::Poisson => 0.0,
            _ => y.iter().sum::<f64>() / y.len() as f64,
        };
        let (mut sum, mut squares) = (vec![0.0; y.len() + 1], vec![0.0; y.len() + 1]);
        for (i, &v) in y.iter().enumerate() {
            let v = v - shift;
            sum[i + 1] = sum[i] + v;
            squares[i + 1] = squares[i] + v * v;
        }
        Costs {
            cost,
            sum,
            squares,
            shift,
        }
    }

    fn moments(&self, start: usize, end: usize) -> (f64, f64) {
        let m = (end - start) as f64;
        let s = self.sum[end] - self.sum[start];
        let mean = s / m;
        let variance = ((self.squares[end] - self.squares[start]) / m - mean * mean).max(0.0);
        (mean + self.shift, variance)
    }

    /// The cost of `y[start..end]`.
    fn of(&self, start: usize, end: usize) -> f64 {
        let m = (end - start) as f64;
        match self.cost {
            Cost::NormalMean => self.moments(start, end).1 * m,
            Cost::NormalMeanVar => m * (self.moments(start, end).1 + 1e-6).ln(),
            Cost::Poisson => {
                let s = self.sum[end] - self.sum[start];
                if s <= 0.0 {
                    0.0
                } else {
                    2.0 * (s - s * (s / m).ln())
                }
            }
        }
    }

    fn segmentation(&self, breakpoints: Vec<usize>, penalty: f64) -> ChangePoints {
        let mut start = 0;
        let segments: Vec<Segment> = breakpoints
            .iter()
            .map(|&end| {
                let (mean, variance) = self.moments(start, end);
                let s = Segment {
                    start,
                    end,
                    mean,
                    variance,
                    cost: self.of(start, end),
                };
                start = end;
                s
            })
            .collect();
        ChangePoints {
            cost: self.cost,
            penalty,
            total_cost: segments.iter().map(|s| s.cost).sum(),
            breakpoints,
            segments,
        }
    }
}

/// The most points a series may have (PELT keeps a few numbers a point).
pub const MAX_POINTS: usize = 100_000_000;

fn check(y: &[f64], cost: Cost, penalty: Penalty, search: &Search) -> Result<f64> {
    if y.is_empty() {
        return Err(Error::argument(
            "series",
            "[]",
            "is empty: there is nothing to segment",
        ));
    }
    if y.len() > MAX_POINTS {
        return Err(Error::argument(
            "series",
            format!("{} points", y.len()),
            format!("is longer than the {MAX_POINTS} points a series may have"),
        ));
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::argument(
            &format!("series[{i}]"),
            y[i],
            "is not a finite number",
        ));
    }
    if cost == Cost::Poisson {
        if let Some(i) = y.iter().position(|&v| v < 0.0 || v.fract() != 0.0) {
            return Err(Error::argument(
                &format!("series[{i}]"),
                y[i],
                "is not a count (a whole number ≥ 0), as the Poisson cost needs",
            ));
        }
    }
    let least = if cost == Cost::Poisson { 1 } else { 2 };
    if search.min_size < least || search.min_size > y.len() {
        return Err(Error::argument(
            "min_size",
            search.min_size,
            format!("must be {least} to the series' {} points", y.len()),
        ));
    }
    if search.jump == 0 || search.jump > y.len() {
        return Err(Error::argument(
            "jump",
            search.jump,
            format!("must be 1 to the series' {} points", y.len()),
        ));
    }
    match penalty {
        Penalty::Value(p) if !(p.is_finite() && p >= 0.0) => {
            Err(Error::argument("penalty", p, "must be a finite number ≥ 0"))
        }
        Penalty::Value(p) => Ok(p),
        Penalty::Bic => Ok(bic(y, cost)),
    }
}

/// The BIC penalty of a series under a cost (see the module table).
pub fn bic(y: &[f64], cost: Cost) -> f64 {
    let log_n = (y.len() as f64).ln();
    match cost {
        Cost::NormalMean => 2.0 * noise_variance(y) * log_n,
        Cost::NormalMeanVar => 3.0 * log_n,
        Cost::Poisson => 2.0 * log_n,
    }
}

/// σ̂² from the first differences: (MAD(Δy) × 1.4826)² / 2; the sample variance when the
/// differences do not vary, and 1 for a constant series.
pub fn noise_variance(y: &[f64]) -> f64 {
    let median = |v: &mut Vec<f64>| {
        v.sort_unstable_by(f64::total_cmp);
        crate::analytics::stats::percentile(v, 0.5).expect("not empty")
    };
    let mut d: Vec<f64> = y.windows(2).map(|w| w[1] - w[0]).collect();
    if !d.is_empty() {
        let m = median(&mut d);
        let mut spread: Vec<f64> = d.iter().map(|x| (x - m).abs()).collect();
        let sigma = median(&mut spread) * 1.4826;
        if sigma > 0.0 {
            return sigma * sigma / 2.0;
        }
    }
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let var = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (y.len() as f64 - 1.0).max(1.0);
    if var > 0.0 {
        var
    } else {
        1.0
    }
}

/// The segmentation minimising Σ cost + penalty × segments, exactly, by PELT with `ruptures`'
/// candidate points and pruning (ties: the earliest last change).
pub fn pelt(y: &[f64], cost: Cost, penalty: Penalty, search: &Search) -> Result<ChangePoints> {
    let pen = check(y, cost, penalty, search)?;
    let costs = Costs::new(y, cost);
    let (n, min_size, jump) = (y.len(), search.min_size, search.jump);
    // best[t]: the least penalised cost of y[0..t]; last[t]: its last segment's start.
    let (mut best, mut last) = (vec![f64::NAN; n + 1], vec![usize::MAX; n + 1]);
    best[0] = 0.0;
    let mut candidates: Vec<usize> = (0..n).step_by(jump).filter(|&k| k >= min_size).collect();
    candidates.push(n);
    let mut admissible: Vec<usize> = Vec::new();
    let mut totals: Vec<f64> = Vec::new();
    for &end in &candidates {
        admissible.push((end - min_size) / jump * jump);
        totals.clear();
        let (mut least, mut from) = (f64::INFINITY, usize::MAX);
        admissible.retain(|&t| best[t].is_finite() || t == 0);
        for &t in &admissible {
            let total = best[t] + (costs.of(t, end) + pen);
            totals.push(total);
            if total < least {
                (least, from) = (total, t);
            }
        }
        best[end] = least;
        last[end] = from;
        let bound = least + pen;
        let mut k = 0;
        admissible.retain(|_| {
            k += 1;
            totals[k - 1] <= bound
        });
    }
    let mut breakpoints = vec![n];
    let mut at = last[n];
    while at > 0 && at != usize::MAX {
        breakpoints.push(at);
        at = last[at];
    }
    breakpoints.reverse();
    Ok(costs.segmentation(breakpoints, pen))
}

/// Binary segmentation as `ruptures`' `Binseg`: split the segment whose best split gains most,
/// while the gain exceeds the penalty (or until `max_changes`), ties to the later point.
pub fn binary_segmentation(
    y: &[f64],
    cost: Cost,
    penalty: Penalty,
    max_changes: Option<usize>,
    search: &Search,
) -> Result<ChangePoints> {
    let pen = check(y, cost, penalty, search)?;
    let costs = Costs::new(y, cost);
    let (n, min_size, jump) = (y.len(), search.min_size, search.jump);
    let best_split = |start: usize, end: usize| -> Option<(usize, f64)> {
        let whole = costs.of(start, end);
        let mut best: Option<(f64, usize)> = None;
        for k in (start..end).step_by(jump) {
            if k - start >= min_size && end - k >= min_size {
                let gain = whole - costs.of(start, k) - costs.of(k, end);
                if best.map_or(true, |b| (gain, k) >= b) {
                    best = Some((gain, k));
                }
            }
        }
        best.map(|(gain, k)| (k, gain))
    };
    let mut breakpoints = vec![n];
    let mut splits: Vec<Option<(usize, f64)>> = vec![best_split(0, n)];
    loop {
        // The first segment (left to right) with the largest gain; none left to split ends it.
        let mut chosen: Option<(usize, usize, f64)> = None;
        for (i, s) in splits.iter().enumerate() {
            let gain = s.map_or(0.0, |s| s.1);
            if chosen.map_or(true, |c| gain > c.2) {
                chosen = Some((i, s.map_or(usize::MAX, |s| s.0), gain));
            }
        }
        let Some((i, k, gain)) = chosen.filter(|c| c.1 != usize::MAX) else {
            break;
        };
        let go_on = match max_changes {
            Some(m) => breakpoints.len() - 1 < m,
            None => gain > pen,
        };
        if !go_on {
            break;
        }
        let start = if i == 0 { 0 } else { breakpoints[i - 1] };
        let end = breakpoints[i];
        breakpoints.insert(i, k);
        splits.splice(i..=i, [best_split(start, k), best_split(k, end)]);
    }
    Ok(costs.segmentation(breakpoints, pen))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic noise: sums of three uniforms of an LCG, mean 0, sd 0.5.
    pub(crate) fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut state = seed;
        let mut uniform = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|_| uniform() + uniform() + uniform() - 1.5)
            .collect()
    }

    /// A series of 0s, then 10s, then 0s, with noise.
    fn steps() -> Vec<f64> {
        noise(90, 7)
            .into_iter()
            .enumerate()
            .map(|(i, e)| if (30..60).contains(&i) { 10.0 + e } else { e })
            .collect()
    }

    #[test]
    fn pelt_finds_the_planted_changes_under_every_cost() {
        let y = steps();
        let p = pelt(&y, Cost::NormalMean, Penalty::Bic, &Search::default()).unwrap();
        assert_eq!(p.breakpoints, vec![30, 60, 90]);
        // Segments of a few points have a variance near 0 and a cost near −∞ under the mean and
        // variance model: it needs longer segments (in ruptures too).
        let longer = Search {
            min_size: 5,
            jump: 1,
        };
        let p = pelt(&y, Cost::NormalMeanVar, Penalty::Bic, &longer).unwrap();
        assert_eq!(p.breakpoints, vec![30, 60, 90]);
        let counts: Vec<f64> = (0..120)
            .map(|i| {
                if i < 60 {
                    (i % 3) as f64
                } else {
                    8.0 + (i % 4) as f64
                }
            })
            .collect();
        let p = pelt(
            &counts,
            Cost::Poisson,
            Penalty::Bic,
            &Search {
                min_size: 1,
                jump: 1,
            },
        )
        .unwrap();
        assert_eq!(p.breakpoints, vec![60, 120]);
        assert_eq!(p.segments[1].mean, 9.5);
    }

    #[test]
    fn pelt_is_the_exact_optimum_of_the_penalised_cost() {
        // Against every segmentation of a short series, by brute force.
        let y = [1.0, 1.2, 0.9, 4.0, 4.1, 3.8, 4.2, 1.1, 0.8, 1.0];
        let costs = Costs::new(&y, Cost::NormalMean);
        let pen = 0.5;
        let n = y.len();
        let mut best = f64::INFINITY;
        for mask in 0u32..(1 << (n - 1)) {
            let mut ends: Vec<usize> = (1..n).filter(|k| mask >> (k - 1) & 1 == 1).collect();
            ends.push(n);
            let mut start = 0;
            let mut total = 0.0;
            let mut ok = true;
            for &e in &ends {
                ok &= e - start >= 2;
                total += costs.of(start, e) + pen;
                start = e;
            }
            if ok {
                best = best.min(total);
            }
        }
        let p = pelt(
            &y,
            Cost::NormalMean,
            Penalty::Value(pen),
            &Search::default(),
        )
        .unwrap();
        let found = p.total_cost + pen * p.segments.len() as f64;
        assert!((found - best).abs() < 1e-9, "{found} vs {best}");
        assert_eq!(p.breakpoints, vec![3, 7, 10]);
    }

    #[test]
    fn segment_costs_are_the_definitions() {
        let y = [2.0, 4.0, 6.0, 8.0];
        // Σ (y − 5)² = 9 + 1 + 1 + 9.
        assert!((Costs::new(&y, Cost::NormalMean).of(0, 4) - 20.0).abs() < 1e-12);
        // 4 ln(5 + 1e-6): the variance ÷ n is 5.
        assert!(
            (Costs::new(&y, Cost::NormalMeanVar).of(0, 4) - 4.0 * (5.0f64 + 1e-6).ln()).abs()
                < 1e-12
        );
        // 2 (S − S ln(S/m)) with S = 20, m = 4.
        assert!(
            (Costs::new(&y, Cost::Poisson).of(0, 4) - 2.0 * (20.0 - 20.0 * 5.0f64.ln())).abs()
                < 1e-12
        );
    }

    #[test]
    fn binary_segmentation_splits_where_the_gain_is_largest() {
        let y = steps();
        let b = binary_segmentation(&y, Cost::NormalMean, Penalty::Bic, None, &Search::default())
            .unwrap();
        assert_eq!(b.breakpoints, vec![30, 60, 90]);
        let one = binary_segmentation(
            &y,
            Cost::NormalMean,
            Penalty::Bic,
            Some(1),
            &Search::default(),
        )
        .unwrap();
        assert_eq!(one.breakpoints.len(), 2);
    }

    #[test]
    fn bad_series_and_options_are_errors_naming_them() {
        let e = pelt(
            &[1.0, f64::NAN],
            Cost::NormalMean,
            Penalty::Bic,
            &Search::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("series[1]"), "{e}");
        let e = pelt(
            &[1.0, 2.5],
            Cost::Poisson,
            Penalty::Bic,
            &Search {
                min_size: 1,
                jump: 1,
            },
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("series[1]") && e.to_string().contains("count"),
            "{e}"
        );
        let e = pelt(
            &[1.0, 2.0, 3.0],
            Cost::NormalMean,
            Penalty::Bic,
            &Search {
                min_size: 1,
                jump: 1,
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("min_size"), "{e}");
        let e = pelt(
            &[1.0, 2.0, 3.0],
            Cost::NormalMean,
            Penalty::Value(-1.0),
            &Search::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("penalty"), "{e}");
        assert!(pelt(&[], Cost::NormalMean, Penalty::Bic, &Search::default()).is_err());
    }
}
