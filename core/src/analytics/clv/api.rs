//! The `rfm_summary`, `clv_fit` and `clv_predict` requests (see [`crate::analytics::request`]).
//!
//! Customer data come as arrays (`frequency`, `recency`, `T`, optional `monetary_value` and
//! `weights`), or as a `summary` of transactions (the `rfm_summary` parameters, read from its
//! arrays or from the event log), or, with neither, as the summary of the log with defaults
//! (every event a purchase, days).
//!
//! ```
//! use journeystream::analytics::request::analyze_json;
//! let fit = analyze_json(r#"{"analysis": "clv_fit", "model": "gamma_gamma",
//!     "frequency": [2, 1, 0, 4, 3, 7, 1, 0, 2, 5],
//!     "recency": [30.43, 1.71, 0, 20, 12, 29.43, 5, 0, 35.71, 31],
//!     "T": [38.86, 38.86, 38.86, 38.86, 38.86, 38.86, 38.86, 38.86, 38.86, 38.86],
//!     "monetary_value": [22.35, 11.77, 0, 30.1, 18.0, 42.5, 9.9, 0, 25.0, 35.2]}"#, None)?;
//! assert!(fit.contains(r#""converged":true"#), "{fit}");
//! let p = analyze_json(r#"{"analysis": "clv_predict", "model": "bg_nbd",
//!     "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, "t": 39,
//!     "frequency": [2], "recency": [30.43], "T": [38.86]}"#, None)?;
//! assert!(p.contains(r#""expected_purchases":[1.22"#), "{p}");
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::rfm::{self, RfmOptions, RfmSummary};
use super::{
    bgnbd::BgNbd, gamma_gamma::GammaGamma, pareto_nbd::ParetoNbd, Customers, Fit, FitOptions, Freq,
    Model, PeriodTransactions, PurchaseModel,
};
use crate::analytics::bulk::Texts;
use crate::analytics::scores::parse_time;
use crate::error::{Error, Result};
use crate::log::EventLog;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// An `rfm_summary` request: transactions as arrays (`customers`, `timestamps` as RFC 3339 text
/// or integer nanoseconds since the epoch, optional `values`) or from the log (each case a
/// customer; `purchase_activity`, `value_attribute`), and `lifetimes`' options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RfmRequest {
    #[serde(default)]
    pub customers: Option<Vec<Value>>,
    #[serde(default)]
    pub timestamps: Option<Vec<Value>>,
    #[serde(default)]
    pub values: Option<Vec<f64>>,
    #[serde(default)]
    pub purchase_activity: Option<String>,
    #[serde(default)]
    pub value_attribute: Option<String>,
    /// `H`, `D` (default), `W` (Monday–Sunday) or `M`.
    #[serde(default)]
    pub freq: Freq,
    #[serde(default = "one")]
    pub freq_multiplier: f64,
    /// RFC 3339; the latest transaction when absent.
    #[serde(default)]
    pub observation_period_end: Option<String>,
    #[serde(default)]
    pub include_first_transaction: bool,
    /// Customers and timestamps the bindings give as columns ([`crate::analytics::bulk`]).
    #[serde(skip)]
    pub columns: TransactionColumns,
}

/// Transactions given as columns: customer ids read in place, timestamps in nanoseconds since
/// the Unix epoch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactionColumns {
    pub customers: Option<Texts>,
    pub timestamps: Option<Vec<i64>>,
}

fn one() -> f64 {
    1.0
}

