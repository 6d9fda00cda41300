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

const finding = z.object({
  id: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
});

export const collections = {
  docs: defineCollection({
    loader: wikiPagesLoader(settings),
    schema: docsSchema({
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
      }),
    }),
  }),
  // UI strings: the table of contents' link to the page title is "Top" (Starlight says
  // "Overview", which clashes with the service pages' own Overview section).
  i18n: defineCollection({ loader: async () => [{ id: 'en', 'tableOfContents.overview': 'Top' }], schema: i18nSchema() }),
  sources: defineCollection({
    loader: sourceFilesLoader(settings),
    schema: z.object({
      path: z.string(),
      lines: z.number(),
      citedBy: z.array(z.object({ id: z.string(), title: z.string() })),
    }),
  }),
};
