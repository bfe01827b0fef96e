//! Value-stream metrics, comparisons and Little's law.

use crate::args::{at, handle, keep, maybe, out, owned};
use crate::boundary::{boundary, boundary_void, journeystream_status, Fail};
use journeystream::vsm::{
    self, BottleneckBasis, GroupMetrics, MeasureOptions, ReworkModel, ValueStreamMetrics,
};
use journeystream::{Error, Polarity, ValueClass};
use std::ffi::{c_char, CString};
use std::ptr::null;

/// How rework loops add to the lead time.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_rework_model {
    /// Each loop adds share × the time of the path it repeats, once.
    SinglePass = 0,
    /// Reworked units may loop again (exact absorbing chain).
    Geometric = 1,
}

/// Value class of a step.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_value_class {
    ValueAdding = 0,
    NecessaryNonValueAdding = 1,
    Waste = 2,
}

/// What the bottleneck was chosen by.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_bottleneck_basis {
    /// No bottleneck (no step takes time).
    None = 0,
    Utilization = 1,
    CycleTime = 2,
}

/// Polarity of a moment of truth.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_polarity {
    Positive = 0,
    Negative = 1,
    Mixed = 2,
}

/// Groups of steps that metrics are rolled up by.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_group_kind {
    Stage = 0,
    Lane = 1,
}

/// Measured metrics of a value stream (opaque). Immutable; may be read from several threads at
/// once. Strings it hands out live as long as it does.
pub struct journeystream_metrics {
    inner: ValueStreamMetrics,
    bottleneck: Option<CString>,
    steps: Vec<[CString; 2]>,
    stages: Vec<[CString; 2]>,
    lanes: Vec<[CString; 2]>,
    moments: Vec<[Option<CString>; 4]>,
}

impl journeystream_metrics {
    fn new(inner: ValueStreamMetrics) -> journeystream_metrics {
        let pair = |a: &str, b: &str| [keep(a), keep(b)];
        let groups = |g: &[GroupMetrics]| g.iter().map(|g| pair(&g.id, &g.name)).collect();
        journeystream_metrics {
            bottleneck: inner.bottleneck.as_ref().map(|b| keep(&b.step)),
            steps: inner.steps.iter().map(|s| pair(&s.id, &s.name)).collect(),
            stages: groups(&inner.stages),
            lanes: groups(&inner.lanes),
            moments: inner
                .moments_of_truth
                .iter()
                .map(|m| {
                    [
                        Some(keep(&m.id)),
                        Some(keep(&m.name)),
                        Some(keep(&m.stage)),
                        m.touchpoint.as_deref().map(keep),
                    ]
                })
                .collect(),
            inner,
        }
    }
}

/// Summary metrics. Times in seconds (`_s`) or days of the time basis (`_days`); ratios 0–1.
/// A `has_x` flag of false means `x` is not defined for this value stream (and is 0).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_summary {
    pub day_length_s: f64,
    pub lead_time_s: f64,
    pub lead_time_days: f64,
    pub process_time_s: f64,
    pub wait_time_s: f64,
    pub activity_ratio: f64,
    pub process_cycle_efficiency: f64,
    pub rolled_complete_accurate: f64,
    pub value_adding_time_s: f64,
    pub necessary_non_value_adding_time_s: f64,
    pub waste_time_s: f64,
    pub value_adding_share: f64,
    pub necessary_non_value_adding_share: f64,
    pub waste_share: f64,
    pub rework_model: journeystream_rework_model,
    pub rework_adjusted_lead_time_s: f64,
    pub rework_adjusted_lead_time_days: f64,
    pub has_demand: bool,
    pub demand_per_day: f64,
    pub available_time_per_day_s: f64,
    pub takt_time_s: f64,
    pub total_inventory: f64,
    pub inventory_days: f64,
    /// Id of the bottleneck step, NULL when there is none.
    pub bottleneck_step: *const c_char,
    pub bottleneck_basis: journeystream_bottleneck_basis,
    pub bottleneck_value: f64,
    pub step_count: usize,
    pub stage_count: usize,
    pub lane_count: usize,
    pub moment_count: usize,
}

/// Metrics of one step.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_step_metrics {
    pub id: *const c_char,
    pub name: *const c_char,
    pub visits: f64,
    pub rework_visits: f64,
    pub wait_time_s: f64,
    pub has_inventory_days: bool,
    pub inventory_days: f64,
    pub process_time_s: f64,
    pub lead_time_s: f64,
    pub cycle_time_s: f64,
    pub complete_accurate: f64,
    pub value_class: journeystream_value_class,
    pub has_capacity: bool,
    pub capacity_per_day: f64,
    pub has_utilization: bool,
    pub utilization: f64,
    pub has_cycle_time_to_takt: bool,
    pub cycle_time_to_takt: f64,
}

