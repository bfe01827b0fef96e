//! Process drift: the variants and the directly-follows graph of the cases before a time against
//! those after it, a distance for each with a permutation test, and what changed most.
//!
//! A case belongs to `before` when its first event is earlier than `split_at`, else to `after`.
//! The distances are total variation distances, ½ Σ |pᵢ − qᵢ| (0: the same mix, 1: nothing in
//! common), between
//!
//! - the shares of cases of each variant (activity sequence), and
//! - the shares of directly-follows transitions of each edge (a → b).
//!
//! The p-value of each is that of a permutation test: the cases' before/after labels are shuffled
//! `resamples` times (seeded), and p = (1 + #{permuted distance ≥ observed}) / (1 + resamples).
//! The lists give the variants and edges whose share changed most (after − before), `top` each.
//!
//! ```
//! use journeystream::analytics::monitor::drift::{process_drift, DriftRequest};
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! for i in 0..40 {
//!     let path = if i < 20 { ["a", "b", "c"] } else { ["a", "c", "b"] };
//!     for (k, act) in path.iter().enumerate() {
//!         b.push(&format!("c{i}"), act, i * 1_000 + k as i64)?;
//!     }
//! }
//! let mut r = DriftRequest::new("1970-01-01T00:00:00.00002Z");
//! r.resamples = 199;
//! let d = process_drift(&b.finish()?, &r)?;
//! assert_eq!((d.cases_before, d.cases_after), (20, 20));
//! assert_eq!(d.variant_distance, 1.0);
//! assert!(d.variant_p_value < 0.01);
//! let new = d.variants.iter().find(|v| v.path == "a > c > b").unwrap();
//! assert_eq!((new.before, new.after, new.change), (0, 20, 1.0));
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::analytics::scores::parse_time;
use crate::analytics::stats::Rng;
use crate::error::{Error, Result};
use crate::log::EventLog;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The `process_drift` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftRequest {
    /// RFC 3339: cases starting earlier are `before`.
    pub split_at: String,
    /// Permutations (999; 99 to 100 000).
    #[serde(default = "resamples")]
    pub resamples: usize,
    #[serde(default)]
    pub seed: u64,
    /// Variants and edges listed (10).
    #[serde(default = "ten")]
    pub top: usize,
}

fn resamples() -> usize {
    999
}
fn ten() -> usize {
    10
}

impl DriftRequest {
    /// A request splitting at `split_at`, with 999 permutations.
    pub fn new(split_at: &str) -> DriftRequest {
        DriftRequest {
            split_at: split_at.into(),
            resamples: resamples(),
            seed: 0,
            top: ten(),
        }
    }
}

/// A variant or edge whose share changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareChange {
    /// `a > b > c` for a variant, `a > b` for an edge.
    pub path: String,
    pub before: u64,
    pub after: u64,
    pub before_share: f64,
    pub after_share: f64,
    /// after_share − before_share.
    pub change: f64,
}

/// The drift between the cases before and after a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    pub cases_before: u64,
    pub cases_after: u64,
    pub variant_distance: f64,
    pub variant_p_value: f64,
    pub edge_distance: f64,
    pub edge_p_value: f64,
    pub resamples: usize,
    /// Variants by |change|, largest first.
    pub variants: Vec<ShareChange>,
    /// Edges by |change|, largest first.
    pub edges: Vec<ShareChange>,
}

/// ½ Σ |a/na − b/nb| over the categories; 0 when a side is empty.
fn tvd(a: &[u64], b: &[u64], na: u64, nb: u64) -> f64 {
    if na == 0 || nb == 0 {
        return 0.0;
    }
    0.5 * a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 / na as f64 - y as f64 / nb as f64).abs())
        .sum::<f64>()
}

