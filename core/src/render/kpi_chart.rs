//! A monitored KPI over time ([`KpiSeries`]): the value of each period with its interval, the
//! control chart's center line and limits, the targets, the change points, the points the run
//! rules flagged and the alerts, each marked on the series and listed in words below it.
//!
//! Input: the result of the `kpi_series` analysis as it is (`svg_chart("kpi_series", json)`).
//!
//! ```
//! use journeystream::render::{charts::svg_chart, RenderOptions};
//! let series = r#"{"metric": "csat", "period": "day", "time_zone": "UTC", "confidence": 0.95,
//!   "interval": "wilson", "excluded": 0, "segments": [], "chart": null, "changes": [],
//!   "targets": [{"value": 0.8, "direction": "at_least", "segment": null, "name": "goal"}],
//!   "alerts": [], "points": [
//!     {"period": "2026-03-01", "start": 0, "estimate": {"segment": null, "n": 40, "value": 0.85,
//!      "ci_low": 0.71, "ci_high": 0.93, "successes": 34, "percentiles": []}},
//!     {"period": "2026-03-02", "start": 86400000000000, "estimate": null}]}"#;
//! let svg = svg_chart("kpi_series", series, &RenderOptions::default())?;
//! assert!(svg.contains("85%") && svg.contains("target goal"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::axes::Axes;
use super::bars::ValueFormat;
use super::charts::title_block;
use super::layout::{ellipsize, text_width, Rect};
use super::palette;
use super::svg::{num, Anchor, Canvas, Drawing, TextStyle};
use super::RenderOptions;
use crate::analytics::kpi::Metric;
use crate::analytics::monitor::series::{AlertKind, KpiSeries};
use crate::error::{Error, Result};

const MARGIN: f64 = 16.0;
/// Alerts listed in words below the plot; the rest are counted.
const LISTED_ALERTS: usize = 6;

/// How the KPI's values read.
fn value_format(metric: Metric) -> ValueFormat {
    match metric {
        Metric::Nps | Metric::Ces => ValueFormat::Number,
        Metric::ResolutionTime => ValueFormat::Seconds,
        _ => ValueFormat::Share,
    }
}

/// The series as SVG.
pub fn svg_kpi_series(series: &KpiSeries, options: &RenderOptions) -> Result<String> {
    Ok(kpi_series_drawing(series, options)?.svg)
}

