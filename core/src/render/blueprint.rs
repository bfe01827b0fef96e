//! The service blueprint: the journey's stages as columns; physical evidence (touchpoints),
//! customer actions, then the value stream's steps by lane — front stage, back stage, support —
//! separated by the lines of interaction, visibility and internal interaction.

use super::cards::{Card, Grid, Kind};
use super::journey_map::{channel_style, footnote, heading};
use super::layout::{text_width, Rect};
use super::palette;
use super::svg::{Canvas, Drawing, TextStyle};
use super::value_stream::duration;
use super::RenderOptions;
use crate::error::{Error, Result};
use crate::model::{Lane, Map, ValueClass};
use crate::vsm;

/// The service blueprint of a map as SVG (needs a value stream; the journey gives the columns).
///
/// ```
/// use journeystream::{render, Map};
/// let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
/// let svg = render::svg_blueprint(&map, &render::RenderOptions::default())?;
/// assert!(svg.contains("Line of visibility") && svg.contains("Triage and categorise"));
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn svg_blueprint(map: &Map, options: &RenderOptions) -> Result<String> {
    Ok(blueprint_drawing(map, options)?.svg)
}

/// The service blueprint with the boxes it placed.
pub fn blueprint_drawing(map: &Map, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    let vs = map
        .value_stream
        .as_ref()
        .ok_or_else(|| Error::MissingData {
            path: "value_stream".into(),
            what: "a value stream to draw as a blueprint".into(),
        })?;
    let m = vsm::measure(map, &vsm::MeasureOptions::default())?;
    let day = m.day_length;
    let stages: Vec<(String, String)> = match &map.journey {
        Some(j) if !j.stages.is_empty() => j
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        _ => vec![(String::new(), vs.name.clone())],
    };
    // The column of each step: its stage, its touchpoint's stage, else the previous step's.
    let mut column = Vec::with_capacity(vs.steps.len());
    let mut last = 0;
    for s in &vs.steps {
        let stage = s.stage.clone().or_else(|| {
            let j = map.journey.as_ref()?;
            j.touchpoint(s.touchpoint.as_deref()?)
                .map(|(st, _)| st.id.clone())
        });
        let col = stage
            .and_then(|id| stages.iter().position(|(sid, _)| *sid == id))
            .unwrap_or(last);
        last = col;
        column.push(col);
    }
    let g = Grid::new(stages.len(), options);
    let f = options.font_size;
    let mut c = Canvas::new();
    let title = options.title.clone().unwrap_or_else(|| {
        format!(
            "Service blueprint: {}",
            map.journey
                .as_ref()
                .map_or(vs.name.as_str(), |j| j.name.as_str())
        )
    });
    let mut y = heading(
        &mut c,
        g.margin,
        g.margin,
        g.width() - 2.0 * g.margin,
        &title,
        None,
        f,
    );
    let mut shade = false;
    let mut lane = |c: &mut Canvas, y: &mut f64, label: &str, cols: Vec<Vec<Card>>, keep: bool| {
        if !keep && cols.iter().all(|v| v.is_empty()) {
            return;
        }
        *y += g.lane(c, *y, label, &cols, shade);
        shade = !shade;
    };
    let stage_cards = stages
        .iter()
        .enumerate()
        .map(|(i, (_, name))| {
            vec![Card::new("stage", palette::BLUE, palette::BLUE)
                .ink(palette::PAPER)
                .line(Kind::Head, format!("Stage {}", i + 1))
                .line(Kind::Body, name.clone())
                .title(format!("Stage {}: {name}", i + 1))]
        })
        .collect();
    lane(&mut c, &mut y, "Stages", stage_cards, true);
    let mut evidence: Vec<Vec<Card>> = vec![Vec::new(); stages.len()];
    let mut customer: Vec<Vec<Card>> = vec![Vec::new(); stages.len()];
    if let Some(j) = &map.journey {
        for (i, s) in j.stages.iter().enumerate() {
            for t in &s.touchpoints {
                let (colour, channel) = channel_style(&t.channel);
                evidence[i].push(
                    Card::new("touchpoint", palette::PAPER, colour)
                        .accent(colour)
                        .line(Kind::Head, channel.clone())
                        .line(Kind::Body, t.name.clone())
                        .title(format!("Touchpoint {} ({channel})", t.name)),
                );
                if !t.actions.is_empty() {
                    let mut card = Card::new("action", palette::PAPER, palette::RULE)
                        .title(format!("Customer actions at {}", t.name));
                    for a in &t.actions {
                        card = card.line(Kind::Body, format!("• {a}"));
                    }
                    customer[i].push(card);
                }
            }
        }
    }
    let step_cards = |lane: Option<Lane>| -> Vec<Vec<Card>> {
        let mut cols: Vec<Vec<Card>> = vec![Vec::new(); stages.len()];
        for (i, s) in vs.steps.iter().enumerate() {
            if s.lane != lane {
                continue;
            }
            let class = match s.value_class {
                ValueClass::ValueAdding => palette::GREEN,
                ValueClass::NecessaryNonValueAdding => palette::ORANGE,
                ValueClass::Waste => palette::VERMILLION,
            };
            let bn = m.bottleneck.as_ref().is_some_and(|b| b.step == s.id);
            cols[column[i]].push(
                Card::new(
                    "step",
                    if bn {
                        palette::TINT_VERMILLION
                    } else {
                        palette::PAPER
                    },
                    if bn {
                        palette::VERMILLION
                    } else {
                        palette::INK
                    },
                )
                .accent(class)
                .line(
                    Kind::Head,
                    s.owner.clone().unwrap_or_else(|| {
                        s.lane
                            .map_or("Step".into(), |l| super::journey_map::humanize(l.as_str()))
                    }),
                )
                .line(Kind::Body, s.name.clone())
                .line(
                    Kind::Note,
                    format!(
                        "PT {} · wait {}{}",
                        duration(m.steps[i].process_time, day),
                        duration(m.steps[i].wait_time, day),
                        if bn { " · bottleneck" } else { "" }
                    ),
                )
                .title(format!("Step {}", s.name)),
            );
        }
        cols
    };
    for (k, card) in step_cards(Some(Lane::Customer)).into_iter().enumerate() {
        customer[k].extend(card);
    }
    lane(&mut c, &mut y, "Physical evidence", evidence, false);
    lane(&mut c, &mut y, "Customer actions", customer, true);
    y = separator(&mut c, &g, y, "Line of interaction");
    lane(
        &mut c,
        &mut y,
        "Front stage",
        step_cards(Some(Lane::FrontStage)),
        true,
    );
    y = separator(&mut c, &g, y, "Line of visibility");
    lane(
        &mut c,
        &mut y,
        "Back stage",
        step_cards(Some(Lane::BackStage)),
        true,
    );
    y = separator(&mut c, &g, y, "Line of internal interaction");
    lane(
        &mut c,
        &mut y,
        "Support processes",
        step_cards(Some(Lane::Support)),
        true,
    );
    lane(
        &mut c,
        &mut y,
        "Steps without a lane",
        step_cards(None),
        false,
    );
    let legend = "Left bar of a step: green value-adding, orange necessary non-value-adding, vermillion waste. \
                  The bottleneck step is tinted and says so.";
    y = footnote(
        &mut c,
        g.margin,
        y + 8.0,
        g.width() - 2.0 * g.margin,
        legend,
        f,
    );
    let desc = format!("{} steps over {} stages.", vs.steps.len(), stages.len());
    Ok(c.finish(g.width(), y + g.margin, &title, &desc))
}

/// A labelled dashed line across the blueprint; returns the y below it.
fn separator(c: &mut Canvas, g: &Grid, y: f64, label: &str) -> f64 {
    let small = (g.font - 1.5).max(7.0);
    let h = small * 1.3 + 8.0;
    let rect = Rect::new(g.margin, y, g.width() - 2.0 * g.margin, h);
    let id = c.place("line", rect, None);
    c.open("blueprint-line", Some(label));
    let mid = y + h / 2.0;
    let tw = text_width(label, small) * 1.1;
    c.line(
        (g.margin + tw + 16.0, mid),
        (rect.right(), mid),
        palette::INK,
        1.2,
        "stroke-dasharray=\"6 4\"",
    );
    c.place(
        "text",
        Rect::new(g.margin + 6.0, mid - small * 0.65, tw, small * 1.3),
        Some(id),
    );
    c.text(
        g.margin + 6.0,
        mid + small * 0.4,
        label,
        TextStyle::new(small).bold().italic(),
    );
    c.close();
    y + h
}
