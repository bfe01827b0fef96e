//! Personas from behaviour: customers (cases) grouped by how their journeys go, each group
//! profiled by what sets it apart, and drafted as the `Persona` entries of a map.
//!
//! 1. [`features`]: tf-idf of each case's activities and activity n-grams (and optionally its
//!    duration and length).
//! 2. Clusters (`method`): [`kmeans`] on the features, k-means++ and Lloyd's iterations, seeded
//!    (the default, any size of log); or [`kmedoids`], PAM on the edit distance of the cases'
//!    activity sequences, for logs of at most [`MAX_KMEDOIDS_CASES`] cases, each cluster
//!    represented by its medoid, a real journey. `k` given, or the `k` of the best silhouette in
//!    `k_range` (the silhouette on a seeded sample of at most `silhouette_sample` cases, in the
//!    method's distance).
//! 3. Profiles: each cluster's size and share, its most frequent paths, its distinguishing
//!    features (the mean in the cluster against the rest: lift = mean in ÷ mean out, and the
//!    Welch z-test's two-sided p, the most significant first among those with lift > 1), its
//!    conversion (cases with `outcome_activity`, Wilson interval, and the two-proportion z-test
//!    against the rest), mean duration and events, its channel mix (`channel_attribute`), and
//!    with `clv` its customers' lifetime value ([`value`]: BG/NBD and Gamma-Gamma fitted on the
//!    whole log, each cluster's buyers, mean CLV with its interval and share of the total).
//! 4. Draft personas: an id and a placeholder name for people to replace, a description with the
//!    share and the distinguishing features, goals suggested from the activities it does more
//!    (and its conversion when higher), frustrations from repeated steps (`a > a`) and longer
//!    journeys when they set it apart.
//!
//! The term counts of the features are mergeable; the clustering is not (k-means needs every row,
//! k-medoids every pair: cluster a sample and assign the rest to the nearest center to scale out).

pub mod features;
pub mod kmeans;
pub mod kmedoids;
pub mod value;

use self::features::{FeatureOptions, Features};
use self::kmeans::KMeansOptions;
use self::kmedoids::Distances;
use self::value::{ClusterValue, ValueModel, ValueOptions};
use crate::analytics::stats::{self, Rng};
use crate::error::{Error, Result};
use crate::log::EventLog;
use crate::model::Persona;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// How cases are clustered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// k-means on the features.
    #[default]
    Kmeans,
    /// k-medoids (PAM) on the edit distance of the activity sequences.
    Kmedoids,
}

impl Method {
    /// The name used in requests (`"kmedoids"`).
    pub fn name(self) -> &'static str {
        match self {
            Method::Kmeans => "kmeans",
            Method::Kmedoids => "kmedoids",
        }
    }
}

/// Cases k-medoids takes at most: their n(n − 1)/2 distances take 4 bytes each (50 MB here).
pub const MAX_KMEDOIDS_CASES: usize = 5000;

/// The `personas` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonasRequest {
    /// Clusters; chosen by silhouette over `k_range` when absent.
    #[serde(default)]
    pub k: Option<usize>,
    /// The k tried when `k` is absent (2 to 8).
    #[serde(default = "k_range")]
    pub k_range: (usize, usize),
    /// `kmeans` (default) or `kmedoids`.
    #[serde(default)]
    pub method: Method,
    #[serde(default)]
    pub features: FeatureOptions,
    /// The activity whose cases convert (a profile KPI, not a feature).
    #[serde(default)]
    pub outcome_activity: Option<String>,
    /// A text event attribute whose mix each cluster reports (`channel`).
    #[serde(default)]
    pub channel_attribute: Option<String>,
    /// Purchases and their values: each cluster's customer lifetime value ([`value`]).
    #[serde(default)]
    pub clv: Option<ValueOptions>,
    #[serde(default)]
    pub seed: u64,
    /// k-means starts (4).
    #[serde(default = "four")]
    pub starts: usize,
    /// k-means: Lloyd iterations of a start; k-medoids: SWAP exchanges (300 at most).
    #[serde(default = "three_hundred")]
    pub max_iterations: usize,
    /// Cases in the silhouette's sample (2000; 10 to 20000).
    #[serde(default = "two_thousand")]
    pub silhouette_sample: usize,
    /// Distinguishing features and paths listed per cluster (5).
    #[serde(default = "five")]
    pub top: usize,
    /// Significance level of the distinguishing features (0.05).
    #[serde(default = "alpha")]
    pub alpha: f64,
}

