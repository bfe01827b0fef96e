//! Every analytic by name: one JSON request in, one JSON result out.
//!
//! This is how the C and Python bindings and the conformance vectors reach the analytics: a
//! request is a JSON object whose `"analysis"` names the analytic and whose other fields are its
//! parameters (unknown fields are errors, with their path); the result is the analytic's result
//! struct as JSON. Rust code can call the typed functions directly instead.
//!
//! | `analysis` | parameters | result |
//! | --- | --- | --- |
//! | `profile` | | [`Profile`](super::process::Profile) |
//! | `activity_stats` | | [`ActivityStats`](super::activity::ActivityStats) list |
//! | `arrivals` | `period`: `hour` / `day` (default) / `week` | [`Arrivals`](super::arrival::Arrivals) |
//! | `stage_dwell` | `stage_attribute` (default `stage`) or `map` (a document); `order` | [`StageDwell`](super::stage::StageDwell) list |
//! | `calibrate` | `map` (a document with a value stream); `statistic`: `median` / `mean` / `p90` | [`Calibration`](super::calibrate::Calibration) |
//! | `attribution` | `model`: `first_touch` / `last_touch` / `linear` / `u_shaped` / `j_shaped` / `inverse_j` / `position` (`first`, `last`) / `time_decay` (`half_life` s, log only) / `markov` (`order`, default 1) / `shapley`; input `paths` (rows `[path, total_conversions, total_conversion_value, total_null]`, `separator` default `>`) or the log (`conversion`: `{"activity": a}` / `{"case_attribute": n}` / `{"event_attribute": {"name": n, "value": v}}`; `channel_attribute` (default `channel`) or `channel_from_activity`; `value_attribute`); `repeats`: `keep` / `collapse` / `first` | [`Attribution`](super::attribution::Attribution) |
//! | `attribution_paths` | the log parameters of `attribution`, `repeats`, `separator` (output, default ` > `) | [`PathTableRow`](super::attribution::PathTableRow) list |
//! | `kpi` | `metric`: `nps` / `csat` / `ces` / `churn_rate` / `retention_rate` / `repeat_purchase_rate` / `resolution_time` / `sla`; data `scores` (+ `segments`), `counts` rows or `durations`, or from the log (`score_attribute`, `activity`, `purchase_activity`, `from_activity`, `to_activity`); `segment_by`; `confidence`, `nps_interval`, `ces_method`, `ces_scale`, `percentiles`, `target_seconds` (fields of [`KpiRequest`](super::kpi::KpiRequest)) | [`KpiResult`](super::kpi::KpiResult) |
//! | `moments_of_truth` | `outcome` (`activity`, `case_attribute`, or `score_attribute` with `at_least` / `below`); `touchpoint_attribute`; `experience` (`wait_over_seconds`, or `score_attribute` with `below`); `before_outcome` (true); `rank_by`: `presence` / `experience`; `alpha`; `confidence`; `map` ([`MomentsRequest`](super::moments::MomentsRequest)) | [`MomentsOfTruth`](super::moments::MomentsOfTruth) |
//! | `emotion_curve` | `score_attribute` (`score`); `activity`; `stage_attribute` or `map`; `order`; `scale` (`{"min", "max"}`); `threshold`; `alpha`; `confidence` ([`EmotionRequest`](super::emotion::EmotionRequest)) | [`EmotionCurve`](super::emotion::EmotionCurve) |
//! | `kpi_compare` | `metric`; `before` and `after` (each `scores`, `counts` or `durations`), or `split_at` with a log; `alpha`, `quantile`, `resamples`, `seed` and the `kpi` options ([`KpiCompareRequest`](super::kpi_compare::KpiCompareRequest)) | [`KpiComparison`](super::kpi_compare::KpiComparison) |
//! | `funnel` | `steps` (activities, or `{"activity", "attribute": {"name", "value"}}`); `order`: `strict` / `exact` / `any`; `window_seconds`; `counting`: `uniques` / `totals`; `exclusions` (predicates with `between: [a, b]`); `hold_constant` (event attributes); `breakdown` (a case attribute) ([`FunnelRequest`](super::journey::funnel::FunnelRequest)) | [`Funnel`](super::journey::funnel::Funnel) |
//! | `transition_graph` | `weight`: `transitions` / `cases` / `sessions`; `normalization`: `none` / `full` / `node`; `start_end` (false: add `path_start` / `path_end` nodes); `session_attribute` (weight `sessions`) | [`TransitionGraph`](super::journey::transitions::TransitionGraph) |
//! | `step_matrix` | `max_steps` (20); `end_marker` (`ENDED`) | [`StepMatrix`](super::journey::step_matrix::StepMatrix) |
//! | `top_paths` | `top` (10); `ngram` (n); `anchor` (an activity); `steps` (3, before and after the anchor) | [`TopPaths`](super::journey::paths::TopPaths) |
//! | `retention` | `period`: `day` / `week` / `month`; `periods` (7); `windows`: `rolling` / `calendar`; `cohort_activity`; `return_activity` | [`Retention`](super::journey::retention::Retention) |
//! | `rfm_summary` | transactions as `customers`, `timestamps`, `values` arrays or from the log (`purchase_activity`, `value_attribute`); `freq` (`H`/`D`/`W`/`M`), `freq_multiplier`, `observation_period_end`, `include_first_transaction` ([`RfmRequest`](super::clv::api::RfmRequest)) | [`RfmSummary`](super::clv::rfm::RfmSummary) |
//! | `clv_fit` | `model`: `bg_nbd` / `pareto_nbd` / `gamma_gamma`; data `frequency`, `recency`, `T` (`monetary_value`, `weights`) or `summary` (an `rfm_summary` request); `penalizer`, `initial_params`, `tolerance`, `max_iterations` ([`FitRequest`](super::clv::api::FitRequest)) | [`Fit`](super::clv::Fit) |
//! | `change_points` | `series` (numbers); `method`: `pelt` / `binary_segmentation`; `cost`: `normal_mean` / `normal_mean_var` / `poisson`; `penalty`: `"bic"` or a number; `min_size` (2); `jump` (1); `max_changes` (binary segmentation) ([`ChangePointRequest`](super::monitor::changepoint::ChangePointRequest)) | [`ChangePoints`](super::monitor::changepoint::ChangePoints) |
//! | `control_chart` | `chart`: `individuals` / `xbar_r` / `p` / `ewma` / `cusum`; `values`, `subgroups` (xbar_r) or `defects` and `sizes` (p); `center`, `sigma` (known, else estimated); `rules`: `beyond_limits` / `western_electric` / `nelson`; `lambda` (0.2), `l` (3), `k` (0.5), `h` (5) ([`ControlChartRequest`](super::monitor::control::ControlChartRequest)) | [`ControlChart`](super::monitor::control::ControlChart) |
//! | `kpi_series` | `kpi` (a `kpi` request reading the log: `metric`, log fields, `segment_by`, options); `period`: `hour` / `day` / `week` / `month` / `quarter`; `time_zone`; `targets` (`value`, `direction`: `at_least` / `at_most`, `segment`, `name`) and/or `map`; `chart`: `auto` / `p` / `individuals` / `ewma` / `cusum` / `none`; `rules`; `change_points` (true), `change_cost`, `change_penalty`, `min_size`; `trend_periods` (4); `state` (a saved monitor, base64), `save_state` ([`KpiSeriesRequest`](super::monitor::series::KpiSeriesRequest)) | [`KpiSeries`](super::monitor::series::KpiSeries) |
//! | `monitor_info` | `state` (a saved monitor, base64) | [`MonitorInfo`](super::monitor::series::MonitorInfo) |
//! | `personas` | `k` (or chosen by silhouette over `k_range`, default [2, 8]); `method` (`kmeans`, or `kmedoids` on edit distance for ≤ 5000 cases); `features` (`activities`, `ngram` 2, `max_features` 64, `duration`, `events`); `outcome_activity`; `channel_attribute`; `clv` (`purchase_activity`, `value_attribute`, `freq`, `months` 12, `discount_rate` 0.01: each cluster's lifetime value); `seed`, `starts`, `max_iterations`, `silhouette_sample`, `top`, `alpha` ([`PersonasRequest`](super::personas::PersonasRequest)) | [`Personas`](super::personas::Personas) |
//! | `process_drift` | `split_at` (RFC 3339); `resamples` (999); `seed`; `top` (10) ([`DriftRequest`](super::monitor::drift::DriftRequest)) | [`Drift`](super::monitor::drift::Drift) |
//! | `clv_predict` | `model`, `params` (by name), `spend_params` (Gamma-Gamma), the data as for `clv_fit`; `t`; `clv` (`time` months, `discount_rate`, `freq`); `curve_times`; `max_frequency` ([`PredictRequest`](super::clv::api::PredictRequest)) | [`Predictions`](super::clv::api::Predictions) |
//!
//! Analytics that read an event log fail with [`Error::MissingData`] when called without one.
//!
//! ```
//! use journeystream::{analytics::request::analyze_json, log::LogBuilder};
//! let mut b = LogBuilder::new();
//! b.push("c1", "visit", 0)?;
//! b.push("c1", "buy", 60_000_000_000)?;
//! let log = b.finish().unwrap();
//! let result = analyze_json(r#"{"analysis": "arrivals", "period": "hour"}"#, Some(&log))?;
//! assert!(result.contains(r#""cases":1"#));
//! let e = analyze_json(r#"{"analysis": "arrivals", "perod": "hour"}"#, Some(&log)).unwrap_err();
//! assert!(e.to_string().contains("perod"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::journey;
use super::{
    activity, arrival, attribution, calibrate, emotion, kpi, kpi_compare, moments, process, stage,
};
use crate::error::{Error, Result};
use crate::log::EventLog;
use crate::model::Map;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One analytic and its parameters.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    Profile {},
    ActivityStats {},
    Arrivals {
        #[serde(default)]
        period: arrival::Period,
    },
    StageDwell {
        /// The text event attribute holding each event's stage (`stage` when neither this nor
        /// `map` is given).
        #[serde(default)]
        stage_attribute: Option<String>,
        /// A map document whose steps and touchpoints give the stages of activities.
        #[serde(default)]
        map: Option<Value>,
        /// Stages listed first, in this order.
        #[serde(default)]
        order: Vec<String>,
    },
    Calibrate {
        map: Value,
        #[serde(default)]
        statistic: calibrate::Statistic,
    },
    /// Parameters read by [`attribution::AttributionRequest::from_value`] (errors with paths).
    Attribution(AttributionInput),
    /// Parameters read by [`attribution::PathsRequest::from_value`].
    AttributionPaths(Value),
    Kpi(kpi::KpiRequest),
    KpiCompare(kpi_compare::KpiCompareRequest),
    MomentsOfTruth(moments::MomentsRequest),
    EmotionCurve(emotion::EmotionRequest),
    Funnel(journey::funnel::FunnelRequest),
    TransitionGraph(journey::transitions::TransitionRequest),
    StepMatrix(journey::step_matrix::StepMatrixRequest),
    TopPaths(journey::paths::TopPathsRequest),
    Retention(journey::retention::RetentionRequest),
    RfmSummary(super::clv::api::RfmRequest),
    ClvFit(super::clv::api::FitRequest),
    ClvPredict(super::clv::api::PredictRequest),
    ChangePoints(super::monitor::changepoint::ChangePointRequest),
    ControlChart(super::monitor::control::ControlChartRequest),
    KpiSeries(super::monitor::series::KpiSeriesRequest),
    MonitorInfo(super::monitor::series::MonitorInfoRequest),
    Personas(super::personas::PersonasRequest),
    ProcessDrift(super::monitor::drift::DriftRequest),
}

