//! Lanes of cards over stage columns: the shared machinery of the journey map and the blueprint.

use super::layout::{text_width, wrap, Rect};
use super::palette;
use super::svg::{Canvas, TextStyle};
use super::RenderOptions;

/// How a line of a card is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Small bold caps-like line: channel, severity, priority.
    Head,
    /// The card's main text.
    Body,
    /// Small secondary text.
    Note,
    /// Small italic text in quotes: thoughts, feelings.
    Quote,
}

/// A card in a lane cell.
#[derive(Debug, Clone)]
pub(super) struct Card {
    pub role: &'static str,
    pub lines: Vec<(Kind, String)>,
    pub fill: &'static str,
    pub stroke: &'static str,
    pub ink: &'static str,
    /// A bar of this colour down the left edge (a second cue beside the head text).
    pub accent: Option<&'static str>,
    /// The accessible title (tooltip) of the card.
    pub title: String,
}

impl Card {
    pub fn new(role: &'static str, fill: &'static str, stroke: &'static str) -> Card {
        Card {
            role,
            lines: Vec::new(),
            fill,
            stroke,
            ink: palette::INK,
            accent: None,
            title: String::new(),
        }
    }
    pub fn line(mut self, kind: Kind, text: impl Into<String>) -> Card {
        let text = text.into();
        if !text.trim().is_empty() {
            self.lines.push((kind, text));
        }
        self
    }
    pub fn title(mut self, title: impl Into<String>) -> Card {
        self.title = title.into();
        self
    }
    pub fn accent(mut self, colour: &'static str) -> Card {
        self.accent = Some(colour);
        self
    }
    pub fn ink(mut self, colour: &'static str) -> Card {
        self.ink = colour;
        self
    }
}

/// Columns of equal width after a label column.
#[derive(Debug, Clone)]
pub(super) struct Grid {
    pub margin: f64,
    pub label_w: f64,
    pub col_w: f64,
    pub gap: f64,
    pub columns: usize,
    pub font: f64,
    pub max_lines: usize,
}

const PAD: f64 = 7.0;
const LANE_PAD: f64 = 8.0;
const CARD_GAP: f64 = 6.0;

impl Grid {
    pub fn new(columns: usize, options: &RenderOptions) -> Grid {
        let font = options.font_size;
        Grid {
            margin: 16.0,
            label_w: 11.0 * font,
            col_w: 16.0 * font,
            gap: 8.0,
            columns: columns.max(1),
            font,
            max_lines: options.max_lines,
        }
    }

    pub fn width(&self) -> f64 {
        2.0 * self.margin + self.label_w + self.columns as f64 * (self.col_w + self.gap)
    }

    pub fn col_x(&self, i: usize) -> f64 {
        self.margin + self.label_w + i as f64 * (self.col_w + self.gap)
    }

    /// The centre of column `i`.
    #[allow(dead_code)]
    pub fn col_mid(&self, i: usize) -> f64 {
        self.col_x(i) + self.col_w / 2.0
    }

    fn style(&self, kind: Kind, ink: &'static str) -> (TextStyle, usize) {
        let small = (self.font - 1.5).max(7.0);
        let s = match kind {
            Kind::Head => TextStyle::new(small).bold(),
            Kind::Body => TextStyle::new(self.font),
            Kind::Note => TextStyle::new(small).fill(if ink == palette::INK {
                palette::MUTED
            } else {
                ink
            }),
            Kind::Quote => TextStyle::new(small).italic(),
        };
        let s = if kind == Kind::Note { s } else { s.fill(ink) };
        let lines = match kind {
            Kind::Head => 1,
            _ => self.max_lines,
        };
        (s, lines)
    }

    fn text_room(&self, card: &Card) -> f64 {
        self.col_w - 2.0 * PAD - if card.accent.is_some() { 4.0 } else { 0.0 }
    }