/// The series with the boxes it placed.
pub fn kpi_series_drawing(s: &KpiSeries, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    check(s)?;
    let fmt = value_format(s.metric);
    let n = s.points.len();
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    // Limits of EWMA and CUSUM charts are of their statistic, not of the KPI: drawn only for
    // the charts whose points are the KPI's values.
    let chart = s
        .chart
        .as_ref()
        .filter(|c| matches!(c.chart.as_str(), "p" | "individuals"));
    let targets: Vec<_> = s.targets.iter().filter(|t| t.segment.is_none()).collect();
    let alerts: Vec<_> = s.alerts.iter().filter(|a| a.segment.is_none()).collect();

    let mut ys: Vec<f64> = Vec::new();
    for e in s.points.iter().filter_map(|p| p.estimate.as_ref()) {
        ys.extend([Some(e.value), e.ci_low, e.ci_high].into_iter().flatten());
    }
    ys.extend(targets.iter().map(|t| t.value));
    if let Some(c) = chart {
        ys.extend(c.points.iter().flat_map(|p| [p.lower, p.upper, p.center]));
    }
    let ys = ys.into_iter().filter(|v| v.is_finite());
    let (y0, y1) = ys.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (y0, y1) = if y0 > y1 {
        (0.0, 1.0)
    } else if fmt == ValueFormat::Share {
        (y0.max(0.0), y1.min(1.0))
    } else {
        (y0, y1)
    };

    let (plot_w, plot_h) = (42.0 * f, 18.0 * f);
    let axis_w = 5.0 * f;
    let legend_w = 12.0 * f;
    let width = 2.0 * MARGIN + axis_w + plot_w + legend_w;
    let mut c = Canvas::new();
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("{} per {}", s.metric.name(), s.period.name()));
    let top = title_block(&mut c, &title, width, f) + small * 2.6;
    let left = MARGIN + axis_w;
    let axes = Axes::new(
        (-0.5, n as f64 - 0.5),
        (y0, y1),
        Rect::new(left, top, plot_w, plot_h),
    );
    axes.draw(&mut c, small, s.metric.name(), |v| fmt.show(v));
    let x = |i: usize| axes.px(i as f64);
    let bottom = top + plot_h;

    // Period labels, as many as fit side by side.
    let widest = s
        .points
        .iter()
        .map(|p| text_width(&p.period, small))
        .fold(0.0, f64::max);
    let stride = ((widest + 8.0) * n as f64 / plot_w).ceil().max(1.0) as usize;
    for (i, p) in s.points.iter().enumerate().step_by(stride) {
        c.text(
            x(i),
            bottom + small * 1.3,
            &p.period,
            TextStyle::new(small)
                .anchor(Anchor::Middle)
                .fill(palette::MUTED),
        );
    }

    // Change points: a dashed rule between the last period before and the first after.
    for ch in &s.changes {
        let cx = axes.px(ch.index as f64 - 0.5);
        let label = format!("change: {} → {}", fmt.show(ch.before), fmt.show(ch.after));
        c.open("change", Some(&format!("{} from {}", label, ch.period)));
        c.line(
            (cx, top),
            (cx, bottom),
            palette::PURPLE,
            1.5,
            "stroke-dasharray=\"6 4\"",
        );
        c.text(
            cx + 3.0,
            top - small * 0.6 - small * 1.2,
            &ellipsize(&label, 14.0 * f, small),
            TextStyle::new(small).fill(palette::PURPLE),
        );
        c.close();
    }

    // Control limits, stepped where they vary (a p-chart's follow each period's size).
    if let Some(chart) = chart {
        let step = |value: fn(&crate::analytics::monitor::control::Point) -> f64| {
            let mut d = String::new();
            for (k, p) in chart.points.iter().enumerate() {
                let (a, b, y) = (
                    axes.px(p.index as f64 - 0.5),
                    axes.px(p.index as f64 + 0.5),
                    axes.py(value(p)),
                );
                d.push_str(&format!(
                    "{}{} {} L{} {} ",
                    if k == 0 { "M" } else { "L" },
                    num(a),
                    num(y),
                    num(b),
                    num(y)
                ));
            }
            d.trim_end().to_string()
        };
        c.open("limits", Some(&format!("{} chart limits", chart.chart)));
        c.path(
            &step(|p| p.upper),
            "none",
            palette::VERMILLION,
            1.2,
            "stroke-dasharray=\"3 3\"",
        );
        c.path(
            &step(|p| p.lower),
            "none",
            palette::VERMILLION,
            1.2,
            "stroke-dasharray=\"3 3\"",
        );
        c.path(&step(|p| p.center), "none", palette::MUTED, 1.0, "");
        c.close();
    }

    // Targets: a rule across the plot, named at its right end.
    for t in &targets {
        let y = axes.py(t.value);
        let name = match &t.name {
            Some(n) => format!("target {n}"),
            None => "target".into(),
        };
        c.open("target", Some(&format!("{name}: {}", fmt.show(t.value))));
        c.line(
            (left, y),
            (left + plot_w, y),
            palette::GREEN,
            2.0,
            "stroke-dasharray=\"8 3\"",
        );
        c.close();
    }

    // The values: whiskers for the intervals, a line through consecutive periods with data.
    c.open("intervals", None);
    for (i, p) in s.points.iter().enumerate() {
        if let Some((lo, hi)) = p.estimate.as_ref().and_then(|e| e.ci_low.zip(e.ci_high)) {
            c.line(
                (x(i), axes.py(lo)),
                (x(i), axes.py(hi)),
                palette::SKY_BLUE,
                2.0,
                "",
            );
        }
    }
    c.close();
    let mut d = String::new();
    let mut gap = true;
    for (i, p) in s.points.iter().enumerate() {
        match &p.estimate {
            Some(e) => {
                d.push_str(&format!(
                    "{}{} {} ",
                    if gap { "M" } else { "L" },
                    num(x(i)),
                    num(axes.py(e.value))
                ));
                gap = false;
            }
            None => gap = true,
        }
    }
    c.open("series", Some(s.metric.name()));
    c.path(d.trim_end(), "none", palette::BLUE, 2.0, "");
    let flagged = |i: usize| {
        s.chart
            .iter()
            .flat_map(|c| c.signals.iter())
            .filter(move |g| g.index == i)
    };
    for (i, p) in s.points.iter().enumerate() {
        let Some(e) = &p.estimate else { continue };
        let interval = match (e.ci_low, e.ci_high) {
            (Some(lo), Some(hi)) => format!(" ({} to {})", fmt.show(lo), fmt.show(hi)),
            _ => String::new(),
        };
        let rules: Vec<&str> = flagged(i).map(|g| g.rule.as_str()).collect();
        let tip = format!(
            "{}: {}{interval}, n = {}{}",
            p.period,
            fmt.show(e.value),
            e.n,
            if rules.is_empty() {
                String::new()
            } else {
                format!("; out of control: {}", rules.join(", "))
            }
        );
        if rules.is_empty() {
            c.circle(
                x(i),
                axes.py(e.value),
                2.5,
                palette::BLUE,
                "none",
                Some(&tip),
            );
        } else {
            c.circle(
                x(i),
                axes.py(e.value),
                5.0,
                palette::PAPER,
                palette::VERMILLION,
                Some(&tip),
            );
            c.circle(
                x(i),
                axes.py(e.value),
                2.5,
                palette::VERMILLION,
                "none",
                None,
            );
        }
    }
    c.close();

    // Alerts: a triangle under (breached, trending) or over (recovered) the value.
    c.open("alerts", None);
    for a in &alerts {
        let (cx, cy) = (x(a.index), axes.py(a.value));
        let r = 0.45 * f;
        // ▼ under the value for a breach or a trend toward one, ▲ over it for a recovery.
        let (fill, side) = match a.kind {
            AlertKind::Breached => (palette::VERMILLION, 1.0),
            AlertKind::Trending => (palette::ORANGE, 1.0),
            AlertKind::Recovered => (palette::GREEN, -1.0),
        };
        let (base, apex) = (cy + side * 0.9 * r, cy + side * 2.6 * r);
        let points = [(cx - r, base), (cx + r, base), (cx, apex)];
        c.polygon(&points, fill, "none");
    }
    c.close();

    // Legend.
    let lx = left + plot_w + 16.0;
    let mut entries: Vec<(String, &str, &str)> = vec![(s.metric.name().into(), palette::BLUE, "")];
    if s.points
        .iter()
        .any(|p| p.estimate.as_ref().is_some_and(|e| e.ci_low.is_some()))
    {
        entries.push(("interval".into(), palette::SKY_BLUE, ""));
    }
    if chart.is_some() {
        entries.push((
            "control limits".into(),
            palette::VERMILLION,
            "stroke-dasharray=\"3 3\"",
        ));
    }
    for t in &targets {
        let name = t.name.as_deref().map_or(String::new(), |n| format!("{n} "));
        entries.push((
            format!("target {name}{}", fmt.show(t.value)),
            palette::GREEN,
            "stroke-dasharray=\"8 3\"",
        ));
    }
    if !s.changes.is_empty() {
        entries.push((
            "change point".into(),
            palette::PURPLE,
            "stroke-dasharray=\"6 4\"",
        ));
    }
    let legend_top = top;
    for (k, (name, colour, dash)) in entries.iter().enumerate() {
        let ly = legend_top + k as f64 * f * 1.5;
        c.line(
            (lx, ly + f * 0.5),
            (lx + 14.0, ly + f * 0.5),
            colour,
            2.5,
            dash,
        );
        let name = ellipsize(name, legend_w - 24.0, small);
        c.place(
            "legend",
            Rect::new(lx + 18.0, ly, text_width(&name, small), f * 1.2),
            None,
        );
        c.text(lx + 18.0, ly + f * 0.85, &name, TextStyle::new(small));
    }

    // What happened, in words.
    let mut notes: Vec<String> = Vec::new();
    if let Some(chart) = &s.chart {
        let out: Vec<&str> = chart
            .signals
            .iter()
            .map(|g| s.points.get(g.index).map_or("?", |p| p.period.as_str()))
            .collect();
        if !out.is_empty() {
            notes.push(format!(
                "{} chart: out of control in {}",
                chart.chart,
                out.join(", ")
            ));
        }
    }
    for a in alerts.iter().take(LISTED_ALERTS) {
        let mark = match a.kind {
            AlertKind::Breached => "▼ breached",
            AlertKind::Trending => "▼ trending",
            AlertKind::Recovered => "▲ recovered",
        };
        notes.push(format!(
            "{mark} {} in {}: {} against {}{}",
            a.name.as_deref().map_or("target", |n| n),
            a.period,
            fmt.show(a.value),
            fmt.show(a.target),
            if a.confirmed {
                " (interval beyond)"
            } else {
                ""
            }
        ));
    }
    if alerts.len() > LISTED_ALERTS {
        notes.push(format!("and {} more alerts", alerts.len() - LISTED_ALERTS));
    }
    let mut y = bottom + small * 3.2;
    for note in &notes {
        let t = ellipsize(note, plot_w + legend_w, small);
        c.place(
            "note",
            Rect::new(MARGIN, y - small, text_width(&t, small), small * 1.3),
            None,
        );
        c.text(MARGIN, y, &t, TextStyle::new(small));
        y += small * 1.5;
    }
    let with_data = s.points.iter().filter(|p| p.estimate.is_some()).count();
    let desc = format!(
        "{} per {}: {n} periods from {} to {}, {with_data} with data; {} change points, {} alerts.",
        s.metric.name(),
        s.period.name(),
        s.points.first().map_or("", |p| p.period.as_str()),
        s.points.last().map_or("", |p| p.period.as_str()),
        s.changes.len(),
        alerts.len()
    );
    Ok(c.finish(width, y + MARGIN, &title, &desc))
}

