//! Control charts (Montgomery, *Introduction to Statistical Quality Control*): Shewhart charts
//! for individual values, subgroup means and ranges (X̄–R) and proportions (p), EWMA and tabular
//! CUSUM, with the run rules chosen explicitly (Western Electric or Nelson).
//!
//! | chart | statistic | center | limits (σ̂ from the data unless given) |
//! | --- | --- | --- | --- |
//! | `individuals` | x | x̄ | x̄ ± 3 MR̄ / d₂(2) (= 2.66 MR̄); moving ranges: D₄(2) MR̄ = 3.267 MR̄ |
//! | `xbar_r` | subgroup mean | x̿ | x̿ ± A₂ R̄; ranges: D₃ R̄, D₄ R̄ |
//! | `p` | dᵢ / nᵢ | p̄ = Σd / Σn | p̄ ± 3 √(p̄(1 − p̄)/nᵢ), within [0, 1] |
//! | `ewma` | zᵢ = λxᵢ + (1 − λ)zᵢ₋₁, z₀ = μ₀ | μ₀ | μ₀ ± Lσ √(λ/(2 − λ) (1 − (1 − λ)^{2i})) |
//! | `cusum` | C⁺ᵢ = max(0, xᵢ − μ₀ − kσ + C⁺ᵢ₋₁), C⁻ᵢ likewise | 0 | H = hσ |
//!
//! A₂ = 3 / (d₂√n), D₃ = max(0, 1 − 3d₃/d₂), D₄ = 1 + 3d₃/d₂ from the tabulated d₂ and d₃ of
//! the range of n normal values (n = 2 … 25). The rules read each Shewhart point as a z-score
//! against its own center and limits (a p-chart's limits vary with nᵢ):
//!
//! - `beyond_limits`: one point beyond 3σ (every chart; the only rule of EWMA and CUSUM);
//! - `western_electric`: that, 2 of 3 beyond 2σ on one side, 4 of 5 beyond 1σ on one side,
//!   8 in a row on one side;
//! - `nelson`: Nelson's eight: beyond 3σ, 9 in a row on one side, 6 in a row increasing or
//!   decreasing, 14 in a row alternating, 2 of 3 beyond 2σ, 4 of 5 beyond 1σ (one side),
//!   15 in a row within 1σ, 8 in a row beyond 1σ (either side).
//!
//! ```
//! use journeystream::analytics::monitor::control::{individuals, Rules};
//! let c = individuals(&[10.0, 12.0, 11.0, 13.0, 10.0, 30.0], None, None, Rules::BeyondLimits)?;
//! assert_eq!(c.signals.iter().map(|s| s.index).collect::<Vec<_>>(), vec![5]);
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// d₂(n) and d₃(n), n = 2 … 25: mean and standard deviation of the range of n standard normal
/// values (Montgomery, Appendix VI).
const D2_D3: [(f64, f64); 24] = [
    (1.128, 0.853),
    (1.693, 0.888),
    (2.059, 0.880),
    (2.326, 0.864),
    (2.534, 0.848),
    (2.704, 0.833),
    (2.847, 0.820),
    (2.970, 0.808),
    (3.078, 0.797),
    (3.173, 0.787),
    (3.258, 0.778),
    (3.336, 0.770),
    (3.407, 0.763),
    (3.472, 0.756),
    (3.532, 0.750),
    (3.588, 0.744),
    (3.640, 0.739),
    (3.689, 0.734),
    (3.735, 0.729),
    (3.778, 0.724),
    (3.819, 0.720),
    (3.858, 0.716),
    (3.895, 0.712),
    (3.931, 0.708),
];

/// The control-chart constants of subgroups of `n` (2 … 25).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Constants {
    pub d2: f64,
    pub d3: f64,
    pub a2: f64,
    pub d3_lower: f64,
    pub d4_upper: f64,
}

/// The constants for subgroups of `n`, or an error outside 2 … 25.
pub fn constants(n: usize) -> Result<Constants> {
    let &(d2, d3) = D2_D3.get(n.wrapping_sub(2)).ok_or_else(|| {
        Error::argument(
            "subgroup size",
            n,
            "must be 2 to 25 (the tabulated constants)",
        )
    })?;
    Ok(Constants {
        d2,
        d3,
        a2: 3.0 / (d2 * (n as f64).sqrt()),
        d3_lower: (1.0 - 3.0 * d3 / d2).max(0.0),
        d4_upper: 1.0 + 3.0 * d3 / d2,
    })
}

