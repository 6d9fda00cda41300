export { generateProject, renderFromConfig, type GenerateResult } from './generate.ts';
export { resolveConfig, EXAMPLE_SOURCE, type CommandOptions } from './resolve-options.ts';
