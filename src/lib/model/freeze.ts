/** Freezing the model once loaded, so that no consumer can change what another one reads. */

/** Recursively freezes plain objects and arrays; returns the same value, typed as before. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
