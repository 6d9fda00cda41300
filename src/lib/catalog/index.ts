/**
 * The catalog of well-known images: data files, their types, loading and look-ups. The zod schemas
 * of the data files are in schema.ts, not here: importing them loads zod, which reading the
 * catalog does not need (see load-catalog.ts).
 */
export { CATALOG_ROLES } from './roles.ts';
export type {
  Catalog,
  CatalogEntry,
  CatalogEntryData,
  CatalogRole,
  CatalogVariant,
  CommonFileData,
  CommonVariables,
  DeepReadonly,
} from './schema.ts';
export { COMMON_FILE_NAME, DEFAULT_CATALOG_FOLDER, formatYamlPath, loadCatalog } from './load-catalog.ts';
export { normaliseImage, normaliseImageRepository } from './image-name.ts';
export type { ImageName, NormalisedImage } from './image-name.ts';
export {
  environmentPurpose,
  findCatalogEntry,
  findVariableGroup,
  groupPurpose,
  isLinuxserverImage,
  lookupEnvironmentVariable,
  matchesVariablePattern,
  volumePurpose,
} from './match.ts';
export type { EnvironmentPurpose, PurposeSource } from './match.ts';
