//! Document validation: ids, references, ranges, times, emotions, flow.

use super::routing::Routing;
use super::*;
use crate::error::Error;
use crate::time::{TimeBasis, TimeSpan};
use std::collections::HashMap;

pub(super) fn problems(map: &Map) -> Vec<Error> {
    let mut v = Validator::default();
    if map.version != FORMAT_VERSION {
        v.push(Error::OutOfRange {
            path: "version".into(),
            value: map.version as f64,
            range: format!("{FORMAT_VERSION}..{FORMAT_VERSION}"),
        });
    }
    if let Some(j) = &map.journey {
        v.journey(j);
    }
    if let Some(vs) = &map.value_stream {
        v.value_stream(vs, map.journey.as_ref());
    }
    if let Some(plan) = &map.plan {
        v.plan(plan, map.value_stream.as_ref());
    }
    v.problems
}

#[derive(Default)]
struct Validator {
    problems: Vec<Error>,
    ids: HashMap<String, String>,
}

impl Validator {
    fn push(&mut self, e: Error) {
        self.problems.push(e);
    }

    fn id(&mut self, id: &str, path: String) {
        if id.trim().is_empty() {
            self.push(Error::invalid(path, id, "is empty: every id needs a name"));
        } else if let Some(first) = self.ids.get(id) {
            self.push(Error::DuplicateId {
                path,
                id: id.to_string(),
                first: first.clone(),
            });
        } else {
            self.ids.insert(id.to_string(), path);
        }
    }

    fn range(&mut self, path: String, value: f64, lo: f64, hi: f64, lo_open: bool) {
        let below = if lo_open { value <= lo } else { value < lo };
        if below || value > hi || !value.is_finite() {
            let range = if lo_open {
                format!("({lo}, {hi}]")
            } else {
                format!("[{lo}, {hi}]")
            };
            self.push(Error::OutOfRange { path, value, range });
        }
    }

    fn time(&mut self, path: String, t: Option<TimeSpan>) {
        if let Some(t) = t {
            if t.is_negative() {
                self.push(Error::NegativeTime {
                    path,
                    value: t.to_string(),
                });
            }
        }
    }

    fn reference(&mut self, path: String, kind: &str, value: &str, exists: bool) {
        if !exists {
            self.push(Error::UnknownReference {
                path,
                kind: kind.into(),
                value: value.into(),
            });
        }
    }

    fn journey(&mut self, j: &Journey) {
        self.id(&j.id, "journey.id".into());
        let scale = j.emotion_scale;
        if scale.min.partial_cmp(&scale.max) != Some(std::cmp::Ordering::Less) {
            self.push(Error::invalid(
                "journey.emotion_scale",
                format!("{}..{}", scale.min, scale.max),
                "must have min below max",
            ));
        }
        for (i, p) in j.personas.iter().enumerate() {
            self.id(&p.id, format!("journey.personas[{i}].id"));
        }
        // Ids first, so that references may point forwards.
        for (s, stage) in j.stages.iter().enumerate() {
            let at = format!("journey.stages[{s}]");
            self.id(&stage.id, format!("{at}.id"));
            for (i, t) in stage.touchpoints.iter().enumerate() {
                self.id(&t.id, format!("{at}.touchpoints[{i}].id"));
            }
            for (i, p) in stage.pain_points.iter().enumerate() {
                self.id(&p.id, format!("{at}.pain_points[{i}].id"));
            }
            for (i, m) in stage.moments_of_truth.iter().enumerate() {
                self.id(&m.id, format!("{at}.moments_of_truth[{i}].id"));
            }
            for (i, o) in stage.opportunities.iter().enumerate() {
                self.id(&o.id, format!("{at}.opportunities[{i}].id"));
            }
        }
        for (s, stage) in j.stages.iter().enumerate() {
            self.stage(j, stage, &format!("journey.stages[{s}]"));
        }
    }

