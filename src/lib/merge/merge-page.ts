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
 *
 * merge-blocks.ts reads a body into blocks and sections, merge-sections.ts holds the rules of one
 * section, section-start.ts finds the first section where the two texts part; this module merges
 * whole bodies (parsing only from that section on, see `mergeBody`) and the Wiki.js header.
 */
import type { Root } from 'mdast';
import { CITATION_OPEN, withoutCitedLines } from '../render/citation.ts';
import type { Page, PageHeader } from '../render/page.ts';
import { appendedSectionsOnly } from './appended-sections.ts';
import { fromMarkdown, normalizeMarkdown, toMarkdown, toMarkdownWithHeadings } from './markdown.ts';
import { Comparer, joinPieces, runPiece, splitBody, type Section, type SplitBody } from './merge-blocks.ts';
import { generatedKeys, ownedSection, personal, type RemovedText, sharedSection, withLead } from './merge-sections.ts';
import { HEADER_FIELDS, normalisePageText, parsePageFile, serializePageFile } from './page-file.ts';
import type { HeaderForm, ParsedHeader } from './page-file.ts';
import { sharedSectionStart } from './section-start.ts';
import { asUnreadablePage } from './unreadable-page.ts';

export { BLOCK_SEPARATOR } from './merge-blocks.ts';
export { OVERVIEW_SECTION, PURPOSE_PLACEHOLDER } from './merge-sections.ts';

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
  /**
   * Text the merge took out of sections the generator owns that cites nothing and is not what it
   * writes there, most likely a person's (see merge-sections.ts `ownedSection`): where it started
   * in the existing file (line, 1-based) and the section's title. Empty when there is none.
   */
  readonly removedText: readonly RemovedTextLine[];
  /**
   * How many of `text`'s first lines are what generate writes, as it writes them: the header and
   * the generated body up to where a person's words begin (all of them when `bodyIsGenerated`; a
   * count known from the merge's shortcuts, else just the header's).
   */
  readonly generatedLines: number;
}

