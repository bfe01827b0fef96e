//! Multi-touch attribution: how much of the conversions (and their value) each channel earned.
//!
//! Input is a path table ([`PathTable`], ChannelAttribution's layout: distinct paths
//! `"a > b > c"` with `total_conversions`, `total_conversion_value`, `total_null`), given as rows
//! or built from an event log's journeys ([`LogJourneys`]: a case is a journey, touches are its
//! events' channels, conversion by activity, case attribute or event attribute value). Models:
//!
//! - [`heuristic`]: first touch, last touch, linear, position-based (U-shaped 40/20/40, J
//!   20/20/60, inverse J 60/20/20, custom), and time decay (log input: it needs timestamps);
//! - [`markov`]: Markov chains of order k with exact removal effects from the absorbing chain;
//! - [`shapley`]: exact Shapley values of the "simplified Shapley" game (Zhao et al. 2018).
//!
//! Every model shares out the conversions and value of paths with at least one touch; converting
//! journeys without touches are reported as `unattributed_conversions`. Channels come out sorted by
//! name. Definitions and defaults: `docs/metrics.md`, section "Attribution".

pub mod chain;
pub mod heuristic;
mod journey;
pub mod markov;
pub mod paths;
pub mod shapley;

pub use journey::{Conversion, LogJourneys};
pub use paths::{PathPartial, PathRow, PathTable, PathTableRow, Repeats};

use crate::error::{Error, Result};
use crate::log::EventLog;
use heuristic::Heuristic;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One channel's credit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelCredit {
    pub channel: String,
    /// Conversions attributed to the channel.
    pub conversions: f64,
    /// Conversion value attributed to the channel.
    pub value: f64,
    /// Markov only: 1 − P(conversion without the channel) ÷ P(conversion).
    pub removal_effect: Option<f64>,
    /// Markov only: the same for the expected conversion value.
    pub value_removal_effect: Option<f64>,
}

/// Markov-chain details of an attribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkovSummary {
    pub order: usize,
    /// Transient states besides (start): channels, or k-tuples of channels.
    pub states: usize,
    /// Probability that a journey from (start) converts.
    pub conversion_probability: f64,
    /// Expected conversion value of a journey from (start).
    pub value_per_journey: f64,
}

/// The result of an attribution model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The model's name (as in requests: `linear`, `markov`, ...).
    pub model: String,
    /// Every channel of the input, sorted by name.
    pub channels: Vec<ChannelCredit>,
    /// All conversions of the input (attributed or not).
    pub total_conversions: f64,
    pub total_conversion_value: f64,
    pub total_null: f64,
    /// Conversions (and their value) of journeys without any touch: no channel gets them.
    pub unattributed_conversions: f64,
    pub unattributed_value: f64,
    /// Log input with a value attribute: conversions whose value was missing (counted as 0).
    pub conversions_without_value: u64,
    /// Markov models: the chain's order, size and conversion probability.
    pub markov: Option<MarkovSummary>,
}

/// Per-channel sums of credit and the input's totals, while a model runs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Credits {
    conversions: Vec<f64>,
    value: Vec<f64>,
    totals: [f64; 5],
}

impl Credits {
    pub fn new(channels: usize) -> Credits {
        Credits {
            conversions: vec![0.0; channels],
            value: vec![0.0; channels],
            totals: [0.0; 5],
        }
    }

    /// Counts a path (or journey) in the totals.
    pub fn count(&mut self, no_touch: bool, conversions: f64, value: f64, nulls: f64) {
        self.totals[0] += conversions;
        self.totals[1] += value;
        self.totals[2] += nulls;
        if no_touch {
            self.totals[3] += conversions;
            self.totals[4] += value;
        }
    }

    /// Gives touch i of a path `weights[i]` of its conversions and value.
    pub fn spread(&mut self, touches: &[u32], weights: &[f64], conversions: f64, value: f64) {
        for (&t, &w) in touches.iter().zip(weights) {
            self.conversions[t as usize] += conversions * w;
            self.value[t as usize] += value * w;
        }
    }

    /// Sets channel `c`'s credit.
    pub fn set(&mut self, c: usize, conversions: f64, value: f64) {
        self.conversions[c] = conversions;
        self.value[c] = value;
    }

    /// Attributable conversions and value (those of paths with a touch).
    pub fn attributable(&self) -> (f64, f64) {
        (
            self.totals[0] - self.totals[3],
            self.totals[1] - self.totals[4],
        )
    }

