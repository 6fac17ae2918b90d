"""Reference values for test/cluster/kmedoids/kmedoids.test.ts and test/cluster/kmedoids/assign.test.ts.

Run from the repository root, after `npm run build` (the script asks the compiled library for the
Gower matrix, see below):

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/kmedoids_fixtures.py

It writes test/fixtures/kmedoids.json. Package versions are pinned in
test/reference/requirements.txt (kmedoids 0.5.5, gower 0.1.2, numpy); every draw comes from a
seeded numpy generator, so a re-run gives the same file.

What comes from where:
- "ties": small matrices of integer distances, full of ties (points on a line with repeated
  positions, so some distances are 0; points on a small grid with Manhattan distances). For each k:
  kmedoids.fasterpam(D, initial_medoids, max_iter=100, n_cpu=1) from stored random initial
  medoids (medoids in slot order, loss, labels, n_iter, n_swap), fasterpam(D, k, init='build',
  n_cpu=1) and pam_build(D, k), and kmedoids.medoid_silhouette(D, medoids, samples=True).
- "gower": 2,000 tracks drawn with a seeded generator from the bundled synthetic data
  (data/SpotifyFeatures.sample.csv, duplicate track ids dropped, popularity above 10 as notebook
  01 keeps them), their 15 clustering features stored column by column. The 2,000-row matrix
  itself (8 MB as Float32) is not stored: the test computes it with the project's gowerMatrix.
  So that the package sees exactly the numbers the test clusters, this script computes that same
  matrix with the compiled library (node, build/lib/distance/gower.js), checks it against
  gower.gower_matrix within 1e-6 (the two round differently in the last bit), stores 40 entries of
  the gower package's matrix for the test to check again, and hands kmedoids the float64 of the
  library's Float32 values. For each k: fasterpam from stored random initial medoids and from
  init='build' (medoids, loss, labels, n_iter, n_swap), medoid_silhouette of both, and the losses
  of fasterpam(D, k, random_state=s, n_cpu=1) for s = 0..9 (the package draws its random medoids
  with numpy and also shuffles the order in which it visits the candidates when given a
  random_state, so only the mean loss is comparable).
n_cpu=1 everywhere: with more threads the package runs a parallel variant that visits candidates in
a random order.
"""
import json
import subprocess
import tempfile
from pathlib import Path

import gower
import kmedoids
import numpy as np
import pandas as pd
from scipy.spatial.distance import squareform

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "kmedoids.json"
CSV = ROOT / "data" / "SpotifyFeatures.sample.csv"
CATEGORICAL = ["genre", "key", "mode", "time_signature"]
FEATURES = ["genre", "popularity", "acousticness", "danceability", "duration_ms", "energy",
            "instrumentalness", "key", "liveness", "loudness", "mode", "speechiness", "tempo",
            "time_signature", "valence"]
GOWER_ROWS = 2000
GOWER_KS = [2, 3, 5, 8, 14]
RANDOM_STATES = list(range(10))

# The compiled library's Gower matrix of a column-by-column JSON file, written as raw Float32.
GOWER_JS = """
const fs = require('fs');
const { gowerMatrix } = require(process.argv[1] + '/build/lib/distance/gower');
const { columns, values, categorical } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const rows = values[columns[0]].map((_, r) => Object.fromEntries(columns.map((c) => [c, values[c][r]])));
const d = gowerMatrix(rows, { categorical });
fs.writeFileSync(process.argv[3], Buffer.from(d.condensed.buffer, d.condensed.byteOffset, d.condensed.byteLength));
"""


def versions():
    return {"kmedoids": "0.5.5", "gower": "0.1.2", "numpy": np.__version__, "pandas": pd.__version__}


def result_json(result, with_labels=True):
    out = {"medoids": [int(m) for m in result.medoids], "loss": float(result.loss),
           "n_iter": int(result.n_iter), "n_swap": None if result.n_swap is None else int(result.n_swap)}
    if with_labels:
        out["labels"] = [int(label) for label in result.labels]  # uint64 in the package
    return out