fn k_range() -> (usize, usize) {
    (2, 8)
}
fn four() -> usize {
    4
}
fn three_hundred() -> usize {
    300
}
fn two_thousand() -> usize {
    2000
}
fn five() -> usize {
    5
}
fn alpha() -> f64 {
    0.05
}

impl Default for PersonasRequest {
    fn default() -> Self {
        PersonasRequest {
            k: None,
            k_range: k_range(),
            method: Method::Kmeans,
            features: FeatureOptions::default(),
            outcome_activity: None,
            channel_attribute: None,
            clv: None,
            seed: 0,
            starts: 4,
            max_iterations: 300,
            silhouette_sample: 2000,
            top: 5,
            alpha: 0.05,
        }
    }
}

/// A feature that sets a cluster apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distinguishing {
    pub feature: String,
    pub mean: f64,
    pub rest_mean: f64,
    /// mean ÷ rest mean; none when the rest's mean is 0.
    pub lift: Option<f64>,
    /// Welch's z of the difference.
    pub z: f64,
    pub p_value: f64,
}

/// A path and its cases in a cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterPath {
    pub path: String,
    pub cases: u64,
}

/// A share with its Wilson interval, and the test against the rest of the cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    pub converted: u64,
    pub rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub rest_rate: Option<f64>,
    /// Two-proportion z-test against the rest; none when a side has no cases.
    pub p_value: Option<f64>,
}

/// One share of a channel mix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelShare {
    pub channel: String,
    pub share: f64,
}

/// One cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub cluster: usize,
    pub cases: u64,
    pub share: f64,
    /// k-medoids: the case id of the cluster's medoid, the journey that represents it.
    pub medoid: Option<String>,
    pub top_paths: Vec<ClusterPath>,
    pub distinguishing: Vec<Distinguishing>,
    pub conversion: Option<Conversion>,
    pub mean_duration_seconds: f64,
    pub mean_events: f64,
    pub channels: Vec<ChannelShare>,
    /// Its customers' lifetime value (with the request's `clv`).
    pub value: Option<ClusterValue>,
}

/// A silhouette tried for one k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    pub k: usize,
    pub silhouette: Option<f64>,
    pub inertia: f64,
}

/// Personas of a log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Personas {
    pub method: Method,
    pub k: usize,
    pub features: Vec<String>,
    pub silhouette: Option<f64>,
    /// k-means: Σ squared distance of each case to its center; k-medoids: Σ edit distance of each
    /// case to its medoid.
    pub inertia: f64,
    /// The k tried when k was chosen by silhouette.
    pub k_scores: Vec<KScore>,
    pub clusters: Vec<Cluster>,
    /// Cluster of each case, in the log's case order, with the case ids.
    pub assignments: Assignments,
    /// Draft `Persona` entries for a map document.
    pub personas: Vec<Persona>,
    /// The mean of each cluster's distinguishing features in every cluster: the feature heat map.
    pub heat_map: HeatMap,
    /// The CLV models fitted on the whole log (with the request's `clv`).
    pub value_model: Option<ValueModel>,
}

/// Cluster means of the features that set some cluster apart (each cluster's first
/// [`HEAT_MAP_PER_CLUSTER`], at most [`HEAT_MAP_FEATURES`] in all), for the heat map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatMap {
    pub features: Vec<String>,
    /// `means[cluster][feature]`.
    pub means: Vec<Vec<f64>>,
}

/// Distinguishing features a cluster gives the heat map.
pub const HEAT_MAP_PER_CLUSTER: usize = 3;
/// Columns of the heat map at most.
pub const HEAT_MAP_FEATURES: usize = 12;

