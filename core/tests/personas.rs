//! Personas from behaviour: groups of customers planted with different transition matrices are
//! recovered (adjusted Rand index ≥ 0.9), profiled by what sets them apart, and drafted.

use journeystream::analytics::personas::kmeans::adjusted_rand_index;
use journeystream::analytics::personas::kmedoids::edit_distance;
use journeystream::analytics::personas::{personas, Method, PersonasRequest, MAX_KMEDOIDS_CASES};
use journeystream::analytics::request::analyze_json;
use journeystream::analytics::stats::Rng;
use journeystream::log::{AttrValue, EventLog, LogBuilder};

const ACTIVITIES: [&str; 7] = [
    "visit", "search", "compare", "cart", "buy", "support", "end",
];

/// Row i: the probabilities of going from activity i to each activity.
type Matrix = [[f64; 7]; 7];

/// Browsers search and compare and rarely buy; buyers go straight to the cart; strugglers
/// call support again and again.
fn groups() -> [Matrix; 3] {
    let browsers = [
        [0.0, 0.7, 0.3, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.3, 0.5, 0.0, 0.0, 0.0, 0.2],
        [0.0, 0.5, 0.2, 0.0, 0.0, 0.0, 0.3],
        [0.0, 0.2, 0.2, 0.0, 0.2, 0.0, 0.4],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        [0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.5],
        [0.0; 7],
    ];
    let buyers = [
        [0.0, 0.1, 0.0, 0.9, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.9, 0.0, 0.0, 0.1],
        [0.0, 0.0, 0.0, 0.9, 0.0, 0.0, 0.1],
        [0.0, 0.0, 0.0, 0.0, 0.95, 0.0, 0.05],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.5],
        [0.0; 7],
    ];
    let strugglers = [
        [0.0, 0.2, 0.0, 0.0, 0.0, 0.8, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.8, 0.2],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.8, 0.2],
        [0.0, 0.0, 0.0, 0.0, 0.3, 0.5, 0.2],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        [0.0, 0.1, 0.0, 0.1, 0.0, 0.6, 0.2],
        [0.0; 7],
    ];
    [browsers, buyers, strugglers]
}

