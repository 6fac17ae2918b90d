/**
 * Notebook 05's helpers: the kept runs as a table ({@link runsTable}), their figures of merit
 * against the parameter that changed between them ({@link meritTrend}, {@link meritsPlot}), and how
 * far two runs' clusterings agree ({@link pickRunPair}, {@link compareRuns}: the adjusted Rand index
 * over the tracks both clustered, and which clusters became which). The runs come from
 * lib/data/runs.ts, recorded by notebooks 01–04 (run-record.ts). Written here: what to compare and
 * how to say it is the project's own; the ARI is lib/cluster/evaluate/adjusted-rand.ts.
 */
import { readRunAssignments } from '../data/runs';
import type { Run } from '../data/runs';
import { adjustedRandIndex, contingencyTable } from '../cluster/evaluate/adjusted-rand';
import type { Figure } from './display';
import { CLUSTER_COLOURS } from './plot';
import { PARAMETER_NAMES, ParameterError, parameterSpec } from './parameters';
import type { ParameterName } from './parameters';

/** Parameters that say where things go, not what a run computes: never "the parameter that changed". */
const NOT_COMPARED: readonly string[] = ['DB_PATH', 'RUNS_KEPT', 'PLAYLIST_DIR'];

/** A parameter's value as the parameters cell prints it (the table's `show`, else JSON for objects). */
function shownValue(name: string, value: unknown): string {
  if ((PARAMETER_NAMES as readonly string[]).includes(name)) {
    const spec = parameterSpec(name as ParameterName);
    if (spec.show !== undefined && value !== undefined) return spec.show(value);
  }
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A figure of merit, to four significant digits (whole numbers as they are). */
function shownNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** "2026-12-06 09:35:12 UTC". */
const shownTime = (when: Date): string => `${when.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/**
 * The kept runs as table rows, newest first: id, notebook, start, seconds, the parameters in force
 * (paths left out: the input column says the file), the figures of merit, the long steps' seconds,
 * the input file and the project version.
 * @example showTable(runsTable(await readRuns(DB_PATH)), { rows: 20 })
 */
export function runsTable(runs: readonly Run[]): Record<string, unknown>[] {
  return [...runs].reverse().map((run) => ({
    run: run.id,
    notebook: run.notebook,
    started: shownTime(run.started),
    seconds: Number(run.seconds.toFixed(1)),
    parameters: Object.entries(run.parameters)
      .filter(([name]) => !['DB_PATH', 'SPOTIFY_CSV', 'PLAYLIST_DIR'].includes(name))
      .map(([name, value]) => `${name} = ${shownValue(name, value)}`)
      .join('; '),
    'figures of merit': Object.entries(run.merits)
      .map(([name, value]) => `${name} ${shownNumber(value)}`)
      .join('; '),
    'long steps (s)': Object.entries(run.stepSeconds)
      .map(([name, seconds]) => `${name}: ${seconds.toFixed(1)}`)
      .join('; '),
    clustering: run.clustering === null ? '' : `${run.clustering}, ${run.tracks.toLocaleString('en-US')} tracks`,
    input:
      run.input === null
        ? ''
        : `${run.input.path.split('/').pop()} (${run.input.size.toLocaleString('en-US')} bytes, sha256 ${run.input.hash.slice(0, 12)})`,
    version: run.projectVersion ?? '',
  }));
}

/**
 * The parameters whose values differ among these runs, in the parameter table's order (the paths
 * of the database and the playlists and RUNS_KEPT left out: they do not change what is computed).
 * @example changedParameters(runsOf03) // ['K']
 */
export function changedParameters(runs: readonly Run[]): string[] {
  const names = new Set(runs.flatMap((run) => Object.keys(run.parameters)));
  const order = (name: string) => {
    const at = (PARAMETER_NAMES as readonly string[]).indexOf(name);
    return at < 0 ? PARAMETER_NAMES.length : at;
  };
  return [...names]
    .filter((name) => !NOT_COMPARED.includes(name))
    .filter((name) => new Set(runs.map((run) => JSON.stringify(run.parameters[name] ?? null))).size > 1)
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

/** One notebook's runs, ready to plot: each figure of merit at each value of the parameter that changed. */
export interface MeritTrend {
  notebook: string;
  /** The parameter on the x axis: the one that changed, or `run` (the run's id) when none or several did. */
  parameter: string;
  /** The parameters that changed among these runs. */
  changed: string[];
  /** The runs, in the order of x. */
  runs: number[];
  /** The parameter's value in each run (numbers, or texts as the parameters cell prints them). */
  x: (number | string)[];
  /** Each figure of merit in each run (null where a run has none), and `seconds` (the whole run). */
  merits: Record<string, (number | null)[]>;
}

/**
 * The runs of `notebook` with their figures of merit against the parameter that changed among them
 * (see {@link changedParameters}); against the run's id when none or several changed. Runs sort
 * by a numeric parameter's value, else by id. A figure of merit named like the parameter (`K`
 * against K) is left out.
 * @example meritTrend(runs, '03') // { parameter: 'K', x: [4, 8, 12], merits: { inertia: [...], knee: [...], … }, … }
 */
export function meritTrend(runs: readonly Run[], notebook: string): MeritTrend {
  const own = runs.filter((run) => run.notebook === notebook);
  const changed = changedParameters(own);
  const parameter = changed.length === 1 ? changed[0] : 'run';
  const valueOf = (run: Run): number | string => {
    if (parameter === 'run') return run.id;
    const value = run.parameters[parameter];
    return typeof value === 'number' ? value : shownValue(parameter, value);
  };
  const sorted = [...own].sort((a, b) => {
    const [x, y] = [valueOf(a), valueOf(b)];
    return typeof x === 'number' && typeof y === 'number' && x !== y ? x - y : a.id - b.id;
  });
  const names = [...new Set(sorted.flatMap((run) => Object.keys(run.merits)))].filter((name) => name !== parameter);
  const merits: Record<string, (number | null)[]> = {};
  for (const name of names) merits[name] = sorted.map((run) => run.merits[name] ?? null);
  merits.seconds = sorted.map((run) => Number(run.seconds.toFixed(1)));
  return { notebook, parameter, changed, runs: sorted.map((run) => run.id), x: sorted.map(valueOf), merits };
}

/** Merit names `<series> · <measure>` share a panel per measure; others are a panel of their own. */
const SEPARATOR = ' · ';

/**
 * One small panel per figure of merit (and one for the run's seconds) against the parameter that
 * changed, the points joined in order; merits named `<method> · <measure>` (notebook 02's) share a
 * panel per measure, one line per method, with a legend. Each panel has its title and axis titles;
 * hovering a point shows its run.
 * @example show(meritsPlot(meritTrend(runs, '03')))
 */
export function meritsPlot(trend: MeritTrend, options: { title?: string } = {}): Figure {
  const panels = new Map<string, { series: string; values: (number | null)[] }[]>();
  for (const [name, values] of Object.entries(trend.merits)) {
    const at = name.indexOf(SEPARATOR);
    const [series, measure] = at < 0 ? ['', name] : [name.slice(0, at), name.slice(at + SEPARATOR.length)];
    panels.set(measure, [...(panels.get(measure) ?? []), { series, values }]);
  }
  const measures = [...panels.keys()];
  const columns = Math.min(3, Math.max(1, measures.length));
  const rows = Math.max(1, Math.ceil(measures.length / columns));
  const seriesNames = [...new Set([...panels.values()].flat().map((s) => s.series))].filter((s) => s !== '');
  const categorical = trend.x.some((x) => typeof x === 'string');
  const xTitle = trend.parameter === 'run' ? 'run (id)' : trend.parameter;
  // whole-number values (K, a seed, run ids): a tick at each value, none between
  const distinct = [...new Set(trend.x)];
  const ticks =
    !categorical && distinct.length <= 12 && distinct.every((x) => Number.isInteger(x))
      ? (distinct as number[]).sort((a, b) => a - b)
      : null;
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {};
  const legendShown = new Set<string>();
  measures.forEach((measure, i) => {
    const axis = i === 0 ? '' : String(i + 1);
    for (const { series, values } of panels.get(measure)!) {
      const colour = CLUSTER_COLOURS[Math.max(0, seriesNames.indexOf(series)) % CLUSTER_COLOURS.length];
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: series || measure,
        legendgroup: series,
        showlegend: series !== '' && !legendShown.has(series),
        x: trend.x,
        y: values,
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
        marker: { color: colour, size: 8 },
        line: { color: colour },
        customdata: trend.runs,
        hovertemplate: `run %{customdata}<br>${xTitle} = %{x}<br>${series ? `${series} ` : ''}${measure} = %{y}<extra></extra>`,
      });
      if (series !== '') legendShown.add(series);
    }
    layout[`xaxis${axis}`] = {
      title: { text: xTitle, standoff: 4 },
      type: categorical ? 'category' : 'linear',
      automargin: true,
      ...(ticks === null ? {} : { tickvals: ticks }),
    };
    layout[`yaxis${axis}`] = { automargin: true, rangemode: 'normal' };
  });
  const annotations = measures.map((measure, i) => {
    const axis = i === 0 ? '' : String(i + 1);
    return {
      text: `<b>${measure}</b>`,
      xref: `x${axis} domain`,
      yref: `y${axis} domain`,
      x: 0.5,
      y: 1.02,
      xanchor: 'center',
      yanchor: 'bottom',
      showarrow: false,
      font: { size: 13 },
    };
  });
  const changed =
    trend.changed.length === 0
      ? 'no parameter changed'
      : trend.changed.length === 1
        ? `${trend.parameter} changed`
        : `${trend.changed.join(', ')} changed`;
  const title =
    options.title ??
    `Figures of merit of notebook ${trend.notebook}'s ${trend.runs.length} runs against ${xTitle} (${changed})`;
  return {
    data,
    layout: {
      title: { text: title },
      grid: { rows, columns, pattern: 'independent', xgap: 0.15, ygap: 0.45 },
      annotations,
      showlegend: seriesNames.length > 0,
      legend: { orientation: 'h', x: 0, xanchor: 'left', y: -0.12, yanchor: 'top' },
      height: 120 + 260 * rows,
      margin: { l: 60, r: 20, t: 80, b: 70 },
      template: { layout: { font: { family: 'sans-serif' } } },
      ...layout,
    },
  };
}

