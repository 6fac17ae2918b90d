"""Expected values for test/catalogue/catalogue.test.ts: `similar` against the gower package's gower_topn.

Run from the repository root:

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/catalogue_fixtures.py

It writes test/fixtures/catalogue_topn.json. Package versions are pinned in
test/reference/requirements.txt (gower 0.1.2, numpy, pandas); the tracks are drawn from a seeded numpy
generator, so a re-run gives the same file.

What comes from where:
- A catalogue of 400 tracks shaped like the Spotify features (4 categorical, 11 numeric columns,
  loudness all negative so its maximum is below 0), with made-up ids, names and artists.
- For each query track, gower.gower_topn(track_row, catalogue, n=n + 1, cat_features=...) (and
  weight=... for the weighted cases): the n + 1 nearest rows with their distances, the track itself
  first at distance 0. gower_topn takes the numeric ranges from both frames together, that is from
  the catalogue. Queries are kept only when the n + 2 smallest distances are at least 1e-5 apart,
  so that the ranks are defined well beyond the 1e-6 the test allows.
"""
import json
from pathlib import Path

import gower
import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "fixtures"
CATEGORICAL = ["genre", "key", "mode", "time_signature"]
# The 15 features in the table's column order.
FEATURES = ["genre", "popularity", "acousticness", "danceability", "duration_ms", "energy", "instrumentalness",
            "key", "liveness", "loudness", "mode", "speechiness", "tempo", "time_signature", "valence"]


def tracks(n, rng):
    frame = {
        "genre": [f"genre{g}" for g in rng.integers(0, 8, n)],
        "popularity": rng.integers(11, 101, n).astype(float),
        "acousticness": rng.beta(0.5, 0.5, n),
        "danceability": rng.beta(5, 3, n),
        "duration_ms": rng.normal(235000, 60000, n).round(),
        "energy": rng.beta(3, 2, n),
        "instrumentalness": rng.beta(0.2, 2, n),
        "key": [["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"][k] for k in rng.integers(0, 12, n)],
        "liveness": rng.beta(1.5, 8, n),
        "loudness": -rng.gamma(2.5, 3.5, n) - 0.5,
        "mode": [["Major", "Minor"][m] for m in rng.integers(0, 2, n)],
        "speechiness": rng.beta(1, 12, n),
        "tempo": rng.normal(118, 28, n),
        "time_signature": [f"{t}/4" for t in rng.integers(3, 6, n)],
        "valence": rng.beta(2, 2, n),
    }
    return pd.DataFrame(frame)[FEATURES].astype({c: object for c in CATEGORICAL})


def main():
    rng = np.random.default_rng(20240611)
    n_tracks = 400
    frame = tracks(n_tracks, rng)
    ids = [f"t{i:04d}" for i in range(n_tracks)]
    names = [f"Song {i}" for i in range(n_tracks)]
    artists = [f"Artist {i % 37}" for i in range(n_tracks)]
    cat = [c in CATEGORICAL for c in FEATURES]
    weights = {c: float(w) for c, w in zip(FEATURES, rng.uniform(0.2, 3.0, len(FEATURES)).round(2))}
    weights["genre"] = 0.0
    cases = []
    for weighted in [False, True]:
        kept = 0
        for q in rng.permutation(n_tracks):
            if kept == (4 if weighted else 8):
                break
            n = int(rng.integers(3, 16))
            weight = np.array([weights[c] for c in FEATURES]) if weighted else None
            row = frame.iloc[[q]]
            full = gower.gower_matrix(row, frame, weight=weight, cat_features=cat)[0].astype(np.float64)
            ordered = np.sort(full)[: n + 2]
            if ordered[0] != 0 or np.min(np.diff(ordered)) < 1e-5:
                continue
            top = gower.gower_topn(row, frame, weight=weight, cat_features=cat, n=n + 1)
            assert top["index"][0] == q
            cases.append({
                "track_id": ids[q], "n": n, "weights": weights if weighted else None,
                "topn_track_ids": [ids[i] for i in top["index"]],
                "topn_values": [float(v) for v in top["values"]],
            })
            kept += 1
    columns = {"track_id": ids, "track_name": names, "artist_name": artists}
    for c in FEATURES:
        columns[c] = [v if c in CATEGORICAL else float(v) for v in frame[c]]
    out = {"versions": {"gower": "0.1.2", "numpy": np.__version__, "pandas": pd.__version__},
           "features": FEATURES, "columns": columns, "cases": cases}
    OUT.mkdir(exist_ok=True)
    path = OUT / "catalogue_topn.json"
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(path.name, path.stat().st_size, "bytes,", len(cases), "cases")


if __name__ == "__main__":
    main()
