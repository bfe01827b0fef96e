//! Journey features per case (customer): tf-idf of its activities and activity n-grams, and
//! optionally its duration and length.
//!
//! Terms are the activities (`buy`) and the runs of `ngram` consecutive activities (`cart > buy`)
//! of a case. The vocabulary keeps the `max_features` terms of most occurrences in the log (ties by
//! name). A case's row is, as scikit-learn's `TfidfVectorizer` (smooth idf, l2 norm): count ×
//! idf, idf = ln((1 + N) / (1 + df)) + 1 with N cases and df the cases having the term, scaled to
//! unit length. `duration` adds ln(1 + case seconds) and `events` ln(1 + events), each
//! standardised to mean 0 and variance 1 over the cases.
//!
//! The term counts are a mergeable partial (counts and document frequencies per term); the rows
//! need the whole vocabulary, so they are computed once it is known.

use crate::analytics::partial::over_cases;
use crate::error::{Error, Result};
use crate::log::EventLog;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Which features a case gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeatureOptions {
    /// Activities as terms (true).
    pub activities: bool,
    /// The n of the n-gram terms: 2 (default) or 3; 0 for none.
    pub ngram: usize,
    /// The most terms kept (64; 1 to 4096).
    pub max_features: usize,
    /// ln(1 + case duration in seconds), standardised (false).
    pub duration: bool,
    /// ln(1 + events of the case), standardised (false).
    pub events: bool,
}

impl Default for FeatureOptions {
    fn default() -> Self {
        FeatureOptions {
            activities: true,
            ngram: 2,
            max_features: 64,
            duration: false,
            events: false,
        }
    }
}

/// The features of every case: `rows` × `names.len()` values, row after row.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub names: Vec<String>,
    pub values: Vec<f64>,
    pub rows: usize,
}

impl Features {
    pub fn dims(&self) -> usize {
        self.names.len()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        let d = self.dims();
        &self.values[i * d..(i + 1) * d]
    }
}

/// Term occurrences and document frequencies, by term (activity codes).
type Terms = FxHashMap<Vec<u32>, (u64, u64)>;

fn terms_of<'a>(acts: &'a [u32], options: &'a FeatureOptions) -> impl Iterator<Item = &'a [u32]> {
    let singles = acts.chunks(1).filter(move |_| options.activities);
    let n = options.ngram.max(1);
    let grams = acts.windows(n).filter(move |_| options.ngram >= 2);
    singles.chain(grams)
}

