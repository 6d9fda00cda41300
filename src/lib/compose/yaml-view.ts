/**
 * A read-only view over a parsed YAML file that resolves aliases and `<<` merge keys and
 * interpolates scalar values, while keeping the source range of every entry. Entries merged in
 * through `<<` keep the range of the anchored text they came from: that is where they are written.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import type { Diagnostic, SourceRange } from '../model/types.ts';
import { interpolate, type VariableLookup } from './interpolate.ts';
import { positionOf, rangeOfNode, rangeOfPair, type YamlFile } from './yaml-file.ts';

/** What reading one file needs: the file, how to look variables up, where problems go. */
export interface ReadContext {
  readonly file: YamlFile;
  readonly lookup: VariableLookup;
  readonly diagnostics: Diagnostic[];
  /**
   * True when the stack has a real `.env`: an unset `${VAR:?}` is then an error, as in Compose.
   * Without one (the usual case in a repository) it is a warning: the value is set at deploy time.
   */
  readonly hasDotEnv?: boolean;
}

export interface Entry {
  readonly key: string;
  readonly keyNode: YamlNode | null;
  /** The value, aliases resolved. */
  readonly node: YamlNode | null;
  readonly range: SourceRange;
}

export interface Item {
  readonly node: YamlNode | null;
  readonly range: SourceRange;
}

/** Follows aliases to the node they name. */
export function resolve(ctx: ReadContext, node: unknown): YamlNode | null {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 64; hops++) current = ctx.file.aliases.get(current);
  // `key:` with nothing after it is an empty value, whatever the parser wraps it in.
  if (isScalar(current) && current.value === null) return null;
  return (current ?? null) as YamlNode | null;
}

/** The entries of a mapping, with `<<` merge keys applied (own keys win, earlier merges win). */
export function entries(ctx: ReadContext, node: unknown): Entry[] {
  const map = resolve(ctx, node);
  if (!isMap(map)) return [];
  const own: Entry[] = [];
  const merged: Entry[][] = [];
  for (const pair of map.items as Pair<unknown, unknown>[]) {
    const keyNode = resolve(ctx, pair.key);
    if (!isScalar(keyNode) && !isScalar(pair.key)) {
      // `? [a, b]: x` and other complex keys: Compose accepts only strings as keys.
      report(ctx, pair.key ?? pair.value, 'error', 'compose-type', `a key here is ${kindOf(ctx, pair.key)}; Compose keys must be plain strings`);
      continue;
    }
    const key = isScalar(keyNode) ? String(keyNode.value ?? '') : '';
    if (key === '') {
      report(ctx, pair.key ?? pair.value, 'error', 'compose-type', 'a key here is empty or null; Compose keys must be non-empty strings');
      continue;
    }
    if (key === '<<' && isScalar(pair.key)) {
      const sources = resolve(ctx, pair.value);
      const list = isSeq(sources) ? sources.items : [pair.value];
      const fromSources: Entry[] = [];
      const seen = new Set<string>();
      for (const source of list) {
        if (!isMap(resolve(ctx, source))) {
          // Placed at the alias or value written after `<<`, not at the anchored text it names.
          const { line, column } = positionOf(ctx.file, (source as YamlNode | null)?.range?.[0] ?? (pair.key as YamlNode | null)?.range?.[0] ?? 0);
          ctx.diagnostics.push({ severity: 'error', file: ctx.file.path, line, column, code: 'compose-merge', message: `a "<<" merge key takes a mapping (or a list of mappings), found ${kindOf(ctx, source)}` });
          continue;
        }
        for (const entry of entries(ctx, source)) {
          if (seen.has(entry.key)) continue;
          seen.add(entry.key);
          fromSources.push(entry);
        }
      }
      merged.push(fromSources);
      own.push({ key: '<<', keyNode, node: null, range: rangeOfPair(ctx.file, pair) });
      continue;
    }
    own.push({ key, keyNode, node: resolve(ctx, pair.value), range: rangeOfPair(ctx.file, pair) });
  }
  const ownKeys = new Set(own.map((e) => e.key));
  const result: Entry[] = [];
  const taken = new Set<string>();
  let mergeIndex = 0;
  for (const entry of own) {
    if (entry.key !== '<<') {
      result.push(entry);
      continue;
    }
    for (const m of merged[mergeIndex++] ?? []) {
      if (ownKeys.has(m.key) || taken.has(m.key)) continue;
      taken.add(m.key);
      result.push(m);
    }
  }
  return result;
}

/** The items of a sequence, aliases resolved. */
export function items(ctx: ReadContext, node: unknown): Item[] {
  const seq = resolve(ctx, node);
  if (!isSeq(seq)) return [];
  return seq.items.map((item) => {
    const resolved = resolve(ctx, item);
    // An empty item (`-` alone) keeps its null scalar, so that problems with it are placed there.
    const node = resolved === null && isScalar(item) ? (item as YamlNode) : resolved;
    return { node, range: rangeOfNode(ctx.file, (item as YamlNode) ?? resolved) };
  });
}

