/**
 * Turns one page body (Markdown) into the HTML the site shows. The site does not use Astro's
 * Markdown pipeline (Astro 7's default processor runs no remark plugins): the content loader calls
 * this instead, so every page goes through the same few, fast steps:
 *
 * 1. Markdown → mdast (CommonMark + GFM: tables, task lists, footnotes …) by satteri, the native
 *    parser behind Astro's own Markdown, which builds the tree remark-parse + remark-gfm build
 *    (test/site/parse.test.ts holds them equal) ~25× faster;
 * 2. on the mdast: raw HTML becomes text (the pages are generated from untrusted compose files,
 *    so nothing in them may reach the page as markup), citations become citation nodes, internal
 *    links are resolved to site URLs, URLs with other schemes than http(s)/mailto are dropped, the
 *    leading H1 is taken off (Starlight shows the title itself), and the `**Image:**` line of the
 *    Runtime Profile is read for the image-tag badge;
 * 3. mdast → hast (mdast-util-to-hast, no dangerous HTML), with Shiki for code blocks and a
 *    placeholder for Mermaid blocks that keeps the diagram text as fallback;
 * 4. heading ids + Starlight's heading-anchor markup; hast → HTML.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { markdownToMdast } from 'satteri';
import { toHast, type Handler, type State } from 'mdast-util-to-hast';
import { toHtml } from 'hast-util-to-html';
import GithubSlugger from 'github-slugger';
import type { Root, Code, Text, Parent as MdastParent, RootContent } from 'mdast';
import type { Node as UnistNode } from 'unist';
import type { Element, ElementContent, Root as HastRoot, Properties } from 'hast';
import { CITATION, type Citation, citationDescription, citationLabel, forgeUrl, lineFragment, parseCitations, safeSourcePath, sourcePagePath } from './citations.ts';
import { highlightToHast, languageFor } from './highlight.ts';
import { pageUrl } from './config.ts';
import { ANCHOR_ICON_ID } from './anchor-icon.ts';
import { joinAdjacentTexts, maySplitIndentedCode, parseWithSatteri } from '../lib/merge/markdown-parse.ts';
import { refuseUnparsableNesting } from '../lib/merge/unreadable-page.ts';

export { pageUrl };

const require = createRequire(import.meta.url);

export interface Heading {
  readonly depth: number;
  readonly slug: string;
  readonly text: string;
}

export interface RenderOptions {
  /** The page's id (wiki path without extension), e.g. `home/Platform/Stacks/authentik/authentik-server`. */
  readonly pageId: string;
  /** The page file relative to the content root, `/`-separated. */
  readonly file: string;
  /** URL path the site is served under, starting and ending with `/`. */
  readonly base: string;
  readonly forgeUrl?: string | undefined;
  /** The id of the page a wiki path names, or undefined. */
  readonly findPage: (wikiPath: string) => string | undefined;
  /** Number of lines of a file of the source repository, or undefined when it does not exist. */
  readonly sourceLines: (sourcePath: string) => number | undefined;
}

export interface RenderedBody {
  readonly html: string;
  readonly headings: Heading[];
  /** Text of the leading H1, which is removed from the body. */
  readonly h1: string | undefined;
  /** The image reference of the Runtime Profile's `**Image:**` line. */
  readonly image: string | undefined;
  readonly hasMermaid: boolean;
  readonly citations: Citation[];
  /** Things a person should fix in the page (broken citations, unresolved links). */
  readonly problems: string[];
}

declare module 'mdast' {
  interface PhrasingContentMap {
    citation: CitationNode;
  }
  interface RootContentMap {
    citation: CitationNode;
  }
}

/**
 * A page body as mdast: CommonMark + GFM (footnotes included), no front matter (the loader has
 * taken the header off), no positions (nothing downstream reads them).
 */
export function parseMarkdown(markdown: string): Root {
  // A line opening 10,000 containers fails any parse, and satteri takes seconds to say so.
  refuseUnparsableNesting(markdown);
  const tree = markdownToMdast(markdown, { features: PARSE_FEATURES, position: false }) as Root;
  // satteri splits an indented code block at every line in one shape (markdown-parse.ts); with
  // positions it can be told, and then remark parses the page.
  if (maySplitIndentedCode(tree) && parseWithSatteri(markdown) === undefined) return parseByRemark(markdown);
  // As in remark's trees (and because citations are found per text node).
  joinAdjacentTexts(tree);
  return tree;
}

