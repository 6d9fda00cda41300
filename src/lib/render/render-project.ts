/** Rendering every page of a project: one per service, one per stack, the index and the platform. */
import type { Catalog } from '../catalog/index.ts';
import { loadCatalog } from '../catalog/index.ts';
import type { Config } from '../config/schema.ts';
import type { Project, Service, Stack } from '../model/types.ts';
import type { RenderContext } from './context.ts';
import { networkName } from './integrations.ts';
import { renderPlatformPage, renderStacksIndex } from './overview-pages.ts';
import type { Page } from './page.ts';
import { buildPageTree, slug } from './page-tree.ts';
import { renderServicePage } from './service-page.ts';
import { renderStackPage } from './stack-page.ts';

export interface RenderOptions {
  readonly config: Pick<Config, 'tags' | 'stacks' | 'pages'>;
  readonly catalog?: Catalog;
}

/** Builds the shared render context (page tree, network index) once per project. */
export function createRenderContext(project: Project, options: RenderOptions): RenderContext {
  const servicesOnNetwork = new Map<string, Service[]>();
  for (const stack of project.stacks) {
    for (const service of stack.services) {
      for (const network of service.networks) {
        const name = networkName(stack, network.value.name);
        const members = servicesOnNetwork.get(name) ?? [];
        members.push(service);
        servicesOnNetwork.set(name, members);
      }
    }
  }
  return {
    project,
    catalog: options.catalog ?? loadCatalog(),
    tree: buildPageTree(project, options.config),
    config: options.config,
    tags: (stack?: Stack) => [...options.config.tags, ...(stack ? [slug(stack.id).toLowerCase()] : [])],
    servicesOnNetwork,
  };
}

/** Renders all pages, platform first, then the index, then each stack and its services. */
export function renderProject(project: Project, options: RenderOptions): Page[] {
  const ctx = createRenderContext(project, options);
  const pages: Page[] = [renderPlatformPage(ctx), renderStacksIndex(ctx)];
  for (const stack of project.stacks) {
    pages.push(renderStackPage(ctx, stack));
    for (const service of stack.services) pages.push(renderServicePage(ctx, stack, service));
  }
  return pages;
}
