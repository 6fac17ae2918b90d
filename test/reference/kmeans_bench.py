"""scikit-learn's side of the k-means benchmark (test/bench/kmeans.bench.ts runs it).

Usage: build/ref-venv/bin/python test/reference/kmeans_bench.py FEATURES.csv [K_MIN K_MAX N_INIT [THREADS]]
Package versions are pinned in test/reference/requirements.txt (PY=$(bash test/reference/venv.sh)).
THREADS limits scikit-learn's OpenMP and BLAS threads with threadpoolctl (the benchmark also sets
OMP_NUM_THREADS); without it scikit-learn uses every core.

Prepares the frame as the original Python notebook does (drop artist_name and track_name, track_id as the
index, label-encode the non-numeric columns in order of first appearance, StandardScaler), then
times KMeans(n_clusters=k, n_init=N_INIT, random_state=0) for every k and prints one JSON object
with the inertia, iterations and seconds per k on stdout.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info, threadpool_limits
from sklearn.preprocessing import StandardScaler


def encode(column: pd.Series) -> pd.Series:
    """The original notebook's label encoding: codes in order of first appearance."""
    unique_vals = column.unique()
    encoding_map = {value: i for i, value in enumerate(unique_vals)}
    return column.map(encoding_map)


def main() -> None:
    path = sys.argv[1]
    k_min, k_max, n_init = (int(a) for a in sys.argv[2:5]) if len(sys.argv) >= 5 else (2, 19, 10)
    threads = int(sys.argv[5]) if len(sys.argv) >= 6 else None
    frame = pd.read_csv(path)
    if "track_id" in frame.columns:
        frame = frame.set_index("track_id")
    frame = frame.drop(columns=[c for c in ("artist_name", "track_name") if c in frame.columns])
    categorical = frame.select_dtypes(exclude=["number"]).columns
    frame = frame.apply(lambda x: encode(x) if x.name in categorical else x)
    started = time.perf_counter()
    matrix = StandardScaler().fit_transform(frame)
    prepare_seconds = time.perf_counter() - started

    ks, inertias, iterations, seconds = [], [], [], []
    with threadpool_limits(limits=threads):
        pools = {pool["user_api"]: pool["num_threads"] for pool in threadpool_info()}
        sweep_started = time.perf_counter()
        for k in range(k_min, k_max + 1):
            before = time.perf_counter()
            model = KMeans(n_clusters=k, n_init=n_init, random_state=0).fit(matrix)
            seconds.append(time.perf_counter() - before)
            ks.append(k)
            inertias.append(float(model.inertia_))
            iterations.append(int(model.n_iter_))
        total = time.perf_counter() - sweep_started
    print(json.dumps({
        "rows": int(matrix.shape[0]),
        "columns": int(matrix.shape[1]),
        "prepare_seconds": prepare_seconds,
        "seconds_total": total,
        "ks": ks,
        "inertias": inertias,
        "iterations": iterations,
        "seconds": seconds,
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "pandas": pd.__version__, "scikit-learn": sklearn.__version__},
        "cpu_count": os.cpu_count(),
        "threads": pools,
    }))


if __name__ == "__main__":
    main()