let remarkParser: { parse(markdown: string): Root; runSync(tree: Root): Root } | undefined;

/** remark-parse + remark-gfm with their defaults (the trees satteri's are held to), loaded on first use. */
function parseByRemark(markdown: string): Root {
  remarkParser ??= (require('unified') as typeof import('unified')).unified()
    .use((require('remark-parse') as typeof import('remark-parse')).default)
    .use((require('remark-gfm') as typeof import('remark-gfm')).default)
    .freeze() as unknown as typeof remarkParser;
  const parser = remarkParser as NonNullable<typeof remarkParser>;
  return parser.runSync(parser.parse(markdown));
}

const PARSE_FEATURES = { gfm: true, frontmatter: false } as const;

const SAFE_SCHEME = /^(https?:|mailto:)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;


interface CitationNode extends UnistNode {
  type: 'citation';
  /** Label with the whole path (the page also cites another file of the same name). */
  fullPath: boolean;
  citation: Citation;
  /** Source viewer URL, when the cited file exists. */
  href?: string;
  forge?: string;
  valid: boolean;
  raw: string;
}

const el = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const txt = (value: string) => ({ type: 'text' as const, value });

const ANCHOR_ICON = el('span', { ariaHidden: 'true', className: ['sl-anchor-icon'] }, [
  el('svg', { width: 16, height: 16, viewBox: '0 0 24 24', fill: 'currentColor' }, [el('use', { href: `#${ANCHOR_ICON_ID}` })]),
]);

function textOf(node: { type: string; value?: string; children?: unknown[] }): string {
  if (typeof node.value === 'string') return node.value;
  if (Array.isArray(node.children)) return node.children.map((c) => textOf(c as never)).join('');
  return '';
}

function hastText(node: ElementContent | HastRoot): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return node.children.map((c) => hastText(c as ElementContent)).join('');
  return '';
}

