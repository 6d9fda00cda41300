/**
 * An independent, line-based reading of compose files, written without the loader or any YAML
 * parser, so that tests can check the loader's services and ranges against plain text.
 *
 * A service is a key at the first indentation level below a top-level `services:` line. Its block
 * runs from the key line until the next line (not blank, not a comment) indented no deeper than
 * the key; its last line is the last non-blank, non-comment line of that block.
 */

export interface ScannedService {
  readonly name: string;
  /** 1-based line of the key. */
  readonly line: number;
  readonly indent: number;
  /** 1-based last non-blank, non-comment line of the block. */
  readonly lastLine: number;
}

const isBlankOrComment = (line: string): boolean => /^\s*(#.*)?$/.test(line);
const indentOf = (line: string): number => line.length - line.trimStart().length;

/** Splits text into lines the way YAML counts them (LF, CRLF or CR), dropping a BOM. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
}

/** The key written at the start of a block-mapping line, or undefined when the line is no key. */
function keyOf(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed.startsWith('- ') || trimmed === '-') return undefined;
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(\s|$)/.exec(trimmed);
  if (quoted) return (quoted[1] as string).slice(1, -1);
  const plain = /^([^\s#'"][^#]*?)\s*:(\s|$)/.exec(trimmed);
  return plain ? (plain[1] as string) : undefined;
}

/** The services of a compose text, found line by line. */
export function scanServices(text: string): ScannedService[] {
  const lines = splitLines(text);
  const start = lines.findIndex((l) => /^services\s*:\s*(#.*)?$/.test(l));
  if (start < 0) return [];
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (!isBlankOrComment(l) && indentOf(l) === 0) {
      end = i;
      break;
    }
  }
  const body = lines.slice(start + 1, end).map((l, i) => ({ text: l, index: start + 1 + i }));
  const first = body.find((l) => !isBlankOrComment(l.text));
  if (!first) return [];
  const level = indentOf(first.text);
  const keys = body.filter((l) => !isBlankOrComment(l.text) && indentOf(l.text) === level && keyOf(l.text) !== undefined);
  return keys.map((k) => {
    let last = k.index;
    for (let i = k.index + 1; i < lines.length; i++) {
      const l = lines[i] as string;
      if (isBlankOrComment(l)) continue;
      if (indentOf(l) <= level) break;
      last = i;
    }
    return { name: keyOf(k.text) as string, line: k.index + 1, indent: level, lastLine: last + 1 };
  });
}
