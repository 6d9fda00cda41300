/**
 * Markdown → mdast with source positions, for merging pages a person edited. satteri (the native
 * CommonMark + GFM parser the site already uses) builds the tree remark-parse + remark-gfm build,
 * ~15× faster; merging parses every changed page several times (its blocks are compared by
 * meaning), which made a drifted or hand-edited page cost ~18 ms, nearly all in micromark.
 *
 * What merging reads of the tree is the same from both parsers, and test/merge/markdown-parse.test.ts
 * holds it so: node types and values, and the positions of every block, list item and table cell
 * (the slices a person's words are carried over by). Inline nodes may differ in position only:
 * text that remark's GFM autolink transform splits off carries none there and one here. satteri
 * ends some text nodes where remark does not; they are joined here. A tree whose blocks satteri
 * misplaces (see `wellPlaced`) is left to remark. Merged pages were byte-identical to remark's on
 * every realistic set tried and on ~24,000 pages edited with random Markdown fragments.
 *
 * satteri is loaded on first use; where it cannot be (no binary for the platform, a Node without
 * `require` of ES modules), remark parses instead: slower, with the same result.
 */
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Root } from 'mdast';

const require = createRequire(import.meta.url);

type MarkdownToMdast = (markdown: string, options: { features: { gfm: boolean; frontmatter: boolean }; position: boolean }) => unknown;

let loaded: { parse: MarkdownToMdast } | null | undefined;

/** satteri's parser, or null when it cannot be loaded here. */
function satteri(): { parse: MarkdownToMdast } | null {
  if (loaded === undefined) {
    try {
      loaded = { parse: (require('satteri') as { markdownToMdast: MarkdownToMdast }).markdownToMdast };
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * Parses with satteri (CommonMark + GFM, positions on). Returns undefined when satteri is not
 * available, or when its tree breaks a rule remark's trees keep (see `wellPlaced`), so that the
 * caller parses with remark instead.
 */
export function parseWithSatteri(text: string): Root | undefined {
  const parser = satteri();
  if (parser === null) return undefined;
  parsesSinceTurn += 1;
  const tree = parser.parse(text, { features: { gfm: true, frontmatter: false }, position: true }) as Root;
  if (!wellPlaced(tree as unknown as Positioned, text)) return undefined;
  joinAdjacentTexts(tree);
  return tree;
}

let parsesSinceTurn = 0;
/** Parses after which a loop over pages lets the event loop turn (see `nativeMemoryReleased`). */
const PARSES_PER_TURN = 64;

/**
 * Resolves once the memory of past parses can be freed. satteri frees a parse's native memory in
 * finalizers that run only between turns of the event loop, and the loops over pages read and
 * merge synchronously, their awaits resolving at once: without a turn now and then, a run merging
 * the 11,652 hand-edited pages of W3 grew to 1.2 GB (0.59–0.64 GB with turns). Loops call it before
 * each page; it costs nothing until satteri has parsed `PARSES_PER_TURN` texts.
 */
export function nativeMemoryReleased(): Promise<void> | undefined {
  if (parsesSinceTurn < PARSES_PER_TURN) return undefined;
  parsesSinceTurn = 0;
  return nextTurn();
}

interface Positioned {
  type: string;
  children?: Positioned[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

/** Node types inside a paragraph or heading: merging never slices at their positions. */
const PHRASING = new Set(['text', 'emphasis', 'strong', 'delete', 'inlineCode', 'link', 'linkReference', 'image', 'imageReference', 'break', 'footnoteReference']);

/**
 * True when every block of the tree sits where remark would put it, by the rules remark's trees
 * keep: a block has a position, ends within its parent, does not overlap the block before it, and
 * does not end on a line ending, and is not an indented code block right after another. satteri
 * breaks them in a few shapes (an HTML block alone in a list item ends past its line, into the next
 * item; an indented code block after a list and a heading is split at every line); merging slices
 * a person's text at these positions, so such a tree is not used.
 */
function wellPlaced(parent: Positioned, text: string, parentEnd = text.length): boolean {
  let previousEnd = 0;
  let previous: Positioned | undefined;
  for (const node of parent.children ?? []) {
    if (PHRASING.has(node.type)) continue;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined || start > end || end > parentEnd || start < previousEnd) return false;
    const last = text.charCodeAt(end - 1);
    if (end > start && (last === 0x0a || last === 0x0d)) return false;
    // Indented code continues over blank lines, so two indented blocks in a row are one that
    // satteri split: it ends an indented block at each line after a list and a heading or rule.
    if (previous !== undefined && indentedCode(previous, text) && indentedCode(node, text)) return false;
    if (!wellPlaced(node, text, end)) return false;
    previousEnd = end;
    previous = node;
  }
  return true;
}

/** An opening code fence: at most three spaces, then three backticks or tildes. */
const FENCE_OPENING = /^ {0,3}(?:```|~~~)/;

/** A code block that is indented, not fenced (both start where their first line does). */
function indentedCode(node: Positioned, text: string): boolean {
  const start = node.position?.start.offset;
  return node.type === 'code' && start !== undefined && !FENCE_OPENING.test(text.slice(start, start + 6));
}

/**
 * Whether a tree parsed without positions may hold an indented code block that satteri split into
 * one block per line (see `wellPlaced`): two code blocks in a row, neither with a language. Code
 * without a language in a row is rare in a page; the site parses such a page again with positions
 * to tell (`parseWithSatteri`).
 */
export function maySplitIndentedCode(tree: Root): boolean {
  return adjacentPlainCode(tree as unknown as Parent);
}

function adjacentPlainCode(parent: Parent): boolean {
  let previousPlain = false;
  for (const node of parent.children) {
    const plain = node.type === 'code' && (node as { lang?: string | null }).lang == null;
    if (plain && previousPlain) return true;
    if (node.children && adjacentPlainCode(node as Parent)) return true;
    previousPlain = plain;
  }
  return false;
}

interface Parent {
  children: { type: string; value?: string; children?: unknown[]; position?: Root['position'] }[];
}

/**
 * Joins adjacent text nodes of a satteri tree, in place, as remark's trees have them: satteri ends
 * a text node where a literal autolink's trailing punctuation was cut off (`https://a.example,` →
 * link, `,`, text). A joined node spans both positions, when the tree has them. The site's parse
 * (no positions) uses it too.
 */
export function joinAdjacentTexts(tree: Root): void {
  joinTexts(tree as unknown as Parent);
}

function joinTexts(parent: Parent): void {
  const children = parent.children;
  for (let i = children.length - 1; i >= 0; i--) {
    const node = children[i]!;
    const next = children[i + 1];
    if (node.type === 'text' && next?.type === 'text') {
      node.value = `${node.value ?? ''}${next.value ?? ''}`;
      if (node.position && next.position) node.position = { start: node.position.start, end: next.position.end };
      children.splice(i + 1, 1);
    } else if (node.children) joinTexts(node as Parent);
  }
}