/** Resolves an internal link target to a page id, trying the ways a wiki author may write one. */
function resolveInternal(target: string, opts: RenderOptions): string | undefined {
  let p: string;
  try {
    p = decodeURIComponent(target);
  } catch {
    p = target;
  }
  const clean = (x: string) =>
    x
      .replace(/\/+$/, '')
      .replace(/\.md$/i, '')
      .replace(/(^|\/)index$/i, '')
      .replace(/^\/+/, '');
  const candidates: string[] = [];
  if (p.startsWith('/')) {
    let abs = p;
    if (opts.base !== '/' && abs.startsWith(opts.base)) abs = `/${abs.slice(opts.base.length)}`;
    candidates.push(clean(abs));
    // Wiki.js links may carry a locale: /en/home/…
    const noLocale = /^\/[a-z]{2}(?:-[a-z]{2})?(\/.*)$/i.exec(abs);
    if (noLocale) candidates.push(clean(noLocale[1]!));
  } else {
    const fileDir = path.posix.dirname(opts.file);
    candidates.push(clean(path.posix.normalize(path.posix.join(fileDir, p))));
    const urlDir = opts.pageId.includes('/') ? path.posix.dirname(opts.pageId) : '';
    candidates.push(clean(path.posix.normalize(path.posix.join(urlDir, p))));
    candidates.push(clean(path.posix.normalize(path.posix.join(opts.pageId, p))));
  }
  for (const c of candidates) {
    if (c.startsWith('..')) continue;
    const found = opts.findPage(c === '.' ? '' : c);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * What the page's links resolve to, for the loader's cache digest: a page is rendered again when
 * a page it links to appears or disappears, not whenever any page does. Found by a pattern over
 * the Markdown (inline links and definitions), which is all the digest needs.
 */
export function linkTargets(markdown: string, opts: RenderOptions): string[] {
  const out: string[] = [];
  const urls = [
    ...[...markdown.matchAll(/\]\(\s*<?([^)\s>]+)/g)].map((m) => m[1]!),
    ...[...markdown.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)/gm)].map((m) => m[1]!),
  ];
  for (const u of urls) {
    if (u.startsWith('#') || u.startsWith('//') || HAS_SCHEME.test(u)) continue;
    const target = u.split(/[?#]/)[0]!;
    out.push(`${target}=${resolveInternal(target, opts) ?? '∅'}`);
  }
  return out;
}

/** Rewrites or drops a URL from the content. Returns undefined to drop it. */
function rewriteUrl(url: string, opts: RenderOptions, problems: string[]): string | undefined {
  const u = url.trim();
  if (!u || u.startsWith('#')) return u;
  if (u.startsWith('//')) return u;
  if (HAS_SCHEME.test(u)) {
    if (SAFE_SCHEME.test(u)) return u;
    problems.push(`link with a disallowed scheme dropped: ${u.slice(0, 40)}`);
    return undefined;
  }
  const hashAt = u.search(/[?#]/);
  const target = hashAt >= 0 ? u.slice(0, hashAt) : u;
  const rest = hashAt >= 0 ? u.slice(hashAt) : '';
  const id = resolveInternal(target, opts);
  if (id === undefined) {
    problems.push(`link to a page that does not exist: ${u}`);
    return u;
  }
  return pageUrl(opts.base, id) + rest;
}

function citationNode(raw: string, c: Citation, opts: RenderOptions, problems: string[], fullPath: boolean): CitationNode {
  const safe = safeSourcePath(c.path);
  const lines = safe === undefined ? undefined : opts.sourceLines(safe);
  if (safe === undefined || lines === undefined) {
    problems.push(`citation of a file that is not in the source repository: ${raw}`);
    return { type: 'citation', fullPath, citation: c, valid: false, raw };
  }
  const valid = c.start >= 1 && c.end >= c.start && c.end <= lines;
  if (!valid) problems.push(`citation outside the file (${lines} lines): ${raw}`);
  const cited = { ...c, path: safe };
  const forge = forgeUrl(opts.forgeUrl, cited);
  return {
    type: 'citation',
    fullPath,
    citation: cited,
    href: `${opts.base}${sourcePagePath(safe)}#${lineFragment(c.start, c.end)}`,
    ...(forge ? { forge } : {}),
    valid,
    raw,
  };
}

const citationHandler: Handler = (_state: State, node: CitationNode): Element => {
  const c = node.citation;
  if (!node.href) {
    return el('span', { className: ['cw-cite', 'cw-cite-missing'], title: `Cited file not found: ${c.path}` }, [
      txt(citationLabel(c, node.fullPath)),
    ]);
  }
  const children: ElementContent[] = [
    el(
      'a',
      {
        className: ['cw-cite-link'],
        href: node.href,
        title: citationDescription(c),
        ariaLabel: `Source: ${citationDescription(c)}`,
      },
      [txt(citationLabel(c, node.fullPath))],
    ),
  ];
  if (node.forge) {
    children.push(
      el(
        'a',
        {
          className: ['cw-cite-forge'],
          href: node.forge,
          title: `${citationDescription(c)} on the forge`,
          ariaLabel: `${citationDescription(c)} on the forge`,
          rel: ['noopener', 'noreferrer'],
        },
        [txt('↗')],
      ),
    );
  }
  const classes = ['cw-cite'];
  if (!node.valid) classes.push('cw-cite-invalid');
  return el('span', { className: classes, dataPagefindIgnore: '' }, children);
};

/** Splits citations out of a text node. */
function splitCitations(
  value: string,
  opts: RenderOptions,
  problems: string[],
  found: Citation[],
  fullPath: (path: string) => boolean,
): (Text | CitationNode)[] | undefined {
  CITATION.lastIndex = 0;
  if (!CITATION.test(value)) return undefined;
  CITATION.lastIndex = 0;
  const out: (Text | CitationNode)[] = [];
  let last = 0;
  for (const m of value.matchAll(CITATION)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ type: 'text', value: value.slice(last, at) });
    const start = Number(m[2]);
    const c: Citation = { path: m[1]!.trim(), start, end: m[3] === undefined ? start : Number(m[3]) };
    found.push(c);
    out.push(citationNode(m[0], c, opts, problems, fullPath(c.path)));
    last = at + m[0].length;
  }
  if (last < value.length) out.push({ type: 'text', value: value.slice(last) });
  return out;
}

type AnyNode = { type: string; value?: string; children?: AnyNode[] };

/**
 * The image reference of the first list item that reads `**Image:** …` (document order; the items
 * inside a matching item are not looked at).
 */
function findImage(tree: Root): string | undefined {
  const walk = (node: AnyNode): string | undefined => {
    if (node.type === 'listItem') {
      const para = node.children?.[0] as MdastParent | undefined;
      if (para && para.type === 'paragraph') {
        const [first, ...rest] = para.children;
        if (first && first.type === 'strong' && /^image:?$/i.test(textOf(first).trim())) {
          const code = rest.find((n) => n.type === 'inlineCode');
          const value = code ? code.value : rest.map((n) => textOf(n)).join('').replace(/^\s*:?\s*/, '');
          return value.trim() ? value.trim() : undefined;
        }
      }
    }
    // Only containers can hold list items; phrasing content is not descended into.
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'table' || !node.children) return undefined;
    for (const child of node.children) {
      const found = walk(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(tree as AnyNode);
}

const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

interface TransformState {
  readonly opts: RenderOptions;
  readonly problems: string[];
  readonly citations: Citation[];
  readonly fullPath: (path: string) => boolean;
  readonly codeBlocks: Code[];
}

/**
 * One walk over the mdast, in document order, doing what the module comment's step 2 lists: raw
 * HTML becomes text, citations in text (not in link text, not in code) become citation nodes,
 * link and definition URLs are resolved or dropped, image URLs with unsafe schemes are emptied,
 * and code blocks are collected. A link whose target may not be followed is replaced by its
 * children, whose own text is left as it is (it was link text).
 */
function transformTree(parent: MdastParent, st: TransformState): void {
  const children = parent.children as RootContent[];
  const linkText = parent.type === 'link' || parent.type === 'linkReference';
  for (let i = 0; i < children.length; i++) {
    let node = children[i]!;
    if (node.type === 'html') {
      // Raw HTML is shown as text, never interpreted.
      const text: Text = { type: 'text', value: node.value };
      node = BLOCK_PARENTS.has(parent.type) ? { type: 'paragraph', children: [text] } : text;
      children[i] = node;
    }
    switch (node.type) {
      case 'text': {
        if (linkText) break;
        const parts = splitCitations(node.value, st.opts, st.problems, st.citations, st.fullPath);
        if (!parts) break;
        children.splice(i, 1, ...(parts as RootContent[]));
        i += parts.length - 1;
        break;
      }
      case 'link': {
        const url = rewriteUrl(node.url, st.opts, st.problems);
        if (url !== undefined) {
          node.url = url;
          transformTree(node, st);
        } else {
          // A link whose target may not be followed keeps its text.
          const inner = { type: 'link', children: node.children } as unknown as MdastParent;
          transformTree(inner, st);
          children.splice(i, 1, ...(inner.children as RootContent[]));
          i += inner.children.length - 1;
        }
        break;
      }
      case 'definition':
        node.url = rewriteUrl(node.url, st.opts, st.problems) ?? '';
        break;
      case 'image': {
        const u = node.url.trim();
        if (HAS_SCHEME.test(u) && !/^https?:/i.test(u)) node.url = '';
        break;
      }
      case 'code':
        st.codeBlocks.push(node);
        break;
      default:
        if ('children' in node) transformTree(node as MdastParent, st);
    }
  }
}

/** Lets long identifiers in a table cell's code break after `_` or `/`. */
function breakCellCode(node: Element): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'code') {
      child.children = child.children.flatMap((c): ElementContent[] => {
        if (c.type !== 'text' || c.value.length < 16) return [c];
        return c.value
          .split(/(?<=[_/])(?=[^_/])/)
          .flatMap((part, i): ElementContent[] => (i === 0 ? [txt(part)] : [el('wbr', {}), txt(part)]));
      });
    } else {
      breakCellCode(child);
    }
  }
}

