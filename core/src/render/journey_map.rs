//! The journey map: stages as columns; lanes for persona goals, touchpoints (with their channel),
//! actions and thoughts, the emotion curve on the declared scale, pain points, moments of truth
//! (with polarity), opportunities (ranked by RICE priority) and KPI targets.

use super::cards::{Card, Grid, Kind};
use super::layout::{text_width, wrap, Rect};
use super::palette;
use super::svg::{num, Anchor, Canvas, Drawing, TextStyle};
use super::RenderOptions;
use crate::model::{Channel, Journey, Polarity, Target};

/// The journey map as SVG.
///
/// ```
/// use journeystream::{render, Journey, StagePreset};
/// let j = Journey::new("j", "Buying a bike").with_stages(StagePreset::FiveStage.stages());
/// let svg = render::svg_journey_map(&j, &render::RenderOptions::default());
/// assert!(svg.contains("<title id=\"js-title\">Journey map: Buying a bike</title>"));
/// ```
pub fn svg_journey_map(journey: &Journey, options: &RenderOptions) -> String {
    journey_map_drawing(journey, options).svg
}

/// Colour and label of a channel (known channels in a fixed palette order; others grey).
pub(super) fn channel_style(channel: &Channel) -> (&'static str, String) {
    let colour = Channel::KNOWN
        .iter()
        .position(|k| *k == channel.as_str())
        .map_or(palette::MUTED, |i| palette::CATEGORICAL[i % 6]);
    (colour, humanize(channel.as_str()))
}

/// `mobile_app` → `Mobile app`.
pub(super) fn humanize(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// A number without a needless fraction: `2`, `2.5`, `0.25`.
pub(crate) fn short(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", short(v))
    } else if v < 0.0 {
        format!("−{}", short(-v))
    } else {
        "0".into()
    }
}

/// The mark, word and colour of a polarity (shape and word carry it, not colour alone).
pub(super) fn polarity_style(p: Polarity) -> (&'static str, &'static str, &'static str) {
    match p {
        Polarity::Positive => ("▲", "Positive", palette::GREEN),
        Polarity::Negative => ("▼", "Negative", palette::VERMILLION),
        Polarity::Mixed => ("◆", "Mixed", palette::ORANGE),
    }
}

/// The title and description block at the top; returns the y below it.
pub(super) fn heading(
    c: &mut Canvas,
    x: f64,
    y: f64,
    width: f64,
    title: &str,
    desc: Option<&str>,
    font: f64,
) -> f64 {
    let size = font * 1.5;
    let lines = wrap(title, width / 1.1, size, 2);
    let step = size * 1.25;
    let w = lines
        .iter()
        .map(|l| text_width(l, size) * 1.1)
        .fold(0.0, f64::max);
    c.place(
        "heading",
        Rect::new(x, y, w, step * lines.len() as f64),
        None,
    );
    c.text_lines(
        x,
        y + size * 0.95,
        &lines,
        step,
        TextStyle::new(size).bold(),
    );
    let mut y = y + step * lines.len() as f64 + 4.0;
    if let Some(d) = desc {
        y = muted_lines(c, "description", x, y, width, d, font, 2);
    }
    y + 10.0
}

/// Muted text wrapped to `width` in at most `max_lines` lines, placed as a `kind` box; returns
/// the y below it.
#[allow(clippy::too_many_arguments)]
fn muted_lines(
    c: &mut Canvas,
    kind: &'static str,
    x: f64,
    y: f64,
    width: f64,
    text: &str,
    size: f64,
    max_lines: usize,
) -> f64 {
    let lines = wrap(text, width, size, max_lines);
    let step = size * 1.3;
    let w = lines
        .iter()
        .map(|l| text_width(l, size))
        .fold(0.0, f64::max);
    c.place(kind, Rect::new(x, y, w, step * lines.len() as f64), None);
    c.text_lines(
        x,
        y + size * 0.95,
        &lines,
        step,
        TextStyle::new(size).fill(palette::MUTED),
    );
    y + step * lines.len() as f64
}

/// A line of small print at the bottom (legends); returns the y below it.
pub(super) fn footnote(c: &mut Canvas, x: f64, y: f64, width: f64, text: &str, font: f64) -> f64 {
    muted_lines(c, "legend", x, y, width, text, (font - 1.5).max(7.0), 3)
}