/** A line of the existing file where removed text started (see `MergeResult.removedText`). */
export interface RemovedTextLine {
  readonly line: number;
  readonly section: string;
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

/**
 * The merged body. When the two texts share their beginning up to a section (see
 * `sharedSectionStart`: a person's words are only further down, as in Operational Notes), that
 * beginning is written as generated and only the sections from there on are parsed and merged:
 * merging a generated text with itself gives that text, and a person's section right after the
 * shared part stays right after it. `parsed` holds the trees of the texts the merge parsed whole.
 */
function mergeBody(generated: Page, generatedText: string, headings: readonly number[], existingBody: string): MergedRounds {
  const from = sharedSectionStart(generated, generatedText, headings, existingBody);
  if (from !== undefined) {
    const end = mergeRounds(generated, generatedText.slice(from.generated), existingBody.slice(from.existing), true);
    if (end !== undefined) {
      const removed = end.removed.map((r) => ({ ...r, offset: r.offset + from.existing }));
      const body = generatedText.slice(0, from.generated) + end.body;
      // Both texts' parts before the section read alike, as that part ends where a heading closes
      // every block: the texts read alike in full exactly when their ends do, compared from their
      // trees. Parts that differ in the lines cited differ in content, and so do the bodies.
      const compared = from.moved ? undefined : ([end.body, existingBody.slice(from.existing)] as const);
      return { body, parsed: end.parsed, removed, compared, changed: from.moved, generatedPrefix: from.generated };
    }
  }
  return mergeRounds(generated, generatedText, existingBody, false) as MergedRounds;
}

/** A merged body, the trees parsed on the way, and what it removed from owned sections (offsets in the existing body). */
interface MergedRounds {
  readonly body: string;
  readonly parsed: ReadonlyMap<string, Root>;
  readonly removed: readonly RemovedText[];
  /** The merged and the existing text to compare by meaning, when not the whole bodies. */
  readonly compared?: readonly [string, string] | undefined;
  /** The merged body differs from the existing one in content, known without comparing them. */
  readonly changed?: boolean;
  /** How much of the merged body, from its start, is the generated text as it is. */
  readonly generatedPrefix?: number;
}

/**
 * `mergeOnce`, then again on its result until nothing changes (see MAX_MERGE_ROUNDS). Undefined
 * when merging from a section (`fromSection`) cannot decide without the sections before it.
 */
function mergeRounds(generated: Page, generatedText: string, existingBody: string, fromSection: boolean): MergedRounds | undefined {
  const comparer = new Comparer();
  const gen = splitBody(generatedText, fromSection);
  const old = splitBody(existingBody, fromSection);
  const parsed = new Map<string, Root>([[existingBody, old.root]]);
  // What the first round removes from the existing body (later rounds merge the merge's own text).
  const removed: RemovedText[] = [];
  let body = mergeOnce(generated, gen, old, comparer, fromSection, removed);
  // Merging the existing body gave it back unchanged: it is a fixed point already.
  for (let round = 1; body !== undefined && round < MAX_MERGE_ROUNDS && body !== existingBody; round += 1) {
    const split = splitBody(body, fromSection);
    parsed.set(body, split.root);
    const again: string | undefined = mergeOnce(generated, gen, split, comparer, fromSection);
    if (again === body) break;
    body = again;
  }
  return body === undefined ? undefined : { body, parsed, removed };
}

/**
 * The merged body, and whether it differs from the existing one in more than Markdown spelling.
 * A body too deeply nested to parse is reported as an UnreadablePageError (the file is left alone).
 */
function mergedBody(generated: Page, generatedText: string, headings: readonly number[], existingBody: string, existingText: string): MergedBody {
  // Most pages on disk are exactly what the generator wrote last time: nothing to merge then
  // (merging a generated body onto itself gives that body; the merge tests prove it).
  if (existingBody === generatedText) return { body: generatedText, bodyChanged: false, removed: [], generatedPrefix: generatedText.length };
  // Next most: what the generator wrote, then sections a person added (appended-sections.ts).
  if (appendedSectionsOnly(generated, generatedText, existingBody)) return { body: existingBody, bodyChanged: false, removed: [], generatedPrefix: generatedText.length };
  try {
    const { body, parsed, removed, compared = [body, existingBody], changed = false, generatedPrefix = 0 } = mergeBody(generated, generatedText, headings, existingBody);
    // normalizeMarkdown, from the trees the merge has parsed already (a parse each, on a drifted page).
    const normalized = (text: string) => toMarkdown(parsed.get(text) ?? fromMarkdown(text));
    const bodyChanged = body !== existingBody && (changed || citedLinesOnly(compared[0], compared[1]) || normalized(compared[0]) !== normalized(compared[1]));
    return { body, bodyChanged, removed, generatedPrefix };
  } catch (error) {
    throw asUnreadablePage(error, existingText);
  }
}

/**
 * Whether two different texts differ only in the lines their citations point at (see
 * `withoutCitedLines`): then they differ in more than Markdown spelling, which is told without
 * writing both trees again. It is the case of nearly every page when the compose files changed:
 * the generated text cites the new lines, the page on disk the old ones.
 */
function citedLinesOnly(a: string, b: string): boolean {
  return a !== b && a.includes(CITATION_OPEN) && withoutCitedLines(a) === withoutCitedLines(b);
}

/** A merged body, whether it changed in more than spelling, what it removed, and how much of it from its start is the generated text as it is. */
interface MergedBody {
  readonly body: string;
  readonly bodyChanged: boolean;
  readonly removed: readonly RemovedText[];
  readonly generatedPrefix: number;
}

/**
 * The body `mergePage` writes for `existingBody`, the offsets in `existingBody` of the text it
 * removed from sections the generator owns (see `MergeResult.removedText`), and whether the body
 * changed in more than Markdown spelling (which dates the page). `whole`: by the full merge alone,
 * both texts parsed whole and compared by their normalised Markdown, without the shortcuts that
 * prove parts of it from less (the reference the tests hold those shortcuts to). Throws what
 * `mergePage` throws.
 */
export function mergeBodyOf(generated: Page, existingBody: string, options: { readonly whole?: boolean } = {}): { body: string; removed: readonly RemovedText[]; bodyChanged: boolean } {
  const { text, headings } = toMarkdownWithHeadings(generated.body);
  if (!options.whole) {
    const { body, removed, bodyChanged } = mergedBody(generated, text, headings, existingBody, existingBody);
    return { body, removed, bodyChanged };
  }
  const { body, removed } = mergeRounds(generated, text, existingBody, false) as MergedRounds;
  return { body, removed, bodyChanged: body !== existingBody && normalizeMarkdown(body) !== normalizeMarkdown(existingBody) };
}

/**
 * One merge of the split bodies. `fromSection`: both are a body's end from a section on (see
 * `mergeBody`); undefined then when a rule needs the sections before (an owned section the
 * generator does not write from there on may be one it writes before).
 */
function mergeOnce(generated: Page, gen: SplitBody, old: SplitBody, comparer: Comparer, fromSection = false, removed?: RemovedText[]): string | undefined {
  const owned = new Set(generated.ownedSections);
  const shared = new Set(generated.sharedSections);
  // Only where every generated block is cited can text that cites nothing be told for a person's.
  const cited = new Set(removed ? (generated.citedSections ?? []) : []);

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
    if (owned.has(section.title)) parts.push(ownedSection(section, gen.text, match, old.text, comparer, cited.has(section.title) ? removed : undefined));
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
    return { text, header, changed: true, bodyIsGenerated: true, removedText: [], generatedLines: lineCount(text) };
  }

  const existing = parsePageFile(existingText);
  const { body, bodyChanged, removed, generatedPrefix } = mergedBody(generated, generatedText, headings, existing.body, existingText);
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
  // The body is the file's end (see serializePageFile): what precedes the generated prefix in it is the header.
  const generatedLines = text.endsWith(body) ? lineCount(text.slice(0, text.length - body.length + generatedPrefix)) : 0;
  return { text, header, changed: text !== existingText, bodyIsGenerated: body === generatedText, removedText: linesOf(removed, existingText, existing.body), generatedLines };
}

/** Removed text's offsets in the body, as lines of the file (whose line breaks the body has as `\n`). */
function linesOf(removed: readonly RemovedText[], fileText: string, body: string): RemovedTextLine[] {
  if (removed.length === 0) return [];
  const normalised = normalisePageText(fileText);
  // The body is the file's end (see parsePageFile); the header's lines come before it.
  const before = normalised.endsWith(body) ? normalised.slice(0, normalised.length - body.length) : '';
  const headerLines = before.split('\n').length - 1;
  return removed.map(({ offset, section }) => ({ line: headerLines + body.slice(0, offset).split('\n').length, section }));
}

/** The number of whole lines in `text` (each ends with a line break). */
function lineCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
