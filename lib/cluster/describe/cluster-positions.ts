/**
 * Positions for drawing clusters as bubbles, the original notebook's
 * `cluster_grid.generate_cluster_positions_df(labels, n_clusters, layout_type)`, with its columns
 * named id, x, y, size from the start (as the `cluster` table has them), plus each bubble's `radius`
 * (area proportional to the cluster's size, scaled so that no two bubbles overlap).
 *
 * Layouts: 'circular' (the original notebook's: evenly spaced on the unit circle), 'grid' (row by
 * row, square cells) and 'packed' (circles packed without overlap, largest first at the centre).
 * Every centre lies in [-1, 1] x [-1, 1], and the same labels give the same positions.
 *
 * Written here because the original's `cluster_grid` module is Python and has no npm counterpart;
 * the layouts and their limits: docs/describe.md.
 */

/** How the clusters are laid out. */
export type ClusterLayout = 'circular' | 'grid' | 'packed';

/** One cluster's bubble. */
export interface ClusterPosition {
  /** The cluster's label, 0 .. nClusters - 1. */
  readonly id: number;
  /** Centre, in [-1, 1]. */
  readonly x: number;
  readonly y: number;
  /** Number of points (tracks) with this label; 0 for an empty cluster. */
  readonly size: number;
  /** Radius of the bubble (area proportional to size); see the file comment for its scale. */
  readonly radius: number;
}

const LAYOUTS: readonly ClusterLayout[] = ['circular', 'grid', 'packed'];

/**
 * One row per cluster with its position, size and bubble radius.
 * @param labels the cluster of each point, whole numbers 0 .. nClusters - 1
 * @param nClusters the number of clusters (clusters without points get size 0)
 * @param layout 'circular' (default, the original notebook's), 'grid' or 'packed'
 * @example
 * generateClusterPositions([0, 1, 1, 3], 4, 'circular');
 * // [{ id: 0, x: 1, y: 0, size: 1, radius: 0.354 }, { id: 1, x: 0, y: 1, size: 2, radius: 0.5 },
 * //  { id: 2, x: -1, y: 0, size: 0, radius: 0 }, { id: 3, x: 0, y: -1, size: 1, radius: 0.354 }]
 */
export function generateClusterPositions(
  labels: ArrayLike<number>,
  nClusters: number,
  layout: ClusterLayout = 'circular',
): ClusterPosition[] {
  if (!Number.isInteger(nClusters) || nClusters < 1) {
    throw new Error(`The number of clusters must be a whole number of at least 1, got ${nClusters}.`);
  }
  if (!LAYOUTS.includes(layout)) {
    throw new Error(`The layout must be one of ${LAYOUTS.join(', ')}, got ${JSON.stringify(layout)}.`);
  }
  const sizes = clusterSizes(labels, nClusters);
  const largest = Math.max(...sizes);
  const relativeRadius = (size: number) => (largest === 0 ? 0 : Math.sqrt(size / largest));
  if (layout === 'circular') {
    const maxRadius = nClusters === 1 ? 0.5 : Math.min(0.5, Math.sin(Math.PI / nClusters));
    return sizes.map((size, id) => {
      const angle = (2 * Math.PI * id) / nClusters;
      const onCircle = nClusters > 1;
      return {
        id,
        x: onCircle ? snap(Math.cos(angle)) : 0,
        y: onCircle ? snap(Math.sin(angle)) : 0,
        size,
        radius: maxRadius * relativeRadius(size),
      };
    });
  }
  if (layout === 'grid') {
    const columns = Math.ceil(Math.sqrt(nClusters));
    const rows = Math.ceil(nClusters / columns);
    const cell = 2 / Math.max(columns, rows);
    return sizes.map((size, id) => {
      const column = id % columns;
      const row = Math.floor(id / columns);
      return {
        id,
        x: (column - (columns - 1) / 2) * cell,
        y: ((rows - 1) / 2 - row) * cell,
        size,
        radius: (cell / 2) * relativeRadius(size),
      };
    });
  }
  return packedPositions(sizes);
}

/** Rounding noise such as cos(pi / 2) = 6e-17 becomes 0, so tables show clean coordinates. */
function snap(value: number): number {
  return Math.abs(value) < 1e-12 ? 0 : value;
}

/** Number of labels equal to each cluster id. */
function clusterSizes(labels: ArrayLike<number>, nClusters: number): number[] {
  const sizes = new Array<number>(nClusters).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= nClusters) {
      throw new Error(`Label ${label} at position ${i} is not a cluster id from 0 to ${nClusters - 1}.`);
    }
    sizes[label]++;
  }
  return sizes;
}

