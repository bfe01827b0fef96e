//! Charts from journey analytics: a funnel, a path Sankey and a retention heat map.
//!
//! They take small input structs defined here, so any analytic (or a spreadsheet) can feed
//! them; each is plain data with serde support:
//!
//! - [`FunnelBars`]: `{"steps": [["Visit", 1000], ["Sign up", 420], ["Buy", 95]]}`: steps in
//!   funnel order with the number reaching each.
//! - [`Flows`]: `{"links": [{"source": "Web", "target": "Chat", "value": 30}, ...]}`: weighted
//!   links between named nodes (a node name is one node; paths should not cycle, and links that
//!   go back are drawn to the node's column anyway). Columns come from the longest path from
//!   the sources.
//! - [`RetentionGrid`]: `{"cohorts": ["2026-01", ...], "periods": ["M0", "M1", ...],
//!   "values": [[1.0, 0.42, null], ...]}`: the share (0–1) of each cohort (row) still active in
//!   each period (column); `null` for periods not reached yet.
//!
//! ```
//! use journeystream::render::{charts::{svg_funnel, FunnelBars}, RenderOptions};
//! let f = FunnelBars { steps: vec![("Visit".into(), 1000), ("Sign up".into(), 420), ("Buy".into(), 95)] };
//! let svg = svg_funnel(&f, &RenderOptions::default())?;
//! assert!(svg.contains("42% of Visit"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::journey_map::short;
use super::layout::{ellipsize, text_width, wrap, Rect};
use super::palette;
use super::svg::{num, Anchor, Canvas, Drawing, TextStyle};
use super::RenderOptions;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

const MARGIN: f64 = 16.0;

/// Funnel steps in order with the number reaching each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelBars {
    pub steps: Vec<(String, u64)>,
}

/// One weighted link of a path Sankey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLink {
    pub source: String,
    pub target: String,
    pub value: f64,
}

/// Weighted links between named nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flows {
    pub links: Vec<FlowLink>,
}

/// The share of each cohort (row) active in each period (column), 0–1; `None` not reached yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionGrid {
    pub cohorts: Vec<String>,
    pub periods: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
}

/// The chart's heading (ellipsized to the width); the y below it.
pub(super) fn title_block(c: &mut Canvas, title: &str, width: f64, f: f64) -> f64 {
    let size = f * 1.3;
    let t = ellipsize(title, (width - 2.0 * MARGIN) / 1.1, size);
    c.place(
        "heading",
        Rect::new(MARGIN, MARGIN, text_width(&t, size) * 1.1, size * 1.3),
        None,
    );
    c.text(MARGIN, MARGIN + size, &t, TextStyle::new(size).bold());
    MARGIN + size * 1.3 + 12.0
}

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p != 0.0 && p.abs() < 1.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// The funnel as SVG: one bar per step, its count, its share of the first step and of the
/// step before.
pub fn svg_funnel(f: &FunnelBars, options: &RenderOptions) -> Result<String> {
    Ok(funnel_drawing(f, options)?.svg)
}

