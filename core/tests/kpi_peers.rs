//! The KPI statistics against scipy 1.17.1 and statsmodels 0.15.0, whose outputs were produced by
//! `benches/peers/kpi_stats.py` in a throwaway venv and are recorded here.

use journeystream::analytics::stats::{
    newcombe, norm_ppf, norm_sf, percentile, two_proportion_z, wilson, z_for,
};

fn close(a: f64, b: f64, rel: f64) -> bool {
    a == b || (a - b).abs() <= rel * b.abs()
}

/// `scipy.stats.norm.ppf(p)`.
#[test]
fn inverse_normal_matches_scipy() {
    let table = [
        (1e-300, -37.0470962993612),
        (1e-20, -9.262340089798409),
        (1e-10, -6.361340902404056),
        (0.001, -3.090232306167813),
        (0.025, -1.9599639845400545),
        (0.05, -1.6448536269514729),
        (0.075, -1.4395314709384563),
        (0.1, -1.2815515655446004),
        (0.3, -0.5244005127080409),
        (0.5, 0.0),
        (0.7, 0.5244005127080407),
        (0.925, 1.4395314709384563),
        (0.975, 1.959963984540054),
        (0.999, 3.090232306167813),
        (0.999999999999, 7.0344869100478356),
    ];
    for (p, x) in table {
        assert!(
            close(norm_ppf(p), x, 1e-14),
            "ppf({p}) = {} vs scipy {x}",
            norm_ppf(p)
        );
    }
}

/// `scipy.stats.norm.sf(x)`: relative accuracy holds in the far tail.
#[test]
fn normal_tail_matches_scipy() {
    let table = [
        (0.5, 0.3085375387259869),
        (1.0, 0.15865525393145707),
        (1.96, 0.024997895148220435),
        (3.0, 0.0013498980316300933),
        (5.0, 2.866515718791933e-07),
        (10.0, 7.61985302416047e-24),
        (20.0, 2.7536241186061556e-89),
    ];
    for (x, p) in table {
        assert!(
            close(norm_sf(x), p, 1e-13),
            "sf({x}) = {} vs scipy {p}",
            norm_sf(x)
        );
    }
}

/// `proportion_confint(x, n, alpha, method="wilson")`.
#[test]
fn wilson_matches_statsmodels() {
    let table = [
        (8, 10, 0.05, 0.49016247153664183, 0.9433178485456247),
        (0, 10, 0.05, 0.0, 0.27753279986288926),
        (10, 10, 0.05, 0.7224672001371106, 1.0),
        (1, 3, 0.05, 0.06149194472039626, 0.7923403991979523),
        (37, 50, 0.1, 0.6275387029219313, 0.827821367900659),
        (412, 500, 0.01, 0.7759705931194659, 0.863543191212592),
        (5, 1000, 0.05, 0.0021375355273244604, 0.011650955373375117),
        (
            999_123,
            1_000_000,
            0.05,
            0.9990630338043687,
            0.9991791314894602,
        ),
    ];
    for (x, n, alpha, lo, hi) in table {
        let (l, h) = wilson(x, n, z_for(1.0 - alpha).unwrap());
        assert!(
            close(l, lo, 1e-12) && close(h, hi, 1e-12),
            "{x}/{n}: ({l}, {h}) vs ({lo}, {hi})"
        );
    }
}

/// `proportions_ztest([x1, x2], [n1, n2])` and
/// `confint_proportions_2indep(x1, n1, x2, n2, method="newcomb")`.
#[test]
fn two_proportion_test_and_newcombe_match_statsmodels() {
    let table = [
        (
            60,
            1000,
            100,
            1000,
            -3.296902366978936,
            0.0009775747711928398,
            -0.06403755497048888,
            -0.016264300661660742,
        ),
        (
            45,
            60,
            30,
            60,
            2.82842712474619,
            0.004677734981047266,
            0.07677957143424646,
            0.403460798575329,
        ),
        (
            5,
            6,
            3,
            6,
            1.2247448713915892,
            0.22067136191984682,
            -0.17170380025515752,
            0.6742831315008133,
        ),
        (
            180,
            200,
            171,
            200,
            1.3725270326150336,
            0.169899429434909,
            -0.019914490706896257,
            0.11024790595334152,
        ),
        (
            1,
            50,
            0,
            40,
            0.8994380267950338,
            0.3684193918819577,
            -0.06915436602714661,
            0.10495443589637815,
        ),
    ];
    let z95 = z_for(0.95).unwrap();
    for (x1, n1, x2, n2, z, p, lo, hi) in table {
        let (zz, pp) = two_proportion_z(x1, n1, x2, n2).unwrap();
        assert!(
            close(zz, z, 1e-12) && close(pp, p, 1e-11),
            "{x1}/{n1} vs {x2}/{n2}: z {zz} p {pp}"
        );
        let (l, h) = newcombe(x1, n1, x2, n2, z95);
        assert!(
            close(l, lo, 1e-11) && close(h, hi, 1e-11),
            "newcombe ({l}, {h}) vs ({lo}, {hi})"
        );
    }
    assert_eq!(two_proportion_z(0, 10, 0, 20), None); // statsmodels: nan
}

/// `numpy.percentile([30, 100, 400, 20, 3600, 45], q)`.
#[test]
fn percentiles_match_numpy() {
    let mut v = [30.0, 100.0, 400.0, 20.0, 3600.0, 45.0];
    v.sort_by(f64::total_cmp);
    for (q, x) in [(0.5, 72.5), (0.9, 2000.0), (0.95, 2800.0)] {
        assert!(close(percentile(&v, q).unwrap(), x, 1e-12));
    }
}
