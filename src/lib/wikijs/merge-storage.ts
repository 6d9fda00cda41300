/**
 * Merging a page that a person edited in Wiki.js (and Wiki.js synced into its Git storage) with
 * the page compose-wiki publishes, by the same rules as `generate`: the sections the generator
 * owns come from `content/`, everything a person wrote in Wiki.js stays. Text a person wrote
 * inside a section the generator owns would be replaced: such a page is not merged but reported
 * (`RemovedTextError`), and publishing leaves it as it is until the text is moved.
 */
import { fromMarkdown, mergePage, type RemovedTextLine } from '../merge/index.ts';
import { SERVICE_SECTIONS, STACK_SECTIONS, type Page } from '../render/index.ts';
import type { GitMerge, WikiFilePage } from './publish-git.ts';

/** Sections whose bullet lists both the generator and people write. */
const SHARED_SECTIONS = new Set(['Operational Notes', 'Notes']);
/** Owned sections in which every generated block cites its source (see `Page.citedSections`). */
const CITED_SECTIONS = new Set<string>(SERVICE_SECTIONS.slice(1, 4));
/** Every section heading the renderers own, whatever the page kind. */
const OWNED_SECTIONS = new Set<string>([
  ...SERVICE_SECTIONS.filter((s) => !SHARED_SECTIONS.has(s)),
  ...STACK_SECTIONS,
  'Stacks', 'Shared Services', 'Findings',
]);

/** The H2 headings of a Markdown body, in order. */
function headingsOf(markdown: string): string[] {
  return fromMarkdown(markdown)
    .children.filter((node) => node.type === 'heading' && node.depth === 2)
    .map((node) => ('children' in node ? node.children.map((c) => ('value' in c ? c.value : '')).join('') : ''));
}

/** Keeps a person's Wiki.js edits in `existingText` while refreshing the generated sections. */
export const mergeStorageFile: GitMerge = (existingText: string, page: WikiFilePage): string => {
  const headings = headingsOf(page.content);
  const generated: Page = {
    path: page.path,
    kind: 'service',
    header: page.header,
    body: fromMarkdown(page.content),
    ownedSections: headings.filter((h) => OWNED_SECTIONS.has(h)),
    sharedSections: headings.filter((h) => SHARED_SECTIONS.has(h)),
    citedSections: headings.filter((h) => CITED_SECTIONS.has(h)),
    sources: [],
  };
  const merged = mergePage(generated, existingText, { now: page.header.date, form: 'frontmatter' });
  if (merged.removedText.length > 0) throw new RemovedTextError(merged.removedText);
  return merged.text;
};

/** A person's text in a section the generator owns, which merging would replace (see the module comment). */
export class RemovedTextError extends Error {
  /** Where the text starts in the storage file, and under which section. */
  readonly removed: readonly RemovedTextLine[];

  constructor(removed: readonly RemovedTextLine[]) {
    const first = removed[0];
    super(`text under "${first?.section}" (line ${first?.line} of the storage file) is not what compose-wiki writes there and would be replaced`);
    this.name = 'RemovedTextError';
    this.removed = removed;
  }
}
