/**
 * The library behind the notebooks, in the order of the pipeline: load → clean → store → sample →
 * distance → cluster → embed → show. Notebooks import it as `import * as sc from '../build/lib'`;
 * a plain Node script `require()`s the project root (package.json `main` points at the compiled copy
 * of this file). Only the names below are public; everything else in lib/ is an internal detail that
 * may change. Each name's doc comment, in its own file, has an example.
 */

// ── Parameters: every notebook's parameters cell, and the check before a run (lib/notebook/) ─────
export { notebookParameters, checkBeforeStoring } from './notebook/parameters-cell';
export { fromPapermill } from './notebook/papermill';
export type { NotebookParameters } from './notebook/parameters';
export { checkBeforeRun } from './notebook/preflight';
export type { RunCheck } from './notebook/preflight';
export { setThreads } from './parallel/pool'; // THREADS: what the parameters cell sets, for plain scripts

// ── The data set: its columns, the features the clustering uses, the synthetic stand-in ──────────
export { SPOTIFY_COLUMNS, CATEGORICAL_FEATURES, NUMERIC_FEATURES, ORIGINAL_EXAMPLE_TRACK_ID } from './data/schema';
export type { ColumnSpec, ColumnKind } from './data/schema';
export { writeSyntheticSpotifyCsv } from './data/synthetic';
export type { SyntheticOptions } from './data/synthetic';

// ── Frames: what a table is, reading its rows and columns, making one (lib/data/frame.ts) ────────
export { frameColumn, frameRows, frameFromColumns, takeRows, COLUMN_TYPES } from './data/frame';
export type { FrameLike, FrameParts, FrameColumn, ColumnType } from './data/frame';

// ── Load and clean (notebook 01) ──────────────────────────────────────────────────────────────────
export { loadSpotifyCsv } from './data/loader';
export { StagedTracks } from './data/load-tracks';
export { SpotifyCsvError } from './data/csv-checks';
export type { LoadReport, LoadedTracks, TrackTable } from './data/loader';
export { dropDuplicateTracks, keepPopularTracks } from './data/clean';

// ── Store in DuckDB and read back ─────────────────────────────────────────────────────────────────
export {
  storeTracks,
  storeClustering,
  storeGowerClustering,
  tracksFromFrame,
  queryRows,
  tableCounts,
  requireStored,
  DatabaseError,
} from './data/db';
export type {
  TrackRows,
  StoreReport,
  ClusterRow,
  ClusteringReport,
  ClusterMemberships,
  GowerClustering,
  GowerClusteringReport,
  GowerClusterRow,
  TableCounts,
} from './data/db';
export { readTracks, sampleTracks, readSample, clusteringFeatures, METADATA_COLUMNS } from './data/sample';
export { readStoredTracks } from './data/stored-tracks';
export type { StoredTracks, CodedColumn, ReadStoredOptions } from './data/stored-tracks';
export { storeRun, readRuns, readRunAssignments } from './data/runs';
export type { Run, RunRecord, RunInput, RunClustering, StoredRun } from './data/runs';

// ── Matrices: numeric rows for k-means, condensed pairwise distances, memory limits, seeded randomness
export { matrixFromRows, matrixFromData, matrixTable, stackRows } from './matrix/numeric-matrix';
export type { NumericMatrix } from './matrix/numeric-matrix';
export { DistanceMatrix } from './matrix/distance-matrix';
export { assertMatrixFits, condensedBytes, formatBytes } from './matrix/memory';
export { seededRandom } from './random';
export type { RandomSource } from './random';

// ── Distances and encodings: Gower for mixed features; codes and z-scores for k-means ─────────────
export { fitGower } from './distance/gower-metric';
export type { GowerMetric, GowerMetricOptions, GowerFeature } from './distance/gower-metric';
export { gowerMatrix } from './distance/gower';
export type { GowerMatrix, GowerOptions, GowerMatrixOptions } from './distance/gower';
export { gowerContributions } from './distance/gower-contributions';
export type { GowerContributionOptions, GowerContribution, GowerContributions } from './distance/gower-contributions';
export { encodeFrame, encodeLike } from './distance/encode';
export type { EncodeLikeOptions, UnseenReport } from './distance/encode';
export type { CategoricalEncoding, EncodeFrameOptions, EncodedFrame } from './distance/encode';
export { StandardScaler } from './distance/scaler';

// ── Clustering on the Gower matrix (notebook 02): average linkage, silhouettes, the honest sweep ──
export { averageLinkage } from './cluster/linkage/linkage';
export type { Dendrogram, LinkageOptions } from './cluster/linkage/linkage';
export { silhouetteScore, silhouetteScores, silhouetteSamples } from './cluster/evaluate/silhouette';
export { silhouetteSweep } from './cluster/linkage/silhouette-sweep';
export type { SweepOptions, SweepStep, SweepResult } from './cluster/linkage/silhouette-sweep';
export { sweepsTable } from './cluster/evaluate/sweep-scores';
export type { NamedSweep } from './cluster/evaluate/sweep-scores';
export { trainTestSplit } from './cluster/evaluate/split';
export type { TrainTestSplit, SplitOptions } from './cluster/evaluate/split';

// ── k-medoids on the Gower matrix (notebook 02): FasterPAM, its honest sweep, medoid silhouette ───
export { kMedoids, randomMedoids } from './cluster/kmedoids/kmedoids';
export type { KMedoidsInit, KMedoidsOptions, KMedoidsProgress, KMedoidsResult } from './cluster/kmedoids/kmedoids';
export { kMedoidsSweep } from './cluster/kmedoids/kmedoids-sweep';
export type { KMedoidsSweepOptions, KMedoidsSweepStep, KMedoidsSweepResult } from './cluster/kmedoids/kmedoids-sweep';

