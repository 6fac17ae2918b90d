"""Reference values for the encoders, the scaler and k-means (test/distance/encode.test.ts,
test/distance/scaler.test.ts, test/cluster/kmeans/kmeans.test.ts).

    PY=$(bash test/reference/venv.sh); "$PY" test/reference/kmeans_fixtures.py

Package versions are pinned in test/reference/requirements.txt. Writes test/fixtures/kmeans.json:

- "label_encoding": a small frame with text columns (missing values, an empty string, digits as
  text, a boolean column) and what the original notebook's `encode` (pandas `unique()` then `map`) makes of it.
  Missing values (None) come out as null in the JSON, the same as in the input.
- "scaler": scikit-learn's StandardScaler on a small frame with a constant column, a column far
  from zero (1e6 + small steps) and negative values: mean_, var_, scale_ and the transform.
- "kmeans": a deterministic 2,000 x 15 frame shaped like the original notebook's (4 label-encoded categorical
  columns with 27/12/2/5 levels, 11 numeric features), stored column by column in its raw units;
  StandardScaler's mean_ and scale_ on it; and for k = 2..19
  KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ and n_iter_ on the scaled frame.
  Best-of-10 inertia varies by about +-1% with the random state on such a frame, so one random
  state is one draw; "mean_inertias" also gives, for a few k, the mean inertia_ over
  random_state = 0..7, to compare like with like.
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "kmeans.json"


def encode(column: pd.Series) -> pd.Series:
    """The original notebook's label encoding, verbatim."""
    unique_vals = column.unique()
    encoding_map = {col: i for i, col in enumerate(unique_vals)}
    column = column.map(encoding_map)
    return column