    /// Adds `other`, whose channel codes map to ours by `map` (None: the same codes).
    pub fn absorb(&mut self, other: Credits, map: Option<&[u32]>) {
        for (i, (c, v)) in other.conversions.into_iter().zip(other.value).enumerate() {
            let j = map.map_or(i, |m| m[i] as usize);
            if j >= self.conversions.len() {
                self.conversions.resize(j + 1, 0.0);
                self.value.resize(j + 1, 0.0);
            }
            self.conversions[j] += c;
            self.value[j] += v;
        }
        for (a, b) in self.totals.iter_mut().zip(other.totals) {
            *a += b;
        }
    }

    /// The result, channels sorted by name.
    pub fn finish(self, channels: &[String], conversions_without_value: u64) -> Attribution {
        let mut out: Vec<ChannelCredit> = channels
            .iter()
            .enumerate()
            .map(|(i, name)| ChannelCredit {
                channel: name.clone(),
                conversions: self.conversions.get(i).copied().unwrap_or(0.0),
                value: self.value.get(i).copied().unwrap_or(0.0),
                removal_effect: None,
                value_removal_effect: None,
            })
            .collect();
        out.sort_by(|a, b| a.channel.cmp(&b.channel));
        Attribution {
            model: String::new(),
            channels: out,
            total_conversions: self.totals[0],
            total_conversion_value: self.totals[1],
            total_null: self.totals[2],
            unattributed_conversions: self.totals[3],
            unattributed_value: self.totals[4],
            conversions_without_value,
            markov: None,
        }
    }
}

/// The attribution models by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    FirstTouch,
    LastTouch,
    Linear,
    UShaped,
    JShaped,
    InverseJ,
    TimeDecay,
    Position,
    Markov,
    Shapley,
}

impl Model {
    /// The name used in requests and results.
    pub fn name(self) -> &'static str {
        match self {
            Model::FirstTouch => "first_touch",
            Model::LastTouch => "last_touch",
            Model::Linear => "linear",
            Model::UShaped => "u_shaped",
            Model::JShaped => "j_shaped",
            Model::InverseJ => "inverse_j",
            Model::TimeDecay => "time_decay",
            Model::Position => "position",
            Model::Markov => "markov",
            Model::Shapley => "shapley",
        }
    }
}

/// The `attribution` request: a model, its parameters and its input (`paths` rows, or the event
/// log with the journey parameters). See `docs/metrics.md` for the request table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionRequest {
    pub model: Model,
    /// Path table rows (see [`PathTable::from_rows`]); without them, the event log is read.
    #[serde(default)]
    pub paths: Option<Vec<Value>>,
    /// Separator of channels in `paths` (`>`).
    #[serde(default)]
    pub separator: Option<String>,
    #[serde(default)]
    pub channel_attribute: Option<String>,
    #[serde(default)]
    pub channel_from_activity: bool,
    #[serde(default)]
    pub conversion: Option<Conversion>,
    #[serde(default)]
    pub value_attribute: Option<String>,
    /// How repeated channels in a path count (`keep`).
    #[serde(default)]
    pub repeats: Repeats,
    /// `time_decay`: the half-life in seconds.
    #[serde(default)]
    pub half_life: Option<f64>,
    /// `position`: the first touch's share.
    #[serde(default)]
    pub first: Option<f64>,
    /// `position`: the last touch's share.
    #[serde(default)]
    pub last: Option<f64>,
    /// `markov`: the chain's order (1).
    #[serde(default)]
    pub order: Option<usize>,
}

/// The `attribution_paths` request: the path table of a log's journeys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathsRequest {
    #[serde(default)]
    pub channel_attribute: Option<String>,
    #[serde(default)]
    pub channel_from_activity: bool,
    #[serde(default)]
    pub conversion: Option<Conversion>,
    #[serde(default)]
    pub value_attribute: Option<String>,
    #[serde(default)]
    pub repeats: Repeats,
    /// Joins channel names in the output paths (` > `).
    #[serde(default)]
    pub separator: Option<String>,
}

/// Reads request parameters from JSON, errors naming the bad field's path.
fn from_value<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::Parse {
            path: if path == "." { String::new() } else { path },
            line: 0,
            column: 0,
            message: e.into_inner().to_string(),
        }
    })
}

fn needs_log(log: Option<&EventLog>) -> Result<&EventLog> {
    log.ok_or_else(|| Error::MissingData {
        path: "paths".into(),
        what: "path table rows or an event log".into(),
    })
}

fn not_for(name: &str, given: bool, model: Model) -> Result<()> {
    if given {
        return Err(Error::argument(
            name,
            model.name(),
            format!("{name} is not a parameter of model {}", model.name()),
        ));
    }
    Ok(())
}

