//! Absorbing Markov chains: the probability of reaching (conversion) from (start), and the expected
//! conversion value, exactly (a linear solve, not simulation), with some states removed.
//!
//! Transient states are `0..n`, state 0 is (start). With Q the transitions among transient states,
//! b the one-step conversion probabilities and r the one-step expected conversion value, the
//! absorption vectors solve x = Q x + b and y = Q y + r. Removing states sends every transition
//! into them to (null): their x and y are 0 and they drop out of the system. Small systems are
//! solved by dense LU with partial pivoting, larger ones by Gauss–Seidel sweeps until the error
//! bound (from the observed contraction rate) is below 1e-14 relative.

use crate::error::{Error, Result};

/// Transient states up to which systems are solved by dense LU.
pub const DENSE_LIMIT: usize = 256;

/// An absorbing chain in compressed sparse rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// Row `s` of Q is `cols[row[s]..row[s + 1]]`, `probs[...]`.
    pub row: Vec<usize>,
    pub cols: Vec<u32>,
    pub probs: Vec<f64>,
    /// One-step probability of (conversion) from each state.
    pub conversion: Vec<f64>,
    /// One-step expected conversion value from each state.
    pub value: Vec<f64>,
}

impl Chain {
    /// Builds the chain from weighted transitions `(from, to, weight)` among `n` transient states
    /// and each state's weights into (conversion), (null) and its conversion value. Rows are
    /// normalised by their total weight; a state with no weight out absorbs into (null).
    ///
    /// ```
    /// use journeystream::analytics::attribution::chain::Chain;
    /// // start → a (2); a → conversion 1, null 1
    /// let c = Chain::from_weights(2, &[(0, 1, 2.0)], &[0.0, 1.0], &[0.0, 1.0], &[0.0, 30.0]);
    /// let (p, v) = c.absorb(&[false, false]).unwrap();
    /// assert_eq!((p, v), (0.5, 15.0));
    /// ```
    pub fn from_weights(
        n: usize,
        edges: &[(u32, u32, f64)],
        conversions: &[f64],
        nulls: &[f64],
        values: &[f64],
    ) -> Chain {
        let mut out: Vec<f64> = (0..n).map(|s| conversions[s] + nulls[s]).collect();
        let mut count = vec![0usize; n + 1];
        for &(f, _, w) in edges {
            out[f as usize] += w;
            count[f as usize + 1] += 1;
        }
        for s in 0..n {
            count[s + 1] += count[s];
        }
        let row = count.clone();
        let mut fill = count;
        let mut cols = vec![0u32; edges.len()];
        let mut probs = vec![0.0; edges.len()];
        for &(f, t, w) in edges {
            let k = &mut fill[f as usize];
            cols[*k] = t;
            probs[*k] = w / out[f as usize];
            *k += 1;
        }
        let norm = |s: usize, w: f64| if out[s] > 0.0 { w / out[s] } else { 0.0 };
        Chain {
            row,
            cols,
            probs,
            conversion: (0..n).map(|s| norm(s, conversions[s])).collect(),
            value: (0..n).map(|s| norm(s, values[s])).collect(),
        }
    }

    /// Number of transient states.
    pub fn len(&self) -> usize {
        self.conversion.len()
    }

    /// Whether the chain has no states.
    pub fn is_empty(&self) -> bool {
        self.conversion.is_empty()
    }

    /// P(conversion) and expected conversion value from (start) with the states flagged in
    /// `removed` sent to (null).
    pub fn absorb(&self, removed: &[bool]) -> Result<(f64, f64)> {
        if self.is_empty() || removed[0] {
            return Ok((0.0, 0.0));
        }
        let kept: Vec<usize> = (0..self.len()).filter(|&s| !removed[s]).collect();
        if kept.len() <= DENSE_LIMIT {
            Ok(self.dense(&kept, removed))
        } else {
            self.gauss_seidel(removed)
        }
    }

