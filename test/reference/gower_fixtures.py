"""Expected values for test/distance/gower.test.ts, test/cluster/linkage/linkage.test.ts,
test/cluster/evaluate/silhouette.test.ts.

Run from the repository root:

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/gower_fixtures.py

It writes test/fixtures/gower_mixed.json and test/fixtures/linkage_average.json. Package
versions are pinned in test/reference/requirements.txt (gower 0.1.2, scipy, scikit-learn,
numpy, pandas); every input is drawn from a seeded numpy generator, so a re-run gives the same
files.

What comes from where:
- Gower matrices: gower.gower_matrix. It returns NaN for any pair touching a missing numeric
  value and treats a missing category as a category of its own; the TypeScript version follows
  R's cluster::daisy instead, so the tests compare only pairs of rows without missing values and
  check the daisy rule on hand-worked cases.
- Average linkage: scipy.cluster.hierarchy.linkage(condensed, method='average') on the package's
  Float32 Gower matrix (stored bit for bit, base64), and fcluster(Z, k, 'maxclust') for k = 2..14.
  The features are continuous, so no two merge heights tie. A second, small case of integer
  distances full of ties checks that the merges (and so the tie-breaking) are scipy's.
- Silhouettes: sklearn.metrics.silhouette_score / silhouette_samples(metric='precomputed').
- Weighted Gower: gower.gower_matrix(X, weight=np.array([...])), one weight per column in column
  order, for the weights a user may set through GOWER_WEIGHTS (key and mode halved, a column at 0,
  a heavier one). These cases come last in gower_mixed.json and draw from their own generator, so
  adding them left every earlier value unchanged.
"""
import base64
import json
import math
from pathlib import Path

import gower
import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.metrics import silhouette_samples, silhouette_score

OUT = Path(__file__).resolve().parents[1] / "fixtures"
CATEGORICAL = ["genre", "key", "mode", "time_signature"]
NUMERIC = [
    "popularity", "acousticness", "danceability", "duration_ms", "energy", "instrumentalness",
    "liveness", "loudness", "speechiness", "tempo", "valence",
]


def versions():
    return {"gower": "0.1.2", "numpy": np.__version__, "pandas": pd.__version__,
            "scipy": scipy.__version__, "scikit-learn": sklearn.__version__}


def tracks(n, rng):
    """A frame shaped like the Spotify features: 4 categorical and 11 numeric columns."""
    frame = {
        "genre": [f"genre{g}" for g in rng.integers(0, 27, n)],
        "key": [["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"][k] for k in rng.integers(0, 12, n)],
        "mode": [["Major", "Minor"][m] for m in rng.integers(0, 2, n)],
        "time_signature": [f"{t}/4" for t in rng.integers(1, 6, n)],
        "popularity": rng.integers(0, 101, n).astype(float),
        "acousticness": rng.beta(0.5, 0.5, n),
        "danceability": rng.beta(5, 3, n),
        "duration_ms": rng.normal(235000, 60000, n).round(),
        "energy": rng.beta(3, 2, n),
        "instrumentalness": rng.beta(0.2, 2, n),
        "liveness": rng.beta(1.5, 8, n),
        "loudness": -rng.gamma(2.5, 3.5, n) - 0.5,  # all negative: the maximum is below 0
        "speechiness": rng.beta(1, 12, n),
        "tempo": rng.normal(118, 28, n),
        "valence": rng.beta(2, 2, n),
    }
    return pd.DataFrame(frame).astype({c: object for c in CATEGORICAL})


def as_json_value(v):
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def rows_of(frame):
    return [{c: as_json_value(v) for c, v in row.items()} for row in frame.to_dict("records")]


def condensed(square):
    n = square.shape[0]
    iu = np.triu_indices(n, 1)
    return [None if math.isnan(x) else float(x) for x in square[iu]]


