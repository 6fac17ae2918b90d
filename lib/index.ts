/**
 * The library behind the notebooks: everything a notebook does beyond telling the story.
 * `require()` the project root (package.json `main` points at the compiled copy of this file)
 * to use the same helpers from a plain Node script.
 */
export * from './random';
export * from './schema';
export * from './config';
export * from './csv';
export * from './loader';
export * from './clean';
export * from './synthetic';
export * from './db';
export * from './display';
export * from './plot';
export * from './sample';
export * from './progress';
export * from './distance-matrix';
export * from './memory';
export * from './gower';
export * from './linkage';
export * from './silhouette';
export * from './split';
export * from './assign';
export * from './sweep';
export * from './profile';
export * from './numeric-matrix';
export * from './encode';
export * from './scaler';
export * from './kmeans-plus-plus';
export * from './lloyd';
export * from './kmeans';
export * from './elbow';
export * from './knee';
export * from './cluster-positions';
export * from './pairwise-input';
export * from './nearest-neighbours';
export * from './perplexity';
export * from './barnes-hut';
export * from './pca';
export * from './tsne';
export * from './trustworthiness';
export * from './maps';
