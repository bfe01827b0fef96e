//! Statistics behind the customer KPIs: normal quantiles and tail probabilities, intervals for
//! proportions (Wilson), for a net score such as the NPS (Wald and adjusted Wald), for the
//! difference of two proportions (Newcombe), the two-proportion z-test, percentiles and a seeded
//! percentile bootstrap.
//!
//! - [`norm_ppf`]: Wichura's algorithm AS 241 (PPND16, *Applied Statistics* 37, 1988), about 16
//!   significant digits over (0, 1). [`norm_cdf`] / [`norm_sf`] go through `erfc` (the `libm`
//!   port of musl's, under 1 ulp), so tail probabilities keep their relative accuracy.
//! - [`wilson`]: the Wilson score interval, as `statsmodels.stats.proportion.proportion_confint(…,
//!   method="wilson")`.
//! - [`net_score`]: a difference of two multinomial shares `p₊ − p₋` with
//!   `Var = (p₊ + p₋ − (p₊ − p₋)²) / n`; the adjusted Wald interval adds ¾ to each of the two
//!   classes and 3 to `n` before computing it (Rocks 2016, "Interval estimation for the 'net
//!   promoter score'", *The American Statistician* 70(4)).
//! - [`newcombe`]: Newcombe's hybrid score interval for `p₁ − p₂` (method 10 of Newcombe 1998),
//!   statsmodels' `confint_proportions_2indep(method="newcomb")`.
//! - [`two_proportion_z`]: the pooled z-test, statsmodels' `proportions_ztest` with its defaults.
//! - [`percentile`]: linear interpolation between order statistics (numpy's default, Hyndman and
//!   Fan type 7).
//!
//! ```
//! use journeystream::analytics::stats::{norm_ppf, wilson};
//! assert!((norm_ppf(0.975) - 1.959963984540054).abs() < 1e-15);
//! let (low, high) = wilson(8, 10, norm_ppf(0.975));
//! assert!((low - 0.4901625).abs() < 1e-7 && (high - 0.9433178).abs() < 1e-7);
//! ```

use crate::error::{Error, Result};
use rayon::prelude::*;

/// The standard normal quantile: `x` with `P(Z ≤ x) = p` (−∞ at 0, +∞ at 1, NaN outside [0, 1]).
///
/// ```
/// use journeystream::analytics::stats::norm_ppf;
/// assert_eq!(norm_ppf(0.5), 0.0);
/// assert!((norm_ppf(0.05) + 1.6448536269514722).abs() < 1e-15);
/// ```
pub fn norm_ppf(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&AS241_A, r) / poly(&AS241_B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&AS241_C, r) / poly(&AS241_D, r)
    } else {
        let r = r - 5.0;
        poly(&AS241_E, r) / poly(&AS241_F, r)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// Horner's rule, coefficients from the constant term up.
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

// The coefficients of AS 241 (PPND16), with the digits published.
#[allow(clippy::excessive_precision)]
const AS241_A: [f64; 8] = [
    3.387_132_872_796_366_608,
    1.331_416_678_917_843_774_5e2,
    1.971_590_950_306_551_442_7e3,
    1.373_169_376_550_946_112_5e4,
    4.592_195_393_154_987_145_7e4,
    6.726_577_092_700_870_085_3e4,
    3.343_057_558_358_812_810_5e4,
    2.509_080_928_730_122_672_7e3,
];
#[allow(clippy::excessive_precision)]
const AS241_B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091_125_2e1,
    6.871_870_074_920_579_083e2,
    5.394_196_021_424_751_107_7e3,
    2.121_379_430_158_659_586_7e4,
    3.930_789_580_009_271_061e4,
    2.872_908_573_572_194_267_4e4,
    5.226_495_278_852_854_561e3,
];
#[allow(clippy::excessive_precision)]
const AS241_C: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    2.417_807_251_774_506_117_7e-1,
    2.272_384_498_926_918_458_33e-2,
    7.745_450_142_783_414_076_4e-4,
];
#[allow(clippy::excessive_precision)]
const AS241_D: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    6.897_673_349_851_000_045_5e-1,
    1.481_039_764_274_800_745_9e-1,
    1.519_866_656_361_645_719_66e-2,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
