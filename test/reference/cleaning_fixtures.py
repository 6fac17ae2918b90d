"""pandas' view of test/fixtures/spotify-mangled.csv, for test/integration/cleaning-reference.test.ts.

    PY=$(bash test/reference/venv.sh); "$PY" test/reference/cleaning_fixtures.py

The fixture is a 2,500-row generated file mangled the ways real copies are (byte-order mark, CRLF,
spreadsheet dates in time_signature, a cut-off last line); it was written by
`mangleSpotifyCsv(spotifyCsvText(generateSpotifyRows({ rows: 2500, seed: 77 })), { bom: true,
crlf: true, spreadsheetDates: 0.3, cutLastLine: true, seed: 5 })`.
The original notebook's cleaning in pandas (pinned in requirements.txt): read_csv, skip the cut-off rows (pandas
fills their missing fields with NaN; we drop rows whose last column is empty), drop_duplicates on
track_id keeping the first, popularity > 10; time_signature dates turned back into n/4 (the day
and month of `4-Apr`, `3-Apr`, `4-Mar` …: one of them is 4, the other the numerator). Writes test/fixtures/cleaning_pandas.json: the row
counts after each step and the sum of every numeric column of the cleaned frame.
"""
import json
from pathlib import Path

import pandas as pd

here = Path(__file__).resolve().parent.parent / "fixtures"
df = pd.read_csv(here / "spotify-mangled.csv")
rows_read = len(df)
df = df[df["valence"].notna()]  # the cut-off last line
complete = len(df)
df = df.drop_duplicates(subset=["track_id"], keep="first")
unique = len(df)
df = df[df["popularity"] > 10]
MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


def repair(value):
    if "-" not in value:
        return value
    day, month = value.split("-")
    day, month = int(day), MONTHS[month]
    return f"{day}/4" if month == 4 else f"{month}/4"


df["time_signature"] = df["time_signature"].map(repair)
numeric = df.select_dtypes("number")
out = {
    "pandas": pd.__version__,
    "rows_read": rows_read,
    "complete_rows": complete,
    "unique_tracks": unique,
    "kept_tracks": len(df),
    "sums": {name: float(numeric[name].sum()) for name in numeric.columns},
    "first_columns": list(df.columns)[:3],
    "time_signatures": {k: int(v) for k, v in df["time_signature"].value_counts().sort_index().items()},
}
(here / "cleaning_pandas.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out))
