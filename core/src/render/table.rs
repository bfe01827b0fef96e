//! The tables behind the pictures, as CSV or JSON: journey touchpoints, pain points,
//! opportunities, value stream steps (the data boxes), the current vs future comparison, and the
//! directly-follows edges a flow graph shows.
//!
//! ```
//! use journeystream::{render::table, Map};
//! let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
//! let tables = table::map_tables(&map)?;
//! let steps = tables.iter().find(|t| t.name == "steps").unwrap();
//! assert!(steps.to_csv().starts_with("id,name,wait_s,process_s"));
//! assert_eq!(steps.rows.len(), 10);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::RenderOptions;
use crate::analytics::process::Profile;
use crate::error::Result;
use crate::model::{Journey, Map, Target, ValueClass};
use crate::vsm::{self, Comparison, ValueStreamMetrics};
use serde_json::{json, Value};

/// A named table: columns and rows of JSON values (numbers, text, null).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    fn new(name: &str, columns: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// CSV with a header row (RFC 4180 quoting; null as an empty cell).
    #[cfg(feature = "csv")]
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let cell = |v: &Value| match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        w.write_record(&self.columns).expect("writing to memory");
        for row in &self.rows {
            w.write_record(row.iter().map(cell))
                .expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 cells")
    }

    /// A JSON array with one object per row.
    pub fn to_json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                Value::Object(
                    self.columns
                        .iter()
                        .cloned()
                        .zip(r.iter().cloned())
                        .collect(),
                )
            })
            .collect();
        serde_json::to_string_pretty(&rows).expect("values serialize")
    }
}

/// One row per touchpoint: stage, touchpoint, channel, emotion, actions, thoughts, feelings.
pub fn touchpoints(j: &Journey) -> Table {
    let mut t = Table::new(
        "touchpoints",
        &[
            "stage",
            "touchpoint",
            "name",
            "channel",
            "emotion",
            "actions",
            "thoughts",
            "feelings",
        ],
    );
    for s in &j.stages {
        for tp in &s.touchpoints {
            t.rows.push(vec![
                json!(s.id),
                json!(tp.id),
                json!(tp.name),
                json!(tp.channel.as_str()),
                json!(tp.emotion),
                json!(tp.actions.join("; ")),
                json!(tp.thoughts.join("; ")),
                json!(tp.feelings.join("; ")),
            ]);
        }
    }
    t
}

/// One row per pain point, moment of truth and opportunity (kind column tells which), with the
/// opportunity's RICE priority.
pub fn journey_items(j: &Journey) -> Table {
    let mut t = Table::new(
        "journey_items",
        &[
            "stage",
            "kind",
            "id",
            "text",
            "touchpoint",
            "severity",
            "frequency_pct",
            "polarity",
            "priority",
        ],
    );
    for s in &j.stages {
        for p in &s.pain_points {
            t.rows.push(vec![
                json!(s.id),
                json!("pain_point"),
                json!(p.id),
                json!(p.description),
                json!(p.touchpoint),
                json!(p.severity),
                json!(p.frequency_pct),
                Value::Null,
                Value::Null,
            ]);
        }
        for m in &s.moments_of_truth {
            t.rows.push(vec![
                json!(s.id),
                json!("moment_of_truth"),
                json!(m.id),
                json!(m.name),
                json!(m.touchpoint),
                Value::Null,
                Value::Null,
                json!(m.polarity.name()),
                Value::Null,
            ]);
        }
        for o in &s.opportunities {
            t.rows.push(vec![
                json!(s.id),
                json!("opportunity"),
                json!(o.id),
                json!(o.name),
                json!(o.touchpoint),
                Value::Null,
                Value::Null,
                Value::Null,
                json!(o.priority()),
            ]);
        }
        for k in &s.kpi_targets {
            let target = match &k.target {
                Target::Number(v) => json!(v),
                Target::Time(ts) => json!(ts.to_string()),
            };
            t.rows.push(vec![
                json!(s.id),
                json!("kpi_target"),
                json!(k.kpi.as_str()),
                target,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            ]);
        }
    }
    t
}

