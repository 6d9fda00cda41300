/**
 * Helpers for the site tests: build the site for a content/source pair into a folder under
 * test-results/, and serve a built site on 127.0.0.1 (a random port) with plain static-file rules.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'test/site/fixtures');
export const RESULTS = path.join(ROOT, 'test-results');

export interface BuiltSite {
  readonly outDir: string;
  readonly seconds: number;
  readonly log: string;
}

/**
 * The environment without what vitest adds to it (NODE_ENV=test, MODE, DEV=1, PROD, SSR,
 * BASE_URL, VITEST_*): Astro reads those into import.meta.env, which would make the build a
 * development build (no search) or move its base.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST.*|TEST|NODE_ENV|MODE|DEV|PROD|SSR|BASE_URL|SITE|ASSETS_PREFIX)$/.test(key) || key.startsWith('COMPOSE_WIKI_')) delete env[key];
  }
  return env;
}

export function buildSite(opts: { content: string; source: string; outDir: string; env?: Record<string, string> }): BuiltSite {
  const started = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...cleanEnv(),
      ASTRO_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      COMPOSE_WIKI_CONTENT: opts.content,
      COMPOSE_WIKI_SOURCE: opts.source,
      COMPOSE_WIKI_OUT_DIR: opts.outDir,
      COMPOSE_WIKI_CACHE_DIR: path.join(opts.outDir, '..', `${path.basename(opts.outDir)}-cache`),
      ...opts.env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const log = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`astro build failed (exit ${run.status}):\n${log}`);
  return { outDir: opts.outDir, seconds: (performance.now() - started) / 1000, log };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export async function serve(dir: string): Promise<Served> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let p = path.join(dir, decodeURIComponent(url.pathname));
    if (!p.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
      if (!url.pathname.endsWith('/')) {
        res.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
        return;
      }
      p = path.join(p, 'index.html');
    }
    if (!fs.existsSync(p)) {
      res.writeHead(404, { 'Content-Type': TYPES['.html']! });
      res.end(fs.existsSync(path.join(dir, '404.html')) ? fs.readFileSync(path.join(dir, '404.html')) : 'not found');
      return;
    }
    const type = TYPES[path.extname(p)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type });
    fs.createReadStream(p).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