def fits(D, k, rng):
    """fasterpam from random initial medoids and from BUILD, with medoid silhouettes."""
    n = D.shape[0]
    initial = rng.choice(n, k, replace=False)
    start = kmedoids.fasterpam(D, initial.astype(np.uintp), max_iter=100, n_cpu=1)
    built = kmedoids.pam_build(D, k)
    assert len(built.medoids) == k, "pam_build stopped early (duplicate rows); pick another matrix"
    build = kmedoids.fasterpam(D, k, init="build", max_iter=100, n_cpu=1)
    silhouette, samples = kmedoids.medoid_silhouette(D, start.medoids, samples=True)
    return {
        "k": k,
        "initial": [int(m) for m in initial],
        "from_initial": result_json(start),
        "pam_build": [int(m) for m in built.medoids],
        "from_build": result_json(build),
        "medoid_silhouette": float(silhouette),
        "medoid_silhouette_samples": [float(s) for s in samples] if n <= 100 else None,
        "medoid_silhouette_build": float(kmedoids.medoid_silhouette(D, build.medoids)[0]),
    }


def ties_cases(rng):
    cases = []
    # Points on a line at integer positions 0..9, many repeated: distances 0..9, zeros off the diagonal.
    line = rng.integers(0, 10, 40)
    line_d = np.abs(line[:, None] - line[None, :]).astype(np.float64)
    # Points on a 6 x 6 grid (some repeated), Manhattan distances.
    grid = rng.integers(0, 6, (36, 2))
    grid_d = np.abs(grid[:, None, :] - grid[None, :, :]).sum(-1).astype(np.float64)
    for name, D, ks in [("line", line_d, [1, 2, 3, 5]), ("grid", grid_d, [1, 2, 4, 6])]:
        cases.append({
            "name": name,
            "n": int(D.shape[0]),
            "condensed": [int(x) for x in squareform(D, checks=False)],
            "fits": [fits(D, k, rng) for k in ks],
        })
    return cases


def gower_tracks(rng):
    frame = pd.read_csv(CSV, keep_default_na=False)
    frame = frame.drop_duplicates("track_id")
    frame = frame[frame["popularity"] > 10].reset_index(drop=True)
    chosen = np.sort(rng.choice(len(frame), GOWER_ROWS, replace=False))
    return frame.loc[chosen, FEATURES].reset_index(drop=True)


def library_gower(payload):
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "rows.json", Path(tmp) / "gower.f32"
        source.write_text(json.dumps(payload))
        subprocess.run(["node", "-e", GOWER_JS, str(ROOT), str(source), str(target)], check=True)
        return np.fromfile(target, dtype=np.float32)


def gower_case(rng):
    tracks = gower_tracks(rng)
    values = {}
    for column in FEATURES:
        series = tracks[column]
        values[column] = [str(v) for v in series] if column in CATEGORICAL else series.tolist()
    payload = {"columns": FEATURES, "values": values, "categorical": CATEGORICAL}
    condensed32 = library_gower(payload)
    n = len(tracks)
    assert condensed32.shape == (n * (n - 1) // 2,)
    frame = tracks.astype({c: object for c in CATEGORICAL})
    package32 = squareform(gower.gower_matrix(frame, cat_features=[c in CATEGORICAL for c in FEATURES]), checks=False)
    difference = float(np.max(np.abs(package32.astype(np.float64) - condensed32.astype(np.float64))))
    assert difference <= 1e-6, f"the library's Gower matrix differs from the gower package's by {difference}"
    pairs = []
    for _ in range(40):
        i, j = sorted(rng.choice(n, 2, replace=False))
        pairs.append([int(i), int(j), float(package32[n * i - i * (i + 1) // 2 + (j - i - 1)])])

    D = squareform(condensed32.astype(np.float64))
    out = []
    for k in GOWER_KS:
        entry = fits(D, k, rng)
        entry["random_state_losses"] = [
            float(kmedoids.fasterpam(D, k, max_iter=100, random_state=s, n_cpu=1).loss) for s in RANDOM_STATES
        ]
        out.append(entry)
    return {
        **payload,
        "n": n,
        "gower_package_pairs": pairs,
        "largest_difference_from_gower_package": difference,
        "condensed_sum": float(np.sum(condensed32, dtype=np.float64)),
        "fits": out,
    }


def main():
    rng = np.random.default_rng(20240611)
    fixture = {"versions": versions(), "ties": ties_cases(rng), "gower": gower_case(rng)}
    OUT.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(OUT.name, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
