//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves";
//! Fader & Hardie's note 025).
//!
//! A customer's purchase values are Gamma(p, ν) with ν ~ Gamma(q, v); the mean `m` of `x`
//! purchase values has likelihood
//! `Γ(px+q) / (Γ(px) Γ(q)) · v^q m^(px−1) x^(px) / (v + x m)^(px+q)`. It is fitted on the
//! customers with repeat purchases (`frequency > 0`) and their mean repeat value.

use super::optimize::Objective;
use super::special::{digamma, ln_gamma};
use super::{sum_over, Customers};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Fitted Gamma-Gamma parameters.
///
/// ```
/// use journeystream::analytics::clv::gamma_gamma::GammaGamma;
/// let m = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
/// // No repeat purchases: the population mean v·p/(q−1).
/// assert!((m.conditional_expected_average_profit(0.0, 0.0) - 15.44 * 6.25 / 2.74).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

/// Parameter names, in order.
pub const PARAMS: [&str; 3] = ["p", "q", "v"];

impl GammaGamma {
    /// From the parameters in [`PARAMS`] order.
    pub fn from_slice(p: &[f64]) -> GammaGamma {
        GammaGamma {
            p: p[0],
            q: p[1],
            v: p[2],
        }
    }

    /// The parameters in [`PARAMS`] order.
    pub fn to_vec(&self) -> Vec<f64> {
        vec![self.p, self.q, self.v]
    }

    /// Log-likelihood of a mean value `m` of `x > 0` purchases.
    pub fn log_likelihood(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
            + q * v.ln()
            + (p * x - 1.0) * m.ln()
            + p * x * x.ln()
            - (p * x + q) * (x * m + v).ln()
    }

    /// Σ wᵢ ℓᵢ over the customers with repeat purchases.
    pub fn total_log_likelihood(&self, data: &Customers<'_>) -> f64 {
        let Some(m) = data.monetary_value else {
            return f64::NAN;
        };
        sum_over(data.len(), |i| {
            let x = data.frequency[i];
            if x > 0.0 {
                [data.weight(i) * self.log_likelihood(x, m[i])]
            } else {
                [0.0]
            }
        })[0]
    }

    /// Expected average spend of a customer with `x` repeat purchases of mean value `m`:
    /// `(1 − w)·v p/(q − 1) + w·m` with `w = p x / (p x + q − 1)`.
    pub fn conditional_expected_average_profit(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        let weight = p * x / (p * x + q - 1.0);
        let population_mean = v * p / (q - 1.0);
        (1.0 - weight) * population_mean + weight * m
    }
}

/// Expected average spend per customer.
pub fn conditional_expected_average_profit(
    model: &GammaGamma,
    data: &Customers<'_>,
) -> Result<Vec<f64>> {
    let m = data.monetary_value.ok_or_else(|| Error::MissingData {
        path: "monetary_value".into(),
        what: "monetary values".into(),
    })?;
    Ok(super::per_customer(data.len(), |i| {
        model.conditional_expected_average_profit(data.frequency[i], m[i])
    }))
}

/// Total weight of the customers the model is fitted on (those with repeat purchases).
pub(crate) fn fitted_weight(data: &Customers<'_>) -> f64 {
    (0..data.len())
        .filter(|&i| data.frequency[i] > 0.0)
        .map(|i| data.weight(i))
        .sum()
}

/// `−Σ wᵢ ℓᵢ / Σ wᵢ + penalizer · Σ θ²` over customers with repeat purchases, in log-parameters.
pub(crate) struct NegLogLik<'a> {
    data: &'a Customers<'a>,
    monetary: &'a [f64],
    penalizer: f64,
    total_weight: f64,
    /// Distinct frequencies, each customer's index into them, and ln m per customer.
    by_x: Vec<(f64, f64)>,
    x_index: Vec<u32>,
    ln_m: Vec<f64>,
}

impl<'a> NegLogLik<'a> {
    pub fn new(
        data: &'a Customers<'a>,
        monetary: &'a [f64],
        penalizer: f64,
    ) -> Result<NegLogLik<'a>> {
        for (i, (&x, &m)) in data.frequency.iter().zip(monetary).enumerate() {
            if x > 0.0 && m.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                return Err(Error::Input {
                    location: format!("customer {i}"),
                    field: Some("monetary_value".into()),
                    value: Some(m.to_string()),
                    message: format!(
                        "monetary_value is {m}: expected a value > 0 for a customer with repeat \
                         purchases"
                    ),
                });
            }
        }
        let total_weight = fitted_weight(data);
        if total_weight <= 0.0 {
            return Err(Error::MissingData {
                path: "frequency".into(),
                what: "repeat buyers (the Gamma-Gamma model is fitted on the mean value of \
                       repeat purchases; every customer has frequency 0)"
                    .into(),
            });
        }
        let (by_x, x_index) = data.by_frequency();
        let ln_m = monetary
            .iter()
            .map(|&m| if m > 0.0 { m.ln() } else { 0.0 })
            .collect();
        Ok(NegLogLik {
            data,
            monetary,
            penalizer,
            total_weight,
            by_x,
            x_index,
            ln_m,
        })
    }
}

impl Objective for NegLogLik<'_> {
    fn eval(&self, u: &[f64], g: &mut [f64]) -> f64 {
        let (p, q, v) = (u[0].exp(), u[1].exp(), u[2].exp());
        if ![p, q, v].iter().all(|t| t.is_finite() && *t > 0.0) {
            return f64::NAN;
        }
        let (d, m) = (self.data, self.monetary);
        let (dg_q, ln_v, lg_q) = (digamma(q), v.ln(), ln_gamma(q));
        // Terms of x alone: [ln Γ(px+q) − ln Γ(px) − ln Γ(q), ψ(px+q) − ψ(px), ψ(px+q), ln x].
        let table: Vec<[f64; 4]> = self
            .by_x
            .iter()
            .map(|&(x, _)| {
                if x <= 0.0 {
                    return [0.0; 4];
                }
                let px = p * x;
                let dg_pxq = digamma(px + q);
                [
                    ln_gamma(px + q) - ln_gamma(px) - lg_q,
                    dg_pxq - digamma(px),
                    dg_pxq,
                    x.ln(),
                ]
            })
            .collect();
        let s = sum_over(d.len(), |i| {
            let x = d.frequency[i];
            if x <= 0.0 {
                return [0.0; 4];
            }
            let w = d.weight(i);
            let [lg, dg_diff, dg_pxq, lx] = table[self.x_index[i] as usize];
            let (px, mi, lm) = (p * x, m[i], self.ln_m[i]);
            let xmv = x * mi + v;
            let ln_xmv = xmv.ln();
            let ll = lg + q * ln_v + (px - 1.0) * lm + px * lx - (px + q) * ln_xmv;
            [
                w * ll,
                w * x * (dg_diff + lm + lx - ln_xmv),
                w * (dg_pxq - dg_q + ln_v - ln_xmv),
                w * (q / v - (px + q) / xmv),
            ]
        });
        let n = self.total_weight;
        let theta = [p, q, v];
        let mut value = -s[0] / n;
        for k in 0..3 {
            value += self.penalizer * theta[k] * theta[k];
            g[k] = theta[k] * (-s[k + 1] / n) + 2.0 * self.penalizer * theta[k] * theta[k];
        }
        value
    }
}
