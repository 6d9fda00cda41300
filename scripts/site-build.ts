// `npm run build`: brings the pages up to date (when the compose-wiki CLI has a `generate`
// command and the pages are the project's own content/), builds the static site with Astro, and
// fails when the built site has a broken internal link.
//
//   npm run build                      generate + build + link check
//   npm run build -- --no-generate     build the pages as they are
//   COMPOSE_WIKI_CONTENT=… npm run build   build other pages (never generated here)
//
// Exit codes: 0 built, 1 broken links or a failed build, 2 usage error.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLinks } from '../src/site/check-links.ts';
import { siteSettings } from '../src/site/config.ts';
import { scanContent } from '../src/site/content-tree.ts';

process.env.ASTRO_TELEMETRY_DISABLED ??= '1';
// Any other NODE_ENV (a shell's `development`, vitest's `test`) makes Astro build a development
// site, without search.
process.env.NODE_ENV = 'production';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--no-generate');
if (unknown.length) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}\nUsage: npm run build [-- --no-generate]`);
  process.exit(2);
}

const settings = siteSettings();
const cli = path.join(root, 'bin', 'compose-wiki.js');

function generate(): void {
  if (args.includes('--no-generate')) return;
  if (process.env.COMPOSE_WIKI_CONTENT?.trim()) {
    console.log(`Building the pages in ${settings.contentDir} as they are (COMPOSE_WIKI_CONTENT is set).`);
    return;
  }
  const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  if (help.status !== 0) {
    console.warn(`compose-wiki --help failed (exit ${help.status}): building the pages in content/ as they are.`);
    return;
  }
  if (!/^\s+generate\b/m.test(`${help.stdout}`)) {
    console.log('compose-wiki has no `generate` command yet: building the pages in content/ as they are.');
    return;
  }
  console.log('Bringing the pages up to date: compose-wiki generate');
  const run = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit' });
  if (run.status === 1) console.warn('compose-wiki generate reported findings (exit 1); building the site anyway.');
  else if (run.status !== 0) process.exit(run.status ?? 1);
}

generate();

if (scanContent(settings.contentDir).length === 0) {
  console.error(`No pages in ${settings.contentDir}: run \`compose-wiki generate\` first, or point COMPOSE_WIKI_CONTENT at a page tree.`);
  process.exit(1);
}

const started = performance.now();
const { build } = await import('astro');
try {
  await build({ root });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const links = checkLinks(settings.outDir, settings.base);
for (const b of links.broken) console.error(`broken link on ${b.page}: ${b.href} (${b.reason})`);
console.log(`Checked ${links.links} internal links on ${links.pages} pages: ${links.broken.length} broken.`);
if (links.broken.length) process.exit(1);

console.log(`Site built in ${seconds}s: ${path.relative(root, settings.outDir) || '.'}/`);
console.log('Preview it with: npm run preview');
