"""The Python side of test/bench/stability.bench.ts: notebook 02's stability refits with the reference packages.

Usage (the TypeScript benchmark runs this for you with the reference virtualenv's python):

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/stability_bench.py MATRIX.f32 N K B N_CPU

MATRIX.f32 is the condensed Gower matrix as raw little-endian Float32 (what the TypeScript side
wrote). B times, as Hennig's clusterboot with subsetting does: draw half the rows without
replacement (numpy, seed 42), cut the subset's square matrix, and refit it with
(1) scipy's average linkage (linkage(method='average') + fcluster(maxclust=K); scipy has no
threads) and (2) kmedoids.fasterpam(D_sub, K, random_state=run, n_cpu=N_CPU); then the Jaccard
table against the full clustering. There is no clusterboot in the pinned set (it is R's fpc), so
this is the same recipe written out. Prints one JSON object on the last line: seconds of each
method's B refits (subsets included), the mean Jaccard of each, and the peak RSS in bytes.
"""
import json
import resource
import sys
import time

import kmedoids
import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform


def mean_jaccard(reference, candidate):
    values = []
    for c in np.unique(reference):
        members = reference == c
        best = 0.0
        for d in np.unique(candidate[members]):
            other = candidate == d
            best = max(best, np.sum(members & other) / np.sum(members | other))
        values.append(best)
    return float(np.mean(values))


def main(path, n, k, b, n_cpu):
    condensed = np.fromfile(path, dtype="<f4").astype(np.float64)
    D = squareform(condensed, checks=False)
    del condensed
    medoid_labels = kmedoids.fasterpam(D, k, random_state=0, n_cpu=n_cpu).labels
    linkage_labels = fcluster(linkage(squareform(D, checks=False), method="average"), k, "maxclust")
    random = np.random.default_rng(42)
    subsets = [np.sort(random.choice(n, size=round(n / 2), replace=False)) for _ in range(b)]
    result = {"n_cpu": n_cpu, "rows": n, "k": k, "B": b}
    for name in ("average linkage", "k-medoids"):
        started = time.perf_counter()
        jaccards = []
        for run, rows in enumerate(subsets):
            sub = D[np.ix_(rows, rows)]
            if name == "average linkage":
                labels = fcluster(linkage(squareform(sub, checks=False), method="average"), k, "maxclust")
                jaccards.append(mean_jaccard(linkage_labels[rows], labels))
            else:
                labels = kmedoids.fasterpam(sub, k, random_state=run, n_cpu=n_cpu).labels
                jaccards.append(mean_jaccard(medoid_labels[rows], labels))
        result[name] = {"seconds": time.perf_counter() - started, "meanJaccard": float(np.mean(jaccards))}
    result["peakRssBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
