//! The step matrix (retentioneering's `step_matrix`): for each step j = 1..max_steps of the
//! paths (cases), the share of paths whose j-th event is activity i. Paths shorter than j count
//! under the end marker (`ENDED` by default), so every column sums to 1.
//!
//! ```
//! use journeystream::analytics::journey::step_matrix::{step_matrix, StepMatrixRequest};
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! for (case, activity, t) in [("a", "visit", 0), ("a", "buy", 1), ("b", "visit", 0)] {
//!     b.push(case, activity, t)?;
//! }
//! let m = step_matrix(&b.finish().unwrap(), &StepMatrixRequest { max_steps: 3, ..Default::default() })?;
//! let row = |name: &str| m.rows.iter().find(|r| r.activity == name).unwrap().shares.clone();
//! assert_eq!(row("visit"), [1.0, 0.0, 0.0]);
//! assert_eq!(row("buy"), [0.0, 0.5, 0.0]);
//! assert_eq!(row("ENDED"), [0.0, 0.5, 1.0]);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::{remap, unify_codes};
use crate::log::{EventLog, Interner};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// The `step_matrix` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepMatrixRequest {
    /// Steps (columns), default 20 (retentioneering's default).
    #[serde(default = "default_max_steps")]
    pub max_steps: usize,
    /// The row of paths that ended before a step, default `ENDED`.
    #[serde(default = "default_end_marker")]
    pub end_marker: String,
}

fn default_max_steps() -> usize {
    20
}

fn default_end_marker() -> String {
    "ENDED".into()
}

impl Default for StepMatrixRequest {
    fn default() -> Self {
        StepMatrixRequest {
            max_steps: default_max_steps(),
            end_marker: default_end_marker(),
        }
    }
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRow {
    pub activity: String,
    /// Paths having the activity at step j (index j − 1).
    pub counts: Vec<u64>,
    /// counts ÷ paths.
    pub shares: Vec<f64>,
}

/// A step matrix: rows sorted by activity name, the end marker's row last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepMatrix {
    pub max_steps: usize,
    /// Paths (cases).
    pub paths: u64,
    pub rows: Vec<StepRow>,
}

/// The mergeable partial of a [`StepMatrix`] (up to `max_steps` steps).
///
/// ```
/// use journeystream::analytics::journey::step_matrix::StepMatrixPartial;
/// use journeystream::log::LogBuilder;
/// let mut b = LogBuilder::new();
/// b.push("a", "visit", 0)?;
/// b.push("b", "buy", 0)?;
/// let log = b.finish().unwrap();
/// let whole = StepMatrixPartial::of_log(&log, 2);
/// let parts = StepMatrixPartial::of_cases(&log, 2, 0..1).merge(StepMatrixPartial::of_cases(&log, 2, 1..2));
/// assert_eq!(parts.finish("ENDED"), whole.finish("ENDED"));
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepMatrixPartial {
    activities: Arc<Interner>,
    max_steps: usize,
    paths: u64,
    /// counts[j * width + code], width = the dictionary's size when counted.
    counts: Vec<u64>,
    width: usize,
    ended: Vec<u64>,
}

impl StepMatrixPartial {
    fn empty(activities: Arc<Interner>, max_steps: usize) -> StepMatrixPartial {
        let width = activities.len();
        StepMatrixPartial {
            activities,
            max_steps,
            paths: 0,
            counts: vec![0; width * max_steps],
            width,
            ended: vec![0; max_steps],
        }
    }

    fn add(&mut self, log: &EventLog, cases: Range<usize>) {
        let (w, m) = (self.width, self.max_steps);
        for c in cases {
            let acts = log.case(c).activities();
            let k = acts.len().min(m);
            for (j, &a) in acts[..k].iter().enumerate() {
                self.counts[j * w + a as usize] += 1;
            }
            for e in &mut self.ended[k..] {
                *e += 1;
            }
            self.paths += 1;
        }
    }

    /// The partial of cases `cases` of `log`.
    pub fn of_cases(log: &EventLog, max_steps: usize, cases: Range<usize>) -> StepMatrixPartial {
        let mut p = StepMatrixPartial::empty(log.activity_dictionary().clone(), max_steps);
        p.add(log, cases);
        p
    }

    /// The partial of a whole log, on all cores.
    pub fn of_log(log: &EventLog, max_steps: usize) -> StepMatrixPartial {
        let dict = log.activity_dictionary().clone();
        crate::analytics::partial::over_cases(
            log,
            || StepMatrixPartial::empty(dict.clone(), max_steps),
            |p, log, cases| p.add(log, cases),
            StepMatrixPartial::merge,
        )
    }

    /// Combines with the partial of other cases (the same `max_steps`).
    pub fn merge(mut self, other: StepMatrixPartial) -> StepMatrixPartial {
        let map = unify_codes(&mut self.activities, &other.activities);
        let m = self.max_steps;
        if self.activities.len() != self.width {
            let w = self.activities.len();
            let mut counts = vec![0; w * m];
            for j in 0..m {
                counts[j * w..j * w + self.width]
                    .copy_from_slice(&self.counts[j * self.width..(j + 1) * self.width]);
            }
            self.counts = counts;
            self.width = w;
        }
        for j in 0..m.min(other.max_steps) {
            for i in 0..other.width {
                let code = remap(map.as_deref(), i as u32) as usize;
                self.counts[j * self.width + code] += other.counts[j * other.width + i];
            }
            self.ended[j] += other.ended[j];
        }
        self.paths += other.paths;
        self
    }

    /// The matrix; `end_marker` names the row of ended paths.
    pub fn finish(self, end_marker: &str) -> StepMatrix {
        let (w, m) = (self.width, self.max_steps);
        let share = |c: u64| {
            if self.paths == 0 {
                0.0
            } else {
                c as f64 / self.paths as f64
            }
        };
        let mut rows: Vec<StepRow> = (0..w)
            .filter_map(|i| {
                let counts: Vec<u64> = (0..m).map(|j| self.counts[j * w + i]).collect();
                counts.iter().any(|&c| c > 0).then(|| StepRow {
                    activity: self.activities.get(i as u32).to_string(),
                    shares: counts.iter().map(|&c| share(c)).collect(),
                    counts,
                })
            })
            .collect();
        rows.sort_by(|a, b| a.activity.cmp(&b.activity));
        rows.push(StepRow {
            activity: end_marker.to_string(),
            shares: self.ended.iter().map(|&c| share(c)).collect(),
            counts: self.ended,
        });
        StepMatrix {
            max_steps: m,
            paths: self.paths,
            rows,
        }
    }
}

/// The most steps a step matrix has (its table holds a column per step).
pub const MAX_STEPS: usize = 1000;

/// The step matrix of a log, on all cores; `max_steps` must be 1 to [`MAX_STEPS`].
pub fn step_matrix(log: &EventLog, r: &StepMatrixRequest) -> crate::error::Result<StepMatrix> {
    if !(1..=MAX_STEPS).contains(&r.max_steps) {
        return Err(crate::error::Error::argument(
            "max_steps",
            r.max_steps,
            format!("must be 1 to {MAX_STEPS} (a column per step)"),
        ));
    }
    Ok(StepMatrixPartial::of_log(log, r.max_steps).finish(&r.end_marker))
}
