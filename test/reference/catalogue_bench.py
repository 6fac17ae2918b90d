"""The Python side of test/bench/catalogue.bench.ts: gower_topn on the benchmark's query tracks, and
openTSNE's transform on the benchmark's map.

Usage (the TypeScript benchmark writes the inputs and runs this for you):

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/catalogue_bench.py build/bench/catalogue topn
    "$PY" test/reference/catalogue_bench.py build/bench/catalogue transform

DIR holds what the TypeScript side wrote:
- tracks.csv: track_id and the 15 clustering features of every stored track, in track_id order;
- queries.json: {"n": n, "track_ids": [...]}: the query tracks of `similar`;
- reference.f64, embedding.f64, tracks.f64, meta.json: the sample's z-scored vectors (rows x cols,
  raw little-endian float64, row-major), its t-SNE map (rows x 2), every stored track's z-scored
  vectors, and the held-out rows of the placement check.

`topn`: for each query track, gower.gower_topn(track_row, catalogue, n=n + 1, cat_features=...)
(gower 0.1.2): the n + 1 nearest rows, the track itself first, with the ranges of the whole
catalogue; times each call. `transform`: openTSNE 1.0.4 TSNEEmbedding.transform with its defaults
(perplexity 5, median start from k = 25 neighbours, 250 iterations, n_jobs=1) of (a) the held-out
sample rows against the map of the other rows, for trustworthiness at k = 10 (sklearn), and (b)
every stored track against the whole map, timed. The reference's affinities are
openTSNE.affinity.PerplexityBasedNN(perplexity=30, method='exact', random_state=42), so new points
find their neighbours exactly, as here. Package versions are pinned in test/reference/requirements.txt.
Prints one JSON object on the last line.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

CATEGORICAL = ["genre", "key", "mode", "time_signature"]


def topn(directory):
    import gower

    tracks = pd.read_csv(directory / "tracks.csv", dtype={c: object for c in ["track_id", *CATEGORICAL]},
                         float_precision="round_trip", keep_default_na=False)
    ids = tracks["track_id"].tolist()
    features = tracks.drop(columns=["track_id"])
    for c in features.columns:
        if c not in CATEGORICAL:
            features[c] = features[c].astype(float)
    cat = [c in CATEGORICAL for c in features.columns]
    queries = json.loads((directory / "queries.json").read_text())
    row_of = {track_id: i for i, track_id in enumerate(ids)}
    results = []
    for track_id in queries["track_ids"]:
        q = row_of[track_id]
        start = time.perf_counter()
        top = gower.gower_topn(features.iloc[[q]], features, cat_features=cat, n=queries["n"] + 1)
        seconds = time.perf_counter() - start
        results.append({"track_id": track_id, "ids": [ids[i] for i in top["index"]],
                        "values": [float(v) for v in top["values"]], "seconds": seconds})
    return {"topn": results}


def transform(directory):
    import openTSNE
    from sklearn.manifold import trustworthiness

    meta = json.loads((directory / "meta.json").read_text())
    cols = meta["cols"]
    reference = np.fromfile(directory / "reference.f64", dtype="<f8").reshape(-1, cols)
    embedding = np.fromfile(directory / "embedding.f64", dtype="<f8").reshape(-1, 2)
    held = np.array(meta["held_out"], dtype=int)
    kept = np.setdiff1d(np.arange(reference.shape[0]), held)

    def placed(ref_vectors, ref_embedding, new_vectors):
        affinities = openTSNE.affinity.PerplexityBasedNN(ref_vectors, perplexity=30, method="exact",
                                                          random_state=42, n_jobs=1)
        fixed = openTSNE.TSNEEmbedding(ref_embedding, affinities, n_jobs=1, random_state=42)
        start = time.perf_counter()
        out = fixed.transform(new_vectors)
        return np.asarray(out), time.perf_counter() - start

    held_placed, _ = placed(reference[kept], embedding[kept], reference[held])
    quality = {
        "fitted": float(trustworthiness(reference[held], embedding[held], n_neighbors=10)),
        "placed": float(trustworthiness(reference[held], held_placed, n_neighbors=10)),
    }
    tracks = np.fromfile(directory / "tracks.f64", dtype="<f8").reshape(-1, cols)
    _, seconds = placed(reference, embedding, tracks)
    return {"transform": {"seconds": seconds, "rows": int(tracks.shape[0]), **quality, "openTSNE": openTSNE.__version__}}


def main():
    directory = Path(sys.argv[1])
    what = sys.argv[2]
    result = topn(directory) if what == "topn" else transform(directory)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
