//! Drawings: SVG of maps and profiles, the HTML report, DOT and Mermaid text. Documents,
//! profiles and options cross as JSON; drawing runs with the GIL released.

use crate::{parse_result, to_py};
use journeystream::analytics::process::Profile;
use journeystream::render::{self, flow_graph, MapKind, RenderOptions};
use journeystream::{Error, Map};
use pyo3::prelude::*;

fn graph_text(g: &flow_graph::Graph, format: &str, o: &RenderOptions) -> Result<String, Error> {
    match format {
        "svg" => Ok(flow_graph::graph_drawing(g, o).svg),
        "dot" => Ok(render::dot::to_dot(g)),
        "mermaid" => Ok(render::mermaid::to_mermaid(g)),
        other => Err(Error::InvalidArgument {
            name: "format".into(),
            value: other.into(),
            reason: "is not a graph format: use svg, dot or mermaid".into(),
        }),
    }
}

/// A drawing of a document (`kind`: journey_map, blueprint, value_stream, value_stream_compare)
/// as SVG; `options` is a JSON object of render options.
#[pyfunction]
fn render_map(py: Python<'_>, document: &str, kind: &str, options: &str) -> PyResult<String> {
    let (document, kind, options) = (document.to_owned(), kind.to_owned(), options.to_owned());
    py.detach(move || {
        let map = Map::from_json(&document)?;
        render::svg_map(
            &map,
            MapKind::parse(&kind)?,
            &RenderOptions::from_json(&options)?,
        )
    })
    .map_err(|e| to_py(py, e))
}

/// The HTML report of a document, with the flow graph of a profile (JSON) when given.
#[pyfunction]
#[pyo3(signature = (document, profile, options))]
fn render_report(
    py: Python<'_>,
    document: &str,
    profile: Option<&str>,
    options: &str,
) -> PyResult<String> {
    let profile: Option<Profile> = profile
        .map(|p| parse_result(py, p, "profile"))
        .transpose()?;
    let (document, options) = (document.to_owned(), options.to_owned());
    py.detach(move || {
        let map = Map::from_json(&document)?;
        let input = render::ReportInput {
            map: &map,
            profile: profile.as_ref(),
        };
        render::html_report(input, &RenderOptions::from_json(&options)?)
    })
    .map_err(|e| to_py(py, e))
}

/// The directly-follows graph of a profile (JSON) as `format`: svg, dot or mermaid.
#[pyfunction]
fn render_profile(py: Python<'_>, profile: &str, format: &str, options: &str) -> PyResult<String> {
    let profile: Profile = parse_result(py, profile, "profile")?;
    let (format, options) = (format.to_owned(), options.to_owned());
    py.detach(move || {
        let o = RenderOptions::from_json(&options)?;
        let mut g = flow_graph::dfg_graph(&profile, &o);
        if let Some(t) = &o.title {
            g.title = t.clone();
        }
        graph_text(&g, &format, &o)
    })
    .map_err(|e| to_py(py, e))
}

/// The flow of a document's value stream (steps, routes, rework) as `format`: svg, dot or mermaid.
#[pyfunction]
fn render_flow(py: Python<'_>, document: &str, format: &str, options: &str) -> PyResult<String> {
    let (document, format, options) = (document.to_owned(), format.to_owned(), options.to_owned());
    py.detach(move || {
        let map = Map::from_json(&document)?;
        let o = RenderOptions::from_json(&options)?;
        graph_text(&flow_graph::value_stream_graph(&map)?, &format, &o)
    })
    .map_err(|e| to_py(py, e))
}

/// A chart (`kind`: funnel, sankey, retention, bars, lines, ladder) from its input as JSON, as SVG.
#[pyfunction]
fn render_chart(py: Python<'_>, kind: &str, data: &str, options: &str) -> PyResult<String> {
    let (kind, data, options) = (kind.to_owned(), data.to_owned(), options.to_owned());
    py.detach(move || render::charts::svg_chart(&kind, &data, &RenderOptions::from_json(&options)?))
        .map_err(|e| to_py(py, e))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(render_map, m)?)?;
    m.add_function(wrap_pyfunction!(render_report, m)?)?;
    m.add_function(wrap_pyfunction!(render_profile, m)?)?;
    m.add_function(wrap_pyfunction!(render_flow, m)?)?;
    m.add_function(wrap_pyfunction!(render_chart, m)?)?;
    Ok(())
}
