"""The peer baseline for `npm run bench`: what a data scientist writes by hand with pandas and scipy.

Reads both CSV files with pandas.read_csv, then per column runs the scipy functions Evidently calls for the
same column kinds: ks_2samp and wasserstein_distance on numeric columns, chisquare on the categorical
columns' aligned level counts. Prints one JSON line of seconds (read, stats, total) for bench/run.js.
Runs with Debian's python3-pandas and python3-scipy (/usr/bin/python3).
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

ref_path, cur_path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
ref = pd.read_csv(ref_path)
cur = pd.read_csv(cur_path)
t1 = time.perf_counter()
for column in ref.columns:
    r, c = ref[column].dropna(), cur[column].dropna()
    if pd.api.types.is_numeric_dtype(r):
        stats.ks_2samp(r, c)
        stats.wasserstein_distance(r, c)
    else:
        levels = sorted(set(r.unique()) | set(c.unique()))
        r_counts = r.value_counts().reindex(levels, fill_value=0).to_numpy(dtype=float)
        c_counts = c.value_counts().reindex(levels, fill_value=0).to_numpy(dtype=float)
        # Evidently's chi-square: expected = reference shares scaled to the current count.
        expected = r_counts / r_counts.sum() * c_counts.sum()
        keep = expected > 0
        stats.chisquare(c_counts[keep], expected[keep] * c_counts[keep].sum() / expected[keep].sum())
t2 = time.perf_counter()
print(json.dumps({"read_s": t1 - t0, "stats_s": t2 - t1, "total_s": t2 - t0}))