/**
 * The two runs notebook 05 compares: RUN_A and RUN_B by id, 0 for the defaults (the last run with a
 * clustering for RUN_B; for RUN_A the run of the same notebook before it — the same method with
 * other parameters —, else the run with a clustering before it, else the latest other one). Null when fewer than two kept runs have a
 * clustering and neither was chosen. A chosen id that is not kept, or a run without a clustering,
 * or the same run twice, is refused with a ParameterError naming the runs that would work.
 * @example pickRunPair(runs, 0, 0) // [run 4, run 5]
 */
export function pickRunPair(runs: readonly Run[], runA: number, runB: number): [Run, Run] | null {
  const clustered = runs.filter((run) => run.tracks > 0).sort((a, b) => a.id - b.id);
  const choices =
    clustered.length === 0
      ? 'no kept run has a clustering yet (run notebook 02 or 03)'
      : `the kept runs with a clustering are ${clustered.map((run) => run.id).join(', ')}`;
  const chosen = (id: number, name: string): Run | null => {
    if (id === 0) return null;
    const run = runs.find((r) => r.id === id);
    if (run === undefined)
      throw new ParameterError(
        `${name} is ${id}, but no kept run has that id; ${choices}, or set ${name} to 0 for the default.`,
      );
    if (run.tracks === 0)
      throw new ParameterError(
        `${name} is ${id}, a run of notebook ${run.notebook}, which keeps no clustering; ${choices}, or set ${name} to 0 for the default.`,
      );
    return run;
  };
  const a = chosen(runA, 'RUN_A');
  const b = chosen(runB, 'RUN_B');
  if (a !== null && b !== null && a.id === b.id)
    throw new ParameterError(`RUN_A and RUN_B are both ${a.id}; choose two different runs (${choices}).`);
  const second = b ?? [...clustered].reverse().find((run) => run.id !== a?.id) ?? null;
  if (second === null) return null;
  const first =
    a ??
    [...clustered].reverse().find((run) => run.id < second.id && run.notebook === second.notebook) ??
    [...clustered].reverse().find((run) => run.id < second.id) ??
    [...clustered].reverse().find((run) => run.id !== second.id) ??
    null;
  return first === null ? null : [first, second];
}

