//! Applying a plan to the current state: the projected future state.

use super::resolved::Resolved;
use crate::error::{Error, Result};
use crate::model::{Amount, Effect, EffectField, Map, Route, Step, ValueStream};
use crate::time::{Duration, TimeSpan, TimeUnit};
use serde::{Deserialize, Serialize};

/// A future state and what was done to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The future-state map (journey kept, value stream changed, no plan).
    pub map: Map,
    /// Every effect applied, in order.
    pub applied: Vec<AppliedEffect>,
}

/// One effect applied to one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedEffect {
    pub initiative: String,
    pub step: String,
    pub effect: String,
    /// The field's value before and after, as text.
    pub before: String,
    pub after: String,
}

/// Applies the map's plan, initiative by initiative, to its value stream.
///
/// Effects: `<field> ±N%` scales a field; `<field> to V` sets it; `remove step` removes the step
/// and passes its predecessors' work to its successors. A wait scales the step's wait, inventory,
/// or the wait part of its lead time; changing the process time moves a given lead time with it.
///
/// ```
/// use journeystream::{Map, vsm};
/// let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json")).unwrap();
/// let p = vsm::project(&map).unwrap();
/// assert!(p.applied.iter().any(|a| a.effect == "remove step"));
/// ```
pub fn project(map: &Map) -> Result<Projection> {
    let plan = map.plan.as_ref().ok_or_else(|| Error::MissingData {
        path: "plan".into(),
        what: "a plan to project".into(),
    })?;
    let vs = map
        .value_stream
        .as_ref()
        .ok_or_else(|| Error::MissingData {
            path: "value_stream".into(),
            what: "a value stream to change".into(),
        })?;
    map.validate()?;
    let day = Resolved::new(vs)?.day;
    let mut future = vs.clone();
    materialize_routes(&mut future);
    let mut applied = Vec::new();
    let mut removed: Vec<(String, String)> = Vec::new();
    for (i, init) in plan.initiatives.iter().enumerate() {
        for (k, step_id) in init.steps.iter().enumerate() {
            if let Some((_, by)) = removed.iter().find(|(s, _)| s == step_id) {
                return Err(Error::invalid(
                    format!("plan.initiatives[{i}].steps[{k}]"),
                    step_id,
                    format!("was removed by initiative '{by}'"),
                ));
            }
            for (e, effect) in init.effects.iter().enumerate() {
                let path = format!("plan.initiatives[{i}].effects[{e}]");
                let idx = future
                    .step_index(step_id)
                    .expect("validated and not removed");
                let (before, after) = apply(&mut future, idx, effect, day, &path)?;
                applied.push(AppliedEffect {
                    initiative: init.id.clone(),
                    step: step_id.clone(),
                    effect: effect.to_string(),
                    before,
                    after,
                });
                if *effect == Effect::RemoveStep {
                    removed.push((step_id.clone(), init.id.clone()));
                    break;
                }
            }
        }
    }
    normalize_routes(&mut future);
    let out = Map {
        version: map.version,
        journey: map.journey.clone(),
        value_stream: Some(future),
        plan: None,
    };
    out.validate()?;
    Ok(Projection { map: out, applied })
}

enum Op {
    Scale(f64),
    Set(Amount),
}

