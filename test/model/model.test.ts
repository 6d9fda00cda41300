/** The project model as consumers receive it: immutable, plain JSON, stable, summarised readably. */
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../src/lib/model/freeze.ts';
import { formatDiagnostic, summariseProject } from '../../src/lib/model/summary.ts';
import { loadRepo } from '../compose/helpers.ts';

const files = {
  'b/compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    container_name: web\n  api:\n    build: ./api\n',
  'a/compose.yml': 'services:\n  db:\n    image: postgres:16\n    imagee: typo\n',
};

describe('the project model', () => {
  it('is deeply frozen', async () => {
    const project = await loadRepo(files);
    expect(Object.isFrozen(project)).toBe(true);
    expect(Object.isFrozen(project.stacks[0]?.services[0]?.range)).toBe(true);
    expect(() => (project.stacks as unknown as unknown[]).push({})).toThrow();
  });

  it('is plain data: a JSON round trip gives the same model', async () => {
    const project = await loadRepo(files);
    expect(JSON.parse(JSON.stringify(project))).toEqual(project);
  });

  it('orders stacks by folder, services as declared, diagnostics by place', async () => {
    const project = await loadRepo(files);
    expect(project.stacks.map((s) => s.id)).toEqual(['a', 'b']);
    expect(project.stacks[1]?.services.map((s) => s.name)).toEqual(['web', 'api']);
    expect(project.files.map((f) => f.path)).toEqual(['a/compose.yml', 'b/compose.yml']);
  });

  it('deepFreeze returns its argument and leaves primitives alone', () => {
    const value = { a: [1, { b: 2 }] };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a[1])).toBe(true);
    expect(deepFreeze(3)).toBe(3);
  });
});

describe('summary and diagnostics', () => {
  it('summarises stacks and services with their ranges', async () => {
    const project = await loadRepo(files);
    const text = summariseProject(project);
    expect(text).toMatch(/^compose-wiki-test-\w+: 2 stacks, 3 services, 1 diagnostics\n/);
    expect(text).toContain('  web [web]  nginx:1.27  (b/compose.yml:2-4)');
    expect(text).toContain('  api  build ./api  (b/compose.yml:5-6)');
  });

  it('formats a diagnostic as file:line:column, or the file alone for whole-file problems', () => {
    expect(formatDiagnostic({ severity: 'error', file: 'a/compose.yml', line: 3, column: 7, code: 'yaml-syntax', message: 'bad' })).toBe('a/compose.yml:3:7: error yaml-syntax: bad');
    expect(formatDiagnostic({ severity: 'error', file: 'a/compose.yml', line: 0, column: 0, code: 'file-too-large', message: 'big' })).toBe('a/compose.yml: error file-too-large: big');
  });
});
