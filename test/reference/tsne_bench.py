"""The Python side of test/bench/tsne.bench.ts: time one reference t-SNE on one shared input.

Usage (the TypeScript benchmark runs this for you, one fresh process per measurement, with the
reference virtualenv's python):

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/tsne_bench.py build/bench/tsne gower sklearn
    "$PY" test/reference/tsne_bench.py build/bench/tsne gower opentsne 2

INPUT is `gower` (DIR/gower.f32: the condensed upper triangle of the Gower matrix as raw
little-endian float32, scipy's order; DIR/meta.json gives the number of rows) or `vectors`
(DIR/vectors.f64: rows × columns raw little-endian float64, row-major). METHOD is
- `sklearn`: sklearn.manifold.TSNE(n_components=2, random_state=42), its defaults (Barnes-Hut,
  angle 0.5, perplexity 30, max_iter 1000, learning rate 'auto', init 'pca'), and for the Gower
  matrix metric='precomputed', init='random' as the original Python notebook does;
- `opentsne`: openTSNE.TSNE with 250 exaggerated + 750 normal iterations (1,000 in all) and its
  defaults otherwise (FFT-interpolated gradient, approximate neighbours for vectors);
  metric='precomputed' and initialization='random' for the Gower matrix;
- `opentsne-bh`: the same with negative_gradient_method='bh'.
N_JOBS (default 1) is openTSNE's `n_jobs`, the threads it uses; scikit-learn ignores it (its
Barnes-Hut gradient uses every core through OpenMP).
Package versions are pinned in test/reference/requirements.txt. Writes the embedding to
DIR/embedding-INPUT-METHOD-N_JOBS.f64 (DIR/embedding-INPUT-sklearn.f64 for scikit-learn).

The clock covers the fit only (neighbours, affinities, optimisation), not reading the input. Peak
memory beyond the input is the peak resident set size during the fit (VmHWM, reset just before it
through /proc/self/clear_refs) minus the resident size just before it, with the input already in
memory (for the Gower matrix, the square 10,000 × 10,000 float32 matrix both libraries need).
Prints one JSON object on the last line.
"""
import gc
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.spatial.distance import squareform


def status_bytes(field):
    """VmRSS (resident now) or VmHWM (peak resident since the last reset) from /proc/self/status."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak():
    """Resets the peak resident set (VmHWM) to the current one (Linux >= 4.0), so that the
    transient copies made while reading the input do not count as the fit's peak."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def load(directory, name):
    meta = json.loads((directory / "meta.json").read_text())
    if name == "gower":
        condensed = np.fromfile(directory / "gower.f32", dtype="<f4")
        square = squareform(condensed, checks=False)
        del condensed
        assert square.shape == (meta["gower_rows"], meta["gower_rows"])
        return square
    data = np.fromfile(directory / "vectors.f64", dtype="<f8")
    return data.reshape(meta["vector_rows"], meta["vector_cols"])


def run(data, name, method, n_jobs):
    precomputed = name == "gower"
    if method == "sklearn":
        from sklearn.manifold import TSNE

        model = TSNE(n_components=2, random_state=42,
                     metric="precomputed" if precomputed else "euclidean",
                     init="random" if precomputed else "pca")
        embedding = model.fit_transform(data)
        return embedding, float(model.kl_divergence_), int(model.n_iter_) + 1
    import openTSNE

    model = openTSNE.TSNE(
        n_components=2, perplexity=30, early_exaggeration=12, early_exaggeration_iter=250, n_iter=750,
        metric="precomputed" if precomputed else "euclidean",
        initialization="random" if precomputed else "pca",
        negative_gradient_method="bh" if method == "opentsne-bh" else "fft",
        random_state=42, n_jobs=n_jobs,
    )
    embedding = model.fit(data)
    return np.asarray(embedding), float(embedding.kl_divergence), 1000


def main(directory, name, method, n_jobs="1"):
    directory = Path(directory)
    n_jobs = int(n_jobs)
    data = load(directory, name)
    gc.collect()
    reset_peak()
    before = status_bytes("VmRSS")
    start = time.perf_counter()
    embedding, kl, iterations = run(data, name, method, n_jobs)
    seconds = time.perf_counter() - start
    peak = status_bytes("VmHWM")
    label = method if method == "sklearn" else f"{method}-{n_jobs}"
    np.ascontiguousarray(embedding, dtype="<f8").tofile(directory / f"embedding-{name}-{label}.f64")
    print(json.dumps({
        "input": name, "method": label, "threads": n_jobs, "seconds": seconds, "kl": kl, "iterations": iterations,
        "peak_beyond_input_bytes": max(peak - before, 0), "input_rss_bytes": before,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:5])
