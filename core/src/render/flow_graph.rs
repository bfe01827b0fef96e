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
use crate::analytics::process::{DfgEdge, Profile};
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
/// let g = render::flow_graph::dfg_graph(&profile(&b.finish().unwrap()), &render::RenderOptions::default());
/// assert_eq!(g.edges.len(), 2);
/// assert_eq!(g.edges[0].label, "1");
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn dfg_graph(p: &Profile, options: &RenderOptions) -> Graph {
    let max_events = p
        .activities
        .iter()
        .map(|a| a.events)
        .max()
        .unwrap_or(1)
        .max(1);
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
    let over_threshold: Vec<&DfgEdge> = p
        .dfg
        .iter()
        .filter(|e| e.count as f64 >= options.edge_threshold * max_count as f64)
        .collect();
    let kept = strongest(&over_threshold, options.max_edges);
    let hidden = over_threshold.len() - kept.len();
    let edges = kept
        .into_iter()
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
    let shown = if hidden == 0 {
        String::new()
    } else {
        format!(
            "; {} of {} edges (max_edges)",
            over_threshold.len() - hidden,
            over_threshold.len()
        )
    };
    Graph {
        title: format!(
            "Flow graph ({}): {} cases, {} events{shown}",
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

/// The edges to draw, in their order: all when there are at most `max` (or no limit), else each
/// activity's most frequent outgoing and incoming edge, then the most frequent others up to `max`
/// (Disco's and pm4py's "paths" slider keep the frequent paths the same way).
fn strongest<'a>(edges: &[&'a DfgEdge], max: Option<usize>) -> Vec<&'a DfgEdge> {
    let Some(max) = max.filter(|&m| m < edges.len()) else {
        return edges.to_vec();
    };
    let mut order: Vec<usize> = (0..edges.len()).collect();
    // Most frequent first; ties in the profile's order.
    order.sort_by(|&a, &b| edges[b].count.cmp(&edges[a].count).then(a.cmp(&b)));
    let mut keep = vec![false; edges.len()];
    let mut out_seen = std::collections::HashSet::new();
    let mut in_seen = std::collections::HashSet::new();
    for &i in &order {
        let first_out = out_seen.insert(edges[i].source.as_str());
        let first_in = in_seen.insert(edges[i].target.as_str());
        keep[i] = first_out || first_in;
    }
    let mut room = max.saturating_sub(keep.iter().filter(|&&k| k).count());
    for &i in &order {
        if room == 0 {
            break;
        }
        if !keep[i] {
            keep[i] = true;
            room -= 1;
        }
    }
    (0..edges.len())
        .filter(|&i| keep[i])
        .map(|i| edges[i])
        .collect()
}

/// The flow of a value stream as a graph: steps (process and wait time), routes with their
/// shares, rework loops; work starts at the first step and ends where a step passes it nowhere.
pub fn value_stream_graph(map: &crate::model::Map) -> crate::Result<Graph> {
    let vs = map
        .value_stream
        .as_ref()
        .ok_or_else(|| crate::Error::MissingData {
            path: "value_stream".into(),
            what: "a value stream to draw".into(),
        })?;
    let m = crate::vsm::measure(map, &crate::vsm::MeasureOptions::default())?;
    let day = m.day_length;
    let max_lead = m
        .steps
        .iter()
        .map(|s| s.lead_time.secs())
        .fold(0.0, f64::max)
        .max(1e-9);
    let nodes = vs
        .steps
        .iter()
        .zip(&m.steps)
        .map(|(s, sm)| GraphNode {
            id: s.id.clone(),
            label: s.name.clone(),
            detail: format!(
                "PT {} · wait {}",
                duration(sm.process_time, day),
                duration(sm.wait_time, day)
            ),
            weight: sm.lead_time.secs() / max_lead,
        })
        .collect();
    let mut edges = Vec::new();
    let mut ends = Vec::new();
    for (i, s) in vs.steps.iter().enumerate() {
        let routes: Vec<(usize, f64)> = match &s.next {
            None if i + 1 < vs.steps.len() => vec![(i + 1, 100.0)],
            None => vec![],
            Some(list) => list
                .iter()
                .filter_map(|r| vs.step_index(&r.step).map(|t| (t, r.share_pct)))
                .collect(),
        };
        if routes.is_empty() {
            ends.push((i, String::new()));
        }
        for (t, share) in routes {
            edges.push(GraphEdge {
                source: i,
                target: t,
                label: format!("{}%", super::journey_map::short(share)),
                weight: share / 100.0,
            });
        }
    }
    for r in &vs.rework {
        if let (Some(a), Some(b)) = (vs.step_index(&r.from), vs.step_index(&r.to)) {
            edges.push(GraphEdge {
                source: a,
                target: b,
                label: format!("{}% rework", super::journey_map::short(r.share_pct)),
                weight: r.share_pct / 100.0,
            });
        }
    }
    Ok(Graph {
        title: format!("Flow of {}", vs.name),
        nodes,
        edges,
        starts: vec![(0, String::new())],
        ends,
    })
}

