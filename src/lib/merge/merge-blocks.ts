/**
 * A page body as the merge reads it: its blocks, each with the exact Markdown source it was parsed
 * from, grouped into a preamble, the H1 with the text under it, and the H1/H2 sections; blocks
 * compared by meaning (citations aside); and runs of blocks joined back with blank lines, with a
 * separator where Markdown would otherwise fuse two of them.
 */
import type { List, Root, RootContent } from 'mdast';
import { collapse, lineStart, missingCloser, offsets, plainText, rawOf } from './block-source.ts';
import { fromMarkdown, normalizeMarkdown, stripCitations } from './markdown.ts';

/**
 * An ATX heading of depth 1 or 2 at the start of a text. After a blank line at the margin it
 * closes every block before it, so what follows parses the same on its own.
 */
export const SECTION_HEADING = /^#{1,2}(?:[ \t]|\n|$)/;

/**
 * True when a generated body opens with its H1 and has no other: a person's `# Heading` further
 * down is then one more section, as the merge reads it (only a page's first heading is its title).
 */
export function hasOneTitle(body: Root): boolean {
  const [first, ...rest] = body.children;
  return first?.type === 'heading' && first.depth === 1 && !rest.some((node) => node.type === 'heading' && node.depth === 1);
}

/**
 * Written between two blocks that Markdown would otherwise fuse (two lists with the same marker,
 * or an indented block after a list). Invisible in Wiki.js; skipped when reading a page back.
 */
export const BLOCK_SEPARATOR = '<!-- -->';

// ---------------------------------------------------------------------------------------------
// Splitting a body into blocks and sections

/** A parsed top-level block and its source. */
export interface Block {
  readonly node: RootContent;
  /** The block's Markdown source, from its line, dedented by its own indentation. */
  readonly raw: string;
}

/** An H1/H2 heading and the blocks up to the next one. */
export interface Section {
  readonly title: string;
  readonly depth: number;
  readonly heading: Block;
  readonly blocks: readonly Block[];
  /** Heading through last block, verbatim. */
  readonly raw: string;
}

/** A body read into its parts (see `splitBody`). */
export interface SplitBody {
  readonly text: string;
  /** The parsed text (kept so that normalising the same text does not parse it again). */
  readonly root: Root;
  readonly preamble: readonly Block[];
  readonly h1: Block | undefined;
  /** Blocks between the H1 (or the start, when there is no H1) and the first H2. */
  readonly intro: readonly Block[];
  readonly sections: readonly Section[];
}

/**
 * Splits a body into its parts. `fromSection`: the text is a body's end from one of its sections
 * on (see `mergeBody`), so a first H1 there is a section too, not the page's title.
 */
