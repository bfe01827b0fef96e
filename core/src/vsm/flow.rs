//! Flow arithmetic over a [`Routing`]: how often each step is visited per unit that enters,
//! and the chance a unit passes every step without correction.
//!
//! Work moving between steps is an absorbing Markov chain (the end absorbs). With `P` the
//! transition shares between steps, the expected visits `v` of a unit entering at step 0 solve
//! `(I − Pᵀ) v = e₀`. On a linear flow every visit is 1.

use super::ReworkModel;
use crate::model::routing::Routing;

type Table = [Vec<(usize, f64)>];

/// An LU factorisation with partial pivoting of a square matrix, solved for many right-hand sides.
pub(crate) struct Lu {
    a: Vec<Vec<f64>>,
    perm: Vec<usize>,
}

impl Lu {
    /// Factors `a`; `None` when it is singular.
    pub(crate) fn new(mut a: Vec<Vec<f64>>) -> Option<Lu> {
        let n = a.len();
        let mut perm: Vec<usize> = (0..n).collect();
        for col in 0..n {
            let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
            if a[pivot][col].abs() < 1e-12 {
                return None;
            }
            a.swap(col, pivot);
            perm.swap(col, pivot);
            for row in col + 1..n {
                let f = a[row][col] / a[col][col];
                a[row][col] = f;
                if f != 0.0 {
                    let (upper, lower) = a.split_at_mut(row);
                    for (x, y) in lower[0][col + 1..].iter_mut().zip(&upper[col][col + 1..]) {
                        *x -= f * y;
                    }
                }
            }
        }
        Some(Lu { a, perm })
    }

    /// Solves `a x = b`.
    pub(crate) fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = b.len();
        let mut x: Vec<f64> = self.perm.iter().map(|&i| b[i]).collect();
        for row in 0..n {
            let s: f64 = (0..row).map(|k| self.a[row][k] * x[k]).sum();
            x[row] -= s;
        }
        for row in (0..n).rev() {
            let s: f64 = (row + 1..n).map(|k| self.a[row][k] * x[k]).sum();
            x[row] = (x[row] - s) / self.a[row][row];
        }
        x
    }
}

/// Solves `a x = b`; `None` when `a` is singular.
pub(crate) fn solve(a: Vec<Vec<f64>>, b: Vec<f64>) -> Option<Vec<f64>> {
    Lu::new(a).map(|lu| lu.solve(&b))
}

/// Expected visits per unit for any entry step: the factorised `(I − Pᵀ)`.
pub(crate) struct Visits(Lu);

impl Visits {
    pub(crate) fn new(table: &Table) -> Visits {
        let n = table.len();
        let mut a = identity(n);
        for (i, out) in table.iter().enumerate() {
            for &(j, p) in out {
                a[j][i] -= p;
            }
        }
        Visits(Lu::new(a).expect("a validated routing always reaches the end"))
    }

    /// Expected visits of each step for units entering as `starts` says (one per step index).
    pub(crate) fn for_starts(&self, starts: &[f64]) -> Vec<f64> {
        self.0.solve(starts)
    }
}

fn unit(n: usize, i: usize) -> Vec<f64> {
    let mut e = vec![0.0; n];
    e[i] = 1.0;
    e
}

/// Expected visits of each step for one unit entering at `start`.
pub(crate) fn visits(table: &Table, start: usize) -> Vec<f64> {
    Visits::new(table).for_starts(&unit(table.len(), start))
}

/// Expected visits under a rework model.
///
/// `SinglePass` (the ladder of *Learning to See*, METRICS.md): a reworked unit re-enters at the
/// loop's target once and then flows on without being sent back again. A loop of share `r` from
/// `from` to `to` adds `r · v(from) · (V_to − V_from + e_from)`, where `V_x` are the visits of a
/// unit starting at `x`: on a linear flow, `r` × the steps from `to` through `from`.
/// `Geometric`: a reworked unit can be sent back again, as often as the shares say (the exact
/// absorbing chain; `1 ÷ (1 − r)` visits on a simple loop).
pub(crate) fn rework_visits(routing: &Routing, model: ReworkModel) -> Vec<f64> {
    match model {
        ReworkModel::Geometric => visits(&routing.full(), 0),
        ReworkModel::SinglePass => {
            // The added visits are linear in the start vectors, so all loops share one solve:
            // Σ c (V_to − V_from) = N Σ c (e_to − e_from), with c = r · v(from).
            let chain = Visits::new(&routing.base);
            let base = chain.for_starts(&unit(routing.len(), 0));
            let mut starts = vec![0.0; routing.len()];
            let mut stays = vec![0.0; routing.len()];
            for &(from, to, share) in &routing.rework {
                let c = share * base[from];
                starts[to] += c;
                starts[from] -= c;
                stays[from] += c;
            }
            let extra = chain.for_starts(&starts);
            (0..base.len())
                .map(|i| base[i] + extra[i] + stays[i])
                .collect()
        }
    }
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

    #[test]
    fn single_pass_follows_the_routing_after_rework() {
        // 0 -> 1 (1%) | 2 (99%); 1 -> 2; 1% of step 1 goes back to step 0, which mostly bypasses step 1.
        let routing = Routing {
            base: vec![vec![(1, 0.01), (2, 0.99)], vec![(2, 1.0)], vec![]],
            rework: vec![(1, 0, 0.01)],
        };
        let v = rework_visits(&routing, ReworkModel::SinglePass);
        // extra = 0.01 (share) x 0.01 (visits of step 1) x (V_0 - V_1 + e_1) = 1e-4 x [1, 0.01, 0]
        let expected = [1.0001, 0.010001, 1.0];
        for (a, e) in v.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{v:?}");
        }
    }
}
