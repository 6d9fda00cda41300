/**
 * One parsed YAML file with the positions every fact is cited by. Wraps the `yaml` package's
 * `parseDocument` + `LineCounter`, turns its errors into diagnostics, and refuses alias bombs
 * before anything expands them.
 */
import { LineCounter, parseDocument, isAlias, isCollection, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import type { Diagnostic, SourceRange } from '../model/types.ts';

export interface YamlFile {
  /** Repository-relative POSIX path. */
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly lineCount: number;
  /** The text split into lines (without line terminators), for comment look-ups. */
  readonly lines: readonly string[];
}

/** Most nodes an alias expansion may produce before the file is refused as an alias bomb. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Parses YAML text. Returns the file when it is usable, and the diagnostics in any case. */
export function parseYamlFile(path: string, text: string): { file?: YamlFile; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false, strict: true });
  const lines = text.split(/\r?\n|\r/);
  const lineCount = lines.length > 0 && lines.at(-1) === '' ? lines.length - 1 : lines.length;
  const file: YamlFile = { path, text, doc, lineCounter, lineCount, lines };
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    diagnostics.push({ severity: 'error', file: path, line, column: col, code: yamlCode(error.code), message: describeYamlError(error.code, error.message) });
  }
  for (const warning of doc.warnings) {
    const { line, col } = lineCounter.linePos(warning.pos[0]);
    diagnostics.push({ severity: 'warning', file: path, line, column: col, code: 'yaml-warning', message: firstLine(warning.message) });
  }
  if (doc.errors.length === 0) diagnostics.push(...strayTabs(file));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const bomb = aliasExpansion(doc);
  if (bomb) {
    const { line, col } = lineCounter.linePos(bomb.offset);
    diagnostics.push({
      severity: 'error', file: path, line, column: col, code: 'yaml-alias-bomb',
      message: `aliases here would expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes (an "alias bomb"); the file is not read. Reduce the nesting of anchors and aliases.`,
    });
    return { diagnostics };
  }
  return { file, diagnostics };
}

function yamlCode(code: string): string {
  return code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
}