/// The cluster of each case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "columns")]
pub struct Assignments {
    pub case: Vec<String>,
    pub cluster: Vec<usize>,
}

/// Personas of `log`.
pub fn personas(log: &EventLog, request: &PersonasRequest) -> Result<Personas> {
    let n = log.num_cases();
    let alpha = stats::check_alpha(request.alpha)?;
    if !(1..=100).contains(&request.starts) {
        return Err(Error::argument(
            "starts",
            request.starts,
            "must be 1 to 100",
        ));
    }
    if !(1..=10_000).contains(&request.max_iterations) {
        return Err(Error::argument(
            "max_iterations",
            request.max_iterations,
            "must be 1 to 10000",
        ));
    }
    if !(10..=20_000).contains(&request.silhouette_sample) {
        return Err(Error::argument(
            "silhouette_sample",
            request.silhouette_sample,
            "must be 10 to 20000",
        ));
    }
    let ks: Vec<usize> = match request.k {
        Some(k) if (1..=256).contains(&k) => vec![k],
        Some(k) => return Err(Error::argument("k", k, "must be 1 to 256")),
        None => {
            let (a, b) = request.k_range;
            if !(2 <= a && a <= b && b <= 64) {
                return Err(Error::argument(
                    "k_range",
                    format!("[{a}, {b}]"),
                    "must be [low, high] with 2 ≤ low ≤ high ≤ 64",
                ));
            }
            (a..=b).collect()
        }
    };
    if n < *ks.iter().max().expect("one k") {
        return Err(Error::MissingData {
            path: "k".into(),
            what: format!(
                "at least as many cases as clusters ({} cases, k up to {})",
                n,
                ks.iter().max().expect("one k")
            ),
        });
    }
    let outcome = match &request.outcome_activity {
        Some(a) => Some(log.activity_code(a, "outcome_activity")?),
        None => None,
    };
    let channels = match &request.channel_attribute {
        Some(name) => Some(crate::analytics::scores::Labels::find(
            log,
            "channel_attribute",
            name,
        )?),
        None => None,
    };
    if request.method == Method::Kmedoids && n > MAX_KMEDOIDS_CASES {
        return Err(Error::argument(
            "method",
            "kmedoids",
            format!("takes at most {MAX_KMEDOIDS_CASES} cases (every pair's distance), and this log has {n}: use kmeans, or a sample of the cases"),
        ));
    }
    let f = features::features(log, &request.features)?;
    let distances = (request.method == Method::Kmedoids).then(|| {
        let paths: Vec<&[u32]> = (0..n).map(|c| log.case(c).activities()).collect();
        Distances::edit(&paths)
    });
    let options = KMeansOptions {
        starts: request.starts,
        max_iterations: request.max_iterations,
        tolerance: 1e-4,
        seed: request.seed,
    };
    let sample = sample_rows(n, request.silhouette_sample, request.seed);
    let mut k_scores = Vec::new();
    let mut best: Option<(usize, Partition, Option<f64>)> = None;
    for &k in &ks {
        let fit = match &distances {
            None => {
                let fit = kmeans::kmeans_sparse(&f.rows, k, &options);
                Partition {
                    labels: fit.labels,
                    inertia: fit.inertia,
                    medoids: None,
                }
            }
            Some(m) => {
                let fit = kmedoids::kmedoids(m, k, request.max_iterations);
                Partition {
                    labels: fit.labels,
                    inertia: fit.cost as f64,
                    medoids: Some(fit.medoids),
                }
            }
        };
        let s = match (&distances, k >= 2) {
            (_, false) => None,
            (None, true) => {
                kmeans::silhouette_of(&fit.labels, &sample, |i, j| f.rows.distance(i, j))
            }
            (Some(m), true) => {
                kmeans::silhouette_of(&fit.labels, &sample, |i, j| f64::from(m.get(i, j)))
            }
        };
        k_scores.push(KScore {
            k,
            silhouette: s,
            inertia: fit.inertia,
        });
        let better = match &best {
            None => true,
            Some((_, _, bs)) => s.unwrap_or(f64::NEG_INFINITY) > bs.unwrap_or(f64::NEG_INFINITY),
        };
        if better {
            best = Some((k, fit, s));
        }
    }
    let (k, fit, silhouette) = best.expect("one k tried");
    // Clusters numbered by size, largest first (ties by first case).
    let mut sizes = vec![0u64; k];
    let mut first = vec![usize::MAX; k];
    for (i, &l) in fit.labels.iter().enumerate() {
        sizes[l] += 1;
        first[l] = first[l].min(i);
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(first[a].cmp(&first[b])));
    let mut renumber = vec![0; k];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    let labels: Vec<usize> = fit.labels.iter().map(|&l| renumber[l]).collect();
    let mut clusters = profiles(
        log,
        &f,
        &labels,
        k,
        outcome,
        channels.as_ref(),
        request,
        alpha,
    );
    if let Some(medoids) = &fit.medoids {
        for (cluster, &old) in clusters.iter_mut().zip(&order) {
            cluster.medoid = Some(log.case(medoids[old]).id().to_string());
        }
    }
    let value_model = match &request.clv {
        Some(options) => {
            let (model, values) = value::cluster_values(log, &labels, k, options)?;
            for (cluster, v) in clusters.iter_mut().zip(values) {
                cluster.value = Some(v);
            }
            Some(model)
        }
        None => None,
    };
    let personas = clusters.iter().map(|c| draft(c, alpha)).collect();
    let heat_map = heat_map(&f, &labels, &clusters);
    Ok(Personas {
        method: request.method,
        k,
        features: f.names.clone(),
        silhouette,
        inertia: fit.inertia,
        k_scores: if request.k.is_some() {
            Vec::new()
        } else {
            k_scores
        },
        clusters,
        assignments: Assignments {
            case: (0..n).map(|c| log.case(c).id().to_string()).collect(),
            cluster: labels,
        },
        personas,
        heat_map,
        value_model,
    })
}

