//! Runs every conformance vector in tests/vectors/ through the Rust API (see tests/vectors/README.md).

use journeystream::analytics::process::{self, Profile};
use journeystream::analytics::request::analyze_json;
#[cfg(feature = "arrow")]
use journeystream::analytics::request::Request;
use journeystream::log::csv::{read_csv_file, CsvOptions};
use journeystream::log::jsonl::{read_jsonl_file, JsonlOptions};
use journeystream::log::read::OnBadRow;
use journeystream::log::timestamp::parse_rfc3339;
use journeystream::log::xes::{read_xes_file, XesOptions};
use journeystream::log::{EventLog, LogBuilder};
use journeystream::{vsm, Error, Map};
use serde_json::{Map as Object, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check_number(what: &str, actual: Option<f64>, spec: &Value) -> Result<(), String> {
    match (spec, actual) {
        (Value::Null, None) => Ok(()),
        (Value::Null, Some(a)) => Err(format!("{what}: expected absent, got {a}")),
        (_, None) => Err(format!("{what}: expected {spec}, got absent")),
        (Value::Number(n), Some(a)) => {
            let e = n.as_f64().unwrap();
            if (a - e).abs() <= 1e-9 * e.abs().max(1.0) {
                Ok(())
            } else {
                Err(format!("{what}: expected {e}, got {a}"))
            }
        }
        (Value::Object(o), Some(a))
            if o.len() == 2 && o.contains_key("round") && o.contains_key("value") =>
        {
            let d = o["round"].as_i64().ok_or("round must be an integer")? as i32;
            let e = o["value"].as_f64().ok_or("value must be a number")?;
            let scale = 10f64.powi(d);
            let r = (a * scale).round() / scale;
            if (r - e).abs() <= 1e-9 * e.abs().max(1.0) {
                Ok(())
            } else {
                Err(format!("{what}: expected {e} at {d} decimals, got {a}"))
            }
        }
        (Value::Object(o), Some(a)) if is_number_spec(o) && o.contains_key("tol") => {
            let e = o["value"].as_f64().ok_or("value must be a number")?;
            let tol = o["tol"].as_f64().ok_or("tol must be a number")?;
            if (a - e).abs() <= tol {
                Ok(())
            } else {
                Err(format!("{what}: expected {e} ± {tol}, got {a}"))
            }
        }
        _ => Err(format!("{what}: unknown number spec {spec}")),
    }
}

/// Checks a result against an `analyze` expectation: objects match when every key of the spec
/// matches (the result may have more), lists element by element with the same length, numbers
/// within 1e-9 relative (or a number spec: `{"round", "value"}`, `{"value", "tol"}`), anything
/// else exactly; a null spec matches null or absent.
fn match_json(what: &str, actual: &Value, spec: &Value) -> Result<(), String> {
    match spec {
        Value::Number(_) => check_number(what, actual.as_f64(), spec),
        Value::Object(o) if is_number_spec(o) => check_number(what, actual.as_f64(), spec),
        Value::Object(o) => {
            for (key, spec) in o {
                let what = format!("{what}.{key}");
                match actual.get(key) {
                    Some(a) => match_json(&what, a, spec)?,
                    None if spec.is_null() => {}
                    None => return Err(format!("{what}: expected {spec}, got absent")),
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            let got = actual
                .as_array()
                .ok_or(format!("{what}: expected a list, got {actual}"))?;
            if got.len() != items.len() {
                return Err(format!(
                    "{what}: expected {} items, got {}: {actual}",
                    items.len(),
                    got.len()
                ));
            }
            for (i, (a, s)) in got.iter().zip(items).enumerate() {
                match_json(&format!("{what}[{i}]"), a, s)?;
            }
            Ok(())
        }
        _ if actual == spec => Ok(()),
        _ => Err(format!("{what}: expected {spec}, got {actual}")),
    }
}

fn is_number_spec(o: &Object<String, Value>) -> bool {
    o.len() == 2 && o.contains_key("value") && (o.contains_key("round") || o.contains_key("tol"))
}

/// Checks `{field: spec}` against a JSON object of results.
fn check_fields(what: &str, actual: &Value, specs: &Value) -> Result<(), String> {
    for (field, spec) in specs
        .as_object()
        .ok_or(format!("{what}: expected an object of fields"))?
    {
        let value = actual
            .get(field)
            .ok_or(format!("{what}: unknown field '{field}'"))?;
        check_number(&format!("{what}.{field}"), value.as_f64(), spec)?;
    }
    Ok(())
}

/// Checks `{id: {field: spec}}` against a list of results with `id`.
fn check_list(what: &str, list: &Value, specs: &Value) -> Result<(), String> {
    for (id, fields) in specs
        .as_object()
        .ok_or(format!("{what}: expected an object of ids"))?
    {
        let item = list
            .as_array()
            .and_then(|l| l.iter().find(|x| x["id"] == id.as_str()))
            .ok_or(format!("{what}: no '{id}'"))?;
        check_fields(&format!("{what}[{id}]"), item, fields)?;
    }
    Ok(())
}

fn document(v: &Value) -> Result<Result<Map, Error>, String> {
    if let Some(file) = v.get("document_file") {
        return Ok(Map::from_path(
            root().join(file.as_str().ok_or("document_file must be a string")?),
        ));
    }
    if let Some(text) = v.get("document_text") {
        return Ok(Map::from_json(
            text.as_str().ok_or("document_text must be a string")?,
        ));
    }
    let doc = v.get("document").ok_or("the vector has no document")?;
    Ok(Map::from_json(&doc.to_string()))
}

/// The log of a `profile` vector (`log_events` rows or a `log_file`) and the events skipped.
fn event_log(v: &Value, args: &Value) -> Result<Result<(EventLog, u64), String>, Error> {
    let skip = match args {
        Value::Null => false,
        Value::Object(o) => {
            if let Some(k) = o.keys().find(|k| *k != "skip_bad_rows") {
                return Ok(Err(format!("unknown log argument '{k}'")));
            }
            match o.get("skip_bad_rows") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Ok(Err("args.skip_bad_rows must be a boolean".into())),
            }
        }
        _ => return Ok(Err("args must be an object".into())),
    };
    for key in ["document", "document_file", "document_text"] {
        if v.get(key).is_some() {
            return Ok(Err(format!("a log vector takes a log, not '{key}'")));
        }
    }
    match (v.get("log_events"), v.get("log_file")) {
        (Some(rows), None) => {
            if skip {
                return Ok(Err("skip_bad_rows needs a log_file".into()));
            }
            let Some(rows) = rows.as_array() else {
                return Ok(Err("log_events must be a list of rows".into()));
            };
            let mut b = LogBuilder::new();
            for (i, row) in rows.iter().enumerate() {
                let fields: Option<Vec<&str>> = row
                    .as_array()
                    .filter(|r| r.len() == 3)
                    .and_then(|r| r.iter().map(Value::as_str).collect());
                let Some([case, activity, time]) = fields.as_deref().map(|f| [f[0], f[1], f[2]])
                else {
                    return Ok(Err(format!(
                        "log_events[{i}] must be [case, activity, timestamp] strings"
                    )));
                };
                let Some(t) = parse_rfc3339(time, 0) else {
                    return Ok(Err(format!(
                        "log_events[{i}]: '{time}' is not an RFC 3339 timestamp"
                    )));
                };
                b.push(case, activity, t)?;
            }
            Ok(Ok((b.finish().unwrap(), 0)))
        }
        (None, Some(file)) => {
            let Some(file) = file.as_str() else {
                return Ok(Err("log_file must be a string".into()));
            };
            let on_bad_row = if skip {
                OnBadRow::SkipAndReport
            } else {
                OnBadRow::Fail
            };
            let path = root().join(file);
            let (log, report) = if file.contains(".csv") {
                let options = CsvOptions {
                    on_bad_row,
                    ..CsvOptions::default()
                };
                read_csv_file(path, options)?
            } else if file.contains(".jsonl") {
                let options = JsonlOptions {
                    on_bad_row,
                    ..JsonlOptions::default()
                };
                read_jsonl_file(path, options)?
            } else {
                let options = XesOptions {
                    on_bad_row,
                    ..XesOptions::default()
                };
                read_xes_file(path, options)?
            };
            Ok(Ok((log, report.rows_skipped)))
        }
        _ => Ok(Err(
            "a log vector needs exactly one of log_events and log_file".into(),
        )),
    }
}

fn object<'a>(what: &str, spec: &'a Value) -> Result<&'a Object<String, Value>, String> {
    spec.as_object()
        .ok_or(format!("{what}: expected an object"))
}

