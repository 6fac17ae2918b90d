/**
 * Rules in words: a shallow decision tree that predicts each track's cluster from its features,
 * read back as one rule per cluster, with its fidelity (the share of tracks whose cluster the tree
 * gets right), so a reader knows how far the simple description holds.
 *
 * The tree is CART (Breiman, Friedman, Olshen & Stone 1984, "Classification and Regression Trees"),
 * as scikit-learn's `DecisionTreeClassifier(criterion='gini', max_depth=3)` grows it, categorical
 * features one-vs-rest as `pd.get_dummies` makes them; test/reference/rules_fixtures.py checks the
 * fidelity against scikit-learn 1.9.1.
 *
 * Written here rather than taken from mljs's `ml-cart` 2.1.1: it re-partitions the node's rows for
 * every candidate threshold (O(n²) per feature, hours at 10,000 tracks), splits with `x < threshold`
 * and keeps only class shares in its leaves, not the counts a rule's precision and recall need.
 * This sweep is O(n) per feature. The splitting, stopping and tie rules: docs/describe.md.
 */
import { FrameLike, frameColumn, frameColumnNames, frameKinds, frameNumbers, frameRowCount } from '../../data/frame';
import { CATEGORICAL_FEATURES } from '../../data/schema';

/** Options of {@link clusterRules}; every field is optional. */
export interface ClusterRulesOptions {
  /** The depth of the tree, 1 to 3 (default 3): a rule has at most this many conditions. */
  maxDepth?: number;
  /** The categorical features (default: genre, key, mode, time_signature where present); text columns always are. */
  categorical?: readonly string[];
  /** One name per cluster, for the rule texts (e.g. from `describeClusters`). */
  names?: readonly string[];
  /** The number of clusters (default: the largest label + 1). */
  k?: number;
}

/** The written-down default: a depth of 3, at most three conditions per rule. */
export const RULES_DEFAULTS: Readonly<{ maxDepth: number }> = Object.freeze({ maxDepth: 3 });

/** A categorical feature with more values than this is refused (an id column, most likely). */
export const MAX_CATEGORIES = 100;

/** One column the tree splits on: a numeric feature, or one category of a categorical feature (0/1). */
export interface RuleColumn {
  /** 'danceability', or 'genre = Country'. */
  name: string;
  /** The feature it comes from. */
  feature: string;
  /** The category, for a one-vs-rest column. */
  category?: string;
}

/** A node of the fitted tree. `counts[c]` is the number of its tracks in cluster c. */
export type RuleNode =
  | {
      kind: 'split';
      size: number;
      counts: number[];
      column: number;
      threshold: number;
      left: RuleNode;
      right: RuleNode;
    }
  | RuleLeaf;

/** A leaf: the path to it, as conditions, and the cluster it predicts. */
export interface RuleLeaf {
  kind: 'leaf';
  size: number;
  counts: number[];
  /** The cluster the leaf predicts (its most common; ties: the lowest label). */
  cluster: number;
  /** Its tracks in that cluster. */
  correct: number;
  /** The conditions of the path, merged per feature, e.g. ['mode = Minor', 'danceability > 0.71']. */
  conditions: string[];
}

/** The rule of one cluster: the leaves that predict it, joined with "or". */
export interface ClusterRule {
  cluster: number;
  name: string | null;
  /** Tracks in the cluster. */
  size: number;
  /** The leaves predicting this cluster, most correct first (none: the tree never predicts it). */
  leaves: RuleLeaf[];
  /** The condition in words, '' when no leaf predicts the cluster. */
  condition: string;
  /** Tracks the rule covers (in its leaves). */
  covered: number;
  /** Covered tracks that are in the cluster. */
  correct: number;
  /** correct / covered: how often the rule is right (NaN when it covers nothing). */
  precision: number;
  /** correct / size: the share of the cluster the rule finds (NaN for an empty cluster). */
  recall: number;
  /** The whole sentence, e.g. "cluster 3 (Dance · minor): mode = Minor and … → 81 % of …". */
  text: string;
}

