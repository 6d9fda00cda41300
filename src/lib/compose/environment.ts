/**
 * The `environment:` of a service, in list or map form, turned into entries that know where their
 * value comes from and whether it is secret. Secret values are never kept; other values keep
 * their text with the secrets inside them masked (URL credentials, secret flags, secret-named members).
 */
import type { Node as YamlNode } from 'yaml';
import type { EnvironmentEntry, EnvironmentOrigin, SourceRange } from '../model/types.ts';
import { hasUrlCredentials, isFlagValue, isSecretName, looksSecretValue } from '../model/secrets.ts';
import { MASKED_VALUE } from './env-sources.ts';
import { maskCommand } from './mask.ts';
import { interpolate } from './interpolate.ts';
import { docComment } from './yaml-file.ts';
import { entries, items, kindOf, rawText, report, resolve, text, isMap, isSeq, isScalar, type ReadContext } from './yaml-view.ts';

/** Reads `environment:`; returns entries in the order written. */
export function readEnvironment(ctx: ReadContext, node: YamlNode | null): EnvironmentEntry[] {
  const resolved = resolve(ctx, node);
  if (resolved === null) return [];
  const out: EnvironmentEntry[] = [];
  if (isSeq(resolved)) {
    for (const item of items(ctx, resolved)) {
      const written = rawText(ctx, item.node);
      if (written === undefined || !isScalar(item.node)) {
        report(ctx, item.node, 'error', 'compose-type', `an environment list item must be a "NAME=value" string, found ${kindOf(ctx, item.node)}`);
        continue;
      }
      const eq = written.indexOf('=');
      const name = eq < 0 ? written : written.slice(0, eq);
      const raw = eq < 0 ? undefined : written.slice(eq + 1);
      out.push(makeEntry(ctx, name, raw, item.node, item.range));
    }
    return out;
  }
  if (isMap(resolved)) {
    for (const entry of entries(ctx, resolved)) {
      const value = resolve(ctx, entry.node);
      if (value !== null && !isScalar(value)) {
        report(ctx, value, 'error', 'compose-type', `environment variable "${entry.key}" must have a string, number or boolean value, found ${kindOf(ctx, value)}`);
        continue;
      }
      const raw = value === null || (isScalar(value) && value.value === null) ? undefined : rawText(ctx, value);
      out.push(makeEntry(ctx, entry.key, raw, value, entry.range));
    }
    return out;
  }
  report(ctx, resolved, 'error', 'compose-type', `"environment" must be a list or a mapping, found ${kindOf(ctx, resolved)}`);
  return out;
}

function makeEntry(ctx: ReadContext, name: string, raw: string | undefined, node: YamlNode | null, range: SourceRange): EnvironmentEntry {
  const doc = docComment(ctx.file, range.startLine);
  const variables = raw?.includes('$') ? interpolate(raw, () => undefined).variables : [];
  let origin: EnvironmentOrigin = raw === undefined ? 'passthrough' : variables.length > 0 ? 'interpolated' : 'literal';
  let value: string | undefined;
  if (raw !== undefined) {
    // Report interpolation problems at the scalar; list items carry "NAME=" before the value.
    value = isScalar(node) && typeof node.value === 'string' && node.value === raw ? text(ctx, node) : interpolateListValue(ctx, node, raw);
  }
  // A value that is nothing but a masked secret variable is a secret itself.
  const flag = raw !== undefined && origin === 'literal' && isFlagValue(raw);
  const secret = !flag && (isSecretName(name) || (value !== undefined && (looksSecretValue(value) || value === MASKED_VALUE)) || (raw !== undefined && looksSecretValue(raw)));
  if (origin === 'interpolated' && variables.length === 0) origin = 'literal';
  const literalSecret = origin === 'literal' && raw !== undefined && raw.trim() !== '' && (secret || hasUrlCredentials(raw));
  // A value shown as written may still carry a secret inside it (`--api-key x`, `"client_secret": "x"`).
  const shown = (s: string | undefined) => (s === undefined || secret ? undefined : maskCommand(s));
  const shownValue = shown(value);
  // Most values are written as they are used: masked once for both.
  const shownRaw = raw === value ? shownValue : shown(raw);
  return {
    name,
    range,
    origin,
    secret,
    variables,
    ...(shownValue !== undefined ? { value: shownValue } : {}),
    ...(shownRaw !== undefined ? { written: shownRaw } : {}),
    ...(doc ? { doc } : {}),
    ...(literalSecret ? { literalSecret } : {}),
  };
}

function interpolateListValue(ctx: ReadContext, node: YamlNode | null, raw: string): string {
  if (!raw.includes('$')) return raw;
  // For `- NAME=${X}` the scalar is the whole item; interpolating it whole reports the right offsets.
  const whole = text(ctx, node) ?? '';
  const eq = whole.indexOf('=');
  return eq < 0 ? '' : whole.slice(eq + 1);
}