/// Checks that `spec` names exactly the keys in `actual`, in any order.
fn same_keys(what: &str, actual: &[String], spec: &Object<String, Value>) -> Result<(), String> {
    for key in spec.keys() {
        if !actual.contains(key) {
            return Err(format!(
                "{what}: expected '{key}', which the profile does not have"
            ));
        }
    }
    for key in actual {
        if !spec.contains_key(key) {
            return Err(format!(
                "{what}: the profile has '{key}', which the vector does not list"
            ));
        }
    }
    Ok(())
}

const STATS: [&str; 7] = ["count", "mean", "median", "min", "max", "total", "stdev"];

/// Checks `{field: spec}` against a JSON object whose fields must be among `allowed`.
fn check_known_fields(
    what: &str,
    actual: &Value,
    specs: &Value,
    allowed: &[&str],
) -> Result<(), String> {
    for (field, spec) in object(what, specs)? {
        if !allowed.contains(&field.as_str()) {
            return Err(format!("{what}: unknown field '{field}'"));
        }
        check_number(&format!("{what}.{field}"), actual[field].as_f64(), spec)?;
    }
    Ok(())
}

fn check_profile(p: &Profile, skipped: u64, expect: &Value) -> Result<(), String> {
    let json = serde_json::to_value(p).unwrap();
    for (section, spec) in object("expect", expect)? {
        let what = section.as_str();
        match what {
            "summary" => check_known_fields(what, &json, spec, &["cases", "events"])?,
            "skipped" => check_number(what, Some(skipped as f64), spec)?,
            "activities" => {
                let spec = object(what, spec)?;
                let names: Vec<String> = p.activities.iter().map(|a| a.activity.clone()).collect();
                same_keys(what, &names, spec)?;
                for (a, item) in p
                    .activities
                    .iter()
                    .zip(&json["activities"].as_array().unwrap()[..])
                {
                    check_known_fields(
                        &format!("{what}[{}]", a.activity),
                        item,
                        &spec[&a.activity],
                        &["events", "cases"],
                    )?;
                }
            }
            "start_activities" | "end_activities" => {
                let spec = object(what, spec)?;
                let list = if what == "start_activities" {
                    &p.start_activities
                } else {
                    &p.end_activities
                };
                let names: Vec<String> = list.iter().map(|e| e.activity.clone()).collect();
                same_keys(what, &names, spec)?;
                for e in list {
                    check_number(
                        &format!("{what}[{}]", e.activity),
                        Some(e.cases as f64),
                        &spec[&e.activity],
                    )?;
                }
            }
            "dfg" => {
                let spec = object(what, spec)?;
                let keys: Vec<String> = p
                    .dfg
                    .iter()
                    .map(|e| format!("{} -> {}", e.source, e.target))
                    .collect();
                same_keys(what, &keys, spec)?;
                for (key, item) in keys.iter().zip(json["dfg"].as_array().unwrap()) {
                    check_known_fields(&format!("dfg[{key}]"), item, &spec[key], &STATS)?;
                }
            }
            "variants" => {
                let spec = object(what, spec)?;
                let keys: Vec<String> = p.variants.iter().map(|v| v.activities.join(",")).collect();
                same_keys(what, &keys, spec)?;
                for (key, v) in keys.iter().zip(&p.variants) {
                    check_number(
                        &format!("variants[{key}]"),
                        Some(v.count as f64),
                        &spec[key],
                    )?;
                }
            }
            "case_durations" => check_known_fields(what, &json["case_durations"], spec, &STATS)?,
            other => return Err(format!("unknown profile expectation '{other}'")),
        }
    }
    Ok(())
}