/** The result of {@link clusterRules}. */
export interface ClusterRules {
  /** One rule per cluster, in label order. */
  rules: ClusterRule[];
  /** The share of tracks whose cluster the tree predicts right. */
  fidelity: number;
  /** Tracks predicted right, and all tracks. */
  correct: number;
  n: number;
  /** The depth limit, and the depth the tree reached. */
  maxDepth: number;
  depth: number;
  /** The leaves, left to right. */
  leaves: RuleLeaf[];
  tree: RuleNode;
  columns: RuleColumn[];
  /** The predicted cluster of every track. */
  predictions: Int32Array;
  /** One sentence: the tree and its fidelity. */
  summary: string;
}

/** Two values closer than this count as equal, as in scikit-learn's FEATURE_THRESHOLD. */
const SAME_VALUE = 1e-7;

interface Encoded {
  columns: RuleColumn[];
  values: Float64Array[];
  /** The values of each categorical feature, sorted. */
  categories: Map<string, string[]>;
}

function percent(share: number): string {
  return `${Math.round(100 * share)} %`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A threshold for reading: whole numbers from 1,000 up, else three significant digits. */
export function formatThreshold(value: number): string {
  if (Math.abs(value) >= 1000) return count(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

function encodeFeatures(features: FrameLike, categorical: readonly string[] | undefined): Encoded {
  const names = frameColumnNames(features);
  if (names.length === 0) throw new Error('The features frame has no columns; give at least one feature.');
  const kinds = frameKinds(features);
  for (const name of categorical ?? []) {
    if (!names.includes(name)) {
      throw new Error(
        `The categorical feature '${name}' is not a column of the features; they are ${names.join(', ')}.`,
      );
    }
  }
  const isCategorical = (name: string, c: number) =>
    kinds[c] === 'text' || (categorical ?? CATEGORICAL_FEATURES).includes(name);
  const columns: RuleColumn[] = [];
  const values: Float64Array[] = [];
  const categories = new Map<string, string[]>();
  names.forEach((name, c) => {
    if (!isCategorical(name, c)) {
      columns.push({ name, feature: name });
      values.push(frameNumbers(features, name));
      return;
    }
    const raw = frameColumn(features, name);
    const text = Array.from(raw, (value, r) => {
      if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) {
        throw new Error(`The categorical feature '${name}' has no value in row ${r}; fill or drop that row first.`);
      }
      return String(value);
    });
    const distinct = [...new Set(text)].sort();
    if (distinct.length > MAX_CATEGORIES) {
      throw new Error(
        `The feature '${name}' has ${count(distinct.length)} distinct values; a rule naming one of them describes ` +
          `a handful of tracks: leave it out of the features (sc.clusteringFeatures keeps the 15 that matter).`,
      );
    }
    categories.set(name, distinct);
    for (const category of distinct) {
      columns.push({ name: `${name} = ${category}`, feature: name, category });
      values.push(Float64Array.from(text, (v) => (v === category ? 1 : 0)));
    }
  });
  return { columns, values, categories };
}

function checkLabels(labels: ArrayLike<number>, n: number, k: number | undefined): number {
  if (labels.length !== n)
    throw new Error(`There are ${labels.length} labels for ${n} tracks; give one label per track.`);
  if (k !== undefined && (!Number.isInteger(k) || k < 1)) {
    throw new Error(`The number of clusters k must be a whole number of at least 1, got ${k}.`);
  }
  let largest = -1;
  for (let r = 0; r < n; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || (k !== undefined && label >= k)) {
      const range = k === undefined ? 'whole numbers from 0 up' : `whole numbers from 0 to ${k - 1}`;
      throw new Error(`Track ${r} has the cluster label ${label}; cluster labels must be ${range}.`);
    }
    if (label > largest) largest = label;
  }
  return k ?? largest + 1;
}

/** The most common cluster of a node (ties: the lowest label). */
function majority(counts: number[]): number {
  let best = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c] > counts[best]) best = c;
  return best;
}

