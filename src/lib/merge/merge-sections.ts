/**
 * The merge's rules for one section, owned or shared (DESIGN "Hand-written text is never lost"):
 * which blocks and list items are a person's (not identical to a generated one, citations aside),
 * the generated lead of the Overview with a person's paragraphs around it, a person's Purpose cells
 * put back into a generated table, and a person's items after the generated ones in Operational
 * Notes. A person's words are carried as the source they wrote, never re-serialised.
 */
import type { List, ListItem, Table, TableCell } from 'mdast';
import { CITATION_OPEN } from '../render/citation.ts';
import { PURPOSE_PLACEHOLDER as PURPOSE_TEXT } from '../render/environment-table.ts';
import { collapse, dedent, lineStart, offsets, plainText } from './block-source.ts';
import { toMarkdown } from './markdown.ts';
import { blockPiece, type Block, type Comparer, isSeparator, joinPieces, listShape, type ListShape, type Piece, runPiece, sameList, type Section } from './merge-blocks.ts';

/** What render writes in a Purpose cell it knows nothing about. A person's text replaces it. */
export const PURPOSE_PLACEHOLDER = `_${PURPOSE_TEXT}_`;

/** The owned section whose paragraphs after the generated lead belong to a person. */
export const OVERVIEW_SECTION = 'Overview';

// ---------------------------------------------------------------------------------------------
// Section rules

/** What the generator wrote in one place: its blocks and its list items, as comparison keys. */
interface Generated {
  readonly blocks: ReadonlySet<string>;
  readonly items: ReadonlySet<string>;
}

/** The comparison keys of generated blocks and of the items of their lists. */
export function generatedKeys(blocks: readonly Block[], text: string, comparer: Comparer): Generated {
  const items = new Set<string>();
  for (const { node } of blocks) if (node.type === 'list') for (const item of node.children) items.add(itemKey(text, item, comparer));
  return { blocks: comparer.keys(blocks), items };
}

/**
 * A person's blocks: not a separator, not identical (citations aside) to a generated block or
 * list item; of a list, the items that are not identical to a generated item.
 */
export function personal(blocks: readonly Block[], generated: Generated, text: string, comparer: Comparer): Piece[] {
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
  const cited = paragraphs.find(({ block }) => block.raw.includes(CITATION_OPEN));
  return (same ?? cited ?? paragraphs[0])?.index ?? -1;
}

/**
 * Text that opens with a generated lead (Overview, the text under the H1): the generated blocks
 * replace the existing lead; a person's blocks before it stay before them, those after it after.
 */
export function withLead(generated: readonly Block[], generatedText: string, generatedPiece: Piece | undefined, existing: readonly Block[], existingText: string, comparer: Comparer): Piece | undefined {
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

/** Where the merge removed text that looks like a person's from a section the generator owns. */
export interface RemovedText {
  /** Offset of the block or list item in the existing text the section was read from. */
  readonly offset: number;
  /** The section's title. */
  readonly section: string;
}

/**
 * A section the generator owns: the generated content, with a person's Purpose cells, a person's
 * link/footnote definitions and sub-sections (H3+ headings the generator does not write), and, in
 * Overview, a person's blocks around the generated lead. Whatever else was in the section is
 * replaced; what of it cites nothing and is not what the generator writes there (a person's
 * paragraph, a bullet added to a generated list) is added to `removed`, so that it is not lost
 * without a word.
 */
export function ownedSection(generated: Section, generatedText: string, existing: Section | undefined, existingText: string, comparer: Comparer, removed?: RemovedText[]): string {
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
  // The generated blocks' comparison keys cost a parse each: made once, and only when asked for.
  let keys: Generated | undefined;
  const generatedOnce = () => (keys ??= generatedKeys(generated.blocks, generatedText, comparer));
  const definitions = old.head.filter((block) => block.node.type === 'definition' || block.node.type === 'footnoteDefinition');
  const content =
    generated.title === OVERVIEW_SECTION
      ? withLead(gen.head, generatedText, headPiece, old.head, existingText, comparer)
      : joinPieces([headPiece, ...(definitions.length > 0 ? personal(definitions, generatedOnce(), existingText, comparer) : [])]);
  const generatedSubTitles = new Set(gen.subs.map((sub) => sub.title));
  const keptSubs = old.subs.filter((sub) => !generatedSubTitles.has(sub.title)).flatMap((sub) => sub.blocks);
  const body = joinPieces([content, generatedRun(gen.subs.flatMap((sub) => sub.blocks)), ...keptSubs.map(blockPiece)]);
  if (removed) {
    // Overview keeps a person's blocks around its lead; elsewhere the head's blocks go (but for
    // definitions), and so do those of a sub-section the generator writes.
    const replaced = [
      ...(generated.title === OVERVIEW_SECTION ? [] : old.head.filter((block) => block.node.type !== 'definition' && block.node.type !== 'footnoteDefinition')),
      ...old.subs.filter((sub) => generatedSubTitles.has(sub.title)).flatMap((sub) => sub.blocks.slice(1)),
    ];
    removed.push(...uncitedText(replaced, generatedOnce, existingText, comparer).map((offset) => ({ offset, section: generated.title })));
  }
  return body === undefined ? generated.heading.raw : `${generated.heading.raw}\n\n${body.text}`;
}

/**
 * Offsets of the blocks, and of the list items, that cite nothing and are not what the generator
 * wrote: every fact it writes carries a citation, so such text is most likely a person's. Tables
 * are the generator's (a person's Purpose cells are carried over on their own). `generated` is
 * asked for only when something cites nothing (its keys cost a parse per block).
 */
function uncitedText(blocks: readonly Block[], generated: () => Generated, text: string, comparer: Comparer): number[] {
  const candidates: { offset: number; key: () => string; item: boolean }[] = [];
  for (const block of blocks) {
    const { node } = block;
    if (isSeparator(block) || node.type === 'table') continue;
    if (node.type === 'list') {
      for (const item of node.children) {
        const { start, end } = offsets(item);
        if (!text.slice(start, end).includes(CITATION_OPEN)) candidates.push({ offset: start, key: () => itemKey(text, item, comparer), item: true });
      }
    } else if (!block.raw.includes(CITATION_OPEN)) candidates.push({ offset: offsets(node).start, key: () => comparer.key(block.raw), item: false });
  }
  if (candidates.length === 0) return [];
  const keys = generated();
  return candidates.filter((c) => !(c.item ? keys.items : keys.blocks).has(c.key())).map((c) => c.offset);
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
export function sharedSection(generated: Section, generatedText: string, existing: Section | undefined, existingText: string, comparer: Comparer): string {
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