fn apply(
    vs: &mut ValueStream,
    idx: usize,
    effect: &Effect,
    day: Duration,
    path: &str,
) -> Result<(String, String)> {
    let (field, op) = match *effect {
        Effect::RemoveStep => {
            return remove_step(vs, idx, path).map(|note| ("present".to_string(), note))
        }
        Effect::Change { field, percent } => (field, Op::Scale(1.0 + percent / 100.0)),
        Effect::Set { field, to } => (field, Op::Set(to)),
    };
    let rework_total = |vs: &ValueStream| -> f64 {
        vs.rework
            .iter()
            .filter(|r| r.from == vs.steps[idx].id)
            .map(|r| r.share_pct)
            .sum()
    };
    if field == EffectField::Rework {
        let before = rework_total(vs);
        let id = vs.steps[idx].id.clone();
        let factor = match op {
            Op::Scale(f) => f,
            Op::Set(Amount::Percent(p)) if before > 0.0 => p / before,
            Op::Set(Amount::Percent(0.0)) => 1.0,
            Op::Set(_) => {
                return Err(Error::invalid(
                    path,
                    &id,
                    "has no rework loop whose share could be set",
                ))
            }
        };
        vs.rework
            .iter_mut()
            .filter(|r| r.from == id)
            .for_each(|r| r.share_pct *= factor);
        vs.rework.retain(|r| r.share_pct > 0.0);
        let after = rework_total(vs);
        check_pct(path, after, false)?;
        return Ok((format!("{before}%"), format!("{after}%")));
    }
    let step = &mut vs.steps[idx];
    let id = step.id.clone();
    let no = |what: &str| Error::invalid(path, &id, format!("has no {what} to change"));
    let time = |current: Option<TimeSpan>, op: &Op| -> Option<TimeSpan> {
        match op {
            Op::Scale(f) => current.map(|t| t.scaled(*f)),
            Op::Set(Amount::Time(t)) => Some(*t),
            Op::Set(_) => None,
        }
    };
    let pt = step.process_time.resolve(day);
    let text = |t: Option<TimeSpan>| t.map(|t| t.to_string()).unwrap_or_else(|| "none".into());
    Ok(match field {
        EffectField::Wait => {
            let before = wait_text(step);
            if let Some(lt) = step.lead_time {
                let wait = lt.resolve(day) - pt;
                let new_wait = match op {
                    Op::Scale(f) => wait * f,
                    Op::Set(Amount::Time(t)) => t.resolve(day),
                    Op::Set(_) => unreachable!("wait takes times"),
                };
                step.lead_time = Some(in_unit(pt + new_wait, lt.unit, day));
            } else if let (Op::Scale(f), None, Some(inv)) =
                (&op, step.wait, step.inventory.as_mut())
            {
                inv.quantity *= f;
            } else if step.wait.is_none() && matches!(op, Op::Scale(_)) {
                return Err(no("wait"));
            } else {
                step.wait = time(step.wait, &op);
                step.inventory = None;
            }
            (before, wait_text(step))
        }
        EffectField::ProcessTime => {
            let before = step.process_time;
            step.process_time = time(Some(before), &op).expect("process time takes times");
            if let Some(lt) = step.lead_time {
                step.lead_time = Some(in_unit(
                    lt.resolve(day) - pt + step.process_time.resolve(day),
                    lt.unit,
                    day,
                ));
            }
            (before.to_string(), step.process_time.to_string())
        }
        EffectField::CycleTime => {
            let before = step.cycle_time.unwrap_or(step.process_time);
            step.cycle_time = time(Some(before), &op);
            (before.to_string(), text(step.cycle_time))
        }
        EffectField::LeadTime => {
            let before = step
                .lead_time
                .ok_or_else(|| no("lead_time (change its wait instead)"))?;
            step.lead_time = time(Some(before), &op);
            (before.to_string(), text(step.lead_time))
        }
        EffectField::Changeover => {
            let before = step.changeover.unwrap_or(TimeSpan::secs(0.0));
            step.changeover = time(Some(before), &op);
            (before.to_string(), text(step.changeover))
        }
        EffectField::Uptime | EffectField::CompleteAccurate => {
            let slot = if field == EffectField::Uptime {
                &mut step.uptime_pct
            } else {
                &mut step.complete_accurate_pct
            };
            let before = *slot;
            *slot = match op {
                Op::Scale(f) => before * f,
                Op::Set(Amount::Percent(p)) => p,
                Op::Set(_) => unreachable!("percent fields take percentages"),
            };
            check_pct(path, *slot, field == EffectField::Uptime)?;
            (format!("{before}%"), format!("{}%", *slot))
        }
        EffectField::Operators => {
            let before = step.operators;
            step.operators = match op {
                Op::Scale(f) => Some(before.ok_or_else(|| no("operators"))? * f),
                Op::Set(Amount::Number(n)) => Some(n),
                Op::Set(_) => unreachable!("operators take numbers"),
            };
            (
                before
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "none".into()),
                step.operators.unwrap_or_default().to_string(),
            )
        }
        EffectField::Rework => unreachable!("handled above"),
    })
}

fn wait_text(step: &Step) -> String {
    match (&step.lead_time, &step.wait, &step.inventory) {
        (Some(lt), _, _) => format!("lead time {lt}"),
        (_, Some(w), _) => w.to_string(),
        (_, _, Some(inv)) => format!("{} units", inv.quantity),
        _ => "none".into(),
    }
}

