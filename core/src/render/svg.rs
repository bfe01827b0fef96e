//! A small SVG writer: escaped text, rounded coordinates, accessible titles, and a record of
//! every box it places (see [`Layout`]).
//!
//! Output is deterministic (same calls, same bytes) and self-contained: no fonts, scripts or
//! links are fetched.
//!
//! ```
//! use journeystream::render::svg::escape;
//! assert_eq!(escape("Q&A <fast>"), "Q&amp;A &lt;fast&gt;");
//! ```

use super::layout::{Layout, Placed, Rect};
use super::palette;
use std::fmt::Write;

/// The fonts drawings ask for; text is measured for the widest of them (see [`super::layout`]).
pub const FONT_FAMILY: &str = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif";

/// Text escaped for XML character data and attribute values; characters XML forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate rounded to 0.1 px, written without a trailing `.0`.
pub fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r }; // no "-0"
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A finished drawing: the SVG text and the boxes it placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    pub svg: String,
    pub layout: Layout,
}

/// How text is anchored horizontally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Style of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: f64,
    pub bold: bool,
    pub italic: bool,
    pub anchor: Anchor,
    pub fill: &'static str,
}

impl TextStyle {
    /// Regular dark text, start-anchored.
    pub fn new(size: f64) -> TextStyle {
        TextStyle {
            size,
            bold: false,
            italic: false,
            anchor: Anchor::Start,
            fill: palette::INK,
        }
    }
    /// The same, bold.
    pub fn bold(mut self) -> TextStyle {
        self.bold = true;
        self
    }
    /// The same, italic.
    pub fn italic(mut self) -> TextStyle {
        self.italic = true;
        self
    }
    /// The same, anchored.
    pub fn anchor(mut self, anchor: Anchor) -> TextStyle {
        self.anchor = anchor;
        self
    }
    /// The same, in this colour.
    pub fn fill(mut self, fill: &'static str) -> TextStyle {
        self.fill = fill;
        self
    }
}

/// The SVG being written.
#[derive(Debug, Default)]
pub struct Canvas {
    body: String,
    layout: Layout,
}

impl Canvas {
    /// An empty canvas.
    pub fn new() -> Canvas {
        Canvas::default()
    }

    /// Records a box; returns its index, for children to name as parent.
    pub fn place(&mut self, role: &'static str, rect: Rect, parent: Option<usize>) -> usize {
        self.layout.boxes.push(Placed { role, rect, parent });
        self.layout.boxes.len() - 1
    }

    /// Opens a group with an accessible title (and an optional class).
    pub fn open(&mut self, class: &str, title: Option<&str>) {
        if class.is_empty() {
            self.body.push_str("<g>");
        } else {
            let _ = write!(self.body, "<g class=\"{}\">", escape(class));
        }
        if let Some(t) = title {
            let _ = write!(self.body, "<title>{}</title>", escape(t));
        }
        self.body.push('\n');
    }

    /// Closes the last group.
    pub fn close(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// A rectangle; `extra` holds further attributes (already escaped).
    pub fn rect(&mut self, r: Rect, fill: &str, stroke: &str, radius: f64, extra: &str) {
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\"{}{extra}/>",
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            num(radius),
            if extra.is_empty() { "" } else { " " },
        );
    }

    /// A straight line between two points.
    pub fn line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        stroke: &str,
        width: f64,
        extra: &str,
    ) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"{}{extra}/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(width),
            if extra.is_empty() { "" } else { " " },
        );
    }

    /// A path from its `d` commands (numbers written with [`num`]).
    pub fn path(&mut self, d: &str, fill: &str, stroke: &str, width: f64, extra: &str) {
        let _ = writeln!(
            self.body,
            "<path d=\"{d}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"{}{extra}/>",
            num(width),
            if extra.is_empty() { "" } else { " " },
        );
    }

    /// A closed polygon through the points.
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str, stroke: &str) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = writeln!(
            self.body,
            "<polygon points=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\"/>",
            pts.join(" ")
        );
    }

    /// A circle.
    pub fn circle(
        &mut self,
        cx: f64,
        cy: f64,
        r: f64,
        fill: &str,
        stroke: &str,
        title: Option<&str>,
    ) {
        let _ = write!(
            self.body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\"",
            num(cx),
            num(cy),
            num(r)
        );
        match title {
            Some(t) => {
                let _ = writeln!(self.body, "><title>{}</title></circle>", escape(t));
            }
            None => self.body.push_str("/>\n"),
        }
    }

    /// One line of text with its baseline at `y`.
    pub fn text(&mut self, x: f64, y: f64, text: &str, style: TextStyle) {
        let mut attrs = format!("font-size=\"{}\"", num(style.size));
        if style.bold {
            attrs.push_str(" font-weight=\"bold\"");
        }
        if style.italic {
            attrs.push_str(" font-style=\"italic\"");
        }
        if style.anchor != Anchor::Start {
            let _ = write!(attrs, " text-anchor=\"{}\"", style.anchor.name());
        }
        if style.fill != palette::INK {
            let _ = write!(attrs, " fill=\"{}\"", style.fill);
        }
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" {attrs}>{}</text>",
            num(x),
            num(y),
            escape(text)
        );
    }

    /// Lines of text, the first baseline at `y`, `step` pixels apart.
    pub fn text_lines(&mut self, x: f64, y: f64, lines: &[String], step: f64, style: TextStyle) {
        for (i, l) in lines.iter().enumerate() {
            self.text(x, y + step * i as f64, l, style);
        }
    }

    /// A position in the output, to insert a background under what follows.
    pub fn mark(&self) -> usize {
        self.body.len()
    }

    /// Inserts a rectangle at a [`Canvas::mark`], under everything drawn since.
    pub fn insert_rect(&mut self, mark: usize, r: Rect, fill: &str, stroke: &str) {
        let mut rest = self.body.split_off(mark);
        self.rect(r, fill, stroke, 6.0, "");
        self.body.push_str(&rest);
        rest.clear();
    }

    /// Changes a recorded box (when its size is known only after its contents).
    pub fn resize(&mut self, index: usize, rect: Rect) {
        self.layout.boxes[index].rect = rect;
    }

    /// Raw markup (already escaped).
    pub fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
    }

    /// The finished SVG document with a title and description for screen readers.
    pub fn finish(mut self, width: f64, height: f64, title: &str, desc: &str) -> Drawing {
        let (w, h) = (num(width.ceil()), num(height.ceil()));
        let mut svg = String::with_capacity(self.body.len() + 1024);
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             role=\"img\" aria-labelledby=\"js-title js-desc\" font-family=\"{}\" font-size=\"12\" fill=\"{}\">\n\
             <title id=\"js-title\">{}</title>\n<desc id=\"js-desc\">{}</desc>\n",
            escape(FONT_FAMILY),
            palette::INK,
            escape(title),
            escape(desc)
        );
        let _ = writeln!(
            svg,
            "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>",
            palette::PAPER
        );
        svg.push_str(&self.body);
        svg.push_str("</svg>\n");
        self.layout.width = width.ceil();
        self.layout.height = height.ceil();
        Drawing {
            svg,
            layout: std::mem::take(&mut self.layout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.01), "0");
    }

    #[test]
    fn escapes_and_drops_forbidden_characters() {
        assert_eq!(escape("a\u{1}b \"c\" 'd'"), "ab &quot;c&quot; &#39;d&#39;");
    }
}
