//! Shared axes of the charts that plot values against an x position (lines, KPI series): the
//! ranges mapped to pixels, round ticks, the grid and the frame.

use super::layout::Rect;
use super::palette;
use super::svg::{Anchor, Canvas, TextStyle};

/// A round step (1, 2 or 5 times a power of ten) for about `n` ticks over `span`.
pub(super) fn tick_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::MIN_POSITIVE);
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
}

/// Data ranges and the plot box they fill.
#[derive(Debug, Clone, Copy)]
pub(super) struct Axes {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub ystep: f64,
    pub plot: Rect,
}

impl Axes {
    /// Axes over `x0..x1` and `y0..y1`; the y range is widened to whole ticks and an empty
    /// range to one unit.
    pub fn new((x0, x1): (f64, f64), (y0, y1): (f64, f64), plot: Rect) -> Axes {
        let x1 = if x1 <= x0 { x0 + 1.0 } else { x1 };
        let y1 = if y1 <= y0 { y0 + 1.0 } else { y1 };
        let ystep = tick_step(y1 - y0, 5.0);
        let y0 = (y0 / ystep).floor() * ystep;
        let y1 = ((y1 / ystep).ceil() * ystep).max(y0 + ystep);
        Axes {
            x0,
            x1,
            y0,
            y1,
            ystep,
            plot,
        }
    }

    /// The pixel column of `x`.
    pub fn px(&self, x: f64) -> f64 {
        self.plot.x + (x - self.x0) / (self.x1 - self.x0) * self.plot.w
    }

    /// The pixel row of `y`.
    pub fn py(&self, y: f64) -> f64 {
        self.plot.y + self.plot.h - (y - self.y0) / (self.y1 - self.y0) * self.plot.h
    }

    /// Grid lines at every y tick, labelled by `label`, the axis label above the plot, and the
    /// frame (x and y axes); records the plot box.
    pub fn draw(&self, c: &mut Canvas, small: f64, y_label: &str, label: impl Fn(f64) -> String) {
        let Rect {
            x: left,
            y: top,
            w,
            h,
        } = self.plot;
        c.text(
            left,
            top - small * 0.6,
            &super::layout::ellipsize(y_label, w, small),
            TextStyle::new(small).fill(palette::MUTED),
        );
        let mut t = self.y0;
        while t <= self.y1 + self.ystep * 1e-9 {
            let y = self.py(t);
            c.line((left, y), (left + w, y), palette::WASH, 1.0, "");
            c.text(
                left - 6.0,
                y + small * 0.35,
                &label((t / self.ystep).round() * self.ystep),
                TextStyle::new(small)
                    .anchor(Anchor::End)
                    .fill(palette::MUTED),
            );
            t += self.ystep;
        }
        c.line((left, top + h), (left + w, top + h), palette::INK, 1.0, "");
        c.line((left, top), (left, top + h), palette::INK, 1.0, "");
        c.place("plot", self.plot, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_ranges_widen() {
        assert_eq!(tick_step(120.0, 5.0), 50.0);
        assert_eq!(tick_step(2.0, 8.0), 0.5);
        let a = Axes::new((0.0, 0.0), (-0.3, 0.9), Rect::new(0.0, 0.0, 100.0, 50.0));
        assert_eq!((a.x0, a.x1), (0.0, 1.0));
        assert_eq!((a.ystep, a.y0, a.y1), (0.5, -0.5, 1.0));
        assert_eq!(a.py(a.y0), 50.0);
        assert_eq!(a.px(1.0), 100.0);
    }
}
