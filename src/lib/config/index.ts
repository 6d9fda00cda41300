// The whole config module, schemas included (importing it loads zod). Code on every command's path
// imports load-config.ts instead, which loads the schema only when a config file is validated.
export { configSchema, findingLevelSchema, type Config, type ConfigFile, type FindingLevel } from './schema.ts';
export { loadConfig, findConfigFile, ConfigError, CONFIG_FILE_NAME } from './load-config.ts';
export { defaultConfigFile } from './defaults.ts';