/// The `attribution` request as given: its options (read by
/// [`attribution::AttributionRequest::from_value`], so errors carry paths) and a path table set
/// as columns ([`Request::set_column`]: `paths.path`, `paths.total_conversions`, ...).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct AttributionInput {
    pub options: Value,
    #[serde(skip)]
    pub paths: attribution::PathColumns,
}

impl Request {
    /// Parses a request; errors name the bad field's path.
    pub fn from_json(text: &str) -> Result<Request> {
        let mut fields: serde_json::Map<String, Value> = crate::json::from_str(text, "a request")?;
        let bad = |message: String| Error::Parse {
            path: "analysis".into(),
            line: 0,
            column: 0,
            message,
        };
        let name = match fields.remove("analysis") {
            Some(Value::String(name)) => name,
            Some(other) => return Err(bad(format!("expected the analysis' name, got {other}"))),
            None => return Err(bad("missing: the request names no analysis".into())),
        };
        // The analysis name becomes the enum's external tag, so that a bad field has its path.
        let tagged = Value::Object(
            [(name.clone(), Value::Object(fields))]
                .into_iter()
                .collect(),
        );
        serde_path_to_error::deserialize(tagged).map_err(|e| {
            let path = e.path().to_string();
            let path = path.strip_prefix(name.as_str()).unwrap_or(&path);
            let path = path.strip_prefix('.').unwrap_or(path);
            let message = e.into_inner().to_string();
            Error::Parse {
                path: if path.is_empty() {
                    "analysis".into()
                } else {
                    path.to_string()
                },
                line: 0,
                column: 0,
                message,
            }
        })
    }