/** The scalar's value as a string (numbers and booleans as written), without interpolation. */
export function rawText(ctx: ReadContext, node: unknown): string | undefined {
  const resolved = resolve(ctx, node);
  if (!isScalar(resolved) || resolved.value === null) return undefined;
  if (typeof resolved.value === 'string') return resolved.value;
  const source = resolved.source;
  return typeof source === 'string' ? source : String(resolved.value);
}

/** The scalar's value as a string, interpolated; problems are reported at the scalar. */
export function text(ctx: ReadContext, node: unknown): string | undefined {
  const raw = rawText(ctx, node);
  if (raw === undefined || !raw.includes('$')) return raw;
  const scalar = resolve(ctx, node) as Scalar;
  const result = interpolate(raw, ctx.lookup);
  const quoted = scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  for (const problem of result.problems) {
    const { line, column } = positionOf(ctx.file, (scalar.range?.[0] ?? 0) + quoted + problem.offset);
    const soft = problem.code === 'interpolation-required' && !ctx.hasDotEnv;
    const message = soft ? `${problem.message} (the stack has no .env here; Docker Compose refuses to start until it is set)` : problem.message;
    ctx.diagnostics.push({ severity: soft ? 'warning' : 'error', file: ctx.file.path, line, column, code: problem.code, message });
  }
  return result.value;
}

/** Variables a scalar refers to that have no value (and no default in the text). */
export function unsetVariables(ctx: ReadContext, node: unknown): string[] {
  const raw = rawText(ctx, node);
  if (!raw?.includes('$')) return [];
  return interpolate(raw, ctx.lookup).variables.filter((v) => ctx.lookup(v) === undefined);
}

/** Variables a scalar refers to. */
export function variablesOf(ctx: ReadContext, node: unknown): readonly string[] {
  const raw = rawText(ctx, node);
  if (!raw?.includes('$')) return [];
  return interpolate(raw, () => undefined).variables;
}

/**
 * The anchored blocks a node draws from through aliases and `<<` merge keys (followed
 * transitively), as source ranges: facts merged in from `&anchor` blocks are cited there, so
 * those blocks are part of where the node is defined.
 */
export function anchoredRanges(ctx: ReadContext, node: unknown): SourceRange[] {
  const out: SourceRange[] = [];
  const seen = new Set<unknown>();
  const walk = (current: unknown): void => {
    if (isAlias(current)) {
      const target = ctx.file.aliases.get(current);
      if (!target || seen.has(target)) return;
      seen.add(target);
      out.push(rangeOfNode(ctx.file, target as YamlNode));
      walk(target);
      return;
    }
    if (isPair(current)) {
      walk(current.key);
      walk(current.value);
    } else if (isMap(current) || isSeq(current)) {
      if (seen.has(current)) return;
      seen.add(current);
      for (const item of current.items as unknown[]) walk(item);
    }
  };
  walk(node);
  return out;
}

/** The plain JavaScript value of a node (aliases expanded, merge keys applied, no interpolation). */
export function plain(ctx: ReadContext, node: unknown): unknown {
  const resolved = resolve(ctx, node);
  if (resolved === null) return null;
  if (isMap(resolved)) {
    const out: Record<string, unknown> = {};
    for (const entry of entries(ctx, resolved)) if (entry.key !== '<<') out[entry.key] = plain(ctx, entry.node);
    return out;
  }
  if (isSeq(resolved)) return resolved.items.map((item) => plain(ctx, item));
  if (isScalar(resolved)) return resolved.value;
  return null;
}

/** Position of a node's first character (for diagnostics). */
export function where(ctx: ReadContext, node: unknown): { line: number; column: number } {
  const resolved = resolve(ctx, node) ?? (node as YamlNode | null);
  return positionOf(ctx.file, resolved?.range?.[0] ?? 0);
}

/** Reports a diagnostic at a node. */
export function report(
  ctx: ReadContext,
  node: unknown,
  severity: Diagnostic['severity'],
  code: string,
  message: string,
): void {
  const { line, column } = where(ctx, node);
  ctx.diagnostics.push({ severity, file: ctx.file.path, line, column, code, message });
}

/** Describes what kind of YAML value a node is, for type errors. */
export function kindOf(ctx: ReadContext, node: unknown): string {
  const resolved = resolve(ctx, node);
  if (resolved === null) return 'null';
  if (isMap(resolved)) return 'a mapping';
  if (isSeq(resolved)) return 'a list';
  // Never quote the value itself: it may be a secret.
  if (isScalar(resolved)) return typeof resolved.value === 'string' ? 'a string' : `a ${typeof resolved.value}`;
  return 'an unknown value';
}

export { isMap, isScalar, isSeq };