    fn stage(&mut self, j: &Journey, stage: &Stage, at: &str) {
        let scale = j.emotion_scale;
        let touchpoint = |id: &str| j.touchpoint(id).is_some();
        for (i, t) in stage.touchpoints.iter().enumerate() {
            let tp = format!("{at}.touchpoints[{i}]");
            for (k, p) in t.personas.iter().enumerate() {
                let exists = j.personas.iter().any(|x| &x.id == p);
                self.reference(format!("{tp}.personas[{k}]"), "persona", p, exists);
            }
            if let Some(e) = t.emotion {
                if !(e >= scale.min && e <= scale.max) {
                    self.push(Error::EmotionOutOfScale {
                        path: format!("{tp}.emotion"),
                        value: e,
                        min: scale.min,
                        max: scale.max,
                    });
                }
            }
        }
        for (i, p) in stage.pain_points.iter().enumerate() {
            let pp = format!("{at}.pain_points[{i}]");
            if let Some(t) = &p.touchpoint {
                self.reference(format!("{pp}.touchpoint"), "touchpoint", t, touchpoint(t));
            }
            self.range(format!("{pp}.severity"), p.severity as f64, 1.0, 5.0, false);
            if let Some(f) = p.frequency_pct {
                self.range(format!("{pp}.frequency_pct"), f, 0.0, 100.0, false);
            }
        }
        for (i, m) in stage.moments_of_truth.iter().enumerate() {
            if let Some(t) = &m.touchpoint {
                self.reference(
                    format!("{at}.moments_of_truth[{i}].touchpoint"),
                    "touchpoint",
                    t,
                    touchpoint(t),
                );
            }
        }
        for (i, o) in stage.opportunities.iter().enumerate() {
            let op = format!("{at}.opportunities[{i}]");
            if let Some(t) = &o.touchpoint {
                self.reference(format!("{op}.touchpoint"), "touchpoint", t, touchpoint(t));
            }
            if let Some(p) = &o.pain_point {
                let exists = j
                    .stages
                    .iter()
                    .any(|s| s.pain_points.iter().any(|x| &x.id == p));
                self.reference(format!("{op}.pain_point"), "pain point", p, exists);
            }
            self.range(format!("{op}.reach"), o.reach, 0.0, f64::MAX, false);
            self.range(format!("{op}.impact"), o.impact, 0.0, f64::MAX, false);
            self.range(
                format!("{op}.confidence_pct"),
                o.confidence_pct,
                0.0,
                100.0,
                false,
            );
            self.range(format!("{op}.effort"), o.effort, 0.0, f64::MAX, true);
        }
        for (i, k) in stage.kpi_targets.iter().enumerate() {
            self.kpi_target(k, format!("{at}.kpi_targets[{i}].target"));
        }
    }

    fn kpi_target(&mut self, k: &KpiTarget, path: String) {
        let range = match k.kpi {
            Kpi::Nps => Some((-100.0, 100.0)),
            Kpi::Csat
            | Kpi::ChurnRate
            | Kpi::RetentionRate
            | Kpi::RepeatPurchaseRate
            | Kpi::SlaCompliance => Some((0.0, 100.0)),
            Kpi::Ces | Kpi::ResolutionTime | Kpi::Custom(_) => None,
        };
        match (&k.kpi, k.target) {
            (Kpi::ResolutionTime, Target::Time(t)) => self.time(path, Some(t)),
            (Kpi::ResolutionTime, Target::Number(n)) => {
                self.push(Error::invalid(path, n, "must be a time such as \"48h\""))
            }
            (kpi, Target::Time(t)) if !matches!(kpi, Kpi::Custom(_)) => self.push(Error::invalid(
                path,
                t,
                format!("must be a number for {kpi}"),
            )),
            (_, Target::Number(n)) => {
                if let Some((lo, hi)) = range {
                    self.range(path, n, lo, hi, false);
                }
            }
            _ => {}
        }
    }

