//! Behaviour clusters ([`Personas`]): a row a cluster with its share of customers as a bar and
//! what sets it apart, and the feature heat map beside it (each column one feature, each cell the
//! cluster's mean, shaded against the column's largest; bold where the feature distinguishes the
//! cluster), the features keyed below; then each cluster's most common journey on one map of
//! the activities: a column an activity (ordered by where the journeys take it), a row a
//! cluster, a dot where its journey goes with the step numbers above it, the steps joined in
//! order (forward along the row, back as an arc above it), `×n` for an activity repeated n times
//! in a row.
//!
//! Input: the result of the `personas` analysis as it is (`svg_chart("personas", json)`).

use super::charts::title_block;
use super::layout::{ellipsize, text_width, Rect};
use super::palette;
use super::svg::{Anchor, Canvas, Drawing, TextStyle};
use super::value_stream::percent;
use super::RenderOptions;
use crate::analytics::personas::Personas;
use crate::error::{Error, Result};

const MARGIN: f64 = 16.0;

/// The clusters as SVG.
pub fn svg_personas(p: &Personas, options: &RenderOptions) -> Result<String> {
    Ok(personas_drawing(p, options)?.svg)
}

/// The clusters with the boxes they placed.
pub fn personas_drawing(p: &Personas, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    check(p)?;
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let h = &p.heat_map;
    let (label_w, bar_w, cell) = (16.0 * f, 10.0 * f, 3.6 * f);
    let row_h = 2.4 * f;
    let heat_x = MARGIN + label_w + bar_w + f;
    let width = (heat_x + cell * h.features.len() as f64 + MARGIN).max(MARGIN * 2.0 + 40.0 * f);
    let mut c = Canvas::new();
    let title = options.title.clone().unwrap_or_else(|| {
        format!(
            "{} behaviour clusters: share of customers and feature means",
            p.k
        )
    });
    let mut top = title_block(&mut c, &title, width, f);
    // Column heads: F1, F2 ... keyed below.
    for j in 0..h.features.len() {
        c.text(
            heat_x + cell * (j as f64 + 0.5),
            top + small,
            &format!("F{}", j + 1),
            TextStyle::new(small)
                .anchor(Anchor::Middle)
                .fill(palette::MUTED),
        );
    }
    c.text(
        MARGIN + label_w,
        top + small,
        "share of customers",
        TextStyle::new(small).fill(palette::MUTED),
    );
    top += small * 1.8;
    let column_max: Vec<f64> = (0..h.features.len())
        .map(|j| h.means.iter().map(|row| row[j]).fold(0.0, f64::max))
        .collect();
    let widest = p
        .clusters
        .iter()
        .map(|c| c.share)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    for (i, cl) in p.clusters.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let apart = cl
            .distinguishing
            .first()
            .map_or("no distinguishing feature".to_string(), |d| {
                d.feature.clone()
            });
        let label = ellipsize(
            &format!("{}: {apart}", cl.cluster + 1),
            label_w - 8.0,
            small,
        );
        c.open(
            "cluster",
            Some(&format!(
                "cluster {}: {} customers",
                cl.cluster + 1,
                cl.cases
            )),
        );
        c.place(
            "label",
            Rect::new(MARGIN, y, text_width(&label, small), row_h),
            None,
        );
        c.text(MARGIN, y + row_h * 0.62, &label, TextStyle::new(small));
        let w = (bar_w - 4.5 * f) * cl.share / widest;
        c.rect(
            Rect::new(MARGIN + label_w, y + row_h * 0.2, w.max(1.0), row_h * 0.6),
            palette::BLUE,
            "none",
            0.0,
            "",
        );
        c.text(
            MARGIN + label_w + w + 4.0,
            y + row_h * 0.62,
            &percent(cl.share),
            TextStyle::new(small),
        );
        for (j, feature) in h.features.iter().enumerate() {
            let v = h.means[i][j];
            let t = if column_max[j] > 0.0 {
                v / column_max[j]
            } else {
                0.0
            };
            let apart = cl.distinguishing.iter().any(|d| &d.feature == feature);
            let r = Rect::new(heat_x + cell * j as f64, y, cell - 2.0, row_h - 2.0);
            c.rect(r, &palette::sequential(t), palette::RULE, 2.0, "");
            let mut style = TextStyle::new(small)
                .anchor(Anchor::Middle)
                .fill(palette::on_sequential(t));
            if apart {
                style = style.bold();
            }
            c.text(r.x + r.w / 2.0, y + row_h * 0.62, &mean_text(v), style);
        }
        c.close();
    }
    let mut y = top + p.clusters.len() as f64 * row_h + small * 1.5;
    c.text(
        MARGIN,
        y,
        "Cells: the cluster's mean, shaded against the column's largest; bold where it sets the cluster apart.",
        TextStyle::new(small).fill(palette::MUTED),
    );
    for (j, feature) in h.features.iter().enumerate() {
        y += small * 1.5;
        let t = ellipsize(
            &format!("F{} = {feature}", j + 1),
            width - 2.0 * MARGIN,
            small,
        );
        c.place(
            "key",
            Rect::new(MARGIN, y - small, text_width(&t, small), small * 1.3),
            None,
        );
        c.text(MARGIN, y, &t, TextStyle::new(small));
    }
    let (y, width) = journeys(&mut c, p, y + small * 2.5, f, width);
    let desc = format!(
        "{} clusters of {} customers; {} features in the heat map; each cluster's most common journey.",
        p.k,
        p.clusters.iter().map(|c| c.cases).sum::<u64>(),
        h.features.len()
    );
    Ok(c.finish(width, y + MARGIN, &title, &desc))
}

