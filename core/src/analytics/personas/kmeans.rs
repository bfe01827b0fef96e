//! k-means on dense rows: greedy k-means++ seeding, Lloyd's iterations, several seeded starts;
//! the silhouette of a partition; the adjusted Rand index of two partitions.
//!
//! As scikit-learn's `KMeans(algorithm="lloyd")`: seeding samples each center with probability
//! proportional to the squared distance to the nearest center chosen, trying `2 + ⌊ln k⌋`
//! candidates and keeping the one that lowers the inertia most; iterations stop when the centers
//! move by at most `tolerance` × the mean variance of the columns (squared Frobenius norm) or
//! after `max_iterations`; the start of least inertia wins. A cluster that empties takes the row
//! farthest from its center. Starts are seeded from `seed`, so the result is deterministic (not
//! the same random draws as scikit-learn's, so equal partitions, not equal labels, are expected
//! on well-separated data).
//!
//! ```
//! use journeystream::analytics::personas::kmeans::{kmeans, KMeansOptions, adjusted_rand_index};
//! let rows = [[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [5.0, 5.0], [5.1, 5.0], [5.0, 5.1]];
//! let data: Vec<f64> = rows.iter().flatten().copied().collect();
//! let fit = kmeans(&data, 2, 2, &KMeansOptions::default());
//! assert_eq!(adjusted_rand_index(&fit.labels, &[0, 0, 0, 1, 1, 1]), 1.0);
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::analytics::stats::Rng;
use rayon::prelude::*;

/// Options of [`kmeans`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KMeansOptions {
    /// Seeded starts; the one of least inertia wins (4).
    pub starts: usize,
    pub max_iterations: usize,
    /// Relative to the mean column variance (1e-4, scikit-learn's).
    pub tolerance: f64,
    pub seed: u64,
}

impl Default for KMeansOptions {
    fn default() -> Self {
        KMeansOptions {
            starts: 4,
            max_iterations: 300,
            tolerance: 1e-4,
            seed: 0,
        }
    }
}

/// A partition and its centers.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansFit {
    /// The cluster of each row, 0..k.
    pub labels: Vec<usize>,
    /// k rows of `dims` values.
    pub centers: Vec<f64>,
    /// Σ squared distance of each row to its center.
    pub inertia: f64,
    /// Lloyd iterations of the winning start.
    pub iterations: usize,
}

fn distance2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Rows of `dims` values kept as their nonzeros (journey features are mostly zeros), with their
/// squared norms: distances to a dense center are |x|² + |c|² − 2 x·c, in the nonzeros only.
#[derive(Debug, Clone, PartialEq)]
pub struct Sparse {
    dims: usize,
    start: Vec<usize>,
    index: Vec<usize>,
    value: Vec<f64>,
    norm2: Vec<f64>,
}

impl Sparse {
    /// No rows of `dims` values.
    pub fn new(dims: usize) -> Sparse {
        Sparse {
            dims,
            start: vec![0],
            index: Vec::new(),
            value: Vec::new(),
            norm2: Vec::new(),
        }
    }

    /// The rows of dense `data`, `dims` values each.
    pub fn of(data: &[f64], dims: usize) -> Sparse {
        let mut s = Sparse::new(dims);
        for row in data.chunks_exact(dims) {
            s.push(row.iter().copied().enumerate());
        }
        s
    }

    /// Adds a row from its (column, value) pairs, columns rising; zeros are dropped.
    pub fn push(&mut self, values: impl IntoIterator<Item = (usize, f64)>) {
        let mut n2 = 0.0;
        for (j, x) in values {
            debug_assert!(j < self.dims);
            if x != 0.0 {
                self.index.push(j);
                self.value.push(x);
                n2 += x * x;
            }
        }
        self.start.push(self.index.len());
        self.norm2.push(n2);
    }

