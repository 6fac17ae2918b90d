/**
 * The library behind the notebooks: everything a notebook does beyond telling the story.
 * `require()` the project root (package.json `main` points at the compiled copy of this file)
 * to use the same helpers from a plain Node script.
 */
export * from './matrix/random';
export * from './data/schema';
export * from './data/config';
export * from './data/csv';
export * from './data/loader';
export * from './data/clean';
export * from './data/synthetic';
export * from './data/db';
export * from './notebook/display';
export * from './notebook/plot';
export * from './data/sample';
export * from './notebook/progress';
export * from './matrix/distance-matrix';
export * from './matrix/memory';
export * from './distance/gower';
export * from './cluster/linkage';
export * from './cluster/silhouette';
export * from './cluster/split';
export * from './cluster/assign';
export * from './cluster/sweep';
export * from './cluster/profile';
export * from './matrix/numeric-matrix';
export * from './distance/encode';
export * from './distance/scaler';
export * from './cluster/kmeans-plus-plus';
export * from './cluster/lloyd';
export * from './cluster/kmeans';
export * from './cluster/elbow';
export * from './cluster/knee';
export * from './cluster/cluster-positions';
export * from './embed/pairwise-input';
export * from './embed/nearest-neighbours';
export * from './embed/perplexity';
export * from './embed/barnes-hut';
export * from './embed/pca';
export * from './embed/tsne';
export * from './embed/trustworthiness';
export * from './notebook/maps';

// The whole catalogue: every stored track assigned to the sample's clusterings, the stored sample
// and k-medoids tables, similar-track search, and placing every track on the sample's t-SNE map.
export { fitGower, fitGowerEncoded, GowerMetric } from './distance/gower';
export type { ColumnTable, GowerMetricOptions, GowerRows } from './distance/gower';
export { encodeLike } from './distance/encode';
export type { EncodedLike, EncodeLikeOptions, UnseenCategories, UnseenReport } from './distance/encode';
export { assignToCentroids, assignToMedoids } from './catalogue/assign';
export type { AssignToMedoidsOptions, CentroidAssignment, FittedKMeans, MedoidAssignment } from './catalogue/assign';
export {
  DEPENDENT_TABLES, GOWER_CLUSTER_TABLE_SQL, SAMPLE_TRACK_TABLE_SQL, storeGowerClustering, TRACK_TO_GOWER_CLUSTER_TABLE_SQL,
} from './data/db';
export type { ClusterMemberships, GowerClustering, GowerClusteringReport, GowerClusterRow, TableCounts } from './data/db';
export { catalogueFromColumns, foldText, loadCatalogue, readTrackColumns, SIMILAR_DEFAULTS } from './catalogue/catalogue';
export type { Catalogue, CatalogueTrack, FeatureDifference, SimilarOptions, SimilarTrack, TrackColumns } from './catalogue/catalogue';
export { CellIndex } from './embed/cell-index';
export type { CellIndexOptions, QueryNeighbours } from './embed/cell-index';
export { RepulsionField } from './embed/repulsion-field';
export type { RepulsionFieldOptions } from './embed/repulsion-field';
export { PLACE_DEFAULTS, placeOnEmbedding, placementQuality } from './embed/place';
export type { Placement, PlacementQuality, PlacementQualityOptions, PlaceOptions, PlaceProgress, ReferenceEmbedding } from './embed/place';
export { plotlyTypedArray } from './notebook/plot';
export type { ScatterGlOptions, ScatterOptions } from './notebook/plot';
