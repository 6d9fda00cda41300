/**
 * Merges a freshly generated page with the page already on disk, keeping every word a person
 * wrote (DESIGN "Hand-written text is never lost").
 *
 * Both bodies are split into a preamble, the H1 with the text under it, and the H2 sections.
 * Sections the generator owns are regenerated; shared sections (Operational Notes) get the
 * generated items followed by a person's items; any other section is kept where it was.
 *
 * Everything a person wrote is carried over as the exact Markdown source they wrote (sliced from
 * the existing file by the parser's positions), never re-serialised, so their formatting,
 * escaping and any Wiki.js-specific syntax survive. Generated content is the output of
 * `toMarkdown`. Both are sliced from parsed text, which is why merging the same generated page
 * again reproduces the same bytes.
 */
import type { List, ListItem, Nodes, Root, RootContent, Table, TableCell } from 'mdast';
import type { Page, PageHeader } from '../render/page.ts';
import { fromMarkdown, normalizeMarkdown, stripCitations, toMarkdown, toMarkdownWithHeadings } from './markdown.ts';
import { HEADER_FIELDS, parsePageFile, serializePageFile } from './page-file.ts';
import type { HeaderForm, ParsedHeader } from './page-file.ts';
import { PURPOSE_PLACEHOLDER as PURPOSE_TEXT } from '../render/environment-table.ts';
import { asUnreadablePage } from './unreadable-page.ts';
import { appendedSectionsOnly } from './appended-sections.ts';
import { collapse, dedent, lineStart, missingCloser, offsets, plainText, rawOf } from './block-source.ts';

/** What render writes in a Purpose cell it knows nothing about. A person's text replaces it. */
export const PURPOSE_PLACEHOLDER = `_${PURPOSE_TEXT}_`;

/** The owned section whose paragraphs after the generated lead belong to a person. */
export const OVERVIEW_SECTION = 'Overview';

/**
 * Written between two blocks that Markdown would otherwise fuse (two lists with the same marker,
 * or an indented block after a list). Invisible in Wiki.js; skipped when reading a page back.
 */
export const BLOCK_SEPARATOR = '<!-- -->';

export interface MergeOptions {
  /** ISO-8601 UTC with milliseconds (see `nowFromEnvironment`). */
  readonly now: string;
  /** Header form for a page that has none yet. Default `comment` (the seed's form). */
  readonly form?: HeaderForm;
}

export interface MergeResult {
  readonly text: string;
  readonly header: PageHeader;
  /** False when `text` is byte-identical to the existing file. */
  readonly changed: boolean;
  /** True when the body is exactly the generated one: nothing a person wrote is in it. */
  readonly bodyIsGenerated: boolean;
}

// ---------------------------------------------------------------------------------------------
// Splitting a body into blocks and sections

interface Block {
  readonly node: RootContent;
  /** The block's Markdown source, from its line, dedented by its own indentation. */
  readonly raw: string;
}

interface Section {
  readonly title: string;
  readonly depth: number;
  readonly heading: Block;
  readonly blocks: readonly Block[];
  /** Heading through last block, verbatim. */
  readonly raw: string;
}

