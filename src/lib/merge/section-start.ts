/**
 * Where the merge of a page a person edited starts parsing (see merge-page.ts `mergeBody`): the
 * first H1/H2 section from which the page on disk parts from the generated text. Before it the
 * merge would write the generated text anyway, so only the sections from there on are parsed.
 *
 * The two texts may differ before it in one way only: the lines their citations point at, inside
 * sections whose generated text the merge writes whatever the page held there (owned and shared
 * sections, the title and the text under it, whose blocks then all match generated ones by
 * meaning). That is every page of a wiki right after its compose files changed, and the drift a
 * `check` on a pull request meets.
 */
import type { Heading } from 'mdast';
import { CITATION_OPEN, withoutCitedLines } from '../render/citation.ts';
import type { Page } from '../render/page.ts';
import { collapse, plainText } from './block-source.ts';
import { hasOneTitle, SECTION_HEADING } from './merge-blocks.ts';

/** Where the merge of a body starts parsing: the same section's offset in both texts. */
export interface SectionStart {
  readonly generated: number;
  readonly existing: number;
  /** The texts before it differ in the lines some citations point at (else they are equal). */
  readonly moved: boolean;
}

/**
 * Where the generated text and the existing body part, moved back to the start of an H1/H2
 * section that both have there (`headings`: the offsets of the generated tree's top-level
 * headings, see `toMarkdownWithHeadings`); undefined when there is none after the page's title.
 * Before it the two texts are one, but for the lines their citations point at inside sections
 * whose generated text the merge writes whatever the page held (owned and shared sections, the
 * title and the text under it: their blocks then all match generated ones by meaning). A heading
 * at the margin after a blank line closes every block the generated text opened, so the blocks
 * and sections before it read alike in both, and merge to the generated text.
 */
export function sharedSectionStart(generated: Page, generatedText: string, headings: readonly number[], existingBody: string): SectionStart | undefined {
  const nodes = generated.body.children.filter((node): node is Heading => node.type === 'heading');
  // The generated title is its only H1 (else the full merge reads the body differently).
  if (headings.length !== nodes.length || headings[0] !== 0 || !hasOneTitle(generated.body)) return undefined;
  for (let k = headings.length - 1; k >= 1; k -= 1) {
    const at = headings[k] as number;
    // One native comparison each; a person's words are most often near the end (Operational Notes).
    if ((nodes[k]?.depth ?? 3) <= 2 && existingBody.startsWith(generatedText.slice(0, at)) && SECTION_HEADING.test(existingBody.slice(at, at + 4))) {
      // Further on, only lines whose citations moved may differ (the compose files changed).
      return movedCitationsUntil(generated, nodes, generatedText, headings, existingBody, k, at) ?? { generated: at, existing: at, moved: false };
    }
  }
  return movedCitationsUntil(generated, nodes, generatedText, headings, existingBody, 0, 0);
}

/**
 * From the section at `headings[k]`, where the texts are still one (offset `at` in both), the
 * last later section up to which they differ only in the lines their citations point at, inside
 * owned and shared sections alone; undefined when there is none.
 */
function movedCitationsUntil(generated: Page, nodes: readonly Heading[], generatedText: string, headings: readonly number[], existingBody: string, k: number, at: number): SectionStart | undefined {
  const merged = new Set([...generated.ownedSections, ...generated.sharedSections]);
  // The titles of H1/H2 sections as the merge reads them (undefined for a sub-heading).
  const titles = nodes.map((node) => (node.depth <= 2 ? collapse(plainText(node)) : undefined));
  let found: SectionStart | undefined;
  let g = at;
  let e = at;
  let next = k + 1;
  // Before the first H2 (the title and the text under it) the merge writes the generated blocks too.
  let rewritten = k === 0 || merged.has(titles[k] ?? '');
  let moved = false;
  while (g < generatedText.length && e < existingBody.length) {
    if (g === headings[next]) {
      const title = titles[next];
      next += 1;
      if (title !== undefined) {
        // A section both texts open here, after lines that differ only in what they cite.
        if (moved && SECTION_HEADING.test(existingBody.slice(e, e + 4))) found = { generated: g, existing: e, moved };
        rewritten = merged.has(title);
      }
    }
    const gEnd = lineEnd(generatedText, g);
    const eEnd = lineEnd(existingBody, e);
    const gLine = generatedText.slice(g, gEnd);
    const eLine = existingBody.slice(e, eEnd);
    if (gLine !== eLine) {
      if (!rewritten || !gLine.includes(CITATION_OPEN) || withoutCitedLines(gLine) !== withoutCitedLines(eLine)) break;
      moved = true;
    }
    g = gEnd + 1;
    e = eEnd + 1;
  }
  return found;
}

/** The offset of the line break that ends the line starting at `from` (the text's length when none does). */
function lineEnd(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at === -1 ? text.length : at;
}
