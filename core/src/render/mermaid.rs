//! Mermaid `flowchart` text for a [`Graph`], for Markdown documents and wikis that render it.
//!
//! ```
//! use journeystream::{render, Map};
//! let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
//! let g = render::flow_graph::value_stream_graph(&map)?;
//! let text = render::mermaid::to_mermaid(&g);
//! assert!(text.starts_with("flowchart TD") && text.contains("Triage and categorise"));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::flow_graph::Graph;
use std::fmt::Write;

/// Text made safe inside a quoted Mermaid label (quotes, pipes and angle brackets as entities).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '|' => out.push_str("#124;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The graph as a Mermaid top-down flowchart.
pub fn to_mermaid(g: &Graph) -> String {
    let mut out = String::from("flowchart TD\n");
    let _ = writeln!(out, "  %% {}", escape(&g.title));
    if !g.starts.is_empty() {
        out.push_str("  start((Start))\n");
    }
    if !g.ends.is_empty() {
        out.push_str("  finish(((End)))\n");
    }
    for (i, n) in g.nodes.iter().enumerate() {
        if n.detail.is_empty() {
            let _ = writeln!(out, "  n{i}[\"{}\"]", escape(&n.label));
        } else {
            let _ = writeln!(
                out,
                "  n{i}[\"{}<br/>{}\"]",
                escape(&n.label),
                escape(&n.detail)
            );
        }
    }
    let link = |label: &str, arrow: &str| {
        if label.is_empty() {
            format!(" {arrow} ")
        } else {
            format!(" {arrow}|\"{}\"| ", escape(label))
        }
    };
    for (v, label) in &g.starts {
        let _ = writeln!(out, "  start{}n{v}", link(label, "-->"));
    }
    for e in &g.edges {
        let arrow = if e.weight >= 0.5 { "==>" } else { "-->" };
        let _ = writeln!(out, "  n{}{}n{}", e.source, link(&e.label, arrow), e.target);
    }
    for (v, label) in &g.ends {
        let _ = writeln!(out, "  n{v}{}finish", link(label, "-->"));
    }
    out
}