#[allow(clippy::excessive_precision)]
const AS241_E: [f64; 8] = [
    6.657_904_643_501_103_777_20,
    5.463_784_911_164_114_369_90,
    1.784_826_539_917_291_335_80,
    2.965_605_718_285_048_912_30e-1,
    2.653_218_952_657_612_309_30e-2,
    1.242_660_947_388_078_438_60e-3,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
#[allow(clippy::excessive_precision)]
const AS241_F: [f64; 8] = [
    1.0,
    5.998_322_065_558_879_376_90e-1,
    1.369_298_809_227_358_053_10e-1,
    1.487_536_129_085_061_485_25e-2,
    7.868_691_311_456_132_591_00e-4,
    1.846_318_317_510_054_681_80e-5,
    1.421_511_758_316_445_888_70e-7,
    2.044_263_103_389_939_785_64e-15,
];

/// `P(Z ≤ x)` for a standard normal `Z`.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// `P(Z > x)`, accurate far into the tail (no `1 − cdf` cancellation).
pub fn norm_sf(x: f64) -> f64 {
    0.5 * libm::erfc(x / std::f64::consts::SQRT_2)
}

/// The two-sided critical value of a confidence level: `z` with `P(|Z| ≤ z) = confidence`.
/// Errors unless `0 < confidence < 1`.
pub fn z_for(confidence: f64) -> Result<f64> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(Error::argument(
            "confidence",
            confidence,
            "must be between 0 and 1 (exclusive), e.g. 0.95",
        ));
    }
    Ok(-norm_ppf((1.0 - confidence) / 2.0))
}

/// Checks a significance level: `0 < alpha < 1`.
pub fn check_alpha(alpha: f64) -> Result<f64> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(alpha)
    } else {
        Err(Error::argument(
            "alpha",
            alpha,
            "must be between 0 and 1 (exclusive), e.g. 0.05",
        ))
    }
}

/// The Wilson score interval of `successes` out of `n > 0` at critical value `z`.
pub fn wilson(successes: u64, n: u64, z: f64) -> (f64, f64) {
    let (x, n) = (successes as f64, n as f64);
    let p = x / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // Exactly 0 (1) with no successes (failures), where rounding would leave 1e-17.
    let low = if successes == 0 {
        0.0
    } else {
        (center - half).max(0.0)
    };
    let high = if x == n {
        1.0
    } else {
        (center + half).min(1.0)
    };
    (low, high)
}

/// Which interval a net score (NPS) gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetInterval {
    /// Adjusted Wald (Rocks 2016): ¾ added to each of the two classes, 3 to `n`.
    #[default]
    AdjustedWald,
    /// Wald: the estimate ± z × its standard error.
    Wald,
}

/// A net score `p₊ − p₋` of a sample: the estimate, its standard error and interval (all on the
/// −1..1 scale; the interval clipped to it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetScore {
    /// `p₊ − p₋` of the sample as it is.
    pub value: f64,
    /// The standard error of the interval's method.
    pub standard_error: f64,
    /// The interval.
    pub low: f64,
    pub high: f64,
}

/// The net score of `plus` and `minus` out of `n > 0` with its interval at critical value `z`.
/// The standard error is that of the interval's method (adjusted counts for the adjusted Wald).
pub fn net_score(plus: u64, minus: u64, n: u64, z: f64, method: NetInterval) -> NetScore {
    let value = (plus as f64 - minus as f64) / n as f64;
    let (add, add_n) = match method {
        NetInterval::AdjustedWald => (0.75, 3.0),
        NetInterval::Wald => (0.0, 0.0),
    };
    let n_adj = n as f64 + add_n;
    let (pp, pm) = ((plus as f64 + add) / n_adj, (minus as f64 + add) / n_adj);
    let center = pp - pm;
    let standard_error = net_variance(pp, pm, n_adj).sqrt();
    NetScore {
        value,
        standard_error,
        low: (center - z * standard_error).max(-1.0),
        high: (center + z * standard_error).min(1.0),
    }
}