/// The journey map with the boxes it placed.
pub fn journey_map_drawing(j: &Journey, options: &RenderOptions) -> Drawing {
    let g = Grid::new(j.stages.len(), options);
    let f = options.font_size;
    let mut c = Canvas::new();
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("Journey map: {}", j.name));
    let mut y = heading(
        &mut c,
        g.margin,
        g.margin,
        g.width() - 2.0 * g.margin,
        &title,
        j.description.as_deref(),
        f,
    );
    let per_stage = |make: &dyn Fn(usize) -> Vec<Card>| -> Vec<Vec<Card>> {
        (0..j.stages.len()).map(make).collect()
    };
    let mut shade = false;
    let mut lane = |c: &mut Canvas, y: &mut f64, label: &str, cols: Vec<Vec<Card>>| {
        if cols.iter().all(|v| v.is_empty()) {
            return;
        }
        *y += g.lane(c, *y, label, &cols, shade);
        shade = !shade;
    };

    let stages = per_stage(&|i| {
        let s = &j.stages[i];
        vec![Card::new("stage", palette::BLUE, palette::BLUE)
            .ink(palette::PAPER)
            .line(Kind::Head, format!("Stage {}", i + 1))
            .line(Kind::Body, s.name.clone())
            .title(format!("Stage {}: {}", i + 1, s.name))]
    });
    lane(&mut c, &mut y, "Stages", stages);

    let mut personas: Vec<Vec<Card>> = vec![Vec::new(); j.stages.len().max(1)];
    for (i, p) in j.personas.iter().enumerate() {
        let mut card = Card::new("persona", palette::TINT_PURPLE, palette::PURPLE)
            .line(Kind::Head, "Persona")
            .line(Kind::Body, p.name.clone())
            .title(format!("Persona: {}", p.name));
        for goal in &p.goals {
            card = card.line(Kind::Note, format!("Goal: {goal}"));
        }
        let slot = i % personas.len();
        personas[slot].push(card);
    }
    lane(&mut c, &mut y, "Persona goals", personas);

    let name_of = |id: &str| {
        j.personas
            .iter()
            .find(|p| p.id == id)
            .map_or(id.to_string(), |p| p.name.clone())
    };
    let touchpoints = per_stage(&|i| {
        j.stages[i]
            .touchpoints
            .iter()
            .map(|t| {
                let (colour, channel) = channel_style(&t.channel);
                let who: Vec<String> = t.personas.iter().map(|p| name_of(p)).collect();
                Card::new("touchpoint", palette::PAPER, colour)
                    .accent(colour)
                    .line(Kind::Head, channel.clone())
                    .line(Kind::Body, t.name.clone())
                    .line(
                        Kind::Note,
                        if who.is_empty() {
                            String::new()
                        } else {
                            format!("For: {}", who.join(", "))
                        },
                    )
                    .title(format!("Touchpoint {} ({channel})", t.name))
            })
            .collect()
    });
    lane(&mut c, &mut y, "Touchpoints", touchpoints);

    let actions = per_stage(&|i| {
        j.stages[i]
            .touchpoints
            .iter()
            .filter(|t| !(t.actions.is_empty() && t.thoughts.is_empty() && t.feelings.is_empty()))
            .map(|t| {
                let mut card = Card::new("action", palette::PAPER, palette::RULE)
                    .title(format!("Actions and thoughts at {}", t.name));
                for a in &t.actions {
                    card = card.line(Kind::Body, format!("• {a}"));
                }
                for th in &t.thoughts {
                    card = card.line(Kind::Quote, th.clone());
                }
                if !t.feelings.is_empty() {
                    card = card.line(Kind::Note, format!("Feels: {}", t.feelings.join(", ")));
                }
                card
            })
            .collect()
    });
    lane(&mut c, &mut y, "Actions and thoughts", actions);

    if j.stages
        .iter()
        .any(|s| s.touchpoints.iter().any(|t| t.emotion.is_some()))
    {
        y += emotion_lane(&mut c, &g, y, j, shade);
        shade = !shade;
    }
    let mut lane = |c: &mut Canvas, y: &mut f64, label: &str, cols: Vec<Vec<Card>>| {
        if cols.iter().all(|v| v.is_empty()) {
            return;
        }
        *y += g.lane(c, *y, label, &cols, shade);
        shade = !shade;
    };

    let touchpoint_name = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| j.touchpoint(id))
            .map(|(_, t)| t.name.clone())
    };
    let pains = per_stage(&|i| {
        j.stages[i]
            .pain_points
            .iter()
            .map(|p| {
                let freq = p
                    .frequency_pct
                    .map(|f| format!(" · {}% meet it", short(f)))
                    .unwrap_or_default();
                Card::new("pain_point", palette::TINT_VERMILLION, palette::VERMILLION)
                    .accent(palette::VERMILLION)
                    .line(Kind::Head, format!("Severity {}/5{freq}", p.severity))
                    .line(Kind::Body, p.description.clone())
                    .line(
                        Kind::Note,
                        touchpoint_name(&p.touchpoint)
                            .map(|t| format!("At: {t}"))
                            .unwrap_or_default(),
                    )
                    .title(format!(
                        "Pain point, severity {} of 5: {}",
                        p.severity, p.description
                    ))
            })
            .collect()
    });
    lane(&mut c, &mut y, "Pain points", pains);

    let moments = per_stage(&|i| {
        j.stages[i]
            .moments_of_truth
            .iter()
            .map(|m| {
                let (mark, word, colour) = polarity_style(m.polarity);
                Card::new("moment", palette::PAPER, colour)
                    .accent(colour)
                    .line(
                        Kind::Head,
                        format!("{mark} {word} · {}", humanize(m.kind.as_str())),
                    )
                    .line(Kind::Body, m.name.clone())
                    .line(Kind::Note, m.description.clone().unwrap_or_default())
                    .line(
                        Kind::Note,
                        touchpoint_name(&m.touchpoint)
                            .map(|t| format!("At: {t}"))
                            .unwrap_or_default(),
                    )
                    .title(format!("Moment of truth ({word}): {}", m.name))
            })
            .collect()
    });
    lane(&mut c, &mut y, "Moments of truth", moments);

    // Opportunities ranked over the whole journey by RICE priority (ties: document order).
    let mut all: Vec<(usize, usize, f64)> = j
        .stages
        .iter()
        .enumerate()
        .flat_map(|(s, st)| {
            st.opportunities
                .iter()
                .enumerate()
                .map(move |(k, o)| (s, k, o.priority()))
        })
        .collect();
    all.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    let rank = |s: usize, k: usize| all.iter().position(|x| x.0 == s && x.1 == k).unwrap_or(0) + 1;
    let opportunities = per_stage(&|i| {
        let mut cards: Vec<(usize, Card)> = j.stages[i]
            .opportunities
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let r = rank(i, k);
                (
                    r,
                    Card::new("opportunity", palette::TINT_BLUE, palette::BLUE)
                        .accent(palette::BLUE)
                        .line(
                            Kind::Head,
                            format!("Priority #{r} · RICE {}", short(o.priority())),
                        )
                        .line(Kind::Body, o.name.clone())
                        .line(
                            Kind::Note,
                            format!(
                                "Reach {} · impact {} · confidence {}% · effort {}",
                                short(o.reach),
                                short(o.impact),
                                short(o.confidence_pct),
                                short(o.effort)
                            ),
                        )
                        .title(format!("Opportunity ranked {r}: {}", o.name)),
                )
            })
            .collect();
        cards.sort_by_key(|(r, _)| *r);
        cards.into_iter().map(|(_, c)| c).collect()
    });
    lane(&mut c, &mut y, "Opportunities", opportunities);

    let kpis = per_stage(&|i| {
        j.stages[i]
            .kpi_targets
            .iter()
            .map(|k| {
                let target = match &k.target {
                    Target::Number(v) => short(*v),
                    Target::Time(t) => t.to_string(),
                };
                let name = k.kpi.as_str().replace('_', " ").to_uppercase();
                Card::new("kpi", palette::PAPER, palette::RULE)
                    .line(Kind::Head, name.clone())
                    .line(Kind::Body, format!("Target {target}"))
                    .title(format!("KPI target: {name} {target}"))
            })
            .collect()
    });
    lane(&mut c, &mut y, "KPI targets", kpis);

    let legend = format!(
        "Emotion on the declared scale {} to {}. Moments of truth: ▲ positive, ▼ negative, ◆ mixed. \
         Pain severity 1 (minor) to 5 (critical). RICE priority = reach × impact × confidence ÷ effort.",
        short(j.emotion_scale.min),
        short(j.emotion_scale.max)
    );
    y = footnote(
        &mut c,
        g.margin,
        y + 8.0,
        g.width() - 2.0 * g.margin,
        &legend,
        f,
    );
    let desc = format!(
        "{} stages, {} touchpoints, {} pain points, {} moments of truth, {} opportunities.",
        j.stages.len(),
        j.stages.iter().map(|s| s.touchpoints.len()).sum::<usize>(),
        j.stages.iter().map(|s| s.pain_points.len()).sum::<usize>(),
        j.stages
            .iter()
            .map(|s| s.moments_of_truth.len())
            .sum::<usize>(),
        all.len()
    );
    c.finish(g.width(), y + g.margin, &title, &desc)
}