/** How far two runs' clusterings agree (see {@link compareRuns}). */
export interface RunComparison {
  a: Run;
  b: Run;
  /** The adjusted Rand index over the tracks both runs clustered. */
  ari: number;
  /** Tracks both runs clustered, and those only one did. */
  common: number;
  onlyA: number;
  onlyB: number;
  /** What differs between the two runs' parameters, such as `K 4 → 5`. */
  differences: string[];
  /** One sentence saying all that. */
  summary: string;
  /** Each cluster of run A: its tracks, the cluster of run B most of them went to and its share, and the count in each cluster of B. */
  table: Record<string, unknown>[];
}

/** "3: calm acoustic", or "3" for a run without names. */
function clusterLabel(run: Run, cluster: number): string {
  const name = run.clusterNames?.[cluster];
  return name ? `${cluster}: ${name}` : String(cluster);
}

/**
 * Compare two kept runs' clusterings over the tracks both clustered: the adjusted Rand index
 * (1: the same clusters under other numbers; about 0: no more alike than chance) and the table of
 * which clusters became which. Runs that share no track are refused with a sentence. Reads only.
 * @example (await compareRuns(DB_PATH, runA, runB)).summary
 * // 'Runs 4 (notebook 03) and 5 (notebook 03) differ in K 4 → 5; their clusterings of the 500 tracks both clustered agree with an adjusted Rand index of 0.712 (1: the same clusters; 0: no more alike than chance).'
 */
