/**
 * What sets each cluster apart, and a short name for it computed from that ("Country · acoustic ·
 * calm"), for notebooks 02 and 03, their heatmaps and the `name` columns of the database.
 * Effect sizes after Cohen, "Statistical Power Analysis for the Behavioral Sciences" (1988): the
 * standardised mean difference d for numbers, the arcsine difference h for proportions, both read on
 * the same scale (0.2 small, 0.5 medium, 0.8 large). Written here because no JavaScript library
 * describes clusters this way; the arithmetic is a few lines.
 */
import { FrameLike, frameColumnNames, frameColumns, frameKinds, frameRowCount } from '../../data/frame';

/** A numeric feature of one cluster against the rest of the tracks. */
export interface NumericSignal {
  kind: 'numeric';
  feature: string;
  /** Standardised mean difference: (cluster mean − rest mean) / pooled standard deviation. */
  effect: number;
  /** The means in the feature's own units. */
  clusterMean: number;
  restMean: number;
  /** The word for the direction ("calm"), from the vocabulary. */
  word: string;
}

/** A categorical feature of one cluster: its most common value there against the rest. */
export interface CategoricalSignal {
  kind: 'categorical';
  feature: string;
  /** Cohen's h of the value's share in the cluster against its share in the rest of the tracks. */
  effect: number;
  /** The cluster's most common value (ties: first seen). */
  value: string;
  shareInCluster: number;
  shareOverall: number;
  /** shareInCluster / shareOverall. */
  lift: number;
  /** The word for the value ("Country", "minor", "key C#", "3/4"). */
  word: string;
}

export type ClusterSignal = NumericSignal | CategoricalSignal;

/** One cluster: size, share, every feature's signal (strongest first) and the name. */
export interface ClusterDescription {
  cluster: number;
  size: number;
  /** size / all tracks. */
  share: number;
  /** One signal per feature, by |effect|, the strongest first. */
  signals: ClusterSignal[];
  /** Short and unique within the clustering. */
  name: string;
}

/** Options of {@link describeClusters}; every field is optional. */
export interface DescribeClustersOptions {
  /** The number of clusters (default: the largest label + 1), so empty clusters get a row. */
  k?: number;
  /** The smallest |effect| for a signal to go into a name (default 0.5, a medium effect). */
  minEffect?: number;
  /** The smallest |effect| for the third word of a name (default 0.8, a large effect). */
  thirdWordEffect?: number;
  /** The smallest share in the cluster for a categorical value to go into a name (default 0.5). */
  minShare?: number;
}

/** The words for a numeric feature above / below the rest of the tracks. */
export const FEATURE_WORDS: Readonly<Record<string, readonly [string, string]>> = Object.freeze({
  energy: ['energetic', 'calm'],
  acousticness: ['acoustic', 'electric'],
  valence: ['happy', 'sad'],
  tempo: ['fast', 'slow'],
  loudness: ['loud', 'quiet'],
  instrumentalness: ['instrumental', 'vocal'],
  liveness: ['live', 'studio'],
  speechiness: ['spoken', 'sung'],
  danceability: ['danceable', 'undanceable'],
  popularity: ['popular', 'obscure'],
  duration_ms: ['long', 'short'],
});

/** Words of a categorical value: the genre as it is, "minor", "key C#", "3/4", else "feature value". */
function valueWord(feature: string, value: string): string {
  if (feature === 'genre' || feature === 'time_signature') return value;
  if (feature === 'mode') return value.toLowerCase();
  return `${feature} ${value}`;
}

function numericWord(feature: string, effect: number): string {
  const words = FEATURE_WORDS[feature] ?? [`high ${feature}`, `low ${feature}`];
  return effect >= 0 ? words[0] : words[1];
}

/** Cohen's h between two proportions. */
function cohenH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