/// The funnel with the boxes it placed.
pub fn funnel_drawing(fb: &FunnelBars, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    if fb.steps.is_empty() {
        return Err(Error::invalid(
            "steps",
            "[]",
            "must list at least one funnel step",
        ));
    }
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let label_w = 12.0 * f;
    let bar_w = 30.0 * f;
    let note_w = 20.0 * f;
    let width = 2.0 * MARGIN + label_w + bar_w + note_w;
    let mut c = Canvas::new();
    let title = options.title.clone().unwrap_or_else(|| "Funnel".into());
    let mut y = title_block(&mut c, &title, width, f);
    let first = fb.steps[0].1.max(1) as f64;
    let max = fb.steps.iter().map(|s| s.1).max().unwrap_or(1).max(1) as f64;
    let row_h = (f * 2.6).max(small * 2.6);
    for (i, (name, n)) in fb.steps.iter().enumerate() {
        let lines = wrap(name, label_w - 12.0, f, 2);
        let lh = lines.len() as f64 * f * 1.25;
        c.place(
            "label",
            Rect::new(MARGIN, y + (row_h - lh) / 2.0, label_w - 12.0, lh),
            None,
        );
        c.text_lines(
            MARGIN,
            y + (row_h - lh) / 2.0 + f,
            &lines,
            f * 1.25,
            TextStyle::new(f),
        );
        let w = (*n as f64 / max * bar_w).max(1.0);
        let bar = Rect::new(
            MARGIN + label_w + (bar_w - w) / 2.0,
            y + 3.0,
            w,
            row_h - 6.0,
        );
        c.place("bar", Rect::new(MARGIN + label_w, y, bar_w, row_h), None);
        c.open("funnel-step", Some(&format!("{name}: {n}")));
        c.rect(bar, palette::BLUE, "none", 2.0, "");
        let count = n.to_string();
        let inside = text_width(&count, f) * 1.1 + 8.0 < w;
        let (tx, fill) = if inside {
            (bar.x + w / 2.0, palette::PAPER)
        } else {
            (
                bar.right() + 4.0 + text_width(&count, f) * 0.55,
                palette::INK,
            )
        };
        c.text(
            tx,
            y + row_h / 2.0 + f * 0.35,
            &count,
            TextStyle::new(f).bold().anchor(Anchor::Middle).fill(fill),
        );
        c.close();
        let mut note = format!("{} of {}", pct(*n as f64 / first), fb.steps[0].0);
        if i > 0 {
            let prev = fb.steps[i - 1].1;
            if prev > 0 {
                note = format!(
                    "{} · {} of the step before",
                    note,
                    pct(*n as f64 / prev as f64)
                );
            }
        }
        let lines = wrap(&note, note_w - 12.0, small, 2);
        let lh = lines.len() as f64 * small * 1.25;
        let nx = MARGIN + label_w + bar_w + 12.0;
        c.place(
            "note",
            Rect::new(nx, y + (row_h - lh) / 2.0, note_w - 12.0, lh),
            None,
        );
        c.text_lines(
            nx,
            y + (row_h - lh) / 2.0 + small,
            &lines,
            small * 1.25,
            TextStyle::new(small).fill(palette::MUTED),
        );
        y += row_h;
    }
    let desc = format!(
        "{} funnel steps from {} to {}.",
        fb.steps.len(),
        fb.steps[0].1,
        fb.steps[fb.steps.len() - 1].1
    );
    Ok(c.finish(width, y + MARGIN, &title, &desc))
}

/// The path Sankey as SVG: nodes in columns, bands as wide as their value.
pub fn svg_sankey(flows: &Flows, options: &RenderOptions) -> Result<String> {
    Ok(sankey_drawing(flows, options)?.svg)
}

