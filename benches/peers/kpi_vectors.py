"""Peer figures (statsmodels) for the kpi-*, moments-* and emotion-* conformance vectors.

    /tmp/kpipeer/bin/python benches/peers/kpi_vectors.py

Each block names the vector it feeds; counts are worked out by hand from the vector's data
(tests/data/logs/kpi_journeys.csv for the log vectors) and written here as literals.
"""

import json
import math

from scipy.stats import norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

out = {}


def wilson(x, n, conf=0.95):
    lo, hi = proportion_confint(x, n, alpha=1 - conf, method="wilson")
    return [float(lo), float(hi)]


def diff(x1, n1, x2, n2):
    z, p = proportions_ztest([x1, x2], [n1, n2])
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    return {"z": float(z), "p": float(p), "ci": [float(lo), float(hi)]}


# kpi-csat-wilson.json: 37 of 50 answers are 4 or 5, 90 % confidence.
out["kpi-csat-wilson"] = wilson(37, 50, 0.90)
# kpi-churn-segments.json: a 12 of 300, b 45 of 500; overall 57 of 800.
out["kpi-churn-segments"] = {"all": wilson(57, 800), "a": wilson(12, 300), "b": wilson(45, 500)}
# kpi-compare-churn.json: after 60 of 1000 lost, before 100 of 1000.
out["kpi-compare-churn"] = diff(60, 1000, 100, 1000)
# kpi-compare-csat-log.json: none; moments-buy-experience.json (log, outcome buy):
# chat: with 4 of 5, without 1 of 3; survey (non-buyers only): with 0 of 3, without 5 of 5;
# chat experience (wait over 10 min bad): good 3 of 3, bad 1 of 2.
out["moments-buy-experience"] = {
    "chat_with": wilson(4, 5), "chat_without": wilson(1, 3), "chat": diff(4, 5, 1, 3),
    "survey": diff(0, 3, 5, 5), "good": wilson(3, 3), "bad": wilson(1, 2), "experience": diff(3, 3, 1, 2),
}
# moments-churn-channel.json (outcome: case:churned; touchpoints by channel):
# chat channel: c1 c2 c3 c5 c8, churned c5: 1 of 5; without: c4 c6 c7, churned c4 c7: 2 of 3.
out["moments-churn-channel"] = {"chat": diff(1, 5, 2, 3)}
# emotion-curve-stages.json: one-sided Welch z of consideration (4 1 5 1 4) vs the rest.
cons = [4, 1, 5, 1, 4]
rest = [4, 4, 5, 3, 4, 4, 3, 5] + [5, 4, 5, 4, 5]
def mv(v):
    m = sum(v) / len(v)
    return m, sum((x - m) ** 2 for x in v) / (len(v) - 1)
(m1, v1), (m2, v2) = mv(cons), mv(rest)
z = (m1 - m2) / math.sqrt(v1 / len(cons) + v2 / len(rest))
out["emotion-curve-stages"] = {"z": z, "p": float(norm.cdf(z)), "cons_ci": [m1 - norm.ppf(0.975) * math.sqrt(v1 / 5), m1 + norm.ppf(0.975) * math.sqrt(v1 / 5)]}
print(json.dumps(out, indent=1))