export async function compareRuns(path: string, a: Run, b: Run): Promise<RunComparison> {
  const [first, second] = [await readRunAssignments(path, a.id), await readRunAssignments(path, b.id)];
  const inSecond = new Map<string, number>();
  second.trackIds.forEach((id, i) => inSecond.set(id, second.clusterIds[i]));
  const labelsA: number[] = [];
  const labelsB: number[] = [];
  first.trackIds.forEach((id, i) => {
    const other = inSecond.get(id);
    if (other === undefined) return;
    labelsA.push(first.clusterIds[i]);
    labelsB.push(other);
  });
  const common = labelsA.length;
  if (common === 0)
    throw new ParameterError(
      `Runs ${a.id} and ${b.id} share no clustered track (the tracks were stored again between them, or their samples do not meet), so their clusterings cannot be compared; choose two runs made on the same stored tracks (RUN_A, RUN_B).`,
    );
  const ari = adjustedRandIndex(labelsA, labelsB);
  const names = [...new Set([...Object.keys(a.parameters), ...Object.keys(b.parameters)])].filter(
    (name) => !NOT_COMPARED.includes(name),
  );
  const differences = names
    .filter((name) => JSON.stringify(a.parameters[name] ?? null) !== JSON.stringify(b.parameters[name] ?? null))
    .map((name) => {
      const shown = (run: Run) => (name in run.parameters ? shownValue(name, run.parameters[name]) : '(not read)');
      return `${name} ${shown(a)} → ${shown(b)}`;
    });
  const differ =
    a.notebook !== b.notebook
      ? `are runs of notebooks ${a.notebook} (${a.clustering}) and ${b.notebook} (${b.clustering})`
      : differences.length === 0
        ? 'have the same parameters'
        : `differ in ${differences.join(', ')}`;
  const shared =
    common === first.trackIds.length && common === second.trackIds.length
      ? `the ${common.toLocaleString('en-US')} tracks both clustered`
      : `the ${common.toLocaleString('en-US')} tracks both clustered (of ${first.trackIds.length.toLocaleString('en-US')} and ${second.trackIds.length.toLocaleString('en-US')})`;
  const summary =
    `Runs ${a.id} (notebook ${a.notebook}) and ${b.id} (notebook ${b.notebook}) ${differ}; their clusterings of ${shared} ` +
    `agree with an adjusted Rand index of ${ari.toFixed(3)} (1: the same clusters; 0: no more alike than chance).`;
  const crosstab = contingencyTable(labelsA, labelsB);
  const columnOrder = crosstab.columns.map((c, j) => ({ cluster: Number(c), j })).sort((x, y) => x.cluster - y.cluster);
  const table = crosstab.rows
    .map((cluster, i) => ({ cluster: Number(cluster), counts: crosstab.counts[i] }))
    .sort((x, y) => x.cluster - y.cluster)
    .map(({ cluster, counts }) => {
      const tracks = counts.reduce((sum, c) => sum + c, 0);
      const ranked = columnOrder.filter(({ j }) => counts[j] > 0).sort((x, y) => counts[y.j] - counts[x.j]);
      const [top, next] = ranked;
      const row: Record<string, unknown> = {
        [`cluster of run ${a.id}`]: clusterLabel(a, cluster),
        tracks,
        [`mostly became (run ${b.id})`]: clusterLabel(b, top.cluster),
        share: `${((100 * counts[top.j]) / tracks).toFixed(0)} %`,
        'next most':
          next === undefined
            ? ''
            : `${clusterLabel(b, next.cluster)} (${((100 * counts[next.j]) / tracks).toFixed(0)} %)`,
      };
      for (const { cluster: to, j } of columnOrder) row[`→ ${to}`] = counts[j];
      return row;
    });
  return {
    a,
    b,
    ari,
    common,
    onlyA: first.trackIds.length - common,
    onlyB: second.trackIds.length - common,
    differences,
    summary,
    table,
  };
}
