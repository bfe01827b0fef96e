//! A plain-text metrics report, for terminals and logs.

use crate::model::Map;
use crate::vsm::{Comparison, ValueStreamMetrics};
use crate::Duration;
use std::fmt::Write;

fn pct(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.001 {
        format!("{:.4}%", x * 100.0)
    } else {
        format!("{:.1}%", x * 100.0)
    }
}

fn days(d: Duration, day: Duration) -> String {
    format!("{:.2} d", d.days(day))
}

/// The metrics of a map as a text report, with the comparison to a future state when given.
pub fn text_report(map: &Map, m: &ValueStreamMetrics, change: Option<&Comparison>) -> String {
    let mut out = String::new();
    let name = map
        .value_stream
        .as_ref()
        .map(|v| v.name.as_str())
        .unwrap_or("");
    let _ = writeln!(out, "Value stream: {name}");
    if let Some(j) = &map.journey {
        let _ = writeln!(out, "Journey: {} ({} stages)", j.name, j.stages.len());
    }
    let day = m.day_length;
    let _ = writeln!(out, "  one day                  {day}");
    let _ = writeln!(
        out,
        "  lead time                {} ({})",
        days(m.lead_time, day),
        m.lead_time
    );
    let _ = writeln!(out, "  process time             {}", m.process_time);
    let _ = writeln!(out, "  activity ratio           {}", pct(m.activity_ratio));
    let _ = writeln!(
        out,
        "  process cycle efficiency {}",
        pct(m.process_cycle_efficiency)
    );
    let _ = writeln!(
        out,
        "  rolled %C&A              {}",
        pct(m.rolled_complete_accurate)
    );
    let _ = writeln!(
        out,
        "  VA / NNVA / waste        {} / {} / {}",
        pct(m.value_adding_share),
        pct(m.necessary_non_value_adding_share),
        pct(m.waste_share)
    );
    let _ = writeln!(
        out,
        "  rework-adjusted LT       {} ({})",
        days(m.rework_adjusted_lead_time, day),
        m.rework_model.name()
    );
    if let Some(t) = m.takt_time {
        let _ = writeln!(out, "  takt time                {t}");
    }
    if let Some(b) = &m.bottleneck {
        let _ = writeln!(
            out,
            "  bottleneck               {} ({} {:.3})",
            b.step,
            b.basis.name(),
            b.value
        );
    }
    let _ = writeln!(
        out,
        "\n  {:<22} {:>10} {:>10} {:>10} {:>7} {:>7}",
        "step", "wait", "PT", "C/T", "%C&A", "util"
    );
    for s in &m.steps {
        let util = s.utilization.map(pct).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "  {:<22} {:>10} {:>10} {:>10} {:>7} {:>7}",
            truncate(&s.name, 22),
            s.wait_time.to_string(),
            s.process_time.to_string(),
            s.cycle_time.to_string(),
            pct(s.complete_accurate),
            util
        );
    }
    if !m.stages.is_empty() {
        let _ = writeln!(
            out,
            "\n  {:<22} {:>10} {:>10} {:>9} {:>7}",
            "stage", "lead time", "PT", "share", "%C&A"
        );
        for g in &m.stages {
            let _ = writeln!(
                out,
                "  {:<22} {:>10} {:>10} {:>9} {:>7}",
                truncate(&g.name, 22),
                days(g.lead_time, day),
                g.process_time.to_string(),
                pct(g.share_of_lead_time),
                pct(g.rolled_complete_accurate)
            );
        }
    }
    for mot in &m.moments_of_truth {
        let _ = writeln!(
            out,
            "  moment of truth '{}' ({}): steps [{}], lead time {}, %C&A {}",
            mot.name,
            mot.polarity.name(),
            mot.steps.join(", "),
            days(mot.lead_time, day),
            pct(mot.rolled_complete_accurate)
        );
    }
    if let Some(c) = change {
        let _ = writeln!(
            out,
            "\n  {:<32} {:>14} {:>14} {:>9}",
            "current -> future", "before", "after", "change"
        );
        for ch in &c.changes {
            let show = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_else(|| "-".into());
            let rel = ch
                .relative
                .map(|r| format!("{:+.1}%", r * 100.0))
                .unwrap_or_else(|| "-".into());
            let _ = writeln!(
                out,
                "  {:<32} {:>14} {:>14} {:>9}",
                format!("{} [{}]", ch.metric, ch.unit),
                show(ch.before),
                show(ch.after),
                rel
            );
        }
        if !c.steps_removed.is_empty() {
            let _ = writeln!(out, "  steps removed: {}", c.steps_removed.join(", "));
        }
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
