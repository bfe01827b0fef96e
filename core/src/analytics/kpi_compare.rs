//! Before/after comparison of a customer KPI: is the change significant?
//!
//! | KPI | difference (after − before) | interval | test |
//! | --- | --- | --- | --- |
//! | shares (csat, ces top box, churn, retention, repeat purchase, sla) | `p₂ − p₁` | Newcombe hybrid score | pooled two-proportion z-test (`two_proportion_z`) |
//! | nps | `NPS₂ − NPS₁` (points) | `d ± z·√(Var₁ + Var₂)`, variances of the NPS interval method | `z = d / √(Var₁ + Var₂)` with Wald variances (`net_score_z`) |
//! | means and percentiles (ces mean, resolution time) | `stat₂ − stat₁` | percentile bootstrap, seeded | bootstrap two-sided p (`bootstrap_percentile`) |
//!
//! `significant` is `p < alpha`. The groups come from `before` and `after` in the request (each
//! holding `scores`, `counts` or `durations`), or from the log split at `split_at`: scores by their
//! event's time, per-case data by the case's first event.
//!
//! ```
//! use journeystream::analytics::kpi::{Metric, CountRow};
//! use journeystream::analytics::kpi_compare::{kpi_compare, KpiCompareRequest, KpiSide};
//! let side = |start, lost| KpiSide { counts: Some(vec![CountRow { start: Some(start), lost: Some(lost), ..CountRow::default() }]), ..KpiSide::default() };
//! let mut r = KpiCompareRequest::new(Metric::ChurnRate);
//! (r.before, r.after) = (Some(side(1000, 100)), Some(side(1000, 60)));
//! let c = kpi_compare(&r, None)?;
//! assert!((c.difference + 0.04).abs() < 1e-12 && c.significant);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::kpi::{
    check_options, estimate, groups, interval_name, CesMethod, CountRow, Grouping, KpiData,
    KpiEstimate, KpiOptions, LogSource, Metric, Sample,
};
use super::scores::parse_time;
use super::stats::{self, NetInterval, Statistic};
use crate::error::{Error, Result};
use crate::log::EventLog;
use serde::{Deserialize, Serialize};

/// The data of one side of a comparison, given in the request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiSide {
    /// Survey scores (nps, csat, ces), of any integer or float type.
    #[serde(default)]
    pub scores: Option<crate::analytics::bulk::Numbers>,
    /// Counts rows (rates); their sum is the side's sample.
    #[serde(default)]
    pub counts: Option<Vec<CountRow>>,
    /// Seconds (resolution time, sla).
    #[serde(default)]
    pub durations: Option<Vec<f64>>,
}

/// A `kpi_compare` request. The data and options fields are those of
/// [`KpiRequest`](super::kpi::KpiRequest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiCompareRequest {
    pub metric: Metric,
    #[serde(default)]
    pub before: Option<KpiSide>,
    #[serde(default)]
    pub after: Option<KpiSide>,
    /// With a log: data before this RFC 3339 time are `before`, the others `after`.
    #[serde(default)]
    pub split_at: Option<String>,
    #[serde(default)]
    pub score_attribute: Option<String>,
    #[serde(default)]
    pub activity: Option<String>,
    #[serde(default)]
    pub purchase_activity: Option<String>,
    #[serde(default)]
    pub from_activity: Option<String>,
    #[serde(default)]
    pub to_activity: Option<String>,
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    #[serde(default)]
    pub nps_interval: NetInterval,
    #[serde(default)]
    pub ces_method: CesMethod,
    #[serde(default = "default_ces_scale")]
    pub ces_scale: u8,
    #[serde(default)]
    pub target_seconds: Option<f64>,
    /// Significance level (0.05).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// The bootstrapped statistic of times: a quantile (0.5 for the median); the mean when absent.
    #[serde(default)]
    pub quantile: Option<f64>,
    /// Bootstrap resamples (2000).
    #[serde(default = "default_resamples")]
    pub resamples: usize,
    /// Bootstrap seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_confidence() -> f64 {
    0.95
}
fn default_ces_scale() -> u8 {
    7
}
fn default_alpha() -> f64 {
    0.05
}
/// The fewest bootstrap resamples: a p-value below 0.01 needs at least 100.
pub const MIN_RESAMPLES: usize = 100;
/// The most bootstrap resamples (each holds a resampled group in memory while it is drawn).
pub const MAX_RESAMPLES: usize = 1_000_000;

fn default_resamples() -> usize {
    2000
}
fn default_seed() -> u64 {
    20_160_101
}

impl KpiCompareRequest {
    /// A comparison of `metric` with no data and default options.
    pub fn new(metric: Metric) -> KpiCompareRequest {
        KpiCompareRequest {
            metric,
            before: None,
            after: None,
            split_at: None,
            score_attribute: None,
            activity: None,
            purchase_activity: None,
            from_activity: None,
            to_activity: None,
            confidence: default_confidence(),
            nps_interval: NetInterval::default(),
            ces_method: CesMethod::default(),
            ces_scale: default_ces_scale(),
            target_seconds: None,
            alpha: default_alpha(),
            quantile: None,
            resamples: default_resamples(),
            seed: default_seed(),
        }
    }
}

