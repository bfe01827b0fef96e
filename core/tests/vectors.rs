//! Runs every conformance vector in tests/vectors/ through the Rust API (see tests/vectors/README.md).

use journeystream::{vsm, Error, Map};
use serde_json::Value;
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
        _ => Err(format!("{what}: unknown number spec {spec}")),
    }
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

fn run(v: &Value) -> Result<Result<(), String>, Error> {
    let call = v["call"].as_str().unwrap_or("");
    let expect = v.get("expect").cloned().unwrap_or(Value::Null);
    let args = v.get("args").cloned().unwrap_or(Value::Null);
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
