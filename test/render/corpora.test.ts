/**
 * Pages for the three real corpora: rendering succeeds, every citation resolves, and no literal
 * secret value written in those repositories reaches any page.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import { renderProject } from '../../src/lib/render/index.ts';
import { toMarkdown } from '../../src/lib/merge/index.ts';
import { citationProblems } from './helpers.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const CORPORA = ['andronics__homelab-docker-compose', 'karubits__composeyourself', 'docker__awesome-compose'];
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|_KEY\b|API_?KEY|_PASS\b|PRIVATE/i;

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesOf(full) : [full];
  });
}

/**
 * Literal secret values written in a repository, found by reading its text (independently of
 * the loader): `NAME: value`, `NAME=value` and `- NAME=value` with a secret-like name and a value
 * that is not a `${…}` reference, plus passwords inside URLs.
 */
export function literalSecrets(root: string): string[] {
  const values = new Set<string>();
  for (const file of filesOf(root)) {
    const found = new Set<string>();
    const publicLines: string[] = [];
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      let secretLine = false;
      const assignment = /^\s*(?:-\s*)?(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.+?)\s*$/.exec(line);
      if (assignment && SECRET_NAME.test(assignment[1] ?? '') && !/_FILE$/i.test(assignment[1] ?? '')) {
        secretLine = true;
        const value = (assignment[2] ?? '').replace(/\s+#.*$/, '').replace(/^["']|["']$/g, '');
        if (value.length >= 6 && !value.includes('${') && !value.startsWith('$') && !value.startsWith('#') && !/^(true|false|null|yes|no|undefined,?)$/i.test(value) && !value.startsWith('/')) found.add(value);
      }
      for (const match of line.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/$]{4,})@/gi)) {
        found.add(match[1] as string);
        secretLine = true;
      }
      if (!secretLine) publicLines.push(line);
    }
    // A "password" that is also written as a plain name in the same file (`nextcloud`, `grafana`)
    // cannot be told apart from that name on a page; only values that are secret everywhere count.
    const publicText = publicLines.join('\n');
    for (const value of found) if (!publicText.includes(value)) values.add(value);
  }
  return [...values];
}

describe.each(CORPORA)('pages of the %s corpus', (corpus) => {
  it('render with resolving citations and no literal secret value', async () => {
    const root = path.join(CORPUS, corpus);
    const project = await loadProject(root);
    const pages = renderProject(project, { config: configSchema.parse({}) });
    expect(pages.length).toBeGreaterThan(project.stacks.length);
    const secrets = literalSecrets(root);
    const problems: string[] = [];
    const leaks: string[] = [];
    for (const page of pages) {
      const text = `${JSON.stringify(page.header)}\n${toMarkdown(page.body)}`;
      problems.push(...citationProblems(project, root, text).map((p) => `${page.path}: ${p}`));
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`${page.path}: a literal secret of ${secret.length} characters`);
    }
    expect(problems).toEqual([]);
    expect(leaks).toEqual([]);
  });
});

it('finds the literal secrets the corpora are known to contain', () => {
  // The corpora README warns that some files hold credentials as literals; the scan must see them.
  const all = CORPORA.flatMap((c) => literalSecrets(path.join(CORPUS, c)));
  expect(all.length).toBeGreaterThan(5);
});