/// Which run rules flag points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rules {
    #[default]
    BeyondLimits,
    WesternElectric,
    Nelson,
}

/// One plotted point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub index: usize,
    pub value: f64,
    pub center: f64,
    pub lower: f64,
    pub upper: f64,
}

/// A point a rule flagged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub index: usize,
    /// The rule's name (`beyond_3_sigma`, `two_of_three_beyond_2_sigma`, ...).
    pub rule: String,
    /// Above (`high`) or below (`low`) the center, or `none` for rules of no side.
    pub side: String,
}

/// A control chart: its points, the points of its companion range chart (individuals, X̄–R),
/// and the signals of the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlChart {
    pub chart: String,
    /// σ of one value (individuals, EWMA, CUSUM, X̄–R), estimated or given; none for p.
    pub sigma: Option<f64>,
    pub points: Vec<Point>,
    /// Moving ranges (individuals) or subgroup ranges (X̄–R).
    pub ranges: Vec<Point>,
    /// CUSUM: the lower sums C⁻ (the upper ones are `points`).
    pub lower_sums: Vec<Point>,
    pub rules: Rules,
    pub signals: Vec<Signal>,
}

fn finite(field: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::argument(
            &format!("{field}[{i}]"),
            values[i],
            "is not a finite number",
        )),
        None => Ok(()),
    }
}

fn at_least(field: &str, values: usize, n: usize) -> Result<()> {
    if values < n {
        Err(Error::MissingData {
            path: field.into(),
            what: format!("at least {n} values to estimate the chart's spread (got {values})"),
        })
    } else {
        Ok(())
    }
}

fn positive(field: &str, v: Option<f64>) -> Result<Option<f64>> {
    match v {
        Some(x) if !(x.is_finite() && x > 0.0) => {
            Err(Error::argument(field, x, "must be a finite number > 0"))
        }
        v => Ok(v),
    }
}