/// Metrics of a stage or lane.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_group_metrics {
    pub id: *const c_char,
    pub name: *const c_char,
    pub step_count: usize,
    pub lead_time_s: f64,
    pub process_time_s: f64,
    pub wait_time_s: f64,
    pub has_activity_ratio: bool,
    pub activity_ratio: f64,
    pub rolled_complete_accurate: f64,
    pub share_of_lead_time: f64,
}

/// The steps behind a moment of truth.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_moment_metrics {
    pub id: *const c_char,
    pub name: *const c_char,
    pub stage: *const c_char,
    /// NULL when the moment names no touchpoint.
    pub touchpoint: *const c_char,
    pub polarity: journeystream_polarity,
    pub step_count: usize,
    pub lead_time_s: f64,
    pub process_time_s: f64,
    pub rolled_complete_accurate: f64,
}

/// Little's law: WIP = throughput × lead time.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_littles_law_result {
    pub wip: f64,
    pub throughput_per_day: f64,
    pub lead_time_days: f64,
}

/// Measures the map's value stream. `rework_model` is a `journeystream_rework_model` value.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_measure(
    map: *const crate::journeystream_map,
    rework_model: u32,
    out_metrics: *mut *mut journeystream_metrics,
) -> journeystream_status {
    boundary(|| {
        let out_metrics = out(out_metrics, "out_metrics")?;
        let rework = match rework_model {
            0 => ReworkModel::SinglePass,
            1 => ReworkModel::Geometric,
            other => {
                return Err(Error::InvalidArgument {
                    name: "rework_model".into(),
                    value: other.to_string(),
                    reason: "is not a rework model (0 single pass, 1 geometric)".into(),
                }
                .into())
            }
        };
        let metrics = vsm::measure(&handle(map, "map")?.inner, &MeasureOptions { rework })?;
        *out_metrics = Box::into_raw(Box::new(journeystream_metrics::new(metrics)));
        Ok(())
    })
}

/// The summary metrics.
#[no_mangle]
pub unsafe extern "C" fn journeystream_metrics_summary(
    metrics: *const journeystream_metrics,
    out_summary: *mut journeystream_summary,
) -> journeystream_status {
    boundary(|| {
        let out_summary = out(out_summary, "out_summary")?;
        let h = handle(metrics, "metrics")?;
        let m = &h.inner;
        let b = m.bottleneck.as_ref();
        *out_summary = journeystream_summary {
            day_length_s: m.day_length.secs(),
            lead_time_s: m.lead_time.secs(),
            lead_time_days: m.lead_time_days,
            process_time_s: m.process_time.secs(),
            wait_time_s: m.wait_time.secs(),
            activity_ratio: m.activity_ratio,
            process_cycle_efficiency: m.process_cycle_efficiency,
            rolled_complete_accurate: m.rolled_complete_accurate,
            value_adding_time_s: m.value_adding_time.secs(),
            necessary_non_value_adding_time_s: m.necessary_non_value_adding_time.secs(),
            waste_time_s: m.waste_time.secs(),
            value_adding_share: m.value_adding_share,
            necessary_non_value_adding_share: m.necessary_non_value_adding_share,
            waste_share: m.waste_share,
            rework_model: match m.rework_model {
                ReworkModel::SinglePass => journeystream_rework_model::SinglePass,
                ReworkModel::Geometric => journeystream_rework_model::Geometric,
            },
            rework_adjusted_lead_time_s: m.rework_adjusted_lead_time.secs(),
            rework_adjusted_lead_time_days: m.rework_adjusted_lead_time_days,
            has_demand: m.demand_per_day.is_some(),
            demand_per_day: m.demand_per_day.unwrap_or(0.0),
            available_time_per_day_s: m.available_time_per_day.map_or(0.0, |a| a.secs()),
            takt_time_s: m.takt_time.map_or(0.0, |t| t.secs()),
            total_inventory: m.total_inventory,
            inventory_days: m.inventory_days,
            bottleneck_step: h.bottleneck.as_ref().map_or(null(), |c| c.as_ptr()),
            bottleneck_basis: match b.map(|b| b.basis) {
                None => journeystream_bottleneck_basis::None,
                Some(BottleneckBasis::Utilization) => journeystream_bottleneck_basis::Utilization,
                Some(BottleneckBasis::CycleTime) => journeystream_bottleneck_basis::CycleTime,
            },
            bottleneck_value: b.map_or(0.0, |b| b.value),
            step_count: m.steps.len(),
            stage_count: m.stages.len(),
            lane_count: m.lanes.len(),
            moment_count: m.moments_of_truth.len(),
        };
        Ok(())
    })
}

