/**
 * The main job: load the compose repository, render every page, and merge them into the content
 * folder without losing a word a person wrote. Pages flow through a few at a time (read the file,
 * render, merge, drop the tree, write), so memory holds the model and the pages in flight, not
 * every page of the project.
 */
import { loadCatalog, type Catalog } from '../catalog/index.ts';
import type { Config } from '../config/schema.ts';
import { loadProject } from '../compose/index.ts';
import type { Project } from '../model/types.ts';
import { buildRelations, repositoryReader, type Relations } from '../relations/index.ts';
import { planProject, type Page, type PagePlan } from '../render/index.ts';
import { nowFromEnvironment } from '../merge/index.ts';
import { writePageStream, type RemovedTextAt, type UnreadablePage } from '../merge/write-pages.ts';
import { findingsByPage, writeFindingsSidecar } from './findings-sidecar.ts';

/** What is kept of a page once it is written: everything but its body tree. */
export type PageSummary = Omit<Page, 'body'>;

export interface GenerateResult {
  readonly project: Project;
  /** Every page generated, in rendering order, without its body (the trees are not kept). */
  readonly pages: readonly PageSummary[];
  /** Page files written (created or changed), relative to the content folder. */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Page files that no service produces any more: reported, never deleted. */
  readonly orphans: readonly string[];
  /** Page files left as they were because their Markdown cannot be parsed (see `UnreadablePage`). */
  readonly unreadable: readonly UnreadablePage[];
  /** Text taken out of sections generate owns that was most likely a person's (see `RemovedTextAt`). */
  readonly removedText: readonly RemovedTextAt[];
}

export interface RenderedProject {
  readonly project: Project;
  readonly pages: Page[];
  readonly relations: Relations;
}

/** A loaded project whose pages are rendered on demand (see `planProject`). */
export interface PlannedProject {
  readonly project: Project;
  readonly relations: Relations;
  readonly catalog: Catalog;
  readonly plan: PagePlan;
}

/** Loads a project and plans its pages (none is rendered yet). Relations are built once. */
export async function planFromConfig(config: Config): Promise<PlannedProject> {
  const project = await loadProject(config.source, { ignore: config.ignore });
  const catalog = loadCatalog();
  const relations = buildRelations(project, catalog, { read: repositoryReader(config.source) });
  const plan = planProject(project, { config, source: config.source, catalog, relations });
  return { project, relations, catalog, plan };
}

/** Loads and renders a project, every page in memory (no file is written). */
export async function renderFromConfig(config: Config): Promise<RenderedProject> {
  const { project, relations, plan } = await planFromConfig(config);
  return { project, pages: [...plan.pages()], relations };
}

/** A page without its body. */
export function summarisePage(page: Page): PageSummary {
  const { body: _body, ...summary } = page;
  return summary;
}

/** Generates the pages of `config.source` into `config.content`, plus the findings sidecar of the site. */
export async function generateProject(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<GenerateResult> {
  const { project, relations, plan } = await planFromConfig(config);
  const pages: PageSummary[] = new Array(plan.paths.length);
  const result = await writePageStream(config.content, plan.entries, {
    now: nowFromEnvironment(env),
    form: config.header,
    paths: plan.paths,
    onPage: (page, index) => {
      pages[index] = summarisePage(page);
    },
  });
  await writeFindingsSidecar(config.content, findingsByPage(project, relations, pages, config.findings));
  return { project, pages, ...result };
}