/// A partition of the cases by either method.
struct Partition {
    labels: Vec<usize>,
    inertia: f64,
    /// k-medoids: the case of each cluster's medoid.
    medoids: Option<Vec<usize>>,
}

/// The cluster means of the features that set the clusters apart.
fn heat_map(f: &Features, labels: &[usize], clusters: &[Cluster]) -> HeatMap {
    let mut features: Vec<String> = Vec::new();
    for c in clusters {
        for d in c.distinguishing.iter().take(HEAT_MAP_PER_CLUSTER) {
            if !features.contains(&d.feature) && features.len() < HEAT_MAP_FEATURES {
                features.push(d.feature.clone());
            }
        }
    }
    let dims: Vec<usize> = features
        .iter()
        .filter_map(|name| f.names.iter().position(|n| n == name))
        .collect();
    let mut means = vec![vec![0.0; dims.len()]; clusters.len()];
    for (i, &c) in labels.iter().enumerate() {
        for (d, x) in f.rows.nonzeros(i) {
            if let Some(j) = dims.iter().position(|&e| e == d) {
                means[c][j] += x;
            }
        }
    }
    for (c, cluster) in clusters.iter().enumerate() {
        means[c]
            .iter_mut()
            .for_each(|m| *m /= cluster.cases.max(1) as f64);
    }
    HeatMap { features, means }
}

/// At most `m` of `0..n`, seeded (all when n ≤ m).
fn sample_rows(n: usize, m: usize, seed: u64) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..n).collect();
    if n <= m {
        return rows;
    }
    let mut rng = Rng::new(seed ^ 0x5151_5151);
    for i in 0..m {
        let j = i + rng.below(n - i);
        rows.swap(i, j);
    }
    rows.truncate(m);
    rows.sort_unstable();
    rows
}

