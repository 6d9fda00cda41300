/** generate leaves the findings of each service page beside the pages, for the site's badges. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/index.ts';
import { generateProject, SIDECAR_DIR } from '../../src/lib/pipeline/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), 'cw-sidecar-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('puts version skew on both services, the literal secret on its service, at the configured level', async () => {
  const config = { ...loadConfig(path.join(ROOT, 'compose-wiki.yaml'), { cwd: ROOT, defaultSource: '' }), content: work };
  await generateProject(config, { SOURCE_DATE_EPOCH: '1767225600' });
  const file = path.join(work, SIDECAR_DIR, 'findings.json');
  const findings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { id: string; severity: string; message: string }[]>;
  const ids = (page: string) => (findings[`home/Platform/Stacks/${page}`] ?? []).map((f) => f.id);
  expect(ids('authentik/authentik-worker')).toContain('version-skew');
  expect(ids('authentik/authentik-server')).toContain('version-skew');
  const secret = findings['home/Platform/Stacks/tools/stirling-pdf']?.find((f) => f.id === 'literal-secret');
  expect(secret?.severity).toBe('warning'); // compose-wiki.yaml lowers it for the example
  expect(readFileSync(file, 'utf8')).not.toContain('changeme-literal-demo');
  const mtime = statSync(file).mtimeMs;
  await generateProject(config, { SOURCE_DATE_EPOCH: '1767225600' });
  expect(statSync(file).mtimeMs).toBe(mtime);
});
