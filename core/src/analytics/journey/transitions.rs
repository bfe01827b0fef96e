//! The transition graph, as retentioneering defines it (`Eventstream.transition_graph`): nodes
//! are activities, an edge A → B is a transition from an event of A to the very next event of
//! the same case, of B.
//!
//! Edge weights (`weight`): `transitions`, the number of A → B transitions (retentioneering's
//! `edges_weight_col="event_id"`), or `cases`, the number of cases having at least one
//! (`"user_id"`). Normalisation (`normalization`): `none`; `full`, divided by all transitions
//! (weight `transitions`) or by all cases of the log (weight `cases`); `node`, divided by the
//! transitions out of A, or by the cases having a transition out of A. Node weights are the
//! events of each activity and the cases having one. With `start_end`, each path begins with a
//! `path_start` node and ends with a `path_end` node, as after retentioneering's `add_start_end`
//! (its version-5 `transition_graph_data` always adds them: then `node` normalisation of
//! transitions is its `proba_out` and `full` its `share_of_total`).
//!
//! Sessions (`session_attribute`: an event attribute holding each event's session id, unique
//! within its case; events without one share a session): weight `sessions` counts the sessions
//! having the transition *within* the session (retentioneering's `edges_weight_col="session_id"`:
//! transitions across a session boundary count for no session); `full` divides by all sessions,
//! `node` by the sessions having a within-session transition out of A (0 when none).
//!
//! ```
//! use journeystream::analytics::journey::transitions::{transition_graph, Normalization, TransitionRequest, Weight};
//! use journeystream::log::{AttrValue, LogBuilder};
//! let mut b = LogBuilder::new();
//! // retentioneering's example: user1 A B A C A B, user2 A B C C C, user3 C D C D C D
//! for (case, path) in [("u1", "ABACAB"), ("u2", "ABCCC"), ("u3", "CDCDCD")] {
//!     for (t, a) in path.chars().enumerate() {
//!         b.push(case, &a.to_string(), t as i64)?;
//!     }
//! }
//! let log = b.finish().unwrap();
//! let edge = |g: &journeystream::analytics::journey::transitions::TransitionGraph, f: &str, t: &str| {
//!     g.edges.iter().find(|e| e.from == f && e.to == t).unwrap().weight
//! };
//! let g = transition_graph(&log, &TransitionRequest { weight: Weight::Transitions, normalization: Normalization::Full, start_end: false, session_attribute: None })?;
//! assert_eq!((g.transitions, edge(&g, "A", "B")), (14, 3.0 / 14.0));
//! let g = transition_graph(&log, &TransitionRequest { weight: Weight::Cases, normalization: Normalization::Node, start_end: false, session_attribute: None })?;
//! assert_eq!(edge(&g, "C", "D"), 1.0 / 3.0); // of the 3 cases leaving C, 1 goes to D
//!
//! // The same paths in sessions (retentioneering's colours): u1 AB | AC | AB, u2 AB | CCC, u3 CDCDCD.
//! let mut b = LogBuilder::new();
//! for (case, sessions) in [("u1", vec!["AB", "AC", "AB"]), ("u2", vec!["AB", "CCC"]), ("u3", vec!["CDCDCD"])] {
//!     let mut t = 0;
//!     for (s, part) in sessions.iter().enumerate() {
//!         for a in part.chars() {
//!             let e = b.push(case, &a.to_string(), t)?;
//!             b.set_event_attribute(e, "session", AttrValue::Integer(s as i64));
//!             t += 1;
//!         }
//!     }
//! }
//! let log = b.finish().unwrap();
//! let r = |normalization| TransitionRequest {
//!     weight: Weight::Sessions, normalization, session_attribute: Some("session".into()), ..Default::default()
//! };
//! let g = transition_graph(&log, &r(Normalization::None))?;
//! assert_eq!((g.sessions, edge(&g, "A", "B"), edge(&g, "B", "A")), (Some(6), 3.0, 0.0));
//! assert_eq!(edge(&transition_graph(&log, &r(Normalization::Full))?, "A", "B"), 0.5);
//! let g = transition_graph(&log, &r(Normalization::Node))?;
//! assert_eq!((edge(&g, "A", "B"), edge(&g, "C", "C"), edge(&g, "B", "C")), (0.75, 0.5, 0.0));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::{remap, unify_codes, value_codes};
use crate::analytics::partial::over_cases;
use crate::error::{Error, Result};
use crate::log::{EventLog, Interner};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// What an edge's weight counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    /// Transitions (the default).
    #[default]
    Transitions,
    /// Cases with the transition.
    Cases,
    /// Sessions with the transition within them (needs `session_attribute`).
    Sessions,
}

/// How edge weights are normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    /// Raw counts (the default).
    #[default]
    None,
    /// Over the whole log.
    Full,
    /// Over the source node.
    Node,
}