/// Activities the journey map shows at most.
const JOURNEY_COLUMNS: usize = 16;

/// The journey map below `top` on a drawing at least `width` wide: its bottom and the width.
fn journeys(c: &mut Canvas, p: &Personas, top: f64, f: f64, width: f64) -> (f64, f64) {
    let small = (f - 1.5).max(7.0);
    let paths: Vec<Vec<&str>> = p
        .clusters
        .iter()
        .map(|cl| {
            cl.top_paths
                .first()
                .map_or(Vec::new(), |t| t.path.split(" > ").collect())
        })
        .collect();
    // Columns: activities by their mean relative position in the journeys, then by name.
    let mut place: Vec<(&str, f64, usize)> = Vec::new();
    for path in &paths {
        for (i, a) in path.iter().enumerate() {
            let at = i as f64 / path.len().max(2).saturating_sub(1) as f64;
            match place.iter_mut().find(|(b, _, _)| b == a) {
                Some(e) => (e.1, e.2) = (e.1 + at, e.2 + 1),
                None => place.push((a, at, 1)),
            }
        }
    }
    // The most visited when there are too many.
    place.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let hidden = place.len().saturating_sub(JOURNEY_COLUMNS);
    place.truncate(JOURNEY_COLUMNS);
    place.sort_by(|a, b| {
        (a.1 / a.2 as f64)
            .total_cmp(&(b.1 / b.2 as f64))
            .then(a.0.cmp(b.0))
    });
    let columns: Vec<&str> = place.iter().map(|e| e.0).collect();
    let (label_w, col_w, row_h) = (6.0 * f, 7.0 * f, 3.4 * f);
    let x0 = MARGIN + label_w;
    let x_of = |j: usize| x0 + col_w * (j as f64 + 0.5);
    let width = width.max(x0 + col_w * columns.len() as f64 + MARGIN);
    let mut y = top;
    let caption = if hidden > 0 {
        format!("Each cluster's most common journey ({hidden} rarer activities not shown)")
    } else {
        "Each cluster's most common journey".to_string()
    };
    c.text(MARGIN, y, &caption, TextStyle::new(f).bold());
    y += small * 1.8;
    for (j, name) in columns.iter().enumerate() {
        let t = ellipsize(name, col_w - 4.0, small);
        let w = text_width(&t, small);
        c.place(
            "activity",
            Rect::new(x_of(j) - w / 2.0, y - small, w, small * 1.3),
            None,
        );
        c.text(
            x_of(j),
            y,
            &t,
            TextStyle::new(small)
                .anchor(Anchor::Middle)
                .fill(palette::MUTED),
        );
    }
    y += small;
    for (i, (cl, path)) in p.clusters.iter().zip(&paths).enumerate() {
        let row = y + row_h * i as f64;
        let mid = row + row_h * 0.65;
        let colour = palette::CATEGORICAL[i % palette::CATEGORICAL.len()];
        c.open(
            "journey",
            Some(&format!(
                "cluster {}: {}",
                cl.cluster + 1,
                if path.is_empty() {
                    "no journey".to_string()
                } else {
                    path.join(" > ")
                }
            )),
        );
        c.line(
            (x0, mid),
            (x0 + col_w * columns.len() as f64, mid),
            palette::WASH,
            1.0,
            "",
        );
        c.text(
            MARGIN,
            mid + small * 0.35,
            &format!("{} ({})", cl.cluster + 1, percent(cl.share)),
            TextStyle::new(small),
        );
        // Runs of one activity: (column, first step, run length).
        let mut runs: Vec<(Option<usize>, usize, usize)> = Vec::new();
        for (step, a) in path.iter().enumerate() {
            let col = columns.iter().position(|c| c == a);
            match runs.last_mut() {
                Some(r) if r.0 == col && path[r.1] == *a => r.2 += 1,
                _ => runs.push((col, step, 1)),
            }
        }
        let shown: Vec<&(Option<usize>, usize, usize)> =
            runs.iter().filter(|r| r.0.is_some()).collect();
        for w in shown.windows(2) {
            let (a, b) = (x_of(w[0].0.unwrap_or(0)), x_of(w[1].0.unwrap_or(0)));
            if b > a {
                c.line((a, mid), (b, mid), colour, 2.0, "");
            } else {
                let lift = row_h * 0.45;
                c.path(
                    &format!(
                        "M {} {} Q {} {} {} {}",
                        super::svg::num(a),
                        super::svg::num(mid),
                        super::svg::num((a + b) / 2.0),
                        super::svg::num(mid - lift),
                        super::svg::num(b),
                        super::svg::num(mid)
                    ),
                    "none",
                    colour,
                    1.5,
                    "stroke-dasharray=\"3 2\"",
                );
            }
        }
        // One dot a visited column, the step numbers (from 1) above it.
        for (j, _) in columns.iter().enumerate() {
            let visits: Vec<&&(Option<usize>, usize, usize)> =
                shown.iter().filter(|r| r.0 == Some(j)).collect();
            if visits.is_empty() {
                continue;
            }
            let steps: Vec<String> = visits
                .iter()
                .map(|r| {
                    if r.2 > 1 {
                        format!("{}×{}", r.1 + 1, r.2)
                    } else {
                        (r.1 + 1).to_string()
                    }
                })
                .collect();
            c.circle(x_of(j), mid, 0.35 * f, colour, palette::PAPER, None);
            let t = ellipsize(&steps.join(","), col_w - 4.0, small - 1.0);
            let w = text_width(&t, small - 1.0);
            c.place(
                "steps",
                Rect::new(x_of(j) - w / 2.0, mid - f * 1.5, w, small),
                None,
            );
            c.text(
                x_of(j),
                mid - f * 0.6,
                &t,
                TextStyle::new(small - 1.0).anchor(Anchor::Middle),
            );
        }
        c.close();
    }
    let bottom = y + row_h * p.clusters.len() as f64 + small;
    let note = ellipsize(
        "Numbers: the steps at each activity (3×2: steps 3 and 4, the same activity twice); dashed: back to an earlier activity.",
        width - 2.0 * MARGIN,
        small,
    );
    c.text(
        MARGIN,
        bottom,
        &note,
        TextStyle::new(small).fill(palette::MUTED),
    );
    (bottom, width)
}

