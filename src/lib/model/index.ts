export type * from './types.ts';
export { isSecret, isSecretName, looksSecretValue, maskUrlCredentials, hasUrlCredentials } from './secrets.ts';
export { deepFreeze } from './freeze.ts';