/// The `transition_graph` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    #[serde(default)]
    pub weight: Weight,
    #[serde(default)]
    pub normalization: Normalization,
    /// Adds a `path_start` node before each case's first event and a `path_end` node after its
    /// last (retentioneering's `add_start_end`; its version 5 graphs always have them).
    #[serde(default)]
    pub start_end: bool,
    /// The event attribute holding session ids (for weight `sessions`).
    #[serde(default)]
    pub session_attribute: Option<String>,
}

/// Codes of the `path_start` and `path_end` nodes (outside every dictionary).
const PATH_START: u32 = u32::MAX - 1;
const PATH_END: u32 = u32::MAX - 2;

/// A node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub activity: String,
    pub events: u64,
    pub cases: u64,
}

/// An edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// The requested weight, normalised.
    pub weight: f64,
    pub transitions: u64,
    pub cases: u64,
    /// Sessions with the transition within them (none without `session_attribute`).
    pub sessions: Option<u64>,
}

/// A transition graph; nodes sorted by activity, edges by (from, to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitionGraph {
    pub weight: Weight,
    pub normalization: Normalization,
    pub cases: u64,
    /// Sessions (none without `session_attribute`).
    pub sessions: Option<u64>,
    pub transitions: u64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The mergeable partial of a [`TransitionGraph`].
///
/// ```
/// use journeystream::analytics::journey::transitions::{TransitionPartial, TransitionRequest};
/// use journeystream::log::LogBuilder;
/// let mut b = LogBuilder::new();
/// for (case, a, t) in [("1", "a", 0), ("1", "b", 1), ("2", "b", 0), ("2", "a", 1)] {
///     b.push(case, a, t)?;
/// }
/// let log = b.finish().unwrap();
/// let r = TransitionRequest { start_end: true, ..Default::default() };
/// let parts = TransitionPartial::of_cases(&log, &r, 0..1)?.merge(TransitionPartial::of_cases(&log, &r, 1..2)?);
/// let g = parts.finish(&r);
/// assert_eq!(g, TransitionPartial::of_log(&log, &r)?.finish(&r));
/// assert_eq!(g.transitions, 6); // path_start > a > b > path_end, path_start > b > a > path_end
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionPartial {
    activities: Arc<Interner>,
    cases: u64,
    sessions: u64,
    /// (from, to) → [transitions, cases, sessions].
    edges: FxHashMap<(u32, u32), [u64; 3]>,
    /// code → [events, cases, transitions out, cases with a transition out, sessions with one].
    nodes: FxHashMap<u32, [u64; 5]>,
}

/// A request bound to a log: its session codes, if any.
struct Bound<'a> {
    start_end: bool,
    sessions: Option<Cow<'a, [u32]>>,
}

impl<'a> Bound<'a> {
    fn new(log: &'a EventLog, r: &TransitionRequest) -> Result<Bound<'a>> {
        let sessions = match &r.session_attribute {
            None if r.weight == Weight::Sessions => {
                return Err(Error::MissingData {
                    path: "session_attribute".into(),
                    what: "the event attribute of session ids (weight sessions needs it)".into(),
                })
            }
            None => None,
            Some(name) => Some(value_codes(log.event_column(name, "session_attribute")?).0),
        };
        Ok(Bound {
            start_end: r.start_end,
            sessions,
        })
    }
}

impl TransitionPartial {
    fn empty(activities: Arc<Interner>) -> TransitionPartial {
        TransitionPartial {
            activities,
            cases: 0,
            sessions: 0,
            edges: FxHashMap::default(),
            nodes: FxHashMap::default(),
        }
    }