fn check_pct(path: &str, value: f64, lo_open: bool) -> Result<()> {
    let ok = if lo_open { value > 0.0 } else { value >= 0.0 } && value <= 100.0 + 1e-9;
    if ok {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            path: path.into(),
            value,
            range: if lo_open {
                "(0, 100]".into()
            } else {
                "[0, 100]".into()
            },
        })
    }
}

/// A duration written in `unit`.
fn in_unit(d: Duration, unit: TimeUnit, day: Duration) -> TimeSpan {
    let per = match unit {
        TimeUnit::Seconds => 1.0,
        TimeUnit::Minutes => 60.0,
        TimeUnit::Hours => 3600.0,
        TimeUnit::Days => day.secs(),
    };
    TimeSpan {
        value: d.secs() / per,
        unit,
    }
}

/// Every step gets an explicit `next`, so that removing a step cannot re-route its neighbours.
fn materialize_routes(vs: &mut ValueStream) {
    let ids: Vec<String> = vs.steps.iter().map(|s| s.id.clone()).collect();
    for (i, s) in vs.steps.iter_mut().enumerate() {
        if s.next.is_none() {
            s.next = Some(
                ids.get(i + 1)
                    .map(|id| {
                        vec![Route {
                            step: id.clone(),
                            share_pct: 100.0,
                        }]
                    })
                    .unwrap_or_default(),
            );
        }
    }
}

/// Drops the `next` lists that say what the order already says.
fn normalize_routes(vs: &mut ValueStream) {
    let ids: Vec<String> = vs.steps.iter().map(|s| s.id.clone()).collect();
    for (i, s) in vs.steps.iter_mut().enumerate() {
        let implied = match ids.get(i + 1) {
            Some(id) => {
                matches!(s.next.as_deref(), Some([r]) if &r.step == id && r.share_pct == 100.0)
            }
            None => matches!(s.next.as_deref(), Some([])),
        };
        if implied {
            s.next = None;
        }
    }
}

fn remove_step(vs: &mut ValueStream, idx: usize, path: &str) -> Result<String> {
    let gone = vs.steps[idx].clone();
    let succ = gone.next.clone().unwrap_or_default();
    if idx == 0 {
        match succ.as_slice() {
            [only] => {
                let j = vs.step_index(&only.step).expect("validated route");
                let s = vs.steps.remove(j);
                vs.steps.insert(1, s);
            }
            _ => return Err(Error::invalid(path, &gone.id, "is the first step and passes work to several steps (or none): it cannot be removed")),
        }
    }
    let mut notes = vec!["removed".to_string()];
    for s in vs.steps.iter_mut().filter(|s| s.id != gone.id) {
        let routes = s.next.get_or_insert_with(Vec::new);
        let Some(k) = routes.iter().position(|r| r.step == gone.id) else {
            continue;
        };
        let share = routes.remove(k).share_pct;
        if succ.is_empty() {
            if !routes.is_empty() {
                return Err(Error::invalid(path, &gone.id, format!("ends the flow, and '{}' passes only part of its work to it: it cannot be removed", s.id)));
            }
            continue;
        }
        for r in &succ {
            match routes.iter_mut().find(|x| x.step == r.step) {
                Some(x) => x.share_pct += share * r.share_pct / 100.0,
                None => routes.push(Route {
                    step: r.step.clone(),
                    share_pct: share * r.share_pct / 100.0,
                }),
            }
        }
    }
    vs.steps.retain(|s| s.id != gone.id);
    let mut kept = Vec::new();
    for mut r in std::mem::take(&mut vs.rework) {
        if r.from == gone.id {
            notes.push(format!("rework loop {} -> {} dropped", r.from, r.to));
            continue;
        }
        if r.to == gone.id {
            match succ.as_slice() {
                [only] => {
                    notes.push(format!(
                        "rework loop {} -> {} now goes to {}",
                        r.from, r.to, only.step
                    ));
                    r.to = only.step.clone();
                }
                _ => {
                    notes.push(format!("rework loop {} -> {} dropped", r.from, r.to));
                    continue;
                }
            }
        }
        kept.push(r);
    }
    vs.rework = kept;
    Ok(notes.join("; "))
}