/// The metrics of step `index` (0 ≤ index < `step_count`).
#[no_mangle]
pub unsafe extern "C" fn journeystream_metrics_step(
    metrics: *const journeystream_metrics,
    index: usize,
    out_step: *mut journeystream_step_metrics,
) -> journeystream_status {
    boundary(|| {
        let out_step = out(out_step, "out_step")?;
        let h = handle(metrics, "metrics")?;
        let s = at(&h.inner.steps, index)?;
        let names = &h.steps[index];
        *out_step = journeystream_step_metrics {
            id: names[0].as_ptr(),
            name: names[1].as_ptr(),
            visits: s.visits,
            rework_visits: s.rework_visits,
            wait_time_s: s.wait_time.secs(),
            has_inventory_days: s.inventory_days.is_some(),
            inventory_days: s.inventory_days.unwrap_or(0.0),
            process_time_s: s.process_time.secs(),
            lead_time_s: s.lead_time.secs(),
            cycle_time_s: s.cycle_time.secs(),
            complete_accurate: s.complete_accurate,
            value_class: match s.value_class {
                ValueClass::ValueAdding => journeystream_value_class::ValueAdding,
                ValueClass::NecessaryNonValueAdding => {
                    journeystream_value_class::NecessaryNonValueAdding
                }
                ValueClass::Waste => journeystream_value_class::Waste,
            },
            has_capacity: s.capacity_per_day.is_some(),
            capacity_per_day: s.capacity_per_day.unwrap_or(0.0),
            has_utilization: s.utilization.is_some(),
            utilization: s.utilization.unwrap_or(0.0),
            has_cycle_time_to_takt: s.cycle_time_to_takt.is_some(),
            cycle_time_to_takt: s.cycle_time_to_takt.unwrap_or(0.0),
        };
        Ok(())
    })
}

/// The metrics of stage or lane `index`; `kind` is a `journeystream_group_kind` value.
#[no_mangle]
pub unsafe extern "C" fn journeystream_metrics_group(
    metrics: *const journeystream_metrics,
    kind: u32,
    index: usize,
    out_group: *mut journeystream_group_metrics,
) -> journeystream_status {
    boundary(|| {
        let out_group = out(out_group, "out_group")?;
        let h = handle(metrics, "metrics")?;
        let (groups, names) = match kind {
            0 => (&h.inner.stages, &h.stages),
            1 => (&h.inner.lanes, &h.lanes),
            other => {
                return Err(Error::InvalidArgument {
                    name: "kind".into(),
                    value: other.to_string(),
                    reason: "is not a group kind (0 stage, 1 lane)".into(),
                }
                .into())
            }
        };
        let g = at(groups, index)?;
        *out_group = journeystream_group_metrics {
            id: names[index][0].as_ptr(),
            name: names[index][1].as_ptr(),
            step_count: g.steps.len(),
            lead_time_s: g.lead_time.secs(),
            process_time_s: g.process_time.secs(),
            wait_time_s: g.wait_time.secs(),
            has_activity_ratio: g.activity_ratio.is_some(),
            activity_ratio: g.activity_ratio.unwrap_or(0.0),
            rolled_complete_accurate: g.rolled_complete_accurate,
            share_of_lead_time: g.share_of_lead_time,
        };
        Ok(())
    })
}

/// The steps behind moment of truth `index`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_metrics_moment(
    metrics: *const journeystream_metrics,
    index: usize,
    out_moment: *mut journeystream_moment_metrics,
) -> journeystream_status {
    boundary(|| {
        let out_moment = out(out_moment, "out_moment")?;
        let h = handle(metrics, "metrics")?;
        let m = at(&h.inner.moments_of_truth, index)?;
        let c = &h.moments[index];
        let ptr = |s: &Option<CString>| s.as_ref().map_or(null(), |c| c.as_ptr());
        *out_moment = journeystream_moment_metrics {
            id: ptr(&c[0]),
            name: ptr(&c[1]),
            stage: ptr(&c[2]),
            touchpoint: ptr(&c[3]),
            polarity: match m.polarity {
                Polarity::Positive => journeystream_polarity::Positive,
                Polarity::Negative => journeystream_polarity::Negative,
                Polarity::Mixed => journeystream_polarity::Mixed,
            },
            step_count: m.steps.len(),
            lead_time_s: m.lead_time.secs(),
            process_time_s: m.process_time.secs(),
            rolled_complete_accurate: m.rolled_complete_accurate,
        };
        Ok(())
    })
}

