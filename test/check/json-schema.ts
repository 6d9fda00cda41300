/**
 * A small JSON Schema (draft 2020-12) validator for the keywords `docs/check-output.schema.json`
 * uses. An unknown keyword is an error, so the schema can't silently grow past what is checked.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const KEYWORDS = new Set(['$ref', 'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minimum', 'minLength']);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Validates `value` against `root`; returns the problems as `path: message` strings. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (!node || typeof node !== 'object') throw new Error(`unresolved $ref ${ref}`);
    return node as Schema;
  };
  const walk = (schema: Schema, data: unknown, at: string): void => {
    for (const key of Object.keys(schema)) if (!ANNOTATIONS.has(key) && !KEYWORDS.has(key)) throw new Error(`unsupported keyword ${key} at ${at}`);
    if (typeof schema.$ref === 'string') walk(resolve(schema.$ref), data, at);
    const actual = typeOf(data);
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
      if (!ok) {
        errors.push(`${at}: expected ${types.join('|')}, got ${actual}`);
        return;
      }
    }
    if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(data)) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(data))) errors.push(`${at}: ${JSON.stringify(data)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof schema.minimum === 'number' && typeof data === 'number' && data < schema.minimum) errors.push(`${at}: ${data} < ${schema.minimum}`);
    if (typeof schema.minLength === 'number' && typeof data === 'string' && [...data].length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (actual === 'object') {
      const object = data as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${at}: missing ${key}`);
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, item] of Object.entries(object)) {
        if (properties[key]) walk(properties[key], item, `${at}.${key}`);
        else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties as Schema, item, `${at}.${key}`);
      }
    }
    if (actual === 'array' && schema.items && typeof schema.items === 'object') (data as unknown[]).forEach((item, i) => walk(schema.items as Schema, item, `${at}[${i}]`));
  };
  walk(root, value, '$');
  return errors;
}
