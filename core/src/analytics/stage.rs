//! Observed stage dwell time of a journey: how long customers stay in each stage, from entering it
//! to entering the next one.
//!
//! An event's stage comes from a text attribute column (`stage` by default), or from the map: the
//! activities its steps stand for and its touchpoints' ids and names. Events with no stage are
//! passed over. Walking a case in order, a visit to a stage starts at its first event (start
//! timestamp when given) and ends when an event of another stage begins; the last visit ends at the
//! case's last completion. Re-entering a stage is a new visit.

use super::partial::over_cases;
use super::process::DurationStats;
use crate::error::{Error, Result};
use crate::log::{Column, EventLog, Interner, NO_CODE};
use crate::model::Map;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;

/// Where events get their stage.
#[derive(Debug, Clone, PartialEq)]
pub enum StageSource {
    /// A text event attribute holding the stage (id or name).
    Attribute(String),
    /// Activity name → stage.
    Activities(HashMap<String, String>),
}

impl StageSource {
    /// Stages from a map: each step's activities (or its id and name) go to the step's stage (its
    /// own, or its touchpoint's); each touchpoint's id and name to its stage.
    pub fn from_map(map: &Map) -> StageSource {
        let mut m = HashMap::new();
        if let Some(j) = &map.journey {
            for stage in &j.stages {
                for t in &stage.touchpoints {
                    m.insert(t.id.clone(), stage.id.clone());
                    m.insert(t.name.clone(), stage.id.clone());
                }
            }
            if let Some(vs) = &map.value_stream {
                for s in &vs.steps {
                    let stage = s.stage.clone().or_else(|| {
                        s.touchpoint
                            .as_deref()
                            .and_then(|t| j.touchpoint(t))
                            .map(|(st, _)| st.id.clone())
                    });
                    if let Some(stage) = stage {
                        let names = if s.activities.is_empty() {
                            vec![s.id.clone(), s.name.clone()]
                        } else {
                            s.activities.clone()
                        };
                        for n in names {
                            m.insert(n, stage.clone());
                        }
                    }
                }
            }
        }
        StageSource::Activities(m)
    }
}

/// Dwell time in one stage (seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageDwell {
    pub stage: String,
    /// Cases that entered the stage.
    pub cases: u64,
    /// Visits (a case may return to a stage).
    pub visits: u64,
    pub dwell: DurationStats,
}

struct DwellPartial {
    stages: Interner,
    cases: Vec<u64>,
    dwell: Vec<Vec<i64>>,
}

impl DwellPartial {
    fn stage(&mut self, name: &str) -> usize {
        let s = self.stages.intern(name) as usize;
        if s == self.cases.len() {
            self.cases.push(0);
            self.dwell.push(Vec::new());
        }
        s
    }

    fn merge(mut self, other: DwellPartial) -> DwellPartial {
        for (i, name) in other.stages.names().iter().enumerate() {
            let s = self.stage(name);
            self.cases[s] += other.cases[i];
            self.dwell[s].extend_from_slice(&other.dwell[i]);
        }
        self
    }
}

/// The stage of each event, as a code into `names` (NO_CODE: none).
pub(crate) fn event_stages(
    log: &EventLog,
    source: &StageSource,
) -> Result<(Vec<String>, Vec<u32>)> {
    match source {
        StageSource::Attribute(name) => match log.event_column(name, "stage")? {
            Column::Text { dict, codes } => Ok((dict.to_strings(), codes.clone())),
            _ => Err(Error::argument("stage", name, "is not a text column")),
        },
        StageSource::Activities(map) => {
            let mut names = Interner::default();
            let by_activity: Vec<u32> = log
                .activities()
                .names()
                .iter()
                .map(|a| map.get(&**a).map_or(NO_CODE, |s| names.intern(s)))
                .collect();
            Ok((
                names.to_strings(),
                log.activity
                    .iter()
                    .map(|&a| by_activity[a as usize])
                    .collect(),
            ))
        }
    }
}