export function splitBody(text: string, fromSection = false): SplitBody {
  const root = fromMarkdown(text);
  const lastNode = root.children.at(-1);
  const closer = lastNode === undefined ? '' : missingCloser(lastNode, rawOf(text, lastNode));
  const blocks: Block[] = root.children.map((node) => ({ node, raw: rawOf(text, node) + (node === lastNode ? closer : '') }));
  const preamble: Block[] = [];
  const intro: Block[] = [];
  const sections: { title: string; depth: number; heading: Block; blocks: Block[] }[] = [];
  let h1: Block | undefined;
  let seenHeading = fromSection;
  for (const block of blocks) {
    const { node } = block;
    if (node.type === 'heading' && node.depth <= 2) {
      if (!seenHeading && node.depth === 1) h1 = block;
      else sections.push({ title: collapse(plainText(node)), depth: node.depth, heading: block, blocks: [] });
      seenHeading = true;
      continue;
    }
    const current = sections.at(-1);
    if (current !== undefined) current.blocks.push(block);
    else if (seenHeading) intro.push(block);
    else preamble.push(block);
  }
  // No H1: what came before the first H2 sits where the text under the H1 would.
  if (h1 === undefined) intro.unshift(...preamble.splice(0));
  return {
    text,
    root,
    preamble,
    h1,
    intro,
    sections: sections.map((section) => {
      const last = section.blocks.at(-1) ?? section.heading;
      const from = lineStart(text, offsets(section.heading.node).start);
      const raw = text.slice(from, offsets(last.node).end).trimEnd() + (last.node === lastNode ? closer : '');
      return { ...section, raw };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Comparing and joining blocks

/** Compares Markdown by meaning: normalised formatting, citations removed, whitespace collapsed. */
export class Comparer {
  readonly #cache = new Map<string, string>();

  key(markdown: string): string {
    let key = this.#cache.get(markdown);
    if (key === undefined) {
      key = collapse(stripCitations(normalizeMarkdown(markdown)));
      this.#cache.set(markdown, key);
    }
    return key;
  }

  keys(blocks: readonly Block[]): Set<string> {
    return new Set(blocks.map((block) => this.key(block.raw)));
  }
}

/** A `BLOCK_SEPARATOR` (or any empty HTML comment) the merge wrote between two blocks. */
export function isSeparator(block: Block): boolean {
  return block.node.type === 'html' && /^<!--\s*-->$/.test(block.node.value.trim());
}

/** What decides whether two adjacent lists fuse into one: ordered or not, and the marker. */
export interface ListShape {
  readonly ordered: boolean;
  readonly marker: string;
}

/** The shape of a parsed list, its marker read from its source. */
export function listShape(list: List, raw: string): ListShape {
  const marker = list.ordered === true ? (/^\d+([.)])/.exec(raw)?.[1] ?? '.') : raw.charAt(0);
  return { ordered: list.ordered === true, marker };
}

/** True when two lists of these shapes, one right after the other, would be read as one. */
export function sameList(a: ListShape | undefined, b: ListShape | undefined): boolean {
  return a !== undefined && b !== undefined && a.ordered === b.ordered && a.marker === b.marker;
}

/** A run of Markdown to be placed in the body, and the lists it starts and ends with. */
export interface Piece {
  readonly text: string;
  readonly startsWithList?: ListShape | undefined;
  readonly endsWithList?: ListShape | undefined;
  readonly endsWithFootnote?: boolean | undefined;
}

/** One block as a piece, with the list it starts and ends with. */
export function blockPiece(block: Block): Piece {
  const shape = block.node.type === 'list' ? listShape(block.node, block.raw) : undefined;
  return { text: block.raw, startsWithList: shape, endsWithList: shape, endsWithFootnote: block.node.type === 'footnoteDefinition' };
}

/** A contiguous run of generated blocks, verbatim (generated text is never indented). */
export function runPiece(text: string, blocks: readonly Block[]): Piece | undefined {
  const first = blocks[0];
  const last = blocks.at(-1);
  if (first === undefined || last === undefined) return undefined;
  if (first === last) return blockPiece(first);
  return {
    text: text.slice(lineStart(text, offsets(first.node).start), offsets(last.node).start) + last.raw,
    startsWithList: blockPiece(first).startsWithList,
    endsWithList: blockPiece(last).endsWithList,
    endsWithFootnote: blockPiece(last).endsWithFootnote,
  };
}

/**
 * Joins pieces with blank lines, putting `BLOCK_SEPARATOR` where Markdown would otherwise fuse
 * two of them (a list followed by a list with the same marker, or by indented text).
 */
export function joinPieces(pieces: readonly (Piece | undefined)[]): Piece | undefined {
  let result: Piece | undefined;
  for (const piece of pieces) {
    if (piece === undefined || piece.text === '') continue;
    if (result === undefined) {
      result = piece;
      continue;
    }
    const fuses =
      sameList(result.endsWithList, piece.startsWithList) ||
      ((result.endsWithList !== undefined || result.endsWithFootnote === true) && /^[ \t]/.test(piece.text));
    result = {
      text: `${result.text}\n\n${fuses ? `${BLOCK_SEPARATOR}\n\n` : ''}${piece.text}`,
      startsWithList: result.startsWithList,
      endsWithList: piece.endsWithList,
      endsWithFootnote: piece.endsWithFootnote,
    };
  }
  return result;
}