/// The data boxes of a value stream map: one row per step (times in seconds, shares 0–1).
pub fn steps(map: &Map, m: &ValueStreamMetrics) -> Table {
    let mut t = Table::new(
        "steps",
        &[
            "id",
            "name",
            "wait_s",
            "process_s",
            "cycle_s",
            "changeover",
            "uptime_pct",
            "complete_accurate",
            "operators",
            "utilization",
            "visits",
            "value_class",
            "bottleneck",
        ],
    );
    let vs = map.value_stream.as_ref();
    for (i, s) in m.steps.iter().enumerate() {
        let step = vs.and_then(|v| v.steps.get(i));
        t.rows.push(vec![
            json!(s.id),
            json!(s.name),
            json!(s.wait_time.secs()),
            json!(s.process_time.secs()),
            json!(s.cycle_time.secs()),
            json!(step.and_then(|x| x.changeover).map(|c| c.to_string())),
            json!(step.map(|x| x.uptime_pct)),
            json!(s.complete_accurate),
            json!(step.and_then(|x| x.operators)),
            json!(s.utilization),
            json!(s.visits),
            json!(match s.value_class {
                ValueClass::ValueAdding => "value_adding",
                ValueClass::NecessaryNonValueAdding => "necessary_non_value_adding",
                ValueClass::Waste => "waste",
            }),
            json!(m.bottleneck.as_ref().is_some_and(|b| b.step == s.id)),
        ]);
    }
    t
}

/// The change of each summary metric, current to future.
pub fn comparison(c: &Comparison) -> Table {
    let mut t = Table::new(
        "comparison",
        &[
            "metric", "unit", "current", "future", "absolute", "relative",
        ],
    );
    for ch in &c.changes {
        t.rows.push(vec![
            json!(ch.metric),
            json!(ch.unit),
            json!(ch.before),
            json!(ch.after),
            json!(ch.absolute),
            json!(ch.relative),
        ]);
    }
    t
}

/// The directly-follows edges a flow graph with these options shows.
pub fn dfg_edges(p: &Profile, options: &RenderOptions) -> Table {
    let mut t = Table::new(
        "dfg_edges",
        &["source", "target", "count", "median_s", "mean_s"],
    );
    let max = p.dfg.iter().map(|e| e.count).max().unwrap_or(0) as f64;
    for e in p
        .dfg
        .iter()
        .filter(|e| e.count as f64 >= options.edge_threshold * max)
    {
        t.rows.push(vec![
            json!(e.source),
            json!(e.target),
            json!(e.count),
            json!(e.median),
            json!(e.mean),
        ]);
    }
    t
}

/// Every table behind a map's pictures: touchpoints and journey items (with a journey), steps
/// (with a value stream), the comparison and future steps (with a plan).
pub fn map_tables(map: &Map) -> Result<Vec<Table>> {
    let mut out = Vec::new();
    if let Some(j) = &map.journey {
        out.push(touchpoints(j));
        out.push(journey_items(j));
    }
    if map.value_stream.is_some() {
        let o = vsm::MeasureOptions::default();
        let current = vsm::measure(map, &o)?;
        out.push(steps(map, &current));
        if map.plan.is_some() {
            let future_map = vsm::project(map)?.map;
            let future = vsm::measure(&future_map, &o)?;
            let mut fs = steps(&future_map, &future);
            fs.name = "future_steps".into();
            out.push(fs);
            out.push(comparison(&vsm::compare(&current, &future)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_json_objects() {
        let mut t = Table::new("t", &["a", "b"]);
        t.rows.push(vec![json!("x, \"y\""), Value::Null]);
        t.rows.push(vec![json!(1.5), json!(true)]);
        assert_eq!(t.to_csv(), "a,b\n\"x, \"\"y\"\"\",\n1.5,true\n");
        let v: Value = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(v[1]["a"], json!(1.5));
    }
}
