/**
 * remark (unified + remark-parse / remark-gfm / remark-stringify) configured as markdown-options.ts
 * says, loaded on first use: the parser and micromark alone are ~150 modules, and a `generate` or
 * `check` whose pages are what the generator writes needs neither (the fast writer writes them).
 * A tree the fast writer declines and the escaping rules' live check load the writing half; the
 * parser loads only where satteri cannot (markdown-parse.ts) and in tests, as the reference.
 * Loaded with `require` (Node loads these ESM packages synchronously) because its callers, such
 * as `mergePage`, are synchronous.
 */
import { createRequire } from 'node:module';
import type { Root } from 'mdast';
import type RemarkGfm from 'remark-gfm';
import type RemarkParse from 'remark-parse';
import type RemarkStringify from 'remark-stringify';
import type { unified as Unified } from 'unified';
import { GFM_OPTIONS, STRINGIFY_OPTIONS, type Handle } from './markdown-options.ts';
import type { WriterSetup } from './write-markdown.ts';

const require = createRequire(import.meta.url);

interface Remark {
  readonly unified: typeof Unified;
  readonly remarkGfm: typeof RemarkGfm;
  readonly remarkStringify: typeof RemarkStringify;
}

let packages: Remark | undefined;
/** The packages writing Markdown, required at the first call (the parser only when asked for). */
function load(): Remark {
  packages ??= {
    unified: (require('unified') as { unified: typeof Unified }).unified,
    remarkGfm: (require('remark-gfm') as { default: typeof RemarkGfm }).default,
    remarkStringify: (require('remark-stringify') as { default: typeof RemarkStringify }).default,
  };
  return packages;
}

function build() {
  const { unified, remarkGfm, remarkStringify } = load();
  const remarkParse = (require('remark-parse') as { default: typeof RemarkParse }).default;
  return unified().use(remarkParse).use(remarkGfm, GFM_OPTIONS).use(remarkStringify, STRINGIFY_OPTIONS).freeze();
}

function buildWriter() {
  const { unified, remarkGfm, remarkStringify } = load();
  return unified().use(remarkGfm, GFM_OPTIONS).use(remarkStringify, STRINGIFY_OPTIONS).freeze();
}

let processor: ReturnType<typeof build> | undefined;
/** The frozen processor: `parse` for Markdown → mdast with positions, `stringify` for mdast → Markdown. */
export function remark(): ReturnType<typeof build> {
  return (processor ??= build());
}

let writer: ReturnType<typeof buildWriter> | undefined;
/**
 * The same processor without the parser, for `stringify` only: pages are parsed by satteri
 * (markdown-parse.ts), so writing a tree the fast writer declines need not load micromark.
 */
export function remarkWriter(): ReturnType<typeof buildWriter> {
  return (writer ??= buildWriter());
}

/**
 * What the fast writer needs to escape exactly like remark, read from a live serialiser configured
 * as `remark()` by a probe handler: its unsafe patterns, pattern compiler and options. The
 * committed snapshot of it (markdown-rules.ts) spares loading remark for this at every start.
 */
export function remarkWriterSetup(): WriterSetup {
  const { unified, remarkGfm, remarkStringify } = load();
  let setup: WriterSetup | undefined;
  const probe: Handle = (_node, _parent, state) => {
    setup = { unsafe: state.unsafe, compilePattern: state.compilePattern, options: { ...state.options, tableCellPadding: GFM_OPTIONS.tableCellPadding } };
    return '';
  };
  const handlers = { ...STRINGIFY_OPTIONS.handlers, probe } as NonNullable<typeof STRINGIFY_OPTIONS.handlers>;
  unified().use(remarkGfm, GFM_OPTIONS).use(remarkStringify, { ...STRINGIFY_OPTIONS, handlers })
    .stringify({ type: 'root', children: [{ type: 'probe' }] } as unknown as Root);
  if (!setup) throw new Error('remark-stringify did not call the probe handler');
  return setup;
}
