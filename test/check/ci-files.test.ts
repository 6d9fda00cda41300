/** The CI integration files: the pre-commit hook and the workflow run `compose-wiki check`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (file: string) => parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as unknown;

describe('CI integration files', () => {
  it('.pre-commit-hooks.yaml declares the compose-wiki-check hook (node)', () => {
    const hooks = read('.pre-commit-hooks.yaml') as Array<Record<string, unknown>>;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ id: 'compose-wiki-check', entry: 'compose-wiki check', language: 'node', pass_filenames: false });
    const files = new RegExp(hooks[0]!.files as string);
    for (const path of ['authentik/compose.yml', 'monitoring/exporters.yml', 'tools/mealie.env', 'authentik/.env.example', 'compose-wiki.yaml', 'content/home/Platform/index.md']) expect(files.test(path), path).toBe(true);
    expect(files.test('README')).toBe(false);
    // The entry is the package's own bin.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain('compose-wiki');
  });

  it('docs/workflows/compose-wiki.yml runs check with annotations on pull requests', () => {
    const workflow = read('docs/workflows/compose-wiki.yml') as { on: Record<string, unknown>; jobs: Record<string, { 'runs-on': string; steps: Array<Record<string, unknown>> }> };
    expect(Object.keys(workflow.on)).toContain('pull_request');
    const steps = workflow.jobs.check!.steps;
    expect(steps.some((s) => s.uses === 'actions/checkout@v4')).toBe(true);
    expect(steps.some((s) => s.uses === 'actions/setup-node@v4' && (s.with as { 'node-version': number })['node-version'] >= 22)).toBe(true);
    expect(steps.some((s) => s.run === 'npx compose-wiki check --format github')).toBe(true);
  });
});