/// The path Sankey with the boxes it placed.
pub fn sankey_drawing(flows: &Flows, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    for (i, l) in flows.links.iter().enumerate() {
        if !l.value.is_finite() || l.value < 0.0 {
            return Err(Error::OutOfRange {
                path: format!("links[{i}].value"),
                value: l.value,
                range: "0..".into(),
            });
        }
    }
    let links: Vec<&FlowLink> = flows
        .links
        .iter()
        .filter(|l| l.value > 0.0 && l.source != l.target)
        .collect();
    if links.is_empty() {
        return Err(Error::invalid(
            "links",
            "[]",
            "must hold at least one link with a value above 0",
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for l in &links {
        for n in [l.source.as_str(), l.target.as_str()] {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let idx = |n: &str| names.iter().position(|x| *x == n).expect("named");
    let n = names.len();
    // Columns: longest path from the sources, relaxing at most n times (links going back ignored).
    let mut col = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for l in &links {
            let (s, t) = (idx(&l.source), idx(&l.target));
            if col[t] < col[s] + 1 && col[s] + 1 < n {
                col[t] = col[s] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let columns = col.iter().copied().max().unwrap_or(0) + 1;
    let mut inflow = vec![0.0; n];
    let mut outflow = vec![0.0; n];
    for l in &links {
        outflow[idx(&l.source)] += l.value;
        inflow[idx(&l.target)] += l.value;
    }
    let size: Vec<f64> = (0..n).map(|v| inflow[v].max(outflow[v])).collect();
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let col_gap = 16.0 * f;
    let node_w = 14.0;
    let plot_h = 34.0 * f;
    let node_gap = f * 1.8;
    let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for v in 0..n {
        by_col[col[v]].push(v);
    }
    for list in by_col.iter_mut() {
        list.sort_by(|&a, &b| size[b].total_cmp(&size[a]).then(a.cmp(&b)));
    }
    let scale = by_col
        .iter()
        .map(|l| {
            (plot_h - node_gap * (l.len() as f64 - 1.0)).max(plot_h * 0.3)
                / l.iter().map(|&v| size[v]).sum::<f64>().max(1e-12)
        })
        .fold(f64::INFINITY, f64::min);
    let label_room = 11.0 * f;
    let width = 2.0 * MARGIN + (columns as f64 - 1.0) * col_gap + node_w + label_room;
    let mut c = Canvas::new();
    let title = options.title.clone().unwrap_or_else(|| "Paths".into());
    let top = title_block(&mut c, &title, width, f);
    let mut rect = vec![Rect::new(0.0, 0.0, 0.0, 0.0); n];
    let mut bottom = top;
    for (ci, list) in by_col.iter().enumerate() {
        let mut y = top;
        for &v in list {
            let h = (size[v] * scale).max(2.0);
            rect[v] = Rect::new(MARGIN + ci as f64 * col_gap, y, node_w, h);
            y += h + node_gap;
        }
        bottom = bottom.max(y - node_gap);
    }
    // Bands, stacked at each node in the order of the other end's position.
    let mut out_off = vec![0.0; n];
    let mut in_off = vec![0.0; n];
    let mut order: Vec<&&FlowLink> = links.iter().collect();
    order.sort_by(|a, b| {
        let (sa, ta, sb, tb) = (
            idx(&a.source),
            idx(&a.target),
            idx(&b.source),
            idx(&b.target),
        );
        rect[sa]
            .y
            .total_cmp(&rect[sb].y)
            .then(rect[ta].y.total_cmp(&rect[tb].y))
    });
    c.open("bands", Some("Flows between steps"));
    for l in order {
        let (s, t) = (idx(&l.source), idx(&l.target));
        let h = l.value * scale;
        let (x1, x2) = (rect[s].right(), rect[t].x);
        let (y1, y2) = (rect[s].y + out_off[s], rect[t].y + in_off[t]);
        out_off[s] += h;
        in_off[t] += h;
        let mx = (x1 + x2) / 2.0;
        let d = format!(
            "M{} {} C{} {} {} {} {} {} L{} {} C{} {} {} {} {} {} Z",
            num(x1),
            num(y1),
            num(mx),
            num(y1),
            num(mx),
            num(y2),
            num(x2),
            num(y2),
            num(x2),
            num(y2 + h),
            num(mx),
            num(y2 + h),
            num(mx),
            num(y1 + h),
            num(x1),
            num(y1 + h)
        );
        let colour = palette::CATEGORICAL[s % palette::CATEGORICAL.len()];
        c.open(
            "band",
            Some(&format!("{} → {}: {}", l.source, l.target, short(l.value))),
        );
        c.path(&d, colour, "none", 0.0, "fill-opacity=\"0.4\"");
        c.close();
    }
    c.close();
    for v in 0..n {
        let r = rect[v];
        let colour = palette::CATEGORICAL[v % palette::CATEGORICAL.len()];
        c.place("node", r, None);
        c.open("node", Some(&format!("{}: {}", names[v], short(size[v]))));
        c.rect(r, colour, palette::INK, 0.0, "stroke-width=\"0.5\"");
        let label = ellipsize(
            &format!("{} ({})", names[v], short(size[v])),
            label_room.min(col_gap) - 12.0,
            small,
        );
        let lw = text_width(&label, small);
        let lx = r.right() + 4.0;
        let ly = r.y + r.h / 2.0 - small * 0.6;
        c.place("node_label", Rect::new(lx, ly, lw, small * 1.2), None);
        c.rect(
            Rect::new(lx - 1.0, ly, lw + 2.0, small * 1.2),
            palette::PAPER,
            "none",
            2.0,
            "fill-opacity=\"0.8\"",
        );
        c.text(lx, ly + small * 0.95, &label, TextStyle::new(small));
        c.close();
    }
    let desc = format!("{} nodes in {} columns, {} links.", n, columns, links.len());
    Ok(c.finish(width, bottom + MARGIN, &title, &desc))
}

/// The retention heat map as SVG: cohorts as rows, periods as columns, each cell shaded by its
/// share and labelled with it.
pub fn svg_retention(grid: &RetentionGrid, options: &RenderOptions) -> Result<String> {
    Ok(retention_drawing(grid, options)?.svg)
}

/// The retention heat map with the boxes it placed.
pub fn retention_drawing(grid: &RetentionGrid, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    if grid.values.len() != grid.cohorts.len() {
        return Err(Error::invalid(
            "values",
            grid.values.len(),
            format!("must have one row per cohort ({})", grid.cohorts.len()),
        ));
    }
    for (r, row) in grid.values.iter().enumerate() {
        if row.len() > grid.periods.len() {
            return Err(Error::invalid(
                format!("values[{r}]"),
                row.len(),
                format!("has more cells than periods ({})", grid.periods.len()),
            ));
        }
        for (k, v) in row.iter().enumerate() {
            if let Some(v) = v {
                if !(0.0..=1.0).contains(v) {
                    return Err(Error::OutOfRange {
                        path: format!("values[{r}][{k}]"),
                        value: *v,
                        range: "0..1".into(),
                    });
                }
            }
        }
    }
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let label_w = grid
        .cohorts
        .iter()
        .map(|c| text_width(c, f))
        .fold(6.0 * f, f64::max)
        .min(16.0 * f)
        + 12.0;
    let cell_w = grid
        .periods
        .iter()
        .map(|p| text_width(p, small))
        .fold(text_width("100%", f) * 1.1, f64::max)
        + 12.0;
    let cell_h = f * 2.0;
    let width = 2.0 * MARGIN + label_w + grid.periods.len() as f64 * cell_w;
    let mut c = Canvas::new();
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| "Retention by cohort".into());
    let mut y = title_block(&mut c, &title, width.max(300.0), f);
    let x0 = MARGIN + label_w;
    for (k, p) in grid.periods.iter().enumerate() {
        let t = ellipsize(p, cell_w - 4.0, small);
        let tw = text_width(&t, small);
        let cx = x0 + (k as f64 + 0.5) * cell_w;
        c.place("period", Rect::new(cx - tw / 2.0, y, tw, small * 1.3), None);
        c.text(
            cx,
            y + small,
            &t,
            TextStyle::new(small).bold().anchor(Anchor::Middle),
        );
    }
    y += small * 1.3 + 4.0;
    for (r, cohort) in grid.cohorts.iter().enumerate() {
        let ry = y + r as f64 * cell_h;
        let t = ellipsize(cohort, label_w - 12.0, f);
        c.place(
            "cohort",
            Rect::new(MARGIN, ry, label_w - 12.0, cell_h),
            None,
        );
        c.text(MARGIN, ry + cell_h / 2.0 + f * 0.35, &t, TextStyle::new(f));
        for (k, v) in grid.values[r].iter().enumerate() {
            let cell = Rect::new(x0 + k as f64 * cell_w, ry, cell_w, cell_h);
            c.place("cell", cell, None);
            match v {
                Some(v) => {
                    c.open(
                        "cell",
                        Some(&format!("{cohort}, {}: {}", grid.periods[k], pct(*v))),
                    );
                    c.rect(cell, &palette::sequential(*v), palette::PAPER, 0.0, "");
                    let ink = palette::on_sequential(*v);
                    c.text(
                        cell.x + cell_w / 2.0,
                        ry + cell_h / 2.0 + small * 0.35,
                        &pct(*v),
                        TextStyle::new(small).anchor(Anchor::Middle).fill(ink),
                    );
                    c.close();
                }
                None => c.rect(cell, palette::WASH, palette::PAPER, 0.0, ""),
            }
        }
    }
    let bottom = y + grid.cohorts.len() as f64 * cell_h;
    let desc = format!(
        "{} cohorts over {} periods.",
        grid.cohorts.len(),
        grid.periods.len()
    );
    Ok(c.finish(width.max(300.0), bottom + MARGIN, &title, &desc))
}

/// A chart by name from its input as JSON: `"funnel"` ([`FunnelBars`]), `"sankey"`
/// ([`Flows`]), `"retention"` ([`RetentionGrid`]), `"bars"` ([`super::bars::BarRows`]),
/// `"lines"` ([`super::lines::Series`]), `"ladder"` ([`super::ladder::LadderSteps`]) or
/// `"kpi_series"` (the result of the `kpi_series` analysis, [`super::kpi_chart`]) or `"personas"`
/// (the result of the `personas` analysis, [`super::personas_chart`]). The entry
/// point of the C and Python APIs.
///
/// ```
/// use journeystream::render::{charts::svg_chart, RenderOptions};
/// let svg = svg_chart("funnel", r#"{"steps": [["Visit", 100], ["Buy", 7]]}"#, &RenderOptions::default())?;
/// assert!(svg.contains("7% of Visit"));
/// assert!(svg_chart("pie", "{}", &RenderOptions::default()).is_err());
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn svg_chart(kind: &str, data: &str, options: &RenderOptions) -> Result<String> {
    match kind {
        "funnel" => svg_funnel(&crate::json::from_str(data, "the funnel")?, options),
        "sankey" => svg_sankey(&crate::json::from_str(data, "the flows")?, options),
        "retention" => svg_retention(&crate::json::from_str(data, "the retention grid")?, options),
        "bars" => {
            Ok(super::bars::bars_drawing(&crate::json::from_str(data, "the bars")?, options)?.svg)
        }
        "lines" => Ok(super::lines::lines_drawing(
            &crate::json::from_str(data, "the series")?,
            options,
        )?
        .svg),
        "ladder" => Ok(super::ladder::ladder_drawing(
            &crate::json::from_str(data, "the ladder")?,
            options,
        )?
        .svg),
        "kpi_series" => super::kpi_chart::svg_kpi_series(
            &crate::json::from_str(data, "the KPI series")?,
            options,
        ),
        "personas" => super::personas_chart::svg_personas(
            &crate::json::from_str(data, "the personas")?,
            options,
        ),
        other => Err(Error::argument(
            "kind",
            other,
            "is not a chart: use funnel, sankey, retention, bars, lines, ladder, kpi_series or personas",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_lay_out_and_check_inputs() {
        let o = RenderOptions::default();
        let f = FunnelBars {
            steps: vec![
                ("Visit the website from a long campaign name".into(), 1000),
                ("Sign up".into(), 420),
                ("Buy".into(), 0),
            ],
        };
        let d = funnel_drawing(&f, &o).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        assert!(funnel_drawing(&FunnelBars { steps: vec![] }, &o).is_err());

        let link = |s: &str, t: &str, v: f64| FlowLink {
            source: s.into(),
            target: t.into(),
            value: v,
        };
        let flows = Flows {
            links: vec![
                link("Web", "Chat", 30.0),
                link("Web", "Phone", 10.0),
                link("Chat", "Buy", 25.0),
                link("Phone", "Buy", 4.0),
                link("Email", "Buy", 8.0),
            ],
        };
        let d = sankey_drawing(&flows, &o).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        let bad = Flows {
            links: vec![link("a", "b", -1.0)],
        };
        assert_eq!(
            sankey_drawing(&bad, &o).unwrap_err().path(),
            Some("links[0].value")
        );

        let grid = RetentionGrid {
            cohorts: vec!["2026-01".into(), "2026-02".into()],
            periods: vec!["M0".into(), "M1".into(), "M2".into()],
            values: vec![
                vec![Some(1.0), Some(0.42), Some(0.3)],
                vec![Some(1.0), Some(0.5), None],
            ],
        };
        let d = retention_drawing(&grid, &o).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        assert!(d.svg.contains("42%"));
        let mut bad = grid.clone();
        bad.values[1][1] = Some(1.5);
        assert_eq!(
            retention_drawing(&bad, &o).unwrap_err().path(),
            Some("values[1][1]")
        );
    }
}
