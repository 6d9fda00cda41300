/**
 * Writes `catalog.generated.json`, the compiled form of the shipped catalog, from the YAML files in
 * `src/lib/catalog/data/` (see src/lib/catalog/load-catalog.ts). Run it after editing a data file: `npm run catalog`.
 * `--check` writes nothing and exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { COMPILED_CATALOG_FILE, DEFAULT_CATALOG_FOLDER, compileCatalog } from '../src/lib/catalog/load-catalog.ts';

if (import.meta.main) {
  const text = compileCatalog(DEFAULT_CATALOG_FOLDER);
  let current: string | undefined;
  try {
    current = readFileSync(COMPILED_CATALOG_FILE, 'utf8');
  } catch {
    current = undefined;
  }
  if (process.argv.includes('--check')) {
    if (current !== text) {
      process.stderr.write('catalog.generated.json is stale: run `npm run catalog` and commit it.\n');
      process.exitCode = 1;
    }
  } else if (current === text) {
    process.stdout.write('catalog.generated.json is up to date.\n');
  } else {
    writeFileSync(COMPILED_CATALOG_FILE, text);
    process.stdout.write('catalog.generated.json written.\n');
  }
}