    /// Dense LU with partial pivoting on the kept states (`kept[0]` is the start).
    pub fn dense(&self, kept: &[usize], removed: &[bool]) -> (f64, f64) {
        let m = kept.len();
        let mut at = vec![usize::MAX; self.len()];
        for (i, &s) in kept.iter().enumerate() {
            at[s] = i;
        }
        // A = I − Q (row-major), two right-hand sides.
        let mut a = vec![0.0; m * m];
        let mut b = vec![[0.0; 2]; m];
        for (i, &s) in kept.iter().enumerate() {
            a[i * m + i] += 1.0;
            for k in self.row[s]..self.row[s + 1] {
                let t = self.cols[k] as usize;
                if !removed[t] {
                    a[i * m + at[t]] -= self.probs[k];
                }
            }
            b[i] = [self.conversion[s], self.value[s]];
        }
        for col in 0..m {
            let p = (col..m)
                .max_by(|&x, &y| a[x * m + col].abs().total_cmp(&a[y * m + col].abs()))
                .unwrap_or(col);
            if a[p * m + col] == 0.0 {
                continue; // a state that cannot be left: its row is 0 = 0
            }
            if p != col {
                for j in 0..m {
                    a.swap(p * m + j, col * m + j);
                }
                b.swap(p, col);
            }
            let d = a[col * m + col];
            for r in col + 1..m {
                let f = a[r * m + col] / d;
                if f != 0.0 {
                    for j in col..m {
                        a[r * m + j] -= f * a[col * m + j];
                    }
                    b[r][0] -= f * b[col][0];
                    b[r][1] -= f * b[col][1];
                }
            }
        }
        let mut x = vec![[0.0; 2]; m];
        for r in (0..m).rev() {
            let d = a[r * m + r];
            if d == 0.0 {
                continue;
            }
            let mut s = b[r];
            for j in r + 1..m {
                s[0] -= a[r * m + j] * x[j][0];
                s[1] -= a[r * m + j] * x[j][1];
            }
            x[r] = [s[0] / d, s[1] / d];
        }
        (x[0][0], x[0][1])
    }

