/**
 * The main job: load the compose repository, render every page, and merge them into the content
 * folder without losing a word a person wrote.
 */
import type { Config } from '../config/schema.ts';
import { loadProject } from '../compose/index.ts';
import type { Project } from '../model/types.ts';
import { renderProject, type Page } from '../render/index.ts';
import { nowFromEnvironment, writePages } from '../merge/index.ts';

export interface GenerateResult {
  readonly project: Project;
  readonly pages: readonly Page[];
  /** Page files written (created or changed), relative to the content folder. */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Page files that no service produces any more: reported, never deleted. */
  readonly orphans: readonly string[];
}

/** Loads and renders a project (no file is written). */
export async function renderFromConfig(config: Config): Promise<{ project: Project; pages: Page[] }> {
  const project = await loadProject(config.source, { ignore: config.ignore });
  const pages = renderProject(project, { config, source: config.source });
  return { project, pages };
}

/** Generates the pages of `config.source` into `config.content`. */
export async function generateProject(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<GenerateResult> {
  const { project, pages } = await renderFromConfig(config);
  const result = await writePages(config.content, pages, { now: nowFromEnvironment(env), form: config.header });
  return { project, pages, ...result };
}
