"""Expected values for test/embed/tsne.test.ts, test/embed/trustworthiness.test.ts,
test/embed/perplexity.test.ts, test/embed/barnes-hut.test.ts and test/embed/pca.test.ts.

Run from the repository root:

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/tsne_fixtures.py

It writes test/fixtures/tsne_blobs.json and test/fixtures/tsne_gower.json (about 250 KB
together). Package versions are pinned in test/reference/requirements.txt (scikit-learn 1.9.1,
openTSNE 1.0.4, gower 0.1.2, numpy, pandas); every input is drawn from a seeded numpy generator,
so a re-run gives the same files (openTSNE's values may move in the last digits between machines).

Inputs:
- blobs: 400 points in 10-D, 5 well-separated Gaussian blobs (sklearn make_blobs, centre box
  ±10, std 1), rounded to 4 decimals; Euclidean.
- gower: 200 mixed-type rows shaped like the track features (genre 27 levels, key 12, mode 2,
  time_signature 5; 11 continuous numbers), distances by gower.gower_matrix (Float32, stored bit
  for bit as the condensed upper triangle, base64); metric='precomputed'.

What comes from where:
- t-SNE: sklearn.manifold.TSNE(random_state=42) with its defaults (perplexity 30, Barnes-Hut,
  angle 0.5, max_iter 1000, early exaggeration 12, learning rate 'auto'); init 'pca' for blobs
  and init='random' for the precomputed Gower matrix, as the original Python notebook does. Recorded:
  kl_divergence_, n_iter_ and sklearn.manifold.trustworthiness of its embedding at k = 5 and 10.
  openTSNE.TSNE (250 exaggerated + 750 normal iterations, its defaults otherwise: FFT gradient)
  as a second opinion, same trustworthiness.
- Trustworthiness on fixed embeddings: sklearn.manifold.trustworthiness for the sklearn
  embedding above and for a seeded random one, k = 1, 5, 10, 20 (the embeddings are stored).
- Affinities P: sklearn.manifold._t_sne._joint_probabilities_nn on the kneighbors_graph of the
  first 60 rows (perplexity 5, 16 neighbours, distances squared as TSNE does), as COO triplets.
- Gradient: sklearn.manifold._t_sne._kl_divergence_bh on that P and a fixed seeded embedding,
  angle 0 (exact) and 0.5, with the error.
- PCA initialisation of the blobs: PCA(2, svd_solver='randomized', random_state=42) projection
  cast to float32, divided by the std of its first column, times 1e-4 (sklearn TSNE's 'pca').
"""
import base64
import json
from pathlib import Path

import gower
import numpy as np
import openTSNE
import pandas as pd
import scipy
import sklearn
from scipy.spatial.distance import squareform
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities_nn, _kl_divergence_bh
from sklearn.neighbors import NearestNeighbors

OUT = Path(__file__).resolve().parents[1] / "fixtures"
KS = [1, 5, 10, 20]


def versions():
    return {
        "numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__,
        "openTSNE": openTSNE.__version__, "gower": "0.1.2", "pandas": pd.__version__,
    }


def open_tsne(data, metric, initialization):
    embedding = openTSNE.TSNE(
        n_components=2, perplexity=30, metric=metric, initialization=initialization,
        early_exaggeration_iter=250, n_iter=750, random_state=42, n_jobs=1,
    ).fit(data)
    return np.asarray(embedding), float(embedding.kl_divergence)


def affinities_case(data, metric, seed):
    """P on the first 60 rows (perplexity 5) and the BH gradient on a fixed embedding."""
    n, perplexity = 60, 5.0
    k = min(n - 1, int(3.0 * perplexity + 1))
    sub = data[:n] if metric == "euclidean" else data[:n, :n]
    knn = NearestNeighbors(n_neighbors=k, metric=metric).fit(sub)
    distances = knn.kneighbors_graph(mode="distance")
    distances.data **= 2
    P = _joint_probabilities_nn(distances, perplexity, verbose=0).tocoo()
    rng = np.random.default_rng(seed)
    embedding = rng.normal(size=(n, 2)).astype(np.float32)
    gradients = {}
    for angle in (0.0, 0.5):
        error, grad = _kl_divergence_bh(
            embedding.ravel().copy(), P.tocsr(), 1, n, 2, angle=angle, compute_error=True,
        )
        gradients[str(angle)] = {"kl": float(error), "gradient": [float(g) for g in grad]}
    return {
        "rows": n, "perplexity": perplexity, "neighbours": k,
        "P": [[int(i), int(j), float(v)] for i, j, v in zip(P.row, P.col, P.data)],
        "embedding": [float(v) for v in embedding.ravel()],
        "bh": gradients,
    }