/**
 * For each cluster, what sets it apart from the other tracks, and a short name.
 *
 * - **Numeric feature**: the standardised mean difference d = (cluster mean − rest mean) / s, where
 *   s = √(((n₁−1)s₁² + (n₂−1)s₂²) / (n₁+n₂−2)) is the pooled standard deviation of the cluster (n₁
 *   tracks, sample variance s₁²) and the rest (n₂, s₂²); 0 when s is 0 or either side is empty.
 * - **Categorical feature**: the cluster's most common value, its share p₁ in the cluster, its share
 *   in all tracks and the lift (share in cluster / share overall); its effect is Cohen's
 *   h = 2·asin√p₁ − 2·asin√p₂ against its share p₂ in the rest, negative when the value is rarer in
 *   the cluster than elsewhere. d and h share Cohen's scale, so signals of both kinds are ranked
 *   together by |effect|.
 * - **Name**: the words of the strongest signals that count, joined by " · ": a signal counts when
 *   |effect| ≥ `minEffect` (0.5) and, for a categorical one, the effect is positive and the value
 *   holds at least `minShare` (half) of the cluster. Two words, and a third when it is large
 *   (|effect| ≥ `thirdWordEffect`, 0.8). A numeric feature reads as a word of its direction
 *   ({@link FEATURE_WORDS}: energy above the rest is "energetic", below "calm"; an unlisted feature
 *   "high x" / "low x"); a categorical one as its value ("Country", "minor" for mode Minor,
 *   "key C#", "3/4"). A cluster with no signal that counts is "mixed"; an empty one "empty".
 * - **Unique**: while names repeat (three rounds at most), each cluster of a group sharing a name
 *   gets the signal that tells it best from the others: among its signals not yet in its name with
 *   |effect| ≥ 0.2 (small; a categorical one positive), the one whose effect differs most from the
 *   same feature's in the closest other cluster of the group (a word the other lacks, such as "calm"
 *   against "energetic" counts both effects, a categorical value not the other's top value its own); at most five words. Names still
 *   repeated get a number in order of cluster: "mixed", "mixed (2)".
 * @param features the clustering features (text columns are categorical, the others numeric)
 * @param labels one cluster label 0..k−1 per row
 * @example
 * describeClusters({ genre: ['Pop', 'Pop', 'Rock', 'Rock'], energy: [0.9, 0.8, 0.2, 0.1] }, [0, 0, 1, 1])
 *   .map((c) => c.name) // ['energetic · Pop', 'calm · Rock']
 */
export function describeClusters(
  features: FrameLike,
  labels: ArrayLike<number>,
  options: DescribeClustersOptions = {},
): ClusterDescription[] {
  const n = frameRowCount(features);
  if (n !== labels.length) throw new Error(`There are ${labels.length} labels for ${n} rows; give one label per row.`);
  if (n === 0) throw new Error('There are no rows to describe; give at least one clustered track.');
  const minEffect = options.minEffect ?? 0.5;
  const thirdWordEffect = options.thirdWordEffect ?? 0.8;
  const minor = 0.2;
  const minShare = options.minShare ?? 0.5;
  for (const [name, value] of Object.entries({ minEffect, thirdWordEffect, minShare })) {
    if (!(value >= 0)) throw new Error(`${name} must be a number of at least 0, got ${value}.`);
  }
  if (options.k !== undefined && (!Number.isInteger(options.k) || options.k < 1))
    throw new Error(`The number of clusters k must be a whole number of at least 1, got ${options.k}.`);
  let k = options.k ?? 0;
  for (let r = 0; r < n; r++) {
    const label = labels[r];
    const ok = Number.isInteger(label) && label >= 0 && (options.k === undefined ? label < n : label < options.k);
    if (!ok)
      throw new Error(
        `Row ${r} has the cluster label ${label}; cluster labels must be whole numbers from 0 to ` +
          `${(options.k ?? n) - 1}.`,
      );
    if (options.k === undefined) k = Math.max(k, label + 1);
  }
  const names = frameColumnNames(features);
  const kinds = frameKinds(features);
  const columns = frameColumns(features, names);
  const sizes = new Array<number>(k).fill(0);
  for (let r = 0; r < n; r++) sizes[labels[r]]++;

  const perFeature: ((cluster: number) => ClusterSignal)[] = names.map((feature, c) =>
    kinds[c] === 'text'
      ? categoricalSignals(feature, columns[c], labels, sizes, n)
      : numericSignals(feature, columns[c], labels, sizes, n),
  );
  const described = sizes.map((size, cluster) => {
    const signals = perFeature.map((signal) => signal(cluster)).sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
    return { cluster, size, share: size / n, signals, name: '' };
  });
  const counts = (s: ClusterSignal): boolean =>
    Math.abs(s.effect) >= minEffect && (s.kind === 'numeric' || (s.effect > 0 && s.shareInCluster >= minShare));
  const words = described.map((d) => {
    if (d.size === 0) return ['empty'];
    const chosen: string[] = [];
    for (const s of d.signals.filter(counts)) {
      if (chosen.length === 2 && Math.abs(s.effect) < thirdWordEffect) break;
      if (chosen.length === 3) break;
      chosen.push(s.word);
    }
    return chosen.length ? chosen : ['mixed'];
  });
  // Repeated names: each cluster of a group sharing a name takes the signal that tells it from the
  // others best (see the doc comment), up to five words; three rounds at most.
  for (let round = 0; round < 3; round++) {
    const joined = words.map((w) => w.join(' · '));
    const groups = new Map<string, number[]>();
    joined.forEach((name, c) => groups.set(name, [...(groups.get(name) ?? []), c]));
    let added = false;
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const chosen = members.map((c) => distinguishingWord(described, members, c, words[c], minor));
      members.forEach((c, m) => {
        const word = chosen[m];
        if (word === undefined || described[c].size === 0 || words[c].length >= 5) return;
        words[c] = words[c].length === 1 && words[c][0] === 'mixed' ? [word] : [...words[c], word];
        added = true;
      });
    }
    if (!added) break;
  }
  const seen = new Map<string, number>();
  described.forEach((d, c) => {
    const name = words[c].join(' · ');
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    d.name = count === 1 ? name : `${name} (${count})`;
  });
  // a numbered name can still meet a plain one ("mixed (2)" of a cluster actually named so): rare; number on
  const all = new Set<string>();
  for (const d of described) {
    let name = d.name;
    for (let i = 2; all.has(name); i++) name = `${d.name} (${i})`;
    d.name = name;
    all.add(name);
  }
  return described;
}