    /// The analysis' name, as the request's `"analysis"` gives it.
    pub fn analysis(&self) -> &'static str {
        match self {
            Request::Profile {} => "profile",
            Request::ActivityStats {} => "activity_stats",
            Request::Arrivals { .. } => "arrivals",
            Request::StageDwell { .. } => "stage_dwell",
            Request::Calibrate { .. } => "calibrate",
            Request::Attribution(_) => "attribution",
            Request::AttributionPaths(_) => "attribution_paths",
            Request::Kpi(_) => "kpi",
            Request::KpiCompare(_) => "kpi_compare",
            Request::MomentsOfTruth(_) => "moments_of_truth",
            Request::EmotionCurve(_) => "emotion_curve",
            Request::Funnel(_) => "funnel",
            Request::TransitionGraph(_) => "transition_graph",
            Request::StepMatrix(_) => "step_matrix",
            Request::TopPaths(_) => "top_paths",
            Request::Retention(_) => "retention",
            Request::RfmSummary(_) => "rfm_summary",
            Request::ClvFit(_) => "clv_fit",
            Request::ClvPredict(_) => "clv_predict",
            Request::ChangePoints(_) => "change_points",
            Request::ControlChart(_) => "control_chart",
            Request::KpiSeries(_) => "kpi_series",
            Request::MonitorInfo(_) => "monitor_info",
            Request::Personas(_) => "personas",
            Request::ProcessDrift(_) => "process_drift",
        }
    }

    /// Runs the analytic: its typed result. `log` is required by analytics that read an event log.
    pub fn evaluate(&self, log: Option<&EventLog>) -> Result<Output> {
        let needs_log = || {
            log.ok_or_else(|| Error::MissingData {
                path: "analysis".into(),
                what: "an event log (this analysis reads one)".into(),
            })
        };
        Ok(match self {
            Request::Profile {} => Output::Profile(process::profile(needs_log()?)),
            Request::ActivityStats {} => {
                Output::ActivityStats(activity::activity_stats(needs_log()?))
            }
            Request::Arrivals { period } => {
                Output::Arrivals(arrival::arrivals(needs_log()?, *period))
            }
            Request::StageDwell {
                stage_attribute,
                map,
                order,
            } => {
                let source = match (stage_attribute, map) {
                    (Some(_), Some(_)) => {
                        return Err(Error::InvalidArgument {
                            name: "stage_attribute".into(),
                            value: "with map".into(),
                            reason: "give the stages by an attribute or by a map, not both".into(),
                        })
                    }
                    (_, Some(map)) => stage::StageSource::from_map(&document(map)?),
                    (attribute, None) => stage::StageSource::Attribute(
                        attribute.clone().unwrap_or_else(|| "stage".into()),
                    ),
                };
                Output::StageDwell(stage::stage_dwell(needs_log()?, &source, order)?)
            }
            Request::Calibrate { map, statistic } => Output::Calibrate(calibrate::calibrate(
                &document(map)?,
                needs_log()?,
                *statistic,
            )?),
            Request::Attribution(r) => Output::Attribution(
                attribution::AttributionRequest::from_value(&r.options)?.run_with(log, &r.paths)?,
            ),
            Request::AttributionPaths(r) => {
                Output::AttributionPaths(attribution::PathsRequest::from_value(r)?.run(log)?)
            }
            Request::Kpi(r) => Output::Kpi(kpi::kpi(r, log)?),
            Request::KpiCompare(r) => Output::KpiCompare(kpi_compare::kpi_compare(r, log)?),
            Request::MomentsOfTruth(r) => {
                Output::MomentsOfTruth(moments::moments_of_truth(needs_log()?, r)?)
            }
            Request::EmotionCurve(r) => {
                Output::EmotionCurve(emotion::emotion_curve(needs_log()?, r)?)
            }
            Request::Funnel(r) => Output::Funnel(journey::funnel::funnel(needs_log()?, r)?),
            Request::TransitionGraph(r) => {
                Output::TransitionGraph(journey::transitions::transition_graph(needs_log()?, r)?)
            }
            Request::StepMatrix(r) => {
                Output::StepMatrix(journey::step_matrix::step_matrix(needs_log()?, r)?)
            }
            Request::TopPaths(r) => Output::TopPaths(journey::paths::top_paths(needs_log()?, r)?),
            Request::Retention(r) => {
                Output::Retention(journey::retention::retention(needs_log()?, r)?)
            }
            Request::RfmSummary(r) => Output::RfmSummary(r.run(log)?),
            Request::ClvFit(r) => Output::ClvFit(r.run(log)?),
            Request::ClvPredict(r) => Output::ClvPredict(r.run(log)?),
            Request::ChangePoints(r) => Output::ChangePoints(r.run()?),
            Request::ControlChart(r) => Output::ControlChart(r.run()?),
            Request::KpiSeries(r) => Output::KpiSeries(r.run(log)?),
            Request::MonitorInfo(r) => Output::MonitorInfo(r.run()?),
            Request::Personas(r) => Output::Personas(super::personas::personas(needs_log()?, r)?),
            Request::ProcessDrift(r) => {
                Output::ProcessDrift(super::monitor::drift::process_drift(needs_log()?, r)?)
            }
        })
    }

    /// Runs the analytic: its result as JSON.
    pub fn run(&self, log: Option<&EventLog>) -> Result<Value> {
        Ok(serde_json::to_value(self.evaluate(log)?).expect("results serialize"))
    }
}