const HEADING = /^h([2-6])$/;

/** Table cells' code (see breakCellCode) and heading ids with Starlight's anchor links, in one walk. */
function finishHast(parent: HastRoot | Element, slugger: GithubSlugger, headings: Heading[]): void {
  const children = parent.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type !== 'element') continue;
    if (node.tagName === 'td' || node.tagName === 'th') {
      breakCellCode(node);
      continue;
    }
    const m = HEADING.exec(node.tagName);
    if (!m) {
      finishHast(node, slugger, headings);
      continue;
    }
    const text = hastText(node).trim();
    const slug = slugger.slug(text || 'section');
    node.properties.id = slug;
    headings.push({ depth: Number(m[1]), slug, text });
    children[i] = el('div', { className: ['sl-heading-wrapper', `level-${node.tagName}`] }, [
      node,
      el('a', { className: ['sl-anchor-link'], href: `#${slug}` }, [
        ANCHOR_ICON,
        el('span', { className: ['sr-only'], dataPagefindIgnore: '' }, [txt(`Section titled “${text}”`)]),
      ]),
    ]);
  }
}

/**
 * Renders a page body. A body nested so deeply (thousands of block quotes or lists) that a tree
 * walk runs out of stack is shown as plain text, with a problem saying so, instead of failing the
 * whole site build.
 */
