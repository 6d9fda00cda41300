/**
 * The merge's fast path for a page a person wrote their own sections under: its body is exactly
 * the generated text, one blank line, then whole H1/H2 sections of theirs ("## Runbook", "##
 * Operator notes"). Merging such a body gives it back unchanged: each generated section matches
 * itself, and a person's sections stay where they are, after the last one. Only the person's part
 * is parsed, to make sure of that, instead of both texts in full (two parses of every page that a
 * person added a section to, on every `generate` and `check`).
 *
 * Why the person's part can be parsed on its own: it starts with an ATX heading at the margin
 * after a blank line, which closes every block the generated text left open (lists, quotes; the
 * generated text never leaves a fence or an HTML block open), so the blocks of both parts are the
 * blocks of the whole. Link definitions on either side change only how inline text reads, and the
 * merge compares the generated sections by their source, which they do not change.
 */
import type { Root } from 'mdast';
import type { Page } from '../render/page.ts';
import { collapse, lineStart, missingCloser, offsets, plainText, rawOf } from './block-source.ts';
import { fromMarkdown } from './markdown.ts';
import { hasOneTitle, SECTION_HEADING } from './merge-blocks.ts';

/**
 * True when merging `existingBody` with the generated page gives `existingBody` back, proven
 * without parsing the generated text: the body is `generatedText`, a blank line, and sections a
 * person added whose titles the generator neither owns nor shares, joined as the merge joins
 * sections (one blank line, no trailing whitespace). False means "merge in full", not "differs".
 */
export function appendedSectionsOnly(generated: Pick<Page, 'body' | 'ownedSections' | 'sharedSections'>, generatedText: string, existingBody: string): boolean {
  const at = generatedText.length;
  // The generated text ends with its line break; the next one makes the blank line.
  if (existingBody.length <= at + 1 || existingBody.charCodeAt(at) !== 10 || !existingBody.startsWith(generatedText)) return false;
  const appended = existingBody.slice(at + 1);
  if (!SECTION_HEADING.test(appended) || !hasOneTitle(generated.body)) return false;
  let root: Root;
  try {
    root = fromMarkdown(appended);
  } catch {
    return false; // too deeply nested to parse: the full merge says so, with the line
  }
  const reserved = new Set([...generated.ownedSections, ...generated.sharedSections]);
  // The text starts with a heading line (SECTION_HEADING), so a section starts at offset 0.
  const first = root.children[0];
  if (first?.type !== 'heading' || first.position?.start.offset !== 0) return false;
  const sections: string[] = [];
  let from = -1;
  let end = 0;
  try {
    for (const node of root.children) {
      if (node.type === 'heading' && node.depth <= 2) {
        // An owned section may be dropped, a shared one merged item by item: the full merge decides.
        if (node.depth === 2 && reserved.has(collapse(plainText(node)))) return false;
        if (from !== -1) sections.push(appended.slice(from, end).trimEnd());
        from = lineStart(appended, offsets(node).start);
      }
      end = offsets(node).end;
    }
    const last = root.children.at(-1);
    // A fence or HTML block left open at the end is closed by the merge: the body changes.
    if (last === undefined || missingCloser(last, rawOf(appended, last)) !== '') return false;
  } catch {
    return false; // a node without a position: the full merge reports it
  }
  sections.push(appended.slice(from, end).trimEnd());
  return appended === `${sections.join('\n\n')}\n`;
}
