/**
 * Values that papermill passes to a notebook (`papermill in.ipynb out.ipynb -p K 8`). papermill
 * injects a cell after the cell tagged `parameters` (the literals), written by the project's
 * TypeScript translator (scripts/papermill-tslab/): `sc.fromPapermill(literals, { K: 8 })`. The
 * values are kept beside that literals object, not written into it, so the parameters cell's call
 * (`sc.notebookParameters`, parameters-cell.ts) can put them above the literals and the
 * environment, refuse a name the notebook does not read, and print that they came from papermill.
 * Written here: papermill has no TypeScript side.
 */
import { ParameterError } from './parameters';

const passed = new WeakMap<object, Readonly<Record<string, string>>>();

/**
 * A value papermill passed, as the text a parameter reads (as an environment variable would hold
 * it): numbers and booleans as written, an object of numbers as `name=value` pairs (GOWER_WEIGHTS'
 * form), anything else as JSON (which the parameter's check then refuses with its sentence).
 * @example papermillText({ key: 0.5, mode: 0.5 }) // 'key=0.5,mode=0.5'
 */
export function papermillText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.every(([, weight]) => typeof weight === 'number'))
      return entries.map(([name, weight]) => `${name}=${weight}`).join(',');
  }
  return JSON.stringify(value);
}

/**
 * The cell papermill injects calls this: `values` (papermill's `-p`/`-y` parameters) are kept for
 * the `literals` of the cell above; null leaves a parameter to the literal. Calling it again replaces them.
 * @example fromPapermill(literals, { K: 8, LAYOUT: 'grid' }); // then notebookParameters('03', literals) reads K = 8
 */
export function fromPapermill(literals: object, values: Readonly<Record<string, unknown>>): void {
  if (literals === null || typeof literals !== 'object')
    throw new ParameterError(
      'The cell papermill injected needs the literals object of the parameters cell above it; tag the cell that declares `literals` with `parameters`.',
    );
  if (values === null || typeof values !== 'object' || Array.isArray(values))
    throw new ParameterError('papermill passed no parameters object; pass parameters as -p NAME VALUE.');
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(values))
    if (value !== null && value !== undefined) texts[name] = papermillText(value);
  passed.set(literals, Object.freeze(texts));
}

/**
 * The values papermill passed for these literals, as texts by name (none: an empty object).
 * @example papermillValues(literals) // { K: '8', LAYOUT: 'grid' }
 */
export function papermillValues(literals: object): Readonly<Record<string, string>> {
  return passed.get(literals) ?? {};
}