    pub fn rows(&self) -> usize {
        self.norm2.len()
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Row `i` with its zeros.
    pub fn dense(&self, i: usize) -> Vec<f64> {
        let mut row = vec![0.0; self.dims];
        for (j, x) in self.nonzeros(i) {
            row[j] = x;
        }
        row
    }

    /// The Euclidean distance of rows `i` and `j`.
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (
            self.start[i]..self.start[i + 1],
            self.start[j]..self.start[j + 1],
        );
        let (ai, av) = (&self.index[a.clone()], &self.value[a]);
        let (bi, bv) = (&self.index[b.clone()], &self.value[b]);
        let (mut p, mut q, mut d2) = (0, 0, 0.0);
        while p < ai.len() || q < bi.len() {
            let (x, y) = match (ai.get(p), bi.get(q)) {
                (Some(u), Some(v)) if u == v => {
                    p += 1;
                    q += 1;
                    (av[p - 1], bv[q - 1])
                }
                (Some(u), Some(v)) if u < v => {
                    p += 1;
                    (av[p - 1], 0.0)
                }
                (Some(_), None) => {
                    p += 1;
                    (av[p - 1], 0.0)
                }
                _ => {
                    q += 1;
                    (0.0, bv[q - 1])
                }
            };
            d2 += (x - y) * (x - y);
        }
        d2.sqrt()
    }

    /// The nonzero (column, value) pairs of row `i`.
    pub fn nonzeros(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.start[i]..self.start[i + 1];
        self.index[r.clone()]
            .iter()
            .copied()
            .zip(self.value[r].iter().copied())
    }

    /// The squared distance of row `i` to `center`, whose squared norm is `center_norm2`.
    fn distance2(&self, i: usize, center: &[f64], center_norm2: f64) -> f64 {
        let dot: f64 = self.nonzeros(i).map(|(j, x)| x * center[j]).sum();
        (self.norm2[i] + center_norm2 - 2.0 * dot).max(0.0)
    }

    /// The nearest center of row `i` and its squared distance.
    fn nearest(&self, i: usize, centers: &[f64], norms: &[f64], dims: usize) -> (usize, f64) {
        let mut best = (0, f64::INFINITY);
        for (c, center) in centers.chunks_exact(dims).enumerate() {
            let d = self.distance2(i, center, norms[c]);
            if d < best.1 {
                best = (c, d);
            }
        }
        best
    }

    fn assign(&self, centers: &[f64], dims: usize) -> Vec<(usize, f64)> {
        let norms: Vec<f64> = centers
            .chunks_exact(dims)
            .map(|c| c.iter().map(|x| x * x).sum())
            .collect();
        (0..self.rows())
            .into_par_iter()
            .map(|i| self.nearest(i, centers, &norms, dims))
            .collect()
    }
}

/// Greedy k-means++ seeding.
fn seed_centers(sparse: &Sparse, k: usize, rng: &mut Rng) -> Vec<f64> {
    let n = sparse.rows();
    let row = |i: usize| sparse.dense(i);
    let first = rng.below(n);
    let mut centers = row(first);
    let mut closest: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| sparse.distance2(i, &centers, sparse.norm2[first]))
        .collect();
    let trials = 2 + (k as f64).ln().floor() as usize;
    for _ in 1..k {
        let total: f64 = closest.iter().sum();
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
            let candidate = if total > 0.0 {
                let target = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
                let mut acc = 0.0;
                closest
                    .iter()
                    .position(|&d| {
                        acc += d;
                        acc > target
                    })
                    .unwrap_or(n - 1)
            } else {
                rng.below(n)
            };
            let (c, cn) = (row(candidate), sparse.norm2[candidate]);
            let with: Vec<f64> = closest
                .par_iter()
                .enumerate()
                .map(|(i, &d)| d.min(sparse.distance2(i, &c, cn)))
                .collect();
            let inertia: f64 = with.iter().sum();
            if best.as_ref().map_or(true, |b| inertia < b.0) {
                best = Some((inertia, candidate, with));
            }
        }
        let (_, chosen, with) = best.expect("at least one trial");
        centers.extend_from_slice(&row(chosen));
        closest = with;
    }
    centers
}

