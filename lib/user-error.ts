/**
 * Errors raised for the person running the notebooks: a refused parameter, input file or database.
 * Their message is one sentence saying what is wrong and what to do, so the places that print them
 * show that sentence without the JavaScript stack: the tslab kernel (scripts/patch-tslab.js, edit 4,
 * which looks for the marker below, as the patched tslab cannot import lib/), the notebook runner and
 * the check before a run. `VERBOSE=1` shows the whole error. The project's own convention, so here.
 */

/** What marks an error as one for the user: a property under this registered symbol, set to true. */
export const USER_ERROR = Symbol.for('spotify-clusters.user-error');

/** An error whose message is a sentence for the user; ParameterError, SpotifyCsvError and DatabaseError extend it. */
export class UserError extends Error {}
// on the prototype, not enumerable: a printed error (VERBOSE=1) does not list it
Object.defineProperty(UserError.prototype, USER_ERROR, { value: true });

/** Whether `error` is one raised for the user (it carries the {@link USER_ERROR} mark). */
export function isUserError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[USER_ERROR] === true;
}

/**
 * The error as it is shown: `Name: sentence` for an error for the user, its stack otherwise or when
 * `VERBOSE=1` (read when called, so setting `process.env.VERBOSE` in a cell takes effect at once).
 * @example errorText(new ParameterError('K is 1, but …')) // 'ParameterError: K is 1, but …'
 */
export function errorText(error: unknown, env: Record<string, string | undefined> = process.env): string {
  if (isUserError(error) && env.VERBOSE !== '1') {
    const { name, message } = error as Error;
    return `${name}: ${message}`;
  }
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
