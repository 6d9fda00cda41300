/**
 * Citations `【F:path†Lx-Ly】` as links. Wiki.js shows the raw token as text; when a source URL
 * template is configured (`https://git.example.com/homelab/src/branch/main/{path}#L{start}-L{end}`),
 * each token in running text becomes `[【F:path†Lx-Ly】](url)`. Tokens inside code, inline code,
 * HTML and existing links are left alone; every other byte of the page is kept as it was.
 */
import type { Nodes } from 'mdast';
import { fromMarkdown } from '../merge/markdown.ts';
export { sourceUrlTemplateProblem } from './conventions.ts';

const CITATION = /【F:((?:\\.|[^†】\\\n])+)†L(\d+)-L(\d+)】/g;
const SKIP = new Set(['code', 'inlineCode', 'html', 'link', 'linkReference', 'definition', 'image', 'imageReference']);

/** The URL of one citation. Path segments are percent-encoded; `/` is kept. */
export function citationUrl(template: string, path: string, start: number, end: number): string {
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return template.replaceAll('{path}', encoded).replaceAll('{start}', String(start)).replaceAll('{end}', String(end));
}

/**
 * The source ranges of the nodes whose citations stay as they are, parsed as merging parses
 * (satteri, else remark). A literal autolink is not one of them: a bare URL runs on into a token
 * written right after it (`https://a.example/x【F:…】`), and the token is still a citation to link.
 */
function skippedRanges(markdown: string): [number, number][] {
  const tree = fromMarkdown(markdown);
  const ranges: [number, number][] = [];
  const walk = (node: Nodes): void => {
    if (SKIP.has(node.type)) {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      const literal = node.type === 'link' && start !== undefined && !'[<'.includes(markdown.charAt(start));
      if (start !== undefined && end !== undefined && !literal) ranges.push([start, end]);
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return ranges;
}

/**
 * Turns every citation in running text into a Markdown link. Without a template the text is
 * returned unchanged.
 */
export function linkCitations(markdown: string, template: string | undefined): string {
  if (!template || !markdown.includes('【F:')) return markdown;
  const skipped = skippedRanges(markdown);
  const inSkipped = (at: number): boolean => skipped.some(([s, e]) => at >= s && at < e);
  return markdown.replace(CITATION, (token: string, rawPath: string, start: string, end: string, offset: number) => {
    if (inSkipped(offset)) return token;
    const path = rawPath.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    return `[${token}](${citationUrl(template, path, Number(start), Number(end))})`;
  });
}