/// Dwell time per stage, in the order of `order` (stages not listed follow, by name).
///
/// ```
/// use journeystream::analytics::stage::{stage_dwell, StageSource};
/// use journeystream::log::LogBuilder;
/// let mut b = LogBuilder::new();
/// for (activity, minute) in [("ad", 0), ("visit", 10), ("cart", 30), ("pay", 35)] {
///     b.push("c1", activity, minute * 60_000_000_000)?;
/// }
/// let stages = [("ad", "awareness"), ("visit", "consideration"), ("cart", "purchase"), ("pay", "purchase")];
/// let source = StageSource::Activities(stages.iter().map(|(a, s)| (a.to_string(), s.to_string())).collect());
/// let d = stage_dwell(&b.finish().unwrap(), &source, &[])?;
/// assert_eq!(d.iter().map(|s| (s.stage.as_str(), s.dwell.mean)).collect::<Vec<_>>(),
///            [("awareness", 600.0), ("consideration", 1200.0), ("purchase", 300.0)]);
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn stage_dwell(
    log: &EventLog,
    source: &StageSource,
    order: &[String],
) -> Result<Vec<StageDwell>> {
    let (names, codes) = event_stages(log, source)?;
    let empty = || DwellPartial {
        stages: Interner::default(),
        cases: Vec::new(),
        dwell: Vec::new(),
    };
    let add = |p: &mut DwellPartial, log: &EventLog, cases: Range<usize>| {
        for c in cases {
            let case = log.case(c);
            let (ts, starts, events) = (case.timestamps(), case.starts(), case.events());
            let begin =
                |i: usize| starts.map_or(ts[i], |s| if s[i] == i64::MIN { ts[i] } else { s[i] });
            let mut current: Option<(u32, i64)> = None;
            let mut entered: Vec<u32> = Vec::new();
            for (i, e) in events.clone().enumerate() {
                let code = codes[e];
                if code == NO_CODE || current.is_some_and(|(s, _)| s == code) {
                    continue;
                }
                if let Some((s, since)) = current {
                    let k = p.stage(&names[s as usize]);
                    p.dwell[k].push(begin(i) - since);
                }
                current = Some((code, begin(i)));
                if !entered.contains(&code) {
                    entered.push(code);
                    let k = p.stage(&names[code as usize]);
                    p.cases[k] += 1;
                }
            }
            if let Some((s, since)) = current {
                let k = p.stage(&names[s as usize]);
                p.dwell[k].push(ts[ts.len() - 1] - since);
            }
        }
    };
    let p = over_cases(log, empty, add, DwellPartial::merge);
    let mut out: Vec<StageDwell> = p
        .stages
        .names()
        .iter()
        .zip(p.cases)
        .zip(p.dwell)
        .map(|((stage, cases), mut dwell)| StageDwell {
            stage: stage.to_string(),
            cases,
            visits: dwell.len() as u64,
            dwell: DurationStats::of_nanos(&mut dwell),
        })
        .collect();
    let place = |s: &str| order.iter().position(|o| o == s).unwrap_or(usize::MAX);
    out.sort_by(|a, b| {
        place(&a.stage)
            .cmp(&place(&b.stage))
            .then_with(|| a.stage.cmp(&b.stage))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{AttrValue, LogBuilder};

    #[test]
    fn dwell_from_an_attribute_with_returns_and_start_times() {
        let mut b = LogBuilder::new();
        // c1: a(0) b(10) a(20, started 15) end 30; c2: b only.
        for (case, stage, start, end) in [
            ("c1", "A", 0, 0),
            ("c1", "B", 10, 10),
            ("c1", "A", 15, 20),
            ("c1", "A", 30, 30),
            ("c2", "B", 0, 5),
        ] {
            let i = b.push(case, "x", end * 1_000_000_000).unwrap();
            b.set_start(i, start * 1_000_000_000);
            b.set_event_attribute(i, "stage", AttrValue::Text(stage));
        }
        let d = stage_dwell(
            &b.finish().unwrap(),
            &StageSource::Attribute("stage".into()),
            &["B".into(), "A".into()],
        )
        .unwrap();
        assert_eq!(d[0].stage, "B");
        assert_eq!(
            (d[0].cases, d[0].visits, d[0].dwell.total),
            (2, 2, 5.0 + 5.0)
        ); // c1: 10→15; c2: 0→5
        assert_eq!(
            (d[1].cases, d[1].visits, d[1].dwell.total),
            (1, 2, 10.0 + 15.0)
        ); // 0→10; 15→30
        let err = stage_dwell(
            &LogBuilder::new().finish().unwrap(),
            &StageSource::Attribute("stage".into()),
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("not an event attribute"), "{err}");
    }
}