#[allow(clippy::too_many_arguments)]
fn profiles(
    log: &EventLog,
    f: &Features,
    labels: &[usize],
    k: usize,
    outcome: Option<u32>,
    channels: Option<&crate::analytics::scores::Labels<'_>>,
    request: &PersonasRequest,
    alpha: f64,
) -> Vec<Cluster> {
    let n = labels.len();
    let dims = f.dims();
    // Per cluster: Σx and Σx² of each feature.
    let mut sum = vec![0.0; k * dims];
    let mut sq = vec![0.0; k * dims];
    let mut count = vec![0u64; k];
    let mut converted = vec![0u64; k];
    let mut seconds = vec![0.0; k];
    let mut events = vec![0u64; k];
    let mut paths: Vec<FxHashMap<&[u32], u64>> = vec![FxHashMap::default(); k];
    let mut mix: Vec<FxHashMap<String, u64>> = vec![FxHashMap::default(); k];
    for (i, &c) in labels.iter().enumerate() {
        count[c] += 1;
        for (d, x) in f.rows.nonzeros(i) {
            sum[c * dims + d] += x;
            sq[c * dims + d] += x * x;
        }
        let case = log.case(i);
        let acts = case.activities();
        let ts = case.timestamps();
        if let (Some(a), Some(b)) = (ts.first(), ts.last()) {
            seconds[c] += (b - a) as f64 / 1e9;
        }
        events[c] += acts.len() as u64;
        if outcome.is_some_and(|o| acts.contains(&o)) {
            converted[c] += 1;
        }
        *paths[c].entry(acts).or_default() += 1;
        if let Some(l) = channels {
            for e in case.events() {
                if let Some(label) = l.label(i, e) {
                    *mix[c].entry(label).or_default() += 1;
                }
            }
        }
    }
    let total_sum: Vec<f64> = (0..dims)
        .map(|d| (0..k).map(|c| sum[c * dims + d]).sum())
        .collect();
    let total_sq: Vec<f64> = (0..dims)
        .map(|d| (0..k).map(|c| sq[c * dims + d]).sum())
        .collect();
    let total_converted: u64 = converted.iter().sum();
    let z = stats::z_for(0.95).expect("0.95 is a confidence");
    (0..k)
        .map(|c| {
            let m = count[c] as f64;
            let rest = (n as u64 - count[c]) as f64;
            let mut distinguishing: Vec<Distinguishing> = (0..dims)
                .filter_map(|d| {
                    if rest == 0.0 || m < 2.0 || rest < 2.0 {
                        return None;
                    }
                    let (s_in, q_in) = (sum[c * dims + d], sq[c * dims + d]);
                    let (s_out, q_out) = (total_sum[d] - s_in, total_sq[d] - q_in);
                    let (mean, rest_mean) = (s_in / m, s_out / rest);
                    let var = |s: f64, q: f64, n: f64| ((q - s * s / n) / (n - 1.0)).max(0.0);
                    let se = (var(s_in, q_in, m) / m + var(s_out, q_out, rest) / rest).sqrt();
                    if se == 0.0 {
                        return None;
                    }
                    let zd = (mean - rest_mean) / se;
                    Some(Distinguishing {
                        feature: f.names[d].clone(),
                        mean,
                        rest_mean,
                        lift: (rest_mean != 0.0).then(|| mean / rest_mean),
                        z: zd,
                        p_value: stats::two_sided_p(zd),
                    })
                })
                .filter(|x| x.mean > x.rest_mean && x.p_value < alpha)
                .collect();
            distinguishing.sort_by(|a, b| b.z.total_cmp(&a.z).then(a.feature.cmp(&b.feature)));
            distinguishing.truncate(request.top);
            let top_paths = top_paths_of(log, &paths[c], request.top);
            let conversion = outcome.map(|_| {
                let (x, size) = (converted[c], count[c]);
                let (lo, hi) = stats::wilson(x, size, z);
                let (rx, rn) = (total_converted - x, n as u64 - size);
                Conversion {
                    converted: x,
                    rate: x as f64 / size as f64,
                    ci_low: lo,
                    ci_high: hi,
                    rest_rate: (rn > 0).then(|| rx as f64 / rn as f64),
                    p_value: stats::two_proportion_z(x, size, rx, rn).map(|t| t.1),
                }
            });
            let mix_total: u64 = mix[c].values().sum();
            let mut channels: Vec<ChannelShare> = mix[c]
                .iter()
                .map(|(ch, &n)| ChannelShare {
                    channel: ch.clone(),
                    share: n as f64 / mix_total as f64,
                })
                .collect();
            channels.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.channel.cmp(&b.channel)));
            Cluster {
                cluster: c,
                cases: count[c],
                share: m / n as f64,
                medoid: None,
                top_paths,
                distinguishing,
                conversion,
                mean_duration_seconds: seconds[c] / m,
                mean_events: events[c] as f64 / m,
                channels,
                value: None,
            }
        })
        .collect()
}

