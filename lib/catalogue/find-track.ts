/**
 * The track a notebook looks up: the one a reader names (a name or artist, searched in the
 * catalogue), else the original Python notebook's example track, else the most popular stored track.
 * Notebook 04 starts from it; a query that matches nothing is refused with a sentence.
 */
import { Catalogue, CatalogueTrack } from './catalogue';

/** What {@link findTrack} found, and how. */
export interface FoundTrack {
  /** The chosen track: every column of its `track` row. */
  track: CatalogueTrack;
  /** The search hits the track was chosen from (most popular first); empty when no query was given. */
  hits: CatalogueTrack[];
  /** How it was chosen, as a sentence for the notebook. */
  how: string;
}

/**
 * A query as a message echoes it: at most `max` characters, a longer one cut with "…" (a pasted
 * paragraph would otherwise fill the screen).
 * @example shortQuery('x'.repeat(100)) // 'xxx…' (60 characters and "…")
 */
export function shortQuery(query: string, max = 60): string {
  const characters = Array.from(query);
  return characters.length <= max ? query : `${characters.slice(0, max).join('')}…`;
}

/**
 * Finds the track to look up: the most popular match of `query` (name or artist, case and accents
 * ignored), or with an empty query the track `fallbackId`, or the most popular track when that one
 * is not stored.
 * @param catalogue what `loadCatalogue` returned
 * @param query a name or artist; '' for the default
 * @param fallbackId the track to take when no query is given (the original notebook's example)
 * @example findTrack(catalogue, 'beyonce', ORIGINAL_EXAMPLE_TRACK_ID).how // 'The most popular of 4 tracks matching "beyonce".'
 */
export function findTrack(catalogue: Catalogue, query: string, fallbackId: string, limit = 10): FoundTrack {
  const text = query.trim();
  if (text !== '') {
    const hits = catalogue.search(text, limit);
    if (hits.length === 0) {
      throw new Error(
        `No stored track has "${shortQuery(text)}" in its name or artist; try a shorter part of the name, or leave TRACK_QUERY empty for the example track.`,
      );
    }
    return {
      track: hits[0],
      hits,
      how: `The most popular of ${hits.length === limit ? `the first ${limit}` : hits.length} track${hits.length === 1 ? '' : 's'} matching "${shortQuery(text)}".`,
    };
  }
  try {
    return {
      track: catalogue.track(fallbackId),
      hits: [],
      how: `The original notebook's example track (${fallbackId}); set TRACK_QUERY to look up another.`,
    };
  } catch {
    const [top] = catalogue.search('', 1);
    if (top === undefined) throw new Error('The catalogue holds no tracks; run notebook 01 first.');
    return {
      track: top,
      hits: [],
      how: `The original notebook's example track is not stored, so the most popular track; set TRACK_QUERY to look up another.`,
    };
  }
}

/**
 * A result's differing features as short text, largest share first: "tempo 120 → 95; key C → A".
 * @example describeDifferences([{ feature: 'key', query: 'C', track: 'A', contribution: 0.067 }]) // 'key C → A'
 */
export function describeDifferences(differs: readonly { feature: string; query: unknown; track: unknown }[]): string {
  const format = (value: unknown): string =>
    typeof value === 'number' && !Number.isInteger(value) ? String(Number(value.toPrecision(3))) : String(value);
  return differs.map((d) => `${d.feature} ${format(d.query)} → ${format(d.track)}`).join('; ');
}
