/**
 * One Shiki highlighter for the whole build (Astro ships Shiki). Dual themes: every token carries
 * `--shiki-light` and `--shiki-dark`, and the site's CSS picks one by Starlight's `data-theme`.
 */
import { createHighlighter, type Highlighter, type ShikiTransformer } from 'shiki';
import type { Root as HastRoot } from 'hast';

export const THEMES = { light: 'github-light', dark: 'github-dark' } as const;
const LANGS = ['yaml', 'json', 'shellscript', 'ini', 'dotenv', 'dockerfile', 'toml', 'diff', 'nginx', 'sql', 'xml', 'python', 'javascript', 'typescript', 'markdown'];
const ALIASES: Record<string, string> = { yml: 'yaml', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', console: 'shellscript', env: 'dotenv', js: 'javascript', ts: 'typescript', md: 'markdown', conf: 'ini', py: 'python' };

let highlighter: Promise<Highlighter> | undefined;

export function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: Object.values(THEMES), langs: LANGS });
  return highlighter;
}

/** The Shiki language id for a fence's info string or a file name, or undefined if not loaded. */
export function languageFor(nameOrLang: string | undefined): string | undefined {
  if (!nameOrLang) return undefined;
  const lower = nameOrLang.toLowerCase();
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : lower;
  if (/(^|\/)\.env(\.|$)|\.env$/.test(lower)) return 'dotenv';
  if (/(^|\/)dockerfile$/.test(lower)) return 'dockerfile';
  const lang = ALIASES[ext] ?? ext;
  return LANGS.includes(lang) ? lang : undefined;
}

/** Highlights a code block for a page; the caller supplies a language Shiki has loaded, or text. */
export async function highlightToHast(code: string, lang: string | undefined, transformers: ShikiTransformer[] = []): Promise<HastRoot> {
  const shiki = await getHighlighter();
  return shiki.codeToHast(code, {
    lang: lang ?? 'text',
    themes: THEMES,
    defaultColor: false,
    transformers,
  }) as HastRoot;
}