interface SplitBody {
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
function splitBody(text: string, fromSection = false): SplitBody {
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
class Comparer {
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

function isSeparator(block: Block): boolean {
  return block.node.type === 'html' && /^<!--\s*-->$/.test(block.node.value.trim());
}

interface ListShape {
  readonly ordered: boolean;
  readonly marker: string;
}

function listShape(list: List, raw: string): ListShape {
  const marker = list.ordered === true ? (/^\d+([.)])/.exec(raw)?.[1] ?? '.') : raw.charAt(0);
  return { ordered: list.ordered === true, marker };
}

function sameList(a: ListShape | undefined, b: ListShape | undefined): boolean {
  return a !== undefined && b !== undefined && a.ordered === b.ordered && a.marker === b.marker;
}

/** A run of Markdown to be placed in the body, and the lists it starts and ends with. */
interface Piece {
  readonly text: string;
  readonly startsWithList?: ListShape | undefined;
  readonly endsWithList?: ListShape | undefined;
  readonly endsWithFootnote?: boolean | undefined;
}

function blockPiece(block: Block): Piece {
  const shape = block.node.type === 'list' ? listShape(block.node, block.raw) : undefined;
  return { text: block.raw, startsWithList: shape, endsWithList: shape, endsWithFootnote: block.node.type === 'footnoteDefinition' };
}

/** A contiguous run of generated blocks, verbatim (generated text is never indented). */
function runPiece(text: string, blocks: readonly Block[]): Piece | undefined {
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
function joinPieces(pieces: readonly (Piece | undefined)[]): Piece | undefined {
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

// ---------------------------------------------------------------------------------------------
// Section rules

/** What the generator wrote in one place: its blocks and its list items, as comparison keys. */
interface Generated {
  readonly blocks: ReadonlySet<string>;
  readonly items: ReadonlySet<string>;
}

function generatedKeys(blocks: readonly Block[], text: string, comparer: Comparer): Generated {
  const items = new Set<string>();
  for (const { node } of blocks) if (node.type === 'list') for (const item of node.children) items.add(itemKey(text, item, comparer));
  return { blocks: comparer.keys(blocks), items };
}

/**
 * A person's blocks: not a separator, not identical (citations aside) to a generated block or
 * list item; of a list, the items that are not identical to a generated item.
 */
function personal(blocks: readonly Block[], generated: Generated, text: string, comparer: Comparer): Piece[] {
  const pieces: Piece[] = [];
  for (const block of blocks) {
    if (isSeparator(block)) continue;
    const key = comparer.key(block.raw);
    if (generated.blocks.has(key) || generated.items.has(key)) continue;
    const { node } = block;
    if (node.type === 'list' && generated.items.size > 0) {
      const items = itemRaws(text, node, (item) => !generated.items.has(itemKey(text, item, comparer)));
      if (items.length === 0) continue;
      if (items.length < node.children.length) {
        const shape = listShape(node, block.raw);
        const joined = items.join(blankBetweenItems(text, node) ? '\n\n' : '\n');
        pieces.push({ text: joined, startsWithList: shape, endsWithList: shape });
        continue;
      }
    }
    pieces.push(blockPiece(block));
  }
  return pieces;
}

/**
 * Index of the generated lead among the existing blocks: the first paragraph identical to a
 * generated block, else the first paragraph carrying a citation (generated facts are cited),
 * else the first paragraph; -1 when there is none.
 */
function leadIndex(existing: readonly Block[], generatedKeys: ReadonlySet<string>, comparer: Comparer): number {
  const paragraphs = existing.flatMap((block, index) => (block.node.type === 'paragraph' ? [{ block, index }] : []));
  const same = paragraphs.find(({ block }) => generatedKeys.has(comparer.key(block.raw)));
  const cited = paragraphs.find(({ block }) => block.raw.includes('【F:'));
  return (same ?? cited ?? paragraphs[0])?.index ?? -1;
}

/**
 * Text that opens with a generated lead (Overview, the text under the H1): the generated blocks
 * replace the existing lead; a person's blocks before it stay before them, those after it after.
 */
function withLead(generated: readonly Block[], generatedText: string, generatedPiece: Piece | undefined, existing: readonly Block[], existingText: string, comparer: Comparer): Piece | undefined {
  const keys = generatedKeys(generated, generatedText, comparer);
  const lead = generated.some((block) => block.node.type === 'paragraph') ? leadIndex(existing, keys.blocks, comparer) : -1;
  const before = lead === -1 ? [] : existing.slice(0, lead);
  const after = lead === -1 ? existing : existing.slice(lead + 1);
  return joinPieces([...personal(before, keys, existingText, comparer), generatedPiece, ...personal(after, keys, existingText, comparer)]);
}

interface SubSection {
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** Splits a section's blocks at H3+ headings: the blocks before the first one, then sub-sections. */
function subSections(blocks: readonly Block[]): { head: Block[]; subs: SubSection[] } {
  const head: Block[] = [];
  const subs: { title: string; blocks: Block[] }[] = [];
  for (const block of blocks) {
    const current = subs.at(-1);
    if (block.node.type === 'heading') subs.push({ title: collapse(plainText(block.node)), blocks: [block] });
    else if (current !== undefined) current.blocks.push(block);
    else head.push(block);
  }
  return { head, subs };
}

function cellRaw(text: string, cell: TableCell): string {
  if (cell.children.length === 0) return '';
  // Cut the cell's own span rather than its children's: nodes made by the GFM autolink-literal
  // transform (a bare URL in a cell) carry no position.
  const { start, end } = offsets(cell);
  return text
    .slice(start, end)
    .replace(/^\s*\|/, '')
    .replace(/(?<!\\)\|\s*$/, '')
    .trim();
}

function columnIndex(table: Table, name: string): number {
  return table.children[0]?.children.findIndex((cell) => collapse(plainText(cell)).toLowerCase() === name) ?? -1;
}

/** Purpose cells by Variable cell, from every Variable | Purpose table among `blocks`. */
function existingPurposes(blocks: readonly Block[], text: string, comparer: Comparer): Map<string, string> {
  const purposes = new Map<string, string>();
  for (const { node } of blocks) {
    if (node.type !== 'table') continue;
    const variable = columnIndex(node, 'variable');
    const purpose = columnIndex(node, 'purpose');
    if (variable === -1 || purpose === -1) continue;
    for (const row of node.children.slice(1)) {
      const variableCell = row.children[variable];
      const purposeCell = row.children[purpose];
      if (variableCell === undefined || purposeCell === undefined) continue;
      const key = comparer.key(cellRaw(text, variableCell));
      if (key !== '' && !purposes.has(key)) purposes.set(key, cellRaw(text, purposeCell));
    }
  }
  return purposes;
}

/**
 * A generated table block with a person's Purpose cells put back: an existing Purpose cell (found
 * by its row's Variable cell) is a person's when it differs from the generated one (citations
 * aside) and is neither empty nor the placeholder. Cells are carried as raw Markdown.
 */
function withPurposes(block: Block, generatedText: string, purposes: ReadonlyMap<string, string>, comparer: Comparer): Block {
  const { node } = block;
  if (node.type !== 'table' || purposes.size === 0) return block;
  const variable = columnIndex(node, 'variable');
  const purpose = columnIndex(node, 'purpose');
  if (variable === -1 || purpose === -1) return block;
  const placeholder = comparer.key(PURPOSE_PLACEHOLDER);
  let replaced = false;
  const rows = node.children.map((row, rowIndex) => {
    const cells = row.children.map((cell) => cellRaw(generatedText, cell));
    const variableCell = cells[variable];
    const generatedPurpose = cells[purpose];
    if (rowIndex === 0 || variableCell === undefined || generatedPurpose === undefined) return cells;
    const kept = purposes.get(comparer.key(variableCell));
    if (kept === undefined) return cells;
    const keptKey = comparer.key(kept);
    if (kept.trim() !== '' && keptKey !== placeholder && keptKey !== comparer.key(generatedPurpose)) {
      cells[purpose] = kept;
      replaced = true;
    }
    return cells;
  });
  if (!replaced) return block;
  const table: Table = {
    type: 'table',
    align: node.align ?? null,
    children: rows.map((cells) => ({
      type: 'tableRow',
      children: cells.map((raw): TableCell => ({ type: 'tableCell', children: raw === '' ? [] : [{ type: 'html', value: raw }] })),
    })),
  };
  return { node, raw: toMarkdown({ type: 'root', children: [table] }).trimEnd() };
}

/**
 * A section the generator owns: the generated content, with a person's Purpose cells, a person's
 * link/footnote definitions and sub-sections (H3+ headings the generator does not write), and, in
 * Overview, a person's blocks around the generated lead.
 */
function ownedSection(generated: Section, generatedText: string, existing: Section | undefined, existingText: string, comparer: Comparer): string {
  // Nothing a person wrote in it (the usual case on a page they edited elsewhere): no comparing.
  if (existing === undefined || existing.raw === generated.raw) return generated.raw;
  const gen = subSections(generated.blocks);
  const old = subSections(existing.blocks);
  const purposes = existingPurposes(existing.blocks, existingText, comparer);
  const generatedRun = (blocks: readonly Block[]): Piece | undefined => {
    const merged = blocks.map((block) => withPurposes(block, generatedText, purposes, comparer));
    return merged.every((block, index) => block === blocks[index]) ? runPiece(generatedText, blocks) : joinPieces(merged.map(blockPiece));
  };
  const headPiece = generatedRun(gen.head);
  const content =
    generated.title === OVERVIEW_SECTION
      ? withLead(gen.head, generatedText, headPiece, old.head, existingText, comparer)
      : joinPieces([
          headPiece,
          ...personal(
            old.head.filter((block) => block.node.type === 'definition' || block.node.type === 'footnoteDefinition'),
            generatedKeys(generated.blocks, generatedText, comparer),
            existingText,
            comparer,
          ),
        ]);
  const generatedSubTitles = new Set(gen.subs.map((sub) => sub.title));
  const keptSubs = old.subs.filter((sub) => !generatedSubTitles.has(sub.title)).flatMap((sub) => sub.blocks);
  const body = joinPieces([content, generatedRun(gen.subs.flatMap((sub) => sub.blocks)), ...keptSubs.map(blockPiece)]);
  return body === undefined ? generated.heading.raw : `${generated.heading.raw}\n\n${body.text}`;
}

/**
 * The source of a list's items, each dedented to column one. An item ends where the next one
 * starts at the latest (micromark lets an item ending in an HTML block overlap the next marker).
 */
function itemRaws(text: string, list: List, keep: (item: ListItem) => boolean = () => true): string[] {
  const raws: string[] = [];
  list.children.forEach((item, index) => {
    if (!keep(item)) return;
    const { start, end, column } = offsets(item);
    const next = list.children[index + 1];
    const stop = next === undefined ? end : Math.min(end, offsets(next).start);
    raws.push(dedent(text.slice(lineStart(text, start), stop).trimEnd(), column - 1));
  });
  return raws;
}

function itemKey(text: string, item: ListItem, comparer: Comparer): string {
  const first = item.children[0];
  const last = item.children.at(-1);
  const content = first === undefined || last === undefined ? '' : text.slice(offsets(first).start, offsets(last).end);
  const check = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
  return check + comparer.key(content);
}

/** True when a blank line separates two items of the list. */
function blankBetweenItems(text: string, list: List): boolean {
  for (let index = 1; index < list.children.length; index += 1) {
    const previous = list.children[index - 1];
    const next = list.children[index];
    if (previous !== undefined && next !== undefined && /\n[ \t]*\n/.test(text.slice(offsets(previous).end, offsets(next).start))) return true;
  }
  return false;
}

/**
 * A shared section (Operational Notes): the generated content, then every list item or block of
 * the existing section that is not identical (citations aside) to a generated one, in the
 * person's order. A person's first list continues the generated list when the markers match.
 */
function sharedSection(generated: Section, generatedText: string, existing: Section | undefined, existingText: string, comparer: Comparer): string {
  if (existing === undefined || existing.raw === generated.raw) return generated.raw;
  const { blocks: blockKeys, items: itemKeys } = generatedKeys(generated.blocks, generatedText, comparer);
  const pieces: Piece[] = [];
  let firstList: { shape: ListShape; items: string[]; blank: boolean } | undefined;
  for (const block of existing.blocks) {
    const { node } = block;
    if (node.type === 'list') {
      const items = itemRaws(existingText, node, (item) => !itemKeys.has(itemKey(existingText, item, comparer)));
      if (items.length === 0) continue;
      const shape = listShape(node, block.raw);
      const blank = blankBetweenItems(existingText, node);
      if (pieces.length === 0 && firstList === undefined) firstList = { shape, items, blank };
      else pieces.push({ text: items.join(blank ? '\n\n' : '\n'), startsWithList: shape, endsWithList: shape });
      continue;
    }
    if (isSeparator(block)) continue;
    const key = comparer.key(block.raw);
    if (!blockKeys.has(key) && !itemKeys.has(key)) pieces.push(blockPiece(block));
  }
  const lastGenerated = generated.blocks.at(-1);
  const generatedList = lastGenerated?.node.type === 'list' ? lastGenerated.node : undefined;
  let head: Piece = { text: generated.raw, endsWithList: generatedList === undefined || lastGenerated === undefined ? undefined : listShape(generatedList, lastGenerated.raw) };
  if (firstList !== undefined) {
    const { shape, items, blank } = firstList;
    if (generatedList !== undefined && sameList(head.endsWithList, shape)) {
      // One list: the generated items, then the person's.
      const join = blank || blankBetweenItems(generatedText, generatedList) ? '\n\n' : '\n';
      head = { text: `${head.text}${join}${items.join(join)}`, endsWithList: shape };
    } else {
      pieces.unshift({ text: items.join(blank ? '\n\n' : '\n'), startsWithList: shape, endsWithList: shape });
    }
  }
  return joinPieces([head, ...pieces])?.text ?? generated.raw;
}

// ---------------------------------------------------------------------------------------------
// The body

/**
 * How many times the merge is re-applied to its own result at most. Blocks are carried verbatim
 * but joined with blank lines, and a few Markdown constructs read differently after a blank line
 * than after a paragraph (`a` then `- 2)` on the next line is one list item with a lazy line; after
 * a blank line it is two blocks). Re-merging until nothing changes makes every result a fixed
 * point, so that merging the same generated page again is byte-identical.
 */
const MAX_MERGE_ROUNDS = 4;

/** An ATX heading of depth 1 or 2 at the start of the text. */
const SECTION_HEADING = /^#{1,2}(?:[ \t]|\n|$)/;

/**
 * Where the generated text and the existing body part, moved back to the start of an H1/H2
 * section that both have at that offset (`headings`: the offsets of the generated tree's top-level
 * headings, see `toMarkdownWithHeadings`); 0 when there is none after the page's title. Before it
 * the two texts are one, and a heading at the margin after a blank line closes every block the
 * generated text opened, so the blocks and sections before it are the same in both.
 */
function sharedSectionStart(generated: Page, generatedText: string, headings: readonly number[], existingBody: string): number {
  const nodes = generated.body.children.filter((node) => node.type === 'heading');
  // The generated title is its only H1 (else the full merge reads the body differently).
  if (headings.length !== nodes.length || headings[0] !== 0 || nodes[0]?.depth !== 1 || nodes.slice(1).some((node) => node.depth === 1)) return 0;
  const limit = Math.min(generatedText.length, existingBody.length);
  let same = 0;
  while (same < limit && generatedText.charCodeAt(same) === existingBody.charCodeAt(same)) same += 1;
  for (let k = headings.length - 1; k >= 1; k -= 1) {
    const at = headings[k] as number;
    if (at <= same && (nodes[k]?.depth ?? 3) <= 2 && SECTION_HEADING.test(existingBody.slice(at, at + 4))) return at;
  }
  return 0;
}

/**
 * The merged body. When the two texts share their beginning up to a section (see
 * `sharedSectionStart`: a person's words are only further down, as in Operational Notes), that
 * beginning is kept and only the sections from there on are parsed and merged: merging a
 * generated text with itself gives that text, and a person's section right after the shared part
 * stays right after it. `parsed` holds the trees of the texts the merge parsed whole.
 */
function mergeBody(generated: Page, generatedText: string, headings: readonly number[], existingBody: string): { body: string; parsed: ReadonlyMap<string, Root> } {
  const from = sharedSectionStart(generated, generatedText, headings, existingBody);
  if (from > 0) {
    const end = mergeRounds(generated, generatedText.slice(from), existingBody.slice(from), true);
    if (end !== undefined) return { body: generatedText.slice(0, from) + end.body, parsed: new Map() };
  }
  return mergeRounds(generated, generatedText, existingBody, false) as { body: string; parsed: ReadonlyMap<string, Root> };
}

/**
 * `mergeOnce`, then again on its result until nothing changes (see MAX_MERGE_ROUNDS). Undefined
 * when merging from a section (`fromSection`) cannot decide without the sections before it.
 */
function mergeRounds(generated: Page, generatedText: string, existingBody: string, fromSection: boolean): { body: string; parsed: Map<string, Root> } | undefined {
  const comparer = new Comparer();
  const gen = splitBody(generatedText, fromSection);
  const old = splitBody(existingBody, fromSection);
  const parsed = new Map<string, Root>([[existingBody, old.root]]);
  let body = mergeOnce(generated, gen, old, comparer, fromSection);
  // Merging the existing body gave it back unchanged: it is a fixed point already.
  for (let round = 1; body !== undefined && round < MAX_MERGE_ROUNDS && body !== existingBody; round += 1) {
    const split = splitBody(body, fromSection);
    parsed.set(body, split.root);
    const again: string | undefined = mergeOnce(generated, gen, split, comparer, fromSection);
    if (again === body) break;
    body = again;
  }
  return body === undefined ? undefined : { body, parsed };
}

/**
 * The merged body, and whether it differs from the existing one in more than Markdown spelling.
 * A body too deeply nested to parse is reported as an UnreadablePageError (the file is left alone).
 */
function mergedBody(generated: Page, generatedText: string, headings: readonly number[], existingBody: string, existingText: string): { body: string; bodyChanged: boolean } {
  // Most pages on disk are exactly what the generator wrote last time: nothing to merge then
  // (merging a generated body onto itself gives that body; the merge tests prove it).
  if (existingBody === generatedText) return { body: generatedText, bodyChanged: false };
  // Next most: what the generator wrote, then sections a person added (appended-sections.ts).
  if (appendedSectionsOnly(generated, generatedText, existingBody)) return { body: existingBody, bodyChanged: false };
  try {
    const { body, parsed } = mergeBody(generated, generatedText, headings, existingBody);
    // normalizeMarkdown, from the trees the merge has parsed already (a parse each, on a drifted page).
    const normalized = (text: string) => toMarkdown(parsed.get(text) ?? fromMarkdown(text));
    return { body, bodyChanged: body !== existingBody && normalized(body) !== normalized(existingBody) };
  } catch (error) {
    throw asUnreadablePage(error, existingText);
  }
}

/**
 * The body `mergePage` writes for `existingBody`; `whole`: by the full merge alone, both texts
 * parsed whole, without the shortcuts that prove parts of it from less (the reference the tests
 * hold those shortcuts to). Throws what `mergePage` throws for an unparsable body.
 */
export function mergeBodyText(generated: Page, existingBody: string, options: { readonly whole?: boolean } = {}): string {
  const { text, headings } = toMarkdownWithHeadings(generated.body);
  if (!options.whole) return mergedBody(generated, text, headings, existingBody, existingBody).body;
  return (mergeRounds(generated, text, existingBody, false) as { body: string }).body;
}

/**
 * One merge of the split bodies. `fromSection`: both are a body's end from a section on (see
 * `mergeBody`); undefined then when a rule needs the sections before (an owned section the
 * generator does not write from there on may be one it writes before).
 */
function mergeOnce(generated: Page, gen: SplitBody, old: SplitBody, comparer: Comparer, fromSection = false): string | undefined {
  const owned = new Set(generated.ownedSections);
  const shared = new Set(generated.sharedSections);

  // Above the first H2: a person's preamble, the generated H1, the text under it.
  const preamble = joinPieces([runPiece(gen.text, gen.preamble), ...personal(old.preamble, generatedKeys(gen.preamble, gen.text, comparer), old.text, comparer)]);
  const h1 = gen.h1 ?? old.h1;
  const intro = withLead(gen.intro, gen.text, runPiece(gen.text, gen.intro), old.intro, old.text, comparer);
  const parts = [preamble?.text, h1?.raw, intro?.text];

  // Existing H2 sections matched to generated ones: the first unused one with the same title.
  const matchOf = new Map<Section, Section>();
  const generatedOf = new Map<Section, Section>();
  for (const section of gen.sections) {
    if (section.depth !== 2) continue;
    const match = old.sections.find((candidate) => candidate.depth === 2 && candidate.title === section.title && !generatedOf.has(candidate));
    if (match === undefined) continue;
    matchOf.set(section, match);
    generatedOf.set(match, section);
  }
  // A person's sections stay after the (matched) section they followed, or at the top.
  const generatedTitles = new Set(gen.sections.map((section) => section.title));
  const anchored = new Map<Section | undefined, Section[]>();
  let anchor: Section | undefined;
  for (const section of old.sections) {
    const matched = generatedOf.get(section);
    if (matched !== undefined) {
      anchor = matched;
      continue;
    }
    // An owned section the generator no longer writes goes, with its derived facts.
    if (section.depth === 2 && owned.has(section.title) && !generatedTitles.has(section.title)) {
      if (fromSection) return undefined;
      continue;
    }
    anchored.set(anchor, [...(anchored.get(anchor) ?? []), section]);
  }

  parts.push(...(anchored.get(undefined) ?? []).map((section) => section.raw));
  for (const section of gen.sections) {
    const match = matchOf.get(section);
    if (owned.has(section.title)) parts.push(ownedSection(section, gen.text, match, old.text, comparer));
    else if (shared.has(section.title)) parts.push(sharedSection(section, gen.text, match, old.text, comparer));
    else parts.push(match?.raw ?? section.raw); // neither: written once, then a person's
    parts.push(...(anchored.get(section) ?? []).map((extra) => extra.raw));
  }
  return `${parts.filter((part): part is string => part !== undefined && part !== '').join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The header

function tagList(tags: readonly string[]): string[] {
  return tags.flatMap((tag) => tag.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
}

function mergeTags(existing: readonly string[], generated: readonly string[]): string[] {
  const result = tagList(existing);
  const seen = new Set(result.map((tag) => tag.toLowerCase()));
  for (const tag of tagList(generated)) {
    if (seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    result.push(tag);
  }
  return result;
}

function stringField(header: ParsedHeader, key: 'description' | 'date' | 'dateCreated'): string | undefined {
  const value = header[key];
  return typeof value === 'string' ? value : undefined;
}

function extraFields(header: ParsedHeader): Record<string, unknown> {
  const known: ReadonlySet<string> = new Set(HEADER_FIELDS);
  return Object.fromEntries(Object.entries(header).filter(([key]) => !known.has(key)));
}

/**
 * Merges a generated page with the existing file's text (undefined when there is none).
 * See the module comment and DESIGN "Hand-written text is never lost" / "Determinism".
 */
export function mergePage(generated: Page, existingText: string | undefined, options: MergeOptions): MergeResult {
  const { text: generatedText, headings } = toMarkdownWithHeadings(generated.body);
  const generatedTags = mergeTags([], generated.header.tags);
  if (existingText === undefined) {
    const header: PageHeader = {
      title: generated.header.title,
      description: generated.header.description,
      published: generated.header.published,
      date: options.now,
      tags: generatedTags,
      editor: 'markdown',
      dateCreated: options.now,
    };
    const text = serializePageFile(header, generatedText, options.form ?? 'comment');
    return { text, header, changed: true, bodyIsGenerated: true };
  }

  const existing = parsePageFile(existingText);
  const { body, bodyChanged } = mergedBody(generated, generatedText, headings, existing.body, existingText);
  const old = existing.header;
  const existingDescription = stringField(old, 'description');
  const existingDate = stringField(old, 'date');
  const existingCreated = stringField(old, 'dateCreated');
  const header: PageHeader = {
    title: generated.header.title,
    description: existingDescription !== undefined && existingDescription.trim() !== '' ? existingDescription : generated.header.description,
    published: typeof old.published === 'boolean' ? old.published : generated.header.published,
    date: !bodyChanged && existingDate !== undefined && existingDate !== '' ? existingDate : options.now,
    tags: mergeTags(Array.isArray(old.tags) ? old.tags.filter((tag): tag is string => typeof tag === 'string') : [], generatedTags),
    editor: 'markdown',
    // Kept when known; a file without any header gets one now; a header without it stays so.
    ...(existingCreated !== undefined && existingCreated !== '' ? { dateCreated: existingCreated } : existing.form === 'none' ? { dateCreated: options.now } : {}),
  };
  const form = existing.form === 'none' ? (options.form ?? 'comment') : existing.form;
  const text = serializePageFile(header, body, form, extraFields(old));
  return { text, header, changed: text !== existingText, bodyIsGenerated: body === generatedText };
}
