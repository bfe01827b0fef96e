//! Series of points as lines on shared axes: a model's expected counts against the observed ones
//! (a CLV fit), a KPI over time.
//!
//! Input ([`Series`]): `{"x_label": "repeat purchases", "y_label": "customers", "series":
//! [{"name": "observed", "points": [[0, 120], [1, 40]]}, {"name": "model", "points": [...]}]}`.
//!
//! ```
//! use journeystream::render::{charts::svg_chart, RenderOptions};
//! let svg = svg_chart("lines", r#"{"x_label": "t", "y_label": "n", "series": [
//!     {"name": "observed", "points": [[0, 3], [1, 5], [2, 4]]}]}"#, &RenderOptions::default())?;
//! assert!(svg.contains("observed"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::axes::{tick_step, Axes};
use super::charts::title_block;
use super::journey_map::short;
use super::layout::{ellipsize, text_width, Rect};
use super::palette;
use super::svg::{num, Anchor, Canvas, Drawing, TextStyle};
use super::RenderOptions;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// One named line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// Lines on shared axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    #[serde(default)]
    pub x_label: String,
    #[serde(default)]
    pub y_label: String,
    pub series: Vec<Line>,
}

const MARGIN: f64 = 16.0;

/// The lines with the boxes they placed.
pub fn lines_drawing(s: &Series, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    if s.series.iter().all(|l| l.points.is_empty()) {
        return Err(Error::invalid(
            "series",
            "[]",
            "must have at least one point",
        ));
    }
    for (i, l) in s.series.iter().enumerate() {
        for (k, (x, y)) in l.points.iter().enumerate() {
            if !x.is_finite() || !y.is_finite() {
                return Err(Error::invalid(
                    format!("series[{i}].points[{k}]"),
                    format!("[{x}, {y}]"),
                    "is not two finite numbers",
                ));
            }
        }
    }
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let pts = s.series.iter().flat_map(|l| l.points.iter().copied());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, 0.0f64, f64::MIN);
    for (x, y) in pts {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    let (plot_w, plot_h) = (36.0 * f, 18.0 * f);
    let axis_w = 5.0 * f;
    let legend_w = 10.0 * f;
    let width = 2.0 * MARGIN + axis_w + plot_w + legend_w;
    let mut c = Canvas::new();
    let title = options.title.clone().unwrap_or_else(|| "Series".into());
    let top = title_block(&mut c, &title, width, f) + small * 1.4;
    let left = MARGIN + axis_w;
    let axes = Axes::new((x0, x1), (y0, y1), Rect::new(left, top, plot_w, plot_h));
    let (x0, x1) = (axes.x0, axes.x1);
    let (px, py) = (|x| axes.px(x), |y| axes.py(y));
    axes.draw(&mut c, small, &s.y_label, |t| {
        short((t * 1000.0).round() / 1000.0)
    });
    let xstep = tick_step(x1 - x0, 8.0);
    let mut t = (x0 / xstep).ceil() * xstep;
    while t <= x1 + xstep * 1e-9 {
        c.text(
            px(t),
            top + plot_h + small * 1.3,
            &short((t * 1000.0).round() / 1000.0),
            TextStyle::new(small)
                .anchor(Anchor::Middle)
                .fill(palette::MUTED),
        );
        t += xstep;
    }
    let xl = ellipsize(&s.x_label, plot_w, small);
    c.text(
        left + plot_w / 2.0,
        top + plot_h + small * 2.7,
        &xl,
        TextStyle::new(small)
            .anchor(Anchor::Middle)
            .fill(palette::MUTED),
    );
    let lx = left + plot_w + 16.0;
    for (i, l) in s.series.iter().enumerate() {
        let colour = palette::CATEGORICAL[i % palette::CATEGORICAL.len()];
        let d: Vec<String> = l
            .points
            .iter()
            .enumerate()
            .map(|(k, &(x, y))| {
                format!(
                    "{}{} {}",
                    if k == 0 { "M" } else { "L" },
                    num(px(x)),
                    num(py(y))
                )
            })
            .collect();
        c.open("series", Some(&l.name));
        c.path(&d.join(" "), "none", colour, 2.0, "");
        for &(x, y) in &l.points {
            c.circle(px(x), py(y), 2.5, colour, "none", None);
        }
        c.close();
        let ly = top + i as f64 * f * 1.6;
        c.line(
            (lx, ly + f * 0.5),
            (lx + 14.0, ly + f * 0.5),
            colour,
            2.5,
            "",
        );
        let name = ellipsize(&l.name, legend_w - 24.0, small);
        c.place(
            "legend",
            Rect::new(lx + 18.0, ly, text_width(&name, small), f * 1.2),
            None,
        );
        c.text(lx + 18.0, ly + f * 0.85, &name, TextStyle::new(small));
    }
    let n: usize = s.series.iter().map(|l| l.points.len()).sum();
    let desc = format!(
        "{} series, {n} points, {} from {} to {}.",
        s.series.len(),
        s.x_label,
        short(x0),
        short(x1)
    );
    Ok(c.finish(width, top + plot_h + small * 3.2 + MARGIN, &title, &desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_lay_out_and_check_points() {
        let s = Series {
            x_label: "repeat purchases".into(),
            y_label: "customers".into(),
            series: vec![
                Line {
                    name: "observed".into(),
                    points: vec![(0.0, 120.0), (1.0, 40.0), (2.0, 13.0)],
                },
                Line {
                    name: "model".into(),
                    points: vec![(0.0, 118.2), (1.0, 42.5), (2.0, 12.1)],
                },
            ],
        };
        let d = lines_drawing(&s, &RenderOptions::default()).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        assert_eq!(d.svg.matches("class=\"series\"").count(), 2);
        let mut bad = s.clone();
        bad.series[1].points[2].1 = f64::INFINITY;
        assert_eq!(
            lines_drawing(&bad, &RenderOptions::default())
                .unwrap_err()
                .path(),
            Some("series[1].points[2]")
        );
    }
}
