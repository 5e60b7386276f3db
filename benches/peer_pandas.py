"""Peer for the benchmark (not shipped): the same computation as delphi-report's core, in pandas.

Reads long ratings (expert,indicator,rating with ratings 1..5), counts per indicator and level
(Table 6), computes the arithmetic-mean triangular fuzzy number on the quarter-step scale, the crisp
value (l+m+u)/3, screens at 0.5, and writes table6.csv and table7.csv. Prints one JSON line with the
wall time of each step and the peak resident memory.
"""
import json
import resource
import sys
import time

import pandas as pd

SCALE = {1: (0.0, 0.0, 0.25), 2: (0.0, 0.25, 0.5), 3: (0.25, 0.5, 0.75), 4: (0.5, 0.75, 1.0), 5: (0.75, 1.0, 1.0)}


def main(ratings_path: str, out_dir: str) -> None:
    t0 = time.perf_counter()
    ratings = pd.read_csv(ratings_path, dtype={"expert": "string", "indicator": "string", "rating": "int8"})
    if ratings.duplicated(["expert", "indicator"]).any():
        raise SystemExit("duplicate expert-indicator pair")
    t1 = time.perf_counter()
    counts = ratings.groupby(["indicator", "rating"]).size().unstack(fill_value=0).reindex(columns=[1, 2, 3, 4, 5], fill_value=0)
    n = counts.sum(axis=1)
    fuzzy = pd.DataFrame(
        {v: sum(counts[level] * SCALE[level][i] for level in SCALE) / n for i, v in enumerate("lmu")}
    )
    fuzzy["crisp"] = (fuzzy["l"] + fuzzy["m"] + fuzzy["u"]) / 3
    fuzzy["status"] = ["accepted" if c >= 0.5 else "rejected" for c in fuzzy["crisp"]]
    t2 = time.perf_counter()
    table6 = counts.copy()
    table6.columns = ["very_low", "low", "medium", "high", "very_high"]
    table6["responses"] = n
    table6.to_csv(f"{out_dir}/table6.csv")
    fuzzy.to_csv(f"{out_dir}/table7.csv")
    t3 = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"read": t1 - t0, "compute": t2 - t1, "write": t3 - t2, "total": t3 - t0, "peak_kib": peak_kib}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