/** The best split of a node: the column and threshold with the lowest weighted Gini impurity. */
function bestSplit(
  values: Float64Array[],
  orders: Int32Array[],
  inNode: Uint8Array,
  labels: ArrayLike<number>,
  counts: number[],
  size: number,
): { column: number; threshold: number } | null {
  const k = counts.length;
  let totalSquares = 0;
  for (const c of counts) totalSquares += c * c;
  let best: { column: number; threshold: number } | null = null;
  let bestProxy = -Infinity;
  const left = new Array<number>(k);
  const right = new Array<number>(k);
  for (let j = 0; j < values.length; j++) {
    const x = values[j];
    left.fill(0);
    for (let c = 0; c < k; c++) right[c] = counts[c];
    let squaresLeft = 0;
    let squaresRight = totalSquares;
    let a = 0;
    let previous = NaN;
    for (const r of orders[j]) {
      if (!inNode[r]) continue;
      const value = x[r];
      if (a > 0 && value > previous + SAME_VALUE) {
        // Maximising Σ left² / nL + Σ right² / nR minimises the children's weighted Gini impurity.
        const proxy = squaresLeft / a + squaresRight / (size - a);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          let threshold = (previous + value) / 2;
          if (threshold === value) threshold = previous;
          best = { column: j, threshold };
        }
      }
      const label = labels[r];
      squaresLeft += 2 * left[label] + 1;
      left[label]++;
      squaresRight -= 2 * right[label] - 1;
      right[label]--;
      previous = value;
      a++;
    }
  }
  return best;
}

/** A path's conditions, merged per feature: "0.3 < energy ≤ 0.8", "genre = Country", "key in (A, B)". */
function conditionsOf(path: { column: number; goesRight: boolean; threshold: number }[], encoded: Encoded): string[] {
  type Numeric = { low: number; high: number };
  type Categorical = { equals: string | null; not: Set<string> };
  const bounds = new Map<string, Numeric | Categorical>();
  for (const { column, goesRight, threshold } of path) {
    const { feature, category } = encoded.columns[column];
    if (category === undefined) {
      const b = (bounds.get(feature) as Numeric | undefined) ?? { low: -Infinity, high: Infinity };
      if (goesRight) b.low = Math.max(b.low, threshold);
      else b.high = Math.min(b.high, threshold);
      bounds.set(feature, b);
    } else {
      const b = (bounds.get(feature) as Categorical | undefined) ?? { equals: null, not: new Set<string>() };
      if (goesRight) b.equals = category;
      else b.not.add(category);
      bounds.set(feature, b);
    }
  }
  return [...bounds].map(([feature, b]) => {
    if ('low' in b) {
      if (b.low > -Infinity && b.high < Infinity)
        return `${formatThreshold(b.low)} < ${feature} ≤ ${formatThreshold(b.high)}`;
      return b.low > -Infinity ? `${feature} > ${formatThreshold(b.low)}` : `${feature} ≤ ${formatThreshold(b.high)}`;
    }
    if (b.equals !== null) return `${feature} = ${b.equals}`;
    const rest = encoded.categories.get(feature)!.filter((v) => !b.not.has(v));
    if (rest.length === 1) return `${feature} = ${rest[0]}`;
    if (b.not.size === 1) return `${feature} ≠ ${[...b.not][0]}`;
    if (rest.length < b.not.size) return `${feature} in (${rest.join(', ')})`;
    return `${feature} not in (${[...b.not].join(', ')})`;
  });
}

