/**
 * The points of the whole-catalogue map: every stored track at its place on the sample's t-SNE map,
 * the sampled tracks where t-SNE put them and the others where `placeOnEmbedding` placed them.
 */

/** Where every track is drawn, and which tracks were in the fitted sample. */
export interface CatalogueMapPoints {
  x: Float64Array;
  y: Float64Array;
  /** 1 for a track of the fitted sample, 0 for a placed one. */
  sampled: Uint8Array;
}

/**
 * Joins the sample's embedding and the placed tracks' positions into one set of points in the
 * order of `trackIds`.
 * @param trackIds every track, in the order the points should come in
 * @param sampleIds the sampled tracks, in the order of `sampleEmbedding`'s rows
 * @param sampleEmbedding n × 2 row-major positions of the sampled tracks
 * @param placedRows the positions in `trackIds` of the placed tracks, in the order of `placedEmbedding`
 * @param placedEmbedding m × 2 row-major positions of the placed tracks
 * @example
 * catalogueMapPoints(['a', 'b', 'c'], ['b'], Float64Array.of(1, 1), [0, 2], Float64Array.of(0, 0, 2, 2))
 * // { x: [0, 1, 2], y: [0, 1, 2], sampled: [0, 1, 0] }
 */
export function catalogueMapPoints(
  trackIds: readonly string[],
  sampleIds: readonly string[],
  sampleEmbedding: ArrayLike<number>,
  placedRows: ArrayLike<number>,
  placedEmbedding: ArrayLike<number>,
): CatalogueMapPoints {
  const n = trackIds.length;
  const x = new Float64Array(n).fill(NaN);
  const y = new Float64Array(n).fill(NaN);
  const sampled = new Uint8Array(n);
  // a map of the sample's ids only (10,000), not of every track's (a million entries would take 100 MB)
  const sampleRow = new Map(sampleIds.map((id, s) => [id, s]));
  let found = 0;
  for (let r = 0; r < n; r++) {
    const s = sampleRow.get(trackIds[r]);
    if (s === undefined) continue;
    x[r] = sampleEmbedding[2 * s];
    y[r] = sampleEmbedding[2 * s + 1];
    sampled[r] = 1;
    found++;
  }
  if (found < sampleIds.length) {
    const all = new Set(trackIds);
    const missing = sampleIds.find((id) => !all.has(id));
    throw new Error(`The sampled track ${missing} is not among the tracks to draw; pass every stored track.`);
  }
  for (let i = 0; i < placedRows.length; i++) {
    const r = placedRows[i];
    x[r] = placedEmbedding[2 * i];
    y[r] = placedEmbedding[2 * i + 1];
  }
  const missing = x.findIndex((value) => Number.isNaN(value));
  if (missing >= 0)
    throw new Error(
      `Track ${trackIds[missing]} is neither sampled nor placed; place every track that was not in the sample.`,
    );
  return { x, y, sampled };
}
