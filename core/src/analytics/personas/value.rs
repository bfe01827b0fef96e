//! What each cluster's customers are worth: customer lifetime value from the log's purchases.
//!
//! The purchases (`purchase_activity`, valued by `value_attribute`) are summarised per customer
//! (case) as `lifetimes`' RFM summary; BG/NBD is fitted on every purchasing customer and
//! Gamma-Gamma on those with repeat purchases, both on the whole log (a cluster alone may hold
//! too few repeat buyers to fit); each customer's discounted CLV over `months` follows
//! ([`crate::analytics::clv`]). A cluster reports its buyers, their mean CLV with a normal 95%
//! interval (mean ± 1.96 s/√n over its buyers: the spread of customers, not the uncertainty of
//! the fitted parameters), its total and share of the total, and its buyers' mean repeat
//! purchases, spend and probability of being alive.

use crate::analytics::clv::api::{ClvOptions, RfmRequest};
use crate::analytics::clv::bgnbd::BgNbd;
use crate::analytics::clv::gamma_gamma::{self, GammaGamma};
use crate::analytics::clv::{self, Customers, Fit, FitOptions, Freq, Model};
use crate::analytics::stats::{self, Moments};
use crate::error::{Error, Result};
use crate::log::EventLog;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `clv` option of a `personas` request: where the log holds purchases and their values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueOptions {
    /// The activity of a purchase.
    pub purchase_activity: String,
    /// The number event attribute of a purchase's value.
    pub value_attribute: String,
    /// The time unit of the models (`D` by default).
    #[serde(default)]
    pub freq: Freq,
    /// The CLV horizon in months (12).
    #[serde(default = "twelve")]
    pub months: u32,
    /// Monthly discount rate (0.01).
    #[serde(default = "discount")]
    pub discount_rate: f64,
}

fn twelve() -> u32 {
    12
}
fn discount() -> f64 {
    0.01
}

/// The models behind the clusters' values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueModel {
    /// BG/NBD parameters (`r`, `alpha`, `a`, `b`) in the unit `freq`.
    pub purchase_params: BTreeMap<String, f64>,
    /// Gamma-Gamma parameters (`p`, `q`, `v`).
    pub spend_params: BTreeMap<String, f64>,
    pub freq: Freq,
    pub months: u32,
    pub discount_rate: f64,
    /// Customers with a purchase; with repeat purchases.
    pub buyers: u64,
    pub repeat_buyers: u64,
}

/// A cluster's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterValue {
    /// Its customers with a purchase.
    pub buyers: u64,
    /// Mean CLV of a buyer, with its 95% interval (none for fewer than two buyers).
    pub mean_clv: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub total_clv: f64,
    /// The cluster's part of all clusters' CLV.
    pub share_of_total: f64,
    pub mean_repeat_purchases: Option<f64>,
    /// Mean of the buyers' mean purchase value.
    pub mean_spend: Option<f64>,
    pub mean_probability_alive: Option<f64>,
}

/// Each customer's CLV, repeat purchases, spend and probability alive, by case index.
struct PerCase {
    case: usize,
    clv: f64,
    repeat: f64,
    spend: f64,
    alive: f64,
}

fn params(fit: &Fit) -> BTreeMap<String, f64> {
    fit.param_names
        .iter()
        .cloned()
        .zip(fit.params.iter().copied())
        .collect()
}

/// The model fitted on `log` and the value of each of the `k` clusters of `labels`.
pub fn cluster_values(
    log: &EventLog,
    labels: &[usize],
    k: usize,
    options: &ValueOptions,
) -> Result<(ValueModel, Vec<ClusterValue>)> {
    let under = |e: Error| e.under("clv");
    let horizon = ClvOptions {
        time: options.months,
        discount_rate: options.discount_rate,
        freq: options.freq,
    };
    horizon.check("clv", "months")?;
    let summary = RfmRequest {
        purchase_activity: Some(options.purchase_activity.clone()),
        value_attribute: Some(options.value_attribute.clone()),
        freq: options.freq,
        ..RfmRequest::default()
    }
    .run(Some(log))
    .map_err(under)?;
    let monetary = summary
        .monetary_value
        .as_deref()
        .expect("a summary of valued purchases has values");
    let customers = Customers {
        frequency: &summary.frequency,
        recency: &summary.recency,
        t: &summary.t,
        monetary_value: Some(monetary),
        weights: None,
    };
    let purchases = clv::fit(Model::BgNbd, &customers, &FitOptions::default()).map_err(under)?;
    let spend = clv::fit(Model::GammaGamma, &customers, &FitOptions::default()).map_err(under)?;
    let bg = BgNbd::from_slice(&purchases.params);
    let gg = GammaGamma::from_slice(&spend.params);
    let values = clv::customer_lifetime_value(
        &bg,
        &gg,
        &customers,
        horizon.time,
        horizon.discount_rate,
        horizon.freq,
    )
    .map_err(under)?;
    let spends =
        gamma_gamma::conditional_expected_average_profit(&gg, &customers).map_err(under)?;
    let alive = clv::probability_alive(&bg, &customers);
    let index: FxHashMap<&str, usize> = (0..log.num_cases())
        .map(|c| (log.case(c).id(), c))
        .collect();
    let per_case: Vec<PerCase> = summary
        .customer
        .iter()
        .enumerate()
        .map(|(i, id)| PerCase {
            case: index[id.as_str()],
            clv: values[i],
            repeat: summary.frequency[i],
            spend: spends[i],
            alive: alive[i],
        })
        .collect();
    let mut moments = vec![[Moments::default(); 4]; k];
    for p in &per_case {
        let m = &mut moments[labels[p.case]];
        for (j, x) in [p.clv, p.repeat, p.spend, p.alive].into_iter().enumerate() {
            m[j].push(x);
        }
    }
    let total: f64 = values.iter().sum();
    let z = stats::z_for(0.95).expect("0.95 is a confidence");
    let clusters = moments
        .iter()
        .map(|m| {
            let n = m[0].n;
            let mean = |j: usize| (n > 0).then_some(m[j].mean);
            let half = m[0].stdev().map(|s| z * s / (n as f64).sqrt());
            let sum = m[0].mean * n as f64;
            ClusterValue {
                buyers: n,
                mean_clv: mean(0),
                ci_low: half.map(|h| m[0].mean - h),
                ci_high: half.map(|h| m[0].mean + h),
                total_clv: sum,
                share_of_total: if total != 0.0 { sum / total } else { 0.0 },
                mean_repeat_purchases: mean(1),
                mean_spend: mean(2),
                mean_probability_alive: mean(3),
            }
        })
        .collect();
    let repeat_buyers = summary.frequency.iter().filter(|&&f| f > 0.0).count() as u64;
    Ok((
        ValueModel {
            purchase_params: params(&purchases),
            spend_params: params(&spend),
            freq: options.freq,
            months: options.months,
            discount_rate: options.discount_rate,
            buyers: summary.customer.len() as u64,
            repeat_buyers,
        },
        clusters,
    ))
}