impl RfmRequest {
    /// The summary.
    pub fn run(&self, log: Option<&EventLog>) -> Result<RfmSummary> {
        let ids = match (&self.customers, &self.columns.customers) {
            (Some(customers), None) => Some(Texts::from(
                customers
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match v {
                        Value::String(s) => Ok(s.clone()),
                        Value::Number(n) => Ok(n.to_string()),
                        other => Err(Error::argument(
                            &format!("customers[{i}]"),
                            other,
                            "expected a customer id (text or number)",
                        )),
                    })
                    .collect::<Result<Vec<_>>>()?,
            )),
            (_, column) => column.clone(),
        };
        let json_times = match &self.timestamps {
            Some(timestamps) => Some(
                timestamps
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match v {
                        Value::String(s) => parse_time(&format!("timestamps[{i}]"), s),
                        Value::Number(n) => n.as_i64().ok_or_else(|| {
                            Error::argument(
                                &format!("timestamps[{i}]"),
                                n,
                                "expected integer nanoseconds since the epoch",
                            )
                        }),
                        other => Err(Error::argument(
                            &format!("timestamps[{i}]"),
                            other,
                            "expected an RFC 3339 time or integer nanoseconds",
                        )),
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            None => None,
        };
        let times = json_times.as_deref().or(self.columns.timestamps.as_deref());
        let partial = match (ids, times) {
            (Some(ids), Some(times)) => {
                rfm::from_arrays(&ids, times, self.values.as_deref(), self.freq)?
            }
            (None, None) => {
                let log = log.ok_or_else(|| Error::MissingData {
                    path: "customers".into(),
                    what: "transactions (customers and timestamps, or an event log)".into(),
                })?;
                rfm::from_log(
                    log,
                    self.purchase_activity.as_deref(),
                    self.value_attribute.as_deref(),
                    self.freq,
                )?
            }
            (Some(_), None) => {
                return Err(Error::MissingData {
                    path: "timestamps".into(),
                    what: "the transactions' timestamps".into(),
                })
            }
            (None, Some(_)) => {
                return Err(Error::MissingData {
                    path: "customers".into(),
                    what: "the transactions' customers".into(),
                })
            }
        };
        let end = match &self.observation_period_end {
            Some(t) => Some(parse_time("observation_period_end", t)?),
            None => None,
        };
        partial.finish(&RfmOptions {
            observation_period_end: end,
            freq_multiplier: self.freq_multiplier,
            include_first_transaction: self.include_first_transaction,
        })
    }
}

/// Customer summaries given to a fit or a prediction.
#[derive(Debug, Clone, PartialEq, Default)]
struct Data {
    customer: Option<Vec<String>>,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    t: Vec<f64>,
    monetary_value: Option<Vec<f64>>,
    weights: Option<Vec<f64>>,
}

impl Data {
    #[allow(clippy::too_many_arguments)]
    fn read(
        frequency: &Option<Vec<f64>>,
        recency: &Option<Vec<f64>>,
        t: &Option<Vec<f64>>,
        monetary_value: &Option<Vec<f64>>,
        weights: &Option<Vec<f64>>,
        summary: &Option<RfmRequest>,
        log: Option<&EventLog>,
    ) -> Result<Data> {
        match (frequency, summary) {
            (Some(_), Some(_)) => Err(Error::argument(
                "summary",
                "with frequency",
                "give the customers' summaries or the transactions, not both",
            )),
            (Some(f), None) => {
                let need = |name: &str, v: &Option<Vec<f64>>| {
                    v.clone().ok_or_else(|| Error::MissingData {
                        path: name.into(),
                        what: format!("{name} (given with frequency)"),
                    })
                };
                Ok(Data {
                    customer: None,
                    frequency: f.clone(),
                    recency: need("recency", recency)?,
                    t: need("T", t)?,
                    monetary_value: monetary_value.clone(),
                    weights: weights.clone(),
                })
            }
            (None, _) => {
                let request = summary.clone().unwrap_or_default();
                let s = request.run(log).map_err(|e| e.under("summary"))?;
                Ok(Data {
                    customer: Some(s.customer),
                    frequency: s.frequency,
                    recency: s.recency,
                    t: s.t,
                    monetary_value: s.monetary_value,
                    weights: weights.clone(),
                })
            }
        }
    }

    fn customers(&self) -> Customers<'_> {
        Customers {
            frequency: &self.frequency,
            recency: &self.recency,
            t: &self.t,
            monetary_value: self.monetary_value.as_deref(),
            weights: self.weights.as_deref(),
        }
    }
}

/// A `clv_fit` request: the model, the data and [`FitOptions`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitRequest {
    pub model: Model,
    #[serde(default)]
    pub frequency: Option<Vec<f64>>,
    #[serde(default)]
    pub recency: Option<Vec<f64>>,
    #[serde(default, rename = "T")]
    pub t: Option<Vec<f64>>,
    #[serde(default)]
    pub monetary_value: Option<Vec<f64>>,
    #[serde(default)]
    pub weights: Option<Vec<f64>>,
    /// Transactions to summarise first (the `rfm_summary` parameters).
    #[serde(default)]
    pub summary: Option<RfmRequest>,
    #[serde(default)]
    pub penalizer: f64,
    #[serde(default)]
    pub initial_params: Option<Vec<f64>>,
    #[serde(default = "tolerance")]
    pub tolerance: f64,
    #[serde(default = "max_iterations")]
    pub max_iterations: usize,
}

