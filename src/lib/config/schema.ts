/**
 * The `compose-wiki.yaml` configuration: where the compose repository and the pages live, how
 * the page tree is laid out, and how findings are judged. Every field has a default, so an
 * operator writes only what differs.
 *
 * Loading this module loads zod: load-config.ts does so only when there is a file to validate, and
 * defaults.ts writes the defaults out for a run without one.
 */
import { z } from 'zod';
import { wikiSettingsSchema } from '../wikijs/settings.ts';

const pathTemplate = z.string().min(1).refine((t) => !t.startsWith('/') && !t.endsWith('/') && !t.includes('//'), {
  message: 'a page path is relative, without a leading or trailing "/" and without "//"',
});

export const findingLevelSchema = z.enum(['error', 'warning', 'off']);

export const configSchema = z.strictObject({
  /** Root of the compose repository, relative to the config file. */
  source: z.string().min(1).optional(),
  /** Folder the pages are written to, relative to the config file. */
  content: z.string().min(1).default('content'),
  /** Header form written to `content/`: the seed's HTML comment, or Wiki.js's `---` block. */
  header: z.enum(['comment', 'frontmatter']).default('comment'),
  /** Tags every generated page carries (besides the stack's name). */
  tags: z.array(z.string().min(1)).default(['homelab']),
  /** Folders below the source not to read as stacks (globs). */
  ignore: z.array(z.string()).default([]),
  pages: z
    .strictObject({
      platform: pathTemplate.default('home/Platform/index'),
      stacksIndex: pathTemplate.default('home/Platform/Stacks/index'),
      /** `{stack}` is the stack's page folder. */
      stack: pathTemplate.default('home/Platform/Stacks/{stack}/index'),
      /** `{stack}`: the stack's page folder; `{service}`: container_name when set, else the service key. */
      service: pathTemplate.default('home/Platform/Stacks/{stack}/{service}'),
      platformTitle: z.string().min(1).default('Platform'),
      stacksIndexTitle: z.string().min(1).default('Stacks'),
    })
    .prefault({}),
  /** Per stack folder: its page folder and human title (`media_serving: {page: media-serving, title: Media Serving}`). */
  stacks: z
    .record(
      z.string(),
      z.strictObject({
        page: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a page folder may contain letters, digits, "-" and "_" only').optional(),
        title: z.string().min(1).optional(),
        description: z.string().optional(),
      }),
    )
    .default({}),
  /** URL template for citations: `{path}`, `{start}`, `{end}` (e.g. a Gitea/Forgejo/GitHub blob URL). */
  sourceUrl: z.string().url().optional(),
  /** Severity of each finding id: error (fails check), warning, off. */
  findings: z.record(z.string(), findingLevelSchema).default({}),
  /** Publishing to Wiki.js: see docs/wikijs.md. */
  wikijs: wikiSettingsSchema.prefault({}),
});

/** A config file's content after validation, defaults applied (paths as written). */
export type ConfigFile = z.infer<typeof configSchema>;

/** The configuration after defaults are applied; paths are absolute. */
export type Config = ConfigFile & { readonly source: string; readonly content: string; readonly file?: string };
export type FindingLevel = z.infer<typeof findingLevelSchema>;
