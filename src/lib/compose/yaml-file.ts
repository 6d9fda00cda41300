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
  /** The node each alias names (undefined when no anchor precedes it), found in one pass. */
  readonly aliases: ReadonlyMap<unknown, YamlNode | undefined>;
}

/** Most nodes an alias expansion may produce before the file is refused as an alias bomb. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Parses YAML text. Returns the file when it is usable, and the diagnostics in any case. */
export function parseYamlFile(path: string, written: string): { file?: YamlFile; diagnostics: Diagnostic[] } {
  // YAML breaks lines at CR, LF and CRLF, but the parser counts only LF: a lone CR (old Mac line
  // endings) becomes LF, one character for one, so that every offset and line stays where it was.
  const text = /\r(?!\n)/.test(written) ? written.replace(/\r(?!\n)/g, '\n') : written;
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: the parser's own check compares every key with
  // every earlier key of its mapping, which a mapping of thousands of keys turns quadratic.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: false, strict: true });
  const lines = text.split(/\r?\n|\r/);
  const lineCount = countLines(lines);
  // One walk finds the node of every alias and, in a file that parsed, every key written twice.
  const { aliases, duplicates } = walkDocument(path, text, doc, lineCounter, doc.errors.length === 0);
  const file: YamlFile = { path, text, doc, lineCounter, lineCount, lines, aliases };
  const diagnostics: Diagnostic[] = [];
  // Only the first syntax error is reported: the parser's later ones mostly follow from it (a tab
  // or a bad indentation derails every line below), as Docker Compose also stops at the first.
  for (const error of doc.errors.slice(0, 1)) {
    const opener = unclosedOpener(doc, error);
    if (opener) {
      const { line, col } = lineCounter.linePos(opener.offset);
      diagnostics.push({ severity: 'error', file: path, line, column: col, code: 'yaml-unclosed', message: opener.message });
      continue;
    }
    const { line, col } = lineCounter.linePos(error.code === 'RESOURCE_EXHAUSTION' ? nestingStart(text, error.pos[0]) : error.pos[0]);
    diagnostics.push({ severity: 'error', file: path, line, column: col, code: yamlCode(error.code), message: describeYamlError(error.code, error.message, text.slice(error.pos[0], text.indexOf('\n', error.pos[0]) >>> 0)) });
  }
  diagnostics.push(...duplicates);
  for (const warning of doc.warnings) {
    const { line, col } = lineCounter.linePos(warning.pos[0]);
    diagnostics.push({ severity: 'warning', file: path, line, column: col, code: 'yaml-warning', message: firstLine(warning.message) });
  }
  if (doc.errors.length === 0) diagnostics.push(...strayTabs(file));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const aliasProblem = checkAliases(doc, aliases);
  if (aliasProblem) {
    const { line, col } = lineCounter.linePos(aliasProblem.offset);
    diagnostics.push({ severity: 'error', file: path, line, column: col, code: aliasProblem.code, message: aliasProblem.message });
    return { diagnostics };
  }
  return { file, diagnostics };
}

/**
 * Where a run of flow openers around `offset` begins. The parser gives up on a too-deep nesting
 * wherever its stack ran out, which moves with the stack in use; the outermost `[` or `{` of the
 * run is the same on every run, and is where a person looks.
 */
function nestingStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && /[[{\s]/.test(text.charAt(start - 1))) start -= 1;
  while (start < offset && /\s/.test(text.charAt(start))) start += 1;
  return start;
}

function yamlCode(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY': return 'yaml-duplicate-key';
    case 'TAB_AS_INDENT': return 'yaml-tab';
    case 'RESOURCE_EXHAUSTION': return 'yaml-too-deep';
    case 'MULTIPLE_DOCS': return 'yaml-multiple-documents';
    default: return 'yaml-syntax';
  }
}

/** A clear message for a parser error: what is wrong, and what to do. Never quotes a value. */
function describeYamlError(code: string, message: string, source: string): string {
  const text = firstLine(message).replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = /^("[^"\n]{1,80}"|'[^'\n]{1,80}'|[^\s:#"'][^:#\n]{0,79}?)\s*:(\s|$)/.exec(source)?.[1];
      return `${key ? `the key "${key}" is written twice in this mapping` : text}: each key may appear only once; remove or rename the repeated key`;
    }
    case 'TAB_AS_INDENT': return 'a tab indents this line: YAML indentation must use spaces, not tabs';
    case 'BAD_INDENT': return `invalid YAML: ${text} (check the indentation of this line against the lines above it)`;
    case 'MISSING_CHAR':
      if (/Implicit map keys need to be followed by map values/.test(text)) return `invalid YAML: ${text} (this line is neither "key: value" nor a list item: add the missing colon, or indent or quote the text)`;
      return `invalid YAML: ${text}${/clos/.test(text) ? ' (a quote or bracket opened above is never closed)' : ''}`;
    case 'BAD_SCALAR_START': return `invalid YAML: ${text} (quote the value)`;
    case 'UNEXPECTED_TOKEN': return `invalid YAML: ${text} (something follows a complete value here: quote the whole value, or move the extra text to its own line)`;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return `invalid YAML: ${text} (a line below this value is indented deeper than it should be, or a "key: value" runs on over several lines)`;
    case 'RESOURCE_EXHAUSTION': return 'the YAML nests too deeply to be read (thousands of levels); this is not a compose file a person wrote';
    case 'MULTIPLE_DOCS': return 'the file holds several YAML documents separated by "---"; a compose file is one document, so split it into several files';
    default: return `invalid YAML: ${text}`;
  }
}