    fn add(&mut self, log: &EventLog, bound: &Bound<'_>, cases: Range<usize>) {
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut triples: Vec<(u32, u32, u32)> = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        let mut path: Vec<u32> = Vec::new();
        let mut session: Vec<u32> = Vec::new();
        for c in cases {
            let case = log.case(c);
            let mut acts = case.activities();
            let mut sess: &[u32] = match &bound.sessions {
                Some(codes) => &codes[case.events()],
                None => &[],
            };
            if bound.start_end {
                path.clear();
                path.push(PATH_START);
                path.extend_from_slice(acts);
                path.push(PATH_END);
                acts = &path;
                if !sess.is_empty() {
                    session.clear();
                    session.push(sess[0]);
                    session.extend_from_slice(sess);
                    session.push(sess[sess.len() - 1]);
                    sess = &session;
                }
            }
            self.cases += 1;
            pairs.clear();
            triples.clear();
            for (i, w) in acts.windows(2).enumerate() {
                self.edges.entry((w[0], w[1])).or_default()[0] += 1;
                self.nodes.entry(w[0]).or_default()[2] += 1;
                pairs.push((w[0], w[1]));
                if !sess.is_empty() && sess[i] == sess[i + 1] {
                    triples.push((sess[i], w[0], w[1]));
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            for (i, p) in pairs.iter().enumerate() {
                self.edges.entry(*p).or_default()[1] += 1;
                if i == 0 || pairs[i - 1].0 != p.0 {
                    self.nodes.entry(p.0).or_default()[3] += 1;
                }
            }
            triples.sort_unstable();
            triples.dedup();
            for (i, &(s, a, b)) in triples.iter().enumerate() {
                self.edges.entry((a, b)).or_default()[2] += 1;
                if i == 0 || (triples[i - 1].0, triples[i - 1].1) != (s, a) {
                    self.nodes.entry(a).or_default()[4] += 1;
                }
            }
            if !sess.is_empty() {
                seen.clear();
                seen.extend_from_slice(sess);
                seen.sort_unstable();
                seen.dedup();
                self.sessions += seen.len() as u64;
            }
            for &a in acts {
                self.nodes.entry(a).or_default()[0] += 1;
            }
            seen.clear();
            seen.extend_from_slice(acts);
            seen.sort_unstable();
            seen.dedup();
            for &a in &seen {
                self.nodes.entry(a).or_default()[1] += 1;
            }
        }
    }

    /// The partial of cases `cases` of `log`.
    pub fn of_cases(
        log: &EventLog,
        r: &TransitionRequest,
        cases: Range<usize>,
    ) -> Result<TransitionPartial> {
        let bound = Bound::new(log, r)?;
        let mut p = TransitionPartial::empty(log.activity_dictionary().clone());
        p.add(log, &bound, cases);
        Ok(p)
    }

    /// The partial of a whole log, on all cores.
    pub fn of_log(log: &EventLog, r: &TransitionRequest) -> Result<TransitionPartial> {
        let bound = Bound::new(log, r)?;
        let dict = log.activity_dictionary().clone();
        Ok(over_cases(
            log,
            || TransitionPartial::empty(dict.clone()),
            |p, log, cases| p.add(log, &bound, cases),
            TransitionPartial::merge,
        ))
    }

    /// Combines with the partial of other cases.
    pub fn merge(mut self, other: TransitionPartial) -> TransitionPartial {
        let map = unify_codes(&mut self.activities, &other.activities);
        let m = map.as_deref();
        self.cases += other.cases;
        self.sessions += other.sessions;
        for ((a, b), v) in other.edges {
            let e = self.edges.entry((node(m, a), node(m, b))).or_default();
            for (x, y) in e.iter_mut().zip(v) {
                *x += y;
            }
        }
        for (a, v) in other.nodes {
            let n = self.nodes.entry(node(m, a)).or_default();
            for (x, y) in n.iter_mut().zip(v) {
                *x += y;
            }
        }
        self
    }

    /// The graph with the requested weights.
    pub fn finish(self, r: &TransitionRequest) -> TransitionGraph {
        let name = |c: u32| match c {
            PATH_START => "path_start".to_string(),
            PATH_END => "path_end".to_string(),
            _ => self.activities.get(c).to_string(),
        };
        let transitions: u64 = self.edges.values().map(|v| v[0]).sum();
        let with_sessions = r.session_attribute.is_some();
        let k = match r.weight {
            Weight::Transitions => 0,
            Weight::Cases => 1,
            Weight::Sessions => 2,
        };
        let mut edges: Vec<Edge> = self
            .edges
            .iter()
            .filter(|(_, v)| v[0] > 0)
            .map(|(&(a, b), v)| {
                let denominator = match (r.normalization, r.weight) {
                    (Normalization::None, _) => 1,
                    (Normalization::Full, Weight::Transitions) => transitions,
                    (Normalization::Full, Weight::Cases) => self.cases,
                    (Normalization::Full, Weight::Sessions) => self.sessions,
                    (Normalization::Node, _) => self.nodes[&a][2 + k],
                };
                Edge {
                    from: name(a),
                    to: name(b),
                    weight: if denominator == 0 {
                        0.0
                    } else {
                        v[k] as f64 / denominator as f64
                    },
                    transitions: v[0],
                    cases: v[1],
                    sessions: with_sessions.then_some(v[2]),
                }
            })
            .collect();
        edges.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
        let mut nodes: Vec<Node> = self
            .nodes
            .iter()
            .filter(|(_, v)| v[0] > 0)
            .map(|(&a, v)| Node {
                activity: name(a),
                events: v[0],
                cases: v[1],
            })
            .collect();
        nodes.sort_by(|x, y| x.activity.cmp(&y.activity));
        TransitionGraph {
            weight: r.weight,
            normalization: r.normalization,
            cases: self.cases,
            sessions: with_sessions.then_some(self.sessions),
            transitions,
            nodes,
            edges,
        }
    }
}

/// A node's code mapped into the merged dictionary (path start and end kept).
fn node(map: Option<&[u32]>, c: u32) -> u32 {
    if c == PATH_START || c == PATH_END {
        c
    } else {
        remap(map, c)
    }
}

/// The transition graph of a log, on all cores.
pub fn transition_graph(log: &EventLog, r: &TransitionRequest) -> Result<TransitionGraph> {
    Ok(TransitionPartial::of_log(log, r)?.finish(r))
}
