//! Lifetime-value models on the CDNOW data against Fader, Hardie & Lee (2005) and lifetimes
//! (figures from benches/peers/clv_lifetimes.py, in tests/data/clv/lifetimes_expected.json).

use journeystream::analytics::clv::{
    self, bgnbd::BgNbd, gamma_gamma::GammaGamma, pareto_nbd::ParetoNbd, rfm, Customers, FitOptions,
    Freq, Model, PurchaseModel,
};
use journeystream::log::timestamp::parse_rfc3339;
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/clv/");

fn columns(file: &str) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(format!("{DATA}{file}")).unwrap();
    let mut cols: Vec<Vec<f64>> = Vec::new();
    for line in text.lines().skip(1) {
        for (k, v) in line.split(',').skip(1).enumerate() {
            if cols.len() <= k {
                cols.push(Vec::new());
            }
            cols[k].push(v.parse().unwrap());
        }
    }
    cols
}

fn expected() -> Value {
    let text = std::fs::read_to_string(format!("{DATA}lifetimes_expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn params(v: &Value, names: &[&str]) -> Vec<f64> {
    names.iter().map(|n| v[*n].as_f64().unwrap()).collect()
}

#[track_caller]
fn close(ours: &[f64], theirs: &[f64], rel: f64, what: &str) {
    assert_eq!(ours.len(), theirs.len(), "{what}");
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let d = (a - b).abs() / b.abs().max(1e-12);
        assert!(
            d <= rel || (a - b).abs() < 1e-12,
            "{what}[{i}]: {a} vs {b} ({d:e})"
        );
    }
}

#[test]
fn bg_nbd_reproduces_the_published_cdnow_fit_and_lifetimes() {
    let c = columns("cdnow_customers_summary.csv");
    let data = Customers::new(&c[0], &c[1], &c[2]);
    let fit = clv::fit(Model::BgNbd, &data, &FitOptions::default()).unwrap();
    assert!(fit.convergence.converged, "{:?}", fit.convergence);
    // Fader, Hardie & Lee (2005), table/figure: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426;
    // LL = -9582.4.
    let rounded: Vec<f64> = fit
        .params
        .iter()
        .map(|p| (p * 1000.0).round() / 1000.0)
        .collect();
    assert_eq!(rounded, [0.243, 4.414, 0.793, 2.426]);
    assert_eq!((fit.log_likelihood * 10.0).round() / 10.0, -9582.4);
    let e = expected();
    let names = ["r", "alpha", "a", "b"];
    close(
        &fit.params,
        &params(&e["bg_nbd"]["params"], &names),
        1e-4,
        "params",
    );
    let se: Vec<f64> = fit.standard_errors.iter().map(|s| s.unwrap()).collect();
    close(&se, &params(&e["bg_nbd"]["se"], &names), 1e-3, "se");
    let penalized = FitOptions {
        penalizer: 0.1,
        ..FitOptions::default()
    };
    let fit = clv::fit(Model::BgNbd, &data, &penalized).unwrap();
    assert!(fit.convergence.converged);
    close(
        &fit.params,
        &params(&e["bg_nbd_penalized"]["params"], &names),
        1e-4,
        "penalized params",
    );
}

/// A purchase model's per-customer predictions and population curve match lifetimes' to 1e-6.
fn predictions_match(m: &impl PurchaseModel, data: &Customers<'_>, e: &Value) {
    close(
        &clv::conditional_expected_purchases(m, 39.0, data),
        &floats(&e["expected_purchases_39"]),
        1e-6,
        "expected purchases",
    );
    close(
        &clv::probability_alive(m, data),
        &floats(&e["probability_alive"]),
        1e-6,
        "probability alive",
    );
    let curve: Vec<f64> = floats(&e["curve_times"])
        .iter()
        .map(|&t| m.expected_purchases(t))
        .collect();
    close(&curve, &floats(&e["curve"]), 1e-6, "population curve");
}

#[test]
fn bg_nbd_predictions_match_lifetimes() {
    let c = columns("cdnow_customers_summary.csv");
    let data = Customers::new(&c[0], &c[1], &c[2]);
    let e = &expected()["bg_nbd"];
    let m = BgNbd::from_slice(&params(&e["params"], &["r", "alpha", "a", "b"]));
    predictions_match(&m, &data, e);
    let p: Vec<f64> = (0..8)
        .map(|n| m.probability_of_purchases(39.0, n))
        .collect();
    close(&p, &floats(&e["probability_of_n_39"]), 1e-6, "P(X(39) = n)");
}

#[test]
fn gamma_gamma_fit_and_clv_match_lifetimes() {
    let c = columns("cdnow_customers_summary_with_transactions.csv");
    let mut data = Customers::new(&c[0], &c[1], &c[2]);
    data.monetary_value = Some(&c[3]);
    let e = &expected()["gamma_gamma"];
    let fit = clv::fit(Model::GammaGamma, &data, &FitOptions::default()).unwrap();
    assert!(fit.convergence.converged, "{:?}", fit.convergence);
    close(
        &fit.params,
        &params(&e["params"], &["p", "q", "v"]),
        1e-4,
        "params",
    );
    let se: Vec<f64> = fit.standard_errors.iter().map(|s| s.unwrap()).collect();
    close(&se, &params(&e["se"], &["p", "q", "v"]), 1e-3, "se");
    let gg = GammaGamma::from_slice(&params(&e["params"], &["p", "q", "v"]));
    close(
        &clv::gamma_gamma::conditional_expected_average_profit(&gg, &data).unwrap(),
        &floats(&e["expected_average_profit"]),
        1e-6,
        "expected average profit",
    );
    let bg = BgNbd::from_slice(&params(&e["bg_nbd_params"], &["r", "alpha", "a", "b"]));
    close(
        &clv::customer_lifetime_value(&bg, &gg, &data, 12, 0.01, Freq::Week).unwrap(),
        &floats(&e["clv_12_months_weekly"]),
        1e-6,
        "CLV",
    );
}

#[test]
fn pareto_nbd_matches_lifetimes() {
    let c = columns("cdnow_customers_summary.csv");
    let data = Customers::new(&c[0], &c[1], &c[2]);
    let e = &expected()["pareto_nbd"];
    let names = ["r", "alpha", "s", "beta"];
    let m = ParetoNbd::from_slice(&params(&e["params"], &names));
    predictions_match(&m, &data, e);
    let fit = clv::fit(Model::ParetoNbd, &data, &FitOptions::default()).unwrap();
    // lifetimes stops Nelder-Mead at tol 1e-6 on the summed log-likelihood; ours is the optimum.
    close(&fit.params, &params(&e["params"], &names), 1e-3, "params");
    assert!(fit.log_likelihood >= m_log_likelihood(&m, &data) - 1e-6);
}

fn m_log_likelihood(m: &ParetoNbd, data: &Customers<'_>) -> f64 {
    (0..data.len())
        .map(|i| m.log_likelihood(data.frequency[i], data.recency[i], data.t[i]))
        .sum()
}

#[test]
fn rfm_summary_matches_lifetimes_on_cdnow_transactions() {
    let text = std::fs::read_to_string(format!("{DATA}CDNOW_sample.txt")).unwrap();
    let (mut ids, mut times, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        ids.push(f[1].to_string());
        let d = f[2];
        times.push(
            parse_rfc3339(
                &format!("{}-{}-{}T00:00:00Z", &d[..4], &d[4..6], &d[6..]),
                0,
            )
            .unwrap(),
        );
        values.push(f[4].parse::<f64>().unwrap());
    }
    let end = parse_rfc3339("1997-09-30T00:00:00Z", 0).unwrap();
    let e = &expected()["rfm"];
    for (name, freq) in [("D", Freq::Day), ("W", Freq::Week), ("M", Freq::Month)] {
        let p = rfm::from_arrays(&ids, &times, Some(&values), freq).unwrap();
        let s = p
            .finish(&rfm::RfmOptions {
                observation_period_end: Some(end),
                ..Default::default()
            })
            .unwrap();
        let want = &e[name];
        let customers: Vec<String> = want["customer"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(s.customer, customers, "{name}");
        close(&s.frequency, &floats(&want["frequency"]), 1e-12, name);
        close(&s.recency, &floats(&want["recency"]), 1e-12, name);
        close(&s.t, &floats(&want["T"]), 1e-12, name);
        close(
            s.monetary_value.as_ref().unwrap(),
            &floats(&want["monetary_value"]),
            1e-12,
            name,
        );
        // Split anywhere and merge: the same summary.
        let half = ids.len() / 3;
        let a =
            rfm::from_arrays(&ids[..half], &times[..half], Some(&values[..half]), freq).unwrap();
        let b =
            rfm::from_arrays(&ids[half..], &times[half..], Some(&values[half..]), freq).unwrap();
        let merged = b.merge(a).finish(&rfm::RfmOptions {
            observation_period_end: Some(end),
            ..Default::default()
        });
        assert_eq!(merged.unwrap(), s);
    }
}

#[test]
fn unsupported_data_give_clear_errors() {
    let zero = [0.0; 4];
    let t = [10.0; 4];
    let data = Customers::new(&zero, &zero, &t);
    let e = clv::fit(Model::BgNbd, &data, &FitOptions::default()).unwrap_err();
    assert!(e.to_string().contains("repeat buyers"), "{e}");
    let e = clv::fit(
        Model::BgNbd,
        &Customers::new(&[], &[], &[]),
        &FitOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
    let x = [1.0, 2.0, 0.0];
    let r = [1.0, f64::NAN, 0.0];
    let t = [5.0, 5.0, 5.0];
    let e = clv::fit(
        Model::BgNbd,
        &Customers::new(&x, &r, &t),
        &FitOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("customer 1") && e.to_string().contains("recency"),
        "{e}"
    );
    let mut d = Customers::new(&x, &[1.0, 2.0, 0.0], &t);
    d.monetary_value = Some(&[3.0, 0.0, 0.0]);
    let e = clv::fit(Model::GammaGamma, &d, &FitOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("customer 1") && e.to_string().contains("monetary_value"),
        "{e}"
    );
}
