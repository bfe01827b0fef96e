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
        let dict = log.activity_dictionary().clone();
        over_cases(
            log,
            || Self::empty(dict.clone()),
            |p, log, cases| p.add_cases(log, cases),
            Self::merge,
        )
    }
}

/// Runs a partial aggregate over a log's cases on all cores: chunks of cases each fill an `empty()`
/// partial with `add`, and the partials are combined with `merge`.
pub fn over_cases<P: Send>(
    log: &EventLog,
    empty: impl Fn() -> P + Sync + Send,
    add: impl Fn(&mut P, &EventLog, Range<usize>) + Sync + Send,
    merge: impl Fn(P, P) -> P + Sync + Send,
) -> P {
    let n = log.num_cases();
    let chunk = (n / (rayon::current_num_threads() * 8)).max(2048);
    (0..n.div_ceil(chunk))
        .into_par_iter()
        .map(|k| {
            let mut p = empty();
            add(&mut p, log, k * chunk..((k + 1) * chunk).min(n));
            p
        })
        .reduce(&empty, merge)
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
