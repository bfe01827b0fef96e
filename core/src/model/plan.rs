//! The plan: initiatives that turn a current state into a future state.

use crate::time::TimeSpan;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A set of initiatives, applied in order by [`crate::vsm::project`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub initiatives: Vec<Initiative>,
}

/// One change to the value stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Due date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Ids of the steps it changes.
    pub steps: Vec<String>,
    /// What it does to each of those steps.
    pub effects: Vec<Effect>,
    #[serde(default, skip_serializing_if = "super::is_empty")]
    pub notes: Vec<String>,
}

/// A field of a step that an effect can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EffectField {
    Wait,
    ProcessTime,
    CycleTime,
    LeadTime,
    Changeover,
    Uptime,
    CompleteAccurate,
    Rework,
    Operators,
}

impl EffectField {
    const NAMES: [(&'static str, EffectField); 9] = [
        ("wait", EffectField::Wait),
        ("process time", EffectField::ProcessTime),
        ("cycle time", EffectField::CycleTime),
        ("lead time", EffectField::LeadTime),
        ("changeover", EffectField::Changeover),
        ("uptime", EffectField::Uptime),
        ("%C&A", EffectField::CompleteAccurate),
        ("rework", EffectField::Rework),
        ("operators", EffectField::Operators),
    ];

    /// The name as written in effects (`"process time"`).
    pub fn as_str(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    /// Whether the field holds a time.
    pub fn is_time(self) -> bool {
        matches!(
            self,
            EffectField::Wait
                | EffectField::ProcessTime
                | EffectField::CycleTime
                | EffectField::LeadTime
                | EffectField::Changeover
        )
    }

    /// Whether the field holds a percentage.
    pub fn is_percentage(self) -> bool {
        matches!(
            self,
            EffectField::Uptime | EffectField::CompleteAccurate | EffectField::Rework
        )
    }
}

/// A new value for a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    /// A time (`"to 2h"`).
    Time(TimeSpan),
    /// A percentage (`"to 98%"`).
    Percent(f64),
    /// A plain number (`"operators to 3"`).
    Number(f64),
}

/// What an initiative does to a step, written as text in documents:
/// `"wait -50%"`, `"process time +10%"`, `"%C&A to 98%"`, `"wait to 2h"`, `"operators to 2"`,
/// `"remove step"`.
///
/// ```
/// use journeystream::{Effect, EffectField};
/// let e: Effect = "wait -50%".parse().unwrap();
/// assert_eq!(e, Effect::Change { field: EffectField::Wait, percent: -50.0 });
/// assert_eq!(e.to_string(), "wait -50%");
/// assert!("wait sideways".parse::<Effect>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// Change a field by a percentage of its current value.
    Change { field: EffectField, percent: f64 },
    /// Set a field to a value.
    Set { field: EffectField, to: Amount },
    /// Remove the step; its predecessors pass work to its successors.
    RemoveStep,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Effect::Change { field, percent } => {
                // `+` shows the sign of every number, -0 included.
                write!(f, "{} {percent:+}%", field.as_str())
            }
            Effect::Set { field, to } => match to {
                Amount::Time(t) => write!(f, "{} to {t}", field.as_str()),
                Amount::Percent(p) => write!(f, "{} to {p}%", field.as_str()),
                Amount::Number(n) => write!(f, "{} to {n}", field.as_str()),
            },
            Effect::RemoveStep => f.write_str("remove step"),
        }
    }
}

impl FromStr for Effect {
    type Err = String;
    fn from_str(s: &str) -> Result<Effect, String> {
        let text = s.trim();
        if text.eq_ignore_ascii_case("remove step") {
            return Ok(Effect::RemoveStep);
        }
        let (field, rest) = EffectField::NAMES
            .iter()
            .find_map(|(name, field)| {
                let head = text.get(..name.len())?;
                (head.eq_ignore_ascii_case(name) && text[name.len()..].starts_with(' '))
                    .then(|| (*field, text[name.len()..].trim()))
            })
            .ok_or_else(|| {
                let names: Vec<&str> = EffectField::NAMES.iter().map(|(n, _)| *n).collect();
                format!(
                    "'{s}' names no field: start with one of {}, or write 'remove step'",
                    names.join(", ")
                )
            })?;
        let bad = || {
            format!(
                "'{s}': expected '{} -50%', '{} +10%' or '{} to <value>'",
                field.as_str(),
                field.as_str(),
                field.as_str()
            )
        };
        if let Some(value) = rest.strip_prefix("to ") {
            let value = value.trim();
            let to = if field.is_percentage() {
                Amount::Percent(
                    value
                        .strip_suffix('%')
                        .ok_or_else(bad)?
                        .trim()
                        .parse()
                        .map_err(|_| bad())?,
                )
            } else if field.is_time() {
                Amount::Time(value.parse().map_err(|e: String| format!("'{s}': {e}"))?)
            } else {
                Amount::Number(value.parse().map_err(|_| bad())?)
            };
            return Ok(Effect::Set { field, to });
        }
        let percent: f64 = rest
            .strip_suffix('%')
            .ok_or_else(bad)?
            .trim()
            .parse()
            .map_err(|_| bad())?;
        if !percent.is_finite() || !(rest.starts_with('-') || rest.starts_with('+')) {
            return Err(bad());
        }
        Ok(Effect::Change { field, percent })
    }
}

impl Serialize for Effect {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Effect {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Effect, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects_round_trip_as_text() {
        for text in [
            "wait -50%",
            "process time +10%",
            "%C&A to 98%",
            "wait to 2h",
            "operators to 2",
            "remove step",
            "uptime to 95%",
            "rework to 0%",
            "wait -0%",
            "wait +0%",
        ] {
            let e: Effect = text.parse().unwrap_or_else(|err| panic!("{text}: {err}"));
            assert_eq!(e.to_string(), text);
        }
    }

    #[test]
    fn bad_effects_say_why() {
        for bad in [
            "wait 50%",
            "wait -fifty%",
            "speed -50%",
            "uptime to 95",
            "wait to soon",
            "waitx -5%",
        ] {
            assert!(bad.parse::<Effect>().is_err(), "{bad}");
        }
    }
}