/// A KPI before and after, the change and its test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiComparison {
    pub metric: Metric,
    pub confidence: f64,
    pub alpha: f64,
    pub before: KpiEstimate,
    pub after: KpiEstimate,
    /// after − before, in the KPI's unit (for a bootstrapped quantile, the quantile's change).
    pub difference: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// `two_proportion_z`, `net_score_z` or `bootstrap_percentile`.
    pub test: String,
    /// The z statistic (null for the bootstrap, or when both samples have no variance).
    pub statistic: Option<f64>,
    /// Two-sided p-value (null when undefined: no variance at all).
    pub p_value: Option<f64>,
    pub significant: bool,
}

/// Compares a KPI before and after.
pub fn kpi_compare(request: &KpiCompareRequest, log: Option<&EventLog>) -> Result<KpiComparison> {
    let metric = request.metric;
    let options = KpiOptions {
        confidence: request.confidence,
        nps_interval: request.nps_interval,
        ces_method: request.ces_method,
        ces_scale: request.ces_scale,
        percentiles: Vec::new(),
        target_seconds: request.target_seconds,
    };
    check_options(&options)?;
    let alpha = stats::check_alpha(request.alpha)?;
    if let Some(q) = request.quantile.filter(|q| !(0.0..=1.0).contains(q)) {
        return Err(Error::argument("quantile", q, "must be from 0 to 1"));
    }
    if !(MIN_RESAMPLES..=MAX_RESAMPLES).contains(&request.resamples) {
        return Err(Error::argument(
            "resamples",
            request.resamples,
            format!(
                "must be {MIN_RESAMPLES} to {MAX_RESAMPLES} (fewer cannot support a p-value; more \
                 hold memory for no gain)"
            ),
        ));
    }
    let source = LogSource {
        score_attribute: request.score_attribute.clone(),
        activity: request.activity.clone(),
        purchase_activity: request.purchase_activity.clone(),
        from_activity: request.from_activity.clone(),
        to_activity: request.to_activity.clone(),
    };
    let (before, after) = match (&request.before, &request.after, &request.split_at) {
        (Some(b), Some(a), None) => {
            let side = |s: &KpiSide, name: &str| -> Result<Sample> {
                let data = KpiData {
                    scores: s.scores.as_ref(),
                    segments: None,
                    counts: s.counts.as_deref(),
                    durations: s.durations.as_deref(),
                };
                let g = groups(metric, &data, &source, &options, None, |_| {
                    Ok(Grouping::All)
                })
                .map_err(|e| e.under(name))?;
                g.total().ok_or_else(|| empty(name))
            };
            (side(b, "before")?, side(a, "after")?)
        }
        (None, None, Some(split)) => {
            let at = parse_time("split_at", split)?;
            let g = groups(metric, &KpiData::default(), &source, &options, log, |_| {
                Ok(Grouping::Split(at))
            })?;
            let side = |name: &str| g.get(name).cloned().ok_or_else(|| empty(name));
            (side("before")?, side("after")?)
        }
        _ => {
            return Err(Error::argument(
                "before",
                "",
                "give both `before` and `after` data, or `split_at` with an event log",
            ))
        }
    };
    let b = estimate(metric, None, &before, &options).map_err(|e| e.under("before"))?;
    let a = estimate(metric, None, &after, &options).map_err(|e| e.under("after"))?;
    let z = stats::z_for(options.confidence)?;
    let kind = interval_name(metric, &options);
    let (difference, lo, hi, test, statistic, p) = match (&before, &after) {
        (Sample::Scores(_), Sample::Scores(_)) if metric == Metric::Nps => {
            let d = a.value - b.value;
            let (pb, db, nb) = (b.promoters.unwrap(), b.detractors.unwrap(), b.n);
            let (pa, da, na) = (a.promoters.unwrap(), a.detractors.unwrap(), a.n);
            let var = |p: u64, d: u64, n: u64| {
                stats::net_variance(p as f64 / n as f64, d as f64 / n as f64, n as f64)
            };
            let se_test = 100.0 * (var(pb, db, nb) + var(pa, da, na)).sqrt();
            let se_ci =
                (b.standard_error.unwrap().powi(2) + a.standard_error.unwrap().powi(2)).sqrt();
            let center = match options.nps_interval {
                NetInterval::Wald => d,
                NetInterval::AdjustedWald => {
                    let adj = |p: u64, d: u64, n: u64| {
                        100.0 * ((p as f64 + 0.75) - (d as f64 + 0.75)) / (n as f64 + 3.0)
                    };
                    adj(pa, da, na) - adj(pb, db, nb)
                }
            };
            let zstat = (se_test > 0.0).then(|| d / se_test);
            (
                d,
                center - z * se_ci,
                center + z * se_ci,
                "net_score_z",
                zstat,
                zstat.map(stats::two_sided_p),
            )
        }
        // Shares: counts, or CSAT and CES top box from their estimates.
        (Sample::Share(..), Sample::Share(..)) | (Sample::Scores(_), Sample::Scores(_))
            if kind == "wilson" =>
        {
            let (xb, xa) = (b.successes.unwrap_or(0), a.successes.unwrap_or(0));
            let (lo, hi) = stats::newcombe(xa, a.n, xb, b.n, z);
            let t = stats::two_proportion_z(xa, a.n, xb, b.n);
            (
                a.value - b.value,
                lo,
                hi,
                "two_proportion_z",
                t.map(|t| t.0),
                t.map(|t| t.1),
            )
        }
        _ => {
            for (name, group) in [("before", &before), ("after", &after)] {
                let n = group.values().len();
                if n < 2 {
                    return Err(Error::MissingData {
                        path: name.into(),
                        what: format!(
                            "at least 2 durations to bootstrap (it has {n}): one cannot show how \
                             much the statistic varies"
                        ),
                    });
                }
            }
            let statistic = request
                .quantile
                .map_or(Statistic::Mean, Statistic::Quantile);
            let r = stats::bootstrap_difference(
                &before.values(),
                &after.values(),
                statistic,
                request.resamples,
                options.confidence,
                request.seed,
            );
            (
                r.difference,
                r.low,
                r.high,
                "bootstrap_percentile",
                None,
                Some(r.p_value),
            )
        }
    };
    Ok(KpiComparison {
        metric,
        confidence: options.confidence,
        alpha,
        before: b,
        after: a,
        difference,
        ci_low: lo,
        ci_high: hi,
        test: test.into(),
        statistic,
        p_value: p,
        significant: p.is_some_and(|p| p < alpha),
    })
}

