//! Flow arithmetic over a [`Routing`]: how often each step is visited per unit that enters,
//! and the chance a unit passes every step without correction.
//!
//! Work moving between steps is an absorbing Markov chain (the end absorbs). With `P` the
//! transition shares between steps, the expected visits `v` of a unit entering at step 0 solve
//! `(I − Pᵀ) v = e₀`. On a linear flow every visit is 1.

use super::ReworkModel;
use crate::model::routing::Routing;

type Table = [Vec<(usize, f64)>];

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` when singular.
pub(crate) fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            if f != 0.0 {
                for k in col..n {
                    a[row][k] -= f * a[col][k];
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

/// Expected visits of each step for one unit entering at `start`.
pub(crate) fn visits(table: &Table, start: usize) -> Vec<f64> {
    let n = table.len();
    let mut a = identity(n);
    for (i, out) in table.iter().enumerate() {
        for &(j, p) in out {
            a[j][i] -= p;
        }
    }
    let mut e = vec![0.0; n];
    e[start] = 1.0;
    solve(a, e).expect("a validated routing always reaches the end")
}

/// Expected visits under a rework model.
///
/// `SinglePass` (Learning to See's ladder, and the project's METRICS.md): each reworked unit
/// repeats the path from the loop's target back to its source once. `Geometric`: a reworked unit
/// can be sent back again, as often as the shares say (the exact Markov chain).
pub(crate) fn rework_visits(routing: &Routing, model: ReworkModel) -> Vec<f64> {
    match model {
        ReworkModel::Geometric => visits(&routing.full(), 0),
        ReworkModel::SinglePass => {
            let mut v = visits(&routing.base, 0);
            let base = v.clone();
            for &(from, to, share) in &routing.rework {
                let path = path_visits(&routing.base, to, from);
                for (vi, pi) in v.iter_mut().zip(path) {
                    *vi += share * base[from] * pi;
                }
            }
            v
        }
    }
}

/// Expected visits of each step on the way from `to` until `from` is reached, for units that do
/// reach it (the chain conditioned on hitting `from`); `from` itself counts once.
fn path_visits(table: &Table, to: usize, from: usize) -> Vec<f64> {
    let n = table.len();
    let mut out = vec![0.0; n];
    out[from] = 1.0;
    if to == from {
        return out;
    }
    // h(s) = P(reach `from` | at s), with `from` absorbing.
    let mut a = identity(n);
    let mut b = vec![0.0; n];
    for (s, edges) in table.iter().enumerate() {
        if s == from {
            continue;
        }
        for &(t, p) in edges {
            if t == from {
                b[s] += p;
            } else {
                a[s][t] -= p;
            }
        }
    }
    b[from] = 1.0;
    let h = solve(a, b).expect("a validated routing always reaches the end");
    // Conditioned chain: P'(s,t) = P(s,t) h(t) / h(s); visits from `to` before absorption at `from`.
    let mut a = identity(n);
    for (s, edges) in table.iter().enumerate() {
        if s == from || h[s] <= 1e-15 {
            continue;
        }
        for &(t, p) in edges {
            if t != from {
                a[t][s] -= p * h[t] / h[s];
            }
        }
    }
    let mut e = vec![0.0; n];
    e[to] = 1.0;
    let w = solve(a, e).expect("the conditioned chain is absorbing");
    for s in 0..n {
        if s != from {
            out[s] = w[s];
        }
    }
    out
}

/// The chance that a unit entering at step 0 passes every step it visits first time right:
/// `R(s) = c(s) × (exit(s) + Σ P(s,t) R(t))`, `R(0)` returned. On a linear flow, `Π c`.
pub(crate) fn rolled_pass_rate(table: &Table, pass: &[f64]) -> f64 {
    let n = table.len();
    let mut a = identity(n);
    let mut b = vec![0.0; n];
    for (s, edges) in table.iter().enumerate() {
        for &(t, p) in edges {
            a[s][t] -= pass[s] * p;
        }
        b[s] = pass[s] * Routing::exit_share(table, s);
    }
    solve(a, b).map(|r| r[0]).unwrap_or(0.0)
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linear(n: usize) -> Vec<Vec<(usize, f64)>> {
        (0..n)
            .map(|i| {
                if i + 1 < n {
                    vec![(i + 1, 1.0)]
                } else {
                    vec![]
                }
            })
            .collect()
    }

    #[test]
    fn linear_flow_visits_every_step_once() {
        assert_eq!(visits(&linear(4), 0), vec![1.0; 4]);
        assert!((rolled_pass_rate(&linear(3), &[0.9, 0.8, 0.5]) - 0.36).abs() < 1e-12);
    }

    #[test]
    fn branch_splits_visits() {
        // 0 -> 1 (70%) | 2 (30%); 1 -> 3; 2 -> 3
        let t = vec![
            vec![(1, 0.7), (2, 0.3)],
            vec![(3, 1.0)],
            vec![(3, 1.0)],
            vec![],
        ];
        let v = visits(&t, 0);
        assert!(
            (v[1] - 0.7).abs() < 1e-12 && (v[2] - 0.3).abs() < 1e-12 && (v[3] - 1.0).abs() < 1e-12
        );
        let r = rolled_pass_rate(&t, &[1.0, 0.9, 0.5, 1.0]);
        assert!((r - (0.7 * 0.9 + 0.3 * 0.5)).abs() < 1e-12);
    }

    #[test]
    fn rework_models_differ_as_hand_computed() {
        // 0 -> 1 -> 2, 20 % of step 2 goes back to step 1.
        let routing = Routing {
            base: linear(3),
            rework: vec![(2, 1, 0.2)],
        };
        let single = rework_visits(&routing, ReworkModel::SinglePass);
        assert_eq!(single, vec![1.0, 1.2, 1.2]);
        let geo = rework_visits(&routing, ReworkModel::Geometric);
        assert!(
            (geo[1] - 1.25).abs() < 1e-12
                && (geo[2] - 1.25).abs() < 1e-12
                && (geo[0] - 1.0).abs() < 1e-12
        );
    }
}
