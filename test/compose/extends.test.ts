/**
 * `extends` (Compose Specification, services › extends): a service takes a base service's
 * configuration from the same file, or from `file:`, and overrides it (single values replaced,
 * environment merged by name, ports/volumes merged), chains are followed, and cycles, missing
 * files and unknown services are diagnostics. Like Docker Compose, `extends` is resolved within
 * each file before override files are merged.
 */
import { describe, expect, it } from 'vitest';
import { loadStack, type ParsedFiles } from '../../src/lib/compose/load-stack.ts';
import { facts, lines, loadRepo, makeRepo, service } from './helpers.ts';

interface Case {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly service: string;
  readonly facts: Record<string, unknown>;
  readonly definitions?: readonly string[];
}

const cases: Case[] = [
  {
    name: 'same file: the base is merged under the service',
    files: {
      's/compose.yml': `services:
  base:
    image: app:1
    restart: always
    environment:
      A: "1"
      B: "2"
    ports:
      - "80:80"
  web:
    extends: base
    environment:
      B: "3"
    ports:
      - "443:443"
`,
    },
    service: 'web',
    facts: { image: 'app:1@3', restart: 'always@4', environment: { A: '1@6', B: '3@13' }, ports: ['80:80@9', '443:443@15'] },
    definitions: ['s/compose.yml:10-15', 's/compose.yml:2-9'],
  },
  {
    name: 'long syntax without file: is the same file',
    files: { 's/compose.yml': 'services:\n  base:\n    image: app:1\n  web:\n    extends:\n      service: base\n    user: root\n' },
    service: 'web',
    facts: { image: 'app:1@3', user: 'root@7' },
  },
  {
    name: 'file: another file, cited in that file',
    files: {
      's/compose.yml': 'services:\n  web:\n    extends:\n      file: common/base.yml\n      service: tmpl\n    image: mine:2\n',
      's/common/base.yml': 'services:\n  tmpl:\n    image: tmpl:1\n    restart: unless-stopped\n    ports:\n      - "8080:80"\n',
    },
    service: 'web',
    facts: { image: 'mine:2@6', restart: 'unless-stopped@s/common/base.yml:4', ports: ['8080:80@s/common/base.yml:6'] },
    definitions: ['s/compose.yml:2-6', 's/common/base.yml:2-6'],
  },
  {
    name: 'a chain: web → mid → root',
    files: { 's/compose.yml': 'services:\n  root:\n    image: r\n    restart: always\n  mid:\n    extends: root\n    user: "1"\n  web:\n    extends: mid\n    command: run\n' },
    service: 'web',
    facts: { image: 'r@3', restart: 'always@4', user: '1@7', command: 'run@10' },
    definitions: ['s/compose.yml:8-10', 's/compose.yml:5-7', 's/compose.yml:2-4'],
  },
  {
    name: 'a chain inside the other file resolves names in that file',
    files: {
      's/compose.yml': 'services:\n  web:\n    extends:\n      file: lib.yml\n      service: b\n',
      's/lib.yml': 'services:\n  a:\n    image: from-lib-a\n  b:\n    extends: a\n    user: "2"\n',
    },
    service: 'web',
    facts: { image: 'from-lib-a@s/lib.yml:3', user: '2@s/lib.yml:6' },
  },
  {
    name: 'command is replaced, not appended',
    files: { 's/compose.yml': 'services:\n  base:\n    image: a\n    command: ["echo", "base"]\n  web:\n    extends: base\n    command: ["echo", "web"]\n' },
    service: 'web',
    facts: { image: 'a@3', command: 'echo web@7' },
  },
  {
    name: 'volumes are merged by target, the extending service winning',
    files: { 's/compose.yml': 'services:\n  base:\n    image: a\n    volumes:\n      - data:/data\n      - ./a:/conf\n  web:\n    extends: base\n    volumes:\n      - ./b:/conf\nvolumes:\n  data:\n' },
    service: 'web',
    facts: { image: 'a@3', volumes: ['data:/data@5', './b:/conf@10'] },
  },
];

describe('extends', () => {
  it.each(cases)('$name', async (c) => {
    const project = await loadRepo(c.files);
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const s = service(project, c.service);
    expect(facts(s)).toEqual(c.facts);
    if (c.definitions) expect(s.definitions.map(lines)).toEqual(c.definitions);
  });

  it('keeps the base service as a service of its own file, and no service of the other file', async () => {
    const project = await loadRepo(cases[2]?.files ?? {});
    expect(project.stacks.map((s) => s.id)).toEqual(['s']);
    expect(project.stacks[0]?.services.map((s) => s.name)).toEqual(['web']);
  });

  it('is resolved per file before the override file is merged, as Docker Compose does', async () => {
    const project = await loadRepo({
      's/compose.yml': 'services:\n  base:\n    image: base:1\n  child:\n    extends: base\n',
      's/compose.override.yml': 'services:\n  base:\n    image: base:2\n',
    });
    expect(service(project, 'base').image?.value.text).toBe('base:2');
    expect(service(project, 'child').image?.value.text).toBe('base:1');
  });
});

