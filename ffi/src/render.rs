//! Drawings: SVG pictures of maps and profiles, the HTML report, DOT and Mermaid text.
//!
//! Options are a JSON object (NUL-terminated; NULL or `""` for the defaults), e.g.
//! `{"font_size": 13, "labels": "performance", "edge_threshold": 0.1, "max_lines": 3, "title": "…"}`.
//! Every output is a string the caller frees with `journeystream_string_free`.

use crate::args::{c_text, handle, out, owned};
use crate::boundary::{boundary, journeystream_status, Fail};
use crate::log::journeystream_profile;
use crate::map::journeystream_map;
use journeystream::render::{self, flow_graph, MapKind, RenderOptions};
use std::ffi::c_char;

/// Which picture of a map `journeystream_map_render_svg` draws.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_drawing {
    /// Stages as columns; lanes for personas, touchpoints, actions, emotion, pains, moments, opportunities.
    JourneyMap = 0,
    /// The service blueprint: evidence, customer actions, front stage, back stage, support.
    Blueprint = 1,
    /// The current-state value stream map.
    ValueStream = 2,
    /// Current and future value stream maps with the change of each summary metric (needs a plan).
    ValueStreamCompare = 3,
}

/// Text formats of graphs.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_graph_format {
    /// A self-contained SVG picture.
    Svg = 0,
    /// Graphviz DOT.
    Dot = 1,
    /// A Mermaid flowchart.
    Mermaid = 2,
}

unsafe fn options(json: *const c_char) -> Result<RenderOptions, Fail> {
    if json.is_null() {
        return Ok(RenderOptions::default());
    }
    Ok(RenderOptions::from_json(c_text(json, "options_json")?)?)
}

fn kind_of(kind: u32) -> Result<MapKind, Fail> {
    MapKind::ALL.get(kind as usize).copied().ok_or_else(|| {
        Fail::Core(journeystream::Error::InvalidArgument {
            name: "kind".into(),
            value: kind.to_string(),
            reason: "is not a drawing (0 journey map, 1 blueprint, 2 value stream, 3 value stream compare)".into(),
        })
    })
}

fn format_of(format: u32) -> Result<journeystream_graph_format, Fail> {
    match format {
        0 => Ok(journeystream_graph_format::Svg),
        1 => Ok(journeystream_graph_format::Dot),
        2 => Ok(journeystream_graph_format::Mermaid),
        other => Err(Fail::Core(journeystream::Error::InvalidArgument {
            name: "format".into(),
            value: other.to_string(),
            reason: "is not a graph format (0 SVG, 1 DOT, 2 Mermaid)".into(),
        })),
    }
}

fn graph_text(
    g: &flow_graph::Graph,
    format: journeystream_graph_format,
    o: &RenderOptions,
) -> String {
    match format {
        journeystream_graph_format::Svg => flow_graph::graph_drawing(g, o).svg,
        journeystream_graph_format::Dot => render::dot::to_dot(g),
        journeystream_graph_format::Mermaid => render::mermaid::to_mermaid(g),
    }
}

/// Draws a map as SVG: `kind` is a `journeystream_drawing` value; `options_json` may be NULL.
/// `*out_svg` gets an owned string. A map without the parts a drawing needs gives
/// `MISSING_DATA` naming them (`journey`, `value_stream`, `plan`).
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_render_svg(
    map: *const journeystream_map,
    kind: u32,
    options_json: *const c_char,
    out_svg: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_svg = out(out_svg, "out_svg")?;
        let map = &handle(map, "map")?.inner;
        let svg = render::svg_map(map, kind_of(kind)?, &options(options_json)?)?;
        *out_svg = owned(svg);
        Ok(())
    })
}

/// The HTML report of a map (journey map, blueprint, value stream map current vs future) and,
/// when `profile` is not NULL, the flow graph of its log. `options_json` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_render_html(
    map: *const journeystream_map,
    profile: *const journeystream_profile,
    options_json: *const c_char,
    out_html: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_html = out(out_html, "out_html")?;
        let map = &handle(map, "map")?.inner;
        let profile = profile.as_ref().map(|p| &p.inner);
        let html = render::html_report(
            render::ReportInput { map, profile },
            &options(options_json)?,
        )?;
        *out_html = owned(html);
        Ok(())
    })
}

/// The flow of a map's value stream (steps, routes, rework) as a graph in `format` (a
/// `journeystream_graph_format` value).
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_render_flow(
    map: *const journeystream_map,
    format: u32,
    options_json: *const c_char,
    out_text: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_text = out(out_text, "out_text")?;
        let map = &handle(map, "map")?.inner;
        let (format, o) = (format_of(format)?, options(options_json)?);
        let g = flow_graph::value_stream_graph(map)?;
        *out_text = owned(graph_text(&g, format, &o));
        Ok(())
    })
}

/// The directly-follows graph of a profile in `format` (a `journeystream_graph_format` value):
/// edges labelled by frequency or, with `{"labels": "performance"}`, median flow time, and thinned
/// by `edge_threshold`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_render(
    profile: *const journeystream_profile,
    format: u32,
    options_json: *const c_char,
    out_text: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_text = out(out_text, "out_text")?;
        let p = &handle(profile, "profile")?.inner;
        let (format, o) = (format_of(format)?, options(options_json)?);
        let mut g = flow_graph::dfg_graph(p, &o);
        if let Some(t) = &o.title {
            g.title = t.clone();
        }
        *out_text = owned(graph_text(&g, format, &o));
        Ok(())
    })
}

/// A chart from its input as JSON (NUL-terminated): `kind` `"funnel"` (`{"steps": [["Visit",
/// 1000], ["Buy", 95]]}`), `"sankey"` (`{"links": [{"source", "target", "value"}]}`),
/// `"retention"` (`{"cohorts": [...], "periods": [...], "values": [[1.0, 0.4, null]]}`), `"bars"`
/// (`{"rows": [{"label", "value", "low", "high"}], "format": "share"}`), `"lines"` (`{"x_label",
/// "y_label", "series": [{"name", "points": [[x, y]]}]}`), `"ladder"` (`{"steps": [{"name",
/// "wait", "process"}]}`, seconds), `"kpi_series"` (the result JSON of the `kpi_series`
/// analysis, as `journeystream_analyze` gives it) or `"personas"` (the result JSON of the
/// `personas` analysis), as SVG. Flow graphs draw at most `max_edges` edges (option;
/// default 40, `null`: all).
#[no_mangle]
pub unsafe extern "C" fn journeystream_render_chart(
    kind: *const c_char,
    data_json: *const c_char,
    options_json: *const c_char,
    out_svg: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_svg = out(out_svg, "out_svg")?;
        let kind = c_text(kind, "kind")?;
        let data = c_text(data_json, "data_json")?;
        let svg = render::charts::svg_chart(kind, data, &options(options_json)?)?;
        *out_svg = owned(svg);
        Ok(())
    })
}