/// All metrics as JSON (durations in seconds). Free with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_metrics_to_json(
    metrics: *const journeystream_metrics,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        *out_json = owned(
            serde_json::to_string(&handle(metrics, "metrics")?.inner).expect("results serialize"),
        );
        Ok(())
    })
}

/// Frees metrics. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn journeystream_metrics_free(metrics: *mut journeystream_metrics) {
    boundary_void(|| {
        if !metrics.is_null() {
            drop(Box::from_raw(metrics));
        }
    })
}

/// Current vs future state (opaque). Immutable; may be read from several threads at once.
pub struct journeystream_comparison {
    inner: vsm::Comparison,
    names: Vec<[CString; 2]>,
}

/// The change of one summary metric. A `has_x` of false means `x` is undefined (and 0).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_metric_change {
    pub metric: *const c_char,
    pub unit: *const c_char,
    pub has_before: bool,
    pub before: f64,
    pub has_after: bool,
    pub after: f64,
    pub has_absolute: bool,
    pub absolute: f64,
    pub has_relative: bool,
    pub relative: f64,
}

/// Compares two measured states.
#[no_mangle]
pub unsafe extern "C" fn journeystream_compare(
    before: *const journeystream_metrics,
    after: *const journeystream_metrics,
    out_comparison: *mut *mut journeystream_comparison,
) -> journeystream_status {
    boundary(|| {
        let out_comparison = out(out_comparison, "out_comparison")?;
        let inner = vsm::compare(
            &handle(before, "before")?.inner,
            &handle(after, "after")?.inner,
        );
        let names = inner
            .changes
            .iter()
            .map(|c| [keep(&c.metric), keep(&c.unit)])
            .collect();
        *out_comparison = Box::into_raw(Box::new(journeystream_comparison { inner, names }));
        Ok(())
    })
}

/// Number of metric changes in a comparison (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn journeystream_comparison_count(
    comparison: *const journeystream_comparison,
) -> usize {
    crate::boundary::boundary_value(0, || {
        comparison.as_ref().map_or(0, |c| c.inner.changes.len())
    })
}

/// Metric change `index`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_comparison_get(
    comparison: *const journeystream_comparison,
    index: usize,
    out_change: *mut journeystream_metric_change,
) -> journeystream_status {
    boundary(|| {
        let out_change = out(out_change, "out_change")?;
        let h = handle(comparison, "comparison")?;
        let c = at(&h.inner.changes, index)?;
        *out_change = journeystream_metric_change {
            metric: h.names[index][0].as_ptr(),
            unit: h.names[index][1].as_ptr(),
            has_before: c.before.is_some(),
            before: c.before.unwrap_or(0.0),
            has_after: c.after.is_some(),
            after: c.after.unwrap_or(0.0),
            has_absolute: c.absolute.is_some(),
            absolute: c.absolute.unwrap_or(0.0),
            has_relative: c.relative.is_some(),
            relative: c.relative.unwrap_or(0.0),
        };
        Ok(())
    })
}

/// The comparison as JSON. Free with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_comparison_to_json(
    comparison: *const journeystream_comparison,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        *out_json = owned(
            serde_json::to_string(&handle(comparison, "comparison")?.inner)
                .expect("results serialize"),
        );
        Ok(())
    })
}

/// Frees a comparison. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn journeystream_comparison_free(comparison: *mut journeystream_comparison) {
    boundary_void(|| {
        if !comparison.is_null() {
            drop(Box::from_raw(comparison));
        }
    })
}

/// Little's law from exactly two of the three (pass NULL for the unknown one).
#[no_mangle]
pub unsafe extern "C" fn journeystream_littles_law(
    wip: *const f64,
    throughput_per_day: *const f64,
    lead_time_days: *const f64,
    out_result: *mut journeystream_littles_law_result,
) -> journeystream_status {
    boundary(|| {
        let out_result = out(out_result, "out_result")?;
        let l = vsm::littles_law(maybe(wip), maybe(throughput_per_day), maybe(lead_time_days))
            .map_err(Fail::Core)?;
        *out_result = journeystream_littles_law_result {
            wip: l.wip,
            throughput_per_day: l.throughput_per_day,
            lead_time_days: l.lead_time_days,
        };
        Ok(())
    })
}