/// The mean of the moving ranges |xᵢ − xᵢ₋₁|.
fn mean_moving_range(x: &[f64]) -> f64 {
    x.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (x.len() - 1) as f64
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// The individuals chart of `x` with its moving-range chart; `center` and `sigma` known (a
/// phase II chart) or estimated (x̄ and MR̄ / d₂).
pub fn individuals(
    x: &[f64],
    center: Option<f64>,
    sigma: Option<f64>,
    rules: Rules,
) -> Result<ControlChart> {
    finite("values", x)?;
    at_least("values", x.len(), 2)?;
    let sigma = positive("sigma", sigma)?;
    if let Some(c) = center {
        finite("center", &[c])?;
    }
    let mr = mean_moving_range(x);
    let c2 = constants(2)?;
    let s = sigma.unwrap_or(mr / c2.d2);
    let cl = center.unwrap_or_else(|| mean(x));
    let points = (x.iter().enumerate())
        .map(|(i, &v)| Point {
            index: i,
            value: v,
            center: cl,
            lower: cl - 3.0 * s,
            upper: cl + 3.0 * s,
        })
        .collect::<Vec<_>>();
    let mr_center = s * c2.d2;
    let ranges = (1..x.len())
        .map(|i| Point {
            index: i,
            value: (x[i] - x[i - 1]).abs(),
            center: mr_center,
            lower: c2.d3_lower * mr_center,
            upper: c2.d4_upper * mr_center,
        })
        .collect();
    let signals = run_rules(&points, rules);
    Ok(ControlChart {
        chart: "individuals".into(),
        sigma: Some(s),
        points,
        ranges,
        lower_sums: Vec::new(),
        rules,
        signals,
    })
}

/// The X̄–R chart of equal subgroups (2 … 25 values each).
pub fn xbar_r(subgroups: &[Vec<f64>], rules: Rules) -> Result<ControlChart> {
    at_least("subgroups", subgroups.len(), 2)?;
    let n = subgroups[0].len();
    let k = constants(n).map_err(|_| {
        Error::argument(
            "subgroups[0]",
            format!("{n} values"),
            "a subgroup must have 2 to 25 values",
        )
    })?;
    for (i, g) in subgroups.iter().enumerate() {
        if g.len() != n {
            return Err(Error::argument(
                &format!("subgroups[{i}]"),
                format!("{} values", g.len()),
                format!("has not the {n} values of the first subgroup"),
            ));
        }
        finite(&format!("subgroups[{i}]"), g)?;
    }
    let means: Vec<f64> = subgroups.iter().map(|g| mean(g)).collect();
    let range = |g: &Vec<f64>| {
        g.iter().cloned().fold(f64::MIN, f64::max) - g.iter().cloned().fold(f64::MAX, f64::min)
    };
    let ranges: Vec<f64> = subgroups.iter().map(range).collect();
    let (grand, rbar) = (mean(&means), mean(&ranges));
    let points = (means.iter().enumerate())
        .map(|(i, &v)| Point {
            index: i,
            value: v,
            center: grand,
            lower: grand - k.a2 * rbar,
            upper: grand + k.a2 * rbar,
        })
        .collect::<Vec<_>>();
    let range_points = (ranges.iter().enumerate())
        .map(|(i, &v)| Point {
            index: i,
            value: v,
            center: rbar,
            lower: k.d3_lower * rbar,
            upper: k.d4_upper * rbar,
        })
        .collect();
    let signals = run_rules(&points, rules);
    Ok(ControlChart {
        chart: "xbar_r".into(),
        sigma: Some(rbar / k.d2),
        points,
        ranges: range_points,
        lower_sums: Vec::new(),
        rules,
        signals,
    })
}

/// The p-chart of `defects[i]` out of `sizes[i]`; `center` a known proportion or p̄.
pub fn p_chart(
    defects: &[f64],
    sizes: &[f64],
    center: Option<f64>,
    rules: Rules,
) -> Result<ControlChart> {
    if defects.len() != sizes.len() {
        return Err(Error::argument(
            "sizes",
            format!("{} values", sizes.len()),
            format!("must be as many as the {} defects", defects.len()),
        ));
    }
    at_least("defects", defects.len(), 1)?;
    for (i, (&d, &n)) in defects.iter().zip(sizes).enumerate() {
        if !(n.is_finite() && n >= 1.0 && n.fract() == 0.0) {
            return Err(Error::argument(
                &format!("sizes[{i}]"),
                n,
                "must be a whole number ≥ 1",
            ));
        }
        if !(d.is_finite() && d >= 0.0 && d <= n && d.fract() == 0.0) {
            return Err(Error::argument(
                &format!("defects[{i}]"),
                d,
                format!("must be a whole number from 0 to its size {n}"),
            ));
        }
    }
    let p = match center {
        Some(p) if !(p > 0.0 && p < 1.0) => {
            return Err(Error::argument(
                "center",
                p,
                "must be a proportion between 0 and 1",
            ))
        }
        Some(p) => p,
        None => defects.iter().sum::<f64>() / sizes.iter().sum::<f64>(),
    };
    let points = (defects.iter().zip(sizes).enumerate())
        .map(|(i, (&d, &n))| {
            let half = 3.0 * (p * (1.0 - p) / n).sqrt();
            Point {
                index: i,
                value: d / n,
                center: p,
                lower: (p - half).max(0.0),
                upper: (p + half).min(1.0),
            }
        })
        .collect::<Vec<_>>();
    let signals = run_rules(&points, rules);
    Ok(ControlChart {
        chart: "p".into(),
        sigma: None,
        points,
        ranges: Vec::new(),
        lower_sums: Vec::new(),
        rules,
        signals,
    })
}

fn phase(x: &[f64], center: Option<f64>, sigma: Option<f64>) -> Result<(f64, f64)> {
    finite("values", x)?;
    at_least("values", x.len(), if sigma.is_some() { 1 } else { 2 })?;
    let sigma = positive("sigma", sigma)?;
    let s = sigma.unwrap_or_else(|| mean_moving_range(x) / D2_D3[0].0);
    if s.is_nan() || s <= 0.0 {
        return Err(Error::MissingData {
            path: "values".into(),
            what: "values that vary (their moving ranges are all 0): give sigma".into(),
        });
    }
    Ok((center.unwrap_or_else(|| mean(x)), s))
}

/// The EWMA chart: smoothing `lambda` (0, 1], limits `l` σ wide (Montgomery: λ = 0.1, L = 2.7).
pub fn ewma(
    x: &[f64],
    lambda: f64,
    l: f64,
    center: Option<f64>,
    sigma: Option<f64>,
) -> Result<ControlChart> {
    if !(lambda > 0.0 && lambda <= 1.0) {
        return Err(Error::argument("lambda", lambda, "must be in (0, 1]"));
    }
    positive("l", Some(l))?;
    let (mu, s) = phase(x, center, sigma)?;
    let mut z = mu;
    let points = (x.iter().enumerate())
        .map(|(i, &v)| {
            z = lambda * v + (1.0 - lambda) * z;
            let w = l
                * s
                * (lambda / (2.0 - lambda) * (1.0 - (1.0 - lambda).powi(2 * (i as i32 + 1))))
                    .sqrt();
            Point {
                index: i,
                value: z,
                center: mu,
                lower: mu - w,
                upper: mu + w,
            }
        })
        .collect::<Vec<_>>();
    let signals = run_rules(&points, Rules::BeyondLimits);
    Ok(ControlChart {
        chart: "ewma".into(),
        sigma: Some(s),
        points,
        ranges: Vec::new(),
        lower_sums: Vec::new(),
        rules: Rules::BeyondLimits,
        signals,
    })
}

/// The tabular CUSUM: reference value `k` σ, decision interval `h` σ (Montgomery: k = 0.5, h = 5).
pub fn cusum(
    x: &[f64],
    k: f64,
    h: f64,
    center: Option<f64>,
    sigma: Option<f64>,
) -> Result<ControlChart> {
    if !(k.is_finite() && k >= 0.0) {
        return Err(Error::argument("k", k, "must be a finite number ≥ 0"));
    }
    positive("h", Some(h))?;
    let (mu, s) = phase(x, center, sigma)?;
    let (mut hi, mut lo) = (0.0f64, 0.0f64);
    let (mut upper, mut lower, mut signals) = (Vec::new(), Vec::new(), Vec::new());
    for (i, &v) in x.iter().enumerate() {
        hi = (v - (mu + k * s) + hi).max(0.0);
        lo = ((mu - k * s) - v + lo).max(0.0);
        let point = |value| Point {
            index: i,
            value,
            center: 0.0,
            lower: 0.0,
            upper: h * s,
        };
        for (sum, side) in [(hi, "high"), (lo, "low")] {
            if sum > h * s {
                signals.push(Signal {
                    index: i,
                    rule: "beyond_decision_interval".into(),
                    side: side.into(),
                });
            }
        }
        upper.push(point(hi));
        lower.push(point(lo));
    }
    Ok(ControlChart {
        chart: "cusum".into(),
        sigma: Some(s),
        points: upper,
        ranges: Vec::new(),
        lower_sums: lower,
        rules: Rules::BeyondLimits,
        signals,
    })
}

/// The signals of `rules` on Shewhart points, each read as a z-score against its own limits.
fn run_rules(points: &[Point], rules: Rules) -> Vec<Signal> {
    let z: Vec<f64> = points
        .iter()
        .map(|p| {
            let sd = if p.value >= p.center {
                (p.upper - p.center) / 3.0
            } else {
                (p.center - p.lower) / 3.0
            };
            if sd > 0.0 {
                (p.value - p.center) / sd
            } else if p.value == p.center {
                0.0
            } else {
                p.value - p.center
            }
        })
        .collect();
    let side = |v: f64| {
        if v > 0.0 {
            "high"
        } else if v < 0.0 {
            "low"
        } else {
            "none"
        }
    };
    let mut out = Vec::new();
    let mut flag = |i: usize, rule: &str, s: &str| {
        out.push(Signal {
            index: i,
            rule: rule.into(),
            side: s.into(),
        })
    };
    // `m` of the last `n` points beyond `limit` on the side of point i.
    let beyond = |i: usize, n: usize, m: usize, limit: f64| {
        i + 1 >= n && {
            let s = z[i].signum();
            z[i] * s > limit && z[i + 1 - n..=i].iter().filter(|&&v| v * s > limit).count() >= m
        }
    };
    let run =
        |i: usize, n: usize, test: &dyn Fn(usize) -> bool| i + 1 >= n && (i + 1 - n..=i).all(test);
    let same_side = |i: usize, n: usize| z[i] != 0.0 && run(i, n, &|j| z[j] * z[i].signum() > 0.0);
    for i in 0..z.len() {
        if z[i].abs() > 3.0 {
            flag(i, "beyond_3_sigma", side(z[i]));
        }
        match rules {
            Rules::BeyondLimits => {}
            Rules::WesternElectric => {
                if beyond(i, 3, 2, 2.0) {
                    flag(i, "two_of_three_beyond_2_sigma", side(z[i]));
                }
                if beyond(i, 5, 4, 1.0) {
                    flag(i, "four_of_five_beyond_1_sigma", side(z[i]));
                }
                if same_side(i, 8) {
                    flag(i, "eight_on_one_side", side(z[i]));
                }
            }
            Rules::Nelson => {
                if same_side(i, 9) {
                    flag(i, "nine_on_one_side", side(z[i]));
                }
                if run(i, 6, &|j| j + 6 == i + 1 || z[j] > z[j - 1]) {
                    flag(i, "six_increasing", "none");
                }
                if run(i, 6, &|j| j + 6 == i + 1 || z[j] < z[j - 1]) {
                    flag(i, "six_decreasing", "none");
                }
                if run(i, 14, &|j| {
                    j + 14 < i + 3 || (z[j] - z[j - 1]) * (z[j - 1] - z[j - 2]) < 0.0
                }) {
                    flag(i, "fourteen_alternating", "none");
                }
                if beyond(i, 3, 2, 2.0) {
                    flag(i, "two_of_three_beyond_2_sigma", side(z[i]));
                }
                if beyond(i, 5, 4, 1.0) {
                    flag(i, "four_of_five_beyond_1_sigma", side(z[i]));
                }
                if run(i, 15, &|j| z[j].abs() < 1.0) {
                    flag(i, "fifteen_within_1_sigma", "none");
                }
                if run(i, 8, &|j| z[j].abs() > 1.0)
                    && (i + 1 - 8..=i).any(|j| z[j] > 0.0)
                    && (i + 1 - 8..=i).any(|j| z[j] < 0.0)
                {
                    flag(i, "eight_beyond_1_sigma_both_sides", "none");
                }
            }
        }
    }
    out
}

/// The `control_chart` request (see [`crate::analytics::request`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlChartRequest {
    /// `individuals`, `xbar_r`, `p`, `ewma` or `cusum`.
    pub chart: String,
    #[serde(default)]
    pub values: Option<Vec<f64>>,
    #[serde(default)]
    pub subgroups: Option<Vec<Vec<f64>>>,
    #[serde(default)]
    pub defects: Option<Vec<f64>>,
    #[serde(default)]
    pub sizes: Option<Vec<f64>>,
    /// A known center (μ₀ or p₀); estimated from the data when absent.
    #[serde(default)]
    pub center: Option<f64>,
    /// A known σ of one value; estimated when absent.
    #[serde(default)]
    pub sigma: Option<f64>,
    #[serde(default)]
    pub rules: Rules,
    #[serde(default = "lambda")]
    pub lambda: f64,
    #[serde(default = "width")]
    pub l: f64,
    #[serde(default = "half")]
    pub k: f64,
    #[serde(default = "five")]
    pub h: f64,
}

