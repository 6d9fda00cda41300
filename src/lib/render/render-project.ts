/** Rendering every page of a project: one per service, one per stack, the index and the platform. */
import type { Catalog } from '../catalog/index.ts';
import { loadCatalog } from '../catalog/index.ts';
import type { Config } from '../config/schema.ts';
import type { Project, Service, Stack } from '../model/types.ts';
import { buildRelations, repositoryReader, serviceId, type BackupRelation, type Finding, type Membership, type PortAllocation, type Relations, type StorageInfo, type UsesRelation, type VersionSkew } from '../relations/index.ts';
import type { NetworkDeclaration, RelationLookup, RenderContext } from './context.ts';
import { renderPlatformPage, renderStacksIndex } from './overview-pages.ts';
import type { Page } from './page.ts';
import { buildPageTree, slug } from './page-tree.ts';
import { renderServicePage } from './service-page.ts';
import { renderStackPage } from './stack-page.ts';

export interface RenderOptions {
  readonly config: Pick<Config, 'tags' | 'stacks' | 'pages'>;
  readonly catalog?: Catalog;
  /**
   * The repository root the project was loaded from. With it the relations also read files the
   * model does not hold: a backup job's `.autorestic.yml` and the values of `env_file` files.
   */
  readonly source?: string;
  /** Relations already built for this project (e.g. by `check`); built here when absent. */
  readonly relations?: Relations;
}