/**
 * For a quote or bracket that is never closed, the parser reports where it gave up (often the end
 * of the file); the place to fix is where the quote or bracket opens.
 */
function unclosedOpener(doc: Document.Parsed, error: { code: string; message: string; pos: [number, number] }): { offset: number; message: string } | undefined {
  const quote = error.code === 'MISSING_CHAR' && /closing ("|')quote/.exec(error.message)?.[1];
  const flow = error.code === 'BAD_INDENT' && /^Flow (sequence|map)/.exec(error.message)?.[1];
  if (!quote && !flow) return undefined;
  let found: { offset: number; message: string } | undefined;
  visit(doc, (_key, node) => {
    const range = (node as YamlNode).range;
    if (!range || range[1] !== error.pos[0] || found) return;
    if (quote && isScalar(node) && node.type === (quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE')) {
      found = { offset: range[0], message: `this ${quote} quote is never closed, so the value runs on over the lines below; add the closing ${quote}` };
    } else if (flow && isCollection(node) && node.flow) {
      const [open, close] = flow === 'sequence' ? ['[', ']'] : ['{', '}'];
      found = { offset: range[0], message: `this "${open}" is never closed (or a line inside it is not indented deeper than its key); add the closing "${close}"` };
    }
  });
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Checks every alias before anything expands one: it must name an anchor written before it, must
 * not sit inside the node it names (a circular structure), and all aliases together must not
 * expand to more than MAX_ALIAS_EXPANSION nodes (an "alias bomb" such as billion laughs).
 *
 * Sizes are computed once per node, in document order: an anchor precedes its aliases, so an
 * alias's target is always measured already and nothing is expanded, however deep the nesting.
 */
function checkAliases(doc: Document.Parsed, aliases: ReadonlyMap<unknown, YamlNode | undefined>): { offset: number; code: string; message: string } | undefined {
  if (aliases.size === 0) return undefined;
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  /** Nodes all aliases met so far expand to, counted at each alias. */
  let expanded = 0;
  let problem: { offset: number; code: string; message: string } | undefined;
  const sizeOf = (node: unknown): number => {
    if (problem) return 1;
    if (isAlias(node)) {
      const target = aliases.get(node);
      const offset = node.range?.[0] ?? 0;
      // The name is quoted only when it looks like one: a stray `*` can start any text, a secret too.
      const name = /^[\w.-]{1,64}$/.test(node.source) ? `"*${node.source}" ` : '';
      if (!target) {
        problem = { offset, code: 'yaml-alias-undefined', message: `the alias ${name}names no anchor written before it; define the anchor ("&name") first, fix the name, or quote a value that starts with "*"` };
        return 1;
      }
      if (open.has(target)) {
        problem = { offset, code: 'yaml-alias-circular', message: `the alias ${name}sits inside the node its anchor names, which makes the structure endless; Compose cannot read it` };
        return 1;
      }
      const size = sizes.get(target) ?? sizeOf(target);
      expanded += size;
      if (expanded > MAX_ALIAS_EXPANSION && !problem) problem = { offset, code: 'yaml-alias-bomb', message: bombMessage };
      return size;
    }
    if (isPair(node)) return 1 + sizeOf(node.key) + sizeOf(node.value);
    if (isCollection(node)) {
      const cached = sizes.get(node);
      if (cached !== undefined) return cached;
      open.add(node);
      let total = 1;
      for (const item of node.items as unknown[]) {
        total += sizeOf(item);
        if (problem) break;
      }
      open.delete(node);
      sizes.set(node, total);
      return total;
    }
    return 1;
  };
  sizeOf(doc.contents);
  return problem;
}

/**
 * One walk in document order over the whole file: the node each alias names (the nearest anchor
 * of that name before it, as YAML defines; the `yaml` package's own `Alias.resolve` searches the
 * whole document for every alias, which a file with many aliases turns quadratic), and, when
 * `findDuplicates`, the keys written twice in one mapping (compared as YAML scalars: `1` and `"1"`
 * differ, as in `yaml`).
 */
function walkDocument(path: string, text: string, doc: Document.Parsed, lineCounter: LineCounter, findDuplicates: boolean): { aliases: Map<unknown, YamlNode | undefined>; duplicates: Diagnostic[] } {
  const anchors = new Map<string, YamlNode>();
  const aliases = new Map<unknown, YamlNode | undefined>();
  const duplicates: Diagnostic[] = [];
  // A plain recursive walk: the package's `visit` builds and freezes a path array per node.
  const walk = (node: unknown): void => {
    if (isAlias(node)) {
      aliases.set(node, anchors.get(node.source));
      return;
    }
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
      return;
    }
    if (isScalar(node)) {
      if (node.anchor) anchors.set(node.anchor, node as YamlNode);
      return;
    }
    if (!isCollection(node)) return;
    if (node.anchor) anchors.set(node.anchor, node as YamlNode);
    if (findDuplicates && isMap(node)) duplicateKeys(node.items);
    for (const item of node.items as unknown[]) walk(item);
  };
  const duplicateKeys = (pairs: readonly Pair[]): void => {
    // Strings and other scalar values apart, as YAML compares them (`1` and `"1"` differ).
    const strings = new Set<string>();
    const others = new Set<unknown>();
    for (const pair of pairs) {
      const key = pair.key;
      if (!isScalar(key)) continue;
      const value = key.value;
      const seen = typeof value === 'string' ? strings : others;
      if (!seen.has(value)) {
        seen.add(value);
        continue;
      }
      const offset = key.range?.[0] ?? 0;
      const { line, col } = lineCounter.linePos(offset);
      duplicates.push({ severity: 'error', file: path, line, column: col, code: 'yaml-duplicate-key', message: describeYamlError('DUPLICATE_KEY', 'Map keys must be unique', text.slice(offset, text.indexOf('\n', offset) >>> 0)) });
    }
  };
  walk(doc.contents);
  return { aliases, duplicates };
}

// Grouped by hand: `toLocaleString` starts ICU's number formatting, ~10 ms of every command's start.
const bombMessage = `with this alias, the aliases of the file expand to more than ${String(MAX_ALIAS_EXPANSION).replace(/\B(?=(\d{3})+$)/g, ',')} nodes (an "alias bomb", such as "billion laughs"); the file is not read. Reduce the nesting of anchors and aliases.`;

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
  insideScalars.sort((a, b) => a[0] - b[0]);
  // Tabs are met in increasing offsets, so one cursor walks the sorted scalar ranges once.
  let cursor = 0;
  const inScalar = (at: number): boolean => {
    while (cursor < insideScalars.length && (insideScalars[cursor]?.[1] ?? 0) <= at) cursor++;
    for (let i = cursor; i < insideScalars.length && (insideScalars[i]?.[0] ?? Infinity) <= at; i++) {
      if (at < (insideScalars[i]?.[1] ?? 0)) return true;
    }
    return false;
  };
  const out: Diagnostic[] = [];
  let offset = 0;
  for (let index = 0; index < file.lines.length; index++) {
    const line = file.lines[index] ?? '';
    for (let column = line.indexOf('\t'); column >= 0; column = line.indexOf('\t', column + 1)) {
      const at = offset + column;
      if (inScalar(at)) continue;
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

/** Lines of a text split at CR, LF and CRLF; a final line terminator does not start a line. */
export function countLines(lines: readonly string[] | string): number {
  const list = typeof lines === 'string' ? lines.split(/\r?\n|\r/) : lines;
  return list.length > 0 && list.at(-1) === '' ? list.length - 1 : list.length;
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

/**
 * The offset just after the last character of content of a node: the end of its last scalar,
 * alias or flow collection, found by descending into the last item of block collections.
 * Comments and blank lines that trail a block collection belong to the parser's range of that
 * collection but are no content, so a service's range must not run into them (nor into the
 * comment block that introduces the next service). Undefined for an empty value (`key:`).
 */
function contentEnd(node: unknown): number | undefined {
  if (isScalar(node) || isAlias(node)) {
    const range = (node as YamlNode).range;
    if (!range || (isScalar(node) && range[0] === range[1])) return undefined;
    return range[1];
  }
  if (isCollection(node)) {
    if (node.flow) return node.range?.[1];
    const items = node.items as unknown[];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (isPair(item)) {
        const end = contentEnd(item.value) ?? contentEnd(item.key);
        if (end !== undefined) return end;
        continue;
      }
      // An empty list item (`-` alone) is still written: its position is right after the dash.
      const end = contentEnd(item) ?? (item as YamlNode | null)?.range?.[0];
      if (end !== undefined) return end;
    }
    return undefined;
  }
  return (node as YamlNode | null)?.range?.[1];
}

/** Lines of a node: from its first character to the last line holding content of its value. */
export function rangeOfNode(file: YamlFile, node: YamlNode | null | undefined, fallbackOffset = 0): SourceRange {
  if (!node?.range) {
    const { line } = file.lineCounter.linePos(fallbackOffset);
    return { file: file.path, startLine: line, endLine: line };
  }
  const start = node.range[0];
  const end = contentEnd(node) ?? start;
  return {
    file: file.path,
    startLine: file.lineCounter.linePos(start).line,
    endLine: file.lineCounter.linePos(lastContentOffset(file.text, start, end)).line,
  };
}

/**
 * Lines of a mapping entry: from the key's line to the last line holding content of its value
 * (trailing comments and blank lines excluded; an empty value ends on the key's line).
 */
export function rangeOfPair(file: YamlFile, pair: Pair<unknown, unknown>): SourceRange {
  const key = pair.key as YamlNode | null;
  const value = pair.value as YamlNode | null;
  const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
  const end = contentEnd(value) ?? contentEnd(key) ?? key?.range?.[1] ?? start + 1;
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