fn lambda() -> f64 {
    0.2
}
fn width() -> f64 {
    3.0
}
fn half() -> f64 {
    0.5
}
fn five() -> f64 {
    5.0
}

impl ControlChartRequest {
    /// Draws the chart the request names.
    pub fn run(&self) -> Result<ControlChart> {
        let need = |v: &Option<Vec<f64>>, name: &str| {
            v.clone().ok_or_else(|| Error::MissingData {
                path: name.into(),
                what: format!("the {name} of a {} chart", self.chart),
            })
        };
        let shewhart_only = || {
            match self.rules {
            Rules::BeyondLimits => Ok(()),
            r => Err(Error::argument("rules", format!("{r:?}"), "apply to Shewhart charts (individuals, xbar_r, p); EWMA and CUSUM signal beyond their limits")),
        }
        };
        match self.chart.as_str() {
            "individuals" => individuals(
                &need(&self.values, "values")?,
                self.center,
                self.sigma,
                self.rules,
            ),
            "xbar_r" => {
                let groups = self
                    .subgroups
                    .as_deref()
                    .ok_or_else(|| Error::MissingData {
                        path: "subgroups".into(),
                        what: "the subgroups of an xbar_r chart".into(),
                    })?;
                xbar_r(groups, self.rules)
            }
            "p" => p_chart(
                &need(&self.defects, "defects")?,
                &need(&self.sizes, "sizes")?,
                self.center,
                self.rules,
            ),
            "ewma" => {
                shewhart_only()?;
                ewma(
                    &need(&self.values, "values")?,
                    self.lambda,
                    self.l,
                    self.center,
                    self.sigma,
                )
            }
            "cusum" => {
                shewhart_only()?;
                cusum(
                    &need(&self.values, "values")?,
                    self.k,
                    self.h,
                    self.center,
                    self.sigma,
                )
            }
            other => Err(Error::argument(
                "chart",
                other,
                crate::suggest::not_one_of(
                    other,
                    "a chart",
                    "charts",
                    &["individuals", "xbar_r", "p", "ewma", "cusum"],
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_are_montgomerys() {
        // Appendix VI: (n, A2, D3, D4), derived here from d₂ and d₃ as tabulated (3 decimals).
        for (n, a2, d3, d4) in [
            (2, 1.880, 0.0, 3.267),
            (5, 0.577, 0.0, 2.114),
            (7, 0.419, 0.076, 1.924),
            (10, 0.308, 0.223, 1.777),
            (25, 0.153, 0.459, 1.541),
        ] {
            let c = constants(n).unwrap();
            assert!((c.a2 - a2).abs() < 0.0025, "A2({n}) {}", c.a2);
            assert!((c.d3_lower - d3).abs() < 0.0025, "D3({n}) {}", c.d3_lower);
            assert!((c.d4_upper - d4).abs() < 0.0025, "D4({n}) {}", c.d4_upper);
        }
        assert!(constants(1).is_err() && constants(26).is_err());
    }

    #[test]
    fn d2_is_the_expected_range_of_normal_values() {
        // d₂(n) = ∫ 1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ dx, by the trapezoid rule.
        let phi = crate::analytics::stats::norm_cdf;
        for n in [2, 5, 10, 25] {
            let (a, b, steps) = (-8.0, 8.0, 16_000);
            let h = (b - a) / steps as f64;
            let d2: f64 = (0..=steps)
                .map(|i| {
                    let x = a + i as f64 * h;
                    let f = 1.0 - phi(x).powi(n) - (1.0 - phi(x)).powi(n);
                    if i == 0 || i == steps {
                        f / 2.0
                    } else {
                        f
                    }
                })
                .sum::<f64>()
                * h;
            assert!(
                (d2 - constants(n as usize).unwrap().d2).abs() < 6e-4,
                "d2({n}) = {d2}"
            );
        }
    }

    #[test]
    fn individuals_limits_by_hand() {
        // x̄ = 11, moving ranges 2, 1, 2, 4: MR̄ = 2.25, limits 11 ± 2.66 × 2.25.
        let c = individuals(
            &[10.0, 12.0, 11.0, 13.0, 9.0],
            None,
            None,
            Rules::BeyondLimits,
        )
        .unwrap();
        let half = 3.0 * 2.25 / 1.128;
        assert!((c.points[0].upper - (11.0 + half)).abs() < 1e-12);
        assert!((c.ranges[0].upper - 3.267 * 2.25).abs() < 5e-3);
        assert!(c.signals.is_empty());
    }

    #[test]
    fn p_chart_limits_vary_with_the_sample_size() {
        let c = p_chart(
            &[5.0, 10.0, 30.0],
            &[100.0, 400.0, 100.0],
            None,
            Rules::BeyondLimits,
        )
        .unwrap();
        let p: f64 = 45.0 / 600.0;
        assert!((c.points[1].upper - (p + 3.0 * (p * (1.0 - p) / 400.0).sqrt())).abs() < 1e-12);
        assert_eq!(
            c.points[0].lower,
            0.0f64.max(p - 3.0 * (p * (1.0 - p) / 100.0).sqrt())
        );
        // 10 of 400 (0.025) is below its lower limit 0.0355; 30 of 100 above its upper 0.154.
        let signals: Vec<_> = c
            .signals
            .iter()
            .map(|s| (s.index, s.side.as_str()))
            .collect();
        assert_eq!(signals, vec![(1, "low"), (2, "high")]);
    }

    #[test]
    fn ewma_and_cusum_by_hand() {
        // EWMA, λ = 0.5, μ₀ = 0, σ = 1: z = 0.5, 1.25; limit 3 √(1/3 (1 − 0.25)) = 1.5.
        let e = ewma(&[1.0, 2.0], 0.5, 3.0, Some(0.0), Some(1.0)).unwrap();
        assert_eq!((e.points[0].value, e.points[1].value), (0.5, 1.25));
        assert!((e.points[0].upper - 1.5).abs() < 1e-12);
        // CUSUM, k = 0.5, h = 1: C⁺ = 0.5, 2.0 (beyond 1 at index 1).
        let c = cusum(&[1.0, 2.0, -3.0], 0.5, 1.0, Some(0.0), Some(1.0)).unwrap();
        assert_eq!(
            c.points.iter().map(|p| p.value).collect::<Vec<_>>(),
            vec![0.5, 2.0, 0.0]
        );
        assert_eq!(c.lower_sums[2].value, 2.5);
        assert_eq!(
            c.signals
                .iter()
                .map(|s| (s.index, s.side.as_str()))
                .collect::<Vec<_>>(),
            vec![(1, "high"), (2, "low")]
        );
    }

    #[test]
    fn the_run_rules_fire_on_their_patterns() {
        let chart = |z: &[f64], rules| {
            let points: Vec<Point> = z
                .iter()
                .enumerate()
                .map(|(i, &v)| Point {
                    index: i,
                    value: v,
                    center: 0.0,
                    lower: -3.0,
                    upper: 3.0,
                })
                .collect();
            run_rules(&points, rules)
                .into_iter()
                .map(|s| (s.index, s.rule))
                .collect::<Vec<_>>()
        };
        let has = |got: &[(usize, String)], i: usize, rule: &str| {
            got.iter().any(|(j, r)| *j == i && r == rule)
        };
        let we = chart(&[0.1, 2.5, -0.5, 2.2], Rules::WesternElectric);
        assert!(
            has(&we, 3, "two_of_three_beyond_2_sigma")
                && !has(&we, 1, "two_of_three_beyond_2_sigma")
        );
        let we = chart(&[1.5, 1.2, 0.3, 1.1, 1.4], Rules::WesternElectric);
        assert!(has(&we, 4, "four_of_five_beyond_1_sigma"));
        let we = chart(&[0.2; 8], Rules::WesternElectric);
        assert!(has(&we, 7, "eight_on_one_side") && !has(&we, 6, "eight_on_one_side"));
        assert!(chart(&[0.2; 8], Rules::BeyondLimits).is_empty());
        let n = chart(&[-1.0, -0.8, -0.5, 0.1, 0.4, 0.9], Rules::Nelson);
        assert!(has(&n, 5, "six_increasing"));
        let alt: Vec<f64> = (0..14)
            .map(|i| if i % 2 == 0 { 0.5 } else { -0.5 })
            .collect();
        assert!(has(&chart(&alt, Rules::Nelson), 13, "fourteen_alternating"));
        assert!(has(
            &chart(&[0.1; 15], Rules::Nelson),
            14,
            "fifteen_within_1_sigma"
        ));
        let both = [1.5, -1.5, 1.2, -1.3, 1.4, -1.6, 1.1, -1.2];
        assert!(has(
            &chart(&both, Rules::Nelson),
            7,
            "eight_beyond_1_sigma_both_sides"
        ));
        assert!(has(&chart(&[3.5], Rules::Nelson), 0, "beyond_3_sigma"));
    }
}
