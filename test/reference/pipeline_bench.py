"""The Python side of test/bench/pipeline.bench.ts: the original notebook's steps, timed one by one.

Usage (the TypeScript benchmark runs this for you with the reference virtualenv's python):

    PY=$(bash test/reference/venv.sh)
    "$PY" test/reference/pipeline_bench.py SpotifyFeatures.csv build/bench/sample-10000.csv N_JOBS

The steps are the cells of the original notebook (/work/shared/seed/seed-notebook.txt in the
session that wrote this; its code is quoted in docs and README), in its order, with the pinned
packages of test/reference/requirements.txt:
- cleaning on the whole file: pd.read_csv, drop_duplicates(subset=['track_id']), popularity > 10;
- on the SAME sample the notebooks draw (the CSV test/bench/inputs.ts writes: track_id and the 15
  features), so both sides cluster the same tracks: gower.gower_matrix; the 80/20 split
  (random_state=42); the AgglomerativeClustering sweep n = 2..14 (fit on the training block,
  fit_predict on the test block, silhouette_score precomputed), as the original does it; the final
  fit + fit_predict; TSNE(metric='precomputed', init='random', random_state=42); label encoding
  and StandardScaler; the KMeans elbow k = 2..19 (n_init=10, the notebooks' and the original's
  pre-1.4 default); KMeans(12); TSNE of the z-scored rows stacked with the 12 centroids.
The DuckDB writes are not timed: duckdb is not in the pinned reference set.
N_JOBS: TSNE's n_jobs, and the OpenMP/BLAS threads (threadpoolctl) KMeans and numpy use.
Prints one JSON object on the last line: seconds per step (in order) and the peak RSS in bytes.
"""
import json
import resource
import sys
import time

import gower
import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.manifold import TSNE
from sklearn.metrics import silhouette_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits


def encode(column):
    encoding_map = {value: i for i, value in enumerate(column.unique())}
    return column.map(encoding_map)


def main(full_csv, sample_csv, n_jobs):
    steps = []
    clock = [time.perf_counter()]

    def step(name):
        now = time.perf_counter()
        steps.append([name, now - clock[0]])
        clock[0] = now

    with threadpool_limits(limits=n_jobs):
        spotify_df = pd.read_csv(full_csv)
        spotify_df = spotify_df.drop_duplicates(subset=["track_id"], keep="first")
        spotify_df = spotify_df[spotify_df["popularity"] > 10]
        step("01 · read, drop duplicates, popularity > 10")
        df = pd.read_csv(sample_csv, keep_default_na=False, index_col="track_id")
        # The original ran on a pandas whose text columns were `object` (pandas 3 makes them
        # StringDtype, which gower 0.1.2 cannot read); gower infers the categorical ones from that.
        for column in df.select_dtypes(exclude=["number"]).columns:
            df[column] = df[column].astype(object)
        clock[0] = time.perf_counter()

        dist_matrix = gower.gower_matrix(df)
        step("02 · Gower matrix (gower.gower_matrix)")
        indices = np.arange(len(df))
        train_idx, test_idx = train_test_split(indices, train_size=0.8, random_state=42)
        dist_matrix_train = dist_matrix[np.ix_(train_idx, train_idx)]
        dist_matrix_test = dist_matrix[np.ix_(test_idx, test_idx)]
        cluster_scores = {}
        for n in range(2, 15):
            cluster = AgglomerativeClustering(metric="precomputed", n_clusters=n, linkage="average")
            cluster.fit(dist_matrix_train)
            pred_labels = cluster.fit_predict(dist_matrix_test)
            cluster_scores[n] = silhouette_score(dist_matrix_test, pred_labels, metric="precomputed")
        best_cluster = max(cluster_scores, key=cluster_scores.get)
        step("02 · split + agglomerative sweep n = 2..14 (fit, fit_predict, silhouette)")
        cluster = AgglomerativeClustering(n_clusters=best_cluster, metric="precomputed", linkage="average")
        cluster.fit(dist_matrix_train)
        cluster.fit_predict(dist_matrix)
        step("02 · final agglomerative fit + fit_predict on all rows")
        TSNE(n_components=2, metric="precomputed", init="random", random_state=42, n_jobs=n_jobs).fit_transform(
            dist_matrix
        )
        step("02 · t-SNE of the Gower matrix")
        del dist_matrix, dist_matrix_train, dist_matrix_test

        categorical = df.select_dtypes(exclude=["number"]).columns
        df = df.apply(lambda x: encode(x) if x.name in categorical else x)
        df_znorm = StandardScaler().fit_transform(df)
        step("03 · label encoding + StandardScaler")
        for n in range(2, 20):
            KMeans(n_clusters=n, random_state=42, n_init=10).fit(df_znorm)
        step("03 · KMeans elbow k = 2..19 (n_init=10)")
        kmeans = KMeans(n_clusters=12, random_state=42, n_init=10)
        kmeans.fit_predict(df_znorm)
        step("03 · KMeans k = 12")
        TSNE(n_components=2, random_state=42, n_jobs=n_jobs).fit_transform(
            np.vstack([df_znorm, kmeans.cluster_centers_])
        )
        step("03 · t-SNE of the z-scored rows and the 12 centroids")

    print(
        json.dumps(
            {
                "n_jobs": n_jobs,
                "rows": len(df),
                "steps": steps,
                "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
