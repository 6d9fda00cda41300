/**
 * The configuration a missing compose-wiki.yaml stands for: what `configSchema.parse({})` gives,
 * written out so that a run without a config file does not load zod (95 modules at every start).
 * test/config/defaults.test.ts holds it equal to the schema's defaults, key order included.
 */
import { DEFAULT_GENERATOR_TAG } from '../wikijs/conventions.ts';
import type { ConfigFile } from './schema.ts';

/** The defaults of every field of compose-wiki.yaml, as a new object at each call (callers may change it). */
export function defaultConfigFile(): ConfigFile {
  return {
    content: 'content',
    header: 'comment',
    tags: ['homelab'],
    ignore: [],
    pages: {
      platform: 'home/Platform/index',
      stacksIndex: 'home/Platform/Stacks/index',
      stack: 'home/Platform/Stacks/{stack}/index',
      service: 'home/Platform/Stacks/{stack}/{service}',
      platformTitle: 'Platform',
      stacksIndexTitle: 'Stacks',
    },
    stacks: {},
    findings: {},
    wikijs: { locale: 'en', prefix: '', generatorTag: DEFAULT_GENERATOR_TAG, concurrency: 4, timeoutSeconds: 30, retries: 4 },
  };
}