/// The emotion curve lane; returns its height.
fn emotion_lane(c: &mut Canvas, g: &Grid, y: f64, j: &Journey, shade: bool) -> f64 {
    let f = g.font;
    let small = (f - 1.5).max(7.0);
    let h = (9.0 * f).max(108.0);
    let pad = small + 12.0;
    let (min, max) = (j.emotion_scale.min, j.emotion_scale.max);
    let span = if max > min { max - min } else { 1.0 };
    let ys = |v: f64| y + pad + (max - v) / span * (h - 2.0 * pad);
    let neutral = if min < 0.0 && max > 0.0 {
        0.0
    } else {
        (min + max) / 2.0
    };
    let label = "Emotion";
    let lines = g.label_lines(label);
    let lane = g.lane_box(c, y, h, label, &lines, shade);
    let (x0, x1) = (g.col_x(0), g.col_x(g.columns - 1) + g.col_w);
    c.open(
        "emotion-scale",
        Some(&format!("Emotion scale {} to {}", short(min), short(max))),
    );
    for v in [max, neutral, min] {
        let dash = if v == neutral {
            ""
        } else {
            "stroke-dasharray=\"4 4\""
        };
        c.line((x0, ys(v)), (x1, ys(v)), palette::RULE, 1.0, dash);
        let text = signed(v);
        let w = text_width(&text, small);
        c.place(
            "axis",
            Rect::new(x0 - 6.0 - w, ys(v) - small * 0.5, w, small),
            Some(lane),
        );
        c.text(
            x0 - 6.0,
            ys(v) + small * 0.35,
            &text,
            TextStyle::new(small)
                .anchor(Anchor::End)
                .fill(palette::MUTED),
        );
    }
    c.close();
    let mut points = Vec::new();
    for (i, s) in j.stages.iter().enumerate() {
        let scored: Vec<_> = s
            .touchpoints
            .iter()
            .filter_map(|t| t.emotion.map(|e| (t, e)))
            .collect();
        for (k, (t, e)) in scored.iter().enumerate() {
            let x = g.col_x(i) + (k as f64 + 0.5) * g.col_w / scored.len() as f64;
            points.push((x, ys(*e), *e, t.name.clone()));
        }
    }
    c.open("emotion-curve", Some("Emotion curve over the stages"));
    let d: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (x, y, _, _))| {
            format!("{}{} {}", if i == 0 { "M" } else { "L" }, num(*x), num(*y))
        })
        .collect();
    c.path(
        &d.join(" "),
        "none",
        palette::INK,
        2.0,
        "stroke-linejoin=\"round\"",
    );
    for (x, py, e, name) in &points {
        let colour = if *e > neutral {
            palette::GREEN
        } else if *e < neutral {
            palette::VERMILLION
        } else {
            palette::MUTED
        };
        c.circle(
            *x,
            *py,
            5.0,
            colour,
            palette::PAPER,
            Some(&format!("{name}: emotion {}", signed(*e))),
        );
        let text = signed(*e);
        let w = text_width(&text, small) * 1.1;
        let ty = if *e >= neutral {
            py - 8.0 - small
        } else {
            py + 8.0
        };
        c.place("point_label", Rect::new(x + 4.0, ty, w, small), Some(lane));
        c.text(
            x + 4.0,
            ty + small * 0.85,
            &text,
            TextStyle::new(small).bold().fill(colour_text(colour)),
        );
    }
    c.close();
    h
}

