/**
 * Mermaid for the diagrams, served as the package ships it instead of bundled by Vite. Mermaid is
 * larger than the rest of the site's scripts together; bundling it took ~2 s of every cold build
 * (W2: 13 s with it, 11 s without), although its own distribution is already an optimised set of
 * ES modules that load their diagram types on demand. `src/components/Mermaid.astro` imports it
 * from `MERMAID_PATH` under the site's base, only on pages that have a diagram.
 *
 * The integration copies `mermaid.esm.min.mjs` and its chunks (not the source maps) into the
 * built site, and serves the same files from `node_modules` in `astro dev`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { MERMAID_PATH } from './mermaid-path.ts';

const ENTRY = 'mermaid.esm.min.mjs';
const CHUNKS = path.join('chunks', 'mermaid.esm.min');

/** The installed `mermaid/dist` folder. */
function distDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve(`mermaid/dist/${ENTRY}`));
}

/** The files to serve, relative to `mermaid/dist`, `/`-separated: the entry and its chunks. */
export function mermaidFiles(dist = distDir()): string[] {
  const chunks = fs.readdirSync(path.join(dist, CHUNKS)).filter((name) => name.endsWith('.mjs'));
  return [ENTRY, ...chunks.sort().map((name) => `${CHUNKS.split(path.sep).join('/')}/${name}`)];
}

/** Copies Mermaid's modules into a built site (`outDir`), under the folder of `MERMAID_PATH`. */
export function copyMermaid(outDir: string, dist = distDir()): number {
  const target = path.join(outDir, ...path.posix.dirname(MERMAID_PATH).split('/'));
  const files = mermaidFiles(dist);
  for (const file of files) {
    const to = path.join(target, ...file.split('/'));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(dist, ...file.split('/')), to);
  }
  return files.length;
}

/** The Astro integration: copy on build, serve in dev (`dist`: Mermaid's folder, for tests). */
export function mermaidAssets(base: string, dist?: string): AstroIntegration {
  const prefix = `${base.endsWith('/') ? base : `${base}/`}${path.posix.dirname(MERMAID_PATH)}/`;
  return {
    name: 'compose-wiki-mermaid',
    hooks: {
      'astro:server:setup': ({ server }) => {
        const from = dist ?? distDir();
        const served = new Set(mermaidFiles(from));
        server.middlewares.use((req, res, next) => {
          const url = (req.url ?? '').split('?')[0] ?? '';
          const file = url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
          // Only the listed files: nothing else of node_modules is reachable this way.
          if (file === undefined || !served.has(file)) return next();
          res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
          // A file gone since start (the package reinstalled meanwhile) is Vite's error page, not a crash.
          fs.createReadStream(path.join(from, ...file.split('/')))
            .on('error', (error) => next(error))
            .pipe(res);
        });
      },
      'astro:build:done': ({ dir }) => {
        copyMermaid(fileURLToPath(dir), dist);
      },
    },
  };
}