// ── k-means on z-scored features (notebook 03): fit, elbow sweep, knee ────────────────────────────
export { kMeans } from './cluster/kmeans/kmeans';
export type { KMeansOptions, KMeansResult } from './cluster/kmeans/kmeans';
export { elbowSweep } from './cluster/kmeans/elbow';
export type { ElbowOptions, ElbowProgress, ElbowResult } from './cluster/kmeans/elbow';
export { findKnee } from './cluster/kmeans/knee';

// ── Describing clusters: profiles and positions for the bubble chart ──────────────────────────────
export { clusterProfiles, profileTable } from './cluster/describe/profile';
export type { ClusterProfile } from './cluster/describe/profile';
export { generateClusterPositions } from './cluster/describe/cluster-positions';
export type { ClusterLayout, ClusterPosition } from './cluster/describe/cluster-positions';
export { describeClusters, describeTable } from './cluster/describe/describe-clusters';
export type {
  ClusterDescription,
  ClusterSignal,
  NumericSignal,
  CategoricalSignal,
  DescribeClustersOptions,
} from './cluster/describe/describe-clusters';
export { clusterRules, rulesTable } from './cluster/describe/rules';
export type {
  ClusterRules,
  ClusterRule,
  ClusterRulesOptions,
  RuleLeaf,
  RuleNode,
  RulesTableRow,
} from './cluster/describe/rules';

// ── Judging a clustering: sizes, agreement with a label, stability under resampling ───────────────
export { clusterSizes } from './cluster/evaluate/cluster-sizes';
export { normalizedMutualInfo } from './cluster/evaluate/mutual-information';
export type { ClusterLabel } from './cluster/evaluate/mutual-information';
export { clusterStability, STABILITY_DEFAULTS, clusterStabilityTable } from './cluster/evaluate/stability';
export type { StabilityOptions, StabilityRun, StabilityResult, ClusterStability } from './cluster/evaluate/stability';
export { kMedoidsRefit, averageLinkageRefit, kMeansRefit } from './cluster/evaluate/refits';
export type { Refit } from './cluster/evaluate/stability';
export type { ClusterStabilityRow } from './cluster/evaluate/stability';
export { summariseClustering, degenerateSizes, methodVerdict } from './cluster/evaluate/compare';
export type { ClusteringSummary } from './cluster/evaluate/compare';
export { adjustedRandIndex, contingencyTable } from './cluster/evaluate/adjusted-rand';
export type { ContingencyTable } from './cluster/evaluate/adjusted-rand';

// ── The whole catalogue (notebooks 02–04): every track in a cluster, similar tracks ───────────────
export { assignToCentroids } from './cluster/kmeans/assign';
export type { CentroidAssignment, FittedKMeans } from './cluster/kmeans/assign';
export { assignTracksToMedoids } from './cluster/kmedoids/assign-tracks';
export type { TrackMedoidAssignment } from './cluster/kmedoids/assign-tracks';
export { clara } from './cluster/kmedoids/clara';
export type { ClaraOptions, ClaraResult, ClaraSample } from './cluster/kmedoids/clara';
export { loadCatalogue } from './catalogue/catalogue';
export type { Catalogue, CatalogueTrack, FeatureDifference, SimilarOptions, SimilarTrack } from './catalogue/catalogue';
export { findTrack, describeDifferences } from './catalogue/find-track';
export type { FoundTrack } from './catalogue/find-track';
export { playlistRows, describePlaylistOrder } from './catalogue/playlist';
export type { Playlist, PlaylistOptions, PlaylistSeed, PlaylistTrack } from './catalogue/playlist';
export type { StoredCluster, ClusteringKind } from './catalogue/playlist-clusters';
export { exportPlaylist, playlistFileName, PLAYLIST_FORMATS } from './catalogue/export-playlist';
export type { ExportTrack, PlaylistFormat } from './catalogue/export-playlist';

// ── Maps: t-SNE and how faithful it is ────────────────────────────────────────────────────────────
export { tsne, embeddingXY } from './embed/tsne';
export type { TsneOptions, TsneProgress, TsneResult } from './embed/tsne';
export { trustworthiness } from './embed/trustworthiness';
export { placeOnEmbedding, placePositions, placementQuality } from './embed/place';
export type {
  Placement,
  PlacedPositions,
  PlacementQuality,
  PlacementQualityOptions,
  PlaceOptions,
  ReferenceEmbedding,
} from './embed/place';
export { catalogueMapPoints } from './embed/catalogue-map';
export type { CatalogueMapPoints } from './embed/catalogue-map';

// ── Showing it in a notebook: tables, figures, progress ───────────────────────────────────────────
export { show, showTable, formatCount } from './notebook/display';
export type { Figure, TableOptions } from './notebook/display';
export { histogram, linePlot, scatter, bubbleChart, trackHoverTexts } from './notebook/plot';
export { silhouettePlot } from './notebook/silhouette-plot';
export { densityMap, densityMapHoverRows } from './notebook/density-map';
export type { DensityMapOptions } from './notebook/density-map';
export type { FigureOptions } from './notebook/plot';
export { clusterHeatmap } from './notebook/heatmap';
export { showFoldedTable } from './notebook/folded-table';
export { withProgress, tsneProgressCallback } from './notebook/progress';
export { remember } from './notebook/remember';
export type { Progress } from './notebook/progress';

// ── Runs: each notebook's run recorded in `run`, and two runs compared (notebook 05) ────────────────
export { recordRun, noteRunMerits, clusteringMerits } from './notebook/run-record';
export type { RunResults, RecordRunOptions } from './notebook/run-record';
export { runsTable, meritTrend, meritsPlot, pickRunPair, compareRuns } from './notebook/runs-report';
export type { MeritTrend, RunComparison } from './notebook/runs-report';
