//! k-medoids on the edit distance of activity sequences, for logs small enough to hold every
//! pair's distance: customers grouped by how alike their paths are, each group represented by one
//! real journey (its medoid).
//!
//! - [`edit_distance`]: Levenshtein's distance of two activity sequences (insertions, deletions
//!   and substitutions of one activity, each costing 1).
//! - [`Distances::edit`]: every pair's distance, n(n − 1)/2 of them (4 bytes each).
//! - [`kmedoids`]: PAM (Kaufman & Rousseeuw, *Finding Groups in Data*, ch. 2): BUILD chooses the
//!   k medoids greedily (first the case of least total distance, then each time the case that
//!   lowers the total most), SWAP then makes the best exchange of a medoid and a non-medoid while
//!   any lowers the total (each candidate's gain for all k medoids in one pass over the cases, as
//!   FastPAM1 of Schubert & Rousseeuw 2019). Distances are integers, so the totals are exact, and
//!   ties go to the lowest index: the result is deterministic, with no seed.
//!
//! ```
//! use journeystream::analytics::personas::kmedoids::{edit_distance, kmedoids, Distances};
//! assert_eq!(edit_distance(&[1, 2, 3], &[1, 3]), 1);
//! let paths: [&[u32]; 5] = [&[0, 1, 2], &[0, 1, 2], &[0, 1, 1, 2], &[0, 3, 3, 3], &[0, 3, 3]];
//! let fit = kmedoids(&Distances::edit(&paths), 2, 100);
//! assert_eq!(fit.labels, [0, 0, 0, 1, 1]);
//! assert_eq!(fit.medoids, [0, 3]);
//! assert_eq!(fit.cost, 0 + 0 + 1 + 0 + 1);
//! ```

use rayon::prelude::*;