def json_value(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def label_encoding_fixture():
    frame = {
        "genre": ["Pop", "Rock", "Pop", "Jazz", None, "Rock", "", "Jazz", None, "Children’s Music"],
        "key": ["C#", "C", "C#", "A", "A", "C", "G", "C#", "B", "A"],
        "mode": ["Minor", "Major", "Major", "Minor", "Major", "Major", "Major", "Minor", "Major", "Major"],
        "time_signature": ["4/4", "4/4", "3/4", "4/4", "5/4", "4/4", "4/4", "0/4", "4/4", "3/4"],
        "digits": ["10", "9", "10", "010", "9", "1", "10", "9", "1", "1"],
        "flag": [True, False, False, True, True, False, True, True, False, False],
        "tempo": [120.0, 98.5, 120.0, 87.25, 140.0, 60.0, 99.0, 101.0, 120.0, 75.5],
    }
    df = pd.DataFrame(frame)
    categorical = df.select_dtypes(exclude=["number"]).columns
    encoded = df.apply(lambda x: encode(x) if x.name in categorical else x)
    return {
        "input": frame,
        "categorical_columns": list(categorical),
        "codes": {c: [int(v) for v in encoded[c]] for c in categorical},
        "categories": {c: [json_value(v) for v in df[c].unique()] for c in categorical},
        "tempo": [float(v) for v in encoded["tempo"]],
    }


def scaler_fixture():
    frame = {
        "loudness": [-5.5, -12.25, -3.0, -30.125, -7.75, -8.0, -0.5],
        "constant": [4.2, 4.2, 4.2, 4.2, 4.2, 4.2, 4.2],
        "far": [1e6 + 0.125, 1e6 + 0.25, 1e6, 1e6 + 0.5, 1e6 + 0.375, 1e6 + 0.125, 1e6 + 0.0625],
        "duration_ms": [210000, 185333, 402111, 98000, 230000, 230000, 187654],
    }
    df = pd.DataFrame(frame)
    scaler = StandardScaler().fit(df)
    return {
        "columns": list(df.columns),
        "rows": df.to_numpy(dtype=float).tolist(),
        "mean": scaler.mean_.tolist(),
        "var": scaler.var_.tolist(),
        "scale": scaler.scale_.tolist(),
        "transformed": scaler.transform(df).tolist(),
    }


def kmeans_frame(n=2000, seed=20240601):
    """A frame with the original notebook's 15 features after label encoding, genre profiles giving structure."""
    rng = np.random.default_rng(seed)
    genres = 27
    weights = 0.3 + rng.random(genres)
    profile = {
        "popularity": 10 + 55 * rng.random(genres),
        "acoustic": rng.random(genres),
        "dance": 0.3 + 0.5 * rng.random(genres),
        "energy": 0.15 + 0.75 * rng.random(genres),
        "instrumental": np.where(rng.random(genres) < 0.3, 0.3 + 0.5 * rng.random(genres), 0.05 * rng.random(genres)),
        "speech": np.where(rng.random(genres) < 0.15, 0.3 + 0.5 * rng.random(genres), 0.03 + 0.06 * rng.random(genres)),
        "valence": 0.2 + 0.6 * rng.random(genres),
        "tempo": 95 + 40 * rng.random(genres),
        "minor": 0.2 + 0.3 * rng.random(genres),
    }
    g = rng.choice(genres, size=n, p=weights / weights.sum())
    energy = np.clip(profile["energy"][g] + 0.18 * rng.standard_normal(n), 0.01, 1)
    columns = {
        "genre": g,
        "popularity": np.round(np.clip(profile["popularity"][g] + 14 * rng.standard_normal(n), 0, 100)),
        "acousticness": np.round(np.clip(profile["acoustic"][g] ** 1.5 * 0.9 + 0.25 * rng.standard_normal(n) ** 3 / 8 + 0.02, 0, 0.996), 3),
        "danceability": np.round(np.clip(profile["dance"][g] + 0.14 * rng.standard_normal(n), 0.06, 0.98), 3),
        "duration_ms": np.round(np.exp(np.log(225000) + 0.33 * rng.standard_normal(n))),
        "energy": np.round(energy, 3),
        "instrumentalness": np.round(np.where(rng.random(n) < profile["instrumental"][g], 0.4 + 0.55 * rng.random(n), 0.002 * rng.random(n) ** 4), 4),
        "key": rng.integers(0, 12, n),
        "liveness": np.round(np.clip(np.exp(np.log(0.14) + 0.55 * rng.standard_normal(n)), 0.01, 1), 3),
        "loudness": np.round(np.clip(-4 - 14 * (1 - energy) + 2.5 * rng.standard_normal(n), -45, 1.5), 2),
        "mode": (rng.random(n) < profile["minor"][g]).astype(int),
        "speechiness": np.round(np.clip(profile["speech"][g] * np.exp(0.6 * rng.standard_normal(n)), 0.022, 0.96), 3),
        "tempo": np.round(np.clip(profile["tempo"][g] + 27 * rng.standard_normal(n), 40, 230), 2),
        "time_signature": rng.choice(5, size=n, p=[0.86, 0.1, 0.02, 0.015, 0.005]),
        "valence": np.round(np.clip(profile["valence"][g] + 0.22 * rng.standard_normal(n), 0.01, 0.99), 3),
    }
    return pd.DataFrame(columns)


def kmeans_fixture():
    df = kmeans_frame()
    scaler = StandardScaler().fit(df)
    matrix = scaler.transform(df)
    ks, inertias, iterations = [], [], []
    for k in range(2, 20):
        model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(matrix)
        ks.append(k)
        inertias.append(float(model.inertia_))
        iterations.append(int(model.n_iter_))
    mean_ks = [4, 8, 12, 16]
    mean_inertias = [
        float(np.mean([KMeans(n_clusters=k, n_init=10, random_state=s).fit(matrix).inertia_ for s in range(8)]))
        for k in mean_ks
    ]
    frame = {}
    for c in df.columns:
        values = df[c].to_numpy()
        frame[c] = [int(v) if float(v).is_integer() else float(v) for v in values]
    return {
        "rows": int(df.shape[0]),
        "columns": list(df.columns),
        "frame": frame,
        "mean": scaler.mean_.tolist(),
        "scale": scaler.scale_.tolist(),
        "ks": ks,
        "inertias": inertias,
        "iterations": iterations,
        "mean_ks": mean_ks,
        "mean_random_states": list(range(8)),
        "mean_inertias": mean_inertias,
    }


def main():
    fixture = {
        "generated_by": "test/reference/kmeans_fixtures.py",
        "versions": {"numpy": np.__version__, "pandas": pd.__version__, "scikit-learn": sklearn.__version__},
        "label_encoding": label_encoding_fixture(),
        "scaler": scaler_fixture(),
        "kmeans": kmeans_fixture(),
    }
    OUT.write_text(json.dumps(fixture, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
