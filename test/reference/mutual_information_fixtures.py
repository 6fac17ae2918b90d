"""Expected values for test/cluster/evaluate/mutual-information.test.ts.

Run from the repository root:

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/mutual_information_fixtures.py

It writes test/fixtures/mutual_information.json. Package versions are pinned in
test/reference/requirements.txt (scikit-learn, numpy); the random labellings come from a seeded
numpy generator, so a re-run gives the same file.

What comes from where: every expected value is
sklearn.metrics.normalized_mutual_info_score(a, b) with its default average_method='arithmetic',
on the labels exactly as stored (numbers stay numbers, strings stay strings), including the limit
cases scikit-learn special-cases (both labellings a single cluster, empty labellings).
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import normalized_mutual_info_score

OUT = Path(__file__).resolve().parents[1] / "fixtures"
GENRES = [f"genre {g}" for g in range(27)]


def case(name, a, b):
    a = list(a)
    b = list(b)
    return {"name": name, "a": a, "b": b, "nmi": float(normalized_mutual_info_score(a, b))}


def cases(rng):
    out = [
        case("the same partition renamed", [0, 0, 1, 1], ["b", "b", "a", "a"]),
        case("independent halves", [0, 0, 1, 1], [0, 1, 0, 1]),
        case("one row moved", [0, 0, 1, 1], [0, 0, 0, 1]),
        case("both empty", [], []),
        case("both a single cluster", [5] * 6, [3] * 6),
        case("a single row", [7], ["x"]),
        case("one single cluster against two", [1] * 6, [0, 0, 0, 1, 1, 1]),
        case("two against one single cluster", [0, 0, 0, 1, 1, 1], ["x"] * 6),
        case("every row its own cluster, twice", [0, 1, 2, 3, 4], [4, 3, 2, 1, 0]),
        case("every row its own cluster against two", [0, 1, 2, 3, 4], [0, 0, 1, 1, 1]),
        case("labels need not be consecutive or positive", [-3, -3, 10, 10, 42, 42, 42], [1.5, 1.5, 1.5, 2.5, 2.5, 7.0, 7.0]),
    ]
    # Random labellings: k clusters against genre strings, the genre depending on the cluster for a
    # share of the rows; and two unrelated labellings.
    for n, k, dependence in [(200, 3, 0.0), (1000, 12, 0.5), (10000, 12, 0.8)]:
        clusters = rng.integers(0, k, n)
        genres = [GENRES[int(c) * 2 % 27] if rng.random() < dependence else GENRES[int(rng.integers(0, 27))] for c in clusters]
        out.append(case(f"{n} rows, {k} clusters against 27 genres, dependence {dependence}", clusters.tolist(), genres))
    a = rng.integers(0, 5, 500)
    b = (a + (rng.random(500) < 0.3) * rng.integers(1, 4, 500)) % 6
    out.append(case("500 rows, 5 clusters against a noisy copy in 6", a.tolist(), b.tolist()))
    return out


def main():
    rng = np.random.default_rng(20240610)
    OUT.mkdir(exist_ok=True)
    data = {"versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__}, "cases": cases(rng)}
    path = OUT / "mutual_information.json"
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(path.name, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