/// Text colour for a mark colour (dark variants keep the contrast on white).
fn colour_text(colour: &str) -> &'static str {
    match colour {
        c if c == palette::GREEN => "#00664A",
        c if c == palette::VERMILLION => "#A34700",
        _ => palette::MUTED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Opportunity, PainPoint, Persona, Stage, Touchpoint};

    /// 12 stages, 40 touchpoints, long labels everywhere.
    pub(crate) fn big_journey() -> Journey {
        let long =
            "an unusually long label that keeps going well past the width of any column in the map";
        let mut j = Journey::new("big", format!("A very large journey with {long}"));
        j.description = Some(format!("Description: {long}. {long}."));
        j.personas = (0..3)
            .map(|i| Persona {
                id: format!("p{i}"),
                name: format!("Persona {i} with {long}"),
                description: None,
                goals: vec![format!("Goal {long}"), "Short goal".into()],
                needs: vec![],
                frustrations: vec![],
            })
            .collect();
        let channels = [
            "web",
            "mobile_app",
            "chat",
            "phone",
            "store",
            "a_custom_channel_with_a_long_name",
        ];
        let mut n = 0;
        for s in 0..12 {
            let mut stage = Stage::new(format!("s{s}"), format!("Stage {s}: {long}"));
            let count = if s < 4 { 4 } else { 3 };
            for _ in 0..count {
                stage.touchpoints.push(Touchpoint {
                    id: format!("t{n}"),
                    name: format!("Touchpoint {n} {long}"),
                    channel: Channel::from(channels[n % channels.len()]),
                    description: None,
                    personas: vec!["p0".into(), "p1".into()],
                    actions: vec![format!("Does {long}"), "Clicks".into()],
                    thoughts: vec![format!("Thinks {long}")],
                    feelings: vec!["Curious".into()],
                    emotion: Some(((n % 5) as f64) - 2.0),
                });
                n += 1;
            }
            stage.pain_points.push(PainPoint {
                id: format!("pp{s}"),
                description: format!("Pain {long}"),
                touchpoint: Some(format!("t{}", n - 1)),
                severity: (s % 5 + 1) as u8,
                frequency_pct: Some(37.5),
            });
            stage.moments_of_truth.push(crate::model::MomentOfTruth {
                id: format!("m{s}"),
                name: format!("Moment {long}"),
                kind: crate::model::MomentKind::Support,
                polarity: [Polarity::Positive, Polarity::Negative, Polarity::Mixed][s % 3],
                touchpoint: None,
                description: Some(long.into()),
            });
            stage.opportunities.push(Opportunity {
                id: format!("o{s}"),
                name: format!("Opportunity {long}"),
                touchpoint: None,
                pain_point: None,
                reach: 1000.0 + s as f64,
                impact: 2.0,
                confidence_pct: 80.0,
                effort: 3.0,
            });
            j.stages.push(stage);
        }
        assert_eq!(n, 40);
        j
    }

    #[test]
    fn big_map_has_no_overlaps() {
        let j = big_journey();
        for font in [10.0, 12.0, 16.0] {
            let o = RenderOptions {
                font_size: font,
                ..RenderOptions::default()
            };
            let d = journey_map_drawing(&j, &o);
            let problems = d.layout.problems();
            assert!(problems.is_empty(), "font {font}: {problems:#?}");
            assert!(
                d.layout
                    .boxes
                    .iter()
                    .filter(|b| b.role == "touchpoint")
                    .count()
                    == 40
            );
            assert!(d.layout.boxes.iter().filter(|b| b.role == "stage").count() == 12);
        }
    }

    #[test]
    fn deterministic() {
        let j = big_journey();
        let o = RenderOptions::default();
        assert_eq!(svg_journey_map(&j, &o), svg_journey_map(&j, &o));
    }
}