/// The result's Arrow tables put back together equal its JSON (a null field in a table row stands
/// for a field the JSON leaves out).
#[cfg(feature = "arrow")]
fn tables_equal_json(output: &(impl serde::Serialize + Sync)) -> Result<(), String> {
    fn without_nulls(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), without_nulls(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
            v => v.clone(),
        }
    }
    let json = serde_json::to_value(output).expect("results serialize");
    let json = &json;
    let tables = journeystream::columnar::Tables::of(output).map_err(|e| e.to_string())?;
    let back = tables.to_json();
    if without_nulls(&back) != without_nulls(json) {
        return Err(format!(
            "the Arrow tables ({}) differ from the JSON:\n  tables {back}\n  json   {json}",
            tables.names().join(", ")
        ));
    }
    Ok(())
}

fn run(v: &Value) -> Result<Result<(), String>, Error> {
    let call = v["call"].as_str().unwrap_or("");
    let expect = v.get("expect").cloned().unwrap_or(Value::Null);
    let args = v.get("args").cloned().unwrap_or(Value::Null);
    if call == "profile" {
        let (log, skipped) = match event_log(v, &args)? {
            Ok(x) => x,
            Err(why) => return Ok(Err(why)),
        };
        let p = process::profile(&log);
        #[cfg(feature = "arrow")]
        if let Err(why) = tables_equal_json(&p) {
            return Ok(Err(why));
        }
        return Ok(if expect.is_null() {
            Ok(())
        } else {
            check_profile(&p, skipped, &expect)
        });
    }
    if call == "analyze" {
        let has_log = v.get("log_events").is_some() || v.get("log_file").is_some();
        let log = if has_log {
            match event_log(v, &args)? {
                Ok((log, _)) => Some(log),
                Err(why) => return Ok(Err(why)),
            }
        } else {
            None
        };
        let Some(request) = v.get("request").filter(|r| r.is_object()) else {
            return Ok(Err("analyze needs a request object".into()));
        };
        let result: Value =
            serde_json::from_str(&analyze_json(&request.to_string(), log.as_ref())?)
                .expect("results are JSON");
        #[cfg(feature = "arrow")]
        {
            let output = Request::from_json(&request.to_string())?.evaluate(log.as_ref())?;
            if let Err(why) = tables_equal_json(&output) {
                return Ok(Err(why));
            }
        }
        return Ok(match_json("result", &result, &expect));
    }
    if call == "littles_law" {
        let arg = |k: &str| args.get(k).and_then(Value::as_f64);
        for k in args
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if !["wip", "throughput_per_day", "lead_time_days"].contains(&k.as_str()) {
                return Ok(Err(format!("unknown littles_law argument '{k}'")));
            }
        }
        let l = vsm::littles_law(arg("wip"), arg("throughput_per_day"), arg("lead_time_days"))?;
        return Ok(check_fields(
            "littles_law",
            &serde_json::to_value(l).unwrap(),
            &expect,
        ));
    }
    let map = match document(v) {
        Ok(m) => m?,
        Err(e) => return Ok(Err(e)),
    };
    Ok(match call {
        "load" => {
            let again = Map::from_json(&map.to_json())?;
            if expect.get("round_trip") == Some(&Value::Bool(true)) && again != map {
                Err("round trip changed the document".into())
            } else if expect
                .as_object()
                .is_some_and(|o| o.keys().any(|k| k != "round_trip"))
            {
                Err("unknown load expectation".into())
            } else {
                Ok(())
            }
        }
        "measure" => {
            let rework = args
                .get("rework")
                .and_then(Value::as_str)
                .unwrap_or("single_pass");
            let m = vsm::measure(
                &map,
                &vsm::MeasureOptions {
                    rework: vsm::ReworkModel::parse(rework)?,
                },
            )?;
            let json = serde_json::to_value(&m).unwrap();
            (|| {
                for (section, spec) in expect.as_object().ok_or("measure needs an expect object")? {
                    match section.as_str() {
                        "summary" => check_fields("summary", &json, spec)?,
                        "steps" | "stages" | "moments_of_truth" | "lanes" => {
                            check_list(section, &json[section.as_str()], spec)?
                        }
                        "bottleneck" => {
                            let got = m.bottleneck.as_ref().map(|b| b.step.as_str());
                            if got != spec.as_str() {
                                return Err(format!("bottleneck: expected {spec}, got {got:?}"));
                            }
                        }
                        other => return Err(format!("unknown measure expectation '{other}'")),
                    }
                }
                Ok(())
            })()
        }
        "project" => {
            let opts = vsm::MeasureOptions::default();
            let future = vsm::project(&map)?.map;
            let c = vsm::compare(&vsm::measure(&map, &opts)?, &vsm::measure(&future, &opts)?);
            (|| {
                for (section, spec) in expect.as_object().ok_or("project needs an expect object")? {
                    match section.as_str() {
                        "comparison" => {
                            for (metric, fields) in
                                spec.as_object().ok_or("comparison: expected an object")?
                            {
                                let change = serde_json::to_value(
                                    c.change(metric).ok_or(format!("no metric '{metric}'"))?,
                                )
                                .unwrap();
                                check_fields(&format!("comparison.{metric}"), &change, fields)?;
                            }
                        }
                        "steps_removed" => {
                            if serde_json::to_value(&c.steps_removed).unwrap() != *spec {
                                return Err(format!(
                                    "steps_removed: expected {spec}, got {:?}",
                                    c.steps_removed
                                ));
                            }
                        }
                        other => return Err(format!("unknown project expectation '{other}'")),
                    }
                }
                Ok(())
            })()
        }
        other => Err(format!("unknown call '{other}'")),
    })
}

