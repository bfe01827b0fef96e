//! Top paths: the most frequent variants (a case's whole activity sequence), path n-grams (runs of
//! n consecutive activities within a case), and the paths before and after an anchor activity
//! (the up to `steps` activities before and after the case's first event of the anchor).
//!
//! Lists are sorted by count (most first), then by path; `top` keeps the first entries.
//! N-grams count occurrences and the cases having one; a case with fewer than n events has none.
//!
//! ```
//! use journeystream::analytics::journey::paths::{top_paths, TopPathsRequest};
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! for (case, path) in [("1", "abc"), ("2", "abc"), ("3", "ab")] {
//!     for (t, a) in path.chars().enumerate() {
//!         b.push(case, &a.to_string(), t as i64)?;
//!     }
//! }
//! let mut r = TopPathsRequest::default();
//! r.ngram = Some(2);
//! r.anchor = Some("b".into());
//! let p = top_paths(&b.finish().unwrap(), &r)?;
//! assert_eq!((p.variants[0].path.join(""), p.variants[0].count), ("abc".to_string(), 2));
//! assert_eq!((p.ngrams[0].path.join(""), p.ngrams[0].count, p.ngrams[0].cases), ("ab".to_string(), 3, 3));
//! let anchor = p.anchor.unwrap();
//! assert_eq!((anchor.after[0].path.join(""), anchor.after[0].count), ("c".to_string(), 2));
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::{remap, unify_codes};
use crate::analytics::partial::over_cases;
use crate::log::{EventLog, Interner, NO_CODE};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// The `top_paths` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopPathsRequest {
    /// Entries kept in each list (default 10; 0 keeps all).
    #[serde(default = "default_top")]
    pub top: usize,
    /// Length of the path n-grams to count (none: no n-grams).
    #[serde(default)]
    pub ngram: Option<usize>,
    /// The anchor activity of the before/after paths (none: no anchor).
    #[serde(default)]
    pub anchor: Option<String>,
    /// Activities kept before and after the anchor (default 3).
    #[serde(default = "default_steps")]
    pub steps: usize,
}

fn default_top() -> usize {
    10
}

fn default_steps() -> usize {
    3
}

impl Default for TopPathsRequest {
    fn default() -> Self {
        TopPathsRequest {
            top: default_top(),
            ngram: None,
            anchor: None,
            steps: default_steps(),
        }
    }
}

/// A path and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathCount {
    pub path: Vec<String>,
    /// Occurrences (variants and anchor paths: cases).
    pub count: u64,
    /// Cases having it.
    pub cases: u64,
    /// cases ÷ the cases of the list (all cases, or the anchored ones).
    pub share: f64,
}

/// Paths around an anchor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnchorPaths {
    pub activity: String,
    /// Cases with the anchor.
    pub cases: u64,
    /// The activities before the first anchor event (oldest first; may be empty).
    pub before: Vec<PathCount>,
    /// The activities after it.
    pub after: Vec<PathCount>,
}

/// The result of `top_paths`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopPaths {
    pub cases: u64,
    /// Distinct variants.
    pub distinct_variants: u64,
    pub variants: Vec<PathCount>,
    /// Empty without `ngram`.
    pub ngrams: Vec<PathCount>,
    pub anchor: Option<AnchorPaths>,
}

type Counts = FxHashMap<Vec<u32>, [u64; 2]>;

/// The mergeable partial of [`TopPaths`].
///
/// ```
/// use journeystream::analytics::journey::paths::{TopPathsPartial, TopPathsRequest};
/// use journeystream::log::LogBuilder;
/// let mut b = LogBuilder::new();
/// b.push("1", "a", 0)?;
/// b.push("2", "b", 0)?;
/// let log = b.finish().unwrap();
/// let r = TopPathsRequest::default();
/// let parts = TopPathsPartial::of_cases(&log, &r, 0..1).merge(TopPathsPartial::of_cases(&log, &r, 1..2));
/// assert_eq!(parts.finish(&r), TopPathsPartial::of_log(&log, &r).finish(&r));
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TopPathsPartial {
    activities: Arc<Interner>,
    cases: u64,
    anchored: u64,
    variants: Counts,
    ngrams: Counts,
    before: Counts,
    after: Counts,
}

impl TopPathsPartial {
    fn empty(activities: Arc<Interner>) -> TopPathsPartial {
        TopPathsPartial {
            activities,
            cases: 0,
            anchored: 0,
            variants: Counts::default(),
            ngrams: Counts::default(),
            before: Counts::default(),
            after: Counts::default(),
        }
    }