/// Every number drawn is finite and every index is a period of the series.
fn check(s: &KpiSeries) -> Result<()> {
    if s.points.is_empty() {
        return Err(Error::invalid(
            "points",
            "[]",
            "must have at least one period",
        ));
    }
    let n = s.points.len();
    let bad_index = |path: String, i: usize| {
        Error::invalid(
            path,
            i.to_string(),
            format!("is not a period of the series (0..{n})"),
        )
    };
    for (i, p) in s.points.iter().enumerate() {
        if let Some(e) = &p.estimate {
            for (field, v) in [
                ("value", Some(e.value)),
                ("ci_low", e.ci_low),
                ("ci_high", e.ci_high),
            ] {
                if let Some(v) = v.filter(|v| !v.is_finite()) {
                    return Err(Error::invalid(
                        format!("points[{i}].estimate.{field}"),
                        v.to_string(),
                        "is not a finite number",
                    ));
                }
            }
        }
    }
    for (i, ch) in s.changes.iter().enumerate() {
        if ch.index >= n {
            return Err(bad_index(format!("changes[{i}].index"), ch.index));
        }
    }
    for (i, a) in s.alerts.iter().enumerate() {
        if a.index >= n {
            return Err(bad_index(format!("alerts[{i}].index"), a.index));
        }
        if !a.value.is_finite() {
            return Err(Error::invalid(
                format!("alerts[{i}].value"),
                a.value.to_string(),
                "is not a finite number",
            ));
        }
    }
    for (i, t) in s.targets.iter().enumerate() {
        if !t.value.is_finite() {
            return Err(Error::invalid(
                format!("targets[{i}].value"),
                t.value.to_string(),
                "is not a finite number",
            ));
        }
    }
    if let Some(chart) = &s.chart {
        for (k, p) in chart.points.iter().enumerate() {
            if p.index >= n {
                return Err(bad_index(format!("chart.points[{k}].index"), p.index));
            }
            if ![p.value, p.center, p.lower, p.upper]
                .iter()
                .all(|v| v.is_finite())
            {
                return Err(Error::invalid(
                    format!("chart.points[{k}]"),
                    format!("{} {} {} {}", p.value, p.center, p.lower, p.upper),
                    "holds a number that is not finite",
                ));
            }
        }
        for (k, g) in chart.signals.iter().enumerate() {
            if g.index >= n {
                return Err(bad_index(format!("chart.signals[{k}].index"), g.index));
            }
        }
    }
    Ok(())
}
