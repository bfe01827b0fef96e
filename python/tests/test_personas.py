"""Personas from Python: planted behaviour groups come back as clusters with their profiles."""

import numpy as np
import pandas as pd
import pytest

import journeystream as js

PATHS = {
    0: ["visit search compare", "visit search search compare", "visit compare search"],
    1: ["visit cart buy", "visit search cart buy"],
    2: ["visit support support", "visit support support support cart buy", "visit search support"],
}


def planted(per_group: int = 200, seed: int = 3) -> tuple:
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    for i in range(per_group * 3):
        g = i % 3
        path = PATHS[g][rng.integers(len(PATHS[g]))].split()
        truth.append(g)
        for k, a in enumerate(path):
            rows.append((f"c{i:04}", a, t0 + pd.Timedelta(minutes=i * 100 + k)))
    df = pd.DataFrame(rows, columns=["case", "activity", "time"])
    return js.from_pandas(df, case="case", activity="activity", timestamp="time"), truth


def test_planted_groups_come_back():
    log, truth = planted()
    p = js.personas(log, k=3, outcome_activity="buy")
    assert isinstance(p, js.Personas) and p.k == 3
    found = dict(zip(p.assignments.case, p.assignments.cluster))
    clusters = [found[f"c{i:04}"] for i in range(len(truth))]
    # Each planted group is one cluster.
    assert len({(t, c) for t, c in zip(truth, clusters)}) == 3
    buyers = max(p.clusters, key=lambda c: c.conversion.rate)
    assert buyers.conversion.rate == 1.0
    assert any("converts more" in g for g in p.personas[buyers.cluster].goals)
    frame = p.to_pandas()
    assert frame["cases"].sum() == 600
    svg = p.to_svg()
    assert svg.count('class="cluster"') == 3 and svg.count('class="journey"') == 3
    assert f"F1 = {p.heat_map.features[0]}" in svg
    assert len(p.heat_map.means) == 3 and all(len(r) == len(p.heat_map.features) for r in p.heat_map.means)


def test_k_by_silhouette_and_errors():
    log, _ = planted(60)
    p = js.personas(log, k_range=(2, 5))
    assert [s.k for s in p.k_scores] == [2, 3, 4, 5]
    with pytest.raises(js.InvalidArgumentError, match="did you mean 'buy'"):
        js.personas(log, k=3, outcome_activity="buyy")


def test_kmedoids_names_each_clusters_journey():
    log, truth = planted(100)
    p = js.personas(log, k=3, method="kmedoids", outcome_activity="buy")
    assert p.method == "kmedoids"
    found = dict(zip(p.assignments.case, p.assignments.cluster))
    clusters = [found[f"c{i:04}"] for i in range(len(truth))]
    # The buyers' paths are one cluster, and only theirs; "visit search support" is one edit
    # from "visit search compare", so it goes with the browsers.
    buyers = {c for t, c in zip(truth, clusters) if t == 1}
    assert len(buyers) == 1 and all(t == 1 for t, c in zip(truth, clusters) if c in buyers)
    assert {c for t, c in zip(truth, clusters) if t == 0} != buyers
    for c in p.clusters:
        assert found[c.medoid] == c.cluster
    assert js.personas(log, k=3).clusters[0].medoid is None
    with pytest.raises(js.ParseError, match="expected `kmeans` or `kmedoids`"):
        js.personas(log, k=3, method="pam")


def test_clusters_carry_their_customers_lifetime_value():
    rng = np.random.default_rng(5)
    rows, t0 = [], pd.Timestamp("2024-01-01", tz="UTC")
    for i in range(240):
        g, t = i % 3, t0 + pd.Timedelta(days=int(rng.integers(20)))
        own = [50.0, 20.0, 0.0][g] * (0.5 + rng.random())
        for _ in range([20, 2 + int(rng.integers(2)), 3][g]):
            rows.append((f"c{i:04}", "visit", t, None))
            if g == 2:
                rows.append((f"c{i:04}", "compare", t + pd.Timedelta(minutes=1), None))
            else:
                rows.append((f"c{i:04}", "buy", t + pd.Timedelta(minutes=2), own * (0.2 + 1.6 * rng.random())))
            t += pd.Timedelta(days=int(4 + rng.integers(7)))
    df = pd.DataFrame(rows, columns=["case", "activity", "time", "amount"])
    log = js.from_pandas(df, case="case", activity="activity", timestamp="time")
    clv = {"purchase_activity": "buy", "value_attribute": "amount"}
    p = js.personas(log, k=3, clv=clv)
    assert p.value_model.buyers == 160 and p.value_model.months == 12
    values = [c.value for c in p.clusters]
    assert sum(v.share_of_total for v in values) == pytest.approx(1.0)
    # The whole log's CLV, customer by customer, adds up to the clusters' totals.
    fit = js.analyze({"analysis": "clv_predict", "model": "bg_nbd", "params": p.value_model.purchase_params,
                      "spend_params": p.value_model.spend_params, "clv": {"time": 12}, "summary": clv}, log)
    assert sum(v.total_clv for v in values) == pytest.approx(sum(fit["clv"]), rel=1e-9)
    loyal = max(values, key=lambda v: v.total_clv)
    assert loyal.share_of_total > 0.7 and loyal.ci_low < loyal.mean_clv < loyal.ci_high
    assert min(v.buyers for v in values) == 0
    assert "mean lifetime value" in p.personas[values.index(loyal)].description
    assert p.to_pandas()["mean_clv"].notna().sum() == 2