def gower_cases(rng):
    cases = []
    # A small frame with missing values of every kind.
    small = tracks(12, rng)
    small.loc[2, "energy"] = np.nan
    small.loc[5, "tempo"] = np.nan
    small.loc[7, "genre"] = None
    small.loc[9, "loudness"] = np.nan
    small.loc[9, "key"] = None
    cat = [c in CATEGORICAL for c in small.columns]
    cases.append({
        "name": "12 tracks with missing numbers and categories",
        "rows": rows_of(small), "categorical": CATEGORICAL, "weights": None,
        "python": condensed(gower.gower_matrix(small, cat_features=cat)),
    })
    # Clean frames, equal and unequal weights.
    clean = tracks(40, rng)
    cat = [c in CATEGORICAL for c in clean.columns]
    cases.append({
        "name": "40 tracks, equal weights",
        "rows": rows_of(clean), "categorical": CATEGORICAL, "weights": None,
        "python": condensed(gower.gower_matrix(clean, cat_features=cat)),
    })
    weights = {c: float(w) for c, w in zip(clean.columns, rng.uniform(0.2, 3.0, len(clean.columns)).round(2))}
    cases.append({
        "name": "40 tracks, unequal weights",
        "rows": rows_of(clean), "categorical": CATEGORICAL, "weights": weights,
        "python": condensed(gower.gower_matrix(clean, cat_features=cat,
                                               weight=np.array([weights[c] for c in clean.columns]))),
    })
    # Categories detected from the data (strings are categorical), a constant numeric column.
    auto = tracks(20, rng)[["genre", "mode", "energy", "tempo"]].copy()
    auto["constant"] = 3.0
    cases.append({
        "name": "20 tracks, categorical columns detected, one constant column",
        "rows": rows_of(auto), "categorical": None, "weights": None,
        "python": condensed(gower.gower_matrix(auto)),
    })
    return cases


def weighted_cases(rng):
    """gower_matrix with a weight array: halved, zero and doubled weights on a clean frame."""
    cases = []
    frame = tracks(30, rng)
    cat = [c in CATEGORICAL for c in frame.columns]
    for name, changes in [
        ("30 tracks, key=0.5 and mode=0.5 (GOWER_WEIGHTS)", {"key": 0.5, "mode": 0.5}),
        ("30 tracks, genre=0, duration_ms=2, time_signature=0.25", {"genre": 0.0, "duration_ms": 2.0, "time_signature": 0.25}),
    ]:
        weights = {c: changes.get(c, 1.0) for c in frame.columns}
        cases.append({
            "name": name,
            "rows": rows_of(frame), "categorical": CATEGORICAL, "weights": changes,
            "all_weights": weights,
            "python": condensed(gower.gower_matrix(frame, cat_features=cat,
                                                   weight=np.array([weights[c] for c in frame.columns]))),
        })
    return cases


def linkage_case(rng, n=200):
    frame = tracks(n, rng)
    cat = [c in CATEGORICAL for c in frame.columns]
    square = gower.gower_matrix(frame, cat_features=cat)  # float32
    dist32 = squareform(square, checks=False).astype(np.float32)
    dist = dist32.astype(np.float64)
    Z = linkage(dist, method="average")
    heights = Z[:, 2]
    assert np.all(np.diff(heights) > 1e-6), "merge heights must not tie for this fixture"
    cuts, scores = {}, {}
    for k in range(2, 15):
        labels = fcluster(Z, k, criterion="maxclust")
        assert len(set(labels)) == k
        cuts[str(k)] = labels.tolist()
        scores[str(k)] = float(silhouette_score(squareform(dist), labels, metric="precomputed"))
    # Labels with singletons: rows 0, 1, 2 alone, the rest in two clusters by index parity.
    odd = np.array([3, 4, 5] + [i % 2 for i in range(3, n)])
    return {
        "rows": rows_of(frame), "categorical": CATEGORICAL,
        "condensed_float32_base64": base64.b64encode(dist32.tobytes()).decode("ascii"),
        "linkage": Z.tolist(),
        "fcluster_maxclust": cuts,
        "silhouette": scores,
        "silhouette_samples_k5": silhouette_samples(squareform(dist), cuts["5"], metric="precomputed").tolist(),
        "singleton_labels": odd.tolist(),
        "singleton_silhouette": float(silhouette_score(squareform(dist), odd, metric="precomputed")),
    }


def ties_case(rng, n=40):
    """Many tied distances (|a − b| of small integers, some rows equal): scipy's tie-breaking."""
    values = rng.integers(0, 8, n)
    condensed_ties = np.abs(values[:, None] - values[None, :])[np.triu_indices(n, 1)].astype(np.float64)
    return {"condensed": condensed_ties.tolist(), "linkage": linkage(condensed_ties, method="average").tolist()}


def main():
    rng = np.random.default_rng(20240607)
    OUT.mkdir(exist_ok=True)
    mixed = {"versions": versions(), "cases": gower_cases(rng) + weighted_cases(np.random.default_rng(20240608))}
    (OUT / "gower_mixed.json").write_text(json.dumps(mixed, separators=(",", ":")) + "\n")
    average = {"versions": versions(), **linkage_case(rng), "ties": ties_case(rng)}
    (OUT / "linkage_average.json").write_text(json.dumps(average, separators=(",", ":")) + "\n")
    for name in ["gower_mixed.json", "linkage_average.json"]:
        print(name, (OUT / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