/**
 * The word that tells cluster `c` best from the other `members` of a group sharing its name: among
 * its signals not yet in its name with |effect| ≥ `minor` (a categorical one positive), the one whose
 * effect differs most from the same feature's effect in the closest other member (a categorical
 * value that is not the other member's top value counts its whole effect).
 */
function distinguishingWord(
  described: readonly ClusterDescription[],
  members: readonly number[],
  c: number,
  used: readonly string[],
  minor: number,
): string | undefined {
  const others = members.filter((o) => o !== c).map((o) => new Map(described[o].signals.map((s) => [s.feature, s])));
  let best: ClusterSignal | undefined;
  let bestGap = -Infinity;
  for (const s of described[c].signals) {
    if (used.includes(s.word) || Math.abs(s.effect) < minor || (s.kind === 'categorical' && s.effect <= 0)) continue;
    const gap = Math.min(
      ...others.map((other) => {
        const o = other.get(s.feature)!;
        // numbers: the difference of the effects; a category: the whole effect when the other's top value differs
        return s.kind === 'categorical' && o.word !== s.word ? Math.abs(s.effect) : Math.abs(s.effect - o.effect);
      }),
    );
    if (gap > bestGap) {
      best = s;
      bestGap = gap;
    }
  }
  return best?.word;
}

/** The numeric signal of each cluster for one column. */
function numericSignals(
  feature: string,
  column: ArrayLike<unknown>,
  labels: ArrayLike<number>,
  sizes: readonly number[],
  n: number,
): (cluster: number) => NumericSignal {
  const k = sizes.length;
  const sum = new Float64Array(k);
  let total = 0;
  for (let r = 0; r < n; r++) {
    const v = Number(column[r]);
    if (!Number.isFinite(v))
      throw new Error(`Row ${r} has ${feature} = ${column[r]}; every numeric feature needs a finite number.`);
    sum[labels[r]] += v;
    total += v;
  }
  // squared deviations from the cluster's and the rest's means, in two passes for accuracy
  const means = Array.from(sum, (s, c) => (sizes[c] ? s / sizes[c] : NaN));
  const restMeans = Array.from(sum, (s, c) => (n - sizes[c] ? (total - s) / (n - sizes[c]) : NaN));
  const within = new Float64Array(k);
  const aroundRest = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const v = Number(column[r]);
    const own = labels[r];
    within[own] += (v - means[own]) ** 2;
    for (let c = 0; c < k; c++) if (c !== own) aroundRest[c] += (v - restMeans[c]) ** 2;
  }
  return (cluster) => {
    const n1 = sizes[cluster];
    const n2 = n - n1;
    const pooled = n1 + n2 > 2 ? Math.sqrt((within[cluster] + aroundRest[cluster]) / (n1 + n2 - 2)) : 0;
    const difference = means[cluster] - restMeans[cluster];
    const effect = n1 && n2 && pooled > 0 ? difference / pooled : 0;
    return {
      kind: 'numeric',
      feature,
      effect,
      clusterMean: means[cluster],
      restMean: restMeans[cluster],
      word: numericWord(feature, effect),
    };
  };
}

