/**
 * Writes `catalog.generated.json`, the compiled form of the shipped catalog, from the YAML files in
 * `src/lib/catalog/data/` (see src/lib/catalog/load-catalog.ts). Run it after editing a data file: `npm run catalog`.
 * `--check` writes nothing and exits 1 when the committed file is stale.
 */
import { COMPILED_CATALOG_FILE, DEFAULT_CATALOG_FOLDER, compileCatalog } from '../src/lib/catalog/load-catalog.ts';
import { updateGeneratedFile } from './generated-file.ts';

if (import.meta.main) {
  const text = compileCatalog(DEFAULT_CATALOG_FOLDER);
  updateGeneratedFile(COMPILED_CATALOG_FILE, text, 'npm run catalog');
}