/// The features of `log`'s cases.
pub fn features(log: &EventLog, options: &FeatureOptions) -> Result<Features> {
    if !matches!(options.ngram, 0 | 2 | 3) {
        return Err(Error::argument(
            "features.ngram",
            options.ngram,
            "must be 2, 3 or 0 (no n-grams)",
        ));
    }
    if !(1..=4096).contains(&options.max_features) {
        return Err(Error::argument(
            "features.max_features",
            options.max_features,
            "must be 1 to 4096",
        ));
    }
    let terms: Terms = over_cases(
        log,
        Terms::default,
        |terms: &mut Terms, log, cases| {
            for c in cases {
                let acts = log.case(c).activities();
                let mut seen: FxHashMap<&[u32], u64> = FxHashMap::default();
                for t in terms_of(acts, options) {
                    *seen.entry(t).or_default() += 1;
                }
                for (t, n) in seen {
                    let e = terms.entry(t.to_vec()).or_default();
                    e.0 += n;
                    e.1 += 1;
                }
            }
        },
        |mut a, b| {
            for (t, (n, df)) in b {
                let e = a.entry(t).or_default();
                e.0 += n;
                e.1 += df;
            }
            a
        },
    );
    let name = |t: &[u32]| -> String {
        t.iter()
            .map(|&a| log.activities().get(a))
            .collect::<Vec<_>>()
            .join(" > ")
    };
    let mut vocabulary: Vec<(Vec<u32>, u64, u64, String)> = terms
        .into_iter()
        .map(|(t, (n, df))| {
            let label = name(&t);
            (t, n, df, label)
        })
        .collect();
    vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.3.cmp(&b.3)));
    vocabulary.truncate(options.max_features);
    vocabulary.sort_by(|a, b| a.3.cmp(&b.3));
    let n = log.num_cases();
    let index: FxHashMap<&[u32], usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, v)| (v.0.as_slice(), i))
        .collect();
    let idf: Vec<f64> = vocabulary
        .iter()
        .map(|v| ((1.0 + n as f64) / (1.0 + v.2 as f64)).ln() + 1.0)
        .collect();
    let mut names: Vec<String> = vocabulary.iter().map(|v| v.3.clone()).collect();
    let numeric = [("duration", options.duration), ("events", options.events)];
    let extra: Vec<&str> = numeric.iter().filter(|f| f.1).map(|f| f.0).collect();
    names.extend(extra.iter().map(|s| format!("ln(1 + {s})")));
    let dims = names.len();
    if dims == 0 {
        return Err(Error::argument(
            "features",
            "none",
            "give at least one kind of feature (activities, ngram, duration or events)",
        ));
    }
    let terms_d = vocabulary.len();
    let mut values = vec![0.0; n * dims];
    values
        .par_chunks_mut(dims)
        .enumerate()
        .for_each(|(c, row)| {
            let case = log.case(c);
            for t in terms_of(case.activities(), options) {
                if let Some(&i) = index.get(t) {
                    row[i] += 1.0;
                }
            }
            let mut norm = 0.0;
            for (v, w) in row[..terms_d].iter_mut().zip(&idf) {
                *v *= w;
                norm += *v * *v;
            }
            if norm > 0.0 {
                let s = norm.sqrt();
                row[..terms_d].iter_mut().for_each(|v| *v /= s);
            }
            let ts = case.timestamps();
            let mut k = terms_d;
            if options.duration {
                let seconds = match (ts.first(), ts.last()) {
                    (Some(a), Some(b)) => (b - a) as f64 / 1e9,
                    _ => 0.0,
                };
                row[k] = seconds.ln_1p();
                k += 1;
            }
            if options.events {
                row[k] = (ts.len() as f64).ln_1p();
            }
        });
    for k in terms_d..dims {
        standardise(&mut values, dims, k);
    }
    Ok(Features {
        names,
        values,
        rows: n,
    })
}

/// Column `k` to mean 0 and variance 1 (left at 0 when it does not vary).
fn standardise(values: &mut [f64], dims: usize, k: usize) {
    let n = (values.len() / dims) as f64;
    let mean = values.iter().skip(k).step_by(dims).sum::<f64>() / n;
    let var = values
        .iter()
        .skip(k)
        .step_by(dims)
        .map(|x| (x - mean).powi(2))
        .sum::<f64>()
        / n;
    let sd = var.sqrt();
    for v in values.iter_mut().skip(k).step_by(dims) {
        *v = if sd > 0.0 { (*v - mean) / sd } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::LogBuilder;

    #[test]
    fn tf_idf_by_hand() {
        // Cases ab and aa: terms a (3 times, df 2), b (1, df 1), a > b (1, df 1), a > a (1, df 1).
        let mut b = LogBuilder::new();
        for (case, path) in [("1", "ab"), ("2", "aa")] {
            for (t, a) in path.chars().enumerate() {
                b.push(case, &a.to_string(), t as i64).unwrap();
            }
        }
        let f = features(&b.finish().unwrap(), &FeatureOptions::default()).unwrap();
        assert_eq!(f.names, ["a", "a > a", "a > b", "b"]);
        let (common, rare) = (1.0, (3.0f64 / 2.0).ln() + 1.0);
        // Case 1: a 1·1, a > b 1·rare, b 1·rare, scaled to unit length.
        let norm = (common * common + 2.0 * rare * rare).sqrt();
        let expect = [common / norm, 0.0, rare / norm, rare / norm];
        for (x, e) in f.row(0).iter().zip(expect) {
            assert!((x - e).abs() < 1e-12, "{:?}", f.row(0));
        }
        // Case 2: a 2·1, a > a 1·rare.
        let norm = (4.0 + rare * rare).sqrt();
        assert!((f.row(1)[0] - 2.0 / norm).abs() < 1e-12);
        assert!((f.row(1)[1] - rare / norm).abs() < 1e-12);
    }
}
