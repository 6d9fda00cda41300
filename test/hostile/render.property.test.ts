/**
 * Property (issue 9): random mutations of the example's compose files never crash the loader or
 * the renderer; every rendered page re-parses into the same section structure (no value can break
 * a table, a list or open an HTML comment); no generated citation fails validation.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Root } from 'mdast';
import { afterAll, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import { fromMarkdown, toMarkdown } from '../../src/lib/merge/index.ts';
import { renderProject } from '../../src/lib/render/index.ts';
import { citationProblems } from '../render/helpers.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));
const STACKS = readdirSync(EXAMPLE, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'common').map((d) => d.name);
/** Text a value may carry that would break Markdown made by concatenation. */
const NASTY = ['|', '`', '```', '【F:x†L1-L2】', '†', '-->', '<!--', '<script>alert(1)</script>', '\\n', '* ', '# ', '[x](javascript:alert(1))', '&lt;', '\u202e', '   '];

type Mutation = { line: number; kind: 'delete' | 'duplicate' } | { line: number; kind: 'inject'; text: string; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ line: fc.nat(400), kind: fc.constantFrom('delete' as const, 'duplicate' as const) }),
  fc.record({ line: fc.nat(400), kind: fc.constant('inject' as const), text: fc.constantFrom(...NASTY), at: fc.nat(60) }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const m of mutations) {
    const index = m.line % lines.length;
    const line = lines[index] ?? '';
    if (m.kind !== 'inject') {
      if (m.kind === 'delete') lines.splice(index, 1);
      else lines.splice(index, 0, line);
    } else {
      // Inject into the value part of a `key: value` line so that the YAML usually stays valid.
      const colon = line.indexOf(': ');
      const at = colon >= 0 ? colon + 2 + (m.at % Math.max(1, line.length - colon - 1)) : m.at % (line.length + 1);
      lines[index] = line.slice(0, at) + m.text + line.slice(at);
    }
  }
  return lines.join('\n');
}

const h2 = (root: Root) => root.children.filter((n) => n.type === 'heading' && n.depth === 2).map((n) => toMarkdown({ type: 'root', children: [n] }).trim());
const shape = (root: Root) => root.children.map((n) => (n.type === 'heading' ? `h${n.depth}` : n.type === 'table' ? `table${n.children.length}x${n.children[0]?.children.length}` : n.type === 'list' ? `list${n.children.length}` : n.type));

function htmlNodes(node: { type: string; value?: unknown; children?: unknown[] }): string[] {
  if (node.type === 'html') return [String(node.value)];
  return (node.children ?? []).flatMap((child) => htmlNodes(child as { type: string }));
}

const work = mkdtempSync(path.join(os.tmpdir(), 'cw-render-prop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('mutated example stacks load, render and re-parse into the same structure', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...STACKS), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (stack, mutations) => {
      const root = path.join(work, `run${run++}`);
      cpSync(path.join(EXAMPLE, stack), path.join(root, stack), { recursive: true });
      cpSync(path.join(EXAMPLE, 'common'), path.join(root, 'common'), { recursive: true });
      const file = path.join(root, stack, 'compose.yml');
      writeFileSync(file, mutate(readFileSync(file, 'utf8'), mutations));
      const project = await loadProject(root);
      const pages = renderProject(project, { config: configSchema.parse({}), source: root });
      for (const page of pages) {
        const markdown = toMarkdown(page.body);
        const reparsed = fromMarkdown(markdown);
        expect(h2(reparsed), page.path).toEqual(h2(page.body));
        expect(shape(reparsed), page.path).toEqual(shape(page.body));
        // The generator never writes raw HTML, so none may appear when the page is read back
        // (a value holding `<!--` or `<script>` must stay text or code).
        expect(htmlNodes(reparsed), `${page.path} reads back with raw HTML`).toEqual([]);
        expect(citationProblems(project, root, markdown), page.path).toEqual([]);
      }
      rmSync(root, { recursive: true, force: true });
    }),
    { numRuns: Number(process.env.RENDER_PROPERTY_RUNS ?? 60), seed: Number(process.env.PROPERTY_SEED ?? 9), endOnFailure: true },
  );
}, 300_000);
