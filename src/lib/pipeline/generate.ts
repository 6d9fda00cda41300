/**
 * The main job: load the compose repository, render every page, and merge them into the content
 * folder without losing a word a person wrote.
 */
import { loadCatalog } from '../catalog/index.ts';
import type { Config } from '../config/schema.ts';
import { loadProject } from '../compose/index.ts';
import type { Project } from '../model/types.ts';
import { buildRelations, repositoryReader, type Relations } from '../relations/index.ts';
import { renderProject, type Page } from '../render/index.ts';
import { nowFromEnvironment, writePages } from '../merge/index.ts';
import { findingsByPage, writeFindingsSidecar } from './findings-sidecar.ts';

export interface GenerateResult {
  readonly project: Project;
  readonly pages: readonly Page[];
  /** Page files written (created or changed), relative to the content folder. */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Page files that no service produces any more: reported, never deleted. */
  readonly orphans: readonly string[];
}

export interface RenderedProject {
  readonly project: Project;
  readonly pages: Page[];
  readonly relations: Relations;
}

/** Loads and renders a project (no file is written). Relations are built once and returned. */
export async function renderFromConfig(config: Config): Promise<RenderedProject> {
  const project = await loadProject(config.source, { ignore: config.ignore });
  const catalog = loadCatalog();
  const relations = buildRelations(project, catalog, { read: repositoryReader(config.source) });
  const pages = renderProject(project, { config, source: config.source, catalog, relations });
  return { project, pages, relations };
}

/** Generates the pages of `config.source` into `config.content`, plus the findings sidecar of the site. */
export async function generateProject(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<GenerateResult> {
  const { project, pages, relations } = await renderFromConfig(config);
  const result = await writePages(config.content, pages, { now: nowFromEnvironment(env), form: config.header });
  await writeFindingsSidecar(config.content, findingsByPage(project, relations, pages, config.findings));
  return { project, pages, ...result };
}