fn uniform(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// `per_group` customers of each group; the planted label of each case in log order.
fn planted(per_group: usize, seed: u64) -> (EventLog, Vec<usize>) {
    let mut rng = Rng::new(seed);
    let mut b = LogBuilder::new();
    let mut labels = Vec::new();
    let matrices = groups();
    for i in 0..per_group * 3 {
        let g = i % 3;
        let case = format!("c{i}");
        labels.push(g);
        let (mut state, mut t) = (0usize, i as i64 * 1_000_000_000_000);
        for _ in 0..15 {
            let e = b.push(&case, ACTIVITIES[state], t).unwrap();
            let channel = if state == 5 { "phone" } else { "web" };
            b.set_event_attribute(e, "channel", AttrValue::Text(channel));
            let u = uniform(&mut rng);
            let mut acc = 0.0;
            state = (0..7)
                .find(|&j| {
                    acc += matrices[g][state][j];
                    u < acc
                })
                .unwrap_or(6);
            if state == 6 {
                break;
            }
            t += 60_000_000_000 * (1 + g as i64 * 10);
        }
    }
    (b.finish().unwrap(), labels)
}

#[test]
fn planted_groups_are_recovered() {
    let (log, truth) = planted(1000, 1);
    let request = PersonasRequest {
        k: Some(3),
        outcome_activity: Some("buy".into()),
        channel_attribute: Some("channel".into()),
        ..PersonasRequest::default()
    };
    let p = personas(&log, &request).unwrap();
    let ari = adjusted_rand_index(&p.assignments.cluster, &truth);
    assert!(ari >= 0.9, "ARI {ari}");
    assert_eq!(p.clusters.iter().map(|c| c.cases).sum::<u64>(), 3000);
    // The buyers' cluster converts most, and its profile says so against the rest.
    let buyers = p
        .clusters
        .iter()
        .max_by(|a, b| {
            let r = |c: &journeystream::analytics::personas::Cluster| {
                c.conversion.as_ref().unwrap().rate
            };
            r(a).total_cmp(&r(b))
        })
        .unwrap();
    let conv = buyers.conversion.as_ref().unwrap();
    assert!(conv.rate > 0.8 && conv.p_value.unwrap() < 1e-10, "{conv:?}");
    assert!(buyers
        .distinguishing
        .iter()
        .any(|d| d.feature == "cart > buy"));
    let draft = &p.personas[buyers.cluster];
    assert!(
        draft.goals.iter().any(|g| g.contains("converts more")),
        "{draft:?}"
    );
    // The strugglers repeat support, on the phone.
    let strugglers = p
        .clusters
        .iter()
        .find(|c| c.channels.first().is_some_and(|ch| ch.channel == "phone"))
        .expect("a cluster mostly on the phone");
    assert!(p.personas[strugglers.cluster]
        .frustrations
        .iter()
        .any(|f| f.contains("repeats 'support'")));
    // Deterministic under its seed.
    assert_eq!(personas(&log, &request).unwrap(), p);
}

/// `per_group` customers of each of three path shapes (browsing, buying, calling support), each
/// step of a shape changed with probability 0.15 (replaced by another activity, dropped, or
/// followed by an extra one); the planted label of each case in log order.
fn shapes(per_group: usize, seed: u64) -> (EventLog, Vec<usize>) {
    let shapes: [&[usize]; 3] = [&[0, 1, 2, 1, 2, 1, 6], &[0, 3, 4, 6], &[0, 5, 5, 5, 5, 6]];
    let mut rng = Rng::new(seed);
    let mut b = LogBuilder::new();
    let mut labels = Vec::new();
    for i in 0..per_group * 3 {
        let (g, case) = (i % 3, format!("c{i}"));
        labels.push(g);
        let mut t = i as i64 * 1_000_000_000_000;
        let mut push = |a: usize| {
            b.push(&case, ACTIVITIES[a], t).unwrap();
            t += 60_000_000_000;
        };
        for &step in shapes[g] {
            match (uniform(&mut rng) < 0.15, rng.below(3)) {
                (false, _) => push(step),
                (true, 0) => push(rng.below(7)),
                (true, 1) => {}
                (true, _) => {
                    push(step);
                    push(rng.below(7));
                }
            }
        }
    }
    (b.finish().unwrap(), labels)
}

#[test]
fn kmedoids_on_edit_distance_recovers_planted_path_shapes() {
    let (log, truth) = shapes(300, 1);
    let request = PersonasRequest {
        method: Method::Kmedoids,
        k: Some(3),
        outcome_activity: Some("buy".into()),
        ..PersonasRequest::default()
    };
    let p = personas(&log, &request).unwrap();
    assert_eq!(p.method, Method::Kmedoids);
    let ari = adjusted_rand_index(&p.assignments.cluster, &truth);
    assert!(ari >= 0.9, "ARI {ari}");
    // Each cluster's medoid is one of its cases, and every case is no nearer another medoid;
    // the inertia is the total edit distance to the medoids.
    let case_of = |id: &str| {
        (0..log.num_cases())
            .find(|&c| log.case(c).id() == id)
            .unwrap()
    };
    let medoids: Vec<usize> = p
        .clusters
        .iter()
        .map(|c| case_of(c.medoid.as_deref().expect("k-medoids names a medoid")))
        .collect();
    let mut total = 0;
    for (case, &l) in p.assignments.cluster.iter().enumerate() {
        assert_eq!(p.assignments.cluster[medoids[l]], l);
        let d = |m: usize| edit_distance(log.case(case).activities(), log.case(m).activities());
        assert!(medoids.iter().all(|&m| d(m) >= d(medoids[l])));
        total += d(medoids[l]);
    }
    assert_eq!(p.inertia, f64::from(total));
    // The buyers' medoid is a straight journey to the purchase.
    let buyers = p
        .clusters
        .iter()
        .find(|c| c.conversion.as_ref().unwrap().rate > 0.8)
        .expect("a cluster of buyers");
    let path = log
        .case(case_of(buyers.medoid.as_deref().unwrap()))
        .activity_names()
        .collect::<Vec<_>>();
    assert_eq!(path, ["visit", "cart", "buy", "end"]);
    // Each cluster's journey is drawn: the support calls as one run of four.
    let o = journeystream::render::RenderOptions::default();
    let d = journeystream::render::personas_chart::personas_drawing(&p, &o).unwrap();
    assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
    assert_eq!(d.svg.matches("class=\"journey\"").count(), 3);
    assert!(d
        .svg
        .contains("visit &gt; support &gt; support &gt; support &gt; support &gt; end"));
    assert!(d.svg.contains(">2×4<"), "{}", d.svg);
    if let Ok(out) = std::env::var("JOURNEYSTREAM_SVG_OUT") {
        std::fs::write(out.replace(".svg", "-kmedoids.svg"), &d.svg).unwrap();
    }
    assert_eq!(personas(&log, &request).unwrap(), p);
    // k-means names no medoid.
    let means = personas(
        &log,
        &PersonasRequest {
            k: Some(3),
            ..PersonasRequest::default()
        },
    )
    .unwrap();
    assert!(means.clusters.iter().all(|c| c.medoid.is_none()));
}

#[test]
fn kmedoids_refuses_logs_too_large_for_every_pair() {
    let (log, _) = planted(MAX_KMEDOIDS_CASES / 3 + 1, 4);
    let e = analyze_json(
        r#"{"analysis": "personas", "method": "kmedoids", "k": 2}"#,
        Some(&log),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("'method'") && e.contains("5001") && e.contains("kmeans"),
        "{e}"
    );
    let e = analyze_json(r#"{"analysis": "personas", "method": "pam"}"#, Some(&log))
        .unwrap_err()
        .to_string();
    assert!(e.contains("kmedoids"), "{e}");
}

#[test]
fn k_is_chosen_by_silhouette() {
    let (log, truth) = planted(300, 2);
    let p = personas(
        &log,
        &PersonasRequest {
            k_range: (2, 6),
            ..PersonasRequest::default()
        },
    )
    .unwrap();
    assert_eq!(p.k_scores.len(), 5);
    let best = p
        .k_scores
        .iter()
        .max_by(|a, b| a.silhouette.unwrap().total_cmp(&b.silhouette.unwrap()))
        .unwrap();
    assert_eq!((p.k, p.silhouette), (best.k, best.silhouette));
    assert!(p.k >= 3, "{:?}", p.k_scores);
    // Behaviour within a planted group varies (short and long browsing), so the silhouette may
    // split a group, but each cluster found lies within one planted group (purity ≥ 0.9).
    let mut majority = 0;
    for c in 0..p.k {
        let mut in_group = [0usize; 3];
        for (l, t) in p.assignments.cluster.iter().zip(&truth) {
            if *l == c {
                in_group[*t] += 1;
            }
        }
        majority += in_group.iter().max().unwrap();
    }
    assert!(majority as f64 / truth.len() as f64 >= 0.9);
}

#[test]
fn bad_options_are_errors_naming_them() {
    let (log, _) = planted(5, 3);
    let e = |json: &str| analyze_json(json, Some(&log)).unwrap_err().to_string();
    assert!(e(r#"{"analysis": "personas", "k": 0}"#).contains("'k'"));
    assert!(e(r#"{"analysis": "personas", "k": 100}"#).contains("cases"));
    assert!(
        e(r#"{"analysis": "personas", "outcome_activity": "buyy"}"#).contains("did you mean 'buy'")
    );
    assert!(e(r#"{"analysis": "personas", "features": {"ngram": 5}}"#).contains("features.ngram"));
    assert!(e(r#"{"analysis": "personas", "k_range": [1, 3]}"#).contains("k_range"));
}

#[test]
fn the_heat_map_holds_each_clusters_distinguishing_means() {
    let (log, _) = planted(300, 2);
    let request = PersonasRequest {
        k: Some(3),
        ..PersonasRequest::default()
    };
    let p = personas(&log, &request).unwrap();
    let h = &p.heat_map;
    assert!(!h.features.is_empty() && h.features.len() <= 12);
    assert_eq!(h.means.len(), 3);
    // Each cluster's distinguishing mean is the cell of its row and feature.
    for c in &p.clusters {
        for d in &c.distinguishing {
            if let Some(j) = h.features.iter().position(|f| f == &d.feature) {
                assert!(
                    (h.means[c.cluster][j] - d.mean).abs() < 1e-12,
                    "{}",
                    d.feature
                );
            }
        }
    }
    #[cfg(feature = "render")]
    {
        use journeystream::render::{charts::svg_chart, personas_chart, RenderOptions};
        let o = RenderOptions::default();
        let d = personas_chart::personas_drawing(&p, &o).unwrap();
        assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
        assert_eq!(d.svg.matches("class=\"cluster\"").count(), 3);
        assert!(d.svg.contains(&format!("F1 = {}", h.features[0])));
        if let Ok(path) = std::env::var("JOURNEYSTREAM_SVG_OUT") {
            std::fs::write(path, &d.svg).unwrap();
        }
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(svg_chart("personas", &json, &o).unwrap(), d.svg);
        let mut bad = p.clone();
        bad.heat_map.means[1].pop();
        let e = personas_chart::personas_drawing(&bad, &o).unwrap_err();
        assert_eq!(e.path(), Some("heat_map.means[1]"));
    }
}

/// Loyal customers buy about weekly for 20 weeks (about 50 each), occasional ones two or three
/// times (about 20), browsers never; each case one customer.
fn shoppers(per_group: usize, seed: u64) -> (EventLog, Vec<usize>) {
    let day = 86_400_000_000_000i64;
    let mut rng = Rng::new(seed);
    let mut b = LogBuilder::new();
    let mut labels = Vec::new();
    for i in 0..per_group * 3 {
        let (g, case) = (i % 3, format!("c{i:04}"));
        labels.push(g);
        let mut t = (rng.below(20) as i64) * day;
        let visits = [20, 2 + rng.below(2), 3][g];
        let own = [50.0, 20.0, 0.0][g] * (0.5 + uniform(&mut rng));
        for _ in 0..visits {
            b.push(&case, "visit", t).unwrap();
            match g {
                2 => {
                    b.push(&case, "search", t + 60).unwrap();
                    b.push(&case, "compare", t + 120).unwrap();
                }
                _ => {
                    if g == 1 {
                        b.push(&case, "search", t + 60).unwrap();
                    }
                    let e = b.push(&case, "buy", t + 180).unwrap();
                    // Each purchase 0.2 to 1.8 × the customer's own mean.
                    let spend = own * (0.2 + 1.6 * uniform(&mut rng));
                    b.set_event_attribute(e, "amount", AttrValue::Number(spend));
                }
            }
            t += (4 + rng.below(7) as i64) * day;
        }
    }
    (b.finish().unwrap(), labels)
}

#[test]
fn each_cluster_is_valued_by_the_models_of_the_whole_log() {
    let (log, truth) = shoppers(100, 5);
    let request = PersonasRequest {
        k: Some(3),
        clv: Some(
            serde_json::from_str(r#"{"purchase_activity": "buy", "value_attribute": "amount"}"#)
                .unwrap(),
        ),
        ..PersonasRequest::default()
    };
    let p = personas(&log, &request).unwrap();
    assert!(adjusted_rand_index(&p.assignments.cluster, &truth) >= 0.9);
    let model = p.value_model.as_ref().unwrap();
    assert_eq!((model.buyers, model.months), (200, 12));
    // The same fits and CLV through the clv requests, customer by customer.
    let fit = |m: &str| -> serde_json::Value {
        serde_json::from_str(&analyze_json(&format!(r#"{{"analysis": "clv_fit", "model": "{m}", "summary": {{"purchase_activity": "buy", "value_attribute": "amount"}}}}"#), Some(&log)).unwrap()).unwrap()
    };
    let named = |f: &serde_json::Value| -> std::collections::BTreeMap<String, f64> {
        let names = f["param_names"].as_array().unwrap();
        names
            .iter()
            .zip(f["params"].as_array().unwrap())
            .map(|(n, v)| (n.as_str().unwrap().to_string(), v.as_f64().unwrap()))
            .collect()
    };
    let (bg, gg) = (named(&fit("bg_nbd")), named(&fit("gamma_gamma")));
    assert_eq!((&model.purchase_params, &model.spend_params), (&bg, &gg));
    let predict = serde_json::json!({"analysis": "clv_predict", "model": "bg_nbd", "params": bg,
        "spend_params": gg, "clv": {"time": 12, "discount_rate": 0.01},
        "summary": {"purchase_activity": "buy", "value_attribute": "amount"}});
    let out: serde_json::Value =
        serde_json::from_str(&analyze_json(&predict.to_string(), Some(&log)).unwrap()).unwrap();
    let cluster_of: std::collections::HashMap<&str, usize> = p
        .assignments
        .case
        .iter()
        .map(String::as_str)
        .zip(p.assignments.cluster.iter().copied())
        .collect();
    let mut totals = [0.0; 3];
    let mut buyers = [0u64; 3];
    for (id, v) in out["customer"]
        .as_array()
        .unwrap()
        .iter()
        .zip(out["clv"].as_array().unwrap())
    {
        let c = cluster_of[id.as_str().unwrap()];
        totals[c] += v.as_f64().unwrap();
        buyers[c] += 1;
    }
    let all: f64 = totals.iter().sum();
    for (c, cluster) in p.clusters.iter().enumerate() {
        let v = cluster.value.as_ref().unwrap();
        assert_eq!(v.buyers, buyers[c]);
        assert!((v.total_clv - totals[c]).abs() <= 1e-9 * all, "{v:?}");
        assert!((v.share_of_total - totals[c] / all).abs() < 1e-12);
        if buyers[c] == 0 {
            assert_eq!((v.mean_clv, v.ci_low, v.total_clv), (None, None, 0.0));
        } else {
            let mean = v.mean_clv.unwrap();
            assert!((mean - totals[c] / buyers[c] as f64).abs() < 1e-9 * mean.abs().max(1.0));
            assert!(v.ci_low.unwrap() < mean && mean < v.ci_high.unwrap());
        }
    }
    // The loyal customers hold most of the value.
    let loyal = p
        .clusters
        .iter()
        .max_by(|a, b| {
            a.value
                .as_ref()
                .unwrap()
                .total_clv
                .total_cmp(&b.value.as_ref().unwrap().total_clv)
        })
        .unwrap();
    let v = loyal.value.as_ref().unwrap();
    assert!(
        v.share_of_total > 0.7 && v.mean_repeat_purchases.unwrap() > 10.0,
        "{v:?}"
    );
    // Bad options are errors naming them.
    let e = |clv: &str| {
        analyze_json(
            &format!(r#"{{"analysis": "personas", "k": 3, "clv": {clv}}}"#),
            Some(&log),
        )
        .unwrap_err()
        .to_string()
    };
    assert!(
        e(r#"{"purchase_activity": "buyy", "value_attribute": "amount"}"#)
            .contains("did you mean 'buy'")
    );
    assert!(e(r#"{"purchase_activity": "buy", "value_attribute": "amont"}"#).contains("amount"));
    assert!(
        e(r#"{"purchase_activity": "buy", "value_attribute": "amount", "months": 0}"#)
            .contains("clv.months")
    );
}