function growTree(encoded: Encoded, labels: ArrayLike<number>, k: number, maxDepth: number): RuleNode {
  const n = labels.length;
  const orders = encoded.values.map((x) => {
    const order = new Int32Array(n);
    for (let r = 0; r < n; r++) order[r] = r;
    return order.sort((a, b) => x[a] - x[b] || a - b);
  });
  const inNode = new Uint8Array(n);
  const grow = (rows: Int32Array, depth: number, path: Parameters<typeof conditionsOf>[0]): RuleNode => {
    const counts = new Array<number>(k).fill(0);
    for (const r of rows) counts[labels[r]]++;
    const cluster = majority(counts);
    const leaf = (): RuleLeaf => ({
      kind: 'leaf',
      size: rows.length,
      counts,
      cluster,
      correct: counts[cluster],
      conditions: conditionsOf(path, encoded),
    });
    if (depth >= maxDepth || rows.length < 2 || counts[cluster] === rows.length) return leaf();
    for (const r of rows) inNode[r] = 1;
    const split = bestSplit(encoded.values, orders, inNode, labels, counts, rows.length);
    for (const r of rows) inNode[r] = 0;
    if (split === null) return leaf();
    const x = encoded.values[split.column];
    const leftRows = rows.filter((r) => x[r] <= split.threshold);
    const rightRows = rows.filter((r) => x[r] > split.threshold);
    const step = { column: split.column, threshold: split.threshold };
    return {
      kind: 'split',
      size: rows.length,
      counts,
      column: split.column,
      threshold: split.threshold,
      left: grow(leftRows, depth + 1, [...path, { ...step, goesRight: false }]),
      right: grow(rightRows, depth + 1, [...path, { ...step, goesRight: true }]),
    };
  };
  const all = new Int32Array(n);
  for (let r = 0; r < n; r++) all[r] = r;
  return grow(all, 0, []);
}

function leavesOf(node: RuleNode): RuleLeaf[] {
  return node.kind === 'leaf' ? [node] : [...leavesOf(node.left), ...leavesOf(node.right)];
}

function depthOf(node: RuleNode): number {
  return node.kind === 'leaf' ? 0 : 1 + Math.max(depthOf(node.left), depthOf(node.right));
}

/** The cluster the tree predicts for one row of the encoded columns. */
function predict(node: RuleNode, values: Float64Array[], r: number): number {
  while (node.kind === 'split') node = values[node.column][r] <= node.threshold ? node.left : node.right;
  return node.cluster;
}

function ruleOf(cluster: number, name: string | null, size: number, leaves: RuleLeaf[], maxDepth: number): ClusterRule {
  const mine = leaves.filter((leaf) => leaf.cluster === cluster).sort((a, b) => b.correct - a.correct);
  const covered = mine.reduce((sum, leaf) => sum + leaf.size, 0);
  const correct = mine.reduce((sum, leaf) => sum + leaf.correct, 0);
  const precision = covered > 0 ? correct / covered : NaN;
  const recall = size > 0 ? correct / size : NaN;
  const parts = mine.map((leaf) => (leaf.conditions.length === 0 ? 'every track' : leaf.conditions.join(' and ')));
  const condition = parts.length > 1 ? parts.map((p) => `(${p})`).join(' or ') : (parts[0] ?? '');
  const label = name === null ? `cluster ${cluster}` : `cluster ${cluster} (${name})`;
  let text: string;
  if (mine.length === 0) {
    text =
      size === 0
        ? `${label}: no tracks, so no rule.`
        : `${label}: no rule; no leaf of the depth-${maxDepth} tree predicts it, so its ${count(size)} tracks ` +
          `fall under other clusters' rules.`;
  } else {
    text =
      `${label}: ${condition} → ${percent(precision)} of the ${count(covered)} tracks the rule covers are in ` +
      `cluster ${cluster}; it finds ${percent(recall)} of the cluster's ${count(size)} tracks.`;
  }
  return { cluster, name, size, leaves: mine, condition, covered, correct, precision, recall, text };
}

