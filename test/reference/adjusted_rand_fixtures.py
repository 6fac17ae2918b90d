"""Expected values for test/cluster/evaluate/adjusted-rand.test.ts.

Run from the repository root:

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/adjusted_rand_fixtures.py

It writes test/fixtures/adjusted_rand.json. Package versions are pinned in
test/reference/requirements.txt (scikit-learn, numpy) and recorded in the file; the random
labellings come from a seeded numpy generator, so a re-run gives the same file.

What comes from where: every expected value is sklearn.metrics.adjusted_rand_score(a, b), and
every contingency table sklearn.metrics.cluster.contingency_matrix(a, b) (rows and columns in
sorted label order, as scikit-learn gives them), on the labels exactly as stored, including the
limit cases scikit-learn special-cases (empty labellings, one item, a single cluster on both sides).
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import contingency_matrix

OUT = Path(__file__).resolve().parents[1] / "fixtures"


def case(name, a, b, table=True):
    a = list(a)
    b = list(b)
    out = {"name": name, "a": a, "b": b, "ari": float(adjusted_rand_score(a, b))}
    if table and len(a) > 0:
        out["rows"] = sorted(set(a))
        out["columns"] = sorted(set(b))
        out["counts"] = contingency_matrix(a, b).tolist()
    return out


def cases(rng):
    out = [
        case("the same partition renamed", [0, 0, 1, 1], ["b", "b", "a", "a"]),
        case("crossed halves", [0, 0, 1, 1], [0, 1, 0, 1]),
        case("one row moved", [0, 0, 1, 1], [0, 0, 0, 1]),
        case("scikit-learn's example: one cluster split", [0, 0, 1, 1], [0, 0, 1, 2]),
        case("both empty", [], []),
        case("a single row", [7], ["x"]),
        case("both a single cluster", [5] * 6, [3] * 6),
        case("one single cluster against two", [1] * 6, [0, 0, 0, 1, 1, 1]),
        case("every row its own cluster, twice", [0, 1, 2, 3, 4], [4, 3, 2, 1, 0]),
        case("every row its own cluster against two", [0, 1, 2, 3, 4], [0, 0, 1, 1, 1]),
        case("labels need not be consecutive or positive", [-3, -3, 10, 10, 42, 42, 42], [1.5, 1.5, 1.5, 2.5, 2.5, 7.0, 7.0]),
    ]
    # Random labellings: a k-cluster labelling against a copy in which a share of the rows moved to a
    # random cluster of k2, and two unrelated labellings (ARI about 0, either sign).
    for n, k, k2, noise in [(200, 3, 3, 0.2), (1000, 12, 8, 0.5), (2000, 4, 12, 0.1), (10000, 12, 12, 0.3)]:
        a = rng.integers(0, k, n)
        b = np.where(rng.random(n) < noise, rng.integers(0, k2, n), (a * 5) % k2)
        out.append(case(f"{n} rows, {k} clusters against a noisy copy in {k2}, noise {noise}", a.tolist(), b.tolist(), table=n <= 1000))
    for n in [50, 3000]:
        out.append(case(f"{n} rows, two unrelated labellings", rng.integers(0, 5, n).tolist(), rng.integers(0, 7, n).tolist(), table=False))
    return out


def main():
    rng = np.random.default_rng(20261206)
    OUT.mkdir(exist_ok=True)
    data = {"versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__}, "cases": cases(rng)}
    path = OUT / "adjusted_rand.json"
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(path.name, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
