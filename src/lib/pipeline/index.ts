export {
  generateProject, planFromConfig, renderFromConfig, summarisePage, type GenerateResult, type PageSummary, type PlannedProject, type RenderedProject,
} from './generate.ts';
export { resolveConfig, EXAMPLE_SOURCE, type CommandOptions } from './resolve-options.ts';
export { findingsByPage, writeFindingsSidecar, SIDECAR_DIR, type PageFinding } from './findings-sidecar.ts';
