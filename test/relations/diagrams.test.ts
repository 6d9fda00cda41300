/**
 * The Mermaid diagrams are valid (parsed by Mermaid's own flowchart parser, which needs a DOM:
 * happy-dom provides one) and stay readable: networks are groups, never edges; a stack of 40
 * services keeps a bounded number of groups and edges; user values cannot break out of labels.
 */
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import type { Code } from 'mdast';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/index.ts';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import { buildRelations } from '../../src/lib/relations/index.ts';
import { createRenderContext, renderProject, type Page } from '../../src/lib/render/index.ts';
import { MAX_EDGES, mermaidLabel, stackDiagram } from '../../src/lib/render/diagrams.ts';
import { makeRepo } from '../compose/helpers.ts';

type Parse = (text: string) => Promise<unknown>;
let parse: Parse;

beforeAll(async () => {
  // Mermaid sanitises labels with DOMPurify, which needs a window; the parser itself is Mermaid's.
  const window = new Window();
  Object.assign(globalThis, { window, document: window.document });
  const mermaid = (await import('mermaid')).default;
  parse = (text) => mermaid.parse(text);
});

const EXAMPLE = fileURLToPath(new URL('../../examples/homelab', import.meta.url));
const KARUBITS = fileURLToPath(new URL('../../../shared/corpus/karubits__composeyourself', import.meta.url));

function mermaidBlocks(pages: readonly Page[]): { path: string; text: string }[] {
  return pages.flatMap((page) => page.body.children.filter((n): n is Code => n.type === 'code' && n.lang === 'mermaid').map((n) => ({ path: page.path, text: n.value })));
}

/** Edges of a flowchart: lines with an arrow. */
const edgesOf = (text: string) => text.split('\n').filter((l) => /-->|-\.->/.test(l));
const subgraphsOf = (text: string) => text.split('\n').filter((l) => /^\s*subgraph /.test(l));

describe('Mermaid diagrams', () => {
  it('rejects broken flowcharts (the parser is real)', async () => {
    await expect(parse('flowchart LR\n  a["x"] --> end')).rejects.toThrow();
    await expect(parse('flowchart LR\n  a[" --> b')).rejects.toThrow();
  });

  for (const [name, root] of [['example', EXAMPLE], ['karubits corpus', KARUBITS]] as const) {
    it(`parses every diagram of the ${name}`, async () => {
      const project = await loadProject(root);
      const pages = renderProject(project, { config: configSchema.parse({}), source: root });
      const blocks = mermaidBlocks(pages);
      expect(blocks.length).toBe(project.stacks.length + 1);
      for (const block of blocks) {
        await expect(parse(block.text), block.path).resolves.toBeDefined();
        expect(block.text.startsWith('flowchart LR\n'), block.path).toBe(true);
        expect(edgesOf(block.text).length, block.path).toBeLessThanOrEqual(MAX_EDGES);
      }
    });
  }

  it('escapes user values in labels', async () => {
    const hostile = 'x"] --> evil["<script>alert(1)</script>`#quot;\nend';
    const label = mermaidLabel(hostile);
    expect(label.slice(1, -1)).not.toMatch(/["<>`\n]/);
    await expect(parse(`flowchart LR\n  a[${label}] --> b[${label}]`)).resolves.toBeDefined();
  });

  it('keeps a stack of 40 services readable: networks as groups, bounded edges, stable ids', async () => {
    // 40 services on 3 networks in 4 combinations; 8 share a database, each app talks to its neighbour.
    const services: string[] = [];
    for (let i = 0; i < 40; i++) {
      const nets = i < 2 ? ['front', 'back', 'data'] : i % 3 === 0 ? ['front', 'back'] : i % 3 === 1 ? ['back'] : ['back', 'data'];
      const env = i >= 2 ? `    environment:\n      UPSTREAM_URL: http://app${(i + 1) % 40}:8080\n${i % 5 === 0 ? '      DB_HOST: app0\n      DB_USER: user' + i + '\n' : ''}` : '';
      const deps = i > 2 && i % 4 === 0 ? `    depends_on:\n      - app1\n` : '';
      services.push(`  app${i}:\n    image: example/app${i % 7}:1.${i % 3}\n${env}${deps}    networks: [${nets.join(', ')}]\n    labels:\n      homepage.description: "App <b>${i}</b> \\"quoted\\""`);
    }
    const root = makeRepo({ 'big/compose.yml': `services:\n${services.join('\n')}\nnetworks:\n  front:\n  back:\n  data:\n` });
    const project = await loadProject(root);
    const stack = project.stacks[0];
    if (!stack) throw new Error('no stack');
    expect(stack.services).toHaveLength(40);
    const ctx = createRenderContext(project, { config: configSchema.parse({}), relations: buildRelations(project, loadCatalog()) });
    const diagram = stackDiagram(ctx, stack);
    await expect(parse(diagram.text)).resolves.toBeDefined();
    expect(diagram.nodes).toBe(40);
    // One group per distinct set of networks (4 here), not one per network membership.
    expect(subgraphsOf(diagram.text)).toHaveLength(4);
    expect(diagram.groups).toBe(4);
    // Edges are relations only (no network edges): at most one per ordered pair, and few per service.
    const edges = edgesOf(diagram.text);
    expect(edges.length).toBe(diagram.edges);
    expect(edges.length).toBeLessThanOrEqual(2 * 40);
    expect(new Set(edges.map((e) => e.replace(/\|[^|]*\|/, ''))).size).toBe(edges.length);
    for (const network of ['front', 'back', 'data']) expect(edges.some((e) => e.includes(network))).toBe(false);
    // Same input, same text (ids derive from names).
    expect(stackDiagram(ctx, stack).text).toBe(diagram.text);
  });
});
