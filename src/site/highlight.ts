/**
 * One Shiki highlighter for the whole build (Astro ships Shiki), on Shiki's JavaScript regex
 * engine (no WebAssembly; faster than Oniguruma on our languages and the same tokens). Dual themes:
 * every token carries a light and a dark colour, and the site's CSS picks one by Starlight's
 * `data-theme`.
 *
 * Code blocks in pages are highlighted to hast with `--shiki-light`/`--shiki-dark` styles
 * (`highlightToHast`). The source viewer, which highlights whole compose files, uses
 * `tokenizeDual`: one tokenization for both themes instead of one per theme. GitHub's light and
 * dark themes have the same scope rules in the same order, differing only in colours, so a
 * synthetic theme whose rule *i* carries a code for the pair (light colour *i*, dark colour *i*)
 * resolves every token to the pair the two themes would give it. When the themes do not line up
 * (another theme pair), it tokenizes once per theme.
 */
import { createHighlighter, type BundledLanguage, type BundledTheme, type Highlighter, type ShikiTransformer, type ThemeRegistrationAny, type ThemeRegistrationResolved } from 'shiki';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import type { Root as HastRoot } from 'hast';

export const THEMES = { light: 'github-light', dark: 'github-dark' } as const;
const LANGS = ['yaml', 'json', 'shellscript', 'ini', 'dotenv', 'dockerfile', 'toml', 'diff', 'nginx', 'sql', 'xml', 'python', 'javascript', 'typescript', 'markdown'];
const ALIASES: Record<string, string> = { yml: 'yaml', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', console: 'shellscript', env: 'dotenv', js: 'javascript', ts: 'typescript', md: 'markdown', conf: 'ini', py: 'python' };
const DUAL_THEME = 'compose-wiki-dual';

interface Shiki {
  readonly highlighter: Highlighter;
  /** Colour pairs of the synthetic dual theme, by its colour code; undefined when the themes do not line up. */
  readonly pairs: Map<string, readonly [string, string]> | undefined;
}

let shiki: Promise<Shiki> | undefined;

const sameScope = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The synthetic dual theme of two themes whose rules line up, with its colour pairs. */
function dualTheme(light: ThemeRegistrationResolved, dark: ThemeRegistrationResolved): { theme: ThemeRegistrationAny; pairs: Map<string, readonly [string, string]> } | undefined {
  const l = light.settings;
  const d = dark.settings;
  if (l.length !== d.length) return undefined;
  for (let i = 0; i < l.length; i++) {
    const a = l[i]!;
    const b = d[i]!;
    if (!sameScope(a.scope, b.scope)) return undefined;
    if (Boolean(a.settings?.foreground) !== Boolean(b.settings?.foreground)) return undefined;
    if ((a.settings?.fontStyle ?? null) !== (b.settings?.fontStyle ?? null)) return undefined;
  }
  const pairs = new Map<string, readonly [string, string]>();
  const byPair = new Map<string, string>();
  const code = (lc: string, dc: string) => {
    const key = `${lc}|${dc}`;
    let c = byPair.get(key);
    if (c === undefined) {
      c = `#${(byPair.size + 1).toString(16).toUpperCase().padStart(6, '0')}`;
      byPair.set(key, c);
      pairs.set(c, [lc, dc]);
    }
    return c;
  };
  const fg = code(light.fg, dark.fg);
  const theme: ThemeRegistrationAny = {
    name: DUAL_THEME,
    type: 'light',
    fg,
    bg: '#000000',
    colors: { 'editor.foreground': fg, 'editor.background': '#000000' },
    settings: l.map((rule, i) => {
      const lf = rule.settings?.foreground;
      const df = d[i]!.settings?.foreground;
      const fontStyle = rule.settings?.fontStyle;
      return {
        ...(rule.scope !== undefined ? { scope: rule.scope } : {}),
        settings: {
          ...(lf && df ? { foreground: code(lf, df) } : {}),
          ...(fontStyle !== undefined ? { fontStyle } : {}),
        },
      };
    }),
  };
  return { theme, pairs };
}

async function load(): Promise<Shiki> {
  const highlighter = await createHighlighter({ themes: Object.values(THEMES), langs: LANGS, engine: createJavaScriptRegexEngine() });
  const dual = dualTheme(highlighter.getTheme(THEMES.light), highlighter.getTheme(THEMES.dark));
  if (!dual) return { highlighter, pairs: undefined };
  await highlighter.loadTheme(dual.theme);
  return { highlighter, pairs: dual.pairs };
}

export async function getHighlighter(): Promise<Highlighter> {
  shiki ??= load();
  return (await shiki).highlighter;
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
  const highlighter = await getHighlighter();
  return highlighter.codeToHast(code, {
    lang: lang ?? 'text',
    themes: THEMES,
    defaultColor: false,
    transformers,
  }) as HastRoot;
}

/** A token with its colour in both themes (undefined for plain text) and Shiki's font-style bits. */
export interface DualToken {
  readonly content: string;
  readonly light: string | undefined;
  readonly dark: string | undefined;
  /** 1 italic, 2 bold, 4 underline, 8 strikethrough. */
  readonly fontStyle: number;
}

/** The tokens of each line of `code` (split at `\n`), in the light and the dark theme. */
export async function tokenizeDual(code: string, lang: string | undefined): Promise<DualToken[][]> {
  const { highlighter, pairs } = await (shiki ??= load());
  if (!lang) return code.split('\n').map((line) => (line ? [{ content: line, light: undefined, dark: undefined, fontStyle: 0 }] : []));
  if (pairs) {
    return highlighter.codeToTokensBase(code, { lang: lang as BundledLanguage, theme: DUAL_THEME as BundledTheme }).map((line) =>
      line.map((t) => {
        const pair = t.color ? pairs.get(t.color.toUpperCase()) : undefined;
        return { content: t.content, light: pair?.[0], dark: pair?.[1], fontStyle: t.fontStyle ?? 0 };
      }),
    );
  }
  return highlighter.codeToTokensWithThemes(code, { lang: lang as BundledLanguage, themes: THEMES }).map((line) =>
    line.map((t) => ({
      content: t.content,
      light: t.variants.light?.color,
      dark: t.variants.dark?.color,
      fontStyle: Math.max(0, t.variants.light?.fontStyle ?? 0),
    })),
  );
}
