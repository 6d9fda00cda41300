/**
 * Masks secret values in a source file before the source viewer shows it, line by line so that
 * line numbers stay true. DESIGN: the value of a secret never reaches the site; its name may.
 * A value is secret by its key (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*KEY*`, …) or by its shape
 * (the library's rules); variable references such as `${REDIS_PASSWORD}` name, not reveal, and are
 * kept. Block scalars under a secret key (`KEY: |` and the indented lines below) are masked whole,
 * and so is an inline config's `content:` (the library keeps only that it is inline). A command in
 * exec form (`["redis-server", "--requirepass", "x"]`) or as a block list (`- --requirepass` above
 * `- x`) is masked as the command it runs, so that a flag and its value on separate items or lines
 * are seen together.
 */
import { isSecret, maskUrlCredentials } from '../lib/model/secrets.ts';
import { maskCommand } from '../lib/compose/mask.ts';

export const MASK = '********';

/** `KEY: value`, `- KEY=value`, `export KEY=value`, with the value possibly quoted. */
const ASSIGNMENT = /^(\s*(?:-\s+)?(?:export\s+)?)(["']?)([A-Za-z_][\w.-]*)\2(\s*[:=]\s*)(.*)$/;

const isReference = (value: string) => /^(["']?)\$\{?[A-Za-z_][\w]*(?::?[-?+][^}]*)?\}?\1$/.test(value.trim());

/** `content:` of a top-level config or secret: a whole file, which may hold anything. */
const isInlineContent = (key: string) => key === 'content';

/** A plain or quoted item of a one-line flow sequence, with its offset. */
const FLOW_ITEM = /"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s,\[\]"'][^,\[\]]*/g;

const unquote = (item: string) => item.trim().replace(/^(["'])(.*)\1$/s, '$2');

/**
 * Masks a list of command words as the command they form: joined by newlines (whitespace to
 * maskCommand's rules, and never inside a word), masked, split again. Undefined when nothing changed.
 */
function maskWords(words: readonly string[]): string[] | undefined {
  const masked = maskCommand(words.join('\n')).split('\n');
  if (masked.length !== words.length) return words.map(() => MASK);
  return masked.some((m, i) => m !== words[i]) ? masked : undefined;
}

/** `["CMD", "curl", "-u", "admin:x"]` with the command's secrets masked, or undefined if none. */
function maskFlowSequence(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  const items = [...trimmed.slice(1, -1).matchAll(FLOW_ITEM)];
  const masked = maskWords(items.map((m) => unquote(m[0])));
  if (!masked) return undefined;
  let out = '';
  let at = 0;
  items.forEach((m, i) => {
    const start = 1 + (m.index ?? 0);
    const raw = m[0].trimEnd();
    const quote = /^["']/.test(raw) ? raw[0]! : '';
    out += trimmed.slice(at, start) + (masked[i] === unquote(raw) ? raw : `${quote}${masked[i]}${quote}`);
    at = start + raw.length;
  });
  return value.slice(0, value.indexOf('[')) + out + trimmed.slice(at);
}

/**
 * Lines of block lists (`- word` items at one indent, one after the other) whose item is a secret
 * once the items are read together as one command, with the masked text to show.
 */
function maskBlockLists(lines: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  const ITEM = /^(\s*-\s+)(.*)$/;
  for (let i = 0; i < lines.length; ) {
    const first = ITEM.exec(lines[i]!);
    if (!first) {
      i++;
      continue;
    }
    const lead = first[1]!.length - first[1]!.trimStart().length;
    const run: { index: number; prefix: string; text: string }[] = [];
    let j = i;
    for (; j < lines.length; j++) {
      const m = ITEM.exec(lines[j]!);
      if (!m || m[1]!.length - m[1]!.trimStart().length !== lead) break;
      run.push({ index: j, prefix: m[1]!, text: m[2]! });
    }
    const masked = maskWords(run.map((r) => unquote(r.text)));
    run.forEach((r, k) => {
      if (masked && masked[k] !== unquote(r.text)) out.set(r.index, `${r.prefix}${MASK}`);
    });
    i = j;
  }
  return out;
}

function splitComment(value: string): [string, string] {
  // A YAML/env comment starts with ` #` outside quotes; good enough for one-line values.
  const m = /^("[^"]*"|'[^']*'|[^#]*?)(\s+#.*)?$/.exec(value);
  return m ? [m[1] ?? value, m[2] ?? ''] : [value, ''];
}

export function maskSource(text: string): string {
  const lines = text.split('\n');
  const written = lines.slice();
  const inLists = maskBlockLists(written);
  let blockIndent = -1; // > -1 while inside a secret block scalar
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        if (line.trim() !== '') lines[i] = line.slice(0, indent) + MASK;
        continue;
      }
      blockIndent = -1;
    }
    const m = ASSIGNMENT.exec(line);
    if (m && !line.trimStart().startsWith('#')) {
      const [, lead, quote, key, sep, rest] = m as unknown as [string, string, string, string, string, string];
      const [value, comment] = splitComment(rest);
      const bare = value.trim().replace(/^(["'])(.*)\1$/, '$2');
      if (/^[|>][-+0-9]*$/.test(value.trim())) {
        if (isSecret(key) || isInlineContent(key)) blockIndent = indent;
        continue;
      }
      if (bare && !isReference(value) && (isSecret(key, bare) || isInlineContent(key))) {
        lines[i] = `${lead}${quote}${key}${quote}${sep}${MASK}${comment}`;
        continue;
      }
      lines[i] = `${lead}${quote}${key}${quote}${sep}${maskFlowSequence(value) ?? maskCommand(value)}${comment}`;
      continue;
    }
    lines[i] = maskCommand(maskUrlCredentials(line));
  }
  // An item that holds no secret by itself may still be one in its list (the value after `- -a`).
  for (const [i, masked] of inLists) if (lines[i] === written[i]) lines[i] = masked;
  return lines.join('\n');
}
