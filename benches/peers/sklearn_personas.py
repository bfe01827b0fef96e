"""Personas side by side with pandas + scikit-learn, from Python: the same event frame, the same
features (tf-idf of activities and activity 2-grams, smooth idf, l2 norm, the 64 most frequent
terms) and k-means (k-means++, 4 starts, k = 8); checks the partitions agree (adjusted Rand
index) and prints the time of each and the ratio.

    python benches/peers/sklearn_personas.py [CUSTOMERS] [REPEATS]

Needs numpy, pandas, pyarrow, scikit-learn and journeystream in the same Python. Customers come
in 8 planted groups, each with its own steps (`visit`, then two or three of its own activities
in one of three orders), so the groups are well separated and both should find them exactly.
journeystream's time includes `from_pandas` (the frame crossing into the library); the peer's
includes grouping the frame into per-customer activity lists.
"""

import json
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

import journeystream as js
from timing import timed

GROUPS = 8


def frame(customers, seed=5):
    """Events of `customers` customers: (case, activity, time), and each customer's group."""
    rng = np.random.default_rng(seed)
    templates = []
    for g in range(GROUPS):
        a, b, c = f"step{g}a", f"step{g}b", f"step{g}c"
        templates.append([["visit", a, b], ["visit", a, a, b], ["visit", b, c, a]])
    group = rng.integers(GROUPS, size=customers)
    choice = rng.integers(3, size=customers)
    cases, acts = [], []
    for i in range(customers):
        path = templates[group[i]][choice[i]]
        cases.extend([i] * len(path))
        acts.extend(path)
    cases = np.array(cases)
    t0 = np.datetime64("2024-01-01T00:00:00", "ns")
    offsets = np.arange(len(cases)).astype("timedelta64[s]")
    df = pd.DataFrame({"case": cases.astype(str), "activity": acts, "time": t0 + offsets})
    df["time"] = df["time"].dt.tz_localize("UTC")
    return df, group


def ours(df):
    log = js.from_pandas(df, case="case", activity="activity", timestamp="time", attributes=False)
    p = js.personas(log, k=GROUPS, starts=4, seed=1)
    order = {c: i for i, c in enumerate(p.assignments.case)}
    return np.array(p.assignments.cluster)[[order[str(i)] for i in range(len(order))]]


def terms(path):
    return list(path) + [f"{a} > {b}" for a, b in zip(path, path[1:])]


def peer(df):
    paths = df.groupby("case", sort=False)["activity"].agg(list)
    order = paths.index.astype(int).argsort()
    x = TfidfVectorizer(analyzer=terms, max_features=64).fit_transform(paths.values)
    labels = KMeans(GROUPS, n_init=4, init="k-means++", random_state=1).fit_predict(x)
    return labels[order]


def main():
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    df, truth = frame(customers)
    ours_t, _, mine = timed(lambda: ours(df), repeats)
    peer_t, _, theirs = timed(lambda: peer(df), repeats)
    print(json.dumps({
        "customers": customers, "events": len(df), "k": GROUPS,
        "ari_ours_vs_planted": adjusted_rand_score(truth, mine),
        "ari_peer_vs_planted": adjusted_rand_score(truth, theirs),
        "ari_ours_vs_peer": adjusted_rand_score(mine, theirs),
        "journeystream_s": round(ours_t, 4), "pandas_sklearn_s": round(peer_t, 4),
        "ratio": round(peer_t / ours_t, 1),
    }))


if __name__ == "__main__":
    main()
