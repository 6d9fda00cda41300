export { renderProject, planProject, createRenderContext, type PagePlan, type PlannedPage, type RenderOptions } from './render-project.ts';
export { renderServicePage } from './service-page.ts';
export { renderStackPage, STACK_SECTIONS } from './stack-page.ts';
export { renderPlatformPage, renderStacksIndex } from './overview-pages.ts';
export { formatCitation, parseCitations, spanOf, type ParsedCitation } from './citation.ts';
export { buildPageTree, pageLink, slug, humanise, type PageTree } from './page-tree.ts';
export { PURPOSE_PLACEHOLDER, groupEnvironment, rowLabel, coalesce, type EnvironmentRow } from './environment-table.ts';
export type { RenderContext } from './context.ts';
export { SERVICE_SECTIONS, type Page, type PageHeader, type PageKind } from './page.ts';