/// The drift of `log` at the request's time.
pub fn process_drift(log: &EventLog, request: &DriftRequest) -> Result<Drift> {
    let split = parse_time("split_at", &request.split_at)?;
    if !(99..=100_000).contains(&request.resamples) {
        return Err(Error::argument(
            "resamples",
            request.resamples,
            "must be 99 to 100000 (fewer cannot give a p-value below 0.01)",
        ));
    }
    let n = log.num_cases();
    // Per case: its variant, its edges, its side.
    let mut variant_ids: FxHashMap<&[u32], usize> = FxHashMap::default();
    let mut edge_ids: FxHashMap<(u32, u32), usize> = FxHashMap::default();
    let mut variant = Vec::with_capacity(n);
    let mut edge_start = vec![0usize];
    let mut edges: Vec<usize> = Vec::new();
    let mut after = Vec::with_capacity(n);
    for c in 0..n {
        let case = log.case(c);
        let acts = case.activities();
        let next = variant_ids.len();
        variant.push(*variant_ids.entry(acts).or_insert(next));
        for w in acts.windows(2) {
            let next = edge_ids.len();
            edges.push(*edge_ids.entry((w[0], w[1])).or_insert(next));
        }
        edge_start.push(edges.len());
        after.push(case.timestamps().first().is_some_and(|&t| t >= split));
    }
    let cases_after = after.iter().filter(|&&a| a).count() as u64;
    let cases_before = n as u64 - cases_after;
    if cases_before == 0 || cases_after == 0 {
        return Err(Error::MissingData {
            path: "split_at".into(),
            what: format!(
                "cases on both sides of {} ({cases_before} before, {cases_after} after)",
                request.split_at
            ),
        });
    }
    let (nv, ne) = (variant_ids.len(), edge_ids.len());
    let mut total_v = vec![0u64; nv];
    let mut total_e = vec![0u64; ne];
    for c in 0..n {
        total_v[variant[c]] += 1;
        for &e in &edges[edge_start[c]..edge_start[c + 1]] {
            total_e[e] += 1;
        }
    }
    let edges_total: u64 = total_e.iter().sum();
    // Distances when `side[c]` says which cases are after.
    let distances = |side: &[bool], av: &mut Vec<u64>, ae: &mut Vec<u64>| -> (f64, f64) {
        av.iter_mut().for_each(|x| *x = 0);
        ae.iter_mut().for_each(|x| *x = 0);
        let mut edges_after = 0u64;
        for c in 0..n {
            if side[c] {
                av[variant[c]] += 1;
                for &e in &edges[edge_start[c]..edge_start[c + 1]] {
                    ae[e] += 1;
                }
                edges_after += (edge_start[c + 1] - edge_start[c]) as u64;
            }
        }
        let bv: Vec<u64> = total_v.iter().zip(av.iter()).map(|(t, a)| t - a).collect();
        let be: Vec<u64> = total_e.iter().zip(ae.iter()).map(|(t, a)| t - a).collect();
        (
            tvd(&bv, av, cases_before, cases_after),
            tvd(&be, ae, edges_total - edges_after, edges_after),
        )
    };
    let (mut av, mut ae) = (vec![0u64; nv], vec![0u64; ne]);
    let (dv, de) = distances(&after, &mut av, &mut ae);
    let (after_v, after_e) = (av.clone(), ae.clone());
    let mut rng = Rng::new(request.seed);
    let mut shuffled = after.clone();
    let (mut beyond_v, mut beyond_e) = (0usize, 0usize);
    for _ in 0..request.resamples {
        for i in (1..n).rev() {
            shuffled.swap(i, rng.below(i + 1));
        }
        let (pv, pe) = distances(&shuffled, &mut av, &mut ae);
        beyond_v += (pv >= dv - 1e-12) as usize;
        beyond_e += (pe >= de - 1e-12) as usize;
    }
    let p = |k: usize| (1 + k) as f64 / (1 + request.resamples) as f64;
    let names = |codes: &[u32]| log.activities().path(codes);
    let edges_after: u64 = after_e.iter().sum();
    let changes = |labels: Vec<(usize, String)>,
                   total: &[u64],
                   after: &[u64],
                   (nb, na): (u64, u64)|
     -> Vec<ShareChange> {
        let mut list: Vec<ShareChange> = labels
            .into_iter()
            .map(|(i, path)| {
                let (a, b) = (after[i], total[i] - after[i]);
                let (bs, as_) = (b as f64 / nb.max(1) as f64, a as f64 / na.max(1) as f64);
                ShareChange {
                    path,
                    before: b,
                    after: a,
                    before_share: bs,
                    after_share: as_,
                    change: as_ - bs,
                }
            })
            .collect();
        list.sort_by(|x, y| {
            y.change
                .abs()
                .total_cmp(&x.change.abs())
                .then(x.path.cmp(&y.path))
        });
        list.truncate(request.top);
        list
    };
    let variant_labels = variant_ids.iter().map(|(k, &i)| (i, names(k))).collect();
    let edge_labels = edge_ids
        .iter()
        .map(|(&(a, b), &i)| (i, names(&[a, b])))
        .collect();
    Ok(Drift {
        cases_before,
        cases_after,
        variant_distance: dv,
        variant_p_value: p(beyond_v),
        edge_distance: de,
        edge_p_value: p(beyond_e),
        resamples: request.resamples,
        variants: changes(
            variant_labels,
            &total_v,
            &after_v,
            (cases_before, cases_after),
        ),
        edges: changes(
            edge_labels,
            &total_e,
            &after_e,
            (edges_total - edges_after, edges_after),
        ),
    })
}
