//! The value stream map (Rother & Shook): process boxes with data boxes (C/T, C/O, uptime, %C&A,
//! operators), wait or inventory triangles between them, routes and rework loops as arcs, the
//! lead-time ladder underneath with the total lead time, process time and activity ratio, the
//! bottleneck highlighted and takt shown; and current vs future with the change of each summary
//! metric (from [`vsm::measure`], [`vsm::project`] and [`vsm::compare`]).

use super::journey_map::{footnote, heading, humanize, short};
use super::layout::{ellipsize, text_width, wrap, Rect};
use super::palette;
use super::svg::{num, Anchor, Canvas, Drawing, TextStyle};
use super::RenderOptions;
use crate::error::{Error, Result};
use crate::model::{Map, ValueClass, ValueStream};
use crate::time::Duration;
use crate::vsm::{self, Comparison, MetricChange, ValueStreamMetrics};

/// A duration in the unit a reader expects: s, min, h, then days of the value stream's day.
pub(crate) fn duration(d: Duration, day: Duration) -> String {
    let s = d.secs();
    let (v, unit) = if s.abs() < 120.0 {
        (s, "s")
    } else if s.abs() < 7200.0 {
        (s / 60.0, "min")
    } else if s.abs() < 2.0 * day.secs() || day.secs() <= 0.0 {
        (s / 3600.0, "h")
    } else {
        (s / day.secs(), "d")
    };
    let r = if v.abs() >= 10.0 {
        (v * 10.0).round() / 10.0
    } else {
        (v * 100.0).round() / 100.0
    };
    format!("{} {unit}", short(r))
}

pub(crate) fn percent(x: f64) -> String {
    let p = x * 100.0;
    if p != 0.0 && p.abs() < 0.1 {
        format!("{p:.3}%")
    } else if p.abs() < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

fn value_map(map: &Map) -> Result<&ValueStream> {
    map.value_stream.as_ref().ok_or_else(|| Error::MissingData {
        path: "value_stream".into(),
        what: "a value stream to draw".into(),
    })
}

/// The current-state value stream map as SVG.
///
/// ```
/// use journeystream::{render, Map};
/// let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/acme-stamping.json"))?;
/// let svg = render::svg_value_stream(&map, &render::RenderOptions::default())?;
/// assert!(svg.contains("Bottleneck") && svg.contains("Takt"));
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn svg_value_stream(map: &Map, options: &RenderOptions) -> Result<String> {
    Ok(value_stream_drawing(map, options)?.svg)
}

/// The current-state value stream map with the boxes it placed.
pub fn value_stream_drawing(map: &Map, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    let vs = value_map(map)?;
    let m = vsm::measure(map, &vsm::MeasureOptions::default())?;
    let f = options.font_size;
    let geometry = Geometry::new(f, vs.steps.len());
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("Value stream map: {}", vs.name));
    let mut c = Canvas::new();
    let width = geometry.width();
    let y = heading(
        &mut c,
        MARGIN,
        MARGIN,
        width - 2.0 * MARGIN,
        &title,
        vs.description.as_deref(),
        f,
    );
    let y = state(&mut c, &geometry, y, "Current state", vs, &m, options);
    let y = footnote(&mut c, MARGIN, y + 4.0, width - 2.0 * MARGIN, LEGEND, f);
    let desc = summary_sentence(&m);
    Ok(c.finish(width, y + MARGIN, &title, &desc))
}

/// Current and future value stream maps, one above the other, with the change of each summary
/// metric. The future state is the map's plan applied ([`vsm::project`]).
///
/// ```
/// use journeystream::{render, Map};
/// let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
/// let svg = render::svg_value_stream_compare(&map, &render::RenderOptions::default())?;
/// assert!(svg.contains("Future state") && svg.contains("Lead time"));
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn svg_value_stream_compare(map: &Map, options: &RenderOptions) -> Result<String> {
    Ok(value_stream_compare_drawing(map, options)?.svg)
}