/// The `top` most frequent paths, ties by name (named only the paths that can make the list).
fn top_paths_of(log: &EventLog, paths: &FxHashMap<&[u32], u64>, top: usize) -> Vec<ClusterPath> {
    let mut counts: Vec<(&[u32], u64)> = paths.iter().map(|(p, &n)| (*p, n)).collect();
    counts.sort_unstable_by_key(|c| std::cmp::Reverse(c.1));
    let Some(&(_, least)) = counts.get(top.saturating_sub(1)).or(counts.last()) else {
        return Vec::new();
    };
    let mut named: Vec<ClusterPath> = counts
        .iter()
        .take_while(|c| c.1 >= least)
        .map(|&(p, n)| ClusterPath {
            path: log.activities().path(p),
            cases: n,
        })
        .collect();
    named.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.path.cmp(&b.path)));
    named.truncate(top);
    named
}

/// A draft persona of a cluster: a placeholder name, suggested goals and frustrations.
fn draft(c: &Cluster, alpha: f64) -> Persona {
    let mut goals = Vec::new();
    let mut frustrations = Vec::new();
    for d in &c.distinguishing {
        let lift = d.lift.map_or("only in this group".to_string(), |l| {
            format!("{l:.1}× the rest")
        });
        let steps: Vec<&str> = d.feature.split(" > ").collect();
        if d.feature.starts_with("ln(1 + duration") {
            frustrations.push(format!("longer journeys than the rest (z = {:.1})", d.z));
        } else if steps.len() > 1 && steps.windows(2).any(|w| w[0] == w[1]) {
            frustrations.push(format!("repeats '{}' ({lift})", steps[0]));
        } else if !d.feature.starts_with("ln(1 + ") {
            goals.push(format!("goes through '{}' ({lift})", d.feature));
        }
    }
    if let Some(conv) = &c.conversion {
        if let (Some(rest), Some(p)) = (conv.rest_rate, conv.p_value) {
            if p < alpha && conv.rate > rest {
                goals.push(format!(
                    "converts more than the rest ({:.0}% against {:.0}%)",
                    100.0 * conv.rate,
                    100.0 * rest
                ));
            } else if p < alpha {
                frustrations.push(format!(
                    "converts less than the rest ({:.0}% against {:.0}%)",
                    100.0 * conv.rate,
                    100.0 * rest
                ));
            }
        }
    }
    let features: Vec<&str> = c
        .distinguishing
        .iter()
        .map(|d| d.feature.as_str())
        .collect();
    let path = c.top_paths.first().map_or("", |p| p.path.as_str());
    Persona {
        id: format!("persona-{}", c.cluster + 1),
        name: format!("Persona {} (to be named)", c.cluster + 1),
        description: Some(format!(
            "Draft from behaviour: {:.0}% of customers ({} cases); most common path {}{}{}",
            100.0 * c.share,
            c.cases,
            path,
            if features.is_empty() {
                String::new()
            } else {
                format!("; sets apart: {}", features.join(", "))
            },
            match c
                .value
                .as_ref()
                .and_then(|v| v.mean_clv.map(|m| (m, v.share_of_total)))
            {
                Some((mean, share)) => format!(
                    "; mean lifetime value {mean:.2}, {:.0}% of all customers' value",
                    100.0 * share
                ),
                None => String::new(),
            }
        )),
        goals,
        needs: Vec::new(),
        frustrations,
    }
}
