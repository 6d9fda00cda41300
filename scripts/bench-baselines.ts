/**
 * The baseline Astro projects the site benchmark builds beside the real site, over the same
 * Markdown pages:
 *
 * - **bare Astro**: only `astro` — a `glob()` content collection over the pages and one
 *   `[...slug].astro` route. The floor of any Astro site of these pages.
 * - **bare Starlight**: Starlight with its own Markdown pipeline and Pagefind, the pages copied
 *   into `src/content/docs` with the Wiki.js header turned into front matter (title and
 *   description), and a one-link sidebar (Starlight's generated sidebar would list every page on
 *   every page). What our site costs beyond Starlight itself is the difference to this one.
 *
 * The Starlight baseline is built with the repository as Astro's root and its own config file
 * (`srcDir` pointing into the baseline's folder): Starlight's routes must then be resolved from a
 * `node_modules` inside the root — from a project beside or below the repository, Vite leaves
 * Starlight's `.astro` routes external and the build fails on `astro:` imports.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsePageFile } from '../src/lib/merge/page-file.ts';

const ASTRO_CONFIG = "import { defineConfig } from 'astro/config';\n\nexport default defineConfig({ build: { format: 'directory' }, devToolbar: { enabled: false } });\n";

/** Writes the bare Astro project into `dir` (its `node_modules` linked to `nodeModules`). */
export function bareAstroProject(dir: string, content: string, nodeModules: string): void {
  mkdirSync(path.join(dir, 'src', 'pages'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench-bare-astro", "private": true, "type": "module" }\n');
  writeFileSync(path.join(dir, 'astro.config.mjs'), ASTRO_CONFIG);
  writeFileSync(path.join(dir, 'src', 'content.config.ts'), `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';

export const collections = {
  pages: defineCollection({ loader: glob({ pattern: '**/*.md', base: ${JSON.stringify(content)} }) }),
};
`);
  writeFileSync(path.join(dir, 'src', 'pages', '[...slug].astro'), `---
import { getCollection, render } from 'astro:content';

export async function getStaticPaths() {
  const pages = await getCollection('pages');
  return pages.map((entry) => ({ params: { slug: entry.id || undefined }, props: { entry } }));
}
const { entry } = Astro.props;
const { Content } = await render(entry);
---
<html lang="en">
  <head><meta charset="utf-8" /><title>{entry.id}</title></head>
  <body><main><Content /></main></body>
</html>
`);
  if (!existsSync(path.join(dir, 'node_modules'))) symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
}

/**
 * Writes the bare Starlight baseline into `dir` (inside the repository `root`, see the module
 * comment), replacing what is there. Build it with `root` as Astro's root and
 * `<dir>/astro.config.mjs` as its config file. Returns the number of pages copied.
 */
export function bareStarlightProject(dir: string, content: string, root: string): number {
  rmSync(dir, { recursive: true, force: true });
  const docs = path.join(dir, 'src', 'content', 'docs');
  mkdirSync(docs, { recursive: true });
  mkdirSync(path.join(dir, 'public'), { recursive: true });
  const inRoot = (folder: string) => `./${path.relative(root, path.join(dir, folder)).split(path.sep).join('/')}`;
  writeFileSync(path.join(dir, 'astro.config.mjs'), `import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  srcDir: ${JSON.stringify(inRoot('src'))},
  publicDir: ${JSON.stringify(inRoot('public'))},
  devToolbar: { enabled: false },
  integrations: [starlight({ title: 'bench', sidebar: [{ label: 'Home', link: '/' }] })],
});
`);
  writeFileSync(path.join(dir, 'src', 'content.config.ts'), `import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };
`);
  let pages = 0;
  for (const entry of readdirSync(content, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(content, file);
    if (relative.split(path.sep).some((segment) => segment.startsWith('.'))) continue;
    const { header, body } = parsePageFile(readFileSync(file, 'utf8'));
    const title = typeof header.title === 'string' && header.title !== '' ? header.title : path.basename(file, '.md');
    const description = typeof header.description === 'string' ? header.description : '';
    const target = path.join(docs, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, `---\ntitle: ${JSON.stringify(title)}\ndescription: ${JSON.stringify(description)}\n---\n\n${body}`);
    pages++;
  }
  return pages;
}
