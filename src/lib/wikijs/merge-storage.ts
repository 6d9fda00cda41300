/**
 * Merging a page that a person edited in Wiki.js (and Wiki.js synced into its Git storage) with
 * the page compose-wiki publishes, by the same rules as `generate`: the sections the generator
 * owns come from `content/`, everything a person wrote in Wiki.js stays.
 */
import { fromMarkdown, mergePage } from '../merge/index.ts';
import { SERVICE_SECTIONS, STACK_SECTIONS, type Page } from '../render/index.ts';
import type { GitMerge, WikiFilePage } from './publish-git.ts';

/** Sections whose bullet lists both the generator and people write. */
const SHARED_SECTIONS = new Set(['Operational Notes', 'Notes']);
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
    sources: [],
  };
  return mergePage(generated, existingText, { now: page.header.date, form: 'frontmatter' }).text;
};