describe('a base file that several stacks extend', () => {
  const files = {
    'common/base.yml': 'services:\n  base:\n    image: app:${TAG}\n    environment:\n      TZ: ${TZ}\n',
    'a/compose.yml': 'services:\n  web:\n    extends:\n      file: ../common/base.yml\n      service: base\n',
    'a/.env': 'TAG=1\nTZ=Europe/Paris\n',
    'b/compose.yml': 'services:\n  api:\n    extends:\n      file: ../common/base.yml\n      service: base\n',
    'b/.env': 'TAG=2\nTZ=UTC\n',
  };

  it('is read with each stack\'s own variables', async () => {
    const project = await loadRepo(files);
    expect(facts(service(project, 'web', 'a'))).toMatchObject({ image: 'app:1@common/base.yml:3', environment: { TZ: 'Europe/Paris@common/base.yml:5' } });
    expect(facts(service(project, 'api', 'b'))).toMatchObject({ image: 'app:2@common/base.yml:3', environment: { TZ: 'UTC@common/base.yml:5' } });
  });

  it('is parsed once for all of them when the stacks share their parsed files', async () => {
    const root = makeRepo(files);
    const parsed: ParsedFiles = new Map();
    const a = await loadStack(root, 'a', ['a/compose.yml'], { processEnv: {}, parsed });
    const b = await loadStack(root, 'b', ['b/compose.yml'], { processEnv: {}, parsed });
    // Only the file outside the stacks' folders is kept: a stack's own files are read by it alone.
    expect([...parsed.keys()]).toEqual(['common/base.yml']);
    const base = await parsed.get('common/base.yml');
    // Both stacks read their services from the one parsed document, each with its variables.
    expect(a.stack?.services[0]?.image?.value.text).toBe('app:1');
    expect(b.stack?.services[0]?.image?.value.text).toBe('app:2');
    expect(base?.parsed?.file?.doc).toBeDefined();
    expect(await loadStack(root, 'b', ['b/compose.yml'], { processEnv: {} })).toEqual(b);
  });
});

describe('extends problems', () => {
  // [name, files, code, file, line, column]
  const problems: Array<[string, Record<string, string>, string, string, number, number]> = [
    ['a cycle of two services', { 's/compose.yml': 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: a\n' }, 'compose-extends-cycle', 's/compose.yml', 4, 14],
    ['a service extending itself', { 's/compose.yml': 'services:\n  a:\n    image: x\n    extends: a\n' }, 'compose-extends-cycle', 's/compose.yml', 4, 14],
    ['a cycle across files', {
      's/compose.yml': 'services:\n  a:\n    extends:\n      file: other.yml\n      service: b\n',
      's/other.yml': 'services:\n  b:\n    extends:\n      file: compose.yml\n      service: a\n',
    }, 'compose-extends-cycle', 's/other.yml', 5, 16],
    ['a missing file', { 's/compose.yml': 'services:\n  a:\n    extends:\n      file: nope.yml\n      service: b\n' }, 'compose-extends-missing', 's/compose.yml', 4, 13],
    ['a missing service in the same file', { 's/compose.yml': 'services:\n  a:\n    image: x\n    extends: ghost\n' }, 'compose-extends-unknown', 's/compose.yml', 4, 14],
    ['a missing service in another file', {
      's/compose.yml': 'services:\n  a:\n    extends:\n      file: other.yml\n      service: ghost\n',
      's/other.yml': 'services:\n  b:\n    image: x\n',
    }, 'compose-extends-unknown', 's/compose.yml', 5, 16],
    ['a file outside the repository', { 's/compose.yml': 'services:\n  a:\n    extends:\n      file: ../../elsewhere.yml\n      service: b\n' }, 'compose-extends-outside', 's/compose.yml', 4, 13],
    ['extends without service', { 's/compose.yml': 'services:\n  a:\n    image: x\n    extends:\n      file: other.yml\n' }, 'compose-extends', 's/compose.yml', 5, 7],
    ['extends naming a service that is a number', { 's/compose.yml': 'services:\n  a:\n    image: x\n    extends: 42\n' }, 'compose-extends-unknown', 's/compose.yml', 4, 14],
  ];
  it.each(problems)('%s', async (_name, files, code, file, line, column) => {
    const project = await loadRepo(files);
    const found = project.diagnostics.filter((d) => d.code === code);
    expect(found.length, JSON.stringify(project.diagnostics)).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ severity: 'error', file, line, column });
    // The stack is still documented.
    expect(project.stacks.map((s) => s.id)).toEqual(['s']);
  });
});