    /// The wrapped lines of a card and its height.
    fn set(&self, card: &Card) -> (Vec<(TextStyle, Vec<String>)>, f64) {
        let room = self.text_room(card);
        let mut h = 2.0 * PAD;
        let mut blocks = Vec::new();
        for (kind, text) in &card.lines {
            let (style, max) = self.style(*kind, card.ink);
            let text = if *kind == Kind::Quote {
                format!("“{text}”")
            } else {
                text.clone()
            };
            let w = if style.bold { room / 1.1 } else { room };
            let lines = wrap(&text, w, style.size, max);
            h += lines.len() as f64 * style.size * 1.3;
            blocks.push((style, lines));
        }
        (blocks, h.max(2.0 * PAD + self.font))
    }

    /// Draws one card at (x, y) in the lane box `parent`; returns its height.
    pub fn card(&self, c: &mut Canvas, x: f64, y: f64, card: &Card, parent: usize) -> f64 {
        let (blocks, h) = self.set(card);
        let rect = Rect::new(x, y, self.col_w, h);
        let id = c.place(card.role, rect, Some(parent));
        c.open(card.role, Some(&card.title));
        c.rect(rect, card.fill, card.stroke, 4.0, "");
        let mut tx = x + PAD;
        if let Some(colour) = card.accent {
            c.rect(Rect::new(x, y, 4.0, h), colour, "none", 0.0, "");
            tx += 4.0;
        }
        let mut ty = y + PAD;
        for (style, lines) in &blocks {
            let step = style.size * 1.3;
            let widest = lines
                .iter()
                .map(|l| text_width(l, style.size) * if style.bold { 1.1 } else { 1.0 })
                .fold(0.0, f64::max);
            c.place(
                "text",
                Rect::new(tx, ty, widest, step * lines.len() as f64),
                Some(id),
            );
            c.text_lines(tx, ty + style.size * 0.95 + 1.0, lines, step, *style);
            ty += step * lines.len() as f64;
        }
        c.close();
        h
    }

    /// A lane: its label at the left and a stack of cards in each column. Returns its height.
    pub fn lane(
        &self,
        c: &mut Canvas,
        y: f64,
        label: &str,
        columns: &[Vec<Card>],
        shade: bool,
    ) -> f64 {
        let heights: Vec<f64> = columns
            .iter()
            .map(|cards| cards.iter().map(|k| self.set(k).1 + CARD_GAP).sum::<f64>() - CARD_GAP)
            .collect();
        let label_lines = self.label_lines(label);
        let label_h = label_lines.len() as f64 * self.font * 1.3;
        let h = heights
            .iter()
            .copied()
            .fold(label_h, f64::max)
            .max(self.font * 2.0)
            + 2.0 * LANE_PAD;
        let lane = self.lane_box(c, y, h, label, &label_lines, shade);
        for (i, cards) in columns.iter().enumerate() {
            let mut cy = y + LANE_PAD;
            for card in cards {
                cy += self.card(c, self.col_x(i), cy, card, lane) + CARD_GAP;
            }
        }
        h
    }

    /// The background and label of a lane of height `h`; returns the lane's box index.
    pub fn lane_box(
        &self,
        c: &mut Canvas,
        y: f64,
        h: f64,
        label: &str,
        label_lines: &[String],
        shade: bool,
    ) -> usize {
        let rect = Rect::new(self.margin, y, self.width() - 2.0 * self.margin, h);
        let lane = c.place("lane", rect, None);
        c.rect(
            rect,
            if shade { palette::WASH } else { palette::PAPER },
            "none",
            0.0,
            "",
        );
        let style = TextStyle::new(self.font).bold();
        let lw = label_lines
            .iter()
            .map(|l| text_width(l, self.font) * 1.1)
            .fold(0.0, f64::max);
        let lh = label_lines.len() as f64 * self.font * 1.3;
        c.place(
            "lane_label",
            Rect::new(self.margin + PAD, y + LANE_PAD, lw, lh),
            Some(lane),
        );
        c.open("lane-label", Some(label));
        c.text_lines(
            self.margin + PAD,
            y + LANE_PAD + self.font * 0.95 + 1.0,
            label_lines,
            self.font * 1.3,
            style,
        );
        c.close();
        lane
    }

    pub fn label_lines(&self, label: &str) -> Vec<String> {
        wrap(label, (self.label_w - 2.0 * PAD - 8.0) / 1.1, self.font, 3)
    }
}