    fn value_stream(&mut self, vs: &ValueStream, journey: Option<&Journey>) {
        self.id(&vs.id, "value_stream.id".into());
        if vs.steps.is_empty() {
            self.push(Error::invalid(
                "value_stream.steps",
                "[]",
                "must list at least one step",
            ));
        }
        if let TimeBasis::Working { day_length } = vs.time_basis {
            match day_length {
                Some(t) if t.is_negative() => self.push(Error::NegativeTime { path: "value_stream.time_basis.day_length".into(), value: t.to_string() }),
                Some(t) if !t.is_clock_time() || t.value == 0.0 => {
                    self.push(Error::invalid("value_stream.time_basis.day_length", t, "must be a positive time in s, min or h"))
                }
                Some(_) => {}
                None if vs.demand.is_none() => self.push(Error::MissingData {
                    path: "value_stream.time_basis".into(),
                    what: "the length of a working day: give time_basis.day_length or demand.available_time".into(),
                }),
                None => {}
            }
        }
        if let Some(d) = &vs.demand {
            self.demand(d);
        }
        for (i, step) in vs.steps.iter().enumerate() {
            self.id(&step.id, format!("value_stream.steps[{i}].id"));
        }
        for (i, step) in vs.steps.iter().enumerate() {
            self.step(step, &format!("value_stream.steps[{i}]"), vs, journey);
        }
        if let Err(problems) = Routing::new(vs, "value_stream") {
            self.problems.extend(problems);
        }
    }

    fn demand(&mut self, d: &Demand) {
        self.range(
            "value_stream.demand.per_day".into(),
            d.per_day,
            0.0,
            f64::MAX,
            true,
        );
        let a = &d.available_time;
        let at = "value_stream.demand.available_time";
        self.range(
            format!("{at}.shifts_per_day"),
            a.shifts_per_day,
            0.0,
            f64::MAX,
            true,
        );
        for (name, t) in [
            ("shift_length", a.shift_length),
            ("breaks_per_shift", a.breaks_per_shift),
            ("other_downtime_per_shift", a.other_downtime_per_shift),
        ] {
            if t.is_negative() {
                self.push(Error::NegativeTime {
                    path: format!("{at}.{name}"),
                    value: t.to_string(),
                });
            } else if !t.is_clock_time() {
                self.push(Error::invalid(
                    format!("{at}.{name}"),
                    t,
                    "must be in s, min or h (days are defined by this time)",
                ));
            }
        }
        let one = crate::Duration::from_secs(1.0);
        let net = a.shift_length.resolve(one)
            - a.breaks_per_shift.resolve(one)
            - a.other_downtime_per_shift.resolve(one);
        if net.secs() <= 0.0 && !a.shift_length.is_negative() {
            self.push(Error::invalid(
                format!("{at}.shift_length"),
                a.shift_length,
                "leaves no available time after breaks and downtime",
            ));
        }
    }

