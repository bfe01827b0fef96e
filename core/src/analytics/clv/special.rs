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

/// The Gauss series `₂F₁(a, b; c; z)` at every `z` of `zs` (each `0 ≤ z < 1`) for one
/// `(a, b, c)`, its coefficients computed once for all of them (a customer's lifetime value
/// evaluates one ₂F₁ at each month of its horizon). Each result is `(s, scale)` with
/// `₂F₁ = s · e^scale` (rescaled so that it neither overflows nor underflows); no transformation
/// is applied, so give parameters whose series converges well (see [`ln_hyp2f1`]).
///
/// ```
/// use journeystream::analytics::clv::special::{hyp2f1_each, ln_hyp2f1};
/// let zs = [0.0, 0.1, 0.5, 0.9];
/// let mut out = [(0.0, 0.0); 4];
/// hyp2f1_each(1.2, 3.5, 5.0, &zs, &mut out);
/// for (z, (s, scale)) in zs.iter().zip(out) {
///     let (ln, sign) = ln_hyp2f1(1.2, 3.5, 5.0, *z);
///     assert!((scale + s.ln() - ln).abs() < 1e-12 && sign == 1.0);
/// }
/// ```
pub fn hyp2f1_each(a: f64, b: f64, c: f64, zs: &[f64], out: &mut [(f64, f64)]) {
    assert_eq!(zs.len(), out.len(), "one result per z");
    for (zs, out) in zs.chunks(LANES).zip(out.chunks_mut(LANES)) {
        let mut z = [0.0; LANES];
        z[..zs.len()].copy_from_slice(zs);
        let lanes = series_lanes(a, b, c, z);
        out.copy_from_slice(&lanes[..zs.len()]);
    }
}

const LANES: usize = 4;

/// The series at `LANES` `z`s at once, as [`series`] sums it at one, every lane updated each
/// step (so the loop vectorises) until all have converged.
fn series_lanes(a: f64, b: f64, c: f64, z: [f64; LANES]) -> [(f64, f64); LANES] {
    let (mut s, mut term, mut scale) = ([1.0f64; LANES], [1.0f64; LANES], [0.0f64; LANES]);
    let z2 = z.map(|z| z * z);
    let mut k = 0.0f64;
    loop {
        // Eight terms between checks (they cannot grow past f64 from 1e250 in eight), two per
        // division, their coefficients shared by every z.
        for _ in 0..4 {
            let (ak, bk, ck, k1) = (a + k, b + k, c + k, k + 1.0);
            let (n1, d1) = (ak * bk, ck * k1);
            let (n2, d2) = ((ak + 1.0) * (bk + 1.0), (ck + 1.0) * (k1 + 1.0));
            let inv = 1.0 / (d1 * d2);
            let (first, both) = (n1 * d2 * inv, n1 * n2 * inv);
            for j in 0..LANES {
                let t1 = term[j] * first * z[j];
                term[j] *= both * z2[j];
                s[j] += t1 + term[j];
            }
            k += 2.0;
        }
        if (0..LANES).any(|j| s[j].abs() > 1e250 || term[j].abs() > 1e250) {
            for j in 0..LANES {
                let f = s[j].abs().max(term[j].abs()).max(1.0);
                s[j] /= f;
                term[j] /= f;
                scale[j] += f.ln();
            }
        }
        // Terms grow while (a+k)(b+k)z > (c+k)(k+1); stop once every lane's shrink below
        // precision.
        let (grow, shrink) = ((a + k) * (b + k), (c + k) * (k + 1.0));
        let converged = (0..LANES).all(|j| {
            term[j] == 0.0 || (term[j].abs() <= 1e-17 * s[j].abs() && grow * z[j] < shrink)
        });
        if converged || k > 1e7 {
            break;
        }
    }
    std::array::from_fn(|j| (s[j], scale[j]))
}

fn series(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    let [(s, scale), ..] = series_lanes(a, b, c, [z, 0.0, 0.0, 0.0]);
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
    fn hyp2f1_each_equals_one_at_a_time() {
        // Large parameters (rescaling), z = 0, and more z than one chunk.
        let zs: Vec<f64> = (0..40).map(|m| m as f64 / 40.5).collect();
        for &(a, b, c) in &[(0.24, 2.4, 3.2), (120.24, 122.4, 242.2), (2.0, -0.2, 1.5)] {
            let mut out = vec![(0.0, 0.0); zs.len()];
            hyp2f1_each(a, b, c, &zs, &mut out);
            for (z, (s, scale)) in zs.iter().zip(&out) {
                let want = series(a, b, c, *z);
                let got = (scale + s.abs().ln(), s.signum());
                assert!(
                    (got.0 - want.0).abs() < 1e-11 * want.0.abs().max(1.0) && got.1 == want.1,
                    "{a} {b} {c} {z}: {got:?} {want:?}"
                );
            }
        }
    }

    #[test]
    fn digamma_recurrence() {
        for &x in &[0.1, 0.7, 3.3, 12.0, 150.5] {
            assert!((digamma(x + 1.0) - digamma(x) - 1.0 / x).abs() < 1e-12);
        }
    }
}