/// Declares [`Output`], one variant per analysis, serialized as its result.
macro_rules! outputs {
    ($($variant:ident($name:literal, $ty:ty),)*) => {
        /// The typed result of a [`Request`], one variant per analysis; it serializes as the
        /// result itself (the JSON of [`Request::run`]).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Output {
            $(#[doc = concat!("`", $name, "`")] $variant($ty),)*
        }

        impl Serialize for Output {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Output::$variant(r) => r.serialize(s),)*
                }
            }
        }

        impl Output {
            /// The analysis' name (`"profile"`, `"funnel"`, ...).
            pub fn analysis(&self) -> &'static str {
                match self {
                    $(Output::$variant(_) => $name,)*
                }
            }

            fn deserialize_named(analysis: &str, value: &Value) -> Result<Output> {
                let bad = |e: serde_path_to_error::Error<serde_json::Error>| Error::Parse {
                    path: e.path().to_string(),
                    line: 0,
                    column: 0,
                    message: e.into_inner().to_string(),
                };
                Ok(match analysis {
                    $($name => Output::$variant(
                        serde_path_to_error::deserialize(value).map_err(bad)?,
                    ),)*
                    other => {
                        let names = [$($name),*];
                        return Err(Error::InvalidArgument {
                            name: "analysis".into(),
                            value: other.into(),
                            reason: format!("is not an analysis ({})", names.join(", ")),
                        });
                    }
                })
            }
        }
    };
}

