/**
 * The page of one container, in the seed's shape: Overview, Runtime Profile, Configuration &
 * Secrets, Integrations, Operational Notes. Every generated sentence ends with the citation of
 * the lines it was derived from.
 */
import type { RootContent } from 'mdast';
import type { Located, Service, SourceRange, Stack } from '../model/types.ts';
import type { RenderContext } from './context.ts';
import { coalesce, environmentTable, groupEnvironment } from './environment-table.ts';
import { beforeCitation, catalogEntryFor, describeService, sentence, summary, wikiExtension } from './knowledge.ts';
import { cite, code, heading, joinInline, link, list, listItem, paragraph, root, strong, type Inline } from './mdast.ts';
import { SERVICE_SECTIONS, type Page } from './page.ts';
import { pageLink } from './page-tree.ts';
import { integrationItems } from './integrations.ts';

const codes = <T>(items: readonly Located<T>[], show: (value: T) => string): Inline[] =>
  joinInline(items.map((item) => [code(show(item.value))]));
const ranges = <T>(items: readonly Located<T>[]): SourceRange[] => coalesce(items.map((i) => i.range));

/** Renders the page of `service` of `stack`. */
export function renderServicePage(ctx: RenderContext, stack: Stack, service: Service): Page {
  const entry = catalogEntryFor(ctx.catalog, service);
  const description = describeService(service, entry);
  const title = ctx.tree.serviceTitle(service);
  const body: RootContent[] = [heading(1, title)];

  body.push(heading(2, 'Overview'), overviewLead(ctx, stack, service, description.text, description.range));
  body.push(heading(2, 'Runtime Profile'), list(runtimeItems(service).map((parts) => listItem(...parts))));

  body.push(heading(2, 'Configuration & Secrets'));
  if (service.environment.length === 0) {
    body.push(paragraph('No environment variables are set in compose.', cite(service.range)));
  } else {
    body.push(paragraph(...configurationIntro(stack, service)));
    body.push(environmentTable(groupEnvironment(service, ctx.catalog, entry)));
  }
  if (service.secrets.length > 0) {
    body.push(paragraph('Docker secrets mounted: ', ...codes(service.secrets, (s) => s.source), '.', cite(...ranges(service.secrets))));
  }

  body.push(heading(2, 'Integrations'), list(integrationItems(ctx, stack, service).map((parts) => listItem(...parts))));

  const notes = operationalNotes(service, entry);
  body.push(heading(2, 'Operational Notes'));
  if (notes.length > 0) body.push(list(notes.map((parts) => listItem(...parts))));

  return {
    path: ctx.tree.servicePath(service),
    kind: 'service',
    header: { title, description: summary(description.text), published: true, date: '', tags: ctx.tags(stack), editor: 'markdown' },
    body: root(body),
    ownedSections: SERVICE_SECTIONS.slice(0, 4),
    sharedSections: ['Operational Notes'],
    citedSections: SERVICE_SECTIONS.slice(1, 4),
    sources: service.definitions,
    stack: stack.id,
    service: service.name,
  };
}

function overviewLead(ctx: RenderContext, stack: Stack, service: Service, text: string, range: SourceRange): ReturnType<typeof paragraph> {
  const parts: Inline[] = [beforeCitation(text), cite(range)];
  parts.push(' It is part of the ', link(pageLink(ctx.tree.stackPath(stack)), ctx.tree.stackTitle(stack)), ' stack');
  if (service.image) parts.push(' and runs ', code(service.image.value.text));
  parts.push('.', cite(service.image?.range ?? service.range));
  const published = service.ports.filter((p) => p.value.published);
  if (published.length > 0) parts.push(` It publishes ${published.length === 1 ? 'port' : 'ports'} `, ...codes(published, (p) => p.text), '.', cite(...ranges(published)));
  const data = service.volumes.filter((v) => v.value.type === 'volume' || v.value.type === 'bind');
  if (data.length > 0) parts.push(' Its data lives in ', ...codes(data, (v) => (v.source ? `${v.source}:${v.target}` : v.target)), '.', cite(...ranges(data)));
  return paragraph(...parts);
}

