//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; Fader & Hardie's note 008).
//!
//! While active, a customer buys at Poisson rate λ ~ Gamma(r, α) and stays active for an
//! exponential lifetime with rate μ ~ Gamma(s, β). The likelihood involves
//! `A₀ = [₂F₁(r+s+x, t; r+s+x+1; |α−β|/(m+t_x)) (m+T)^(r+s+x) − ₂F₁(…; |α−β|/(m+T)) (m+t_x)^(r+s+x)]
//! / ((m+t_x)(m+T))^(r+s+x)` (`m` = max(α, β)), evaluated as a difference of logarithms.
//! The gradient of the fit is by central differences.

use super::optimize::Objective;
use super::special::{ln_beta, ln_gamma, ln_hyp2f1, log_add_exp, log_sub_exp};
use super::{sum_over, Customers, PurchaseModel};
use serde::{Deserialize, Serialize};

/// Fitted Pareto/NBD parameters (`alpha`, `beta` in the data's time unit).
///
/// ```
/// use journeystream::analytics::clv::{pareto_nbd::ParetoNbd, PurchaseModel};
/// let m = ParetoNbd { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
/// let alive = m.probability_alive(2.0, 30.43, 38.86);
/// assert!(alive > 0.0 && alive < 1.0);
/// assert_eq!(m.probability_alive(0.0, 0.0, 0.0), 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbd {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// Parameter names, in order.
pub const PARAMS: [&str; 4] = ["r", "alpha", "s", "beta"];

impl ParetoNbd {
    /// From the parameters in [`PARAMS`] order.
    pub fn from_slice(p: &[f64]) -> ParetoNbd {
        ParetoNbd {
            r: p[0],
            alpha: p[1],
            s: p[2],
            beta: p[3],
        }
    }

    /// The parameters in [`PARAMS`] order.
    pub fn to_vec(&self) -> Vec<f64> {
        vec![self.r, self.alpha, self.s, self.beta]
    }

    /// `ln A₀`.
    fn ln_a0(&self, x: f64, tx: f64, big_t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let (lo, hi, t) = if alpha < beta {
            (alpha, beta, r + x)
        } else {
            (beta, alpha, s + 1.0)
        };
        let d = hi - lo;
        let rsf = r + s + x;
        let (q1, q2) = (hi + tx, hi + big_t);
        let (p1, _) = ln_hyp2f1(rsf, t, rsf + 1.0, d / q1);
        let (p2, _) = ln_hyp2f1(rsf, t, rsf + 1.0, d / q2);
        log_sub_exp(p1 + rsf * q2.ln(), p2 + rsf * q1.ln()) - rsf * (q1 * q2).ln()
    }

    /// Log-likelihood of one customer's `(x, t_x, T)`.
    pub fn log_likelihood(&self, x: f64, tx: f64, big_t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let a2 = log_add_exp(
            -(r + x) * (alpha + big_t).ln() - s * (beta + big_t).ln(),
            s.ln() + self.ln_a0(x, tx, big_t) - (r + s + x).ln(),
        );
        a1 + a2
    }
}

impl PurchaseModel for ParetoNbd {
    fn conditional_expected_purchases(&self, t: f64, x: f64, tx: f64, big_t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let ll = self.log_likelihood(x, tx, big_t);
        let first = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln()
            - (r + x) * (alpha + big_t).ln()
            - s * (beta + big_t).ln();
        let second = (r + x).ln() + (beta + big_t).ln() - (alpha + big_t).ln();
        let third = ((1.0 - ((beta + big_t) / (beta + big_t + t)).powf(s - 1.0)) / (s - 1.0)).ln();
        (first + second + third - ll).exp()
    }

    fn probability_alive(&self, x: f64, tx: f64, big_t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let ln_a0 = self.ln_a0(x, tx, big_t);
        1.0 / (1.0
            + (s.ln() - (r + s + x).ln()
                + (r + x) * (alpha + big_t).ln()
                + s * (beta + big_t).ln()
                + ln_a0)
                .exp())
    }

    fn expected_purchases(&self, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        r * beta / (alpha * (s - 1.0)) * (1.0 - (beta / (beta + t)).powf(s - 1.0))
    }

