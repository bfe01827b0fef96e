//! Customer lifetime value: the RFM summary of a transaction log, the BG/NBD, Pareto/NBD and
//! Gamma-Gamma models fitted by maximum likelihood, and per-customer predictions.
//!
//! The conventions are those of Fader, Hardie & Lee and of the `lifetimes` package, so results
//! can be compared number for number:
//!
//! - [`rfm`]: `frequency` = repeat periods with a purchase, `recency` = last − first purchase
//!   period, `T` = observation end − first purchase period, `monetary_value` = mean of the repeat
//!   periods' values (0 without repeats), in units of the period (`lifetimes`'
//!   `summary_data_from_transaction_data`).
//! - Fitting minimises the penalised mean negative log-likelihood in log-parameters, with time
//!   scaled so that the longest `T` is 1 (as `lifetimes` does; this only matters with a
//!   penalizer, which applies to the scaled parameters), by BFGS on analytic gradients and
//!   Newton polishing. Standard errors are `θ·√(H⁻¹ᵢᵢ / Σw)` from the Hessian `H` of that objective
//!   in log-parameters (the delta method, `lifetimes`' `standard_errors_`).
//! - Predictions follow `lifetimes`' formulas: conditional expected purchases in the next `t`
//!   periods, probability alive, Gamma-Gamma conditional expected average spend, and CLV as the
//!   sum over `time` months of the expected purchases in each month × expected spend, discounted
//!   at `discount_rate` a month.
//!
//! ```
//! use journeystream::analytics::clv::{fit, Customers, FitOptions, Model};
//! // The CDNOW summary of Fader, Hardie & Lee (2005): ID, frequency, recency, T (weeks).
//! let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/clv/cdnow_customers_summary.csv");
//! let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
//! for line in std::fs::read_to_string(file).unwrap().lines().skip(1) {
//!     let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
//!     (x.push(f[1]), tx.push(f[2]), t.push(f[3]));
//! }
//! let result = fit(Model::BgNbd, &Customers::new(&x, &tx, &t), &FitOptions::default())?;
//! assert!(result.convergence.converged);
//! assert_eq!((result.param("r").unwrap() * 1000.0).round(), 243.0); // the paper's r = 0.243
//! // No repeat buyers: an error, not NaN.
//! let e = fit(Model::BgNbd, &Customers::new(&[0.0; 3], &[0.0; 3], &[5.0; 3]), &FitOptions::default());
//! assert!(e.unwrap_err().to_string().contains("repeat buyers"));
//! # Ok::<(), journeystream::Error>(())
//! ```

pub mod api;
pub mod bgnbd;
pub mod gamma_gamma;
pub mod optimize;
pub mod pareto_nbd;
pub mod rfm;
pub mod special;

use crate::error::{Error, Result};
use optimize::{hessian, inverse_spd, minimize, Convergence, Objective, Settings};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A lifetime-value model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Beta-geometric / NBD (parameters r, alpha, a, b).
    BgNbd,
    /// Pareto/NBD (parameters r, alpha, s, beta).
    ParetoNbd,
    /// Gamma-Gamma spend model (parameters p, q, v), fitted on customers with repeat purchases.
    GammaGamma,
}

impl Model {
    /// Parameter names, in order.
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            Model::BgNbd => &bgnbd::PARAMS,
            Model::ParetoNbd => &pareto_nbd::PARAMS,
            Model::GammaGamma => &gamma_gamma::PARAMS,
        }
    }
}

/// Per-customer summaries (`frequency`, `recency`, `T`, optional `monetary_value` and weights
/// = number of customers with that summary), borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Customers<'a> {
    pub frequency: &'a [f64],
    pub recency: &'a [f64],
    pub t: &'a [f64],
    pub monetary_value: Option<&'a [f64]>,
    pub weights: Option<&'a [f64]>,
}