fn empty(side: &str) -> Error {
    Error::MissingData {
        path: side.into(),
        what: "observations: a comparison needs data on both sides".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side_scores(s: &[f64]) -> Option<KpiSide> {
        Some(KpiSide {
            scores: Some(s.to_vec().into()),
            ..KpiSide::default()
        })
    }

    /// By hand. Before: 4 promoters, 3 passives, 3 detractors of 10 (NPS 10, Var 0.069);
    /// after: 7, 2, 1 of 10 (NPS 60, Var 0.044). d = 50, se = 100·√0.113 = 33.62, z = 1.4874.
    #[test]
    fn nps_difference_by_hand() {
        let mut r = KpiCompareRequest::new(Metric::Nps);
        r.before = side_scores(&[9., 9., 10., 10., 8., 7., 7., 6., 0., 5.]);
        r.after = side_scores(&[9., 9., 10., 10., 10., 9., 9., 8., 7., 3.]);
        r.nps_interval = NetInterval::Wald;
        let c = kpi_compare(&r, None).unwrap();
        assert!((c.difference - 50.0).abs() < 1e-12);
        let z = 50.0 / (100.0 * 0.113f64.sqrt());
        assert!((c.statistic.unwrap() - z).abs() < 1e-12);
        assert!((c.p_value.unwrap() - 2.0 * stats::norm_sf(z)).abs() < 1e-15);
        assert!(!c.significant);
        assert!((c.ci_low - (50.0 - 1.959963984540054 * 100.0 * 0.113f64.sqrt())).abs() < 1e-10);
        assert_eq!(c.test, "net_score_z");
    }

    #[test]
    fn csat_uses_the_proportion_test_and_means_the_bootstrap() {
        let mut r = KpiCompareRequest::new(Metric::Csat);
        r.before = side_scores(&[5., 4., 3., 2., 1., 5.]);
        r.after = side_scores(&[5., 4., 4., 5., 1., 5.]);
        let c = kpi_compare(&r, None).unwrap();
        assert_eq!(c.test, "two_proportion_z");
        assert!((c.difference - (5.0 / 6.0 - 3.0 / 6.0)).abs() < 1e-12);
        let mut m = KpiCompareRequest::new(Metric::ResolutionTime);
        m.before = Some(KpiSide {
            durations: Some((0..100).map(|i| 100.0 + i as f64).collect()),
            ..KpiSide::default()
        });
        m.after = Some(KpiSide {
            durations: Some((0..100).map(|i| 50.0 + i as f64).collect()),
            ..KpiSide::default()
        });
        m.quantile = Some(0.5);
        let c = kpi_compare(&m, None).unwrap();
        assert_eq!(
            (c.test.as_str(), c.difference),
            ("bootstrap_percentile", -50.0)
        );
        assert!(c.significant && c.ci_high < 0.0, "{c:?}");
        assert_eq!(c, kpi_compare(&m, None).unwrap());
    }

    #[test]
    fn errors_name_the_side() {
        let mut r = KpiCompareRequest::new(Metric::Csat);
        r.before = side_scores(&[5.0]);
        r.after = side_scores(&[9.0]);
        let e = kpi_compare(&r, None).unwrap_err();
        assert_eq!(e.to_string(), "after.scores[0]: 9 is out of range 1..5");
        r.after = side_scores(&[]);
        assert!(kpi_compare(&r, None)
            .unwrap_err()
            .to_string()
            .starts_with("after"));
        r.after = None;
        assert!(kpi_compare(&r, None).is_err());
    }
}
