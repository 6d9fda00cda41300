/**
 * Golden pages of the bundled example, rendered with the repository's compose-wiki.yaml: a
 * service page, a stack page, the stacks index and the platform overview. The golden files are
 * reviewed by reading them; regenerate with UPDATE_GOLDEN=1 only after reading the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import { loadConfig } from '../../src/lib/config/index.ts';
import { serializePageFile, toMarkdown } from '../../src/lib/merge/index.ts';
import { renderProject } from '../../src/lib/render/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));
const CASES = {
  'service-authentik-server.md': 'home/Platform/Stacks/authentik/authentik-server',
  'stack-authentik.md': 'home/Platform/Stacks/authentik/index',
  'stacks-index.md': 'home/Platform/Stacks/index',
  'platform.md': 'home/Platform/index',
} as const;

describe('golden pages of the example', async () => {
  const config = loadConfig(`${ROOT}compose-wiki.yaml`, { cwd: ROOT, defaultSource: `${ROOT}examples/homelab` });
  const project = await loadProject(config.source);
  const pages = renderProject(project, { config, source: config.source });
  for (const [file, pagePath] of Object.entries(CASES)) {
    it(`${pagePath} matches test/golden/${file}`, () => {
      const page = pages.find((p) => p.path === pagePath);
      expect(page, pagePath).toBeDefined();
      // Dates come from the merge step; the golden file pins everything else.
      const text = serializePageFile({ ...page!.header, date: '2026-01-01T00:00:00.000Z', dateCreated: '2026-01-01T00:00:00.000Z' }, toMarkdown(page!.body), 'comment');
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(`${GOLDEN}${file}`)) writeFileSync(`${GOLDEN}${file}`, text);
      expect(text).toBe(readFileSync(`${GOLDEN}${file}`, 'utf8'));
    });
  }
});
