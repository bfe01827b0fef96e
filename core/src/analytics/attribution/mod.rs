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
pub use paths::{PathColumns, PathPartial, PathRow, PathTable, PathTableRow, Repeats, Touches};

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
    pub fn finish(
        self,
        channels: &[impl AsRef<str>],
        conversions_without_value: u64,
    ) -> Attribution {
        let mut out: Vec<ChannelCredit> = channels
            .iter()
            .enumerate()
            .map(|(i, name)| ChannelCredit {
                channel: name.as_ref().to_string(),
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
        self.run_with(log, &PathColumns::default())
    }

    /// Runs the model on a path table given as `columns` (when set), else as [`run`](Self::run).
    pub fn run_with(&self, log: Option<&EventLog>, columns: &PathColumns) -> Result<Attribution> {
        let m = self.model;
        if columns.is_set() && self.paths.is_some() {
            return Err(Error::argument(
                "paths",
                "rows and columns",
                "is given twice: as rows in the request and as columns",
            ));
        }
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
        let table_given = self.paths.is_some() || columns.is_set();
        if m == Model::TimeDecay {
            if table_given {
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
        let table = if table_given {
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
            let separator = self.separator.as_deref().unwrap_or(">");
            match &self.paths {
                Some(rows) => PathTable::from_rows(rows, separator)?,
                None => PathTable::from_columns(columns, separator)?,
            }
        } else {
            if let Some(s) = &self.separator {
                return Err(Error::argument(
                    "separator",
                    s,
                    "applies to path table rows; none are given",
                ));
            }
            PathTable::from_log(needs_log(log)?, &spec)?
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{AttrValue, LogBuilder};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// (case, channel or none, is purchase, revenue)
    type Ev = (u8, Option<u8>, bool, u8);

    /// Events with their time (seconds).
    fn build(events: &[(usize, Ev)]) -> EventLog {
        let mut b = LogBuilder::new();
        for &(i, (case, channel, buy, revenue)) in events {
            let activity = if buy { "buy" } else { "touch" };
            let e = b
                .push(&format!("j{case}"), activity, i as i64 * 1_000_000_000)
                .unwrap();
            if let Some(c) = channel {
                b.set_event_attribute(e, "channel", AttrValue::Text(&format!("ch{c}")));
            }
            if buy {
                b.set_event_attribute(e, "revenue", AttrValue::Number(revenue as f64));
            }
        }
        // every log has the activity and both attributes, so that the rules apply to any split
        let e = b.push("zz", "buy", 0).unwrap();
        b.set_event_attribute(e, "channel", AttrValue::Text("ch0"));
        b.set_event_attribute(e, "revenue", AttrValue::Number(1.0));
        b.finish().unwrap()
    }

    fn spec() -> LogJourneys {
        LogJourneys {
            conversion: Some(Conversion::Activity("buy".into())),
            value_attribute: Some("revenue".into()),
            ..LogJourneys::default()
        }
    }

    fn by_path(t: &PathTable) -> BTreeMap<String, (f64, f64, f64)> {
        let mut m = BTreeMap::new();
        for r in t.to_rows(">") {
            let e = m.entry(r.path).or_insert((0.0, 0.0, 0.0));
            e.0 += r.total_conversions;
            e.1 += r.total_conversion_value;
            e.2 += r.total_null;
        }
        m
    }

    fn credit_by_name(a: &Attribution) -> BTreeMap<String, (f64, f64)> {
        a.channels
            .iter()
            .filter(|c| c.conversions != 0.0 || c.value != 0.0)
            .map(|c| (c.channel.clone(), (c.conversions, c.value)))
            .collect()
    }

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    fn events() -> impl Strategy<Value = Vec<(usize, Ev)>> {
        prop::collection::vec(
            (
                0u8..15,
                prop::option::weighted(0.9, 0u8..5),
                prop::bool::weighted(0.2),
                0u8..50,
            ),
            0..80,
        )
        .prop_map(|v| v.into_iter().enumerate().collect())
    }

    proptest! {
        #[test]
        fn merged_partitions_equal_the_whole(events in events(), split in 0u8..15) {
            let whole = PathTable::from_log(&build(&events), &spec()).unwrap();
            let (left, mut right): (Vec<_>, Vec<_>) = events.iter().partition(|e| e.1 .0 < split);
            // the right part's events given in reverse (same times): other channel codes
            right.reverse();
            let (a, b) = (build(&left), build(&right));
            let merged = PathPartial::of_log(&a, &spec()).unwrap()
                .merge(PathPartial::of_log(&b, &spec()).unwrap())
                .finish();
            // each split adds the extra "zz" journey (no touch: the empty path) once more
            let mut want = by_path(&whole);
            let extra = want.get_mut("").expect("the zz journey");
            extra.0 += 1.0;
            extra.1 += 1.0;
            let got = by_path(&merged);
            prop_assert_eq!(got, want);
            prop_assert_eq!(merged.conversions_without_value, whole.conversions_without_value);
        }

        #[test]
        fn time_decay_over_parts_adds_up(events in events(), split in 0u8..15) {
            let all = heuristic::time_decay(&build(&events), &spec(), 5.0, Repeats::Keep).unwrap();
            let (left, right): (Vec<_>, Vec<_>) = events.iter().partition(|e| e.1 .0 < split);
            let l = heuristic::time_decay(&build(&left), &spec(), 5.0, Repeats::Keep).unwrap();
            let r = heuristic::time_decay(&build(&right), &spec(), 5.0, Repeats::Keep).unwrap();
            let (all, l, r) = (credit_by_name(&all), credit_by_name(&l), credit_by_name(&r));
            for (name, &(c, v)) in &all {
                let parts = [&l, &r].iter().map(|m| m.get(name).copied().unwrap_or((0.0, 0.0)))
                    .fold((0.0, 0.0), |s, x| (s.0 + x.0, s.1 + x.1));
                // the extra zz journey has no touch: no channel credit
                prop_assert!(near(parts.0, c) && near(parts.1, v), "{name}: {parts:?} vs {c} {v}");
            }
        }

        #[test]
        fn every_model_shares_out_the_attributable_totals(events in events()) {
            let table = PathTable::from_log(&build(&events), &spec()).unwrap();
            for model in [Model::FirstTouch, Model::LastTouch, Model::Linear, Model::UShaped,
                          Model::JShaped, Model::InverseJ, Model::Markov, Model::Shapley] {
                let request = AttributionRequest {
                    model, paths: Some(serde_json::to_value(table.to_rows(" > ")).unwrap()
                        .as_array().unwrap().clone()),
                    separator: None, channel_attribute: None, channel_from_activity: false,
                    conversion: None, value_attribute: None, repeats: Repeats::Keep,
                    half_life: None, first: None, last: None, order: None,
                };
                let a = request.run(None).unwrap();
                let conv: f64 = a.channels.iter().map(|c| c.conversions).sum();
                let value: f64 = a.channels.iter().map(|c| c.value).sum();
                prop_assert!(near(conv, a.total_conversions - a.unattributed_conversions), "{model:?} {conv} {a:?}");
                // Markov shares value only over paths that also have a transition weight
                if model != Model::Markov || a.total_conversions > 0.0 {
                    prop_assert!(near(value, a.total_conversion_value - a.unattributed_value), "{model:?} {value}");
                }
                for c in &a.channels {
                    prop_assert!(c.conversions >= -1e-12 && c.conversions.is_finite());
                    if let Some(re) = c.removal_effect {
                        prop_assert!((0.0..=1.0).contains(&re));
                    }
                }
            }
        }

        #[test]
        fn markov_and_shapley_do_not_depend_on_channel_names(events in events(), order in 1usize..4) {
            let table = PathTable::from_log(&build(&events), &spec()).unwrap();
            let mut renamed = table.clone();
            renamed.channels = table.channels.iter().map(|c| format!("x-{}", c.chars().rev().collect::<String>())).collect();
            let rename = |m: BTreeMap<String, (f64, f64)>| -> BTreeMap<String, (f64, f64)> {
                m.into_iter().map(|(k, v)| (format!("x-{}", k.chars().rev().collect::<String>()), v)).collect()
            };
            for (a, b) in [
                (markov::markov(&table, order).unwrap(), markov::markov(&renamed, order).unwrap()),
                (shapley::shapley(&table).unwrap(), shapley::shapley(&renamed).unwrap()),
            ] {
                let (want, got) = (rename(credit_by_name(&a)), credit_by_name(&b));
                prop_assert_eq!(want.len(), got.len());
                for (k, v) in &want {
                    let g = got[k];
                    prop_assert!(near(v.0, g.0) && near(v.1, g.1), "{k}: {v:?} vs {g:?}");
                }
            }
        }
    }

    #[test]
    fn requests_check_their_parameters() {
        let run =
            |v: serde_json::Value| AttributionRequest::from_value(&v).and_then(|r| r.run(None));
        let paths = serde_json::json!([["a > b", 1]]);
        let e =
            run(serde_json::json!({"model": "linear", "order": 2, "paths": paths})).unwrap_err();
        assert!(
            e.to_string().contains("not a parameter of model linear"),
            "{e}"
        );
        let e = run(serde_json::json!({"model": "position", "first": 0.5, "paths": paths}))
            .unwrap_err();
        assert_eq!(e.path(), Some("last"));
        let e = run(
            serde_json::json!({"model": "linear", "conversion": {"activity": "x"}, "paths": paths}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("path table is given"), "{e}");
        let e = run(serde_json::json!({"model": "markov", "order": "two", "paths": paths}))
            .unwrap_err();
        assert_eq!(e.path(), Some("order"));
        let e = run(serde_json::json!({"model": "linear"})).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::MissingData);
        let a = run(serde_json::json!({"model": "markov", "order": 3, "paths": paths})).unwrap();
        assert_eq!(a.markov.unwrap().order, 3);
    }
}
