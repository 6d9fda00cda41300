/**
 * The site's content collections. Starlight's `docs` collection is fed from the content directory
 * by our own loader (not Starlight's glob-based `docsLoader`, which only reads src/content/docs);
 * `sources` holds the compose files that pages cite, for the source viewer.
 */
import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { siteSettings } from './site/config.ts';
import { sourceFilesLoader, wikiPagesLoader } from './site/loaders.ts';

const settings = siteSettings();

/**
 * Starlight's schema is a function of Astro's `image()` helper, which Astro calls again for every
 * entry: that rebuilt Starlight's whole frontmatter schema 1,188 times at W2 (~1.5 s). Our loader
 * passes no file path, so the helper is the same for every entry and the schema can be made once.
 */
function once<C, S>(make: (context: C) => S): (context: C) => S {
  let schema: S | undefined;
  return (context) => (schema ??= make(context));
}

const finding = z.object({
  id: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
});

export const collections = {
  docs: defineCollection({
    loader: wikiPagesLoader(settings),
    schema: once(
      docsSchema({
        extend: z.object({
          // Optional: the source viewer's pages use the same schema through <StarlightPage>.
          wikiPath: z.string().optional(),
          file: z.string().optional(),
          tags: z.array(z.string()).default([]),
          hasMermaid: z.boolean().default(false),
          image: z.string().optional(),
          imageTag: z.string().optional(),
          imageDigest: z.string().optional(),
          findings: z.array(finding).default([]),
          /** The rendered body (src/site/loaders.ts). */
          htmlFile: z.string().optional(),
        }),
      }),
    ),
  }),
  // UI strings: the table of contents' link to the page title is "Top" (Starlight says
  // "Overview", which clashes with the service pages' own Overview section).
  i18n: defineCollection({ loader: async () => [{ id: 'en', 'tableOfContents.overview': 'Top' }], schema: i18nSchema() }),
  sources: defineCollection({
    loader: sourceFilesLoader(settings),
    schema: z.object({
      path: z.string(),
      lines: z.number(),
      /** The token colour classes of the rendered file (src/site/source-viewer.ts). */
      css: z.string(),
      /** The rendered file (src/site/loaders.ts). */
      htmlFile: z.string(),
      citedBy: z.array(z.object({ id: z.string(), title: z.string() })),
    }),
  }),
};
