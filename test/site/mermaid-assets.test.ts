/** Mermaid served as the package ships it: what is copied into the site, and what `astro dev` serves. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { copyMermaid, mermaidAssets, mermaidFiles } from '../../src/site/mermaid-assets.ts';
import { MERMAID_PATH } from '../../src/site/mermaid-path.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Every module specifier a copied module imports (static `from "…"`, bare `import "…"`, dynamic `import("…")`). */
function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1] as string);
}

describe('mermaidAssets', () => {
  it('copies the entry module and every module it can load, and nothing else', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-mermaid-'));
    dirs.push(out);
    const count = copyMermaid(out);
    const root = path.join(out, ...path.posix.dirname(MERMAID_PATH).split('/'));
    const copied = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile());
    expect(copied).toHaveLength(count);
    expect(copied.every((f) => f.endsWith('.mjs'))).toBe(true); // no source maps
    expect(fs.existsSync(path.join(out, ...MERMAID_PATH.split('/')))).toBe(true);
    // Walk the import graph from the entry: every module it reaches was copied.
    const seen = new Set<string>();
    const queue = [path.join(out, ...MERMAID_PATH.split('/'))];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of importsOf(fs.readFileSync(file, 'utf8'))) {
        const target = path.resolve(path.dirname(file), specifier);
        expect(fs.existsSync(target), `${path.relative(out, file)} imports ${specifier}`).toBe(true);
        queue.push(target);
      }
    }
    expect(seen.size).toBeGreaterThan(20); // the diagram types are separate chunks
  });

  it('serves exactly those files in astro dev, below the base URL', async () => {
    let handler: ((req: { url?: string }, res: unknown, next: (error?: unknown) => void) => void) | undefined;
    const server = { middlewares: { use: (fn: typeof handler) => (handler = fn) } };
    const setup = mermaidAssets('/docs/').hooks['astro:server:setup'] as unknown as (options: { server: typeof server }) => void;
    setup({ server });
    const request = async (url: string) => {
      const res = new PassThrough() as PassThrough & { headers: Record<string, string>; setHeader(k: string, v: string): void };
      res.headers = {};
      res.setHeader = (k, v) => (res.headers[k] = v);
      let passed = false;
      handler?.({ url }, res, () => (passed = true));
      if (passed) return { passed, body: '', type: undefined };
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return { passed, body: Buffer.concat(chunks).toString('utf8'), type: res.headers['Content-Type'] };
    };
    const entry = await request(`/docs/${MERMAID_PATH}?v=1`);
    expect(entry.passed).toBe(false);
    expect(entry.type).toMatch(/^text\/javascript/);
    expect(entry.body).toContain('./chunks/mermaid.esm.min/');
    const chunk = mermaidFiles().find((f) => f.startsWith('chunks/')) as string;
    expect((await request(`/docs/_cw/mermaid/${chunk}`)).passed).toBe(false);
    // Anything else goes on to Astro: other files of the package, paths that climb out, other bases.
    expect((await request('/docs/_cw/mermaid/mermaid.core.mjs')).passed).toBe(true);
    expect((await request('/docs/_cw/mermaid/../../package.json')).passed).toBe(true);
    expect((await request(`/${MERMAID_PATH}`)).passed).toBe(true);
  });

  it('hands a file that disappeared while the dev server runs to the next handler as an error', async () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-mermaid-dist-'));
    dirs.push(dist);
    fs.mkdirSync(path.join(dist, 'chunks', 'mermaid.esm.min'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'mermaid.esm.min.mjs'), 'export default {};\n');
    fs.writeFileSync(path.join(dist, 'chunks', 'mermaid.esm.min', 'a.mjs'), 'export const a = 1;\n');
    let handler: ((req: { url?: string }, res: unknown, next: (error?: unknown) => void) => void) | undefined;
    const server = { middlewares: { use: (fn: typeof handler) => (handler = fn) } };
    (mermaidAssets('/', dist).hooks['astro:server:setup'] as unknown as (options: { server: typeof server }) => void)({ server });
    fs.rmSync(path.join(dist, 'chunks', 'mermaid.esm.min', 'a.mjs'));
    const res = Object.assign(new PassThrough(), { setHeader: () => undefined });
    const error = await new Promise((resolve) => handler?.({ url: '/_cw/mermaid/chunks/mermaid.esm.min/a.mjs' }, res, resolve));
    expect(error).toMatchObject({ code: 'ENOENT' });
  });
});
