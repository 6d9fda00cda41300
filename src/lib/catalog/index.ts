/** The catalog of well-known images: data files, their schema, loading and look-ups. */
export {
  CATALOG_ROLES,
  catalogEntrySchema,
  catalogRoleSchema,
  catalogVariantSchema,
  commonFileSchema,
  environmentMapSchema,
  groupMapSchema,
  volumeMapSchema,
} from './schema.ts';
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
