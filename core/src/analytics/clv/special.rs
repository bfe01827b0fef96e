//! Special functions of the lifetime-value models, in log space where they can overflow.

/// `ln Γ(x)` for `x > 0`.
///
/// ```
/// use journeystream::analytics::clv::special::ln_gamma;
/// assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
/// ```
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma_r(x).0
}

/// The digamma function `ψ(x) = d ln Γ(x) / dx` for `x > 0` (recurrence up to 10, then the
/// asymptotic series; about 1e-15 relative).
///
/// ```
/// use journeystream::analytics::clv::special::digamma;
/// assert!((digamma(1.0) + 0.5772156649015329).abs() < 1e-13);
/// ```
pub fn digamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 * (5.0 / 660.0)))));
    shift + x.ln() - 0.5 * inv - series
}

/// `ln B(a, b)`.
///
/// ```
/// use journeystream::analytics::clv::special::ln_beta;
/// assert!((ln_beta(2.0, 3.0) - (1.0f64 / 12.0).ln()).abs() < 1e-12);
/// ```
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// `ln(e^a + e^b)` without overflow.
///
/// ```
/// use journeystream::analytics::clv::special::log_add_exp;
/// assert!((log_add_exp(1000.0, 1000.0) - (1000.0 + 2f64.ln())).abs() < 1e-12);
/// ```
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// `ln(e^a − e^b)` for `a ≥ b` (NaN when `a < b`).
///
/// ```
/// use journeystream::analytics::clv::special::log_sub_exp;
/// assert!((log_sub_exp(3f64.ln(), 1f64.ln()) - 2f64.ln()).abs() < 1e-12);
/// ```
pub fn log_sub_exp(a: f64, b: f64) -> f64 {
    if b == f64::NEG_INFINITY {
        return a;
    }
    a + (-(b - a).exp()).ln_1p()
}

/// `ln |₂F₁(a, b; c; z)|` and its sign, for `0 ≤ z < 1` and `c` not a non-positive integer, by
/// the Gauss series summed with rescaling (so it neither overflows nor underflows). When
/// `c − a − b < 0` and `z` is near 1 the series is summed after Euler's transformation
/// `₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z)`, whose terms shrink faster.
///
/// ```
/// use journeystream::analytics::clv::special::ln_hyp2f1;
/// // 2F1(1, 1; 2; z) = -ln(1 - z) / z
/// let z = 0.5f64;
/// let (ln, sign) = ln_hyp2f1(1.0, 1.0, 2.0, z);
/// assert_eq!(sign, 1.0);
/// assert!((ln.exp() - (-(1.0 - z).ln() / z)).abs() < 1e-14);
/// ```
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    if z == 0.0 {
        return (0.0, 1.0);
    }
    let d = c - a - b;
    if d < 0.0 && z > 0.5 {
        let (ln, sign) = series(c - a, c - b, c, z);
        return (ln + d * (-z).ln_1p(), sign);
    }
    series(a, b, c, z)
}

fn series(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    // sum = e^scale * s; the term carries the same scale.
    let (mut s, mut term, mut scale) = (1.0f64, 1.0f64, 0.0f64);
    let mut k = 0.0f64;
    loop {
        // Two terms per division.
        let (ak, bk, ck, k1) = (a + k, b + k, c + k, k + 1.0);
        let (n1, d1) = (ak * bk * z, ck * k1);
        let (n2, d2) = ((ak + 1.0) * (bk + 1.0) * z, (ck + 1.0) * (k1 + 1.0));
        let inv = 1.0 / (d1 * d2);
        let t1 = term * n1 * d2 * inv;
        term = term * n1 * n2 * inv;
        k += 2.0;
        s += t1 + term;
        if s.abs() > 1e250 || term.abs() > 1e250 {
            let f = s.abs().max(term.abs());
            s /= f;
            term /= f;
            scale += f.ln();
        }
        // Terms grow while (a+k)(b+k)z > (c+k)(k+1); stop once they shrink below precision.
        let shrinking = (a + k) * (b + k) * z < (c + k) * (k + 1.0);
        if (term.abs() <= 1e-17 * s.abs() && shrinking) || term == 0.0 || k > 1e7 {
            break;
        }
    }
    (scale + s.abs().ln(), s.signum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // 2F1(a, b; b; z) = (1 - z)^-a
        for &(a, b, z) in &[(0.5, 2.0, 0.3), (3.0, 1.5, 0.95), (250.0, 40.0, 0.9)] {
            let (ln, sign) = ln_hyp2f1(a, b, b, z);
            assert_eq!(sign, 1.0);
            let want = -a * (1.0f64 - z).ln();
            assert!(
                (ln - want).abs() < 1e-12 * want.abs().max(1.0),
                "{a} {b} {z}: {ln} {want}"
            );
        }
        // Euler's branch: c - a - b < 0.
        let (ln, _) = ln_hyp2f1(2.0, 3.0, 1.5, 0.9);
        let (direct, _) = series(2.0, 3.0, 1.5, 0.9);
        assert!((ln - direct).abs() < 1e-11, "{ln} {direct}");
    }

    #[test]
    fn digamma_recurrence() {
        for &x in &[0.1, 0.7, 3.3, 12.0, 150.5] {
            assert!((digamma(x + 1.0) - digamma(x) - 1.0 / x).abs() < 1e-12);
        }
    }
}
