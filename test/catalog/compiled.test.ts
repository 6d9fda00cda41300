import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPILED_CATALOG_FILE, DEFAULT_CATALOG_FOLDER, compileCatalog, loadCatalog, readCatalog } from '../../src/lib/catalog/load-catalog.ts';

const roots: string[] = [];

/** A copy of the shipped data folder, with its compiled file written beside it. */
function shippedCopy(): { folder: string; compiled: string } {
  const root = mkdtempSync(join(tmpdir(), 'compose-wiki-compiled-'));
  roots.push(root);
  const folder = join(root, 'data');
  mkdirSync(folder);
  for (const name of readdirSync(DEFAULT_CATALOG_FOLDER)) {
    if (name.endsWith('.yaml')) copyFileSync(join(DEFAULT_CATALOG_FOLDER, name), join(folder, name));
  }
  const compiled = join(root, 'catalog.generated.json');
  writeFileSync(compiled, compileCatalog(folder));
  return { folder, compiled };
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the compiled catalog (catalog.generated.json)', () => {
  it('is up to date with the YAML data files', () => {
    // When this fails: run `npm run catalog` and commit src/lib/catalog/catalog.generated.json.
    expect(readFileSync(COMPILED_CATALOG_FILE, 'utf8') === compileCatalog(DEFAULT_CATALOG_FOLDER), 'catalog.generated.json is stale: run `npm run catalog`').toBe(true);
  });

  it('loads to exactly the catalog the YAML files give', () => {
    const fromYaml = readCatalog(DEFAULT_CATALOG_FOLDER);
    const fromCompiled = readCatalog(DEFAULT_CATALOG_FOLDER, COMPILED_CATALOG_FILE);
    expect(fromCompiled).toEqual(fromYaml);
    expect([...fromCompiled.byImage.keys()]).toEqual([...fromYaml.byImage.keys()]);
    expect(fromCompiled.entries.map((entry) => Object.keys(entry.env))).toEqual(fromYaml.entries.map((entry) => Object.keys(entry.env)));
    expect(Object.isFrozen(fromCompiled.entries[0]?.env)).toBe(true);
    expect(loadCatalog()).toEqual(fromYaml);
  });

  it('is used while its fingerprint matches the YAML files', () => {
    const { folder, compiled } = shippedCopy();
    const data = JSON.parse(readFileSync(compiled, 'utf8')) as { files: { entries: { id: string; description: string }[] }[] };
    const first = data.files[0]!.entries[0]!;
    first.description = 'Read from the compiled file.';
    writeFileSync(compiled, JSON.stringify(data));
    expect(readCatalog(folder, compiled).byId.get(first.id)?.description).toBe('Read from the compiled file.');
  });

  it('is ignored once a data file changes, so an edit takes effect without recompiling', () => {
    const { folder, compiled } = shippedCopy();
    const name = readdirSync(folder).find((file) => file !== 'common.yaml')!;
    const id = readCatalog(folder).entries.find((entry) => entry.file.endsWith(`/${name}`))!.id;
    const text = readFileSync(join(folder, name), 'utf8');
    writeFileSync(join(folder, name), text.replace(/^(\s*-?\s*description:).*$/m, '$1 Edited in YAML.'));
    expect(readCatalog(folder, compiled).byId.get(id)?.description).toBe('Edited in YAML.');
  });

  it('is ignored when a data file is added, so an invalid one is still reported', () => {
    const { folder, compiled } = shippedCopy();
    writeFileSync(join(folder, 'zz-new.yaml'), 'id: Not Kebab\n');
    expect(() => readCatalog(folder, compiled)).toThrow(/zz-new\.yaml[\s\S]*must be kebab-case/);
  });

  it('is ignored when missing or unreadable', () => {
    const { folder, compiled } = shippedCopy();
    const expected = readCatalog(folder);
    writeFileSync(compiled, '{ not json');
    expect(readCatalog(folder, compiled)).toEqual(expected);
    rmSync(compiled);
    expect(readCatalog(folder, compiled)).toEqual(expected);
  });

  it('does not depend on the line endings of the data files', () => {
    const { folder, compiled } = shippedCopy();
    for (const name of readdirSync(folder)) {
      writeFileSync(join(folder, name), readFileSync(join(folder, name), 'utf8').replace(/\n/g, '\r\n'));
    }
    expect(compileCatalog(folder)).toBe(readFileSync(compiled, 'utf8'));
  });
});
