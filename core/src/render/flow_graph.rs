//! The directly-follows graph of a log ([`Profile`]) as a picture: activities as boxes in layers
//! (longest path from the start after breaking cycles, ordered by the barycentre of their
//! predecessors), edges labelled with their count (frequency) or median flow time
//! (performance), thinned by a threshold, thickness by count; back edges curve round the right.
//!
//! The same graph feeds [`super::dot`] and [`super::mermaid`] through [`Graph`].

use super::layout::{text_width, wrap, Rect};
use super::palette;
use super::svg::{num, Anchor, Canvas, Drawing, TextStyle};
use super::value_stream::duration;
use super::RenderOptions;
use crate::analytics::process::Profile;
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// What flow-graph edges are labelled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeLabels {
    /// How many times the pair directly followed.
    #[default]
    Frequency,
    /// The median flow time of the pair.
    Performance,
}

/// A node of a graph to draw or export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    /// A secondary line (`"120 events"`).
    pub detail: String,
    /// Weight 0–1 for shading.
    pub weight: f64,
}

/// An edge between two nodes (indices into [`Graph::nodes`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphEdge {
    pub source: usize,
    pub target: usize,
    pub label: String,
    /// Weight 0–1 for thickness.
    pub weight: f64,
}

/// A directed graph with labelled nodes and edges, and where cases start and end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Graph {
    pub title: String,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// Start edges: (node, label).
    pub starts: Vec<(usize, String)>,
    /// End edges: (node, label).
    pub ends: Vec<(usize, String)>,
}

/// The directly-follows graph of a profile, edges under the threshold left out.
///
/// ```
/// use journeystream::{analytics::process::profile, log::LogBuilder, render};
/// let mut b = LogBuilder::new();
/// for (case, activity, t) in [("1", "a", 0), ("1", "b", 10), ("2", "a", 0), ("2", "c", 30)] {
///     b.push(case, activity, t * 1_000_000_000)?;
/// }
/// let g = render::flow_graph::dfg_graph(&profile(&b.finish()), &render::RenderOptions::default());
/// assert_eq!(g.edges.len(), 2);
/// assert_eq!(g.edges[0].label, "1");
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn dfg_graph(p: &Profile, options: &RenderOptions) -> Graph {
    let max_events = p.activities.iter().map(|a| a.events).max().unwrap_or(1).max(1);
    let nodes: Vec<GraphNode> = p
        .activities
        .iter()
        .map(|a| GraphNode {
            id: a.activity.clone(),
            label: a.activity.clone(),
            detail: format!("{} events", a.events),
            weight: a.events as f64 / max_events as f64,
        })
        .collect();
    let ids: Vec<&str> = p.activities.iter().map(|a| a.activity.as_str()).collect();
    let index = |name: &str| ids.iter().position(|n| *n == name);
    let max_count = p.dfg.iter().map(|e| e.count).max().unwrap_or(1).max(1);
    let day = Duration::from_hours(24.0);
    let edges = p
        .dfg
        .iter()
        .filter(|e| e.count as f64 >= options.edge_threshold * max_count as f64)
        .filter_map(|e| {
            Some(GraphEdge {
                source: index(&e.source)?,
                target: index(&e.target)?,
                label: match options.labels {
                    EdgeLabels::Frequency => e.count.to_string(),
                    EdgeLabels::Performance => duration(Duration::from_secs(e.median), day),
                },
                weight: e.count as f64 / max_count as f64,
            })
        })
        .collect();
    let ends = |list: &[crate::analytics::process::Endpoint]| {
        list.iter()
            .filter_map(|e| Some((index(&e.activity)?, e.cases.to_string())))
            .collect()
    };
    Graph {
        title: format!(
            "Flow graph ({}): {} cases, {} events",
            match options.labels {
                EdgeLabels::Frequency => "frequency",
                EdgeLabels::Performance => "median flow time",
            },
            p.cases,
            p.events
        ),
        nodes,
        edges,
        starts: ends(&p.start_activities),
        ends: ends(&p.end_activities),
    }
}