/// Current vs future with the boxes it placed.
pub fn value_stream_compare_drawing(map: &Map, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    let vs = value_map(map)?;
    let mo = vsm::MeasureOptions::default();
    let current = vsm::measure(map, &mo)?;
    let future_map = vsm::project(map)?.map;
    let future_vs = value_map(&future_map)?;
    let future = vsm::measure(&future_map, &mo)?;
    let comparison = vsm::compare(&current, &future);
    let f = options.font_size;
    let geometry = Geometry::new(f, vs.steps.len().max(future_vs.steps.len()));
    let width = geometry.width().max(table_width(f) + 2.0 * MARGIN);
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("Value stream map: {}, current vs future", vs.name));
    let mut c = Canvas::new();
    let plan = map.plan.as_ref().map(|p| {
        format!(
            "The future state is the plan “{}” applied ({} initiatives). The table below gives the change of each summary metric.",
            p.name,
            p.initiatives.len()
        )
    });
    let mut y = heading(
        &mut c,
        MARGIN,
        MARGIN,
        width - 2.0 * MARGIN,
        &title,
        plan.as_deref(),
        f,
    );
    y = state(&mut c, &geometry, y, "Current state", vs, &current, options);
    y += f;
    let future_label = match &map.plan {
        Some(p) => format!("Future state after “{}”", p.name),
        None => "Future state".into(),
    };
    y = state(
        &mut c,
        &geometry,
        y,
        &future_label,
        future_vs,
        &future,
        options,
    );
    y += f;
    y = change_table(&mut c, MARGIN, y, &comparison, current.day_length, f);
    let y = footnote(&mut c, MARGIN, y + 8.0, width - 2.0 * MARGIN, LEGEND, f);
    let desc = format!(
        "Current: {} Future: {}",
        summary_sentence(&current),
        summary_sentence(&future)
    );
    Ok(c.finish(width, y + MARGIN, &title, &desc))
}

const MARGIN: f64 = 16.0;
const LEGEND: &str = "Triangles: the wait (or inventory) before a step. Ladder: waits on the upper rungs, \
process times on the lower; totals weight branches by the share of units taking them. \
C/T cycle time, C/O changeover, %C&A complete and accurate, VA value-adding, NNVA necessary non-value-adding.";

fn summary_sentence(m: &ValueStreamMetrics) -> String {
    format!(
        "lead time {}, process time {}, activity ratio {}{}.",
        duration(m.lead_time, m.day_length),
        duration(m.process_time, m.day_length),
        percent(m.activity_ratio),
        m.bottleneck
            .as_ref()
            .map(|b| format!(", bottleneck {}", b.step))
            .unwrap_or_default()
    )
}

/// Sizes of one state's drawing.
struct Geometry {
    font: f64,
    small: f64,
    box_w: f64,
    gap: f64,
    steps: usize,
    summary_w: f64,
}

impl Geometry {
    fn new(font: f64, steps: usize) -> Geometry {
        Geometry {
            font,
            small: (font - 1.5).max(7.0),
            box_w: 13.0 * font,
            gap: 6.5 * font,
            steps: steps.max(1),
            summary_w: 16.0 * font,
        }
    }
    fn box_x(&self, i: usize) -> f64 {
        MARGIN + self.gap + i as f64 * (self.box_w + self.gap)
    }
    fn width(&self) -> f64 {
        self.box_x(self.steps) + self.summary_w + MARGIN
    }
}

/// Where each step sends its work: (target index, share 0–1).
fn routes(vs: &ValueStream) -> Vec<Vec<(usize, f64)>> {
    vs.steps
        .iter()
        .enumerate()
        .map(|(i, s)| match &s.next {
            None if i + 1 < vs.steps.len() => vec![(i + 1, 1.0)],
            None => vec![],
            Some(list) => list
                .iter()
                .filter_map(|r| vs.step_index(&r.step).map(|t| (t, r.share_pct / 100.0)))
                .collect(),
        })
        .collect()
}

struct Arc {
    from: usize,
    to: usize,
    label: String,
    rework: bool,
}

