/** Freezing the model once loaded, so that no consumer can change what another one reads. */

/** Recursively freezes plain objects and arrays; returns the same value, typed as before. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Indexes and keys walked in place: `Object.values` allocated an array per object of a model
  // that has millions of them at 10,000 services.
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) deepFreeze(value[index]);
    return value;
  }
  for (const key in value) if (Object.hasOwn(value, key)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
