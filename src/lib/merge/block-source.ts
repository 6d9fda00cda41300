/**
 * Where a parsed block's Markdown lies in the text it was parsed from: its offsets, its source
 * sliced from the start of its line and dedented, what closes a block left open at the end of a
 * page, and a heading's plain title. Merging carries a person's words as these verbatim slices.
 */
import type { Nodes } from 'mdast';

/** A parsed node's start and end offsets and start column; throws when the parser gave none. */
export function offsets(node: Nodes): { start: number; end: number; column: number } {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) throw new Error(`merge: parsed ${node.type} node has no position`);
  return { start, end, column: node.position?.start.column ?? 1 };
}

/** The offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Removes up to `width` leading spaces from every line. */
export function dedent(text: string, width: number): string {
  if (width <= 0) return text;
  return text
    .split('\n')
    .map((line) => {
      let index = 0;
      while (index < width && line[index] === ' ') index += 1;
      return line.slice(index);
    })
    .join('\n');
}

/** The source of a node from the start of its line, without the indentation it sits at. */
export function rawOf(text: string, node: Nodes): string {
  const { start, end } = offsets(node);
  // Trailing whitespace is never part of a block's meaning (an HTML block's node ends with it).
  const raw = text.slice(lineStart(text, start), end).trimEnd();
  if (node.type === 'code' && !/^ {0,3}(```|~~~)/.test(raw)) return raw; // indented code
  return dedent(raw, /^ */.exec(raw)?.[0].length ?? 0);
}

/**
 * What closes a fenced code block or HTML block left open at the end of a page. Such a block
 * runs to the end of the page; moved in front of other sections it would swallow them.
 */
export function missingCloser(node: Nodes, raw: string): string {
  if (node.type === 'code') {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fence === undefined) return '';
    const lines = raw.split('\n');
    const last = lines.length > 1 ? (lines.at(-1) ?? '') : '';
    const closing = new RegExp(`^ {0,3}\\${fence.charAt(0)}{${fence.length},}[ \\t]*$`);
    return closing.test(last) ? '' : `\n${fence}`;
  }
  if (node.type === 'html') {
    const start = raw.trimStart();
    const kinds: readonly (readonly [RegExp, RegExp, string])[] = [
      [/^<!--/, /-->/, ' -->'],
      [/^<\?/, /\?>/, ' ?>'],
      [/^<!\[CDATA\[/, /\]\]>/, ' ]]>'],
      [/^<![A-Za-z]/, />/, '>'],
    ];
    for (const [opener, ender, closer] of kinds) {
      if (opener.test(start)) return ender.test(start.replace(opener, '')) ? '' : closer;
    }
    const tag = /^<(script|pre|style|textarea)(?=[\s>]|$)/i.exec(start)?.[1];
    if (tag !== undefined && !new RegExp(`</${tag}>`, 'i').test(start)) return `\n</${tag.toLowerCase()}>`;
  }
  return '';
}

/** The text of a node without its markup. */
export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

/** Whitespace runs as one space, trimmed: how section titles and comparison keys are spelled. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