/// One start: seeding and Lloyd's iterations.
fn lloyd(sparse: &Sparse, k: usize, options: &KMeansOptions, seed: u64) -> KMeansFit {
    let (n, dims) = (sparse.rows(), sparse.dims());
    let mut rng = Rng::new(seed);
    let mut centers = seed_centers(sparse, k, &mut rng);
    let tol = options.tolerance * mean_variance(sparse, dims);
    let mut labels = vec![0usize; n];
    let mut iterations = 0;
    loop {
        iterations += 1;
        let assigned = sparse.assign(&centers, dims);
        for (l, a) in labels.iter_mut().zip(&assigned) {
            *l = a.0;
        }
        let mut sums = vec![0.0; k * dims];
        let mut counts = vec![0usize; k];
        for (i, &c) in labels.iter().enumerate() {
            counts[c] += 1;
            for (j, x) in sparse.nonzeros(i) {
                sums[c * dims + j] += x;
            }
        }
        // An empty cluster takes the row farthest from its center.
        let mut far: Vec<usize> = Vec::new();
        if counts.contains(&0) {
            far = (0..n).collect();
            far.sort_by(|&a, &b| assigned[b].1.total_cmp(&assigned[a].1));
        }
        let mut next_far = far.into_iter();
        for c in 0..k {
            if counts[c] == 0 {
                if let Some(i) = next_far.next() {
                    let old = labels[i];
                    if counts[old] > 1 {
                        counts[old] -= 1;
                        for (j, x) in sparse.nonzeros(i) {
                            sums[old * dims + j] -= x;
                        }
                        labels[i] = c;
                        counts[c] = 1;
                        sums[c * dims..(c + 1) * dims].copy_from_slice(&sparse.dense(i));
                    }
                }
            }
        }
        let mut shift = 0.0;
        for c in 0..k {
            if counts[c] == 0 {
                continue;
            }
            for d in 0..dims {
                let new = sums[c * dims + d] / counts[c] as f64;
                shift += (new - centers[c * dims + d]).powi(2);
                centers[c * dims + d] = new;
            }
        }
        if shift <= tol || iterations >= options.max_iterations {
            break;
        }
    }
    let final_labels = sparse.assign(&centers, dims);
    KMeansFit {
        labels: final_labels.iter().map(|a| a.0).collect(),
        inertia: final_labels.iter().map(|a| a.1).sum(),
        centers,
        iterations,
    }
}

/// The mean of the columns' variances, in one pass over the rows (the nonzeros).
fn mean_variance(sparse: &Sparse, dims: usize) -> f64 {
    let n = sparse.rows() as f64;
    let (mut sum, mut sq) = (vec![0.0; dims], vec![0.0; dims]);
    for i in 0..sparse.rows() {
        for (j, x) in sparse.nonzeros(i) {
            sum[j] += x;
            sq[j] += x * x;
        }
    }
    let total: f64 = sum
        .iter()
        .zip(&sq)
        .map(|(s, q)| (q / n - (s / n).powi(2)).max(0.0))
        .sum();
    total / dims as f64
}

/// k-means of the rows of `data` (`dims` values each, row after row) into `k` clusters;
/// `1 ≤ k ≤ rows` (checked by the caller).
pub fn kmeans(data: &[f64], dims: usize, k: usize, options: &KMeansOptions) -> KMeansFit {
    kmeans_sparse(&Sparse::of(data, dims), k, options)
}

