//! Text measuring, wrapping and ellipsizing, and the boxes a drawing places.
//!
//! Widths come from a per-character table of DejaVu Sans advance widths (the font Linux browsers
//! fall back to; Verdana is close, Arial and Helvetica are narrower), so a label measured here fits
//! in any of the fonts the drawings name.
//!
//! ```
//! use journeystream::render::layout::{text_width, wrap};
//! assert!(text_width("Mill", 12.0) < text_width("MMMM", 12.0));
//! let lines = wrap("Assign to the specialist on duty", 80.0, 12.0, 2);
//! assert_eq!(lines.len(), 2);
//! assert!(lines[1].ends_with('…'));
//! ```

use serde::Serialize;

/// Advance widths of ASCII 32..=126 in thousandths of an em (DejaVu Sans).
const WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318,
    337, // ' '..'/'
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, // digits
    337, 337, 838, 838, 838, 531, 1000, // ':'..'@'
    684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635,
    611, 732, 684, 989, 685, 611, 685, // 'A'..'Z'
    390, 337, 390, 838, 500, 500, // '['..'`'
    613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
    392, 634, 592, 818, 592, 592, 525, // 'a'..'z'
    636, 337, 636, 838, // '{'..'~'
];

/// The advance width of one character in ems.
pub fn char_width(c: char) -> f64 {
    let code = c as u32;
    let milli = if (32..=126).contains(&code) {
        WIDTHS[(code - 32) as usize] as f64
    } else if code >= 0x2E80 {
        1000.0 // CJK and other wide scripts
    } else {
        700.0
    };
    milli / 1000.0
}

/// The width of `text` at `size` pixels, regular weight.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * size
}

/// The width of `text` at `size` pixels, bold (about a tenth wider).
pub fn bold_width(text: &str, size: f64) -> f64 {
    text_width(text, size) * 1.1
}

/// `text` cut to fit `width` pixels, ending in `…` when cut.
pub fn ellipsize(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let room = width - char_width('…') * size;
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += char_width(c) * size;
        if used > room {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `text` wrapped at word boundaries into lines of at most `width` pixels, at most `max_lines`
/// lines; a word wider than a line is broken, and the last line ends in `…` when text is left over.
pub fn wrap(text: &str, width: f64, size: f64, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    let mut overflow = false;
    while let Some(word) = words.next() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
            if lines.len() == max_lines {
                overflow = true;
                break;
            }
        }
        // The word alone: break it when it is wider than a line.
        let mut rest = word.to_string();
        while text_width(&rest, size) > width {
            let mut cut = String::new();
            let mut used = 0.0;
            for c in rest.chars() {
                used += char_width(c) * size;
                if used > width && !cut.is_empty() {
                    break;
                }
                cut.push(c);
            }
            rest = rest[cut.len()..].to_string();
            lines.push(cut);
            if lines.len() == max_lines {
                overflow = !rest.is_empty() || words.peek().is_some();
                break;
            }
        }
        if lines.len() == max_lines {
            overflow = overflow || !rest.is_empty();
            break;
        }
        current = rest;
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    } else if !current.is_empty() {
        overflow = true;
    }
    if overflow {
        if let Some(last) = lines.last_mut() {
            let marked = format!("{last}…");
            *last = if text_width(&marked, size) <= width {
                marked
            } else {
                ellipsize(&format!("{last}……"), width, size)
            };
        }
    }
    lines
}

/// An axis-aligned box in drawing pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// A box from its top-left corner and size.
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// The right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// The bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two boxes share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        const EPS: f64 = 1e-6;
        self.x + EPS < other.right()
            && other.x + EPS < self.right()
            && self.y + EPS < other.bottom()
            && other.y + EPS < self.bottom()
    }

    /// Whether `other` lies inside this box.
    pub fn contains(&self, other: &Rect) -> bool {
        const EPS: f64 = 1e-6;
        other.x + EPS >= self.x
            && other.y + EPS >= self.y
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }
}

/// A box a drawing placed: what it is, where, and the box it sits in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placed {
    /// What the box holds (`"stage"`, `"touchpoint"`, `"text"`, …).
    pub role: &'static str,
    pub rect: Rect,
    /// Index of the enclosing box in [`Layout::boxes`]; none for top-level boxes.
    pub parent: Option<usize>,
}

/// Every box a drawing placed, for checking the layout.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<Placed>,
}

impl Layout {
    /// Pairs of boxes with the same parent that overlap, and boxes that leave their parent or
    /// the drawing; empty for a clean layout.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let page = Rect::new(0.0, 0.0, self.width, self.height);
        for (i, b) in self.boxes.iter().enumerate() {
            let outer = b.parent.map_or(page, |p| self.boxes[p].rect);
            if !outer.contains(&b.rect) {
                out.push(format!("{} #{i} {:?} leaves {:?}", b.role, b.rect, outer));
            }
        }
        let mut by_parent: std::collections::BTreeMap<Option<usize>, Vec<usize>> =
            Default::default();
        for (i, b) in self.boxes.iter().enumerate() {
            by_parent.entry(b.parent).or_default().push(i);
        }
        for siblings in by_parent.values() {
            let mut sorted = siblings.clone();
            sorted.sort_by(|&a, &b| self.boxes[a].rect.x.total_cmp(&self.boxes[b].rect.x));
            for (k, &i) in sorted.iter().enumerate() {
                let a = &self.boxes[i];
                for &j in &sorted[k + 1..] {
                    let b = &self.boxes[j];
                    if b.rect.x >= a.rect.right() {
                        break;
                    }
                    if a.rect.overlaps(&b.rect) {
                        out.push(format!(
                            "{} #{i} {:?} overlaps {} #{j} {:?}",
                            a.role, a.rect, b.role, b.rect
                        ));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_fits_and_marks_cuts() {
        let long = "Articles do not match the model bought and the customer gives up";
        for width in [40.0, 90.0, 150.0, 400.0] {
            for lines in 1..4 {
                let out = wrap(long, width, 11.0, lines);
                assert!(out.len() <= lines);
                for l in &out {
                    assert!(
                        text_width(l, 11.0) <= width + 1e-9,
                        "{l:?} wider than {width}"
                    );
                }
            }
        }
        assert_eq!(wrap(long, 1000.0, 11.0, 1), vec![long.to_string()]);
        assert_eq!(wrap("", 100.0, 11.0, 2), Vec::<String>::new());
        let cut = wrap("Supercalifragilisticexpialidocious", 60.0, 12.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
    }

    #[test]
    fn ellipsize_fits() {
        let e = ellipsize("Skill-based routing to specialists", 100.0, 12.0);
        assert!(e.ends_with('…') && text_width(&e, 12.0) <= 100.0);
        assert_eq!(ellipsize("Ship", 100.0, 12.0), "Ship");
    }

    #[test]
    fn overlap_check_finds_overlaps() {
        let mut l = Layout {
            width: 100.0,
            height: 100.0,
            boxes: vec![],
        };
        let r = |x, y| Placed {
            role: "card",
            rect: Rect::new(x, y, 10.0, 10.0),
            parent: None,
        };
        l.boxes = vec![r(0.0, 0.0), r(10.0, 0.0), r(0.0, 10.0)];
        assert!(l.problems().is_empty());
        l.boxes.push(r(5.0, 5.0));
        assert_eq!(l.problems().len(), 3);
        l.boxes = vec![r(95.0, 0.0)];
        assert_eq!(l.problems().len(), 1);
    }
}
