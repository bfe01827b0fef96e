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

use super::kmeans::Sparse;
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

/// The features of every case: a row a case, a column a name, kept as the nonzeros.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub names: Vec<String>,
    pub rows: Sparse,
}

impl Features {
    pub fn dims(&self) -> usize {
        self.names.len()
    }

    /// Case `i`'s row with its zeros.
    pub fn row(&self, i: usize) -> Vec<f64> {
        self.rows.dense(i)
    }
}

/// Term occurrences and document frequencies, by term.
type Terms = FxHashMap<Term, (u64, u64)>;

/// A term of one to three activity codes, packed: its length in the top bits, then the codes.
type Term = u128;

fn term(codes: &[u32]) -> Term {
    debug_assert!(codes.len() <= 3);
    let low = codes.iter().fold(0u128, |t, &a| (t << 32) | a as u128);
    ((codes.len() as u128) << 96) | low
}

/// The activity codes of a term.
fn codes(t: Term) -> Vec<u32> {
    let len = (t >> 96) as usize;
    (0..len).rev().map(|i| (t >> (32 * i)) as u32).collect()
}

fn terms_of<'a>(acts: &'a [u32], options: &'a FeatureOptions) -> impl Iterator<Item = Term> + 'a {
    let singles = acts.chunks(1).filter(move |_| options.activities);
    let n = options.ngram.max(1);
    let grams = acts.windows(n).filter(move |_| options.ngram >= 2);
    singles.chain(grams).map(term)
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
            // A case's terms, sorted: each run is one term and its occurrences.
            let mut seen: Vec<Term> = Vec::new();
            for c in cases {
                seen.clear();
                seen.extend(terms_of(log.case(c).activities(), options));
                seen.sort_unstable();
                for run in seen.chunk_by(|a, b| a == b) {
                    let e = terms.entry(run[0]).or_default();
                    e.0 += run.len() as u64;
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
    let name = |t: Term| log.activities().path(&codes(t));
    let mut vocabulary: Vec<(Term, u64, u64, String)> = terms
        .into_iter()
        .map(|(t, (n, df))| (t, n, df, name(t)))
        .collect();
    vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.3.cmp(&b.3)));
    vocabulary.truncate(options.max_features);
    vocabulary.sort_by(|a, b| a.3.cmp(&b.3));
    let n = log.num_cases();
    let index: FxHashMap<Term, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, v)| (v.0, i))
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
    // Each case's tf-idf terms (column, value), columns rising, in parallel.
    let tf_idf: Vec<Vec<(usize, f64)>> = (0..n)
        .into_par_iter()
        .map(|c| {
            let mut row: Vec<(usize, f64)> = terms_of(log.case(c).activities(), options)
                .filter_map(|t| index.get(&t).map(|&i| (i, 1.0)))
                .collect();
            row.sort_unstable_by_key(|e| e.0);
            row.dedup_by(|b, a| {
                let same = a.0 == b.0;
                if same {
                    a.1 += b.1;
                }
                same
            });
            let mut norm = 0.0;
            for (i, v) in row.iter_mut() {
                *v *= idf[*i];
                norm += *v * *v;
            }
            if norm > 0.0 {
                let s = norm.sqrt();
                row.iter_mut().for_each(|e| e.1 /= s);
            }
            row
        })
        .collect();
    // ln(1 + duration) and ln(1 + events), standardised over the cases.
    let columns: Vec<Vec<f64>> = numeric
        .iter()
        .filter(|f| f.1)
        .map(|f| {
            let mut column: Vec<f64> = (0..n)
                .map(|c| {
                    let ts = log.case(c).timestamps();
                    match f.0 {
                        "duration" => match (ts.first(), ts.last()) {
                            (Some(a), Some(b)) => ((b - a) as f64 / 1e9).ln_1p(),
                            _ => 0.0,
                        },
                        _ => (ts.len() as f64).ln_1p(),
                    }
                })
                .collect();
            standardise(&mut column);
            column
        })
        .collect();
    let mut rows = Sparse::new(dims);
    for (c, row) in tf_idf.into_iter().enumerate() {
        let extra = columns
            .iter()
            .enumerate()
            .map(|(k, col)| (terms_d + k, col[c]));
        rows.push(row.into_iter().chain(extra));
    }
    Ok(Features { names, rows })
}

/// The values to mean 0 and variance 1 (left at 0 when they do not vary).
fn standardise(values: &mut [f64]) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let sd = var.sqrt();
    for v in values.iter_mut() {
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