/// `Var(p₊ − p₋) = (p₊ + p₋ − (p₊ − p₋)²) / n` for multinomial shares of one sample of `n`.
pub fn net_variance(plus_share: f64, minus_share: f64, n: f64) -> f64 {
    ((plus_share + minus_share - (plus_share - minus_share).powi(2)) / n).max(0.0)
}

/// Newcombe's hybrid score interval for `p₁ − p₂` (`x₁/n₁ − x₂/n₂`), from the two Wilson
/// intervals at the same `z`.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let (l1, u1) = wilson(x1, n1, z);
    let (l2, u2) = wilson(x2, n2, z);
    let d = p1 - p2;
    (
        d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
        d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
    )
}

/// The pooled two-proportion z-test of `x₁/n₁ = x₂/n₂`: `(z, two-sided p)`, with
/// `z = (p₁ − p₂) / √(p(1 − p)(1/n₁ + 1/n₂))`, `p` the pooled share. None when the pooled share is
/// 0 or 1 (no variance: statsmodels gives NaN there).
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<(f64, f64)> {
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1f + n2f);
    let variance = pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f);
    if variance <= 0.0 || !variance.is_finite() {
        return None;
    }
    let z = (x1 as f64 / n1f - x2 as f64 / n2f) / variance.sqrt();
    Some((z, two_sided_p(z)))
}

/// The two-sided p-value of a standard normal statistic.
pub fn two_sided_p(z: f64) -> f64 {
    (2.0 * norm_sf(z.abs())).min(1.0)
}

/// The `q` quantile (0 ≤ q ≤ 1) of sorted values, interpolating linearly between order
/// statistics (numpy's default). None for no values.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The `q` quantile of unsorted values, by selection (values are reordered).
pub fn select_percentile(values: &mut [f64], q: f64) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let (_, &mut a, rest) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let b = if lo + 1 < n {
        rest.iter().copied().fold(f64::INFINITY, f64::min)
    } else {
        a
    };
    Some(a + (h - lo as f64) * (b - a))
}

/// Mean and sample standard deviation (n − 1; none below two values), by Welford's method.
pub fn mean_stdev(values: &[f64]) -> (f64, Option<f64>) {
    let mut m = Moments::default();
    for &v in values {
        m.push(v);
    }
    (m.mean, m.stdev())
}

/// Count, mean and sum of squared deviations: a mergeable summary of numbers (Chan et al.).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    /// Values.
    pub n: u64,
    /// Their mean.
    pub mean: f64,
    /// Σ (x − mean)².
    pub m2: f64,
}

impl Moments {
    /// Adds one value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// The summary of both inputs.
    pub fn merge(self, o: Moments) -> Moments {
        if o.n == 0 {
            return self;
        }
        if self.n == 0 {
            return o;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        Moments {
            n,
            mean: self.mean + d * o.n as f64 / n as f64,
            m2: self.m2 + o.m2 + d * d * (self.n as f64 * o.n as f64 / n as f64),
        }
    }

    /// Sample variance (n − 1); none below two values.
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).max(0.0))
    }

    /// Sample standard deviation; none below two values.
    pub fn stdev(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }
}

/// splitmix64 (Steele, Lea and Flood 2014): the seeded generator of the bootstrap.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift, bias below 2⁻³²  for n < 2³²).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// A statistic of a sample that the bootstrap recomputes on resamples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    /// The arithmetic mean.
    Mean,
    /// The `q` quantile (0..1), interpolated as [`percentile`].
    Quantile(f64),
}

impl Statistic {
    /// The statistic of the values (reordered in place for quantiles). None for no values.
    pub fn of(self, values: &mut [f64]) -> Option<f64> {
        match self {
            Statistic::Mean => {
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            }
            Statistic::Quantile(q) => select_percentile(values, q),
        }
    }
}

/// The result of a percentile bootstrap of `statistic(after) − statistic(before)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// The statistic of `after` − that of `before`, on the samples as they are.
    pub difference: f64,
    /// The percentile interval.
    pub low: f64,
    pub high: f64,
    /// Two-sided: twice the smaller share of resampled differences on either side of zero,
    /// at most 1.
    pub p_value: f64,
}