    /// Gauss–Seidel sweeps (states in reverse order: journeys mostly flow to later-seen states)
    /// until the error bound δ·ρ/(1 − ρ) is below 1e-14 of the largest value, ρ the observed
    /// contraction of successive changes δ.
    pub fn gauss_seidel(&self, removed: &[bool]) -> Result<(f64, f64)> {
        let n = self.len();
        let mut x = vec![[0.0f64; 2]; n];
        let mut last = [f64::INFINITY; 2];
        let mut last_rho = [1.0f64; 2];
        for _sweep in 0..1_000_000 {
            let mut delta = [0.0f64; 2];
            let mut scale = [1e-300f64; 2];
            for s in (0..n).rev() {
                if removed[s] {
                    continue;
                }
                let mut v = [self.conversion[s], self.value[s]];
                let mut stay = 0.0;
                for k in self.row[s]..self.row[s + 1] {
                    let t = self.cols[k] as usize;
                    if t == s {
                        stay += self.probs[k];
                    } else if !removed[t] {
                        v[0] += self.probs[k] * x[t][0];
                        v[1] += self.probs[k] * x[t][1];
                    }
                }
                for i in 0..2 {
                    let new = if stay < 1.0 { v[i] / (1.0 - stay) } else { 0.0 };
                    delta[i] = delta[i].max((new - x[s][i]).abs());
                    scale[i] = scale[i].max(new.abs());
                    x[s][i] = new;
                }
            }
            // The contraction rate: the larger of the last two observed ratios.
            let rho = [0, 1].map(|i| (delta[i] / last[i]).max(last_rho[i]));
            let done = (0..2).all(|i| {
                delta[i] <= 1e-300
                    || delta[i] <= f64::EPSILON * scale[i]
                    || (rho[i] < 1.0 && delta[i] * rho[i] / (1.0 - rho[i]) <= 1e-14 * scale[i])
            });
            if done {
                return Ok((x[0][0], x[0][1]));
            }
            last_rho = [0, 1].map(|i| delta[i] / last[i]);
            last = delta;
        }
        Err(Error::invalid(
            "model",
            "markov",
            "the chain's absorption probabilities did not converge in 1 000 000 sweeps",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// start → a; a → b 1/2, conv 1/4, null 1/4; b → a 1/2, conv 1/2.
    fn loop_chain() -> Chain {
        Chain::from_weights(
            3,
            &[(0, 1, 4.0), (1, 2, 2.0), (2, 1, 2.0)],
            &[0.0, 1.0, 2.0],
            &[0.0, 1.0, 0.0],
            &[0.0, 10.0, 40.0],
        )
    }

    #[test]
    fn loops_by_hand() {
        // x_a = 1/4 + 1/2 x_b, x_b = 1/2 + 1/2 x_a → x_a = 2/3.
        // value: y_a = 1/4·10 + 1/2 y_b, y_b = 1/2·20 + 1/2 y_a → y_a = (2.5 + 5) / (3/4) = 10.
        let c = loop_chain();
        let none = [false; 3];
        let (p, v) = c.absorb(&none).unwrap();
        assert!(
            (p - 2.0 / 3.0).abs() < 1e-15 && (v - 10.0).abs() < 1e-13,
            "{p} {v}"
        );
        let (p, v) = c.gauss_seidel(&none).unwrap();
        assert!(
            (p - 2.0 / 3.0).abs() < 1e-13 && (v - 10.0).abs() < 1e-12,
            "{p} {v}"
        );
        // remove b: x_a = 1/4, y_a = 2.5
        let (p, v) = c.absorb(&[false, false, true]).unwrap();
        assert!((p - 0.25).abs() < 1e-15 && (v - 2.5).abs() < 1e-15);
    }

    /// Value iteration (Jacobi, from 0, 20 000 steps) as an independent reference.
    fn value_iteration(c: &Chain, removed: &[bool]) -> (f64, f64) {
        let n = c.len();
        let mut x = vec![[0.0f64; 2]; n];
        for _ in 0..20_000 {
            let mut next = vec![[0.0f64; 2]; n];
            for s in 0..n {
                if removed[s] {
                    continue;
                }
                next[s] = [c.conversion[s], c.value[s]];
                for k in c.row[s]..c.row[s + 1] {
                    let t = c.cols[k] as usize;
                    next[s][0] += c.probs[k] * x[t][0];
                    next[s][1] += c.probs[k] * x[t][1];
                }
            }
            x = next;
        }
        (x[0][0], x[0][1])
    }

    #[test]
    fn lu_gauss_seidel_and_value_iteration_agree_on_a_random_chain() {
        // A deterministic pseudo-random chain of 40 states with loops.
        let mut seed = 12345u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let n = 40;
        let mut edges = Vec::new();
        let (mut conv, mut null, mut val) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        for s in 0..n {
            for _ in 0..4 {
                let t = 1 + (rnd() * (n - 1) as f64) as usize;
                edges.push((s as u32, t as u32, rnd()));
            }
            if s > 0 {
                conv[s] = rnd() * 0.3;
                null[s] = rnd() * 0.3;
                val[s] = conv[s] * 50.0 * rnd();
            }
        }
        let c = Chain::from_weights(n, &edges, &conv, &null, &val);
        for removed_state in [None, Some(7), Some(20)] {
            let mut removed = vec![false; n];
            if let Some(r) = removed_state {
                removed[r] = true;
            }
            let kept: Vec<usize> = (0..n).filter(|&s| !removed[s]).collect();
            let lu = c.dense(&kept, &removed);
            let gs = c.gauss_seidel(&removed).unwrap();
            let vi = value_iteration(&c, &removed);
            for (a, b) in [(lu.0, vi.0), (gs.0, vi.0), (lu.1, vi.1), (gs.1, vi.1)] {
                assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
            }
        }
    }
}