impl PathsRequest {
    /// Reads the request's parameters (an object without `analysis`).
    pub fn from_value(value: &Value) -> Result<PathsRequest> {
        from_value(value)
    }

    /// Runs the request over `log`.
    pub fn run(&self, log: Option<&EventLog>) -> Result<Vec<PathTableRow>> {
        let spec = LogJourneys {
            channel_attribute: self.channel_attribute.clone(),
            channel_from_activity: self.channel_from_activity,
            conversion: self.conversion.clone(),
            value_attribute: self.value_attribute.clone(),
        };
        let table = PathTable::from_log(needs_log(log)?, &spec)?.with_repeats(self.repeats);
        Ok(table.to_rows(self.separator.as_deref().unwrap_or(" > ")))
    }
}

impl AttributionRequest {
    /// Reads the request's parameters (an object without `analysis`); errors name the field
    /// (`model`, `order`, ...).
    ///
    /// ```
    /// use journeystream::analytics::attribution::AttributionRequest;
    /// let e = AttributionRequest::from_value(&serde_json::json!({"model": "last_click"})).unwrap_err();
    /// assert_eq!(e.path(), Some("model"));
    /// ```
    pub fn from_value(value: &Value) -> Result<AttributionRequest> {
        from_value(value)
    }

    /// Runs the request: reads the input, checks the parameters and runs the model.
    pub fn run(&self, log: Option<&EventLog>) -> Result<Attribution> {
        let m = self.model;
        if m != Model::TimeDecay {
            not_for("half_life", self.half_life.is_some(), m)?;
        }
        if m != Model::Position {
            not_for("first", self.first.is_some(), m)?;
            not_for("last", self.last.is_some(), m)?;
        }
        if m != Model::Markov {
            not_for("order", self.order.is_some(), m)?;
        }
        let spec = LogJourneys {
            channel_attribute: self.channel_attribute.clone(),
            channel_from_activity: self.channel_from_activity,
            conversion: self.conversion.clone(),
            value_attribute: self.value_attribute.clone(),
        };
        if m == Model::TimeDecay {
            if self.paths.is_some() {
                return Err(Error::argument(
                    "paths",
                    "time_decay",
                    "time decay needs timestamps: give an event log, not a path table",
                ));
            }
            let half_life = self.half_life.ok_or_else(|| Error::MissingData {
                path: "half_life".into(),
                what: "the half-life in seconds (time_decay)".into(),
            })?;
            let mut a = heuristic::time_decay(needs_log(log)?, &spec, half_life, self.repeats)?;
            a.model = m.name().into();
            return Ok(a);
        }
        let table = match &self.paths {
            Some(rows) => {
                for (name, given) in [
                    ("channel_attribute", self.channel_attribute.is_some()),
                    ("channel_from_activity", self.channel_from_activity),
                    ("conversion", self.conversion.is_some()),
                    ("value_attribute", self.value_attribute.is_some()),
                ] {
                    if given {
                        return Err(Error::argument(
                            name,
                            "with paths",
                            "reads an event log; a path table is given",
                        ));
                    }
                }
                PathTable::from_rows(rows, self.separator.as_deref().unwrap_or(">"))?
            }
            None => {
                if let Some(s) = &self.separator {
                    return Err(Error::argument(
                        "separator",
                        s,
                        "applies to path table rows; none are given",
                    ));
                }
                PathTable::from_log(needs_log(log)?, &spec)?
            }
        };
        let table = table.with_repeats(self.repeats);
        let rule = match m {
            Model::Markov => return markov::markov(&table, self.order.unwrap_or(1)),
            Model::Shapley => return shapley::shapley(&table),
            Model::FirstTouch => Heuristic::FirstTouch,
            Model::LastTouch => Heuristic::LastTouch,
            Model::Linear => Heuristic::Linear,
            Model::UShaped => Heuristic::U_SHAPED,
            Model::JShaped => Heuristic::J_SHAPED,
            Model::InverseJ => Heuristic::INVERSE_J,
            Model::Position | Model::TimeDecay => {
                let get = |name: &str, v: Option<f64>| {
                    v.ok_or_else(|| Error::MissingData {
                        path: name.into(),
                        what: format!("the {name} touch's share (position)"),
                    })
                };
                Heuristic::Position {
                    first: get("first", self.first)?,
                    last: get("last", self.last)?,
                }
            }
        };
        let mut a = heuristic::heuristic(&table, rule)?;
        a.model = m.name().into();
        Ok(a)
    }
}
