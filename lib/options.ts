/**
 * Options objects merged over written-down defaults, the same way everywhere: a field left out or
 * set to `undefined` takes the default, so `kMeans(m, 2, { seed: undefined })` behaves like
 * `kMeans(m, 2)`. (A plain `{ ...DEFAULTS, ...options }` would let `undefined` overwrite a default.)
 * Kept at the top of lib/ because every stage uses it.
 */

/**
 * The defaults with every field of `options` that is not `undefined` laid over them. Fields of
 * `options` that the defaults do not have are kept too (optional settings without a default).
 * @example withDefaults({ seed: 42, nInit: 10 }, { seed: undefined, nInit: 3 }) // { seed: 42, nInit: 3 }
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O | undefined): D & O {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options ?? {})) if (value !== undefined) merged[key] = value;
  return merged as D & O;
}