fn mean_text(v: f64) -> String {
    if v != 0.0 && v.abs() < 0.01 {
        format!("{v:.3}")
    } else {
        format!("{v:.2}")
    }
}

/// A row of means for every cluster, a mean for every feature, every number finite.
fn check(p: &Personas) -> Result<()> {
    if p.clusters.is_empty() {
        return Err(Error::invalid(
            "clusters",
            "[]",
            "must hold at least one cluster",
        ));
    }
    let h = &p.heat_map;
    if h.means.len() != p.clusters.len() {
        return Err(Error::invalid(
            "heat_map.means",
            format!("{} rows", h.means.len()),
            format!(
                "must hold a row for each of the {} clusters",
                p.clusters.len()
            ),
        ));
    }
    for (i, row) in h.means.iter().enumerate() {
        if row.len() != h.features.len() {
            return Err(Error::invalid(
                format!("heat_map.means[{i}]"),
                format!("{} values", row.len()),
                format!(
                    "must hold a mean for each of the {} features",
                    h.features.len()
                ),
            ));
        }
        if let Some(j) = row.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(
                format!("heat_map.means[{i}][{j}]"),
                row[j],
                "is not a finite number",
            ));
        }
    }
    for (i, cl) in p.clusters.iter().enumerate() {
        if !(0.0..=1.0).contains(&cl.share) {
            return Err(Error::invalid(
                format!("clusters[{i}].share"),
                cl.share,
                "is not a share (0 to 1)",
            ));
        }
    }
    Ok(())
}
