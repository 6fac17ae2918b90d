/**
 * Figure builders: each returns a plain plotly figure (`{ data, layout }`) that tests can inspect
 * and `show()` (display.ts) draws in a notebook.
 */
import { Figure } from './display';

/** Options shared by the figure builders. */
export interface FigureOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  height?: number;
}

function layoutOf(options: FigureOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: options.title ?? '' },
    xaxis: { title: { text: options.xTitle ?? '' } },
    yaxis: { title: { text: options.yTitle ?? '' } },
    height: options.height ?? 420,
    margin: { l: 60, r: 20, t: 50, b: 50 },
    template: { layout: { font: { family: 'sans-serif' } } },
    ...extra,
  };
}

/**
 * A histogram of numbers (the seed's `sns.histplot(df, x=...)`).
 * @example histogram([1, 2, 2, 3], { title: 'Popularity', xTitle: 'popularity' }).data[0].type // 'histogram'
 */
export function histogram(values: ArrayLike<number>, options: FigureOptions & { bins?: number } = {}): Figure {
  const trace: Record<string, unknown> = { type: 'histogram', x: Array.from(values), marker: { color: '#4c72b0' } };
  if (options.bins) trace.nbinsx = options.bins;
  return { data: [trace], layout: layoutOf({ yTitle: 'count', ...options }, { bargap: 0.02 }) };
}