fn check_error(e: &Error, spec: &Value) -> Result<(), String> {
    for key in spec.as_object().ok_or("error must be an object")?.keys() {
        if !["kind", "path", "message_contains"].contains(&key.as_str()) {
            return Err(format!("unknown error expectation '{key}'"));
        }
    }
    if let Some(kind) = spec.get("kind") {
        if kind.as_str() != Some(e.kind().name()) {
            return Err(format!("expected kind {kind}, got {} ({e})", e.kind()));
        }
    }
    if let Some(path) = spec.get("path") {
        if path.as_str() != e.path() {
            return Err(format!("expected path {path}, got {:?} ({e})", e.path()));
        }
    }
    if let Some(text) = spec.get("message_contains").and_then(Value::as_str) {
        if !e.to_string().contains(text) {
            return Err(format!("message '{e}' does not contain '{text}'"));
        }
    }
    Ok(())
}

#[test]
fn every_vector_passes() {
    let dir = root().join("tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "expected the conformance vectors in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let outcome = match (run(&v), v.get("error")) {
            (Ok(Ok(())), None) => Ok(()),
            (Ok(Err(why)), _) => Err(why),
            (Ok(Ok(())), Some(_)) => Err("expected an error, got success".into()),
            (Err(e), Some(spec)) => check_error(&e, spec),
            (Err(e), None) => Err(format!("unexpected error: {e}")),
        };
        if let Err(why) = outcome {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