def summarise(data, metric, init, fixed_random):
    model = TSNE(n_components=2, metric=metric, init=init, random_state=42)
    embedding = model.fit_transform(data)
    open_embedding, open_kl = open_tsne(data, metric, "pca" if init == "pca" else "random")
    trust = lambda emb, k: float(trustworthiness(data, emb, n_neighbors=k, metric=metric))
    return {
        "sklearn": {
            "kl": float(model.kl_divergence_), "n_iter": int(model.n_iter_),
            "learning_rate": float(model.learning_rate_),
            "trustworthiness": {str(k): trust(embedding, k) for k in (5, 10)},
        },
        "openTSNE": {
            "kl": open_kl, "trustworthiness": {str(k): trust(open_embedding, k) for k in (5, 10)},
        },
        "fixed_embeddings": {
            "sklearn": {
                "points": [[float(x), float(y)] for x, y in embedding.astype(np.float64)],
                "trustworthiness": {str(k): trust(embedding.astype(np.float64), k) for k in KS},
            },
            "random": {
                "points": [[float(x), float(y)] for x, y in fixed_random],
                "trustworthiness": {str(k): trust(fixed_random, k) for k in KS},
            },
        },
    }


def count_tied_rows(square):
    """Rows with two equal off-diagonal distances (trustworthiness ties; expected 0)."""
    tied = 0
    for i, row in enumerate(square):
        values = np.delete(row, i)
        tied += int(len(np.unique(values)) < len(values))
    return tied


def blobs():
    X, labels = make_blobs(n_samples=400, n_features=10, centers=5, cluster_std=1.0,
                           center_box=(-10, 10), random_state=7)
    X = np.round(X, 4)
    rng = np.random.default_rng(1)
    fixed_random = np.round(rng.normal(size=(len(X), 2)), 6)
    pca = PCA(n_components=2, svd_solver="randomized", random_state=np.random.RandomState(42))
    init = pca.fit_transform(X).astype(np.float32, copy=False)
    init = init / np.std(init[:, 0]) * 1e-4
    out = {
        "versions": versions(),
        "X": X.tolist(), "labels": labels.tolist(),
        "tied_rows": count_tied_rows(squareform(scipy.spatial.distance.pdist(X))),
        "pca_init_first_rows": init[:10].astype(np.float64).tolist(),
        "affinities": affinities_case(X, "euclidean", 3),
    }
    out.update(summarise(X, "euclidean", "pca", fixed_random))
    return out


def gower_case():
    rng = np.random.default_rng(2024)
    n = 200
    genres = [f"Genre {chr(65 + g)}" for g in range(26)] + ["Genre Z2"]
    keys = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    signatures = ["4/4", "3/4", "5/4", "1/4", "0/4"]
    genre = rng.integers(0, 27, n)
    frame = pd.DataFrame({
        "genre": [genres[g] for g in genre],
        "key": rng.choice(keys, n),
        "mode": rng.choice(["Major", "Minor"], n, p=[0.65, 0.35]),
        "time_signature": rng.choice(signatures, n, p=[0.86, 0.1, 0.02, 0.015, 0.005]),
    })
    profile = rng.uniform(size=(27, 11))
    numeric = np.clip(profile[genre] + 0.15 * rng.normal(size=(n, 11)), 0, 1)
    for j in range(11):
        frame[f"x{j}"] = np.round(numeric[:, j], 6)
    for column in ["genre", "key", "mode", "time_signature"]:
        frame[column] = frame[column].astype(object)
    cat = [c in ("genre", "key", "mode", "time_signature") for c in frame.columns]
    square = gower.gower_matrix(frame, cat_features=cat).astype(np.float32)
    np.fill_diagonal(square, 0)
    square = np.minimum(square, square.T)  # exactly symmetric, as the condensed form assumes
    condensed = squareform(square, checks=False).astype(np.float32)
    rng_fixed = np.random.default_rng(5)
    fixed_random = np.round(rng_fixed.normal(size=(n, 2)), 6)
    out = {
        "versions": versions(),
        "rows": n,
        "genre": genre.tolist(),
        "condensed_float32_base64": base64.b64encode(condensed.tobytes()).decode("ascii"),
        "tied_rows": count_tied_rows(square),
        "affinities": affinities_case(square, "precomputed", 4),
    }
    out.update(summarise(square, "precomputed", "random", fixed_random))
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (("tsne_blobs.json", blobs), ("tsne_gower.json", gower_case)):
        data = make()
        path = OUT / name
        path.write_text(json.dumps(data, separators=(",", ":")) + "\n")
        print(f"wrote {path} ({path.stat().st_size // 1024} KB): sklearn KL {data['sklearn']['kl']:.4f}, "
              f"openTSNE KL {data['openTSNE']['kl']:.4f}, tied rows {data['tied_rows']}")


if __name__ == "__main__":
    main()