impl<'a> Customers<'a> {
    /// Customers without monetary values or weights.
    pub fn new(frequency: &'a [f64], recency: &'a [f64], t: &'a [f64]) -> Customers<'a> {
        Customers {
            frequency,
            recency,
            t,
            monetary_value: None,
            weights: None,
        }
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.frequency.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.frequency.is_empty()
    }

    fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }

    /// Checks lengths and values: frequency a whole number ≥ 0, 0 ≤ recency ≤ T, recency 0 when
    /// frequency is 0, finite values, weights ≥ 0; errors name the customer index and field.
    pub fn check(&self) -> Result<()> {
        let n = self.len();
        let columns: [(&str, Option<&[f64]>); 4] = [
            ("recency", Some(self.recency)),
            ("T", Some(self.t)),
            ("monetary_value", self.monetary_value),
            ("weights", self.weights),
        ];
        for (name, column) in columns {
            if let Some(c) = column {
                if c.len() != n {
                    return Err(Error::argument(
                        name,
                        c.len(),
                        format!("values given for {n} customers (frequency has {n})"),
                    ));
                }
            }
        }
        if n == 0 {
            return Err(Error::MissingData {
                path: "frequency".into(),
                what: "customers (the data are empty)".into(),
            });
        }
        let bad = |i: usize, field: &str, value: f64, message: &str| Error::Input {
            location: format!("customer {i}"),
            field: Some(field.into()),
            value: Some(value.to_string()),
            message: format!("{field} is {value}: {message}"),
        };
        for i in 0..n {
            let (x, tx, t) = (self.frequency[i], self.recency[i], self.t[i]);
            if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0) {
                return Err(bad(i, "frequency", x, "expected a whole number ≥ 0"));
            }
            if !(tx.is_finite() && tx >= 0.0) {
                return Err(bad(i, "recency", tx, "expected a finite number ≥ 0"));
            }
            if !(t.is_finite() && t >= tx) {
                return Err(bad(i, "T", t, "expected a finite number ≥ recency"));
            }
            if x == 0.0 && tx != 0.0 {
                return Err(bad(i, "recency", tx, "expected 0 when frequency is 0"));
            }
            if let Some(m) = self.monetary_value {
                if !m[i].is_finite() {
                    return Err(bad(i, "monetary_value", m[i], "expected a finite number"));
                }
            }
            if let Some(w) = self.weights {
                if !(w[i].is_finite() && w[i] >= 0.0) {
                    return Err(bad(i, "weights", w[i], "expected a finite number ≥ 0"));
                }
            }
        }
        Ok(())
    }

    /// Distinct frequencies (ascending) with their total weights, and each customer's index
    /// into them: terms that depend on the frequency only are computed once per distinct value.
    fn by_frequency(&self) -> (Vec<(f64, f64)>, Vec<u32>) {
        let mut distinct: Vec<f64> = self.frequency.to_vec();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let position: rustc_hash::FxHashMap<u64, u32> = distinct
            .iter()
            .enumerate()
            .map(|(k, x)| (x.to_bits(), k as u32))
            .collect();
        let index: Vec<u32> = self
            .frequency
            .iter()
            .map(|x| position[&x.to_bits()])
            .collect();
        let mut by_x: Vec<(f64, f64)> = distinct.iter().map(|&x| (x, 0.0)).collect();
        for (i, &k) in index.iter().enumerate() {
            by_x[k as usize].1 += self.weight(i);
        }
        (by_x, index)
    }
}

/// Options of [`fit`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitOptions {
    /// L2 penalizer coefficient on the (time-scaled) parameters, as `lifetimes`' `penalizer_coef`.
    #[serde(default)]
    pub penalizer: f64,
    /// Starting parameters (in the data's time unit); `lifetimes`' default start `e^0.1` each
    /// when absent.
    #[serde(default)]
    pub initial_params: Option<Vec<f64>>,
    /// Converged when the max-norm of the objective's gradient in log-parameters is at most this.
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    #[serde(default = "default_max_iterations")]
    pub max_iterations: usize,
}

