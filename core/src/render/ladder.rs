//! The lead-time ladder of a value stream's metrics on its own: each step's wait on the upper
//! rung and its process time on the lower one, with the totals (lead time, process time, activity
//! ratio) at the end, as under a value stream map.
//!
//! Input ([`LadderSteps`]): `{"steps": [{"name": "Triage", "wait": 3600, "process": 300}, ...]}`,
//! seconds; `day_length` (seconds, default 24 h) sets when durations read in days.
//!
//! ```
//! use journeystream::render::{charts::svg_chart, RenderOptions};
//! let svg = svg_chart("ladder", r#"{"steps": [{"name": "Triage", "wait": 3600, "process": 300},
//!     {"name": "Fix", "wait": 7200, "process": 1800}]}"#, &RenderOptions::default())?;
//! assert!(svg.contains("Lead time") && svg.contains("3.58 h") && svg.contains("16%"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::charts::title_block;
use super::layout::{ellipsize, text_width, wrap, Rect};
use super::palette;
use super::svg::{num, Anchor, Canvas, Drawing, TextStyle};
use super::value_stream::{duration, percent};
use super::RenderOptions;
use crate::error::{Error, Result};
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// One step's wait before it and its process time, seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderStep {
    pub name: String,
    pub wait: f64,
    pub process: f64,
}

/// The steps of a ladder in flow order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderSteps {
    pub steps: Vec<LadderStep>,
    /// Seconds in a working day, for reading long durations in days.
    #[serde(default)]
    pub day_length: Option<f64>,
}

const MARGIN: f64 = 16.0;

/// The ladder with the boxes it placed.
pub fn ladder_drawing(l: &LadderSteps, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    if l.steps.is_empty() {
        return Err(Error::invalid("steps", "[]", "must list at least one step"));
    }
    for (i, s) in l.steps.iter().enumerate() {
        for (field, v) in [("wait", s.wait), ("process", s.process)] {
            if !v.is_finite() || v < 0.0 {
                return Err(Error::invalid(
                    format!("steps[{i}].{field}"),
                    v,
                    "is not a duration (finite seconds, not negative)",
                ));
            }
        }
    }
    let day = Duration::from_secs(l.day_length.filter(|d| *d > 0.0).unwrap_or(86_400.0));
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let (gap, box_w) = (7.0 * f, 8.0 * f);
    let summary_w = 16.0 * f;
    let n = l.steps.len();
    let width = 2.0 * MARGIN + n as f64 * (gap + box_w) + summary_w;
    let mut c = Canvas::new();
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| "Lead-time ladder".into());
    let names_y = title_block(&mut c, &title, width, f);
    let name_h = 2.0 * f * 1.25;
    let ly = names_y + name_h + small * 1.6;
    let step_h = f * 1.6;
    let mut d = String::new();
    for (i, s) in l.steps.iter().enumerate() {
        let gx = MARGIN + i as f64 * (gap + box_w);
        let x = gx + gap;
        let lines = wrap(&s.name, box_w - 6.0, f, 2);
        c.place(
            "label",
            Rect::new(x + 3.0, names_y, box_w - 6.0, lines.len() as f64 * f * 1.25),
            None,
        );
        c.text_lines(
            x + box_w / 2.0,
            names_y + f,
            &lines,
            f * 1.25,
            TextStyle::new(f).anchor(Anchor::Middle),
        );
        d += &format!(
            "{}{} {} L{} {} L{} {} L{} {} ",
            if i == 0 { "M" } else { "L" },
            num(gx),
            num(ly),
            num(x),
            num(ly),
            num(x),
            num(ly + step_h),
            num(x + box_w),
            num(ly + step_h)
        );
        if i + 1 < n {
            d += &format!("L{} {} ", num(x + box_w), num(ly));
        }
        let wl = ellipsize(
            &duration(Duration::from_secs(s.wait), day),
            gap - 6.0,
            small,
        );
        let ww = text_width(&wl, small);
        c.place(
            "ladder_label",
            Rect::new(gx + (gap - ww) / 2.0, ly - small * 1.3, ww, small * 1.2),
            None,
        );
        c.text(
            gx + gap / 2.0,
            ly - small * 0.35,
            &wl,
            TextStyle::new(small).anchor(Anchor::Middle),
        );
        let pl = ellipsize(
            &duration(Duration::from_secs(s.process), day),
            box_w - 6.0,
            small,
        );
        let pw = text_width(&pl, small);
        c.place(
            "ladder_label",
            Rect::new(x + (box_w - pw) / 2.0, ly + step_h + 3.0, pw, small * 1.2),
            None,
        );
        c.text(
            x + box_w / 2.0,
            ly + step_h + 3.0 + small,
            &pl,
            TextStyle::new(small).anchor(Anchor::Middle),
        );
    }
    c.open(
        "ladder",
        Some("Lead-time ladder: waits above, process times below"),
    );
    c.path(d.trim_end(), "none", palette::INK, 1.5, "");
    c.close();
    let process: f64 = l.steps.iter().map(|s| s.process).sum();
    let lead = process + l.steps.iter().map(|s| s.wait).sum::<f64>();
    let ratio = if lead > 0.0 {
        percent(process / lead)
    } else {
        "–".into()
    };
    let items = [
        ("Lead time", duration(Duration::from_secs(lead), day)),
        ("Process time", duration(Duration::from_secs(process), day)),
        ("Activity ratio", ratio),
    ];
    let sx = MARGIN + n as f64 * (gap + box_w) + 12.0;
    let row = small * 1.5;
    let srect = Rect::new(
        sx,
        ly - small * 1.3 - 4.0,
        summary_w - 16.0,
        items.len() as f64 * row + 10.0,
    );
    c.place("summary", srect, None);
    c.rect(
        srect,
        palette::PAPER,
        palette::INK,
        4.0,
        "stroke-width=\"1.5\"",
    );
    for (k, (name, value)) in items.iter().enumerate() {
        let ry = srect.y + 5.0 + k as f64 * row + small * 1.15;
        c.text(sx + 8.0, ry, name, TextStyle::new(small).bold());
        c.text(
            srect.right() - 8.0,
            ry,
            value,
            TextStyle::new(small).anchor(Anchor::End),
        );
    }
    let bottom = (ly + step_h + small * 2.4).max(srect.bottom());
    let desc = format!(
        "{n} steps: lead time {}, process time {}.",
        items[0].1, items[1].1
    );
    Ok(c.finish(width, bottom + MARGIN, &title, &desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_lays_out_and_checks_durations() {
        let l = LadderSteps {
            steps: vec![
                LadderStep {
                    name: "Receive the request from the customer portal".into(),
                    wait: 0.0,
                    process: 600.0,
                },
                LadderStep {
                    name: "Triage".into(),
                    wait: 5.0 * 86_400.0,
                    process: 300.0,
                },
            ],
            day_length: Some(8.0 * 3600.0),
        };
        let d = ladder_drawing(&l, &RenderOptions::default()).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        assert!(d.svg.contains("15 d"), "{}", d.svg); // 5 calendar days are 15 days of 8 h
        let mut bad = l.clone();
        bad.steps[1].wait = -1.0;
        assert_eq!(
            ladder_drawing(&bad, &RenderOptions::default())
                .unwrap_err()
                .path(),
            Some("steps[1].wait")
        );
    }
}
