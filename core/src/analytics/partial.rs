//! Mergeable partial aggregates and running them over a log on all cores.

use crate::log::{EventLog, Interner};
use rayon::prelude::*;
use std::ops::Range;
use std::sync::Arc;

/// A partial aggregate over some of a log's cases.
pub trait Partial: Sized + Send {
    /// The partial of no cases.
    fn empty(activities: Arc<Interner>) -> Self;
    /// Adds the cases `cases` of `log` (whose dictionary is this partial's).
    fn add_cases(&mut self, log: &EventLog, cases: Range<usize>);
    /// Combines with the partial of other cases (from this log or another partition).
    fn merge(self, other: Self) -> Self;

    /// The partial of a whole log, computed on all cores.
    fn of_log(log: &EventLog) -> Self {
        let n = log.num_cases();
        let chunk = (n / (rayon::current_num_threads() * 8)).max(2048);
        let dict = log.activity_dictionary().clone();
        (0..n.div_ceil(chunk))
            .into_par_iter()
            .map(|k| {
                let mut p = Self::empty(dict.clone());
                p.add_cases(log, k * chunk..((k + 1) * chunk).min(n));
                p
            })
            .reduce(|| Self::empty(dict.clone()), Self::merge)
    }
}

/// Codes of `theirs` mapped into a dictionary holding both (`ours` when they are the same one).
pub(crate) fn unify(
    ours: &Arc<Interner>,
    theirs: &Arc<Interner>,
) -> (Arc<Interner>, Option<Vec<u32>>) {
    if Arc::ptr_eq(ours, theirs) || ours == theirs {
        return (ours.clone(), None);
    }
    let mut both = (**ours).clone();
    let map = both.absorb(theirs);
    (Arc::new(both), Some(map))
}

/// Adds `theirs` (indexed by their codes) into `ours` (indexed by the unified codes).
pub(crate) fn add_counts(ours: &mut Vec<u64>, theirs: &[u64], map: Option<&[u32]>) {
    for (i, &c) in theirs.iter().enumerate() {
        let j = map.map_or(i, |m| m[i] as usize);
        if j >= ours.len() {
            ours.resize(j + 1, 0);
        }
        ours[j] += c;
    }
}