outputs! {
    Profile("profile", process::Profile),
    ActivityStats("activity_stats", Vec<activity::ActivityStats>),
    Arrivals("arrivals", arrival::Arrivals),
    StageDwell("stage_dwell", Vec<stage::StageDwell>),
    Calibrate("calibrate", calibrate::Calibration),
    Attribution("attribution", attribution::Attribution),
    AttributionPaths("attribution_paths", Vec<attribution::PathTableRow>),
    Kpi("kpi", kpi::KpiResult),
    KpiCompare("kpi_compare", kpi_compare::KpiComparison),
    MomentsOfTruth("moments_of_truth", moments::MomentsOfTruth),
    EmotionCurve("emotion_curve", emotion::EmotionCurve),
    Funnel("funnel", journey::funnel::Funnel),
    TransitionGraph("transition_graph", journey::transitions::TransitionGraph),
    StepMatrix("step_matrix", journey::step_matrix::StepMatrix),
    TopPaths("top_paths", journey::paths::TopPaths),
    Retention("retention", journey::retention::Retention),
    RfmSummary("rfm_summary", super::clv::rfm::RfmSummary),
    ClvFit("clv_fit", super::clv::Fit),
    ClvPredict("clv_predict", super::clv::api::Predictions),
    ChangePoints("change_points", super::monitor::changepoint::ChangePoints),
    ControlChart("control_chart", super::monitor::control::ControlChart),
    KpiSeries("kpi_series", super::monitor::series::KpiSeries),
    MonitorInfo("monitor_info", super::monitor::series::MonitorInfo),
    Personas("personas", super::personas::Personas),
    ProcessDrift("process_drift", super::monitor::drift::Drift),
}