/** Builds the shared render context (page tree, relations, network index) once per project. */
export function createRenderContext(project: Project, options: RenderOptions): RenderContext {
  const catalog = options.catalog ?? loadCatalog();
  const relations = options.relations ?? buildRelations(project, catalog, options.source ? { read: repositoryReader(options.source) } : {});
  const serviceById = new Map<string, { stack: Stack; service: Service }>();
  for (const stack of project.stacks) for (const service of stack.services) serviceById.set(serviceId(stack.id, service.name), { stack, service });
  const servicesOnNetwork = new Map<string, Service[]>();
  for (const network of relations.networks) {
    servicesOnNetwork.set(network.name, network.members.map((m) => serviceById.get(m.id)?.service).filter((s): s is Service => s !== undefined));
  }
  const networkNames = new Map<string, string>();
  for (const network of relations.networks) for (const d of network.declarations) networkNames.set(`${d.stack}\u0000${d.key}`, network.name);
  return {
    project,
    catalog,
    tree: buildPageTree(project, options.config),
    config: options.config,
    tags: (stack?: Stack) => [...options.config.tags, ...(stack ? [slug(stack.id).toLowerCase()] : [])],
    servicesOnNetwork,
    relations,
    serviceById,
    stackById: new Map(project.stacks.map((s) => [s.id, s])),
    networkName: (stack, key) => networkNames.get(`${stack.id}\u0000${key}`) ?? `${stack.name.value}_${key}`,
    lookup: buildLookup(project, relations),
  };
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

/** Indexes over the relations for the page renderers, each built in one pass. */
function buildLookup(project: Project, relations: Relations): RelationLookup {
  const volumes = new Map<string, StorageInfo>();
  for (const storage of relations.storages) for (const d of storage.declarations) volumes.set(`${d.stack}\u0000${d.key}`, storage);
  const backups = new Map<string, BackupRelation[]>();
  const uses = new Map<string, UsesRelation[]>();
  for (const r of relations.relations) {
    if (r.kind === 'backup') add(backups, r.storage, r);
    if (r.kind === 'uses') {
      add(uses, r.from.stack, r);
      add(uses, r.to.stack, r);
    }
  }
  const ports = new Map<string, PortAllocation[]>();
  for (const p of relations.ports) add(ports, p.stack, p);
  // Services by file, to place each finding's ranges.
  const byFile = new Map<string, { id: string; start: number; end: number }[]>();
  for (const stack of project.stacks) {
    for (const service of stack.services) for (const d of service.definitions) add(byFile, d.file, { id: serviceId(stack.id, service.name), start: d.startLine, end: d.endLine });
  }
  const findingsOf = new Map<string, Finding[]>();
  const findingsAt = new Map<string, Finding[]>();
  const rangeKey = (r: { file: string; startLine: number; endLine: number }) => `${r.file}\u0000${r.startLine}\u0000${r.endLine}`;
  for (const finding of relations.findings) {
    for (const range of [finding.range, ...(finding.related ?? [])]) {
      add(findingsAt, rangeKey(range), finding);
      for (const s of byFile.get(range.file) ?? []) if (s.start <= range.startLine && range.endLine <= s.end) add(findingsOf, s.id, finding);
    }
  }
  const networkStacks = new Map<string, Map<string, Membership[]>>();
  // An external network is declared by every stack that joins it (a thousand at W3): looked up per
  // page, scanning them all made the Integrations section quadratic.
  const declared = new Map<string, NetworkDeclaration>();
  const declaredIn = new Map<string, NetworkDeclaration>();
  for (const network of relations.networks) {
    const byStack = new Map<string, Membership[]>();
    for (const m of network.members) add(byStack, m.stack, m);
    networkStacks.set(network.name, byStack);
    const own = network.declarations.find((d) => !d.external);
    if (own) declared.set(network.name, own);
    for (const d of network.declarations) {
      const key = `${network.name}\u0000${d.stack}`;
      if (!declaredIn.has(key)) declaredIn.set(key, d);
    }
  }
  const skews = new Map<string, VersionSkew[]>();
  for (const skew of relations.versionSkews) for (const m of skew.members) add(skews, m.id, skew);
  return {
    volume: (stack, key) => volumes.get(`${stack}\u0000${key}`),
    backupsOf: (storage) => backups.get(storage) ?? [],
    usesTouching: (stack) => uses.get(stack) ?? [],
    portsOf: (stack) => ports.get(stack) ?? [],
    findingsOf: (id) => findingsOf.get(id) ?? [],
    findingsAt: (range) => findingsAt.get(rangeKey(range)) ?? [],
    skewsOf: (id) => skews.get(id) ?? [],
    networkStacks: (network) => networkStacks.get(network) ?? new Map(),
    networkDeclaration: (network, stack) => declared.get(network) ?? declaredIn.get(`${network}\u0000${stack}`),
  };
}

/** A page not rendered yet: its path, and the function that renders it. */
export interface PlannedPage {
  readonly path: string;
  render(): Page;
}

/**
 * The pages of a project before any is rendered: their paths, and how to render each one, so
 * that a caller can read a page's file first, then render, merge and compare the page in one
 * synchronous step and drop its tree before the next await. Memory then holds the model and the
 * pages in flight instead of every tree of the project, and the trees die young (cheap to collect).
 */
export interface PagePlan {
  /** Page paths in rendering order: platform, stacks index, then each stack and its services. */
  readonly paths: readonly string[];
  /** The pages in the order of `paths`, each rendered when its `render` is called. */
  readonly entries: readonly PlannedPage[];
  /** Renders the pages lazily, in the order of `paths`; each call starts again from the first. */
  pages(): Generator<Page, void, undefined>;
}

/** Plans the pages of a project (the render context is built once, here). */
export function planProject(project: Project, options: RenderOptions): PagePlan {
  const ctx = createRenderContext(project, options);
  const entries: PlannedPage[] = [
    { path: ctx.tree.platformPath, render: () => renderPlatformPage(ctx) },
    { path: ctx.tree.stacksIndexPath, render: () => renderStacksIndex(ctx) },
  ];
  for (const stack of project.stacks) {
    entries.push({ path: ctx.tree.stackPath(stack), render: () => renderStackPage(ctx, stack) });
    for (const service of stack.services) entries.push({ path: ctx.tree.servicePath(service), render: () => renderServicePage(ctx, stack, service) });
  }
  return {
    paths: entries.map((entry) => entry.path),
    entries,
    *pages() {
      for (const entry of entries) yield entry.render();
    },
  };
}

/** Renders all pages, platform first, then the index, then each stack and its services. */
export function renderProject(project: Project, options: RenderOptions): Page[] {
  return [...planProject(project, options).pages()];
}
