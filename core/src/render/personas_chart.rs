//! Behaviour clusters ([`Personas`]): a row a cluster with its share of customers as a bar and
//! what sets it apart, and the feature heat map beside it (each column one feature, each cell the
//! cluster's mean, shaded against the column's largest; bold where the feature distinguishes the
//! cluster), the features keyed below.
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
    let desc = format!(
        "{} clusters of {} customers; {} features in the heat map.",
        p.k,
        p.clusters.iter().map(|c| c.cases).sum::<u64>(),
        h.features.len()
    );
    Ok(c.finish(width, y + MARGIN, &title, &desc))
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
