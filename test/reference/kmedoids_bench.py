"""The Python side of test/bench/kmedoids.bench.ts: time kmedoids.fasterpam on one Gower matrix.

Usage (the TypeScript benchmark runs this for you with the reference virtualenv's python):

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/kmedoids_bench.py MATRIX.f32 N STARTS.json [N_CPU]

Package versions are pinned in test/reference/requirements.txt (kmedoids 0.5.5). MATRIX.f32 is
the condensed upper triangle of an N-row distance matrix as raw little-endian Float32 (what the
TypeScript side's gowerMatrix made, so both sides cluster the same numbers); it is expanded to
the full square float64 matrix the package takes (scipy's squareform, not timed). STARTS.json
maps each k to the initial medoids the TypeScript side starts from. For each k, N_CPU threads
(n_cpu, default 1): fasterpam(D, initial_medoids, max_iter=100) from those medoids, and (with one
thread only) fasterpam(D, k, max_iter=100, random_state=0), the package's own random start. Prints one JSON
object on the last line: loss, n_iter, seconds and CPU seconds per k for both, the seconds to read and
expand the matrix, and the peak RSS in bytes.
"""
import json
import resource
import sys
import time

import kmedoids
import numpy as np
from scipy.spatial.distance import squareform


def main(path, n, starts_path, n_cpu=1):
    started = time.perf_counter()
    condensed = np.fromfile(path, dtype="<f4")
    assert condensed.shape == (n * (n - 1) // 2,), f"{path} does not hold a condensed {n}-row matrix"
    D = squareform(condensed.astype(np.float64), checks=False)
    del condensed
    prepare = time.perf_counter() - started
    starts = json.loads(open(starts_path).read())

    same, own = [], []
    for k_text, initial in starts.items():
        k = int(k_text)
        before, cpu = time.perf_counter(), time.process_time()
        result = kmedoids.fasterpam(D, np.array(initial, dtype=np.uintp), max_iter=100, n_cpu=n_cpu)
        same.append({"k": k, "seconds": time.perf_counter() - before, "cpu_seconds": time.process_time() - cpu,
                     "loss": float(result.loss),
                     "n_iter": int(result.n_iter), "n_swap": int(result.n_swap),
                     "medoids": [int(m) for m in result.medoids]})
        if n_cpu != 1:
            continue
        before, cpu = time.perf_counter(), time.process_time()
        result = kmedoids.fasterpam(D, k, max_iter=100, random_state=0, n_cpu=1)
        own.append({"k": k, "seconds": time.perf_counter() - before, "cpu_seconds": time.process_time() - cpu,
                    "loss": float(result.loss),
                    "n_iter": int(result.n_iter)})
    print(json.dumps({
        "rows": n,
        "prepare_seconds": prepare,
        "same_start": same,
        "own_start": own if n_cpu == 1 else None,
        "n_cpu": n_cpu,
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,  # kilobytes on Linux
        "versions": {"kmedoids": "0.5.5", "numpy": np.__version__, "python": sys.version.split()[0]},
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1)
