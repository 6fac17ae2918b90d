"""Reference values for test/cluster/describe/rules.test.ts.

Run from the repository root:

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/rules_fixtures.py

It writes test/fixtures/rules.json. Package versions are pinned in test/reference/requirements.txt
(scikit-learn 1.9.1, pandas, numpy); the rows come from a seeded numpy generator, so a re-run gives
the same file.

What comes from where:
- The rows: 1,500 tracks drawn from the bundled synthetic data (data/SpotifyFeatures.sample.csv,
  duplicate track ids dropped, popularity above 10 as notebook 01 keeps them), their 15 clustering
  features stored column by column.
- The labels to predict: scikit-learn's KMeans(k, n_init=10, random_state=0) on the z-scored
  features with the categories one-hot encoded (pd.get_dummies), for k = 5 and k = 12; and, as a
  harder case, the genre itself (several genres look alike).
- The encoding the tree sees, the same as lib/cluster/describe/rules.ts's, in the same column order:
  numeric features as they are, every category of genre, key, mode and time_signature a 0/1 column
  named "genre = Country".
- For each labelling: DecisionTreeClassifier(max_depth=3, criterion='gini', random_state=0) fitted
  on that encoding, its training accuracy (the fidelity), its predictions, and its tree (feature
  name, threshold, children, class counts per node, scikit-learn's node order).
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.tree import DecisionTreeClassifier

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "rules.json"
CSV = ROOT / "data" / "SpotifyFeatures.sample.csv"
CATEGORICAL = ["genre", "key", "mode", "time_signature"]
NUMERIC = ["popularity", "acousticness", "danceability", "duration_ms", "energy", "instrumentalness",
           "liveness", "loudness", "speechiness", "tempo", "valence"]
FEATURES = ["genre", "popularity", "acousticness", "danceability", "duration_ms", "energy",
            "instrumentalness", "key", "liveness", "loudness", "mode", "speechiness", "tempo",
            "time_signature", "valence"]
ROWS = 1500
DEPTH = 3


def encode(frame):
    """In column order: a numeric feature as it is, a categorical one as one 0/1 column per category
    (sorted), named 'feature = value'."""
    columns = {}
    for name in FEATURES:
        if name in NUMERIC:
            columns[name] = frame[name].astype(float).to_numpy()
            continue
        for value in sorted(frame[name].astype(str).unique()):
            columns[f"{name} = {value}"] = (frame[name].astype(str) == value).astype(float).to_numpy()
    return pd.DataFrame(columns)


def tree_of(model, names):
    tree = model.tree_
    nodes = []
    for node in range(tree.node_count):
        leaf = tree.children_left[node] == -1
        nodes.append({
            "feature": None if leaf else names[tree.feature[node]],
            "threshold": None if leaf else float(tree.threshold[node]),
            "left": int(tree.children_left[node]),
            "right": int(tree.children_right[node]),
            "size": int(tree.n_node_samples[node]),
            # scikit-learn >= 1.4 stores fractions in value; times the size gives the counts back
            "counts": [int(round(v * tree.n_node_samples[node])) for v in tree.value[node][0]],
        })
    return nodes


def main():
    raw = pd.read_csv(CSV)
    raw = raw.drop_duplicates("track_id")
    raw = raw[raw["popularity"] > 10].reset_index(drop=True)
    rng = np.random.default_rng(18)
    rows = np.sort(rng.choice(len(raw), size=ROWS, replace=False))
    frame = raw.iloc[rows][FEATURES].reset_index(drop=True)

    onehot = pd.get_dummies(frame, columns=CATEGORICAL, dtype=float)
    z = (onehot - onehot.mean()) / onehot.std(ddof=0).replace(0, 1)
    labellings = {}
    for k in (5, 12):
        labellings[f"kmeans{k}"] = KMeans(k, n_init=10, random_state=0).fit_predict(z.to_numpy())
    genres = sorted(frame["genre"].unique())
    labellings["genre"] = np.array([genres.index(g) for g in frame["genre"]])

    encoded = encode(frame)
    names = list(encoded.columns)
    cases = []
    for name, labels in labellings.items():
        model = DecisionTreeClassifier(max_depth=DEPTH, criterion="gini", random_state=0)
        model.fit(encoded.to_numpy(), labels)
        predictions = model.predict(encoded.to_numpy())
        cases.append({
            "name": name,
            "labels": [int(v) for v in labels],
            "fidelity": float(np.mean(predictions == labels)),
            "predictions": [int(v) for v in predictions],
            "tree": tree_of(model, names),
        })

    out = {
        "generator": "test/reference/rules_fixtures.py",
        "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__},
        "depth": DEPTH,
        "features": {
            name: ([float(v) for v in frame[name]] if name in NUMERIC else [str(v) for v in frame[name]])
            for name in FEATURES
        },
        "encodedColumns": names,
        "cases": cases,
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    for case in cases:
        print(f"{case['name']}: fidelity {case['fidelity']:.4f}, {len(case['tree'])} nodes")


if __name__ == "__main__":
    main()
