/**
 * Top-level `include` (Compose Specification, include): each listed file (short syntax, or long
 * syntax with `path` as a string or list) is loaded relative to the including file and its services
 * become part of the stack; a missing file, a cycle, a path leaving the repository and a service
 * defined both by a file and by a file it includes are diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { lines, loadRepo, service } from './helpers.ts';

describe('include', () => {
  const cases: Array<{ name: string; files: Record<string, string>; services: string[]; files_: string[] }> = [
    {
      name: 'short syntax, relative to the including file',
      files: {
        'app/compose.yml': 'include:\n  - db/compose.yml\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n',
        'app/db/compose.yml': 'services:\n  db:\n    image: postgres:16\n',
      },
      services: ['web', 'db'],
      files_: ['app/compose.yml', 'app/db/compose.yml'],
    },
    {
      name: 'long syntax with path',
      files: {
        'app/compose.yml': 'include:\n  - path: ./parts/cache.yml\nservices:\n  web:\n    image: nginx\n',
        'app/parts/cache.yml': 'services:\n  cache:\n    image: redis:7\n',
      },
      services: ['web', 'cache'],
      files_: ['app/compose.yml', 'app/parts/cache.yml'],
    },
    {
      name: 'long syntax with a list of paths (the later file overrides the earlier)',
      files: {
        'app/compose.yml': 'include:\n  - path:\n      - parts/a.yml\n      - parts/a.override.yml\nservices:\n  web:\n    image: nginx\n',
        'app/parts/a.yml': 'services:\n  a:\n    image: a:1\n',
        'app/parts/a.override.yml': 'services:\n  a:\n    image: a:2\n',
      },
      services: ['web', 'a'],
      files_: ['app/compose.yml', 'app/parts/a.yml', 'app/parts/a.override.yml'],
    },
    {
      name: 'nested includes, and a file included twice is read once',
      files: {
        'app/compose.yml': 'include:\n  - one.yml\n  - two.yml\nservices:\n  web:\n    image: nginx\n',
        'app/one.yml': 'include:\n  - common.yml\nservices:\n  one:\n    image: one\n',
        'app/two.yml': 'include:\n  - common.yml\nservices:\n  two:\n    image: two\n',
        'app/common.yml': 'services:\n  common:\n    image: common\n',
      },
      services: ['web', 'common', 'one', 'two'],
      files_: ['app/compose.yml', 'app/common.yml', 'app/one.yml', 'app/two.yml'],
    },
  ];
  it.each(cases)('$name', async (c) => {
    const project = await loadRepo(c.files);
    expect(project.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(project.stacks.map((s) => s.id)).toEqual(['app']);
    expect(project.stacks[0]?.services.map((s) => s.name)).toEqual(c.services);
    expect([...(project.stacks[0]?.files ?? [])].sort()).toEqual([...c.files_].sort());
  });

  it('cites included services in the included file', async () => {
    const project = await loadRepo(cases[0]?.files ?? {});
    const db = service(project, 'db');
    expect(lines(db.range)).toBe('app/db/compose.yml:2-3');
    expect(lines(db.image?.range ?? db.range)).toBe('app/db/compose.yml:3-3');
  });

  it('does not take an included compose.yml in a subfolder as a stack of its own', async () => {
    const project = await loadRepo(cases[0]?.files ?? {});
    expect(project.stacks.map((s) => s.id)).not.toContain('app/db');
  });

  // [name, files, code, file, line, column]
  const problems: Array<[string, Record<string, string>, string, string, number, number]> = [
    ['a missing target', { 'app/compose.yml': 'include:\n  - nope.yml\nservices:\n  web:\n    image: x\n' }, 'compose-include-missing', 'app/compose.yml', 2, 5],
    ['a missing target in long syntax', { 'app/compose.yml': 'include:\n  - path: ./nope.yml\nservices:\n  web:\n    image: x\n' }, 'compose-include-missing', 'app/compose.yml', 2, 11],
    ['a file including itself', { 'app/compose.yml': 'include:\n  - compose.yml\nservices:\n  web:\n    image: x\n' }, 'compose-include-cycle', 'app/compose.yml', 2, 5],
    ['a cycle through another file', {
      'app/compose.yml': 'include:\n  - other.yml\nservices:\n  web:\n    image: x\n',
      'app/other.yml': 'include:\n  - compose.yml\nservices:\n  other:\n    image: y\n',
    }, 'compose-include-cycle', 'app/other.yml', 2, 5],
    ['a path leaving the repository', { 'app/compose.yml': 'include:\n  - ../../outside.yml\nservices:\n  web:\n    image: x\n' }, 'compose-include-outside', 'app/compose.yml', 2, 5],
    ['an absolute path', { 'app/compose.yml': 'include:\n  - /etc/compose.yml\nservices:\n  web:\n    image: x\n' }, 'compose-include-outside', 'app/compose.yml', 2, 5],
    ['include that is not a list', { 'app/compose.yml': 'include: other.yml\nservices:\n  web:\n    image: x\n' }, 'compose-type', 'app/compose.yml', 1, 10],
    ['a long-syntax entry without path', { 'app/compose.yml': 'include:\n  - project_directory: .\nservices:\n  web:\n    image: x\n' }, 'compose-include', 'app/compose.yml', 2, 5],
    ['a service defined by the file and by a file it includes', {
      'app/compose.yml': 'include:\n  - db.yml\nservices:\n  db:\n    image: mine\n',
      'app/db.yml': 'services:\n  db:\n    image: postgres\n',
    }, 'compose-include-conflict', 'app/compose.yml', 4, 3],
    ['an included file that is invalid YAML', {
      'app/compose.yml': 'include:\n  - bad.yml\nservices:\n  web:\n    image: x\n',
      'app/bad.yml': 'services:\n  db:\n    image: "unclosed\n',
    }, 'compose-include-unreadable', 'app/compose.yml', 2, 5],
  ];
  it.each(problems)('reports %s', async (_name, files, code, file, line, column) => {
    const project = await loadRepo(files);
    const found = project.diagnostics.find((d) => d.code === code);
    expect(found, JSON.stringify(project.diagnostics)).toMatchObject({ severity: 'error', file, line, column });
    // The stack itself is still documented.
    expect(project.stacks.map((s) => s.id)).toEqual(['app']);
    expect(project.stacks[0]?.services.map((s) => s.name)).toContain(file === 'app/compose.yml' && code === 'compose-include-conflict' ? 'db' : 'web');
  });
});
