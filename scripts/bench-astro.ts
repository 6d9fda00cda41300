/**
 * One cold Astro build for the benchmark, in its own process: `root` is the Astro project (the
 * compose-wiki repository for the real site, a temporary project for the bare baseline); the
 * output and Vite/content caches go to the given folders so that a benchmark never touches
 * `dist/` or the caches of the project (and never races another build in the same checkout).
 *
 *   node scripts/bench-astro.ts --root DIR --out DIR --cache DIR [--config FILE]
 *
 * Prints one JSON line: the pages built (index.html files) and the build's own duration.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { root: { type: 'string' }, out: { type: 'string' }, cache: { type: 'string' }, config: { type: 'string' } },
  strict: true,
});
if (!values.root || !values.out || !values.cache) {
  process.stderr.write('usage: node scripts/bench-astro.ts --root DIR --out DIR --cache DIR\n');
  process.exit(2);
}
process.env.ASTRO_TELEMETRY_DISABLED = '1';
// As scripts/site-build.ts: any other NODE_ENV makes Astro build a development site.
process.env.NODE_ENV = 'production';
const root = path.resolve(values.root);
const outDir = path.resolve(values.out);
process.chdir(root);

const started = performance.now();
const { build } = await import('astro');
// Astro joins `configFile` to the root, so it is given relative to it.
const configFile = values.config ? { configFile: path.relative(root, path.resolve(values.config)) } : {};
await build({ root, outDir, cacheDir: path.resolve(values.cache), logLevel: 'error', ...configFile });
const ms = Math.round(performance.now() - started);

let pages = 0;
for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
  if (entry.isFile() && entry.name === 'index.html') pages++;
}
process.stdout.write(`${JSON.stringify({ pages, ms })}\n`);
