export { configSchema, findingLevelSchema, type Config, type FindingLevel } from './schema.ts';
export { loadConfig, findConfigFile, ConfigError, CONFIG_FILE_NAME } from './load-config.ts';