impl Output {
    /// Reads a result back from its JSON (as [`Request::run`] or `to_json` in the bindings wrote
    /// it), strictly: a missing or mistyped field, or a field the result does not have, is a
    /// `Parse` error naming its path.
    ///
    /// ```
    /// use journeystream::analytics::request::Output;
    /// let e = Output::from_json("arrivals", r#"{"period": "day", "cases": 0, "periods": 0,
    ///     "rate": 0.0, "inter_arrival": {"count": 0, "mean": 0.0, "median": 0.0, "min": 0.0,
    ///     "max": 0.0, "total": 0.0, "stdev": null}, "buckets": [{"start": 0, "cases": 1, "x": 2}]}"#)
    ///     .unwrap_err();
    /// assert_eq!(e.path(), Some("buckets[0].x"));
    /// ```
    pub fn from_json(analysis: &str, text: &str) -> Result<Output> {
        // A result is an object, or a list for the analyses whose result is one.
        let value: Value = if text.trim_start().starts_with('[') {
            serde_json::from_str(text).map_err(|e| Error::Parse {
                path: String::new(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?
        } else {
            crate::json::from_str(text, "a result")?
        };
        let output = Output::deserialize_named(analysis, &value)?;
        let again = serde_json::to_value(&output).expect("results serialize");
        if let Some(path) = unknown_field(&value, &again, String::new()) {
            let field = path.rsplit(['.', ']']).next().unwrap_or(&path).to_string();
            return Err(Error::Parse {
                path,
                line: 0,
                column: 0,
                message: format!("unknown field `{field}`"),
            });
        }
        Ok(output)
    }
}

/// The path of the first field of `given` that `kept` (the same value read and written again)
/// does not have.
fn unknown_field(given: &Value, kept: &Value, path: String) -> Option<String> {
    match (given, kept) {
        (Value::Object(g), Value::Object(k)) => g.iter().find_map(|(key, v)| {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match k.get(key) {
                None if !v.is_null() => Some(at),
                None => None,
                Some(kv) => unknown_field(v, kv, at),
            }
        }),
        (Value::Array(g), Value::Array(k)) => g
            .iter()
            .zip(k)
            .enumerate()
            .find_map(|(i, (v, kv))| unknown_field(v, kv, format!("{path}[{i}]"))),
        _ => None,
    }
}

/// Parses and runs a request given as JSON text, returning the result as JSON text.
pub fn analyze_json(request: &str, log: Option<&EventLog>) -> Result<String> {
    let result = Request::from_json(request)?.evaluate(log)?;
    Ok(serde_json::to_string(&result).expect("results serialize"))
}

/// A map document given inside a request, validated; error paths start at `map`.
fn document(value: &Value) -> Result<Map> {
    Map::from_json(&value.to_string()).map_err(|e| e.under("map"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> Error {
        Request::from_json(text).unwrap_err()
    }

    #[test]
    fn errors_name_the_field_and_the_value() {
        let e = error(r#"{"analysis": "calibrate", "map": {}, "statistic": "p99"}"#);
        assert_eq!(e.path(), Some("statistic"));
        assert!(
            e.to_string()
                .starts_with("statistic: unknown variant `p99`"),
            "{e}"
        );
        let e = error(r#"{"analysis": "arrivals", "perod": "day"}"#);
        assert!(e.to_string().contains("unknown field `perod`"), "{e}");
        let e = error(r#"{"analysis": "profil"}"#);
        assert_eq!(e.path(), Some("analysis"));
        assert!(e.to_string().contains("unknown variant `profil`"), "{e}");
        assert_eq!(error(r#"{"period": "day"}"#).path(), Some("analysis"));
        assert_eq!(error(r#"{"analysis": 3}"#).path(), Some("analysis"));
        let e = error("{\n  \"analysis\": ");
        assert_eq!(
            (e.path(), e.to_string().contains("line 2")),
            (None, true),
            "{e}"
        );
    }

    #[test]
    fn parameters_take_their_defaults() {
        assert_eq!(
            Request::from_json(r#"{"analysis": "arrivals"}"#).unwrap(),
            Request::Arrivals {
                period: arrival::Period::Day
            }
        );
        assert_eq!(
            Request::from_json(r#"{"analysis": "profile"}"#).unwrap(),
            Request::Profile {}
        );
    }
}
