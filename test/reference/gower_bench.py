"""The Python side of test/bench/gower.bench.ts: time the reference pipeline on one sample CSV.

Usage (the TypeScript benchmark runs this for you with the reference virtualenv's python):

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/gower_bench.py build/bench/sample-10000.csv

Package versions are pinned in test/reference/requirements.txt. The CSV (test/bench/inputs.ts
writes it) holds track_id, the row index, and the 15 clustering features (genre, key, mode,
time_signature are categorical). Steps, as the original Python notebook does them:
gower.gower_matrix on the DataFrame; scipy linkage(method='average') on the condensed matrix;
fcluster(maxclust) for k = 2..14; sklearn silhouette_score(metric='precomputed') for each k, once
with n_jobs=1 and once with n_jobs=2 (`silhouettes`, `silhouettes_jobs2`). gower 0.1.2,
scipy's linkage and fcluster take no n_jobs: they run on one thread, so they are timed once.
Prints one JSON object on the last line: seconds per step, peak RSS in bytes, and values the
TypeScript side compares with (merge heights, silhouettes).
"""
import json
import resource
import sys
import time

import gower
import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.metrics import silhouette_score

CATEGORICAL = ["genre", "key", "mode", "time_signature"]


def main(path):
    frame = pd.read_csv(path, keep_default_na=False, index_col="track_id")
    for column in CATEGORICAL:
        frame[column] = frame[column].astype(object)
    cat = [c in CATEGORICAL for c in frame.columns]
    seconds = {}

    start = time.perf_counter()
    square = gower.gower_matrix(frame, cat_features=cat)
    seconds["gower"] = time.perf_counter() - start

    start = time.perf_counter()
    Z = linkage(squareform(square, checks=False), method="average")
    seconds["tree"] = time.perf_counter() - start

    start = time.perf_counter()
    cuts = {k: fcluster(Z, k, criterion="maxclust") for k in range(2, 15)}
    seconds["cuts"] = time.perf_counter() - start

    for jobs, key in ((1, "silhouettes"), (2, "silhouettes_jobs2")):
        start = time.perf_counter()
        scores = {
            k: float(silhouette_score(square, labels, metric="precomputed", n_jobs=jobs)) for k, labels in cuts.items()
        }
        seconds[key] = time.perf_counter() - start

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    print(json.dumps({
        "rows": len(frame),
        "seconds": seconds,
        "peakRssBytes": peak,
        "heights": Z[:, 2].tolist(),
        "silhouettes": [scores[k] for k in range(2, 15)],
        "gowerChecksum": float(np.sum(square, dtype=np.float64) / 2),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