/// [`kmeans`] of rows kept as their nonzeros.
pub fn kmeans_sparse(rows: &Sparse, k: usize, options: &KMeansOptions) -> KMeansFit {
    let mut seeds = Rng::new(options.seed);
    let starts: Vec<u64> = (0..options.starts.max(1))
        .map(|_| seeds.next_u64())
        .collect();
    // Starts in parallel (their inner loops are partly sequential), the first of least inertia.
    let fits: Vec<KMeansFit> = starts
        .into_par_iter()
        .map(|s| lloyd(rows, k, options, s))
        .collect();
    fits.into_iter()
        .min_by(|a, b| a.inertia.total_cmp(&b.inertia))
        .expect("one start at least")
}

/// The mean silhouette of the rows `sample` (indices) under `labels`: (b − a) / max(a, b) per
/// row, a its mean distance to its own cluster's other sampled rows, b the least mean distance to
/// another cluster's; 0 for a row alone in its cluster (as scikit-learn). None with fewer than 2
/// clusters among the sample.
pub fn silhouette(data: &[f64], dims: usize, labels: &[usize], sample: &[usize]) -> Option<f64> {
    let row = |i: usize| &data[i * dims..(i + 1) * dims];
    silhouette_of(labels, sample, |i, j| distance2(row(i), row(j)).sqrt())
}

/// The mean silhouette of the rows `sample` as [`silhouette`], under any `distance` of two rows.
pub fn silhouette_of(
    labels: &[usize],
    sample: &[usize],
    distance: impl Fn(usize, usize) -> f64 + Sync,
) -> Option<f64> {
    let k = sample.iter().map(|&i| labels[i]).max()? + 1;
    let mut sizes = vec![0usize; k];
    sample.iter().for_each(|&i| sizes[labels[i]] += 1);
    if sizes.iter().filter(|&&s| s > 0).count() < 2 {
        return None;
    }
    let total: f64 = sample
        .par_iter()
        .map(|&i| {
            let mut sums = vec![0.0; k];
            for &j in sample {
                if j != i {
                    sums[labels[j]] += distance(i, j);
                }
            }
            let own = labels[i];
            if sizes[own] <= 1 {
                return 0.0;
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own && sizes[c] > 0)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let m = a.max(b);
            if m > 0.0 {
                (b - a) / m
            } else {
                0.0
            }
        })
        .sum();
    Some(total / sample.len() as f64)
}

/// The adjusted Rand index of two partitions of the same items (Hubert & Arabie 1985): 1 for
/// equal partitions (whatever the label names), about 0 for random ones.
///
/// ```
/// use journeystream::analytics::personas::kmeans::adjusted_rand_index;
/// assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 2, 2]), 1.0);
/// assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) + 0.5).abs() < 1e-12);
/// ```
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    use std::collections::HashMap;
    let pairs = |n: u64| (n * n.saturating_sub(1) / 2) as f64;
    let mut table: HashMap<(usize, usize), u64> = HashMap::new();
    let (mut rows, mut cols): (HashMap<usize, u64>, HashMap<usize, u64>) = Default::default();
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1;
        *rows.entry(x).or_default() += 1;
        *cols.entry(y).or_default() += 1;
    }
    let index: f64 = table.values().map(|&n| pairs(n)).sum();
    let sum_a: f64 = rows.values().map(|&n| pairs(n)).sum();
    let sum_b: f64 = cols.values().map(|&n| pairs(n)).sum();
    let expected = sum_a * sum_b / pairs(a.len() as u64);
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silhouette_by_hand() {
        // Two clusters on a line: {0, 1} and {10}. Row 0: a = 1, b = 10 → 0.9; row 1: a = 1,
        // b = 9 → 8/9; row 2 alone: 0.
        let data = [0.0, 1.0, 10.0];
        let s = silhouette(&data, 1, &[0, 0, 1], &[0, 1, 2]).unwrap();
        assert!((s - (0.9 + 8.0 / 9.0) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn empty_clusters_are_refilled() {
        let data = [0.0, 0.0, 0.0, 1.0];
        let fit = kmeans(&data, 1, 3, &KMeansOptions::default());
        assert_eq!(fit.labels.len(), 4);
        assert!(fit.inertia.is_finite());
    }
}