    fn add(&mut self, log: &EventLog, r: &TopPathsRequest, cases: Range<usize>) {
        let anchor = r
            .anchor
            .as_ref()
            .map(|a| log.activities().code(a).unwrap_or(NO_CODE));
        let mut seen: Vec<&[u32]> = Vec::new();
        for c in cases {
            let acts = log.case(c).activities();
            self.cases += 1;
            bump(&mut self.variants, acts, 1);
            if let Some(n) = r.ngram.filter(|&n| n >= 1) {
                seen.clear();
                seen.extend(acts.windows(n));
                for w in &seen {
                    self.ngrams.entry(w.to_vec()).or_default()[0] += 1;
                }
                seen.sort_unstable();
                seen.dedup();
                for w in &seen {
                    self.ngrams.get_mut(*w).expect("counted")[1] += 1;
                }
            }
            if let Some(a) = anchor {
                if let Some(i) = acts.iter().position(|&x| x == a) {
                    self.anchored += 1;
                    bump(&mut self.before, &acts[i.saturating_sub(r.steps)..i], 1);
                    bump(
                        &mut self.after,
                        &acts[i + 1..(i + 1 + r.steps).min(acts.len())],
                        1,
                    );
                }
            }
        }
    }

    /// The partial of cases `cases` of `log`.
    pub fn of_cases(log: &EventLog, r: &TopPathsRequest, cases: Range<usize>) -> TopPathsPartial {
        let mut p = TopPathsPartial::empty(log.activity_dictionary().clone());
        p.add(log, r, cases);
        p
    }

    /// The partial of a whole log, on all cores.
    pub fn of_log(log: &EventLog, r: &TopPathsRequest) -> TopPathsPartial {
        let dict = log.activity_dictionary().clone();
        over_cases(
            log,
            || TopPathsPartial::empty(dict.clone()),
            |p, log, cases| p.add(log, r, cases),
            TopPathsPartial::merge,
        )
    }

    /// Combines with the partial of other cases.
    pub fn merge(mut self, other: TopPathsPartial) -> TopPathsPartial {
        let map = unify_codes(&mut self.activities, &other.activities);
        let m = map.as_deref();
        self.cases += other.cases;
        self.anchored += other.anchored;
        for (ours, theirs) in [
            (&mut self.variants, other.variants),
            (&mut self.ngrams, other.ngrams),
            (&mut self.before, other.before),
            (&mut self.after, other.after),
        ] {
            for (path, v) in theirs {
                let path = match m {
                    None => path,
                    Some(_) => path.iter().map(|&c| remap(m, c)).collect(),
                };
                let e = ours.entry(path).or_default();
                e[0] += v[0];
                e[1] += v[1];
            }
        }
        self
    }

    /// The lists.
    pub fn finish(self, r: &TopPathsRequest) -> TopPaths {
        let dict = &self.activities;
        let list = |counts: &Counts, of: u64| {
            let mut out: Vec<PathCount> = counts
                .iter()
                .map(|(p, v)| PathCount {
                    path: p.iter().map(|&c| dict.get(c).to_string()).collect(),
                    count: v[0],
                    cases: v[1],
                    share: if of == 0 {
                        0.0
                    } else {
                        v[1] as f64 / of as f64
                    },
                })
                .collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));
            if r.top > 0 {
                out.truncate(r.top);
            }
            out
        };
        TopPaths {
            cases: self.cases,
            distinct_variants: self.variants.len() as u64,
            variants: list(&self.variants, self.cases),
            ngrams: list(&self.ngrams, self.cases),
            anchor: r.anchor.as_ref().map(|a| AnchorPaths {
                activity: a.clone(),
                cases: self.anchored,
                before: list(&self.before, self.anchored),
                after: list(&self.after, self.anchored),
            }),
        }
    }
}

fn bump(counts: &mut Counts, path: &[u32], by: u64) {
    match counts.get_mut(path) {
        Some(v) => {
            v[0] += by;
            v[1] += by;
        }
        None => {
            counts.insert(path.to_vec(), [by, by]);
        }
    }
}

/// The top paths of a log, on all cores.
pub fn top_paths(log: &EventLog, r: &TopPathsRequest) -> crate::error::Result<TopPaths> {
    // A partition may lack the anchor; the whole log must have it.
    if let Some(a) = &r.anchor {
        log.activity_code(a, "anchor")?;
    }
    Ok(TopPathsPartial::of_log(log, r).finish(r))
}
