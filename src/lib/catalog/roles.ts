/**
 * The roles a catalogued image can play, apart from the zod schemas (schema.ts) so that code which
 * only reads the catalog does not load zod.
 */

/** Closed list of roles a catalogued image can play; renderers and relation finders switch on these. */
export const CATALOG_ROLES = [
  'database',
  'cache',
  'message-broker',
  'reverse-proxy',
  'auth-outpost',
  'identity-provider',
  'backup',
  'monitoring',
  'metrics-exporter',
  'dashboard',
  'media-server',
  'media-manager',
  'download-client',
  'dns',
  'vpn',
  'tunnel',
  'search',
  'ai',
  'storage',
  'other',
] as const;