fn default_tolerance() -> f64 {
    1e-9
}

fn default_max_iterations() -> usize {
    500
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            penalizer: 0.0,
            initial_params: None,
            tolerance: default_tolerance(),
            max_iterations: default_max_iterations(),
        }
    }
}

/// A fitted model: parameters, standard errors and how the fit went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "columns")] // its sequences are one table (journeystream::columnar)
pub struct Fit {
    pub model: Model,
    pub param_names: Vec<String>,
    /// Parameters in the data's time unit.
    pub params: Vec<f64>,
    /// Standard errors (absent when the Hessian is not positive definite).
    pub standard_errors: Vec<Option<f64>>,
    /// Σ wᵢ ℓᵢ at the parameters, unpenalised, in the data's time unit.
    pub log_likelihood: f64,
    /// The minimised objective (penalised mean negative log-likelihood, time-scaled).
    pub objective: f64,
    pub penalizer: f64,
    /// Customers (total weight) the model was fitted on.
    pub customers: f64,
    pub convergence: Convergence,
}

impl Fit {
    /// The parameter `name`.
    pub fn param(&self, name: &str) -> Option<f64> {
        let i = self.param_names.iter().position(|n| n == name)?;
        Some(self.params[i])
    }
}

/// Fits `model` to `data` by maximum likelihood.
pub fn fit(model: Model, data: &Customers<'_>, options: &FitOptions) -> Result<Fit> {
    data.check()?;
    if !(options.penalizer.is_finite() && options.penalizer >= 0.0) {
        return Err(Error::argument(
            "penalizer",
            options.penalizer,
            "expected a finite number ≥ 0",
        ));
    }
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::argument(
            "tolerance",
            options.tolerance,
            "expected a number > 0",
        ));
    }
    let names = model.param_names();
    if let Some(p) = &options.initial_params {
        if p.len() != names.len() || !p.iter().all(|v| v.is_finite() && *v > 0.0) {
            return Err(Error::argument(
                "initial_params",
                format!("{p:?}"),
                format!(
                    "expected {} numbers > 0 ({})",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
    }
    let settings = Settings {
        gradient_tolerance: options.tolerance,
        max_iterations: options.max_iterations,
    };
    // Customers with the same summary are one row with their total weight (the likelihood is
    // the same; CDNOW's 2 357 customers are 1 000 distinct rows).
    let owned = Distinct::of(data, model == Model::GammaGamma);
    let distinct = owned.as_ref().map(Distinct::customers);
    let data = distinct.as_ref().unwrap_or(data);
    // Many customers: a first fit on every k-th of them gives the start and the Hessian for
    // Newton steps on all (see `finish_fit`).
    let first_on = (data.len() >= 10 * FIRST_FIT && options.initial_params.is_none())
        .then(|| Distinct::every(data, data.len() / FIRST_FIT));
    let first_data = first_on.as_ref().map(Distinct::customers);
    match model {
        Model::BgNbd | Model::ParetoNbd => {
            if data.frequency.iter().all(|&x| x == 0.0) {
                return Err(Error::MissingData {
                    path: "frequency".into(),
                    what: "repeat buyers (every customer has frequency 0, so the purchase and \
                           dropout rates cannot be told apart)"
                        .into(),
                });
            }
            let max_t = data.t.iter().fold(0.0f64, |m, &v| m.max(v));
            if max_t <= 0.0 {
                return Err(Error::MissingData {
                    path: "T".into(),
                    what: "observation time (every T is 0)".into(),
                });
            }
            let scale = 1.0 / max_t;
            // Time-scaled parameters (alpha, and beta for Pareto/NBD, times the scale).
            let scaled = |p: &[f64], s: f64| -> Vec<f64> {
                p.iter()
                    .enumerate()
                    .map(|(k, &v)| {
                        if k == 1 || (k == 3 && model == Model::ParetoNbd) {
                            v * s
                        } else {
                            v
                        }
                    })
                    .collect()
            };
            let start: Vec<f64> = match &options.initial_params {
                Some(p) => scaled(p, scale).iter().map(|v| v.ln()).collect(),
                None => vec![0.1; 4],
            };
            let run = |f: &dyn Objective, first: Option<&dyn Objective>| {
                finish_fit(
                    model,
                    f,
                    first,
                    &start,
                    settings,
                    data,
                    options.penalizer,
                    |p| scaled(p, 1.0 / scale),
                )
            };
            // The first fit uses the whole data's time scale, so that both share coordinates.
            match model {
                Model::BgNbd => {
                    let nll = |d| bgnbd::NegLogLik::new(d, scale, options.penalizer);
                    let first = first_data.as_ref().map(nll);
                    run(&nll(data), first.as_ref().map(|f| f as &dyn Objective))
                }
                _ => {
                    let nll = |d| pareto_nbd::NegLogLik::new(d, scale, options.penalizer);
                    let first = first_data.as_ref().map(nll);
                    run(&nll(data), first.as_ref().map(|f| f as &dyn Objective))
                }
            }
        }
        Model::GammaGamma => {
            let monetary = data.monetary_value.ok_or_else(|| Error::MissingData {
                path: "monetary_value".into(),
                what: "monetary values (the Gamma-Gamma model is fitted on them)".into(),
            })?;
            let nll = gamma_gamma::NegLogLik::new(data, monetary, options.penalizer)?;
            let first = match &first_data {
                Some(d) => match d.monetary_value {
                    Some(m) => gamma_gamma::NegLogLik::new(d, m, options.penalizer).ok(),
                    None => None,
                },
                None => None,
            };
            let start: Vec<f64> = match &options.initial_params {
                Some(p) => p.iter().map(|v| v.ln()).collect(),
                None => vec![0.1; 3],
            };
            finish_fit(
                model,
                &nll,
                first.as_ref().map(|f| f as &dyn Objective),
                &start,
                settings,
                data,
                options.penalizer,
                |p| p.to_vec(),
            )
        }
    }
}

/// The distinct rows of some customers with their total weights.
struct Distinct {
    frequency: Vec<f64>,
    recency: Vec<f64>,
    t: Vec<f64>,
    monetary_value: Option<Vec<f64>>,
    weights: Vec<f64>,
}

impl Distinct {
    /// The distinct rows (by frequency, recency and T; by frequency and monetary value when
    /// `spend`), or `None`
    /// when there are fewer than 10 % duplicates.
    fn of(data: &Customers<'_>, spend: bool) -> Option<Distinct> {
        let n = data.len();
        let monetary = if spend { data.monetary_value } else { None };
        let mut rows: rustc_hash::FxHashMap<[u64; 4], usize> = Default::default();
        rows.reserve(n.min(1 << 20));
        let mut d = Distinct {
            frequency: Vec::new(),
            recency: Vec::new(),
            t: Vec::new(),
            monetary_value: monetary.map(|_| Vec::new()),
            weights: Vec::new(),
        };
        for i in 0..n {
            let m = monetary.map_or(0.0, |m| m[i]);
            // The spend model reads frequency and monetary value only.
            let key = if spend {
                [data.frequency[i].to_bits(), 0, 0, m.to_bits()]
            } else {
                [
                    data.frequency[i].to_bits(),
                    data.recency[i].to_bits(),
                    data.t[i].to_bits(),
                    0,
                ]
            };
            let row = *rows.entry(key).or_insert_with(|| {
                d.frequency.push(data.frequency[i]);
                d.recency.push(data.recency[i]);
                d.t.push(data.t[i]);
                if let Some(v) = &mut d.monetary_value {
                    v.push(m);
                }
                d.weights.push(0.0);
                d.weights.len() - 1
            });
            d.weights[row] += data.weight(i);
            if i == 4096 && rows.len() * 10 > i * 9 {
                return None;
            }
        }
        (d.weights.len() * 10 <= n * 9).then_some(d)
    }

    /// Every `step`-th customer, for a first fit on few of many.
    fn every(data: &Customers<'_>, step: usize) -> Distinct {
        let pick = |v: &[f64]| v.iter().step_by(step).copied().collect::<Vec<_>>();
        let n = data.len().div_ceil(step);
        Distinct {
            frequency: pick(data.frequency),
            recency: pick(data.recency),
            t: pick(data.t),
            monetary_value: data.monetary_value.map(pick),
            weights: data.weights.map_or_else(|| vec![1.0; n], pick),
        }
    }

    fn customers(&self) -> Customers<'_> {
        Customers {
            frequency: &self.frequency,
            recency: &self.recency,
            t: &self.t,
            monetary_value: self.monetary_value.as_deref(),
            weights: Some(&self.weights),
        }
    }
}

/// Customers in the first fit of a large one (fewer in unit tests, to keep them quick).
const FIRST_FIT: usize = if cfg!(test) { 2_000 } else { 20_000 };

/// Minimises `f` (in log-parameters) and builds the fit: parameters unscaled by `unscale`,
/// standard errors from the Hessian of `f`. With `first` (the objective on a subsample), its
/// minimum and Hessian start Newton steps on `f`, each one evaluation of `f`
/// ([`optimize::minimize_near`]); the minimum is `f`'s either way.
#[allow(clippy::too_many_arguments)]
fn finish_fit(
    model: Model,
    f: &dyn Objective,
    first: Option<&dyn Objective>,
    start: &[f64],
    settings: Settings,
    data: &Customers<'_>,
    penalizer: f64,
    unscale: impl Fn(&[f64]) -> Vec<f64>,
) -> Result<Fit> {
    let f = |u: &[f64], g: &mut [f64]| f.eval(u, g);
    let found = match first {
        Some(first) => {
            let near = minimize(
                &|u: &[f64], g: &mut [f64]| first.eval(u, g),
                start,
                settings,
            );
            let hess = hessian(
                &|u: &[f64], g: &mut [f64]| first.eval(u, g),
                &near.x,
                &mut 0,
            );
            // Where the subsample's minimum does not lead to all customers' (a flat likelihood,
            // a subsample unlike the whole), the fit starts over from `start`.
            let warm = match hess {
                Some(h) if near.convergence.converged => {
                    Some(optimize::minimize_near(&f, &near.x, &h, settings))
                }
                _ => None,
            };
            match warm {
                Some(m) if m.convergence.converged => m,
                Some(m) => {
                    let mut cold = minimize(&f, start, settings);
                    cold.convergence.evaluations += m.convergence.evaluations;
                    cold
                }
                None => minimize(&f, start, settings),
            }
        }
        None => minimize(&f, start, settings),
    };
    let theta: Vec<f64> = found.x.iter().map(|u| u.exp()).collect();
    if !found.value.is_finite() || !theta.iter().all(|v| v.is_finite() && *v > 0.0) {
        return Err(Error::Invalid {
            path: "frequency".into(),
            value: format!("{} customers", data.len()),
            reason: format!(
                "cannot support the {model:?} model: the likelihood has no finite maximum \
                 (parameters {theta:?}); try a penalizer"
            ),
        });
    }
    if let Some(k) = found.x.iter().position(|u| u.abs() > 30.0) {
        let name = model.param_names()[k];
        let towards = if found.x[k] > 0.0 { "infinity" } else { "0" };
        return Err(Error::Invalid {
            path: "frequency".into(),
            value: format!("{} customers", data.len()),
            reason: format!(
                "cannot support the {model:?} model: the likelihood has no interior maximum \
                 ({name} runs to {towards}); more data, or a penalizer, may help"
            ),
        });
    }
    let params = unscale(&theta);
    let n = theta.len();
    let total: f64 = match model {
        Model::GammaGamma => gamma_gamma::fitted_weight(data),
        _ => (0..data.len()).map(|i| data.weight(i)).sum(),
    };
    let mut evaluations = 0;
    let standard_errors =
        match hessian(&f, &found.x, &mut evaluations).and_then(|h| inverse_spd(&h, n)) {
            Some(inv) => (0..n)
                .map(|k| {
                    let v = params[k] * params[k] * inv[k * n + k] / total;
                    (v.is_finite() && v >= 0.0).then(|| v.sqrt())
                })
                .collect(),
            None => vec![None; n],
        };
    let log_likelihood =
        match model {
            Model::BgNbd => {
                let m = bgnbd::BgNbd::from_slice(&params);
                sum_over(data.len(), |i| {
                    [data.weight(i)
                        * m.log_likelihood(data.frequency[i], data.recency[i], data.t[i])]
                })[0]
            }
            Model::ParetoNbd => {
                let m = pareto_nbd::ParetoNbd::from_slice(&params);
                sum_over(data.len(), |i| {
                    [data.weight(i)
                        * m.log_likelihood(data.frequency[i], data.recency[i], data.t[i])]
                })[0]
            }
            Model::GammaGamma => {
                gamma_gamma::GammaGamma::from_slice(&params).total_log_likelihood(data)
            }
        };
    let mut convergence = found.convergence;
    convergence.evaluations += evaluations;
    Ok(Fit {
        model,
        param_names: model.param_names().iter().map(|s| s.to_string()).collect(),
        params,
        standard_errors,
        log_likelihood,
        objective: found.value,
        penalizer,
        customers: total,
        convergence,
    })
}

/// Sums `K` per-customer values over customers `0..n`, on all cores for large `n`.
pub(crate) fn sum_over<const K: usize>(n: usize, f: impl Fn(usize) -> [f64; K] + Sync) -> [f64; K] {
    let add = |mut a: [f64; K], b: [f64; K]| {
        for k in 0..K {
            a[k] += b[k];
        }
        a
    };
    if n < 32_768 {
        return (0..n).map(&f).fold([0.0; K], add);
    }
    (0..n)
        .into_par_iter()
        .with_min_len(8192)
        .fold(|| [0.0; K], |acc, i| add(acc, f(i)))
        .reduce(|| [0.0; K], add)
}

/// Per-customer values over customers `0..n`, on all cores.
pub(crate) fn per_customer(n: usize, f: impl Fn(usize) -> f64 + Sync + Send) -> Vec<f64> {
    (0..n).into_par_iter().with_min_len(512).map(f).collect()
}

/// A purchase-count model (BG/NBD, Pareto/NBD): predictions for one customer, with times in the
/// data's unit.
pub trait PurchaseModel: Sync {
    /// Expected purchases in the next `t` periods of a customer with `(x, t_x, T)`.
    fn conditional_expected_purchases(&self, t: f64, x: f64, tx: f64, big_t: f64) -> f64;
    /// [`PurchaseModel::conditional_expected_purchases`] at every horizon of `ts`, into `out`;
    /// a model overrides it where horizons share work.
    fn conditional_expected_purchases_each(
        &self,
        ts: &[f64],
        x: f64,
        tx: f64,
        big_t: f64,
        out: &mut [f64],
    ) {
        for (t, o) in ts.iter().zip(out) {
            *o = self.conditional_expected_purchases(*t, x, tx, big_t);
        }
    }
    /// Probability that a customer with `(x, t_x, T)` is still active.
    fn probability_alive(&self, x: f64, tx: f64, big_t: f64) -> f64;
    /// Expected repeat purchases of a new customer in `t` periods (the population curve).
    fn expected_purchases(&self, t: f64) -> f64;
    /// Probability that a new customer makes `n` repeat purchases in `t` periods.
    fn probability_of_purchases(&self, t: f64, n: u64) -> f64;
}

/// The time unit of the data for [`customer_lifetime_value`] (`lifetimes`' `freq`): how many
/// periods a month holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Freq {
    /// Hours (720 a month).
    #[serde(rename = "H")]
    Hour,
    /// Days (30 a month).
    #[default]
    #[serde(rename = "D")]
    Day,
    /// Weeks (4.345 a month).
    #[serde(rename = "W")]
    Week,
    /// Months.
    #[serde(rename = "M")]
    Month,
}

impl Freq {
    /// Periods a month, as `lifetimes` counts them.
    pub fn per_month(self) -> f64 {
        match self {
            Freq::Hour => 720.0,
            Freq::Day => 30.0,
            Freq::Week => 4.345,
            Freq::Month => 1.0,
        }
    }
}

/// Expected purchases in the next `t` periods, per customer.
pub fn conditional_expected_purchases(
    model: &impl PurchaseModel,
    t: f64,
    data: &Customers<'_>,
) -> Vec<f64> {
    per_customer(data.len(), |i| {
        model.conditional_expected_purchases(t, data.frequency[i], data.recency[i], data.t[i])
    })
}

/// Probability alive, per customer.
pub fn probability_alive(model: &impl PurchaseModel, data: &Customers<'_>) -> Vec<f64> {
    per_customer(data.len(), |i| {
        model.probability_alive(data.frequency[i], data.recency[i], data.t[i])
    })
}

/// Discounted CLV per customer over `months` months (`lifetimes`' `customer_lifetime_value`):
/// `Σₘ spendᵢ · (E[X(m·k)] − E[X((m−1)·k)]) / (1 + discount_rate)^m` with `k` periods a month
/// ([`Freq::per_month`]) and `spendᵢ` the Gamma-Gamma expected average spend.
pub fn customer_lifetime_value(
    model: &impl PurchaseModel,
    spend: &gamma_gamma::GammaGamma,
    data: &Customers<'_>,
    months: u32,
    discount_rate: f64,
    freq: Freq,
) -> Result<Vec<f64>> {
    let monetary = data.monetary_value.ok_or_else(|| Error::MissingData {
        path: "monetary_value".into(),
        what: "monetary values (CLV weighs expected purchases by expected spend)".into(),
    })?;
    let k = freq.per_month();
    // E[X(m·k)] at every month m, and the discount of each; E[X((m−1)·k)] is the previous
    // month's E[X(m·k)] (lifetimes evaluates it again at the float `m·k − k`, equal to 1e-15
    // relative).
    let at: Vec<f64> = (1..=months).map(|m| m as f64 * k).collect();
    let discount: Vec<f64> = at
        .iter()
        .map(|t| (1.0 + discount_rate).powf(t / k))
        .collect();
    Ok((0..data.len())
        .into_par_iter()
        .with_min_len(512)
        .map_init(
            || vec![0.0; at.len()],
            |upto, i| {
                let (x, tx, t) = (data.frequency[i], data.recency[i], data.t[i]);
                let value = spend.conditional_expected_average_profit(x, monetary[i]);
                model.conditional_expected_purchases_each(&at, x, tx, t, upto);
                let mut before = 0.0;
                let mut clv = 0.0;
                for (e, d) in upto.iter().zip(&discount) {
                    clv += value * (e - before) / d;
                    before = *e;
                }
                clv
            },
        )
        .collect())
}

/// Observed vs model-expected numbers of customers by repeat purchases (the check of
/// `lifetimes`' `plot_period_transactions`, whose model bars simulate customers with the
/// observed `T`; here the expectation itself: `Σᵢ P(X(Tᵢ) = n)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "columns")] // its sequences are one table (journeystream::columnar)
pub struct PeriodTransactions {
    /// Repeat purchases `0..max_frequency`.
    pub frequency: Vec<u64>,
    pub observed: Vec<f64>,
    pub model: Vec<f64>,
    /// Customers with `max_frequency` or more: observed and expected.
    pub observed_tail: f64,
    pub model_tail: f64,
}

/// The fitted vs observed repeat-purchase histogram.
pub fn period_transactions(
    model: &impl PurchaseModel,
    data: &Customers<'_>,
    max_frequency: usize,
) -> PeriodTransactions {
    let k = max_frequency;
    let add = |mut a: Vec<f64>, b: Vec<f64>| {
        a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        a
    };
    let sums = (0..data.len())
        .into_par_iter()
        .with_min_len(1024)
        .fold(
            || vec![0.0; 2 * k + 2],
            |mut acc, i| {
                let w = data.weight(i);
                let x = data.frequency[i] as usize;
                acc[x.min(k)] += w;
                let mut total = 0.0;
                for n in 0..k {
                    let p = model.probability_of_purchases(data.t[i], n as u64);
                    acc[k + 1 + n] += w * p;
                    total += p;
                }
                acc[2 * k + 1] += w * (1.0 - total).max(0.0);
                acc
            },
        )
        .reduce(|| vec![0.0; 2 * k + 2], add);
    PeriodTransactions {
        frequency: (0..k as u64).collect(),
        observed: sums[..k].to_vec(),
        model: sums[k + 1..2 * k + 1].to_vec(),
        observed_tail: sums[k],
        model_tail: sums[2 * k + 1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fit on many customers starts from a subsample's; it ends at the same minimum as a fit
    /// started elsewhere, with the same standard errors.
    #[test]
    fn a_large_fit_from_a_subsample_ends_at_the_same_minimum() {
        let n = 10 * FIRST_FIT;
        // Distinct customers, so that the fit does not fold them into fewer rows.
        let u = |i: usize, k: u64| {
            let mut h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k;
            h = (h ^ (h >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            (h >> 11) as f64 / (1u64 << 53) as f64
        };
        // BG/NBD's story: purchases at rate λ until a dropout of probability p after each.
        let (mut x, mut tx, mut t) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        for i in 0..n {
            let (rate, p) = (0.05 + 2.0 * u(i, 1).powi(2), 0.05 + 0.6 * u(i, 2));
            t[i] = 1.0 + 51.0 * u(i, 3);
            let mut now = 0.0;
            for k in 0..1000 {
                now += -(1.0 - u(i, 10 + 2 * k)).ln() / rate;
                if now > t[i] {
                    break;
                }
                x[i] += 1.0;
                tx[i] = now;
                if u(i, 11 + 2 * k) < p {
                    break;
                }
            }
        }
        let m: Vec<f64> = (0..n).map(|i| 5.0 + 40.0 * u(i, 5) * u(i, 6)).collect();
        let data = Customers {
            monetary_value: Some(&m),
            ..Customers::new(&x, &tx, &t)
        };
        for model in [Model::BgNbd, Model::GammaGamma] {
            let warm = fit(model, &data, &FitOptions::default()).unwrap();
            let cold = fit(
                model,
                &data,
                &FitOptions {
                    initial_params: Some(vec![1.0; model.param_names().len()]),
                    ..FitOptions::default()
                },
            )
            .unwrap();
            assert!(
                warm.convergence.converged && cold.convergence.converged,
                "{model:?}: {:?} {:?} {:?} {:?}",
                warm.convergence,
                cold.convergence,
                warm.params,
                cold.params
            );
            assert!(warm.convergence.evaluations < cold.convergence.evaluations);
            for (w, c) in warm.params.iter().zip(&cold.params) {
                assert!((w - c).abs() <= 1e-7 * c.abs(), "{model:?}: {w} vs {c}");
            }
            for (w, c) in warm.standard_errors.iter().zip(&cold.standard_errors) {
                let (w, c) = (w.unwrap(), c.unwrap());
                assert!((w - c).abs() <= 1e-5 * c.abs(), "{model:?}: {w} vs {c}");
            }
        }
    }
}
