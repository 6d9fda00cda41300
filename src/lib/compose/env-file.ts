/**
 * Reads dotenv files the way Docker Compose does (`KEY=value`, `export KEY=value`, quoted values,
 * comments). Values are returned separately from the model-facing variable list: they are used
 * for interpolation only and never stored in the model.
 */
import type { EnvFileVariable } from '../model/types.ts';
import { isSecret } from '../model/secrets.ts';

export interface ParsedEnvFile {
  readonly variables: readonly EnvFileVariable[];
  /** Values by name, for interpolation. Never copy these into the model. */
  readonly values: ReadonlyMap<string, string>;
  /** Lines that are neither assignments, comments nor blank (1-based line numbers). */
  readonly invalidLines: readonly number[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=)?(.*)$/;

/** Parses the text of a dotenv file. */
export function parseEnvFile(text: string): ParsedEnvFile {
  const variables: EnvFileVariable[] = [];
  const values = new Map<string, string>();
  const invalidLines: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let docLines: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const trimmed = line.trim();
    if (trimmed === '') {
      docLines = [];
      continue;
    }
    if (trimmed.startsWith('#')) {
      // A helm-docs style `# --` marks documentation; the marker itself is not part of it.
      docLines.push(trimmed.replace(/^#+\s?/, '').replace(/^--(\s+|$)/, ''));
      continue;
    }
    const match = ASSIGNMENT.exec(line);
    // `NAME` alone passes a variable through; anything else after a name without `=` is invalid.
    if (!match || (!match[2] && !/^\s*(#.*)?$/.test(match[3] ?? ''))) {
      invalidLines.push(index + 1);
      docLines = [];
      continue;
    }
    const name = match[1] as string;
    const nameLine = index + 1;
    const raw = match[3] ?? '';
    let value: string | undefined;
    let doc = docLines.length ? docLines.join(' ').trim() || undefined : undefined;
    if (match[2]) {
      const parsed = parseValue(raw, lines, index);
      if (parsed === undefined) {
        // An opening quote that never closes: report this line and read on after it.
        invalidLines.push(index + 1);
        docLines = [];
        continue;
      }
      value = parsed.value;
      index = parsed.lastIndex;
      if (parsed.comment && !doc) doc = parsed.comment.replace(/^--(\s+|$)/, '') || undefined;
    }
    docLines = [];
    const hasValue = value !== undefined && value !== '';
    variables.push({ name, line: nameLine, hasValue, secret: isSecret(name, value), ...(doc ? { doc } : {}) });
    if (value !== undefined) values.set(name, value);
  }
  return { variables, values, invalidLines };
}

function parseValue(raw: string, lines: readonly string[], index: number): { value: string; lastIndex: number; comment?: string } | undefined {
  const text = raw.replace(/^\s+/, '');
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    // Quoted values may span lines; find the closing quote.
    let body = text.slice(1);
    let lastIndex = index;
    let close = findClose(body, quote);
    while (close < 0 && lastIndex + 1 < lines.length) {
      lastIndex++;
      body += `\n${lines[lastIndex]}`;
      close = findClose(body, quote);
    }
    if (close < 0) return undefined;
    const inner = body.slice(0, close);
    const value = quote === '"' ? inner.replace(/\\([\\"nrt$])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c) : inner;
    return { value, lastIndex };
  }
  const hash = text.search(/\s#/);
  if (hash >= 0) return { value: text.slice(0, hash).trim(), lastIndex: index, comment: text.slice(hash).replace(/^\s*#+\s?/, '').trim() };
  return { value: text.trim(), lastIndex: index };
}

function findClose(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && quote === '"') {
      i++;
      continue;
    }
    if (body[i] === quote) return i;
  }
  return -1;
}