fn tolerance() -> f64 {
    FitOptions::default().tolerance
}

fn max_iterations() -> usize {
    FitOptions::default().max_iterations
}

impl FitRequest {
    /// The fit.
    pub fn run(&self, log: Option<&EventLog>) -> Result<Fit> {
        let data = Data::read(
            &self.frequency,
            &self.recency,
            &self.t,
            &self.monetary_value,
            &self.weights,
            &self.summary,
            log,
        )?;
        super::fit(
            self.model,
            &data.customers(),
            &FitOptions {
                penalizer: self.penalizer,
                initial_params: self.initial_params.clone(),
                tolerance: self.tolerance,
                max_iterations: self.max_iterations,
            },
        )
    }
}

/// CLV options (`lifetimes`' `customer_lifetime_value` parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClvOptions {
    /// Months.
    #[serde(default = "twelve")]
    pub time: u32,
    /// Monthly discount rate.
    #[serde(default = "discount")]
    pub discount_rate: f64,
    /// The data's time unit.
    #[serde(default)]
    pub freq: Freq,
}

/// The longest CLV horizon, months (a century).
pub const MAX_CLV_MONTHS: u32 = 1200;

impl ClvOptions {
    /// Checks the horizon and the rate; errors name `{parent}.{time_field}` and
    /// `{parent}.discount_rate`.
    pub fn check(&self, parent: &str, time_field: &str) -> Result<()> {
        if !(1..=MAX_CLV_MONTHS).contains(&self.time) {
            return Err(Error::argument(
                &format!("{parent}.{time_field}"),
                self.time,
                format!(
                    "must be 1 to {MAX_CLV_MONTHS} months (the horizon is summed month by month)"
                ),
            ));
        }
        if !(self.discount_rate.is_finite() && self.discount_rate > -1.0) {
            return Err(Error::argument(
                &format!("{parent}.discount_rate"),
                self.discount_rate,
                "expected a number > -1",
            ));
        }
        Ok(())
    }
}

fn twelve() -> u32 {
    12
}

fn discount() -> f64 {
    0.01
}

/// A `clv_predict` request: a fitted model's `params` (by name), the customers' data, and what
/// to predict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictRequest {
    /// `bg_nbd` or `pareto_nbd` (with optional `spend_params`), or `gamma_gamma`.
    pub model: Model,
    pub params: BTreeMap<String, f64>,
    /// Gamma-Gamma `p`, `q`, `v`: adds the expected average spend (and CLV with `clv`).
    #[serde(default)]
    pub spend_params: Option<BTreeMap<String, f64>>,
    #[serde(default)]
    pub frequency: Option<Vec<f64>>,
    #[serde(default)]
    pub recency: Option<Vec<f64>>,
    #[serde(default, rename = "T")]
    pub t: Option<Vec<f64>>,
    #[serde(default)]
    pub monetary_value: Option<Vec<f64>>,
    #[serde(default)]
    pub summary: Option<RfmRequest>,
    /// Periods ahead for the expected purchases (1).
    #[serde(default = "one", rename = "t")]
    pub horizon: f64,
    #[serde(default)]
    pub clv: Option<ClvOptions>,
    /// Times of the population expected-purchases curve.
    #[serde(default)]
    pub curve_times: Option<Vec<f64>>,
    /// Adds the observed vs expected repeat-purchase histogram over `0..max_frequency`.
    #[serde(default)]
    pub max_frequency: Option<usize>,
}

/// Predictions per customer and for the population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "columns")] // its sequences are one table (journeystream::columnar)
pub struct Predictions {
    /// Customer ids, when the data came from transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_purchases: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability_alive: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_average_spend: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clv: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_curve: Option<Curve>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_transactions: Option<PeriodTransactions>,
}

/// Expected repeat purchases of a new customer by time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "columns")] // its sequences are one table (journeystream::columnar)
pub struct Curve {
    pub t: Vec<f64>,
    pub expected_purchases: Vec<f64>,
}

