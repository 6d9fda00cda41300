import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_FOLDER, formatYamlPath, loadCatalog } from '../../src/lib/catalog/index.ts';

const COMMON = `linuxserver:
  namespaces: [lscr.io/linuxserver]
  env:
    PUID: User ID the application runs as.
generic:
  env:
    TZ: Time zone of the container.
`;

const VALID_ENTRY = `id: demo
name: Demo
images: [example/demo]
description: A demonstration entry.
homepage: https://example.com
category: dev
roles: [other]
`;

const folders: string[] = [];

/** A catalog folder holding `files` (name -> YAML text), plus common.yaml unless given. */
function catalogFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'compose-wiki-catalog-'));
  folders.push(folder);
  for (const [name, text] of Object.entries({ 'common.yaml': COMMON, ...files })) writeFileSync(join(folder, name), text);
  return folder;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('loadCatalog', () => {
  it('caches the catalog of a folder', () => {
    expect(loadCatalog()).toBe(loadCatalog());
    expect(loadCatalog(pathToFileURL(DEFAULT_CATALOG_FOLDER))).toBe(loadCatalog());
  });

  it('loads a folder given as argument', () => {
    const catalog = loadCatalog(catalogFolder({ 'demo.yaml': VALID_ENTRY }));
    expect(catalog.entries.map((entry) => entry.id)).toEqual(['demo']);
    expect(catalog.entries[0]?.file).toMatch(/demo\.yaml$/);
    expect(catalog.entries[0]?.env).toEqual({});
    expect(catalog.linuxserver.namespaces).toEqual(['lscr.io/linuxserver']);
  });

  it('names the file, the YAML path, the line and the problem of an invalid entry', () => {
    const folder = catalogFolder({
      'broken.yaml': `${VALID_ENTRY.replace('roles: [other]', 'roles: [other, wizard]')}env:\n  GOOD: Fine.\n  BAD: no period\n`,
    });
    let message = '';
    try {
      loadCatalog(folder);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(join(folder, 'broken.yaml'));
    expect(message).toMatch(/roles\[1\] \(line 7\): Invalid option/);
    expect(message).toMatch(/env\.BAD \(line 10\): must be a sentence ending with a period/);
  });

  it('names the index of an entry in a file of several', () => {
    const folder = catalogFolder({ 'family.yaml': `- ${VALID_ENTRY.replace(/\n(?=.)/g, '\n  ')}- id: Not_Kebab\n  name: x\n` });
    expect(() => loadCatalog(folder)).toThrow(/family\.yaml:\n {2}- \[1\]\.id \(line 8\): must be kebab-case/);
  });

  it('rejects unknown fields, so typos do not pass silently', () => {
    const folder = catalogFolder({ 'typo.yaml': `${VALID_ENTRY}enviroment:\n  X: Y.\n` });
    expect(() => loadCatalog(folder)).toThrow(/typo\.yaml[\s\S]*enviroment/);
  });

  it('requires homepage, category and roles unless the entry extends another', () => {
    const folder = catalogFolder({ 'bare.yaml': 'id: bare\nname: Bare\nimages: [example/bare]\ndescription: Bare entry.\n' });
    expect(() => loadCatalog(folder)).toThrow(/category \(line 1\): is required unless the entry has "extends"/);
  });

  it('reports a YAML syntax error with its line', () => {
    const folder = catalogFolder({ 'syntax.yaml': `${VALID_ENTRY}env:\n  A: one\n   B: [unclosed\n` });
    expect(() => loadCatalog(folder)).toThrow(/syntax\.yaml:\d+: YAML syntax/);
  });

  it('reports a duplicate key as a YAML error', () => {
    const folder = catalogFolder({ 'twice.yaml': `${VALID_ENTRY}env:\n  A: One.\n  A: Two.\n` });
    expect(() => loadCatalog(folder)).toThrow(/twice\.yaml:10: YAML syntax/);
  });

  it('rejects an id used twice', () => {
    const folder = catalogFolder({ 'a.yaml': VALID_ENTRY, 'b.yaml': VALID_ENTRY.replace('example/demo', 'example/other') });
    expect(() => loadCatalog(folder)).toThrow(/b\.yaml[\s\S]*id "demo" is already used by an entry of a\.yaml/);
  });

  it('rejects an image claimed by two entries, after normalisation', () => {
    const folder = catalogFolder({
      'a.yaml': VALID_ENTRY.replace('example/demo', 'postgres'),
      'b.yaml': VALID_ENTRY.replace('id: demo', 'id: other').replace('example/demo', 'docker.io/library/postgres'),
    });
    // The schema wants images written normalised, so the second spelling fails validation first.
    expect(() => loadCatalog(folder)).toThrow(/b\.yaml/);
    const same = catalogFolder({
      'a.yaml': VALID_ENTRY.replace('example/demo', 'postgres'),
      'b.yaml': VALID_ENTRY.replace('id: demo', 'id: other').replace('example/demo', 'postgres'),
    });
    expect(() => loadCatalog(same)).toThrow(/b\.yaml[\s\S]*"postgres" is already claimed by "demo"/);
  });

  it('resolves extends and rejects an unknown base', () => {
    const child = 'id: child\nname: Child\nextends: demo\nimages: [example/child]\ndescription: Child entry.\nenv:\n  CHILD: Own variable.\n';
    const ok = loadCatalog(catalogFolder({ 'a.yaml': `${VALID_ENTRY}env:\n  BASE: Inherited variable.\n`, 'b.yaml': child }));
    const resolved = ok.byId.get('child');
    expect(resolved?.env).toEqual({ BASE: 'Inherited variable.', CHILD: 'Own variable.' });
    expect(resolved?.homepage).toBe('https://example.com');
    expect(resolved?.roles).toEqual(['other']);
    expect(() => loadCatalog(catalogFolder({ 'b.yaml': child }))).toThrow(/b\.yaml[\s\S]*no entry has the id "demo"/);
  });

  it('rejects a cycle of extends', () => {
    const folder = catalogFolder({
      'a.yaml': 'id: a\nname: A\nextends: b\nimages: [example/a]\ndescription: A.\n',
      'b.yaml': 'id: b\nname: B\nextends: a\nimages: [example/b]\ndescription: B.\n',
    });
    expect(() => loadCatalog(folder)).toThrow(/cycle a -> b -> a/);
  });

  it('requires common.yaml', () => {
    const folder = mkdtempSync(join(tmpdir(), 'compose-wiki-catalog-'));
    folders.push(folder);
    writeFileSync(join(folder, 'demo.yaml'), VALID_ENTRY);
    expect(() => loadCatalog(folder)).toThrow(/has no common\.yaml/);
  });

  it('validates common.yaml too', () => {
    const folder = catalogFolder({ 'common.yaml': `${COMMON}  groups:\n    "bad prefix": Nope.\n` });
    expect(() => loadCatalog(folder)).toThrow(
      /common\.yaml[\s\S]*generic\.groups\["bad prefix"\] \(line \d+\): Invalid key in record: must be a variable-name prefix/,
    );
  });
});

describe('formatYamlPath', () => {
  it('writes keys and indexes as a reader would look them up', () => {
    expect(formatYamlPath([])).toBe('(root)');
    expect(formatYamlPath([0, 'env', 'AUTHENTIK_SECRET_KEY'])).toBe('[0].env.AUTHENTIK_SECRET_KEY');
    expect(formatYamlPath(['volumes', '/media'])).toBe('volumes["/media"]');
    expect(formatYamlPath(['roles', 1])).toBe('roles[1]');
  });
});
