//! A self-contained HTML report wrapping several SVG drawings: inline SVG, inline CSS, no
//! scripts, and a content security policy that forbids fetching anything.

use super::svg::escape;
use super::{map_drawing, MapKind, RenderOptions};
use crate::analytics::process::Profile;
use crate::error::Result;
use crate::model::Map;

/// One section of a report: a heading, a sentence, and a drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The anchor id (`"journey-map"`).
    pub id: String,
    pub heading: String,
    pub text: String,
    pub svg: String,
}

const STYLE: &str = "\
body{margin:0;font-family:'DejaVu Sans',Verdana,Arial,Helvetica,sans-serif;color:#1A1A1A;background:#FAFAFA;line-height:1.4}\
header{padding:20px 24px 8px}h1{font-size:24px;margin:0 0 4px}header p{margin:0;color:#555}\
nav{padding:4px 24px 12px}nav a{margin-right:16px;color:#0072B2}\
section{margin:12px 24px 28px;background:#FFF;border:1px solid #DDD;border-radius:6px;padding:12px 16px}\
h2{font-size:19px;margin:4px 0}section p{margin:4px 0 10px;color:#555;max-width:70em}\
.figure{overflow-x:auto}.figure svg{display:block}\
footer{padding:8px 24px 24px;color:#555;font-size:13px}";

/// A page of sections.
///
/// ```
/// use journeystream::render::html::{html_page, Section};
/// let page = html_page("Report", "Two pictures", &[Section { id: "a".into(), heading: "A".into(),
///     text: "".into(), svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".into() }]);
/// assert!(page.starts_with("<!DOCTYPE html>") && !page.contains("<script"));
/// ```
pub fn html_page(title: &str, intro: &str, sections: &[Section]) -> String {
    let mut out = String::with_capacity(sections.iter().map(|s| s.svg.len()).sum::<usize>() + 4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    ));
    out.push_str(&format!(
        "<header><h1>{}</h1><p>{}</p></header>\n<nav>",
        escape(title),
        escape(intro)
    ));
    for s in sections {
        out.push_str(&format!(
            "<a href=\"#{}\">{}</a>",
            escape(&s.id),
            escape(&s.heading)
        ));
    }
    out.push_str("</nav>\n<main>\n");
    for s in sections {
        out.push_str(&format!(
            "<section id=\"{}\" aria-labelledby=\"{}-h\">\n<h2 id=\"{}-h\">{}</h2>\n",
            escape(&s.id),
            escape(&s.id),
            escape(&s.id),
            escape(&s.heading)
        ));
        if !s.text.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", escape(&s.text)));
        }
        out.push_str("<div class=\"figure\">\n");
        out.push_str(&s.svg);
        out.push_str("</div>\n</section>\n");
    }
    out.push_str(&format!(
        "</main>\n<footer>Drawn by journeystream {} from the map document{}.</footer>\n</body>\n</html>\n",
        crate::VERSION,
        if sections.iter().any(|s| s.id == "flow-graph") { " and its event log" } else { "" }
    ));
    out
}

/// What a report draws: a map, and optionally the process profile of its event log.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub map: &'a Map,
    pub profile: Option<&'a Profile>,
}

/// The HTML report of a map: journey map, service blueprint (when steps have lanes), value
/// stream map (current vs future when the map has a plan), and the flow graph of its log.
///
/// ```
/// use journeystream::{render, Map};
/// let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
/// let html = render::html_report(render::ReportInput { map: &map, profile: None }, &render::RenderOptions::default())?;
/// assert!(html.contains("id=\"journey-map\"") && html.contains("id=\"value-stream\""));
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn html_report(input: ReportInput<'_>, options: &RenderOptions) -> Result<String> {
    options.check()?;
    let map = input.map;
    let mut sections = Vec::new();
    let untitled = RenderOptions {
        title: None,
        ..options.clone()
    };
    if map.journey.is_some() {
        sections.push(Section {
            id: "journey-map".into(),
            heading: "Journey map".into(),
            text: "Stages left to right; each lane shows one aspect of the customer's experience. \
                   The curve is the emotion at each touchpoint on the journey's declared scale."
                .into(),
            svg: map_drawing(map, MapKind::JourneyMap, &untitled)?.svg,
        });
    }
    if let Some(vs) = &map.value_stream {
        if map.journey.is_some() && vs.steps.iter().any(|s| s.lane.is_some()) {
            sections.push(Section {
                id: "blueprint".into(),
                heading: "Service blueprint".into(),
                text: "The steps of the value stream under the stage they serve, by who performs \
                       them: what the customer sees above the line of visibility, the back stage \
                       and support below."
                    .into(),
                svg: map_drawing(map, MapKind::Blueprint, &untitled)?.svg,
            });
        }
        let (kind, text) = if map.plan.is_some() {
            (
                MapKind::ValueStreamCompare,
                "The current state above, the future state after the plan below, and the change of \
                 each summary metric. The bottleneck is outlined; the ladder shows waits and \
                 process times.",
            )
        } else {
            (
                MapKind::ValueStream,
                "The bottleneck is outlined; the ladder shows waits and process times.",
            )
        };
        sections.push(Section {
            id: "value-stream".into(),
            heading: "Value stream map".into(),
            text: text.into(),
            svg: map_drawing(map, kind, &untitled)?.svg,
        });
    }
    if let Some(p) = input.profile {
        sections.push(Section {
            id: "flow-graph".into(),
            heading: "Flow graph of the event log".into(),
            text: format!(
                "The directly-follows graph of {} cases: boxes are activities (darker: more events), \
                 edge labels give {}; dashed edges go back (rework).",
                p.cases,
                match options.labels {
                    super::EdgeLabels::Frequency => "how often one activity directly followed another",
                    super::EdgeLabels::Performance => "the median time from one activity to the next",
                }
            ),
            svg: super::svg_flow_graph(p, &untitled),
        });
    }
    let name = map
        .journey
        .as_ref()
        .map(|j| j.name.clone())
        .or_else(|| map.value_stream.as_ref().map(|v| v.name.clone()))
        .unwrap_or_else(|| "Map".into());
    let title = options.title.clone().unwrap_or(name);
    let intro = map
        .journey
        .as_ref()
        .and_then(|j| j.description.clone())
        .or_else(|| {
            map.value_stream
                .as_ref()
                .and_then(|v| v.description.clone())
        })
        .unwrap_or_default();
    Ok(html_page(&title, &intro, &sections))
}
