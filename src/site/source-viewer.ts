/**
 * The source viewer's HTML for one file of the compose repository: secrets masked, Shiki
 * highlighting (one tokenization for both themes, see highlight.ts), one `<span class="line"
 * id="L<n>">` per line with a link to itself. The page's script highlights the range named by
 * the URL fragment (`#L19-L45` or `#L7`) and scrolls to it.
 */
import { languageFor, tokenizeDual, type DualToken } from './highlight.ts';
import { maskSource } from './mask.ts';

export interface RenderedSource {
  readonly html: string;
  readonly lines: number;
  /**
   * The colours of the classes the HTML uses (`.cw-source .k1{--shiki-light:…;--shiki-dark:…}`):
   * a token names its colour pair by a short class instead of repeating both colours inline,
   * which keeps the pages (and Astro's content store, which holds them) about half as big.
   */
  readonly css: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fontCss(fontStyle: number): string {
  let css = '';
  if (fontStyle & 1) css += ';font-style:italic';
  if (fontStyle & 2) css += ';font-weight:bold';
  const lines = [fontStyle & 4 ? 'underline' : '', fontStyle & 8 ? 'line-through' : ''].filter(Boolean);
  if (lines.length) css += `;text-decoration:${lines.join(' ')}`;
  return css;
}

const sameStyle = (a: DualToken, b: DualToken) => a.light === b.light && a.dark === b.dark && a.fontStyle === b.fontStyle;

/**
 * Fewer spans, the same look: whitespace takes the colour of the token after it (or before it, at
 * the end of a line) unless it is underlined or struck through, and neighbours of one style are
 * joined.
 */
function mergeTokens(line: readonly DualToken[]): DualToken[] {
  const out: DualToken[] = [];
  let pending = '';
  for (const t of line) {
    if (!(t.fontStyle & 12) && !/\S/.test(t.content)) {
      pending += t.content;
      continue;
    }
    const token = pending ? { ...t, content: pending + t.content } : t;
    pending = '';
    const last = out.at(-1);
    if (last && sameStyle(last, token)) out[out.length - 1] = { ...last, content: last.content + token.content };
    else out.push(token);
  }
  if (pending) {
    const last = out.at(-1);
    if (last) out[out.length - 1] = { ...last, content: last.content + pending };
    else out.push({ content: pending, light: undefined, dark: undefined, fontStyle: 0 });
  }
  return out;
}

/**
 * `<pre class="… cw-source"><code>` with one `<span class="line" id="L<n>">` per line, each
 * starting with a link to itself (`<a class="cw-ln" href="#L<n>"><n></a>`); the lines are blocks,
 * with no newline between them.
 */
export async function renderSource(text: string, file: string): Promise<RenderedSource> {
  const normalized = text.replace(/\r\n?/g, '\n');
  // A trailing newline ends the last line; it does not start another one.
  const body = normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
  const masked = maskSource(body);
  const tokens = await tokenizeDual(masked, languageFor(file));
  const classes = new Map<string, string>();
  let css = '';
  const parts: string[] = ['<pre class="shiki shiki-themes github-light github-dark cw-source" tabindex="0"><code>'];
  tokens.forEach((line, i) => {
    const n = i + 1;
    parts.push(`<span class="line" id="L${n}"><a class="cw-ln" href="#L${n}">${n}</a>`);
    for (const t of mergeTokens(line)) {
      if (t.light === undefined && t.dark === undefined && t.fontStyle === 0) {
        parts.push(`<span>${escapeHtml(t.content)}</span>`);
        continue;
      }
      const key = `${t.light}|${t.dark}|${t.fontStyle}`;
      let cls = classes.get(key);
      if (cls === undefined) {
        cls = `k${classes.size + 1}`;
        classes.set(key, cls);
        const colors = [t.light ? `--shiki-light:${t.light}` : '', t.dark ? `--shiki-dark:${t.dark}` : ''].filter(Boolean).join(';');
        css += `.cw-source .${cls}{${colors}${fontCss(t.fontStyle)}}`;
      }
      parts.push(`<span class="${cls}">${escapeHtml(t.content)}</span>`);
    }
    parts.push('</span>');
  });
  parts.push('</code></pre>');
  return { html: parts.join(''), lines: body === '' ? 0 : body.split('\n').length, css };
}

/** Number of lines as the citations count them. */
export function countLines(text: string): number {
  const normalized = text.replace(/\r\n?/g, '\n');
  const body = normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
  return body === '' ? 0 : body.split('\n').length;
}