    fn probability_of_purchases(&self, t: f64, n: u64) -> f64 {
        self.conditional_probability_of_purchases(t, n, 0.0, 0.0, 0.0)
    }
}

impl ParetoNbd {
    /// Probability of `n` purchases in the next `t` periods of a customer with `(x, t_x, T)`
    /// (Fader & Hardie's note 027; `lifetimes`' `conditional_probability_of_n_purchases_up_to_time`).
    pub fn conditional_probability_of_purchases(
        &self,
        t: f64,
        n: u64,
        x: f64,
        tx: f64,
        big_t: f64,
    ) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let ParetoNbd { r, alpha, s, beta } = *self;
        let nf = n as f64;
        let (lo, hi, p) = if alpha < beta {
            (alpha, beta, r + x + nf)
        } else {
            (beta, alpha, s + 1.0)
        };
        let d = hi - lo;
        let log_l = self.log_likelihood(x, tx, big_t);
        let base = r * alpha.ln() + s * beta.ln() - ln_gamma(r);
        let log_p_zero = ln_gamma(r + x) + base
            - ((r + x) * (alpha + big_t).ln() + s * (beta + big_t).ln() + log_l);
        let log_b_one = ln_gamma(r + x + nf) + base
            - ((r + x + nf) * (alpha + big_t + t).ln() + s * (beta + big_t + t).ln());
        let b_term = |i: f64, at: f64| {
            base + ln_gamma(r + s + x + i)
                + ln_beta(r + x + nf, s + 1.0)
                + ln_hyp2f1(r + s + x + i, p, r + s + x + nf + 1.0, d / (hi + at)).0
                - ln_gamma(s)
                - (r + s + x + i) * (hi + at).ln()
        };
        let log_b_two = b_term(0.0, big_t);
        let third = (0..=n).fold(f64::NEG_INFINITY, |acc, i| {
            let fi = i as f64;
            log_add_exp(
                acc,
                fi * t.ln() - ln_gamma(fi + 1.0) + b_term(fi, big_t + t) - log_l,
            )
        });
        let zeroth = if n == 0 { 1.0 - log_p_zero.exp() } else { 0.0 };
        let first = nf * t.ln() - ln_gamma(nf + 1.0) + log_b_one - log_l;
        let second = log_b_two - log_l;
        zeroth + (log_add_exp(first, second).exp() - third.exp()).abs()
    }
}

/// The penalised mean negative log-likelihood in log-parameters on time-scaled data.
/// `lifetimes` minimises `−Σ wᵢ ℓᵢ / mean(w) + c Σ θ²`; this is that divided by the number of
/// rows, so its penalizer is `c / rows`.
pub(crate) struct NegLogLik<'a> {
    data: &'a Customers<'a>,
    scale: f64,
    penalizer: f64,
    total_weight: f64,
}

impl<'a> NegLogLik<'a> {
    pub fn new(data: &'a Customers<'a>, scale: f64, penalizer: f64) -> NegLogLik<'a> {
        let total_weight = (0..data.len()).map(|i| data.weight(i)).sum();
        NegLogLik {
            data,
            scale,
            penalizer: penalizer / data.len() as f64,
            total_weight,
        }
    }

    fn value(&self, u: &[f64]) -> f64 {
        let p: Vec<f64> = u.iter().map(|v| v.exp()).collect();
        if !p.iter().all(|v| v.is_finite() && *v > 0.0) {
            return f64::NAN;
        }
        let m = ParetoNbd::from_slice(&p);
        let (d, s) = (self.data, self.scale);
        let ll = sum_over(d.len(), |i| {
            [d.weight(i) * m.log_likelihood(d.frequency[i], d.recency[i] * s, d.t[i] * s)]
        })[0];
        -ll / self.total_weight + self.penalizer * p.iter().map(|v| v * v).sum::<f64>()
    }
}

impl Objective for NegLogLik<'_> {
    fn eval(&self, u: &[f64], g: &mut [f64]) -> f64 {
        let value = self.value(u);
        let mut v = u.to_vec();
        for k in 0..u.len() {
            let h = 1e-6;
            v[k] = u[k] + h;
            let up = self.value(&v);
            v[k] = u[k] - h;
            let down = self.value(&v);
            v[k] = u[k];
            g[k] = (up - down) / (2.0 * h);
        }
        value
    }
}
