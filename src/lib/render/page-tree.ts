/**
 * Where each page lives and what it is called, from the config's path templates and per-stack
 * settings. Paths obey Wiki.js's rules (no dots, spaces or `//`), so one tree serves Wiki.js, the
 * Git-storage exporter and the site alike.
 */
import type { Config } from '../config/schema.ts';
import type { Project, Service, Stack } from '../model/types.ts';

export interface PageTree {
  readonly platformPath: string;
  readonly stacksIndexPath: string;
  readonly platformTitle: string;
  readonly stacksIndexTitle: string;
  stackPath(stack: Stack): string;
  stackTitle(stack: Stack): string;
  servicePath(service: Service): string;
  /** The page's H1 and title: container_name when set, else the service key. */
  serviceTitle(service: Service): string;
}

/** A path segment Wiki.js accepts: letters, digits, `-` and `_`; anything else becomes `-`. */
export function slug(value: string): string {
  const cleaned = value.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return cleaned || 'unnamed';
}

/** `media_serving` → `Media Serving`. */
export function humanise(id: string): string {
  return id
    .split(/[\/_\-\s]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

/** Builds the page tree for a project; service paths are made unique within their stack folder. */
export function buildPageTree(project: Project, config: Pick<Config, 'pages' | 'stacks'>): PageTree {
  const stackFolder = (stack: Stack) => config.stacks[stack.id]?.page ?? slug(stack.id.replace(/\//g, '-'));
  const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_m, key: string) => values[key] ?? '');
  const servicePaths = new Map<Service, string>();
  const taken = new Set<string>();
  const reserved = new Set([config.pages.platform, config.pages.stacksIndex, ...project.stacks.map((s) => fill(config.pages.stack, { stack: stackFolder(s) }))]);
  for (const stack of project.stacks) {
    for (const service of stack.services) {
      const base = fill(config.pages.service, { stack: stackFolder(stack), service: slug(service.containerName?.value ?? service.name) });
      let candidate = base;
      for (let n = 2; taken.has(candidate.toLowerCase()) || reserved.has(candidate); n++) candidate = `${base}-${n}`;
      taken.add(candidate.toLowerCase());
      servicePaths.set(service, candidate);
    }
  }
  // Asked for every link to another stack's service: worked out once per stack.
  const stackTitles = new Map<Stack, string>();
  return {
    platformPath: config.pages.platform,
    stacksIndexPath: config.pages.stacksIndex,
    platformTitle: config.pages.platformTitle,
    stacksIndexTitle: config.pages.stacksIndexTitle,
    stackPath: (stack) => fill(config.pages.stack, { stack: stackFolder(stack) }),
    stackTitle: (stack) => {
      let title = stackTitles.get(stack);
      if (title === undefined) stackTitles.set(stack, (title = config.stacks[stack.id]?.title ?? humanise(stack.id)));
      return title;
    },
    servicePath: (service) => servicePaths.get(service) ?? slug(service.name),
    serviceTitle: (service) => {
      const title = service.containerName?.value ?? service.name;
      return title.includes('\n') || title.includes('\r') ? title.replace(/[\r\n]+/g, ' ') : title;
    },
  };
}

/** A link target that works in Wiki.js and on the static site: the absolute page path. */
export function pageLink(path: string): string {
  if (!path.endsWith('index')) return `/${path}`;
  return `/${path.replace(/\/index$/, '').replace(/^index$/, '')}`;
}