interface Circle {
  x: number;
  y: number;
  r: number;
}

function packedPositions(sizes: readonly number[]): ClusterPosition[] {
  const nonEmpty = sizes.filter((size) => size > 0);
  const smallestRadius = nonEmpty.length > 0 ? Math.sqrt(Math.min(...nonEmpty)) : 1;
  // Placement radius: sqrt(size), or a tenth of the smallest for an empty cluster (all 1 if all empty).
  const placementRadius = sizes.map((size) =>
    size > 0 ? Math.sqrt(size) : nonEmpty.length > 0 ? smallestRadius / 10 : 1,
  );
  const order = sizes.map((_, id) => id).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const placed: Circle[] = [];
  const circleOf = new Array<Circle>(sizes.length);
  for (const id of order) {
    const circle = placeCircle(placed, placementRadius[id]);
    placed.push(circle);
    circleOf[id] = circle;
  }
  let extent = 0;
  for (const { x, y, r } of placed) extent = Math.max(extent, Math.abs(x) + r, Math.abs(y) + r);
  const scale = 1 / extent;
  return sizes.map((size, id) => {
    const { x, y, r } = circleOf[id];
    return { id, x: x * scale, y: y * scale, size, radius: size > 0 ? r * scale : 0 };
  });
}

/** The free spot for a circle of radius r nearest to the origin, touching one or two placed circles. */
function placeCircle(placed: readonly Circle[], r: number): Circle {
  if (placed.length === 0) return { x: 0, y: 0, r };
  const candidates: { x: number; y: number }[] = [];
  for (const a of placed) {
    // Touching a alone, at twelve angles (enough for the second circle, a fallback later).
    for (let step = 0; step < 12; step++) {
      const angle = (Math.PI * step) / 6;
      candidates.push({ x: a.x + (a.r + r) * Math.cos(angle), y: a.y + (a.r + r) * Math.sin(angle) });
    }
  }
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) candidates.push(...touchingBoth(placed[i], placed[j], r));
  }
  let best: { x: number; y: number } | undefined;
  let bestDistance = Infinity;
  let bestAngle = Infinity;
  for (const candidate of candidates) {
    if (!isFree(placed, candidate, r)) continue;
    const distance = Math.hypot(candidate.x, candidate.y);
    const angle = normalisedAngle(candidate);
    // Nearest to the origin; among (numerically) equal distances, the smallest angle.
    if (
      distance < bestDistance - 1e-12 * (1 + distance) ||
      (Math.abs(distance - bestDistance) <= 1e-12 * (1 + distance) && angle < bestAngle)
    ) {
      best = candidate;
      bestDistance = distance;
      bestAngle = angle;
    }
  }
  if (!best) {
    // Cannot happen (the outermost circle always has a free side), but never overlap if it did.
    const reach = Math.max(...placed.map((c) => Math.hypot(c.x, c.y) + c.r));
    best = { x: reach + r, y: 0 };
  }
  return { x: best.x, y: best.y, r };
}

/** The centres where a circle of radius r touches both a and b from outside (0, 1 or 2 points). */
function touchingBoth(a: Circle, b: Circle, r: number): { x: number; y: number }[] {
  const ra = a.r + r;
  const rb = b.r + r;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const distance = Math.hypot(dx, dy);
  if (distance === 0 || distance > ra + rb || distance < Math.abs(ra - rb)) return [];
  const along = (ra * ra - rb * rb + distance * distance) / (2 * distance);
  const across = Math.sqrt(Math.max(0, ra * ra - along * along));
  const mx = a.x + (along * dx) / distance;
  const my = a.y + (along * dy) / distance;
  return [
    { x: mx - (across * dy) / distance, y: my + (across * dx) / distance },
    { x: mx + (across * dy) / distance, y: my - (across * dx) / distance },
  ];
}

function isFree(placed: readonly Circle[], point: { x: number; y: number }, r: number): boolean {
  for (const c of placed) {
    const needed = c.r + r;
    if (Math.hypot(point.x - c.x, point.y - c.y) < needed * (1 - 1e-12)) return false;
  }
  return true;
}

function normalisedAngle({ x, y }: { x: number; y: number }): number {
  const angle = Math.atan2(y, x);
  return angle < 0 ? angle + 2 * Math.PI : angle;
}
