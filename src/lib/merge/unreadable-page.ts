/**
 * A page file that cannot be merged because its Markdown cannot be parsed: block quotes or lists
 * nested thousands of levels deep run the Markdown parser and the tree walks out of stack. Such a
 * file is left exactly as it is (nothing a person wrote is lost), and the person is told where.
 */

/** Thrown by `mergePage` when the existing file's body cannot be parsed; the file must be left alone. */
export class UnreadablePageError extends Error {
  /** 1-based line of the page file where its nesting is deepest (1 when none stands out). */
  readonly line: number;
  /** The container depth found at `line` (block quotes and list items). */
  readonly depth: number;

  /** What is wrong, without the advice (for messages of their own, such as publish's). */
  readonly reason: string;

  /** `of` names what `line` counts in when it is not the page file (e.g. `the page body`). */
  constructor(line: number, depth: number, options?: { cause?: unknown; of?: string }) {
    const lineName = options?.of ? `line ${line} of ${options.of}` : `line ${line}`;
    const where = depth >= MEANINGFUL_DEPTH ? `: ${lineName} nests ${depth} block quotes or list items` : '';
    const reason = `the page's Markdown is nested too deeply to be parsed${where}`;
    super(`${reason}. It was left as it is; flatten the nesting, then run generate again`, options);
    this.name = 'UnreadablePageError';
    this.reason = reason;
    this.line = line;
    this.depth = depth;
  }
}

/** Below this depth a line is not what broke the parser, so no line is named. */
const MEANINGFUL_DEPTH = 100;

/**
 * Wraps an error thrown while parsing or merging `text`: a RangeError (the stack ran out) becomes
 * an UnreadablePageError naming the most deeply nested line (of `of`, when `text` is not the
 * whole page file); anything else is returned unchanged.
 */
export function asUnreadablePage(error: unknown, text: string, of?: string): unknown {
  if (!(error instanceof RangeError)) return error;
  const { line, depth } = deepestLine(text);
  return new UnreadablePageError(line, depth, { cause: error, ...(of ? { of } : {}) });
}

/**
 * The line whose leading containers (`>` markers, list markers, and indentation before them
 * counted as one level per two columns) go deepest. Linear in the text; used only to point a person at the line.
 */
export function deepestLine(text: string): { line: number; depth: number } {
  let best = { line: 1, depth: 0 };
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const depth = prefixDepth(text, start, end);
    if (depth > best.depth) best = { line, depth };
    start = end + 1;
    line++;
  }
  return best;
}

/** A line opening this many block quotes or list items: no parser here follows it (see below). */
const UNPARSABLE_DEPTH = 10_000;

/**
 * Throws the RangeError a parser would for a text with a line that opens 10,000 block quotes or
 * list items or more (indentation not counted): both parsers give up below 6,000 levels, and
 * satteri takes seconds to (quadratic in the depth: 100,000 block quotes took 6 s, 200,000 took
 * 23 s). Such a text is refused at once; callers turn the error into an UnreadablePageError.
 */
export function refuseUnparsableNesting(text: string): void {
  if (text.length < UNPARSABLE_DEPTH) return;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end - start >= UNPARSABLE_DEPTH && prefixDepth(text, start, end, false) >= UNPARSABLE_DEPTH) {
      throw new RangeError(`Markdown nested ${UNPARSABLE_DEPTH} levels deep or more`);
    }
    start = end + 1;
  }
}

/** Container depth of a line's prefix; `indentation`: count two columns of it as one level. */
function prefixDepth(text: string, start: number, end: number, indentation = true): number {
  let depth = 0;
  let indent = 0;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      indent++;
      i++;
    } else if (c === 0x09) {
      indent += 4;
      i++;
    } else if (c === 0x3e /* > */ || ((c === 0x2d || c === 0x2a || c === 0x2b) /* - * + */ && (i + 1 === end || text.charCodeAt(i + 1) === 0x20))) {
      depth++;
      i += text.charCodeAt(i + 1) === 0x20 ? 2 : 1; // the space after a marker belongs to it
    } else {
      let j = i;
      while (j < end && j - i < 9 && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
      const marker = j > i && j < end ? text.charCodeAt(j) : 0;
      if ((marker === 0x2e || marker === 0x29) /* . ) */ && (j + 1 === end || text.charCodeAt(j + 1) === 0x20)) {
        depth++;
        i = j + 2;
      } else break;
    }
  }
  return indentation ? depth + Math.floor(indent / 2) : depth;
}
