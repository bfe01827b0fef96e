//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
//!
//! While active, a customer buys at Poisson rate λ ~ Gamma(r, α); after every purchase they drop
//! out with probability p ~ Beta(a, b). The likelihood of `(x, t_x, T)` is
//! `B(a, b+x)/B(a, b) · Γ(r+x) α^r / Γ(r) · [(α+T)^−(r+x) + a/(b+x−1) · (α+t_x)^−(r+x) · 1{x>0}]`
//! (their equation 6), evaluated in log space.

use super::optimize::Objective;
use super::special::{digamma, hyp2f1_each, ln_beta, ln_gamma, ln_hyp2f1, log_add_exp};
use super::{Customers, PurchaseModel};
use serde::{Deserialize, Serialize};

/// Fitted BG/NBD parameters (`alpha` in the data's time unit).
///
/// ```
/// use journeystream::analytics::clv::{bgnbd::BgNbd, PurchaseModel};
/// // Fader, Hardie & Lee (2005), CDNOW: a customer with 2 repeat purchases, the last at week
/// // 30.43, observed for 38.86 weeks, is expected to make 1.226 purchases in the next 39.
/// let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/// let e = m.conditional_expected_purchases(39.0, 2.0, 30.43, 38.86);
/// assert!((e - 1.226).abs() < 1e-3, "{e}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// Parameter names, in order.
pub const PARAMS: [&str; 4] = ["r", "alpha", "a", "b"];

impl BgNbd {
    /// From the parameters in [`PARAMS`] order.
    pub fn from_slice(p: &[f64]) -> BgNbd {
        BgNbd {
            r: p[0],
            alpha: p[1],
            a: p[2],
            b: p[3],
        }
    }

    /// The parameters in [`PARAMS`] order.
    pub fn to_vec(&self) -> Vec<f64> {
        vec![self.r, self.alpha, self.a, self.b]
    }

    /// Log-likelihood of one customer's `(x, t_x, T)`.
    pub fn log_likelihood(&self, x: f64, tx: f64, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + t).ln();
        if x > 0.0 {
            let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + tx).ln();
            a1 + a2 + log_add_exp(a3, a4)
        } else {
            a1 + a2 + a3
        }
    }
}

impl PurchaseModel for BgNbd {
    fn conditional_expected_purchases(&self, t: f64, x: f64, tx: f64, big_t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let (ha, hb, hc) = (r + x, b + x, a + b + x - 1.0);
        let z = t / (alpha + big_t + t);
        let (ln_hyp, sign) = ln_hyp2f1(ha, hb, hc, z);
        let first = (a + b + x - 1.0) / (a - 1.0);
        let ln_ratio = (r + x) * ((alpha + big_t) / (alpha + t + big_t)).ln();
        let second = -(sign * (ln_hyp + ln_ratio).exp() - 1.0);
        let denominator = if x > 0.0 {
            1.0 + (a / (b + x - 1.0)) * ((alpha + big_t) / (alpha + tx)).powf(r + x)
        } else {
            1.0
        };
        first * second / denominator
    }

    fn conditional_expected_purchases_each(
        &self,
        ts: &[f64],
        x: f64,
        tx: f64,
        big_t: f64,
        out: &mut [f64],
    ) {
        // E[X(t)] = first · (1 − (1−z)^(r+x) ₂F₁(r+x, b+x; c; z)) / denominator with
        // z = t/(α+T+t), c = a+b+x−1. When c − (r+x) − (b+x) = a−1−r−x < 0 the series is summed
        // after Euler's transformation: (1−z)^(r+x) ₂F₁(r+x, b+x; c; z) =
        // (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z).
        let BgNbd { r, alpha, a, b } = *self;
        let c = a + b + x - 1.0;
        let first = c / (a - 1.0);
        let denominator = if x > 0.0 {
            1.0 + (a / (b + x - 1.0)) * ((alpha + big_t) / (alpha + tx)).powf(r + x)
        } else {
            1.0
        };
        let (fa, fb, power) = if a - 1.0 - r - x < 0.0 {
            (a + b - 1.0 - r, a - 1.0, a - 1.0)
        } else {
            (r + x, b + x, r + x)
        };
        let mut zs = [0.0; 16];
        let mut hyp = [(0.0, 0.0); 16];
        for (ts, out) in ts.chunks(16).zip(out.chunks_mut(16)) {
            let n = ts.len();
            for (z, t) in zs.iter_mut().zip(ts) {
                *z = t / (alpha + big_t + t);
            }
            hyp2f1_each(fa, fb, c, &zs[..n], &mut hyp[..n]);
            for j in 0..n {
                let (s, scale) = hyp[j];
                let ln_1_z = ((alpha + big_t) / (alpha + big_t + ts[j])).ln();
                out[j] = first * (1.0 - s * (scale + power * ln_1_z).exp()) / denominator;
            }
        }
    }

    fn probability_alive(&self, x: f64, tx: f64, big_t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let log_div = (r + x) * ((alpha + big_t) / (alpha + tx)).ln() + (a / (b + x - 1.0)).ln();
        1.0 / (1.0 + log_div.exp())
    }

    fn expected_purchases(&self, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let (ln_hyp, sign) = ln_hyp2f1(r, b, a + b - 1.0, t / (alpha + t));
        (a + b - 1.0) / (a - 1.0) * (1.0 - sign * (ln_hyp + r * (alpha / (alpha + t)).ln()).exp())
    }

