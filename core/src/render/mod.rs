//! Drawings and reports of maps and results: a plain-text report, and self-contained SVG
//! pictures (journey map, service blueprint, value stream map current vs future, flow graph,
//! funnel, path Sankey, retention heat map), an HTML report wrapping several, Graphviz DOT and
//! Mermaid text for graphs, and CSV/JSON tables behind the pictures.
//!
//! Every SVG is deterministic (same input, same bytes), parses as XML, carries its text as real
//! `<text>` elements and has `<title>` elements for screen readers; colours come from the
//! Okabe–Ito palette and meaning is repeated in marks and words.
//!
//! ```
//! use journeystream::{render, Map};
//! let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
//! let options = render::RenderOptions::default();
//! let svg = render::svg_map(&map, render::MapKind::JourneyMap, &options)?;
//! assert!(svg.starts_with("<svg") && svg.contains("Diagnosis"));
//! assert_eq!(svg, render::svg_journey_map(map.journey.as_ref().unwrap(), &options));
//! # Ok::<(), journeystream::Error>(())
//! ```

mod axes;
pub mod bars;
mod blueprint;
mod cards;
pub mod charts;
pub mod dot;
pub mod flow_graph;
pub mod html;
mod journey_map;
pub mod kpi_chart;
pub mod ladder;
pub mod layout;
pub mod lines;
pub mod mermaid;
pub mod palette;
pub mod personas_chart;
pub mod svg;
pub mod table;
mod text;
mod value_stream;

pub use blueprint::{blueprint_drawing, svg_blueprint};
pub use flow_graph::{flow_graph_drawing, svg_flow_graph, EdgeLabels};
pub use html::{html_page, html_report, ReportInput};
pub use journey_map::{journey_map_drawing, svg_journey_map};
pub use svg::Drawing;
pub use text::text_report;
pub use value_stream::{
    svg_value_stream, svg_value_stream_compare, value_stream_compare_drawing, value_stream_drawing,
};

use crate::error::{Error, Result};
use crate::model::Map;
use serde::{Deserialize, Serialize};

/// Options of every drawing. From JSON: `{"font_size": 13, "labels": "performance"}`; unknown
/// fields are errors.
///
/// ```
/// use journeystream::render::{EdgeLabels, RenderOptions};
/// let o = RenderOptions::from_json(r#"{"labels": "performance", "edge_threshold": 0.1}"#)?;
/// assert_eq!(o.labels, EdgeLabels::Performance);
/// assert!(RenderOptions::from_json(r#"{"font_size": 2}"#).is_err());
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RenderOptions {
    /// Base font size in pixels, 8–24.
    pub font_size: f64,
    /// Lines a label may wrap to before it is ellipsized, 1–8.
    pub max_lines: usize,
    /// Flow graphs: label edges with counts or with median flow times.
    pub labels: EdgeLabels,
    /// Flow graphs: keep only edges whose count is at least this share (0–1) of the largest.
    pub edge_threshold: f64,
    /// Flow graphs: draw at most this many edges (default [`DEFAULT_MAX_EDGES`]; `null`: all),
    /// the most frequent ones, but always each activity's most frequent incoming and outgoing
    /// edge, so that no activity is cut off (see [`flow_graph::dfg_graph`]).
    pub max_edges: Option<usize>,
    /// The heading drawn above a picture; none: the name of what is drawn.
    pub title: Option<String>,
}

/// How many edges a flow graph draws unless told otherwise: a graph of a big log (BPI Challenge
/// 2012 has 125 directly-follows pairs) stays readable.
pub const DEFAULT_MAX_EDGES: usize = 40;

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            font_size: 12.0,
            max_lines: 3,
            labels: EdgeLabels::Frequency,
            edge_threshold: 0.0,
            max_edges: Some(DEFAULT_MAX_EDGES),
            title: None,
        }
    }
}

impl RenderOptions {
    /// Options from a JSON object (empty text or `null`: the defaults), checked.
    pub fn from_json(text: &str) -> Result<RenderOptions> {
        let t = text.trim();
        let options: RenderOptions = if t.is_empty() || t == "null" {
            RenderOptions::default()
        } else {
            crate::json::from_str(t, "the render options")?
        };
        options.check()?;
        Ok(options)
    }

    /// Errors for options out of range, naming the field.
    pub fn check(&self) -> Result<()> {
        if !(8.0..=24.0).contains(&self.font_size) {
            return Err(Error::OutOfRange {
                path: "font_size".into(),
                value: self.font_size,
                range: "8..24".into(),
            });
        }
        if !(1..=8).contains(&self.max_lines) {
            return Err(Error::OutOfRange {
                path: "max_lines".into(),
                value: self.max_lines as f64,
                range: "1..8".into(),
            });
        }
        if !(0.0..=1.0).contains(&self.edge_threshold) {
            return Err(Error::OutOfRange {
                path: "edge_threshold".into(),
                value: self.edge_threshold,
                range: "0..1".into(),
            });
        }
        Ok(())
    }
}

/// Which picture of a map to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapKind {
    /// Stages as columns, lanes for personas, touchpoints, actions, emotions, pains, moments, opportunities.
    JourneyMap,
    /// The service blueprint: evidence, customer actions, front stage, back stage, support.
    Blueprint,
    /// The value stream map of the current state.
    ValueStream,
    /// Current and projected future value stream maps with the change of each summary metric.
    ValueStreamCompare,
}

impl MapKind {
    /// Every kind, in order.
    pub const ALL: [MapKind; 4] = [
        MapKind::JourneyMap,
        MapKind::Blueprint,
        MapKind::ValueStream,
        MapKind::ValueStreamCompare,
    ];

    /// The name as written in options (`"journey_map"`).
    pub fn name(self) -> &'static str {
        match self {
            MapKind::JourneyMap => "journey_map",
            MapKind::Blueprint => "blueprint",
            MapKind::ValueStream => "value_stream",
            MapKind::ValueStreamCompare => "value_stream_compare",
        }
    }

    /// Parses a kind name.
    ///
    /// ```
    /// use journeystream::render::MapKind;
    /// assert_eq!(MapKind::parse("blueprint")?, MapKind::Blueprint);
    /// assert!(MapKind::parse("pie").is_err());
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn parse(name: &str) -> Result<MapKind> {
        MapKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                Error::argument(
                    "kind",
                    name,
                    "is not a drawing: use journey_map, blueprint, value_stream or value_stream_compare",
                )
            })
    }
}

/// Draws a map as SVG. The journey map needs a journey; the value stream maps a value stream
/// (and the comparison a plan); the blueprint either.
pub fn svg_map(map: &Map, kind: MapKind, options: &RenderOptions) -> Result<String> {
    Ok(map_drawing(map, kind, options)?.svg)
}

/// The drawing of a map with the boxes it placed.
pub fn map_drawing(map: &Map, kind: MapKind, options: &RenderOptions) -> Result<Drawing> {
    options.check()?;
    match kind {
        MapKind::JourneyMap => {
            let journey = map.journey.as_ref().ok_or_else(|| Error::MissingData {
                path: "journey".into(),
                what: "a journey to draw".into(),
            })?;
            Ok(journey_map_drawing(journey, options))
        }
        MapKind::ValueStream => value_stream_drawing(map, options),
        MapKind::ValueStreamCompare => value_stream_compare_drawing(map, options),
        MapKind::Blueprint => blueprint_drawing(map, options),
    }
}
