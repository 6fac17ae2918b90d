/**
 * A wide table folded away: the HTML `<details>` element shows one line (its summary) and opens on a
 * click, so a table of 17 columns is there on demand without scrolling the notebook sideways.
 */
import { FrameLike } from '../data/frame';
import { displayBundle, MimeBundle, tableBundle } from './display';

/**
 * The bundle of {@link showFoldedTable}: `showTable`'s HTML inside `<details>`, its text unchanged.
 * @example foldedTableBundle(rows, { summary: 'All 17 columns' })['text/html'] // '<details><summary>All 17 columns</summary>…'
 */
export function foldedTableBundle(
  df: FrameLike,
  options: { summary: string; rows?: number; title?: string },
): MimeBundle {
  const bundle = tableBundle(df, options);
  const summary = options.summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    ...bundle,
    'text/html': `<details><summary style="cursor:pointer">${summary}</summary>${bundle['text/html']}</details>`,
  };
}

/**
 * Show a table folded: one line, `summary`, that opens to the whole table (`showTable`'s options).
 * @example showFoldedTable(sc.profileTable(profiles), { summary: 'Every feature's mean (click to open)', rows: 20 })
 */
export function showFoldedTable(df: FrameLike, options: { summary: string; rows?: number; title?: string }): void {
  displayBundle(foldedTableBundle(df, options));
}
