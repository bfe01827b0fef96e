"""Reference values for journeystream's KPI statistics, from scipy and statsmodels.

Run in a throwaway venv (pip install scipy statsmodels numpy):

    /tmp/kpipeer/bin/python benches/peers/kpi_stats.py

It prints the figures recorded in core/tests/kpi_peers.rs (and in the kpi-* conformance vectors),
with the library versions that produced them. Nothing here is imported by the project.
"""

import json

import numpy as np
import scipy
import statsmodels
from scipy.stats import norm
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

out = {"versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}}

out["norm_ppf"] = [[p, float(norm.ppf(p))] for p in [1e-300, 1e-20, 1e-10, 1e-3, 0.025, 0.05, 0.075, 0.1, 0.3, 0.5, 0.7, 0.925, 0.975, 0.999, 1 - 1e-12]]
out["norm_sf"] = [[x, float(norm.sf(x))] for x in [0.5, 1.0, 1.96, 3.0, 5.0, 10.0, 20.0]]

# Wilson score intervals: (successes, n, alpha) -> (low, high)
wilson = []
for x, n, alpha in [(8, 10, 0.05), (0, 10, 0.05), (10, 10, 0.05), (1, 3, 0.05), (37, 50, 0.10), (412, 500, 0.01), (5, 1000, 0.05), (999_123, 1_000_000, 0.05)]:
    lo, hi = proportion_confint(x, n, alpha=alpha, method="wilson")
    wilson.append([x, n, alpha, float(lo), float(hi)])
out["wilson"] = wilson

# Two-proportion z-test (pooled, statsmodels defaults) and the Newcombe interval of p1 - p2.
pairs = []
for x1, n1, x2, n2 in [(60, 1000, 100, 1000), (45, 60, 30, 60), (5, 6, 3, 6), (180, 200, 171, 200), (1, 50, 0, 40)]:
    z, p = proportions_ztest([x1, x2], [n1, n2])
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=0.05)
    pairs.append([x1, n1, x2, n2, float(z), float(p), float(lo), float(hi)])
out["two_proportions"] = pairs

# numpy's default percentile (linear interpolation).
out["percentile"] = [[q, float(np.percentile([30, 100, 400, 20, 3600, 45], q * 100))] for q in [0.5, 0.9, 0.95]]

print(json.dumps(out, indent=1))
