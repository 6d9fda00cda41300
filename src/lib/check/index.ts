export { runCheck, type CheckOptions, type CheckResult } from './run-check.ts';
export { validatePageCitations, type CitationContext } from './citations.ts';
export { driftOf, readPageState, readPageStates, type PageFileState, type PageFileSummary } from './drift.ts';
export { DEFAULT_FINDING_LEVELS, MODEL_FINDING_IDS, applyLevels, levelOf, loadFindings, modelFindings, pageFindings, type RawFinding } from './findings.ts';
export { buildSourceIndex, type GrowingSourceIndex, type SourceIndex, type ServiceBlock } from './source-index.ts';
export {
  CHECK_OUTPUT_SCHEMA_VERSION, escapeData, escapeProperty, formatGithub, formatJson, formatText, summaryLine, toJson, workflowCommand, type ReportPaths,
} from './format.ts';
export type * from './types.ts';
