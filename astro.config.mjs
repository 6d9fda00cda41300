// @ts-check
// The static docs site: Starlight over the generated pages in content/ (see src/site/ and
// src/content.config.ts). Settings come from the environment (src/site/config.ts):
// COMPOSE_WIKI_CONTENT, COMPOSE_WIKI_SOURCE, COMPOSE_WIKI_FORGE_URL, COMPOSE_WIKI_OUT_DIR,
// COMPOSE_WIKI_BASE, COMPOSE_WIKI_SITE_TITLE, COMPOSE_WIKI_SITE_URL, COMPOSE_WIKI_CACHE_DIR,
// COMPOSE_WIKI_SIDEBAR_LIMIT.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { pageUrl, siteSettings } from './src/site/config.ts';
import { buildSidebar, homePage, readFindings, scanContent } from './src/site/content-tree.ts';
import { mermaidAssets } from './src/site/mermaid-assets.ts';


const settings = siteSettings();
const pages = scanContent(settings.contentDir);
const home = homePage(pages);

export default defineConfig({
  ...(settings.siteUrl ? { site: settings.siteUrl } : {}),
  outDir: settings.outDir,
  // Astro's content cache; a separate one lets a test build other pages beside a normal build.
  ...(process.env.COMPOSE_WIKI_CACHE_DIR ? { cacheDir: process.env.COMPOSE_WIKI_CACHE_DIR } : {}),
  base: settings.base,
  trailingSlash: 'ignore',
  // Three pages at a time: while one page's file is written, the next renders (W2, 3 alternating
  // cold builds: 0.15-0.47 s faster than one at a time).
  build: { format: 'directory', concurrency: 3 },
  // The site opens on the platform overview, whose URL is its wiki path.
  redirects: home && home.id !== '' ? { '/': pageUrl(settings.base, home.id) } : {},
  devToolbar: { enabled: false },
  integrations: [
    // Mermaid as the package ships it: copied into the site, not bundled (src/site/mermaid-assets.ts).
    mermaidAssets(settings.base),
    starlight({
      title: settings.title,
      // Pages are rendered by our loader (src/site/markdown.ts), not by Expressive Code.
      expressiveCode: false,
      sidebar: buildSidebar(pages, readFindings(settings.contentDir)),
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
      pagination: false,
      // src/pages/404.astro (Starlight's own 404 route wants a `404` page in the docs collection).
      disable404Route: true,
      components: {
        PageTitle: './src/components/PageTitle.astro',
        MarkdownContent: './src/components/MarkdownContent.astro',
      },
      customCss: ['./src/components/site.css'],
      // Big homelabs: only the current stack's services in the sidebar (src/site/route-middleware.ts).
      routeMiddleware: './src/site/route-middleware.ts',
    }),
  ],
});
