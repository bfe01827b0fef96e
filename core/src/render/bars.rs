//! Labelled values as horizontal bars, each with an optional interval drawn as a whisker: shares
//! of attribution credit, KPI estimates per segment with their confidence intervals, the before
//! and after of a comparison.
//!
//! Input ([`BarRows`]): `{"rows": [{"label": "web", "value": 0.42, "low": 0.38, "high": 0.46}],
//! "format": "share"}`; `format` is `share` (values as percentages), `number` or `seconds`
//! (durations read naturally). Negative values draw left of a zero line.
//!
//! ```
//! use journeystream::render::{charts::svg_chart, RenderOptions};
//! let svg = svg_chart("bars", r#"{"rows": [{"label": "web", "value": 0.42, "low": 0.38, "high": 0.46},
//!     {"label": "app", "value": 0.3}], "format": "share"}"#, &RenderOptions::default())?;
//! assert!(svg.contains("42%") && svg.contains("38% to 46%"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::charts::title_block;
use super::layout::{ellipsize, text_width, Rect};
use super::palette;
use super::svg::{Anchor, Canvas, Drawing, TextStyle};
use super::value_stream::{duration, percent};
use super::RenderOptions;
use crate::error::{Error, Result};
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// How bar values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueFormat {
    /// Fractions shown as percentages.
    Share,
    /// Plain numbers.
    #[default]
    Number,
    /// Durations in seconds.
    Seconds,
}

impl ValueFormat {
    pub(crate) fn show(self, v: f64) -> String {
        match self {
            ValueFormat::Share => percent(v),
            ValueFormat::Number => super::journey_map::short((v * 1000.0).round() / 1000.0),
            ValueFormat::Seconds => duration(Duration::from_secs(v), Duration::from_hours(24.0)),
        }
    }
}

/// One labelled value, with an interval when known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarRow {
    pub label: String,
    pub value: f64,
    #[serde(default)]
    pub low: Option<f64>,
    #[serde(default)]
    pub high: Option<f64>,
}

/// Rows of labelled values and how they read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarRows {
    pub rows: Vec<BarRow>,
    #[serde(default)]
    pub format: ValueFormat,
}

const MARGIN: f64 = 16.0;

/// The bars with the boxes they placed.
pub fn bars_drawing(b: &BarRows, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    if b.rows.is_empty() {
        return Err(Error::invalid("rows", "[]", "must list at least one row"));
    }
    for (i, r) in b.rows.iter().enumerate() {
        for (field, v) in [("value", Some(r.value)), ("low", r.low), ("high", r.high)] {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(Error::invalid(
                    format!("rows[{i}].{field}"),
                    v.unwrap_or_default(),
                    "is not a finite number",
                ));
            }
        }
    }
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let (label_w, bar_w, note_w) = (12.0 * f, 26.0 * f, 12.0 * f);
    let width = 2.0 * MARGIN + label_w + bar_w + note_w;
    let all = b
        .rows
        .iter()
        .flat_map(|r| [Some(r.value), r.low, r.high])
        .flatten();
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x0 = MARGIN + label_w;
    let at = |v: f64| x0 + (v - lo) / span * bar_w;
    let mut c = Canvas::new();
    let title = options.title.clone().unwrap_or_else(|| "Values".into());
    let top = title_block(&mut c, &title, width, f);
    let row_h = f * 2.2;
    let mut y = top;
    for r in &b.rows {
        let label = ellipsize(&r.label, label_w - 12.0, f);
        c.place(
            "label",
            Rect::new(
                MARGIN,
                y + (row_h - f * 1.2) / 2.0,
                text_width(&label, f),
                f * 1.2,
            ),
            None,
        );
        c.text(
            MARGIN,
            y + row_h / 2.0 + f * 0.35,
            &label,
            TextStyle::new(f),
        );
        let (a, z) = (at(0.0), at(r.value));
        let bar = Rect::new(a.min(z), y + 4.0, (z - a).abs().max(1.0), row_h - 8.0);
        c.place("bar", Rect::new(x0, y, bar_w, row_h), None);
        let mut note = b.format.show(r.value);
        let interval = match (r.low, r.high) {
            (Some(l), Some(h)) => Some((l, h)),
            _ => None,
        };
        if let Some((l, h)) = interval {
            note = format!("{note} ({} to {})", b.format.show(l), b.format.show(h));
        }
        c.open("bar-row", Some(&format!("{}: {note}", r.label)));
        let fill = if interval.is_some() {
            palette::TINT_BLUE
        } else {
            palette::BLUE
        };
        c.rect(bar, fill, "none", 2.0, "");
        if let Some((l, h)) = interval {
            let mid = y + row_h / 2.0;
            c.line((at(l), mid), (at(h), mid), palette::INK, 1.5, "");
            for x in [at(l), at(h)] {
                c.line((x, mid - 5.0), (x, mid + 5.0), palette::INK, 1.5, "");
            }
            c.line((z, y + 4.0), (z, y + row_h - 4.0), palette::BLUE, 3.0, "");
        }
        c.close();
        let shown = ellipsize(&note, note_w - 12.0, small);
        let nx = x0 + bar_w + 12.0;
        c.place(
            "note",
            Rect::new(
                nx,
                y + (row_h - small * 1.2) / 2.0,
                text_width(&shown, small),
                small * 1.2,
            ),
            None,
        );
        c.text(
            nx,
            y + row_h / 2.0 + small * 0.35,
            &shown,
            TextStyle::new(small).fill(palette::MUTED),
        );
        y += row_h;
    }
    if lo < 0.0 {
        c.line((at(0.0), top), (at(0.0), y), palette::RULE, 1.0, "");
        c.text(
            at(0.0),
            y + small * 1.2,
            "0",
            TextStyle::new(small)
                .anchor(Anchor::Middle)
                .fill(palette::MUTED),
        );
        y += small * 1.4;
    }
    let desc = format!(
        "{} values from {} to {}.",
        b.rows.len(),
        b.format.show(lo),
        b.format.show(hi)
    );
    Ok(c.finish(width, y + MARGIN, &title, &desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_lay_out_with_intervals_and_negative_values() {
        let rows = BarRows {
            rows: vec![
                BarRow {
                    label: "before".into(),
                    value: 42.0,
                    low: Some(30.0),
                    high: Some(50.0),
                },
                BarRow {
                    label: "a long label that has to be shortened to fit".into(),
                    value: -12.5,
                    low: None,
                    high: None,
                },
            ],
            format: ValueFormat::Number,
        };
        let d = bars_drawing(&rows, &RenderOptions::default()).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        assert!(
            d.svg.contains("42 (30 to 50)") && d.svg.contains("-12.5"),
            "{}",
            d.svg
        );
        let bad = BarRows {
            rows: vec![BarRow {
                label: "x".into(),
                value: f64::NAN,
                low: None,
                high: None,
            }],
            format: ValueFormat::Share,
        };
        let e = bars_drawing(&bad, &RenderOptions::default()).unwrap_err();
        assert_eq!(e.path(), Some("rows[0].value"));
        let seconds = BarRows {
            rows: vec![BarRow {
                label: "p90".into(),
                value: 5400.0,
                low: None,
                high: None,
            }],
            format: ValueFormat::Seconds,
        };
        assert!(bars_drawing(&seconds, &RenderOptions::default())
            .unwrap()
            .svg
            .contains("90 min"));
    }
}