/// Percentile bootstrap of the difference of a statistic between two independent samples (both
/// non-empty): `resamples` times, each sample is resampled with replacement and the difference
/// recomputed; the interval is the `(1 ± confidence)/2` percentiles of those differences.
/// Deterministic for a seed, whatever the number of threads (resample `i` draws from its own
/// generator seeded from `seed` and `i`).
pub fn bootstrap_difference(
    before: &[f64],
    after: &[f64],
    statistic: Statistic,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Bootstrap {
    let mut b = before.to_vec();
    let mut a = after.to_vec();
    let difference = statistic.of(&mut a).unwrap_or(0.0) - statistic.of(&mut b).unwrap_or(0.0);
    let mut diffs: Vec<f64> = (0..resamples)
        .into_par_iter()
        .map_init(
            || {
                (
                    Vec::with_capacity(before.len()),
                    Vec::with_capacity(after.len()),
                )
            },
            |(rb, ra), i| {
                let mut rng = Rng::new(seed ^ Rng::new(i as u64).next_u64());
                let mut draw = |from: &[f64], into: &mut Vec<f64>| {
                    into.clear();
                    into.extend((0..from.len()).map(|_| from[rng.below(from.len())]));
                };
                draw(before, rb);
                draw(after, ra);
                statistic.of(ra).unwrap_or(0.0) - statistic.of(rb).unwrap_or(0.0)
            },
        )
        .collect();
    diffs.sort_unstable_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    let below = diffs.iter().filter(|&&d| d <= 0.0).count() as f64;
    let above = diffs.iter().filter(|&&d| d >= 0.0).count() as f64;
    let r = resamples.max(1) as f64;
    Bootstrap {
        difference,
        low: percentile(&diffs, tail).unwrap_or(difference),
        high: percentile(&diffs, 1.0 - tail).unwrap_or(difference),
        p_value: (2.0 * below.min(above) / r).min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    /// The values against scipy are in core/tests/kpi_peers.rs; here the edges.
    #[test]
    fn inverse_normal_edges() {
        assert_eq!(norm_ppf(0.5), 0.0);
        assert_eq!(norm_ppf(0.0), f64::NEG_INFINITY);
        assert_eq!(norm_ppf(1.0), f64::INFINITY);
        assert!(norm_ppf(1.5).is_nan() && norm_ppf(f64::NAN).is_nan());
    }

    #[test]
    fn inverse_normal_inverts_the_cdf() {
        for i in 1..2000 {
            let p = i as f64 / 2000.0;
            assert!(close(norm_cdf(norm_ppf(p)), p, 1e-14), "{p}");
        }
        for e in 1..300 {
            let p = 10f64.powi(-e);
            assert!(close(norm_cdf(norm_ppf(p)), p, 1e-12), "1e-{e}");
        }
        // The tail keeps relative accuracy: P(Z > 10) = 7.61985302416047e-24 (scipy).
        assert!(close(norm_sf(10.0), 7.61985302416047e-24, 1e-13));
        assert!(close(norm_cdf(-1.959963984540054), 0.025, 1e-15));
    }

    #[test]
    fn critical_values_and_their_errors() {
        assert!(close(z_for(0.95).unwrap(), 1.959963984540054, 1e-15));
        assert!(close(z_for(0.90).unwrap(), 1.6448536269514722, 1e-15));
        assert!(close(z_for(0.99).unwrap(), 2.5758293035489004, 1e-15));
        for bad in [0.0, 1.0, 95.0, -0.5, f64::NAN] {
            let e = z_for(bad).unwrap_err();
            assert!(e.to_string().contains("confidence"), "{e}");
        }
        assert!(check_alpha(0.0).is_err() && check_alpha(0.05).is_ok());
    }

    /// Hand computation: 8 of 10 at z = 1.96: center (0.8 + 0.19208) / 1.38416 = 0.716738,
    /// half 1.96 / 1.38416 × √(0.016 + 0.0096040) = 0.226581.
    #[test]
    fn wilson_by_hand_and_at_the_edges() {
        let (l, h) = wilson(8, 10, 1.96);
        assert!(close(l, 0.716738 - 0.226581, 2e-6) && close(h, 0.716738 + 0.226581, 2e-6));
        let (l, h) = wilson(0, 10, 1.96);
        assert_eq!(l, 0.0);
        assert!(close(h, 3.8416 / 13.8416, 1e-12)); // z²/(n + z²)
        let (l, h) = wilson(10, 10, 1.96);
        assert!(close(l, 10.0 / 13.8416, 1e-12) && h == 1.0);
    }

    /// Hand computation: 50 promoters, 30 passives, 20 detractors of 100: NPS 0.30,
    /// Var = (0.5 + 0.2 − 0.09) / 100 = 0.0061. Adjusted: 50.75 and 20.75 of 103.
    #[test]
    fn net_score_wald_and_adjusted() {
        let w = net_score(50, 20, 100, 1.96, NetInterval::Wald);
        assert!(close(w.value, 0.3, 1e-15) && close(w.standard_error, 0.0061f64.sqrt(), 1e-14));
        assert!(close(w.low, 0.3 - 1.96 * 0.0061f64.sqrt(), 1e-14));
        let a = net_score(50, 20, 100, 1.96, NetInterval::AdjustedWald);
        let (pp, pd) = (50.75 / 103.0, 20.75 / 103.0);
        let se = ((pp + pd - (pp - pd) * (pp - pd)) / 103.0f64).sqrt();
        assert!(close(a.value, 0.3, 1e-15) && close(a.standard_error, se, 1e-14));
        assert!(close(a.high, pp - pd + 1.96 * se, 1e-14));
        // All promoters: the Wald interval collapses, the adjusted one does not; both stay in -1..1.
        let w = net_score(10, 0, 10, 1.96, NetInterval::Wald);
        assert_eq!((w.low, w.high, w.standard_error), (1.0, 1.0, 0.0));
        let a = net_score(10, 0, 10, 1.96, NetInterval::AdjustedWald);
        assert!(a.low < 1.0 && a.high <= 1.0);
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&v, 0.5), Some(2.5));
        assert_eq!(percentile(&v, 0.9), Some(3.7)); // numpy.percentile([1,2,3,4], 90) = 3.7
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&v, 1.0), Some(4.0));
        assert_eq!(percentile(&[], 0.5), None);
        let mut u = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(select_percentile(&mut u, 0.9), Some(3.7));
        let mut one = [7.0];
        assert_eq!(select_percentile(&mut one, 0.9), Some(7.0));
    }

    #[test]
    fn moments_merge_like_one_pass() {
        let v: Vec<f64> = (0..100).map(|i| (i * 37 % 11) as f64 + 0.25).collect();
        let mut whole = Moments::default();
        v.iter().for_each(|&x| whole.push(x));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        v[..37].iter().for_each(|&x| a.push(x));
        v[37..].iter().for_each(|&x| b.push(x));
        let m = a.merge(b);
        assert_eq!(m.n, whole.n);
        assert!(close(m.mean, whole.mean, 1e-14) && close(m.m2, whole.m2, 1e-12));
        let (mean, sd) = mean_stdev(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(mean, 5.0);
        assert!(close(sd.unwrap(), (32.0f64 / 7.0).sqrt(), 1e-15));
    }

    #[test]
    fn bootstrap_is_seeded_and_finds_a_shift() {
        let before: Vec<f64> = (0..200).map(|i| (i % 10) as f64).collect();
        let after: Vec<f64> = before.iter().map(|x| x + 3.0).collect();
        let run = |seed| bootstrap_difference(&before, &after, Statistic::Mean, 500, 0.95, seed);
        assert_eq!(run(7), run(7));
        let b = run(7);
        assert!(close(b.difference, 3.0, 1e-12));
        assert!(b.low > 2.0 && b.high < 4.0 && b.p_value == 0.0, "{b:?}");
        let same = bootstrap_difference(&before, &before, Statistic::Quantile(0.5), 500, 0.95, 1);
        assert!(
            same.low <= 0.0 && same.high >= 0.0 && same.p_value > 0.05,
            "{same:?}"
        );
    }
}