/// The parameters `model` names, from `params` (errors name the field).
fn model_params(model: Model, params: &BTreeMap<String, f64>, field: &str) -> Result<Vec<f64>> {
    let names = model.param_names();
    if let Some(extra) = params.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(Error::argument(
            &format!("{field}.{extra}"),
            params[extra],
            format!("is not a parameter of {model:?} ({})", names.join(", ")),
        ));
    }
    names
        .iter()
        .map(|n| match params.get(*n) {
            Some(&v) if v.is_finite() && v > 0.0 => Ok(v),
            Some(&v) => Err(Error::argument(
                &format!("{field}.{n}"),
                v,
                "expected a number > 0",
            )),
            None => Err(Error::MissingData {
                path: format!("{field}.{n}"),
                what: format!("the parameter {n}"),
            }),
        })
        .collect()
}

impl PredictRequest {
    /// The predictions.
    pub fn run(&self, log: Option<&EventLog>) -> Result<Predictions> {
        let data = Data::read(
            &self.frequency,
            &self.recency,
            &self.t,
            &self.monetary_value,
            &None,
            &self.summary,
            log,
        )?;
        let customers = data.customers();
        customers.check()?;
        if !(self.horizon.is_finite() && self.horizon >= 0.0) {
            return Err(Error::argument("t", self.horizon, "expected a number ≥ 0"));
        }
        let p = model_params(self.model, &self.params, "params")?;
        let spend = match (self.model, &self.spend_params) {
            (Model::GammaGamma, Some(_)) => {
                return Err(Error::argument(
                    "spend_params",
                    "with gamma_gamma",
                    "the model already is the spend model",
                ))
            }
            (Model::GammaGamma, None) => Some(GammaGamma::from_slice(&p)),
            (_, Some(s)) => Some(GammaGamma::from_slice(&model_params(
                Model::GammaGamma,
                s,
                "spend_params",
            )?)),
            (_, None) => None,
        };
        let spend_values = match spend {
            Some(gg) => Some(
                super::gamma_gamma::conditional_expected_average_profit(&gg, &customers)
                    .map_err(|e| e.under("monetary_value"))?,
            ),
            None => None,
        };
        let mut out = Predictions {
            customer: data.customer.clone(),
            expected_purchases: None,
            probability_alive: None,
            expected_average_spend: spend_values,
            clv: None,
            population_curve: None,
            period_transactions: None,
        };
        match self.model {
            Model::BgNbd => self.purchases(&BgNbd::from_slice(&p), spend, &customers, &mut out)?,
            Model::ParetoNbd => {
                self.purchases(&ParetoNbd::from_slice(&p), spend, &customers, &mut out)?
            }
            Model::GammaGamma => {
                if self.clv.is_some() || self.curve_times.is_some() || self.max_frequency.is_some()
                {
                    return Err(Error::argument(
                        "model",
                        "gamma_gamma",
                        "predicts spend only: give a purchase model (bg_nbd, pareto_nbd) with \
                         spend_params for clv, curve_times or max_frequency",
                    ));
                }
            }
        }
        Ok(out)
    }

    fn purchases(
        &self,
        model: &impl PurchaseModel,
        spend: Option<GammaGamma>,
        customers: &Customers<'_>,
        out: &mut Predictions,
    ) -> Result<()> {
        out.expected_purchases = Some(super::conditional_expected_purchases(
            model,
            self.horizon,
            customers,
        ));
        out.probability_alive = Some(super::probability_alive(model, customers));
        if let Some(c) = &self.clv {
            let gg = spend.ok_or_else(|| Error::MissingData {
                path: "spend_params".into(),
                what: "the Gamma-Gamma parameters (CLV needs the expected spend)".into(),
            })?;
            c.check("clv", "time")?;
            out.clv = Some(super::customer_lifetime_value(
                model,
                &gg,
                customers,
                c.time,
                c.discount_rate,
                c.freq,
            )?);
        }
        if let Some(times) = &self.curve_times {
            if let Some((i, t)) = times
                .iter()
                .enumerate()
                .find(|(_, t)| !(t.is_finite() && **t >= 0.0))
            {
                return Err(Error::argument(
                    &format!("curve_times[{i}]"),
                    t,
                    "expected a number ≥ 0",
                ));
            }
            out.population_curve = Some(Curve {
                t: times.clone(),
                expected_purchases: times.iter().map(|&t| model.expected_purchases(t)).collect(),
            });
        }
        if let Some(k) = self.max_frequency {
            if k == 0 || k > 10_000 {
                return Err(Error::argument("max_frequency", k, "expected 1 to 10000"));
            }
            out.period_transactions = Some(super::period_transactions(model, customers, k));
        }
        Ok(())
    }
}