/**
 * A shallow decision tree (CART with Gini, as scikit-learn's; see the file header) that predicts
 * each track's cluster from its features, read as one rule per cluster: the paths to the leaves
 * that predict the cluster, joined with "or", with the rule's precision (of the tracks it covers,
 * the share in the cluster) and recall (of the cluster, the share it covers). The tree's
 * `fidelity` is the share of all tracks whose cluster it gets right: how far the rules hold.
 * Numeric features are split at midpoints ("danceability > 0.71", shown to three significant
 * digits); each category of a categorical feature is a one-vs-rest split ("genre = Country").
 * @param features the clustering features, one row per track (any `FrameLike`, e.g. `sc.clusteringFeatures(sample)`)
 * @param labels one cluster label 0..k−1 per track
 * @param options `maxDepth` (1–3, default 3), `categorical`, `names` (one per cluster), `k`
 * @example
 * const rules = clusterRules(features, medoidLabels, { names: medoidNames });
 * rules.fidelity        // e.g. 0.91
 * rules.rules[1].text   // e.g. "cluster 1 (Dance · minor): genre = Dance and mode = Minor → 88 % of …"
 */
export function clusterRules(
  features: FrameLike,
  labels: ArrayLike<number>,
  options: ClusterRulesOptions = {},
): ClusterRules {
  const maxDepth = options.maxDepth ?? RULES_DEFAULTS.maxDepth;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 3) {
    throw new Error(
      `The tree's depth maxDepth must be 1, 2 or 3 (a rule of more conditions is no rule), got ${maxDepth}.`,
    );
  }
  const n = frameRowCount(features);
  if (n === 0) throw new Error('There are no tracks to describe; give at least one row of features.');
  const k = checkLabels(labels, n, options.k);
  if (options.names !== undefined && options.names.length !== k) {
    throw new Error(`There are ${options.names.length} names for ${k} clusters; give one name per cluster.`);
  }
  const encoded = encodeFeatures(features, options.categorical);
  const tree = growTree(encoded, labels, k, maxDepth);
  const leaves = leavesOf(tree);
  const predictions = new Int32Array(n);
  let correct = 0;
  for (let r = 0; r < n; r++) {
    predictions[r] = predict(tree, encoded.values, r);
    if (predictions[r] === labels[r]) correct++;
  }
  const sizes = new Array<number>(k).fill(0);
  for (let r = 0; r < n; r++) sizes[labels[r]]++;
  const rules = sizes.map((size, c) => ruleOf(c, options.names?.[c] ?? null, size, leaves, maxDepth));
  const fidelity = correct / n;
  const depth = depthOf(tree);
  const summary =
    `A tree of depth ${depth} with ${leaves.length} ${leaves.length === 1 ? 'leaf' : 'leaves'} puts ` +
    `${(100 * fidelity).toFixed(1)} % of the ${count(n)} tracks in their own cluster (its fidelity): ` +
    `the rules below describe the clusters that far.`;
  return { rules, fidelity, correct, n, maxDepth, depth, leaves, tree, columns: encoded.columns, predictions, summary };
}

/** One row of {@link rulesTable}. */
export interface RulesTableRow {
  cluster: number;
  name: string;
  rule: string;
  tracks: number;
  covered: number;
  'precision (%)': number | null;
  'recall (%)': number | null;
}

/**
 * The rules as a small table for `showTable`: one row per cluster with its name, the rule, its
 * size, the tracks the rule covers, precision and recall in percent (null where undefined).
 * @example sc.showTable(sc.rulesTable(rules), { title: rules.summary })
 */
export function rulesTable(rules: ClusterRules): RulesTableRow[] {
  const pct = (share: number) => (Number.isFinite(share) ? Number((100 * share).toFixed(1)) : null);
  return rules.rules.map((rule) => ({
    cluster: rule.cluster,
    name: rule.name ?? '',
    rule: rule.condition === '' ? '(no leaf predicts this cluster)' : rule.condition,
    tracks: rule.size,
    covered: rule.covered,
    'precision (%)': pct(rule.precision),
    'recall (%)': pct(rule.recall),
  }));
}