export async function renderBody(markdown: string, opts: RenderOptions): Promise<RenderedBody> {
  try {
    return await renderTree(markdown, opts);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const pre = el('pre', { className: ['cw-unrendered'] }, [el('code', {}, [txt(markdown)])]);
    return {
      html: toHtml(pre),
      headings: [],
      h1: undefined,
      image: undefined,
      hasMermaid: false,
      citations: [],
      problems: ['the page is nested too deeply to render as Markdown (thousands of levels of quotes or lists); it is shown as plain text'],
    };
  }
}

async function renderTree(markdown: string, opts: RenderOptions): Promise<RenderedBody> {
  const tree = parseMarkdown(markdown);
  const problems: string[] = [];
  const citations: Citation[] = [];

  // The leading H1 duplicates the title Starlight shows.
  let h1: string | undefined;
  const firstIdx = tree.children.findIndex((n) => n.type !== 'html' || !/^<!--[\s\S]*-->$/.test(n.value.trim()));
  const first = tree.children[firstIdx];
  if (first && first.type === 'heading' && first.depth === 1) {
    h1 = textOf(first).trim();
    tree.children.splice(firstIdx, 1);
  }

  const image = findImage(tree);

  // Citations of the page's main file (the one it cites most) are labelled by file name; those of
  // any other file by their whole path, so that two `compose.yml L1–20` on one page are never
  // different files.
  const counts = new Map<string, number>();
  for (const c of parseCitations(markdown)) counts.set(c.path, (counts.get(c.path) ?? 0) + 1);
  const mainFile = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const baseNames = new Map<string, number>();
  for (const p of counts.keys()) {
    const name = p.split('/').pop()!;
    baseNames.set(name, (baseNames.get(name) ?? 0) + 1);
  }
  const fullPath = (p: string) => p !== mainFile && (baseNames.get(p.split('/').pop()!) ?? 0) > 1;

  const codeBlocks: Code[] = [];
  transformTree(tree, { opts, problems, citations, fullPath, codeBlocks });

  // Code blocks: Shiki ahead of time (handlers are synchronous), Mermaid kept as text.
  let hasMermaid = false;
  const highlighted = new Map<Code, HastRoot>();
  for (const node of codeBlocks) {
    const lang = node.lang?.toLowerCase();
    if (lang === 'mermaid') {
      hasMermaid = true;
      continue;
    }
    highlighted.set(node, await highlightToHast(node.value, languageFor(lang)));
  }
  const codeHandler: Handler = (_state, node: Code) => {
    if (node.lang?.toLowerCase() === 'mermaid') {
      // Not indexed for search: the diagram restates relations the page states in words.
      return el('figure', { className: ['cw-mermaid'], dataPagefindIgnore: '' }, [
        el('pre', { className: ['cw-mermaid-source'] }, [el('code', {}, [txt(node.value)])]),
      ]);
    }
    const root = highlighted.get(node);
    const pre = root?.children.find((c): c is Element => c.type === 'element');
    if (pre) {
      const classes = Array.isArray(pre.properties.className) ? pre.properties.className : [];
      pre.properties.className = [...classes, 'cw-code'];
      pre.properties.tabIndex = 0;
      delete pre.properties.style;
      return pre;
    }
    return el('pre', { className: ['cw-code'] }, [el('code', {}, [txt(node.value)])]);
  };

  const hast = toHast(tree, {
    handlers: { citation: citationHandler, code: codeHandler },
    allowDangerousHtml: false,
  }) as HastRoot;

  // Heading ids are unique, like GitHub's; `_top` is Starlight's id for the page title.
  const slugger = new GithubSlugger();
  slugger.slug('_top');
  const headings: Heading[] = [];
  finishHast(hast, slugger, headings);

  return {
    html: toHtml(hast),
    headings,
    h1,
    image,
    hasMermaid,
    citations,
    problems,
  };
}