    fn step(&mut self, step: &Step, at: &str, vs: &ValueStream, journey: Option<&Journey>) {
        self.time(format!("{at}.process_time"), Some(step.process_time));
        self.time(format!("{at}.cycle_time"), step.cycle_time);
        self.time(format!("{at}.wait"), step.wait);
        self.time(format!("{at}.lead_time"), step.lead_time);
        self.time(format!("{at}.changeover"), step.changeover);
        self.range(
            format!("{at}.complete_accurate_pct"),
            step.complete_accurate_pct,
            0.0,
            100.0,
            false,
        );
        self.range(
            format!("{at}.uptime_pct"),
            step.uptime_pct,
            0.0,
            100.0,
            true,
        );
        if let Some(ops) = step.operators {
            self.range(format!("{at}.operators"), ops, 0.0, f64::MAX, false);
        }
        if step.wait.is_some() && step.inventory.is_some() {
            self.push(Error::invalid(
                format!("{at}.inventory"),
                step.id.as_str(),
                "gives both wait and inventory: give one",
            ));
        }
        if step.lead_time.is_some() && (step.wait.is_some() || step.inventory.is_some()) {
            self.push(Error::invalid(
                format!("{at}.lead_time"),
                step.id.as_str(),
                "gives lead_time and a wait: lead_time already includes the wait",
            ));
        }
        if let (Some(lt), true) = (step.lead_time, step.process_time.is_clock_time()) {
            let one = crate::Duration::from_secs(1.0);
            if lt.is_clock_time() && lt.resolve(one) < step.process_time.resolve(one) {
                self.push(Error::invalid(
                    format!("{at}.lead_time"),
                    lt,
                    format!(
                        "is shorter than the process time {}: a step's lead time includes it",
                        step.process_time
                    ),
                ));
            }
        }
        if let Some(inv) = &step.inventory {
            self.range(
                format!("{at}.inventory.quantity"),
                inv.quantity,
                0.0,
                f64::MAX,
                false,
            );
            match inv.daily_demand {
                Some(d) => self.range(format!("{at}.inventory.daily_demand"), d, 0.0, f64::MAX, true),
                None if vs.demand.is_none() => self.push(Error::MissingData {
                    path: format!("{at}.inventory.daily_demand"),
                    what: "the daily demand that converts this inventory to days (or value_stream.demand)".into(),
                }),
                None => {}
            }
        }
        if step.waste_type.is_some() && step.value_class != ValueClass::Waste {
            self.push(Error::invalid(
                format!("{at}.waste_type"),
                step.id.as_str(),
                "is set but value_class is not waste",
            ));
        }
        let stage_of_touchpoint = step
            .touchpoint
            .as_deref()
            .and_then(|t| journey.and_then(|j| j.touchpoint(t)))
            .map(|(s, _)| s.id.as_str());
        if let Some(t) = &step.touchpoint {
            self.reference(
                format!("{at}.touchpoint"),
                "touchpoint",
                t,
                stage_of_touchpoint.is_some(),
            );
        }
        if let Some(s) = &step.stage {
            let exists = journey.and_then(|j| j.stage(s)).is_some();
            self.reference(format!("{at}.stage"), "stage", s, exists);
            if let Some(ts) = stage_of_touchpoint {
                if ts != s {
                    self.push(Error::invalid(
                        format!("{at}.stage"),
                        s,
                        format!("differs from the stage '{ts}' of its touchpoint"),
                    ));
                }
            }
        }
    }

    fn plan(&mut self, plan: &Plan, vs: Option<&ValueStream>) {
        self.id(&plan.id, "plan.id".into());
        for (i, init) in plan.initiatives.iter().enumerate() {
            let at = format!("plan.initiatives[{i}]");
            self.id(&init.id, format!("{at}.id"));
            if let Some(due) = &init.due {
                if !is_iso_date(due) {
                    self.push(Error::invalid(
                        format!("{at}.due"),
                        due,
                        "is not a date YYYY-MM-DD",
                    ));
                }
            }
            for (k, s) in init.steps.iter().enumerate() {
                let exists = vs.and_then(|vs| vs.step(s)).is_some();
                self.reference(format!("{at}.steps[{k}]"), "step", s, exists);
            }
            if init.steps.is_empty() {
                self.push(Error::invalid(
                    format!("{at}.steps"),
                    "[]",
                    "must name the steps it changes",
                ));
            }
            for (k, e) in init.effects.iter().enumerate() {
                let path = format!("{at}.effects[{k}]");
                match *e {
                    Effect::Change { percent, .. } if percent < -100.0 => {
                        self.push(Error::OutOfRange {
                            path,
                            value: percent,
                            range: "[-100, +inf) %".into(),
                        })
                    }
                    Effect::Set {
                        field,
                        to: Amount::Percent(p),
                    } => {
                        let lo_open = field == EffectField::Uptime;
                        self.range(path, p, 0.0, 100.0, lo_open)
                    }
                    Effect::Set {
                        to: Amount::Time(t),
                        ..
                    } if t.is_negative() => self.push(Error::NegativeTime {
                        path,
                        value: t.to_string(),
                    }),
                    Effect::Set {
                        to: Amount::Number(n),
                        ..
                    } if n < 0.0 => self.push(Error::OutOfRange {
                        path,
                        value: n,
                        range: "[0, +inf)".into(),
                    }),
                    _ => {}
                }
            }
        }
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
        }
        _ => false,
    }
}
