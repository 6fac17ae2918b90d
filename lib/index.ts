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

// Clustering diagnostics and Gower weighting (notebook 02's method comparison). Also new, and
// exported above through their files' `export *`: parseGowerWeights (data/config),
// encodeGowerFeatures (distance/gower), silhouettePlot (notebook/plot).
export { normalizedMutualInfo } from './cluster/mutual-information';
export type { ClusterLabel } from './cluster/mutual-information';
export { clusterStability, clusterJaccard, STABILITY_DEFAULTS, DISSOLVED_JACCARD, RECOVERED_JACCARD } from './cluster/stability';
export type { StabilityOptions, StabilityRun, StabilityResult, ClusterStability } from './cluster/stability';
export { clusterSizeSummary, describeClusterSizes } from './cluster/cluster-size-summary';
export type { ClusterSizeSummary } from './cluster/cluster-size-summary';
export { gowerContributions, GOWER_CONTRIBUTION_DEFAULTS } from './distance/gower-contributions';
export type { GowerContributionOptions, GowerContribution, GowerContributions } from './distance/gower-contributions';