/// Levenshtein's distance of `a` and `b`.
pub fn edit_distance(a: &[u32], b: &[u32]) -> u32 {
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    let mut row: Vec<u32> = (0..=b.len() as u32).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i as u32 + 1;
        for (j, &y) in b.iter().enumerate() {
            let next = (diagonal + u32::from(x != y))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The distances of every pair of n items, condensed (the upper triangle, row by row).
#[derive(Debug, Clone, PartialEq)]
pub struct Distances {
    n: usize,
    d: Vec<u32>,
}

impl Distances {
    /// The edit distance of every pair of `sequences`, computed in parallel.
    pub fn edit(sequences: &[&[u32]]) -> Distances {
        let n = sequences.len();
        let d = (0..n)
            .into_par_iter()
            .flat_map_iter(|i| (i + 1..n).map(move |j| edit_distance(sequences[i], sequences[j])))
            .collect();
        Distances { n, d }
    }

    /// Items.
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The distance of items `i` and `j`.
    pub fn get(&self, i: usize, j: usize) -> u32 {
        if i == j {
            return 0;
        }
        let (i, j) = if i < j { (i, j) } else { (j, i) };
        self.d[i * (2 * self.n - i - 1) / 2 + (j - i - 1)]
    }
}

/// A partition around medoids.
#[derive(Debug, Clone, PartialEq)]
pub struct KMedoidsFit {
    /// The cluster of each item, 0..k (the index of its nearest medoid in `medoids`; ties to the
    /// first).
    pub labels: Vec<usize>,
    /// The items that are medoids, in the order BUILD chose them.
    pub medoids: Vec<usize>,
    /// Σ distance of each item to its medoid.
    pub cost: u64,
    /// SWAP exchanges made.
    pub swaps: usize,
}

/// Each item's nearest and second-nearest medoid distances and the index (in `medoids`) of the
/// nearest.
fn nearest(m: &Distances, medoids: &[usize]) -> Vec<(usize, u32, u32)> {
    (0..m.len())
        .into_par_iter()
        .map(|j| {
            let (mut best, mut d1, mut d2) = (0, u32::MAX, u32::MAX);
            for (i, &x) in medoids.iter().enumerate() {
                let d = m.get(j, x);
                if d < d1 {
                    (best, d2, d1) = (i, d1, d);
                } else if d < d2 {
                    d2 = d;
                }
            }
            (best, d1, d2)
        })
        .collect()
}

/// PAM's partition of the `m.len()` items into `k` (1 ≤ k ≤ items) clusters, at most
/// `max_swaps` SWAP exchanges.
///
/// # Panics
/// When `k` is 0 or more than the items (the `personas` request checks both first).
pub fn kmedoids(m: &Distances, k: usize, max_swaps: usize) -> KMedoidsFit {
    let n = m.len();
    assert!(1 <= k && k <= n, "k = {k} must be 1 to the {n} items");
    // BUILD. `current[j]`: j's distance to the nearest medoid chosen so far.
    let mut medoids = Vec::with_capacity(k);
    let mut current = vec![u32::MAX; n];
    let mut is_medoid = vec![false; n];
    for _ in 0..k {
        let (h, _) = (0..n)
            .into_par_iter()
            .filter(|&h| !is_medoid[h])
            .map(|h| {
                let total: u64 = (0..n).map(|j| u64::from(m.get(j, h).min(current[j]))).sum();
                (h, total)
            })
            .min_by_key(|&(h, total)| (total, h))
            .expect("a non-medoid is left while fewer than n are medoids");
        medoids.push(h);
        is_medoid[h] = true;
        current
            .iter_mut()
            .enumerate()
            .for_each(|(j, c)| *c = (*c).min(m.get(j, h)));
    }
    // SWAP: the exchange (medoid i, item h) of the most negative change of the total.
    let mut swaps = 0;
    let mut near = nearest(m, &medoids);
    while swaps < max_swaps {
        let best = (0..n)
            .into_par_iter()
            .filter(|&h| !is_medoid[h])
            .map(|h| {
                // Replacing medoid i by h moves each j to min(d(j,h), its nearest other medoid).
                let mut shared = 0i64;
                let mut own = vec![0i64; k];
                for (j, &(i, d1, d2)) in near.iter().enumerate() {
                    let dh = m.get(j, h);
                    shared += i64::from(dh.min(d1)) - i64::from(d1);
                    own[i] += i64::from(dh.min(d2)) - i64::from(dh.min(d1));
                }
                let (i, change) = own
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (i, shared + o))
                    .min_by_key(|&(i, c)| (c, i))
                    .expect("k ≥ 1");
                (change, h, i)
            })
            .min();
        match best {
            Some((change, h, i)) if change < 0 => {
                is_medoid[medoids[i]] = false;
                is_medoid[h] = true;
                medoids[i] = h;
                near = nearest(m, &medoids);
                swaps += 1;
            }
            _ => break,
        }
    }
    let cost = near.iter().map(|&(_, d1, _)| u64::from(d1)).sum();
    KMedoidsFit {
        labels: near.iter().map(|&(i, _, _)| i).collect(),
        medoids,
        cost,
        swaps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances_by_hand() {
        // kitten → sitting: two substitutions and an insertion.
        let word = |s: &str| s.bytes().map(u32::from).collect::<Vec<_>>();
        assert_eq!(edit_distance(&word("kitten"), &word("sitting")), 3);
        assert_eq!(edit_distance(&word("sitting"), &word("kitten")), 3);
        assert_eq!(edit_distance(&[], &word("abc")), 3);
        assert_eq!(edit_distance(&word("flaw"), &word("lawn")), 2);
        assert_eq!(edit_distance(&word("same"), &word("same")), 0);
    }

    #[test]
    fn condensed_distances_are_symmetric() {
        let paths: [&[u32]; 4] = [&[1], &[1, 2], &[3, 4, 5], &[]];
        let m = Distances::edit(&paths);
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(m.get(i, j), edit_distance(paths[i], paths[j]));
            }
        }
    }

    /// The total distance of each item to its nearest of `medoids`.
    fn cost_of(m: &Distances, medoids: &[usize]) -> u64 {
        (0..m.len())
            .map(|j| {
                medoids
                    .iter()
                    .map(|&c| u64::from(m.get(j, c)))
                    .min()
                    .unwrap()
            })
            .sum()
    }

    /// Every choice of k medoids, the least total.
    fn exhaustive(m: &Distances, k: usize) -> u64 {
        fn go(m: &Distances, k: usize, from: usize, chosen: &mut Vec<usize>, best: &mut u64) {
            if chosen.len() == k {
                *best = (*best).min(cost_of(m, chosen));
                return;
            }
            for c in from..m.len() {
                chosen.push(c);
                go(m, k, c + 1, chosen, best);
                chosen.pop();
            }
        }
        let mut best = u64::MAX;
        go(m, k, 0, &mut Vec::new(), &mut best);
        best
    }

    #[test]
    fn pam_ends_where_no_exchange_helps() {
        let mut rng = crate::analytics::stats::Rng::new(7);
        let (mut optimal, mut runs) = (0, 0);
        for _ in 0..30 {
            let seqs: Vec<Vec<u32>> = (0..9)
                .map(|_| (0..1 + rng.below(5)).map(|_| rng.below(3) as u32).collect())
                .collect();
            let refs: Vec<&[u32]> = seqs.iter().map(|s| s.as_slice()).collect();
            let m = Distances::edit(&refs);
            for k in 1..=3 {
                let fit = kmedoids(&m, k, 1000);
                assert_eq!(fit.cost, cost_of(&m, &fit.medoids));
                for (j, &l) in fit.labels.iter().enumerate() {
                    let d = m.get(j, fit.medoids[l]);
                    assert!(fit.medoids.iter().all(|&c| m.get(j, c) >= d));
                }
                // No exchange of a medoid and another item lowers the total (recomputed).
                for i in 0..k {
                    for h in (0..9).filter(|h| !fit.medoids.contains(h)) {
                        let mut other = fit.medoids.clone();
                        other[i] = h;
                        assert!(cost_of(&m, &other) >= fit.cost, "{seqs:?} k={k}");
                    }
                }
                runs += 1;
                optimal += usize::from(fit.cost == exhaustive(&m, k));
            }
        }
        // PAM is a local search (the draws' edit distances tie often): the optimum in 85 of 90.
        assert!(optimal >= 85, "{optimal} of {runs}");
    }
}