/// The flow graph of a profile as SVG.
///
/// ```
/// use journeystream::{analytics::process::profile, log::LogBuilder, render};
/// let mut b = LogBuilder::new();
/// for (case, activity, t) in [("1", "Register", 0), ("1", "Ship", 10), ("2", "Register", 0), ("2", "Ship", 30)] {
///     b.push(case, activity, t * 1_000_000_000)?;
/// }
/// let svg = render::svg_flow_graph(&profile(&b.finish()), &render::RenderOptions::default());
/// assert!(svg.contains(">Register</text>"));
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn svg_flow_graph(p: &Profile, options: &RenderOptions) -> String {
    flow_graph_drawing(p, options).svg
}

/// The flow graph of a profile with the boxes it placed.
pub fn flow_graph_drawing(p: &Profile, options: &RenderOptions) -> Drawing {
    let mut g = dfg_graph(p, options);
    if let Some(t) = &options.title {
        g.title = t.clone();
    }
    graph_drawing(&g, options)
}

/// Layers (after breaking cycles) and the order within each layer.
fn layered(g: &Graph) -> (Vec<usize>, Vec<Vec<usize>>, Vec<bool>) {
    let n = g.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, e) in g.edges.iter().enumerate() {
        if e.source != e.target {
            out[e.source].push(k);
        }
    }
    // Depth-first from the start nodes (most cases first), then any node left; an edge to a node
    // on the stack is a back edge.
    let mut roots: Vec<usize> = g.starts.iter().map(|s| s.0).collect();
    roots.extend(0..n);
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut back = vec![false; g.edges.len()];
    for r in roots {
        if state[r] != 0 {
            continue;
        }
        let mut stack = vec![(r, 0usize)];
        state[r] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if *i < out[v].len() {
                let k = out[v][*i];
                *i += 1;
                let t = g.edges[k].target;
                match state[t] {
                    0 => {
                        state[t] = 1;
                        stack.push((t, 0));
                    }
                    1 => back[k] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    for (k, e) in g.edges.iter().enumerate() {
        if e.source == e.target {
            back[k] = true;
        }
    }
    // Longest path layering over the forward edges (a DAG now), by relaxation in topological order.
    let mut indeg = vec![0usize; n];
    for (k, e) in g.edges.iter().enumerate() {
        if !back[k] {
            indeg[e.target] += 1;
        }
    }
    let mut layer = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &k in &out[v] {
            if back[k] {
                continue;
            }
            let t = g.edges[k].target;
            layer[t] = layer[t].max(layer[v] + 1);
            indeg[t] -= 1;
            if indeg[t] == 0 {
                queue.push(t);
            }
        }
    }
    let depth = layer.iter().copied().max().map_or(0, |d| d + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for v in 0..n {
        layers[layer[v]].push(v);
    }
    // Order by the barycentre of predecessors, two sweeps.
    let mut pos = vec![0.0; n];
    for l in &layers {
        for (i, &v) in l.iter().enumerate() {
            pos[v] = i as f64;
        }
    }
    for _ in 0..2 {
        for l in layers.iter_mut().skip(1) {
            let bary = |v: usize| {
                let preds: Vec<f64> = g
                    .edges
                    .iter()
                    .enumerate()
                    .filter(|(k, e)| !back[*k] && e.target == v)
                    .map(|(_, e)| pos[e.source])
                    .collect();
                if preds.is_empty() {
                    pos[v]
                } else {
                    preds.iter().sum::<f64>() / preds.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = l.iter().map(|&v| (bary(v), v)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *l = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    }
    (layer, layers, back)
}

/// A graph drawn top to bottom.
pub fn graph_drawing(g: &Graph, options: &RenderOptions) -> Drawing {
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let margin = 16.0;
    let node_w = 14.0 * f;
    let node_gap = 3.0 * f;
    let name_lines = options.max_lines.min(2);
    let node_h = 10.0 + name_lines as f64 * f * 1.3 + small * 1.3 + 6.0;
    let layer_gap = 5.5 * f;
    let (_, layers, back) = layered(g);
    let widest = layers.iter().map(|l| l.len()).max().unwrap_or(1).max(1);
    let back_room = if back.iter().any(|b| *b) { 8.0 * f } else { 0.0 };
    let inner_w = (widest as f64 * (node_w + node_gap) - node_gap).max(node_w * 2.0);
    let width = 2.0 * margin + inner_w + back_room;
    let mut c = Canvas::new();
    let title_size = f * 1.3;
    let title = g.title.clone();
    let tw = text_width(&title, title_size) * 1.1;
    c.place("heading", Rect::new(margin, margin, tw.min(width - 2.0 * margin), title_size * 1.3), None);
    c.text(margin, margin + title_size, &super::layout::ellipsize(&title, (width - 2.0 * margin) / 1.1, title_size), TextStyle::new(title_size).bold());
    let start_y = margin + title_size * 1.3 + 12.0;
    let terminal_r = f * 1.1;
    let top = start_y + 2.0 * terminal_r + layer_gap * 0.8;
    let mut rects = vec![Rect::new(0.0, 0.0, 0.0, 0.0); g.nodes.len()];
    for (li, l) in layers.iter().enumerate() {
        let lw = l.len() as f64 * (node_w + node_gap) - node_gap;
        let x0 = margin + (inner_w - lw) / 2.0;
        for (i, &v) in l.iter().enumerate() {
            rects[v] = Rect::new(x0 + i as f64 * (node_w + node_gap), top + li as f64 * (node_h + layer_gap), node_w, node_h);
        }
    }
    let bottom_nodes = top + layers.len() as f64 * (node_h + layer_gap) - layer_gap;
    let end_y = bottom_nodes + layer_gap * 0.8 + terminal_r;
    let cx = margin + inner_w / 2.0;
    let start = (cx, start_y + terminal_r);
    let end = (cx, end_y);
    let mut labels: Vec<Rect> = rects.clone();
    labels.push(Rect::new(cx - terminal_r, start_y, 2.0 * terminal_r, 2.0 * terminal_r));
    labels.push(Rect::new(cx - terminal_r, end_y - terminal_r, 2.0 * terminal_r, 2.0 * terminal_r));
    let mut placed_labels: Vec<(Rect, String)> = Vec::new();
    let mut place_label = |labels: &mut Vec<Rect>, at: &dyn Fn(f64) -> (f64, f64), text: &str| {
        let w = text_width(text, small) * 1.1 + 6.0;
        let h = small * 1.4;
        let mut chosen = None;
        for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.45, 0.55, 0.35, 0.65] {
            let (x, y) = at(t);
            for dx in [0.0, w * 0.6, -w * 0.6] {
                let r = Rect::new(x - w / 2.0 + dx, y - h / 2.0, w, h);
                if labels.iter().all(|o| !o.overlaps(&r)) {
                    chosen = Some(r);
                    break;
                }
            }
            if chosen.is_some() {
                break;
            }
        }
        let r = chosen.unwrap_or_else(|| {
            let (x, y) = at(0.5);
            Rect::new(x - w / 2.0, y - h / 2.0, w, h)
        });
        labels.push(r);
        placed_labels.push((r, text.to_string()));
    };
    let stroke_w = |w: f64| 1.0 + 4.0 * w;
    // Ports spread along the bottom and top of each node.
    let mut out_ports: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
    let mut in_ports: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
    for (k, e) in g.edges.iter().enumerate() {
        if !back[k] {
            out_ports[e.source].push(k);
            in_ports[e.target].push(k);
        }
    }
    for list in out_ports.iter_mut() {
        list.sort_by(|&a, &b| rects[g.edges[a].target].x.total_cmp(&rects[g.edges[b].target].x).then(a.cmp(&b)));
    }
    for list in in_ports.iter_mut() {
        list.sort_by(|&a, &b| rects[g.edges[a].source].x.total_cmp(&rects[g.edges[b].source].x).then(a.cmp(&b)));
    }
    let port = |list: &[usize], k: usize, r: &Rect| {
        let i = list.iter().position(|&x| x == k).unwrap_or(0);
        r.x + r.w * (i as f64 + 1.0) / (list.len() as f64 + 1.0)
    };
    c.open("edges", Some("Directly-follows edges"));
    let arrow = |c: &mut Canvas, x: f64, y: f64, dx: f64, dy: f64| {
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        let (bx, by) = (x - ux * 8.0, y - uy * 8.0);
        c.polygon(&[(x, y), (bx - uy * 4.0, by + ux * 4.0), (bx + uy * 4.0, by - ux * 4.0)], palette::INK, palette::INK);
    };
    let bez = |p0: (f64, f64), p1: (f64, f64), p2: (f64, f64), p3: (f64, f64), t: f64| {
        let u = 1.0 - t;
        (
            u * u * u * p0.0 + 3.0 * u * u * t * p1.0 + 3.0 * u * t * t * p2.0 + t * t * t * p3.0,
            u * u * u * p0.1 + 3.0 * u * u * t * p1.1 + 3.0 * u * t * t * p2.1 + t * t * t * p3.1,
        )
    };
    let mut draw_curve = |c: &mut Canvas, labels: &mut Vec<Rect>, p: [(f64, f64); 4], w: f64, title: &str, label: &str, dashed: bool| {
        c.open("edge", Some(title));
        let d = format!(
            "M{} {} C{} {} {} {} {} {}",
            num(p[0].0), num(p[0].1), num(p[1].0), num(p[1].1), num(p[2].0), num(p[2].1), num(p[3].0), num(p[3].1)
        );
        c.path(&d, "none", "#4D4D4D", stroke_w(w), if dashed { "stroke-dasharray=\"6 4\" fill-opacity=\"0\"" } else { "" });
        arrow(c, p[3].0, p[3].1, p[3].0 - p[2].0, p[3].1 - p[2].1);
        c.close();
        place_label(labels, &|t| bez(p[0], p[1], p[2], p[3], t), label);
    };
    for (k, e) in g.edges.iter().enumerate() {
        let (s, t) = (rects[e.source], rects[e.target]);
        let title = format!("{} → {}: {}", g.nodes[e.source].label, g.nodes[e.target].label, e.label);
        if e.source == e.target {
            let (x, y) = (s.right(), s.y + s.h / 2.0);
            let p = [(x, y - 8.0), (x + 3.0 * f, y - 3.0 * f), (x + 3.0 * f, y + 3.0 * f), (x + 1.0, y + 8.0)];
            draw_curve(&mut c, &mut labels, p, e.weight, &title, &e.label, true);
        } else if back[k] {
            let bulge = margin + inner_w + back_room * 0.7 - s.right().max(t.right());
            let (y1, y2) = (s.y + s.h / 2.0, t.y + t.h / 2.0);
            let p = [(s.right(), y1), (s.right() + bulge, y1), (t.right() + bulge, y2), (t.right() + 1.0, y2)];
            draw_curve(&mut c, &mut labels, p, e.weight, &title, &e.label, true);
        } else {
            let x1 = port(&out_ports[e.source], k, &s);
            let x2 = port(&in_ports[e.target], k, &t);
            let (y1, y2) = (s.bottom(), t.y - 1.0);
            let dy = (y2 - y1) * 0.5;
            let p = [(x1, y1), (x1, y1 + dy), (x2, y2 - dy), (x2, y2)];
            draw_curve(&mut c, &mut labels, p, e.weight, &title, &e.label, false);
        }
    }
    for (v, label) in &g.starts {
        let r = rects[*v];
        let p = [(start.0, start.1 + terminal_r), (start.0, r.y - layer_gap * 0.4), (r.x + r.w / 2.0, r.y - layer_gap * 0.4), (r.x + r.w / 2.0, r.y - 1.0)];
        draw_curve(&mut c, &mut labels, p, 0.0, &format!("start → {}: {label} cases", g.nodes[*v].label), label, false);
    }
    for (v, label) in &g.ends {
        let r = rects[*v];
        let p = [(r.x + r.w / 2.0, r.bottom()), (r.x + r.w / 2.0, end.1 - layer_gap * 0.3), (end.0, end.1 - layer_gap * 0.3), (end.0, end.1 - terminal_r - 1.0)];
        draw_curve(&mut c, &mut labels, p, 0.0, &format!("{} → end: {label} cases", g.nodes[*v].label), label, false);
    }
    c.close();
    c.open("edge-labels", None);
    for (r, text) in &placed_labels {
        c.place("edge_label", *r, None);
        c.rect(*r, palette::PAPER, palette::RULE, 3.0, "");
        c.text(r.x + r.w / 2.0, r.y + small * 1.05, text, TextStyle::new(small).anchor(Anchor::Middle));
    }
    c.close();
    c.open("nodes", Some("Activities"));
    for (v, node) in g.nodes.iter().enumerate() {
        let r = rects[v];
        let id = c.place("activity", r, None);
        let fill = palette::sequential(0.12 + 0.5 * node.weight);
        let ink = palette::on_sequential(0.12 + 0.5 * node.weight);
        c.open("activity", Some(&format!("{}: {}", node.label, node.detail)));
        c.rect(r, &fill, palette::BLUE, 5.0, "stroke-width=\"1.5\"");
        let lines = wrap(&node.label, (node_w - 14.0) / 1.1, f, name_lines);
        let lw = lines.iter().map(|l| text_width(l, f) * 1.1).fold(0.0, f64::max);
        let ty = r.y + 8.0;
        c.place("text", Rect::new(r.x + (r.w - lw) / 2.0, ty, lw, lines.len() as f64 * f * 1.3), Some(id));
        let st = TextStyle::new(f).bold().anchor(Anchor::Middle);
        let st = if ink == palette::PAPER { st.fill(palette::PAPER) } else { st };
        c.text_lines(r.x + r.w / 2.0, ty + f * 1.0, &lines, f * 1.3, st);
        let dy = r.y + 8.0 + name_lines as f64 * f * 1.3 + small;
        let st = TextStyle::new(small).anchor(Anchor::Middle);
        let st = if ink == palette::PAPER { st.fill(palette::PAPER) } else { st.fill(palette::MUTED) };
        c.text(r.x + r.w / 2.0, dy, &node.detail, st);
        c.close();
    }
    for (label, (x, y)) in [("Start", start), ("End", end)] {
        c.circle(x, y, terminal_r, palette::INK, "none", Some(&format!("{label} of the cases")));
        c.text(x, y + small * 0.35, &label[..1], TextStyle::new(small).bold().anchor(Anchor::Middle).fill(palette::PAPER));
    }
    c.close();
    let height = end_y + terminal_r + margin;
    let height = placed_labels.iter().map(|(r, _)| r.bottom() + 4.0).fold(height, f64::max);
    let width = placed_labels.iter().map(|(r, _)| r.right() + 4.0).fold(width, f64::max);
    let desc = format!("{} activities, {} edges shown.", g.nodes.len(), g.edges.len());
    c.finish(width, height, &title, &desc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::process::profile;
    use crate::log::csv::{read_csv_file, CsvOptions};

    fn sample() -> Profile {
        let path = format!("{}/../examples/support-log.csv", env!("CARGO_MANIFEST_DIR"));
        profile(&read_csv_file(&path, CsvOptions::default()).unwrap().0)
    }

    #[test]
    fn sample_log_graph_is_clean() {
        let p = sample();
        for labels in [EdgeLabels::Frequency, EdgeLabels::Performance] {
            let o = RenderOptions { labels, ..RenderOptions::default() };
            let d = flow_graph_drawing(&p, &o);
            assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
            assert_eq!(d.layout.boxes.iter().filter(|b| b.role == "activity").count(), 10);
        }
    }

    #[test]
    fn threshold_thins_edges() {
        let p = sample();
        let all = dfg_graph(&p, &RenderOptions::default()).edges.len();
        let o = RenderOptions { edge_threshold: 0.5, ..RenderOptions::default() };
        let some = dfg_graph(&p, &o).edges.len();
        assert!(some < all && some > 0, "{some} of {all}");
        let max = p.dfg.iter().map(|e| e.count).max().unwrap();
        assert_eq!(some, p.dfg.iter().filter(|e| e.count as f64 >= 0.5 * max as f64).count());
    }
}
