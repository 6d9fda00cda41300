export { loadProject, type LoadProjectOptions } from './load-project.ts';
export { discoverStacks, COMPOSE_FILE_NAMES, OVERRIDE_FILE_NAMES, type DiscoveredStack } from './discover.ts';
export { interpolate, type InterpolationResult, type VariableLookup } from './interpolate.ts';
export { parseEnvFile, type ParsedEnvFile } from './env-file.ts';
export { parseImageRef } from './image-ref.ts';
export { parseYamlFile, type YamlFile } from './yaml-file.ts';
export { readSourceFile, decodeText, MAX_FILE_BYTES } from './read-source.ts';
export { maskCommand } from './mask.ts';
