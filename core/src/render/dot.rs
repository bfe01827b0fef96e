//! Graphviz DOT text for a [`Graph`] (the flow graph of a log, or a value stream's flow), for
//! tools that lay graphs out themselves.
//!
//! ```
//! use journeystream::{render, Map};
//! let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/acme-stamping.json"))?;
//! let g = render::flow_graph::value_stream_graph(&map)?;
//! let dot = render::dot::to_dot(&g);
//! assert!(dot.starts_with("digraph ") && dot.contains("->"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::flow_graph::Graph;
use std::fmt::Write;

/// A string as a DOT quoted string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The graph as a DOT `digraph`, top to bottom, edge pen width by weight.
pub fn to_dot(g: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&g.title));
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, labelloc=t, label={}, fontname=\"DejaVu Sans\"];",
        quote(&g.title)
    );
    out.push_str("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#D9EAF5\", color=\"#0072B2\", fontname=\"DejaVu Sans\"];\n");
    out.push_str("  edge [color=\"#4D4D4D\", fontname=\"DejaVu Sans\"];\n");
    if !g.starts.is_empty() {
        out.push_str("  start [shape=circle, label=\"S\", style=filled, fillcolor=\"#1A1A1A\", fontcolor=white];\n");
    }
    if !g.ends.is_empty() {
        out.push_str("  end [shape=doublecircle, label=\"E\", style=filled, fillcolor=\"#1A1A1A\", fontcolor=white];\n");
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let label = if n.detail.is_empty() {
            n.label.clone()
        } else {
            format!("{}\n{}", n.label, n.detail)
        };
        let _ = writeln!(
            out,
            "  n{i} [label={}, tooltip={}];",
            quote(&label),
            quote(&n.id)
        );
    }
    for (v, label) in &g.starts {
        let _ = writeln!(out, "  start -> n{v} [label={}];", quote(label));
    }
    for e in &g.edges {
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}, penwidth={:.1}];",
            e.source,
            e.target,
            quote(&e.label),
            1.0 + 4.0 * e.weight
        );
    }
    for (v, label) in &g.ends {
        let _ = writeln!(out, "  n{v} -> end [label={}];", quote(label));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escape() {
        assert_eq!(quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
    }
}
