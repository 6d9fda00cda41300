/**
 * The source viewer's HTML for one file of the compose repository: secrets masked, Shiki
 * highlighting, one `<span class="line" id="L<n>">` per line with a link to itself. The page's
 * script highlights the range named by the URL fragment (`#L19-L45` or `#L7`) and scrolls to it.
 */
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { ShikiTransformer } from 'shiki';
import { highlightToHast, languageFor } from './highlight.ts';
import { maskSource } from './mask.ts';

export interface RenderedSource {
  readonly html: string;
  readonly lines: number;
}

const lineTransformer: ShikiTransformer = {
  name: 'compose-wiki:line-anchors',
  pre(node) {
    delete node.properties.style;
    this.addClassToHast(node, 'cw-source');
  },
  code(node) {
    // Lines are blocks in the viewer; the newlines between them would add blank lines.
    node.children = node.children.filter((child) => child.type !== 'text');
  },
  line(node, line) {
    node.properties.id = `L${line}`;
    node.properties.dataLine = String(line);
    const anchor: Element = {
      type: 'element',
      tagName: 'a',
      properties: { className: ['cw-ln'], href: `#L${line}`, ariaLabel: `Line ${line}`, dataLine: String(line) },
      children: [],
    };
    node.children.unshift(anchor as ElementContent);
  },
};

export async function renderSource(text: string, file: string): Promise<RenderedSource> {
  const normalized = text.replace(/\r\n?/g, '\n');
  // A trailing newline ends the last line; it does not start another one.
  const body = normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
  const masked = maskSource(body);
  const hast = await highlightToHast(masked, languageFor(file), [lineTransformer]);
  return { html: toHtml(hast), lines: body === '' ? 0 : body.split('\n').length };
}

/** Number of lines as the citations count them. */
export function countLines(text: string): number {
  const normalized = text.replace(/\r\n?/g, '\n');
  const body = normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
  return body === '' ? 0 : body.split('\n').length;
}