/** The Runtime Profile bullets, each one cited. */
function runtimeItems(service: Service): Inline[][] {
  const items: Inline[][] = [];
  if (service.image) items.push([strong('Image:'), ' ', code(service.image.value.text), cite(service.image.range)]);
  if (service.build) {
    const b = service.build.value;
    items.push([strong('Build:'), ' context ', code(b.context ?? '.'), ...(b.dockerfile ? [', Dockerfile ', code(b.dockerfile)] : []), ...(b.target ? [', target ', code(b.target)] : []), cite(service.build.range)]);
  }
  if (service.containerName) items.push([strong('Container name:'), ' ', code(service.containerName.value), cite(service.containerName.range)]);
  if (service.hostname) items.push([strong('Hostname:'), ' ', code(service.hostname.value), cite(service.hostname.range)]);
  if (service.entrypoint) items.push([strong('Entrypoint:'), ' ', code(service.entrypoint.value), cite(service.entrypoint.range)]);
  if (service.command) items.push([strong('Command:'), ' ', code(service.command.value), cite(service.command.range)]);
  if (service.user) items.push([strong('User:'), ' ', code(service.user.value), cite(service.user.range)]);
  items.push(
    service.restart
      ? [strong('Restart policy:'), ' ', code(service.restart.value), cite(service.restart.range)]
      : [strong('Restart policy:'), ' none set (Docker does not restart the container).', cite(service.range)],
  );
  if (service.volumes.length > 0) items.push([strong('Volumes:'), ' ', ...codes(service.volumes, (v) => v.text), cite(...ranges(service.volumes))]);
  if (service.networkMode) items.push([strong('Network mode:'), ' ', code(service.networkMode.value), cite(service.networkMode.range)]);
  if (service.networks.length > 0) items.push([strong('Networks:'), ' ', ...codes(service.networks, (n) => n.name), cite(...ranges(service.networks))]);
  if (service.ports.length > 0) items.push([strong('Published ports:'), ' ', ...codes(service.ports, (p) => p.text), cite(...ranges(service.ports))]);
  if (service.expose.length > 0) items.push([strong('Exposed ports:'), ' ', ...codes(service.expose, (p) => p), cite(...ranges(service.expose))]);
  items.push(healthItem(service));
  if (service.resources) {
    const r = service.resources.value;
    const limits = [r.cpus ? `${r.cpus} CPUs` : '', r.memory ? `${r.memory} memory` : ''].filter(Boolean).join(', ');
    const reserved = [r.reservationsCpus ? `${r.reservationsCpus} CPUs` : '', r.reservationsMemory ? `${r.reservationsMemory} memory` : ''].filter(Boolean).join(', ');
    items.push([strong('Resources:'), ` ${[limits ? `limited to ${limits}` : '', reserved ? `reserves ${reserved}` : ''].filter(Boolean).join('; ')}.`, cite(service.resources.range)]);
  }
  if (service.profiles.length > 0) items.push([strong('Profiles:'), ' ', ...codes(service.profiles, (p) => p), ' (started only when one of these profiles is enabled)', cite(...ranges(service.profiles))]);
  if (service.devices.length > 0) items.push([strong('Devices:'), ' ', ...codes(service.devices, (d) => d), cite(...ranges(service.devices))]);
  if (service.capAdd.length > 0) items.push([strong('Capabilities added:'), ' ', ...codes(service.capAdd, (c) => c), cite(...ranges(service.capAdd))]);
  if (service.privileged?.value) items.push([strong('Privileged:'), ' yes', cite(service.privileged.range)]);
  if (service.configs.length > 0) items.push([strong('Configs:'), ' ', ...codes(service.configs, (c) => (c.target ? `${c.source} → ${c.target}` : c.source)), cite(...ranges(service.configs))]);
  if (service.logging) items.push([strong('Logging driver:'), ' ', code(service.logging.value), cite(service.logging.range)]);
  return items;
}

function healthItem(service: Service): Inline[] {
  const health = service.healthcheck;
  if (!health) return [strong('Health:'), ' no explicit healthcheck is defined in compose.', cite(service.range)];
  if (health.value.disabled) return [strong('Health:'), ' the healthcheck is disabled.', cite(health.range)];
  const timing = [health.value.interval ? `every ${health.value.interval}` : '', health.value.timeout ? `timeout ${health.value.timeout}` : '', health.value.retries ? `${health.value.retries} retries` : '', health.value.startPeriod ? `start period ${health.value.startPeriod}` : '']
    .filter(Boolean)
    .join(', ');
  return [strong('Health:'), ' ', ...(health.value.test ? [code(health.value.test)] : ['inherited test']), timing ? ` (${timing})` : '', cite(health.range)];
}

function configurationIntro(stack: Stack, service: Service): Inline[] {
  const origins = new Set(service.environment.map((e) => e.origin));
  const parts: Inline[] = [];
  if (origins.has('interpolated')) {
    const example = stack.envFiles.find((f) => f.role === 'example');
    parts.push('Values written as ', code('${…}'), ' come from the stack\'s ', code('.env'), ' file');
    if (example) parts.push(' (documented in ', code(example.path), ')');
    parts.push('. ');
  }
  const envFiles = service.envFiles.map((f) => f.value.path);
  if (envFiles.length > 0) parts.push('Variables are also loaded from ', ...joinInline(envFiles.map((f) => [code(f)])), '. ');
  // The first variable set in the service's own file, and its env files; when it has neither
  // (every variable comes from an `extends` base), the first variable wherever it is set: every
  // block of this section cites its source (see `Page.citedSections`).
  const own = service.environment.filter((e) => e.range.file === service.range.file).map((e) => e.range).slice(0, 1);
  const first = own.length > 0 || service.envFiles.length > 0 ? own : service.environment.slice(0, 1).map((e) => e.range);
  parts.push('Secret values are never shown here.', cite(...first, ...service.envFiles.map((f) => f.range)));
  return parts;
}

/** Operational notes from `x-wiki`, from the catalog, and from facts worth a warning. */
function operationalNotes(service: Service, entry: ReturnType<typeof catalogEntryFor>): Inline[][] {
  const notes: Inline[][] = [];
  const wiki = wikiExtension(service);
  for (const note of wiki?.value.notes ?? []) notes.push([sentence(note), cite(wiki?.range)]);
  for (const note of entry?.notes ?? []) notes.push([sentence(note), cite(service.image?.range)]);
  const image = service.image;
  if (image && (!image.value.tag || image.value.tag === 'latest') && !image.value.digest) {
    notes.push(['The image is not pinned to a version (', code(image.value.tag ?? 'latest'), '): a pull can upgrade it unannounced.', cite(image.range)]);
  }
  for (const env of service.environment.filter((e) => e.literalSecret)) {
    notes.push(['A secret (', code(env.name), ') is written as a literal in compose; move it to ', code('.env'), '.', cite(env.range)]);
  }
  return notes;
}