/** The categorical signal of each cluster for one column. */
function categoricalSignals(
  feature: string,
  column: ArrayLike<unknown>,
  labels: ArrayLike<number>,
  sizes: readonly number[],
  n: number,
): (cluster: number) => CategoricalSignal {
  const overall = new Map<string, number>();
  const perCluster = sizes.map(() => new Map<string, number>());
  for (let r = 0; r < n; r++) {
    const value = String(column[r]);
    overall.set(value, (overall.get(value) ?? 0) + 1);
    const map = perCluster[labels[r]];
    map.set(value, (map.get(value) ?? 0) + 1);
  }
  return (cluster) => {
    let value = '';
    let count = 0;
    for (const [v, c] of perCluster[cluster])
      if (c > count) {
        value = v;
        count = c;
      }
    const size = sizes[cluster];
    const shareInCluster = size ? count / size : 0;
    const shareOverall = size ? (overall.get(value) ?? 0) / n : 0;
    const rest = n - size;
    const shareInRest = rest ? ((overall.get(value) ?? 0) - count) / rest : shareInCluster;
    return {
      kind: 'categorical',
      feature,
      effect: size ? cohenH(shareInCluster, shareInRest) : 0,
      value,
      shareInCluster,
      shareOverall,
      lift: shareOverall ? shareInCluster / shareOverall : 0,
      word: valueWord(feature, value),
    };
  };
}

/**
 * How much each feature separates the clusters: the mean |effect| over the clusters weighted by their
 * size, the features in decreasing order (the heatmap's column order).
 * @example featureSeparation(describeClusters(df, labels))[0] // { feature: 'genre', separation: 1.2 }
 */
export function featureSeparation(
  descriptions: readonly ClusterDescription[],
): { feature: string; separation: number }[] {
  const total = descriptions.reduce((sum, d) => sum + d.size, 0) || 1;
  const separation = new Map<string, number>();
  for (const d of descriptions)
    for (const s of d.signals)
      separation.set(s.feature, (separation.get(s.feature) ?? 0) + (d.size * Math.abs(s.effect)) / total);
  return [...separation.entries()]
    .map(([feature, value]) => ({ feature, separation: value }))
    .sort((a, b) => b.separation - a.separation);
}

/** A number in a sentence: four significant digits, or thousands separated for large ones. */
function unitValue(value: number): string {
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
}

/**
 * The clusters as a narrow table: name, size, share, and the `signals` (default 3) strongest
 * signals in words, each with the cluster's value against the rest's ("energy 0.31 vs 0.62 (d −1.4)",
 * "genre Country 85% vs 9% overall (h +1.9)").
 * @example describeTable(describeClusters(df, labels))[0]['what sets it apart'] // 'genre Pop 100% vs 50% overall (h +1.57) · …'
 */
export function describeTable(
  descriptions: readonly ClusterDescription[],
  options: { signals?: number } = {},
): Record<string, string | number>[] {
  const count = options.signals ?? 3;
  const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
  return descriptions.map((d) => ({
    cluster: d.cluster,
    name: d.name,
    tracks: d.size,
    'share (%)': Number((100 * d.share).toFixed(1)),
    'what sets it apart (strongest first)': d.signals
      .slice(0, count)
      .map((s) =>
        s.kind === 'numeric'
          ? `${s.feature} ${unitValue(s.clusterMean)} vs ${unitValue(s.restMean)} (d ${signed(s.effect)})`
          : `${s.feature} ${s.value} ${Math.round(100 * s.shareInCluster)}% vs ` +
            `${Math.round(100 * s.shareOverall)}% overall (h ${signed(s.effect)})`,
      )
      .join(' · '),
  }));
}
