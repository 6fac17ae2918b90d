import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeClusters,
  describeTable,
  featureSeparation,
  NumericSignal,
  CategoricalSignal,
} from '../../../lib/cluster/describe/describe-clusters';

const close = (actual: number, expected: number, digits = 4) =>
  assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} is not ${expected}`);

// Four tracks, two clusters, worked by hand.
// energy: cluster 0 = 0.9, 0.8 (mean 0.85), the rest 0.2, 0.1 (mean 0.15); squared deviations
// 0.0025 + 0.0025 on each side, pooled s = √(0.01 / (4 − 2)) = 0.070711, d = 0.7 / 0.070711 = 9.8995.
// genre: Pop is all of cluster 0 and none of the rest: h = 2·asin(1) − 2·asin(0) = π; overall 50 %, lift 2.
const TWO = Object.freeze({
  genre: Object.freeze(['Pop', 'Pop', 'Rock', 'Rock']),
  energy: Object.freeze([0.9, 0.8, 0.2, 0.1]),
});

test('two clusters by hand: d for a number, Cohen h and lift for a category, the name from both', () => {
  const [zero, one] = describeClusters(TWO, [0, 0, 1, 1]);
  assert.equal(zero.size, 2);
  assert.equal(zero.share, 0.5);
  const energy = zero.signals[0] as NumericSignal;
  assert.equal(energy.feature, 'energy');
  close(energy.effect, 9.8995);
  close(energy.clusterMean, 0.85);
  close(energy.restMean, 0.15);
  assert.equal(energy.word, 'energetic');
  const genre = zero.signals[1] as CategoricalSignal;
  assert.deepEqual(
    { value: genre.value, share: genre.shareInCluster, overall: genre.shareOverall, lift: genre.lift },
    { value: 'Pop', share: 1, overall: 0.5, lift: 2 },
  );
  close(genre.effect, Math.PI);
  assert.equal(zero.name, 'energetic · Pop');
  close(one.signals[0].effect, -9.8995);
  assert.equal(one.name, 'calm · Rock');
});

test('changing the data changes the names: energy swapped between the clusters, mode words', () => {
  const swapped = { ...TWO, energy: [0.1, 0.2, 0.8, 0.9] };
  assert.deepEqual(
    describeClusters(swapped, [0, 0, 1, 1]).map((c) => c.name),
    ['calm · Pop', 'energetic · Rock'],
  );
  const modes = { mode: ['Minor', 'Minor', 'Major', 'Major'], key: ['C#', 'C#', 'D', 'D'] };
  assert.deepEqual(
    describeClusters(modes, [0, 0, 1, 1]).map((c) => c.name),
    ['minor · key C#', 'major · key D'],
  );
});

// Three clusters of two tracks. genre A is all of clusters 0 and 1 and half the rest of each:
// h = π − 2·asin(√0.5) = π/2 = 1.5708, so both start "A · energetic" and need a third word.
// energy, cluster 0 = 0.9, 0.7 (mean 0.8), rest 0.8, 0.6, 0.1, 0.1 (mean 0.4): squares 0.02 and
// 0.38, s = √(0.4 / 4) = 0.31623, d = 1.2649. Cluster 1 = 0.8, 0.6 (0.7) against 0.45: squares
// 0.02 and 0.51, s = √(0.53 / 4) = 0.36401, d = 0.6868.
// tempo, cluster 0 = 100, 120 (110) against 104, 124, 112, 112 (113): squares 200 and 204,
// s = √(404 / 4) = 10.0499, d = −0.2985 (slow, small); cluster 1 the mirror image, d = +0.2985 (fast).
// Cluster 2: genre B all of it and none of the rest (h = π); energy 0.1 against 0.75 with squares 0
// and 0.05, s = 0.11180, d = −5.8138 (calm); tempo 112 against 112, d = 0.
const THREE = Object.freeze({
  genre: ['A', 'A', 'A', 'A', 'B', 'B'],
  energy: [0.9, 0.7, 0.8, 0.6, 0.1, 0.1],
  tempo: [100, 120, 104, 124, 112, 112],
});

test('a repeated name takes the next signal of each cluster; only two words unless the third is large', () => {
  const described = describeClusters(THREE, [0, 0, 1, 1, 2, 2]);
  close(described[0].signals[0].effect, Math.PI / 2);
  close(described[0].signals[1].effect, 1.2649);
  close(described[0].signals[2].effect, -0.2985);
  close(described[1].signals[1].effect, 0.6868);
  close(described[1].signals[2].effect, 0.2985);
  close(described[2].signals[0].effect, -5.8138);
  assert.deepEqual(
    described.map((c) => c.name),
    ['A · energetic · slow', 'A · energetic · fast', 'calm · B'],
  );
  // with a lower bar for the third word, cluster 0 takes its own third word without any clash
  assert.equal(describeClusters(THREE, [0, 0, 1, 1, 2, 2], { thirdWordEffect: 0.2 })[0].name, 'A · energetic · slow');
});

test('clusters alike in every signal get a number; a cluster without a signal is "mixed"; empty clusters', () => {
  const alike = { genre: ['A', 'A', 'A', 'A', 'B', 'B'], energy: [0.9, 0.1, 0.9, 0.1, 0.5, 0.5] };
  assert.deepEqual(
    describeClusters(alike, [0, 0, 1, 1, 2, 2]).map((c) => c.name),
    ['A', 'A (2)', 'B'],
  );
  const flat = { energy: [0.9, 0.1, 0.9, 0.1] };
  assert.deepEqual(
    describeClusters(flat, [0, 0, 1, 1]).map((c) => c.name),
    ['mixed', 'mixed (2)'],
  );
  const withEmpty = describeClusters(TWO, [0, 0, 2, 2], { k: 4 });
  assert.deepEqual(
    withEmpty.map((c) => [c.size, c.name]),
    [
      [2, 'energetic · Pop'],
      [0, 'empty'],
      [2, 'calm · Rock'],
      [0, 'empty (2)'],
    ],
  );
});

test('a categorical value held by less than half the cluster does not name it', () => {
  // cluster 0: genre A, B, C, D (A a quarter, first seen), energy high
  const frame = { genre: ['A', 'B', 'C', 'D', 'E', 'E'], energy: [0.9, 0.8, 0.9, 0.8, 0.1, 0.2] };
  assert.equal(describeClusters(frame, [0, 0, 0, 0, 1, 1])[0].name, 'energetic');
});

test('feature separation, weighted by size, and the narrow table in words', () => {
  const described = describeClusters(TWO, [0, 0, 1, 1]);
  const separation = featureSeparation(described);
  assert.deepEqual(
    separation.map((s) => s.feature),
    ['energy', 'genre'],
  );
  close(separation[0].separation, 9.8995);
  close(separation[1].separation, Math.PI);
  assert.deepEqual(describeTable(described, { signals: 2 })[0], {
    cluster: 0,
    name: 'energetic · Pop',
    tracks: 2,
    'share (%)': 50,
    'what sets it apart (strongest first)': 'energy 0.85 vs 0.15 (d +9.90) · genre Pop 100% vs 50% overall (h +3.14)',
  });
});

test('bad input is refused with one sentence', () => {
  assert.throws(() => describeClusters(TWO, [0, 0, 1]), /3 labels for 4 rows/);
  assert.throws(() => describeClusters(TWO, [0, 0, 1, -1]), /Row 3 has the cluster label -1/);
  assert.throws(() => describeClusters(TWO, [0, 0, 1, 2], { k: 2 }), /from 0 to 1/);
  assert.throws(() => describeClusters({ energy: [1, NaN] }, [0, 1]), /finite number/);
  assert.throws(() => describeClusters(TWO, [0, 0, 1, 1], { minEffect: -1 }), /minEffect/);
});

test('clusters sharing a name take the word that tells them apart, not the next word they share', () => {
  // Clusters 0 and 1 have the same rows for genre, energy and acousticness (both "A · energetic",
  // both electric, d = −0.926) and differ in valence: 0.7, 0.4 (mean 0.55) against 0.3, 0.6 (0.45),
  // d = ±0.075 / √(0.0925 / 4) = ±0.493. "electric" would not tell them apart; "happy"/"sad" does.
  // Cluster 2: energy d = −0.75 / √(0.01 / 4) = −15, acousticness 0.3 / √(0.015 / 4) = +4.9, genre B h = π.
  const frame = {
    genre: ['A', 'A', 'A', 'A', 'B', 'B'],
    energy: [0.9, 0.8, 0.9, 0.8, 0.1, 0.1],
    acousticness: [0.2, 0.3, 0.2, 0.3, 0.5, 0.6],
    valence: [0.7, 0.4, 0.3, 0.6, 0.5, 0.5],
  };
  const described = describeClusters(frame, [0, 0, 1, 1, 2, 2], { thirdWordEffect: 1 });
  close(described[0].signals[2].effect, -0.926, 3);
  close(described[0].signals[3].effect, 0.493, 3);
  assert.deepEqual(
    described.map((c) => c.name),
    ['A · energetic · happy', 'A · energetic · sad', 'calm · acoustic · B'],
  );
});