    fn probability_of_purchases(&self, t: f64, n: u64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let nf = n as f64;
        let (lp, lq) = ((alpha / (alpha + t)).ln(), (t / (alpha + t)).ln());
        let term = |j: f64| ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0) + j * lq;
        let first = (ln_beta(a, b + nf) - ln_beta(a, b) + term(nf) + r * lp).exp();
        if n == 0 {
            return first;
        }
        let finite: f64 = (0..n).map(|j| term(j as f64).exp()).sum();
        let second = (ln_beta(a + 1.0, b + nf - 1.0) - ln_beta(a, b)).exp()
            * (1.0 - (r * lp).exp() * finite);
        first + second
    }
}

/// The penalised mean negative log-likelihood in log-parameters, on time-scaled data, as
/// lifetimes minimises it: `−Σ wᵢ ℓᵢ / Σ wᵢ + penalizer · Σ θ²`.
pub(crate) struct NegLogLik<'a> {
    pub data: &'a Customers<'a>,
    /// Time scale applied to recency and T (1 / max T).
    pub scale: f64,
    pub penalizer: f64,
    /// Distinct frequencies with their total weights.
    pub by_x: Vec<(f64, f64)>,
    /// Each customer's index into `by_x`.
    pub x_index: Vec<u32>,
    pub total_weight: f64,
}

impl<'a> NegLogLik<'a> {
    pub fn new(data: &'a Customers<'a>, scale: f64, penalizer: f64) -> NegLogLik<'a> {
        let (by_x, x_index) = data.by_frequency();
        let total_weight = by_x.iter().map(|v| v.1).sum();
        NegLogLik {
            data,
            scale,
            penalizer,
            by_x,
            x_index,
            total_weight,
        }
    }
}

impl Objective for NegLogLik<'_> {
    fn eval(&self, u: &[f64], g: &mut [f64]) -> f64 {
        let (r, alpha, a, b) = (u[0].exp(), u[1].exp(), u[2].exp(), u[3].exp());
        if ![r, alpha, a, b].iter().all(|v| v.is_finite() && *v > 0.0) {
            return f64::NAN;
        }
        // Terms depending on x only.
        let (mut ll, mut dr, mut dalpha, mut da, mut db) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let (lg_r, lg_b, lg_ab, dg_r, dg_b, dg_ab) = (
            ln_gamma(r),
            ln_gamma(b),
            ln_gamma(a + b),
            digamma(r),
            digamma(b),
            digamma(a + b),
        );
        for &(x, w) in &self.by_x {
            let a1 = ln_gamma(r + x) - lg_r + r * alpha.ln();
            let a2 = lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x);
            ll += w * (a1 + a2);
            let dg_abx = digamma(a + b + x);
            dr += w * (digamma(r + x) - dg_r + alpha.ln());
            dalpha += w * r / alpha;
            da += w * (dg_ab - dg_abx);
            db += w * (dg_ab + digamma(b + x) - dg_b - dg_abx);
        }
        // Terms per customer; ln(b + x − 1) by distinct x.
        let ln_bx: Vec<f64> = self.by_x.iter().map(|&(x, _)| (b + x - 1.0).ln()).collect();
        let inv_bx: Vec<f64> = self
            .by_x
            .iter()
            .map(|&(x, _)| 1.0 / (b + x - 1.0))
            .collect();
        let (s, ln_a) = (self.scale, a.ln());
        let d = self.data;
        let per = |i: usize| -> [f64; 5] {
            let (x, t) = (d.frequency[i], d.t[i] * s);
            let w = d.weight(i);
            let la_t = (alpha + t).ln();
            let a3 = -(r + x) * la_t;
            if x > 0.0 {
                let tx = d.recency[i] * s;
                let la_tx = (alpha + tx).ln();
                let a4 = ln_a - ln_bx[self.x_index[i] as usize] - (r + x) * la_tx;
                // ln(e^a3 + e^a4) = m + ln(1 + e^−|a3−a4|); the weights are the softmax.
                let (m, e) = if a3 >= a4 {
                    (a3, (a4 - a3).exp())
                } else {
                    (a4, (a3 - a4).exp())
                };
                let (big, small) = (1.0 / (1.0 + e), e / (1.0 + e));
                let (w3, w4) = if a3 >= a4 { (big, small) } else { (small, big) };
                [
                    w * (m + e.ln_1p()),
                    -w * (w3 * la_t + w4 * la_tx),
                    -w * (r + x) * (w3 / (alpha + t) + w4 / (alpha + tx)),
                    w * w4 / a,
                    -w * w4 * inv_bx[self.x_index[i] as usize],
                ]
            } else {
                [w * a3, -w * la_t, -w * (r + x) / (alpha + t), 0.0, 0.0]
            }
        };
        let sums = super::sum_over(d.len(), per);
        ll += sums[0];
        dr += sums[1];
        dalpha += sums[2];
        da += sums[3];
        db += sums[4];
        let n = self.total_weight;
        let theta = [r, alpha, a, b];
        let grads = [dr, dalpha, da, db];
        let mut value = -ll / n;
        for k in 0..4 {
            value += self.penalizer * theta[k] * theta[k];
            g[k] = theta[k] * (-grads[k] / n) + 2.0 * self.penalizer * theta[k] * theta[k];
        }
        value
    }
}