/// The flow graph of a profile as SVG.
///
/// ```
/// use journeystream::{analytics::process::profile, log::LogBuilder, render};
/// let mut b = LogBuilder::new();
/// for (case, activity, t) in [("1", "Register", 0), ("1", "Ship", 10), ("2", "Register", 0), ("2", "Ship", 30)] {
///     b.push(case, activity, t * 1_000_000_000)?;
/// }
/// let svg = render::svg_flow_graph(&profile(&b.finish().unwrap()), &render::RenderOptions::default());
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

/// A vertex of the layout: an activity, the start or end terminal, or a bend point of a long edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vertex {
    Node(usize),
    Start,
    End,
    Bend,
}

/// What a layout edge draws.
#[derive(Debug, Clone)]
struct Route {
    /// Vertices from source to target (bends in between).
    path: Vec<usize>,
    label: String,
    title: String,
    weight: f64,
    back: bool,
    self_loop: bool,
}

struct Laid {
    vertices: Vec<Vertex>,
    layer: Vec<usize>,
    layers: Vec<Vec<usize>>,
    routes: Vec<Route>,
}

/// Layers (longest path after breaking cycles, start first and end last), long edges split by
/// bend vertices, and the order within each layer by the barycentre of neighbours.
fn layered(g: &Graph) -> Laid {
    let n = g.nodes.len();
    let (start, end) = (n, n + 1);
    let mut vertices: Vec<Vertex> = (0..n).map(Vertex::Node).collect();
    vertices.push(Vertex::Start);
    vertices.push(Vertex::End);
    // (source, target, label, title, weight)
    let mut edges: Vec<(usize, usize, String, String, f64)> = g
        .edges
        .iter()
        .map(|e| {
            let title = format!(
                "{} → {}: {}",
                g.nodes[e.source].label, g.nodes[e.target].label, e.label
            );
            (e.source, e.target, e.label.clone(), title, e.weight)
        })
        .collect();
    for (v, label) in &g.starts {
        edges.push((
            start,
            *v,
            label.clone(),
            format!("Start → {}: {label} cases", g.nodes[*v].label),
            0.0,
        ));
    }
    for (v, label) in &g.ends {
        edges.push((
            *v,
            end,
            label.clone(),
            format!("{} → End: {label} cases", g.nodes[*v].label),
            0.0,
        ));
    }
    let m = n + 2;
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); m];
    for (k, e) in edges.iter().enumerate() {
        if e.0 != e.1 {
            out[e.0].push(k);
        }
    }
    // Depth-first from the start, then any vertex left; an edge to a vertex on the stack goes back.
    let mut state = vec![0u8; m];
    let mut back = vec![false; edges.len()];
    for r in std::iter::once(start).chain(0..m) {
        if state[r] != 0 {
            continue;
        }
        let mut stack = vec![(r, 0usize)];
        state[r] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if *i < out[v].len() {
                let k = out[v][*i];
                *i += 1;
                let t = edges[k].1;
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
    for (k, e) in edges.iter().enumerate() {
        if e.0 == e.1 {
            back[k] = true;
        }
    }
    // Longest path over forward edges, in topological order.
    let mut indeg = vec![0usize; m];
    for (k, e) in edges.iter().enumerate() {
        if !back[k] {
            indeg[e.1] += 1;
        }
    }
    let mut layer = vec![0usize; m];
    let mut queue: Vec<usize> = std::iter::once(start)
        .chain((0..m).filter(|&v| v != start))
        .filter(|&v| indeg[v] == 0)
        .collect();
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &k in &out[v] {
            if back[k] {
                continue;
            }
            let t = edges[k].1;
            layer[t] = layer[t].max(layer[v] + 1);
            indeg[t] -= 1;
            if indeg[t] == 0 {
                queue.push(t);
            }
        }
    }
    // Activities no start reaches sit below the start; the end goes last.
    for l in layer.iter_mut().take(n) {
        *l = (*l).max(1);
    }
    layer[start] = 0;
    layer[end] = (0..n).map(|v| layer[v] + 1).max().unwrap_or(1);
    // Split long forward edges with bends.
    let mut routes = Vec::new();
    for (k, (s, t, label, title, weight)) in edges.into_iter().enumerate() {
        let mut path = vec![s];
        if !back[k] {
            for l in layer[s] + 1..layer[t] {
                vertices.push(Vertex::Bend);
                layer.push(l);
                path.push(vertices.len() - 1);
            }
        }
        path.push(t);
        routes.push(Route {
            path,
            label,
            title,
            weight,
            back: back[k],
            self_loop: s == t,
        });
    }
    let depth = layer.iter().copied().max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (v, &l) in layer.iter().enumerate() {
        layers[l].push(v);
    }
    // Neighbours along forward routes, for the barycentres.
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for r in routes.iter().filter(|r| !r.back) {
        for w in r.path.windows(2) {
            up[w[1]].push(w[0]);
            down[w[0]].push(w[1]);
        }
    }
    let mut pos = vec![0.0; vertices.len()];
    let number = |layers: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    };
    number(&layers, &mut pos);
    for sweep in 0..4 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for li in order {
            let nb = if sweep % 2 == 0 { &up } else { &down };
            let mut keyed: Vec<(f64, usize)> = layers[li]
                .iter()
                .map(|&v| {
                    let list = &nb[v];
                    let b = if list.is_empty() {
                        pos[v]
                    } else {
                        list.iter().map(|&u| pos[u]).sum::<f64>() / list.len() as f64
                    };
                    (b, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[li] = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in layers[li].iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    }
    Laid {
        vertices,
        layer,
        layers,
        routes,
    }
}

/// A point on a cubic Bézier curve.
fn bezier(p: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0,
        a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1,
    )
}

/// A graph drawn top to bottom.
pub fn graph_drawing(g: &Graph, options: &RenderOptions) -> Drawing {
    let f = options.font_size;
    let small = (f - 1.5).max(7.0);
    let margin = 16.0;
    let node_w = 14.0 * f;
    let node_gap = 2.5 * f;
    let bend_w = 2.0 * f;
    let name_lines = options.max_lines.min(2);
    let node_h = 12.0 + name_lines as f64 * f * 1.3 + small * 1.3 + 6.0;
    let terminal_r = f * 1.1;
    let layer_gap = 4.5 * f;
    let laid = layered(g);
    let width_of = |v: usize| match laid.vertices[v] {
        Vertex::Node(_) => node_w,
        Vertex::Start | Vertex::End => 2.0 * terminal_r,
        Vertex::Bend => bend_w,
    };
    let row_w = |l: &Vec<usize>| l.iter().map(|&v| width_of(v) + node_gap).sum::<f64>() - node_gap;
    let inner_w = laid.layers.iter().map(row_w).fold(node_w, f64::max);
    let back_room = if laid.routes.iter().any(|r| r.back) {
        7.0 * f
    } else {
        0.0
    };
    let mut c = Canvas::new();
    let title_size = f * 1.3;
    let title = g.title.clone();
    let width = 2.0 * margin + inner_w + back_room;
    let shown =
        super::layout::ellipsize(&title, (width - 2.0 * margin).max(200.0) / 1.1, title_size);
    let tw = text_width(&shown, title_size) * 1.1;
    c.place(
        "heading",
        Rect::new(margin, margin, tw, title_size * 1.3),
        None,
    );
    c.text(
        margin,
        margin + title_size,
        &shown,
        TextStyle::new(title_size).bold(),
    );
    let top = margin + title_size * 1.3 + 12.0;
    // Row heights: the start and end rows are only as tall as their circles.
    let row_h = |li: usize| {
        if laid.layers[li]
            .iter()
            .all(|&v| matches!(laid.vertices[v], Vertex::Start | Vertex::End | Vertex::Bend))
            && laid.layers[li]
                .iter()
                .any(|&v| !matches!(laid.vertices[v], Vertex::Bend))
        {
            2.0 * terminal_r
        } else {
            node_h
        }
    };
    let mut row_y = Vec::with_capacity(laid.layers.len());
    let mut y = top;
    for li in 0..laid.layers.len() {
        row_y.push(y);
        y += row_h(li) + layer_gap;
    }
    let bottom = y - layer_gap;
    let mut rect = vec![Rect::new(0.0, 0.0, 0.0, 0.0); laid.vertices.len()];
    for (li, l) in laid.layers.iter().enumerate() {
        let mut x = margin + (inner_w - row_w(l)) / 2.0;
        for &v in l {
            let w = width_of(v);
            let h = match laid.vertices[v] {
                Vertex::Node(_) => node_h,
                Vertex::Start | Vertex::End => 2.0 * terminal_r,
                Vertex::Bend => row_h(li),
            };
            rect[v] = Rect::new(x, row_y[li] + (row_h(li) - h) / 2.0, w, h);
            x += w + node_gap;
        }
    }
    // Ports spread along the bottom and top of each vertex, ordered by where the edge goes.
    let mut outs: Vec<Vec<(usize, usize)>> = vec![Vec::new(); laid.vertices.len()];
    let mut ins: Vec<Vec<(usize, usize)>> = vec![Vec::new(); laid.vertices.len()];
    for (k, r) in laid.routes.iter().enumerate() {
        if r.back {
            continue;
        }
        for (i, w) in r.path.windows(2).enumerate() {
            outs[w[0]].push((k, i));
            ins[w[1]].push((k, i));
        }
    }
    let centre = |v: usize| rect[v].x + rect[v].w / 2.0;
    for v in 0..laid.vertices.len() {
        let route = &laid.routes;
        outs[v].sort_by(|a, b| {
            centre(route[a.0].path[a.1 + 1])
                .total_cmp(&centre(route[b.0].path[b.1 + 1]))
                .then(a.cmp(b))
        });
        ins[v].sort_by(|a, b| {
            centre(route[a.0].path[a.1])
                .total_cmp(&centre(route[b.0].path[b.1]))
                .then(a.cmp(b))
        });
    }
    let port = |list: &[(usize, usize)], key: (usize, usize), v: usize| {
        let r = rect[v];
        if !matches!(laid.vertices[v], Vertex::Node(_)) {
            return r.x + r.w / 2.0;
        }
        let i = list.iter().position(|&x| x == key).unwrap_or(0);
        r.x + r.w * (i as f64 + 1.0) / (list.len() as f64 + 1.0)
    };
    let mut occupied: Vec<Rect> = (0..laid.vertices.len())
        .filter(|&v| !matches!(laid.vertices[v], Vertex::Bend))
        .map(|v| rect[v])
        .collect();
    let mut labels: Vec<(Rect, String)> = Vec::new();
    c.open("edges", Some("Directly-follows edges"));
    for (k, r) in laid.routes.iter().enumerate() {
        // The curve pieces of the route.
        let mut pieces: Vec<[(f64, f64); 4]> = Vec::new();
        if r.self_loop {
            let s = rect[r.path[0]];
            let (x, y) = (s.right(), s.y + s.h / 2.0);
            pieces.push([
                (x, y - 8.0),
                (x + 3.0 * f, y - 3.0 * f),
                (x + 3.0 * f, y + 3.0 * f),
                (x + 1.0, y + 8.0),
            ]);
        } else if r.back {
            let (s, t) = (rect[r.path[0]], rect[r.path[1]]);
            let bulge = margin + inner_w + back_room * 0.75 - s.right().max(t.right());
            let (y1, y2) = (s.y + s.h / 2.0, t.y + t.h / 2.0);
            pieces.push([
                (s.right(), y1),
                (s.right() + bulge, y1),
                (t.right() + bulge, y2),
                (t.right() + 1.0, y2),
            ]);
        } else {
            for (i, w) in r.path.windows(2).enumerate() {
                let (a, b) = (w[0], w[1]);
                let x1 = port(&outs[a], (k, i), a);
                let x2 = port(&ins[b], (k, i), b);
                let y1 = rect[a].bottom();
                let y2 = rect[b].y - if i + 2 == r.path.len() { 1.0 } else { 0.0 };
                let dy = (y2 - y1) * 0.5;
                pieces.push([(x1, y1), (x1, y1 + dy), (x2, y2 - dy), (x2, y2)]);
                if matches!(laid.vertices[b], Vertex::Bend) {
                    let (bx, bt, bb) = (x2, rect[b].y, rect[b].bottom());
                    pieces.push([(bx, bt), (bx, bt), (bx, bb), (bx, bb)]);
                }
            }
        }
        let mut d = String::new();
        for (i, p) in pieces.iter().enumerate() {
            if i == 0 {
                d += &format!("M{} {}", num(p[0].0), num(p[0].1));
            }
            d += &format!(
                " C{} {} {} {} {} {}",
                num(p[1].0),
                num(p[1].1),
                num(p[2].0),
                num(p[2].1),
                num(p[3].0),
                num(p[3].1)
            );
        }
        c.open("edge", Some(&r.title));
        let dash = if r.back || r.self_loop {
            "stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        c.path(&d, "none", "#4D4D4D", 1.0 + 4.0 * r.weight, dash);
        let last = pieces[pieces.len() - 1];
        let (x, y) = last[3];
        let (dx, dy) = (x - last[2].0, y - last[2].1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        let (bx, by) = (x - ux * 8.0, y - uy * 8.0);
        c.polygon(
            &[
                (x, y),
                (bx - uy * 4.0, by + ux * 4.0),
                (bx + uy * 4.0, by - ux * 4.0),
            ],
            palette::INK,
            palette::INK,
        );
        c.close();
        if r.label.is_empty() {
            continue;
        }
        // The label where it collides with nothing: along the pieces, nearest their middles first.
        let w = text_width(&r.label, small) * 1.1 + 6.0;
        let h = small * 1.4;
        let mut tries = Vec::new();
        let mid = pieces.len() / 2;
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        order.sort_by_key(|&i| (i as i64 - mid as i64).abs());
        for i in order {
            for t in [0.5, 0.35, 0.65, 0.2, 0.8] {
                tries.push(bezier(&pieces[i], t));
            }
        }
        let mut chosen = None;
        'search: for &(x, y) in &tries {
            for dx in [0.0, w * 0.6, -w * 0.6] {
                let cand = Rect::new(x - w / 2.0 + dx, y - h / 2.0, w, h);
                if occupied.iter().all(|o| !o.overlaps(&cand)) {
                    chosen = Some(cand);
                    break 'search;
                }
            }
        }
        let cand = chosen.unwrap_or_else(|| {
            let (x, y) = tries[0];
            Rect::new(x - w / 2.0, y - h / 2.0, w, h)
        });
        occupied.push(cand);
        labels.push((cand, r.label.clone()));
    }
    c.close();
    c.open("edge-labels", None);
    for (r, text) in &labels {
        c.place("edge_label", *r, None);
        c.rect(*r, palette::PAPER, palette::RULE, 3.0, "");
        c.text(
            r.x + r.w / 2.0,
            r.y + small * 1.05,
            text,
            TextStyle::new(small).anchor(Anchor::Middle),
        );
    }
    c.close();
    c.open("nodes", Some("Activities"));
    for (v, kind) in laid.vertices.iter().enumerate() {
        let r = rect[v];
        match *kind {
            Vertex::Node(i) => {
                let node = &g.nodes[i];
                let id = c.place("activity", r, None);
                let fill = palette::sequential(0.08 + 0.4 * node.weight);
                c.open(
                    "activity",
                    Some(&format!("{}: {}", node.label, node.detail)),
                );
                c.rect(r, &fill, palette::BLUE, 5.0, "stroke-width=\"1.5\"");
                let lines = wrap(&node.label, (node_w - 14.0) / 1.1, f, name_lines);
                let lw = lines
                    .iter()
                    .map(|l| text_width(l, f) * 1.1)
                    .fold(0.0, f64::max);
                let ty = r.y + 8.0;
                c.place(
                    "text",
                    Rect::new(r.x + (r.w - lw) / 2.0, ty, lw, lines.len() as f64 * f * 1.3),
                    Some(id),
                );
                c.text_lines(
                    r.x + r.w / 2.0,
                    ty + f,
                    &lines,
                    f * 1.3,
                    TextStyle::new(f).bold().anchor(Anchor::Middle),
                );
                let dy = r.y + 10.0 + name_lines as f64 * f * 1.3 + small;
                c.text(
                    r.x + r.w / 2.0,
                    dy,
                    &node.detail,
                    TextStyle::new(small).anchor(Anchor::Middle).fill("#333333"),
                );
                c.close();
            }
            Vertex::Start | Vertex::End => {
                let name = if *kind == Vertex::Start {
                    "Start"
                } else {
                    "End"
                };
                c.place("terminal", r, None);
                c.circle(
                    r.x + r.w / 2.0,
                    r.y + r.h / 2.0,
                    terminal_r,
                    palette::INK,
                    "none",
                    Some(&format!("{name} of the cases")),
                );
                c.text(
                    r.x + r.w / 2.0,
                    r.y + r.h / 2.0 + small * 0.35,
                    &name[..1],
                    TextStyle::new(small)
                        .bold()
                        .anchor(Anchor::Middle)
                        .fill(palette::PAPER),
                );
            }
            Vertex::Bend => {}
        }
    }
    c.close();
    let height = labels
        .iter()
        .map(|(r, _)| r.bottom() + 4.0)
        .fold(bottom + margin, f64::max);
    let width = labels
        .iter()
        .map(|(r, _)| r.right() + 4.0)
        .fold(width, f64::max);
    let _ = &laid.layer;
    let desc = format!(
        "{} activities, {} edges shown.",
        g.nodes.len(),
        g.edges.len()
    );
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
            let o = RenderOptions {
                labels,
                ..RenderOptions::default()
            };
            let d = flow_graph_drawing(&p, &o);
            assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
            assert_eq!(
                d.layout
                    .boxes
                    .iter()
                    .filter(|b| b.role == "activity")
                    .count(),
                10
            );
        }
    }

    #[test]
    fn max_edges_keeps_the_frequent_edges_and_every_activity_connected() {
        let p = sample();
        let all = |max_edges| RenderOptions {
            max_edges,
            ..RenderOptions::default()
        };
        let every = dfg_graph(&p, &all(None));
        assert_eq!(every.edges.len(), p.dfg.len());
        let few = dfg_graph(&p, &all(Some(3)));
        assert!(few.edges.len() < p.dfg.len(), "{}", few.edges.len());
        assert!(
            few.title.ends_with(&format!(
                "; {} of {} edges (max_edges)",
                few.edges.len(),
                p.dfg.len()
            )),
            "{}",
            few.title
        );
        // Each activity with an outgoing (incoming) pair keeps its most frequent one.
        for (n, node) in few.nodes.iter().enumerate() {
            let best_out = p
                .dfg
                .iter()
                .filter(|e| e.source == node.id)
                .map(|e| e.count)
                .max();
            let kept_out = few
                .edges
                .iter()
                .filter(|e| e.source == n)
                .map(|e| e.weight)
                .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))));
            assert_eq!(best_out.is_some(), kept_out.is_some(), "{}", node.id);
            let best_in = p
                .dfg
                .iter()
                .filter(|e| e.target == node.id)
                .map(|e| e.count)
                .max();
            assert_eq!(
                best_in.is_some(),
                few.edges.iter().any(|e| e.target == n),
                "{}",
                node.id
            );
        }
        // The limit, once connectivity is met, takes the most frequent of the rest.
        assert!(few.edges.len() < p.dfg.len());
        let some = dfg_graph(&p, &all(Some(few.edges.len() + 1)));
        assert_eq!(some.edges.len(), few.edges.len() + 1);
        assert_eq!(dfg_graph(&p, &all(Some(p.dfg.len()))).title, every.title);
    }

    #[test]
    fn threshold_thins_edges() {
        let p = sample();
        let all = dfg_graph(&p, &RenderOptions::default()).edges.len();
        let o = RenderOptions {
            edge_threshold: 0.5,
            ..RenderOptions::default()
        };
        let some = dfg_graph(&p, &o).edges.len();
        assert!(some < all && some > 0, "{some} of {all}");
        let max = p.dfg.iter().map(|e| e.count).max().unwrap();
        assert_eq!(
            some,
            p.dfg
                .iter()
                .filter(|e| e.count as f64 >= 0.5 * max as f64)
                .count()
        );
    }
}
