"""pandas side of the load benchmark (test/bench/load.bench.ts runs it beside ours).

    PY=$(bash test/reference/venv.sh); "$PY" test/reference/load_bench.py FILE [REPEATS]

The original notebook's cleaning, timed: pd.read_csv, drop_duplicates(subset=['track_id'], keep='first'),
the boolean filter popularity > 10. Prints one JSON line: median seconds of each stage over
REPEATS runs (default 5) and the rows left. pandas is pinned in requirements.txt.
"""
import json
import statistics
import sys
import time

import pandas as pd

path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
load, dedup, keep, rows = [], [], [], 0
for _ in range(repeats):
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t1 = time.perf_counter()
    df = df.drop_duplicates(subset=["track_id"], keep="first")
    t2 = time.perf_counter()
    df = df[df["popularity"] > 10]
    t3 = time.perf_counter()
    load.append(t1 - t0); dedup.append(t2 - t1); keep.append(t3 - t2); rows = len(df)
print(json.dumps({
    "load": statistics.median(load), "dedup": statistics.median(dedup), "filter": statistics.median(keep),
    "total": statistics.median([a + b + c for a, b, c in zip(load, dedup, keep)]), "rows": rows,
    "pandas": pd.__version__,
}))