/// One state: label, arcs, process and data boxes, triangles, ladder, summary. Returns the y below.
fn state(
    c: &mut Canvas,
    g: &Geometry,
    y: f64,
    label: &str,
    vs: &ValueStream,
    m: &ValueStreamMetrics,
    options: &RenderOptions,
) -> f64 {
    let (f, small) = (g.font, g.small);
    let day = m.day_length;
    let right = g.box_x(g.steps) + g.summary_w;
    let frame = c.place("state", Rect::new(MARGIN, y, right - MARGIN, 1.0), None);
    // The frame's height is known at the end; patch it then.
    let frame_y = y;
    let mark = c.mark();
    c.open("vsm-state", Some(&format!("{label}: {}", vs.name)));
    let mut y = y + 8.0;

    // State label and the customer box (demand and takt).
    // The projected state keeps the current state's name: say only which state it is.
    let head = if label.starts_with("Future") {
        label.to_string()
    } else if vs.name.to_lowercase().contains(&label.to_lowercase()) {
        vs.name.clone()
    } else {
        format!("{label}: {}", vs.name)
    };
    let head = ellipsize(&head, (right - MARGIN - g.summary_w - 24.0) / 1.1, f * 1.15);
    let head_w = text_width(&head, f * 1.15) * 1.1;
    c.place(
        "state_label",
        Rect::new(MARGIN + 8.0, y, head_w, f * 1.5),
        Some(frame),
    );
    c.text(
        MARGIN + 8.0,
        y + f * 1.15,
        &head,
        TextStyle::new(f * 1.15).bold(),
    );
    let customer = match (m.demand_per_day, m.takt_time) {
        (Some(d), Some(t)) => format!("Customer: {} per day · Takt {}", short(d), duration(t, day)),
        (Some(d), None) => format!("Customer: {} per day", short(d)),
        _ => "No demand given: no takt".to_string(),
    };
    let cw = text_width(&customer, small) * 1.1 + 16.0;
    let crect = Rect::new(right - cw - 8.0, y - 2.0, cw, small * 2.0);
    c.place("customer", crect, Some(frame));
    c.open("customer", Some(&customer));
    c.rect(crect, palette::TINT_SKY, palette::BLUE, 4.0, "");
    c.text(
        crect.x + 8.0,
        crect.y + small * 1.4,
        &customer,
        TextStyle::new(small).bold(),
    );
    c.close();
    y += f * 2.2;

    // Arcs above the boxes: rework loops and routes that skip or branch.
    let rts = routes(vs);
    let mut arcs = Vec::new();
    for (i, list) in rts.iter().enumerate() {
        for &(t, share) in list {
            if t != i + 1 {
                arcs.push(Arc {
                    from: i,
                    to: t,
                    label: format!("{} → {}", percent(share), vs.steps[t].name),
                    rework: false,
                });
            }
        }
    }
    for r in &vs.rework {
        if let (Some(a), Some(b)) = (vs.step_index(&r.from), vs.step_index(&r.to)) {
            arcs.push(Arc {
                from: a,
                to: b,
                label: format!("{}% rework", short(r.share_pct)),
                rework: true,
            });
        }
    }
    // Levels: arcs whose spans overlap go on different levels.
    let span = |a: &Arc| (a.from.min(a.to), a.from.max(a.to));
    let mut levels: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut arc_level = Vec::new();
    for a in &arcs {
        let (lo, hi) = span(a);
        let lvl = levels
            .iter()
            .position(|l| l.iter().all(|&(a0, a1)| hi < a0 || lo > a1))
            .unwrap_or_else(|| {
                levels.push(Vec::new());
                levels.len() - 1
            });
        levels[lvl].push((lo, hi));
        arc_level.push(lvl);
    }
    let level_h = small * 1.3 + 8.0;
    let arcs_h = levels.len() as f64 * level_h;
    let box_top = y + arcs_h + if arcs.is_empty() { 0.0 } else { 8.0 };
    for (a, &lvl) in arcs.iter().zip(&arc_level) {
        let (lo, hi) = span(a);
        let x1 = g.box_x(a.from) + g.box_w * if a.to > a.from { 0.75 } else { 0.25 };
        let x2 = g.box_x(a.to) + g.box_w * if a.to > a.from { 0.25 } else { 0.75 };
        let top = box_top - 8.0 - (lvl as f64 + 1.0) * level_h + small * 1.3;
        let colour = if a.rework {
            palette::VERMILLION
        } else {
            palette::INK
        };
        let dash = if a.rework {
            "stroke-dasharray=\"5 3\""
        } else {
            ""
        };
        c.open(
            "arc",
            Some(&format!(
                "{} to {}: {}",
                vs.steps[a.from].name, vs.steps[a.to].name, a.label
            )),
        );
        let d = format!(
            "M{} {} L{} {} L{} {} L{} {}",
            num(x1),
            num(box_top),
            num(x1),
            num(top),
            num(x2),
            num(top),
            num(x2),
            num(box_top - 6.0)
        );
        c.path(&d, "none", colour, 1.5, dash);
        c.polygon(
            &[
                (x2 - 4.0, box_top - 7.0),
                (x2 + 4.0, box_top - 7.0),
                (x2, box_top),
            ],
            colour,
            colour,
        );
        let room = g.box_x(hi) - g.box_x(lo) + g.box_w * 0.5 - 8.0;
        let text = ellipsize(&a.label, room / 1.1, small);
        let tw = text_width(&text, small) * 1.1;
        let tx = (x1 + x2) / 2.0 - tw / 2.0;
        c.place(
            "arc_label",
            Rect::new(tx, top - small * 1.3, tw, small * 1.1),
            Some(frame),
        );
        c.rect(
            Rect::new(tx - 2.0, top - small * 1.3, tw + 4.0, small * 1.1),
            palette::PAPER,
            "none",
            0.0,
            "",
        );
        c.text(
            tx,
            top - small * 0.35,
            &text,
            TextStyle::new(small)
                .bold()
                .fill(if a.rework { "#A34700" } else { palette::INK }),
        );
        c.close();
    }

    // Data box rows: the same for every step of the state.
    let any = |p: &dyn Fn(usize) -> bool| (0..vs.steps.len()).any(p);
    type Cell<'a> = Box<dyn Fn(usize) -> String + 'a>;
    let mut rows: Vec<(&str, Cell<'_>)> = vec![
        (
            "C/T",
            Box::new(|i: usize| duration(m.steps[i].cycle_time, day)),
        ),
        (
            "PT",
            Box::new(|i: usize| duration(m.steps[i].process_time, day)),
        ),
    ];
    if any(&|i| vs.steps[i].changeover.is_some()) {
        rows.push((
            "C/O",
            Box::new(|i: usize| vs.steps[i].changeover.map_or("–".into(), |t| t.to_string())),
        ));
    }
    rows.push((
        "Uptime",
        Box::new(|i: usize| format!("{}%", short(vs.steps[i].uptime_pct))),
    ));
    rows.push((
        "%C&A",
        Box::new(|i: usize| format!("{}%", short(vs.steps[i].complete_accurate_pct))),
    ));
    if any(&|i| vs.steps[i].operators.is_some()) {
        rows.push((
            "Operators",
            Box::new(|i: usize| vs.steps[i].operators.map_or("–".into(), short)),
        ));
    }
    if any(&|i| m.steps[i].utilization.is_some()) {
        rows.push((
            "Utilization",
            Box::new(|i: usize| m.steps[i].utilization.map_or("–".into(), percent)),
        ));
    }
    if any(&|i| (m.steps[i].visits - 1.0).abs() > 1e-9) {
        rows.push(("Units", Box::new(|i: usize| percent(m.steps[i].visits))));
    }
    rows.push((
        "Value",
        Box::new(|i: usize| {
            match vs.steps[i].value_class {
                ValueClass::ValueAdding => "VA",
                ValueClass::NecessaryNonValueAdding => "NNVA",
                ValueClass::Waste => "Waste",
            }
            .to_string()
        }),
    ));
    let row_h = small * 1.45;
    let name_lines = 2usize.min(options.max_lines.max(1));
    let header_h = 8.0 + name_lines as f64 * f * 1.3 + small * 1.3 + 8.0;
    let data_h = rows.len() as f64 * row_h + 8.0;
    let bottleneck = m.bottleneck.as_ref().map(|b| b.step.as_str());
    let arrow_y = box_top + header_h / 2.0;
    for (i, s) in vs.steps.iter().enumerate() {
        let x = g.box_x(i);
        let is_bn = bottleneck == Some(s.id.as_str());
        let (stroke, sw) = if is_bn {
            (palette::VERMILLION, 3.0)
        } else {
            (palette::INK, 1.2)
        };
        let class_colour = match s.value_class {
            ValueClass::ValueAdding => palette::GREEN,
            ValueClass::NecessaryNonValueAdding => palette::ORANGE,
            ValueClass::Waste => palette::VERMILLION,
        };
        let title = format!(
            "{}{}: process time {}, wait before {}",
            s.name,
            if is_bn { " (bottleneck)" } else { "" },
            duration(m.steps[i].process_time, day),
            duration(m.steps[i].wait_time, day)
        );
        c.open(
            if is_bn {
                "process bottleneck"
            } else {
                "process"
            },
            Some(&title),
        );
        let hrect = Rect::new(x, box_top, g.box_w, header_h);
        let hid = c.place("process", hrect, Some(frame));
        c.rect(
            hrect,
            palette::PAPER,
            stroke,
            0.0,
            &format!("stroke-width=\"{}\"", num(sw)),
        );
        c.rect(
            Rect::new(x, box_top, g.box_w, 5.0),
            class_colour,
            "none",
            0.0,
            "",
        );
        let lines = wrap(&s.name, (g.box_w - 16.0) / 1.1, f, name_lines);
        let lw = lines
            .iter()
            .map(|l| text_width(l, f) * 1.1)
            .fold(0.0, f64::max);
        c.place(
            "text",
            Rect::new(x + 8.0, box_top + 8.0, lw, lines.len() as f64 * f * 1.3),
            Some(hid),
        );
        c.text_lines(
            x + 8.0,
            box_top + 8.0 + f * 1.05,
            &lines,
            f * 1.3,
            TextStyle::new(f).bold(),
        );
        let who = match (&s.owner, s.lane) {
            (Some(o), _) => o.clone(),
            (None, Some(l)) => humanize(l.as_str()),
            _ => String::new(),
        };
        if !who.is_empty() {
            let who = ellipsize(&who, g.box_w - 16.0, small);
            let oy = box_top + 8.0 + name_lines as f64 * f * 1.3;
            c.place(
                "text",
                Rect::new(x + 8.0, oy, text_width(&who, small), small * 1.3),
                Some(hid),
            );
            c.text(
                x + 8.0,
                oy + small,
                &who,
                TextStyle::new(small).fill(palette::MUTED),
            );
        }
        let drect = Rect::new(x, box_top + header_h, g.box_w, data_h);
        let did = c.place("data_box", drect, Some(frame));
        c.rect(
            drect,
            palette::WASH,
            stroke,
            0.0,
            &format!("stroke-width=\"{}\"", num(sw)),
        );
        for (k, (name, value)) in rows.iter().enumerate() {
            let ry = drect.y + 4.0 + k as f64 * row_h;
            let v = ellipsize(&value(i), g.box_w * 0.55, small);
            let bold = *name == "Utilization" && is_bn;
            c.place(
                "text",
                Rect::new(x + 6.0, ry, g.box_w - 12.0, row_h),
                Some(did),
            );
            c.text(
                x + 6.0,
                ry + small * 1.1,
                name,
                TextStyle::new(small).fill(palette::MUTED),
            );
            let st = TextStyle::new(small).anchor(Anchor::End);
            c.text(
                x + g.box_w - 6.0,
                ry + small * 1.1,
                &v,
                if bold { st.bold() } else { st },
            );
        }
        if is_bn {
            let tag = "BOTTLENECK";
            let tw = text_width(tag, small) * 1.1 + 12.0;
            let trect = Rect::new(
                x + (g.box_w - tw) / 2.0,
                drect.bottom() + 4.0,
                tw,
                small * 1.6,
            );
            c.place("tag", trect, Some(frame));
            c.rect(trect, palette::VERMILLION, "none", 3.0, "");
            c.text(
                trect.x + tw / 2.0,
                trect.y + small * 1.2,
                tag,
                TextStyle::new(small)
                    .bold()
                    .anchor(Anchor::Middle)
                    .fill(palette::PAPER),
            );
        }
        c.close();

        // The wait triangle and the push arrow in the gap before the box.
        let gx = x - g.gap;
        let wait = m.steps[i].wait_time;
        if wait.secs() > 0.0 {
            let (cx, ty) = (gx + g.gap / 2.0, box_top + 4.0);
            let label = match &s.inventory {
                Some(inv) => format!("{} units · {}", short(inv.quantity), duration(wait, day)),
                None => duration(wait, day),
            };
            c.open("wait", Some(&format!("Wait before {}: {label}", s.name)));
            let tri = Rect::new(cx - 13.0, ty, 26.0, 22.0);
            c.place("triangle", tri, Some(frame));
            c.polygon(
                &[(cx, ty), (cx + 13.0, ty + 22.0), (cx - 13.0, ty + 22.0)],
                palette::YELLOW,
                palette::INK,
            );
            c.text(
                cx,
                ty + 19.0,
                "I",
                TextStyle::new(small).bold().anchor(Anchor::Middle),
            );
            let lines = wrap(&label, g.gap - 10.0, small, 2);
            let lw = lines
                .iter()
                .map(|l| text_width(l, small))
                .fold(0.0, f64::max);
            c.place(
                "wait_label",
                Rect::new(
                    cx - lw / 2.0,
                    ty + 26.0,
                    lw,
                    lines.len() as f64 * small * 1.25,
                ),
                Some(frame),
            );
            c.text_lines(
                cx,
                ty + 26.0 + small,
                &lines,
                small * 1.25,
                TextStyle::new(small).anchor(Anchor::Middle),
            );
            c.close();
        }
        if i > 0 && rts[i - 1].iter().any(|&(t, _)| t == i) {
            let ay = arrow_y + header_h * 0.25 + 4.0;
            let (x1, x2) = (gx + 2.0, x - 2.0);
            c.line((x1, ay), (x2 - 6.0, ay), palette::INK, 1.5, "");
            c.polygon(
                &[(x2 - 7.0, ay - 4.0), (x2, ay), (x2 - 7.0, ay + 4.0)],
                palette::INK,
                palette::INK,
            );
            let share = rts[i - 1]
                .iter()
                .find(|&&(t, _)| t == i)
                .map_or(1.0, |r| r.1);
            if share < 1.0 {
                let t = percent(share);
                let tw = text_width(&t, small);
                c.place(
                    "share",
                    Rect::new((x1 + x2 - tw) / 2.0, ay + 3.0, tw, small * 1.2),
                    Some(frame),
                );
                c.text(
                    (x1 + x2) / 2.0,
                    ay + 3.0 + small,
                    &t,
                    TextStyle::new(small).anchor(Anchor::Middle),
                );
            }
        }
    }

    // The lead-time ladder.
    let tag_h = small * 1.6 + 6.0;
    let ly = box_top + header_h + data_h + tag_h + 8.0 + small * 1.4;
    let step_h = f * 1.6;
    let mut d = String::new();
    for i in 0..vs.steps.len() {
        let x = g.box_x(i);
        let gx = x - g.gap;
        d += &format!(
            "{}{} {} L{} {} L{} {} L{} {} ",
            if i == 0 { "M" } else { "L" },
            num(gx),
            num(ly),
            num(x),
            num(ly),
            num(x),
            num(ly + step_h),
            num(x + g.box_w),
            num(ly + step_h)
        );
        if i + 1 < vs.steps.len() {
            d += &format!("L{} {} ", num(x + g.box_w), num(ly));
        }
        let wl = ellipsize(&duration(m.steps[i].wait_time, day), g.gap - 6.0, small);
        let ww = text_width(&wl, small);
        c.place(
            "ladder_label",
            Rect::new(gx + (g.gap - ww) / 2.0, ly - small * 1.3, ww, small * 1.2),
            Some(frame),
        );
        c.text(
            gx + g.gap / 2.0,
            ly - small * 0.35,
            &wl,
            TextStyle::new(small).anchor(Anchor::Middle),
        );
        let pl = ellipsize(
            &duration(m.steps[i].process_time, day),
            g.box_w - 6.0,
            small,
        );
        let pw = text_width(&pl, small);
        c.place(
            "ladder_label",
            Rect::new(x + (g.box_w - pw) / 2.0, ly + step_h + 3.0, pw, small * 1.2),
            Some(frame),
        );
        c.text(
            x + g.box_w / 2.0,
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

    // The summary box at the end of the ladder.
    let sx = g.box_x(vs.steps.len().min(g.steps)) + 8.0;
    let items = [
        ("Lead time", duration(m.lead_time, day)),
        ("Process time", duration(m.process_time, day)),
        ("Activity ratio", percent(m.activity_ratio)),
        ("Rolled %C&A", percent(m.rolled_complete_accurate)),
        ("Takt", m.takt_time.map_or("–".into(), |t| duration(t, day))),
        (
            "Bottleneck",
            m.bottleneck
                .as_ref()
                .and_then(|b| vs.step(&b.step).map(|s| s.name.clone()))
                .unwrap_or_else(|| "–".into()),
        ),
    ];
    let srow = small * 1.5;
    let srect = Rect::new(
        sx,
        ly - small * 1.3 - 4.0,
        g.summary_w - 16.0,
        items.len() as f64 * srow + 10.0,
    );
    let srect = Rect::new(srect.x, srect.y.min(box_top + header_h), srect.w, srect.h);
    let sid = c.place("summary", srect, Some(frame));
    c.open("summary", Some(&summary_sentence(m)));
    c.rect(
        srect,
        palette::PAPER,
        palette::INK,
        4.0,
        "stroke-width=\"1.5\"",
    );
    for (k, (name, value)) in items.iter().enumerate() {
        let ry = srect.y + 5.0 + k as f64 * srow;
        c.place(
            "text",
            Rect::new(sx + 8.0, ry, srect.w - 16.0, srow),
            Some(sid),
        );
        let bold = k < 3;
        let st = TextStyle::new(small);
        c.text(
            sx + 8.0,
            ry + small * 1.15,
            name,
            if bold { st.bold() } else { st },
        );
        let v = ellipsize(value, srect.w * 0.5, small);
        let st = TextStyle::new(small).anchor(Anchor::End);
        c.text(
            srect.right() - 8.0,
            ry + small * 1.15,
            &v,
            if bold { st.bold() } else { st },
        );
    }
    c.close();
    let bottom = (ly + step_h + 3.0 + small * 1.4).max(srect.bottom()) + 8.0;
    c.close();
    c.resize(
        frame,
        Rect::new(MARGIN, frame_y, right - MARGIN, bottom - frame_y),
    );
    c.insert_rect(
        mark,
        Rect::new(MARGIN, frame_y, right - MARGIN, bottom - frame_y),
        palette::PAPER,
        palette::RULE,
    );
    bottom
}

fn lower_is_better(metric: &str) -> Option<bool> {
    match metric {
        "activity_ratio" | "process_cycle_efficiency" | "rolled_complete_accurate" => Some(false),
        "takt_time" | "value_adding_time" => None,
        _ => Some(true),
    }
}

fn show(ch: &MetricChange, v: Option<f64>, day: Duration) -> String {
    match v {
        None => "–".into(),
        Some(v) => match ch.unit.as_str() {
            "s" => duration(Duration::from_secs(v), day),
            "d" => format!("{} d", short(v)),
            "ratio" => percent(v),
            _ => short(v),
        },
    }
}

fn table_width(f: f64) -> f64 {
    58.0 * f
}

/// The change of each summary metric; returns the y below the table.
fn change_table(c: &mut Canvas, x: f64, y: f64, cmp: &Comparison, day: Duration, f: f64) -> f64 {
    let w = table_width(f);
    let cols = [0.0, 0.42, 0.6, 0.78];
    let row_h = f * 1.6;
    let shown: Vec<&MetricChange> = cmp
        .changes
        .iter()
        .filter(|ch| ch.before.is_some() || ch.after.is_some())
        .filter(|ch| !ch.metric.ends_with("_days"))
        .collect();
    let h = (shown.len() + 2) as f64 * row_h + 8.0;
    let t = c.place("table", Rect::new(x, y, w, h), None);
    c.open(
        "change-table",
        Some("Change of each summary metric, current to future"),
    );
    c.rect(
        Rect::new(x, y, w, h),
        palette::PAPER,
        palette::RULE,
        0.0,
        "",
    );
    let heads = ["Metric", "Current", "Future", "Change"];
    for (k, hd) in heads.iter().enumerate() {
        let st = TextStyle::new(f).bold();
        if k == 0 {
            c.text(x + 8.0, y + row_h * 0.75 + 4.0, hd, st);
        } else {
            c.text(
                x + w * cols[k] + w * 0.17,
                y + row_h * 0.75 + 4.0,
                hd,
                st.anchor(Anchor::End),
            );
        }
    }
    c.place(
        "table_row",
        Rect::new(x + 4.0, y + 4.0, w - 8.0, row_h),
        Some(t),
    );
    let mut rows: Vec<[String; 4]> = shown
        .iter()
        .map(|ch| {
            let change = match (ch.relative, lower_is_better(&ch.metric)) {
                (Some(r), better) if r.abs() > 1e-12 => {
                    let verdict = match better {
                        Some(lower) if (r < 0.0) == lower => " better",
                        Some(_) => " worse",
                        None => "",
                    };
                    format!(
                        "{}{:.1}%{verdict}",
                        if r > 0.0 { "+" } else { "−" },
                        r.abs() * 100.0
                    )
                }
                (Some(_), _) => "no change".into(),
                (None, _) => "–".into(),
            };
            [
                humanize(&ch.metric).replace("complete accurate", "%C&A"),
                show(ch, ch.before, day),
                show(ch, ch.after, day),
                change,
            ]
        })
        .collect();
    rows.push([
        "Bottleneck".into(),
        cmp.bottleneck_before.clone().unwrap_or_else(|| "–".into()),
        cmp.bottleneck_after.clone().unwrap_or_else(|| "–".into()),
        String::new(),
    ]);
    for (r, row) in rows.iter().enumerate() {
        let ry = y + 4.0 + (r + 1) as f64 * row_h;
        if r % 2 == 0 {
            c.rect(
                Rect::new(x + 1.0, ry, w - 2.0, row_h),
                palette::WASH,
                "none",
                0.0,
                "",
            );
        }
        c.place("table_row", Rect::new(x + 4.0, ry, w - 8.0, row_h), Some(t));
        for (k, cell) in row.iter().enumerate() {
            let room = w * 0.17 - 8.0;
            if k == 0 {
                let v = ellipsize(cell, w * cols[1] - 12.0, f);
                c.text(x + 8.0, ry + row_h * 0.7, &v, TextStyle::new(f));
            } else {
                let v = ellipsize(cell, if k == 3 { w * 0.21 - 8.0 } else { room }, f);
                let st = TextStyle::new(f).anchor(Anchor::End);
                let st = if k == 3 && cell.ends_with("better") {
                    st.bold().fill("#00664A")
                } else if k == 3 && cell.ends_with("worse") {
                    st.bold().fill("#A34700")
                } else {
                    st
                };
                let right = if k == 3 {
                    x + w - 8.0
                } else {
                    x + w * cols[k] + w * 0.17
                };
                c.text(right, ry + row_h * 0.7, &v, st);
            }
        }
    }
    c.close();
    y + h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> Map {
        Map::from_path(format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn sample_maps_lay_out_cleanly() {
        let o = RenderOptions::default();
        for name in ["support-journey.json", "acme-stamping.json"] {
            let map = load(name);
            let d = value_stream_drawing(&map, &o).unwrap();
            assert!(
                d.layout.problems().is_empty(),
                "{name}: {:#?}",
                d.layout.problems()
            );
        }
        let d = value_stream_compare_drawing(&load("support-journey.json"), &o).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        assert!(d.svg.contains("Future state"));
    }

    #[test]
    fn durations_read_naturally() {
        let day = Duration::from_hours(24.0);
        assert_eq!(duration(Duration::from_secs(39.0), day), "39 s");
        assert_eq!(duration(Duration::from_mins(15.0), day), "15 min");
        assert_eq!(duration(Duration::from_hours(6.0), day), "6 h");
        assert_eq!(duration(Duration::from_hours(48.0), day), "2 d");
    }
}