function describeYamlError(code: string, message: string): string {
  const text = firstLine(message).replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return `${text}: each key may appear only once in a mapping; remove or rename the repeated key`;
  if (code === 'TAB_AS_INDENT') return `${text}: YAML indentation must use spaces, not tabs`;
  return `invalid YAML: ${text}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Measures how many nodes alias expansion would create, with memoised sizes per anchored node,
 * and reports the first alias past the limit.
 */
function aliasExpansion(doc: Document.Parsed): { offset: number } | undefined {
  let hasAlias = false;
  visit(doc, { Alias: () => { hasAlias = true; return visit.BREAK; } });
  if (!hasAlias) return undefined;
  const sizes = new Map<unknown, number>();
  let found: { offset: number } | undefined;
  const sizeOf = (node: unknown, depth: number): number => {
    if (found || depth > 200) return 1;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return 1;
      const cached = sizes.get(target);
      const size = cached ?? sizeOf(target, depth + 1);
      if (size > MAX_ALIAS_EXPANSION && !found) found = { offset: node.range?.[0] ?? 0 };
      return size;
    }
    if (isPair(node)) return 1 + sizeOf(node.key, depth + 1) + sizeOf(node.value, depth + 1);
    if (isCollection(node)) {
      const cached = sizes.get(node);
      if (cached !== undefined) return cached;
      let total = 1;
      for (const item of node.items as unknown[]) {
        total += sizeOf(item, depth + 1);
        if (total > MAX_ALIAS_EXPANSION) {
          if (!found) found = { offset: (node as YamlNode).range?.[0] ?? 0 };
          break;
        }
      }
      sizes.set(node, total);
      return total;
    }
    return 1;
  };
  const total = sizeOf(doc.contents, 0);
  if (!found && total > MAX_ALIAS_EXPANSION) found = { offset: 0 };
  return found;
}

/**
 * Tabs between tokens. YAML 1.2 tolerates a tab after a value, but the YAML 1.1 parsers of
 * docker-compose (PyYAML) refuse it ("found character '\\t' that cannot start any token"), and
 * it is always a typing accident; tabs inside quoted or block scalars and comments are fine.
 */
function strayTabs(file: YamlFile): Diagnostic[] {
  if (!file.text.includes('\t')) return [];
  const insideScalars: Array<[number, number]> = [];
  visit(file.doc, {
    Scalar(_key, node) {
      if (node.range && node.type !== 'PLAIN') insideScalars.push([node.range[0], node.range[1]]);
    },
  });
  const out: Diagnostic[] = [];
  let offset = 0;
  for (let index = 0; index < file.lines.length; index++) {
    const line = file.lines[index] ?? '';
    for (let column = line.indexOf('\t'); column >= 0; column = line.indexOf('\t', column + 1)) {
      const at = offset + column;
      if (insideScalars.some(([start, end]) => at >= start && at < end)) continue;
      const before = line.slice(0, column);
      const after = line.slice(column + 1).trim();
      if (before.includes('#')) break;
      if (before.trim() === '' || after === '' || after.startsWith('#')) {
        out.push({ severity: 'error', file: file.path, line: index + 1, column: column + 1, code: 'yaml-tab', message: 'a tab character here is not valid YAML for docker-compose; replace it with spaces (or remove it if it trails the line)' });
        break;
      }
    }
    offset += line.length + (file.text[offset + line.length] === '\r' && file.text[offset + line.length + 1] === '\n' ? 2 : 1);
  }
  return out;
}

/** 1-based line and column of an offset. */
export function positionOf(file: YamlFile, offset: number): { line: number; column: number } {
  const { line, col } = file.lineCounter.linePos(offset);
  return { line, column: col };
}

/** The offset of the last non-whitespace character before `end`. */
function lastContentOffset(text: string, start: number, end: number): number {
  let i = Math.min(end, text.length) - 1;
  while (i > start && /\s/.test(text[i] as string)) i--;
  return Math.max(i, start);
}

/** Lines of a node: from its first character to the last non-blank character of its value. */
export function rangeOfNode(file: YamlFile, node: YamlNode | null | undefined, fallbackOffset = 0): SourceRange {
  if (!node?.range) {
    const { line } = file.lineCounter.linePos(fallbackOffset);
    return { file: file.path, startLine: line, endLine: line };
  }
  const [start, valueEnd] = node.range;
  return {
    file: file.path,
    startLine: file.lineCounter.linePos(start).line,
    endLine: file.lineCounter.linePos(lastContentOffset(file.text, start, valueEnd)).line,
  };
}

/** Lines of a mapping entry: from the key's line to the last non-blank line of its value. */
export function rangeOfPair(file: YamlFile, pair: Pair<unknown, unknown>): SourceRange {
  const key = pair.key as YamlNode | null;
  const value = pair.value as YamlNode | null;
  const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
  const end = value?.range?.[1] ?? key?.range?.[1] ?? start + 1;
  return {
    file: file.path,
    startLine: file.lineCounter.linePos(start).line,
    endLine: file.lineCounter.linePos(lastContentOffset(file.text, start, end)).line,
  };
}

/** The comment block directly above a line (same indentation, no blank line between), unmarked. */
export function commentAbove(file: YamlFile, line: number, column: number): { text: string; startLine: number } | undefined {
  const collected: string[] = [];
  let current = line - 1;
  while (current >= 1) {
    const raw = file.lines[current - 1] ?? '';
    const indent = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (!trimmed.startsWith('#') || indent !== column - 1) break;
    collected.unshift(trimmed.replace(/^#+ ?/, ''));
    current--;
  }
  const text = collected.join('\n').trim();
  return text ? { text, startLine: current + 1 } : undefined;
}

/**
 * A helm-docs style `# --` documentation comment for the element on `line`: the comment line(s)
 * directly above it starting with `# --`, or a `# --` comment at the end of the line itself.
 */
export function docComment(file: YamlFile, line: number): string | undefined {
  const own = file.lines[line - 1] ?? '';
  const trailing = /\s#\s*--\s+(.*)$/.exec(own);
  if (trailing?.[1]) return trailing[1].trim();
  const block: string[] = [];
  for (let current = line - 1; current >= 1; current--) {
    const trimmed = (file.lines[current - 1] ?? '').trim();
    if (!trimmed.startsWith('#')) break;
    block.unshift(trimmed);
    if (/^#\s*--(\s|$)/.test(trimmed)) {
      const text = block.map((l, i) => (i === 0 ? l.replace(/^#\s*--\s?/, '') : l.replace(/^#\s?/, ''))).join(' ').trim();
      return text || undefined;
    }
  }
  return undefined;
}

export { isAlias, isMap, isPair, isScalar, isSeq };
