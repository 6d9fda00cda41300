/**
 * Prose that cannot be derived from YAML, from the sources DESIGN lists, in order: the
 * service's `x-wiki` field, the YAML comment above it, well-known labels, the catalog of
 * well-known images, else a plain derived sentence. Each answer carries the lines it rests on.
 */
import type { Catalog, CatalogEntry } from '../catalog/index.ts';
import { findCatalogEntry } from '../catalog/index.ts';
import type { Located, Service, SourceRange } from '../model/types.ts';

/** What `x-wiki` may say about a service. */
export interface WikiExtension {
  readonly description?: string;
  readonly notes: readonly string[];
  readonly [key: string]: unknown;
}

/** Reads the service's `x-wiki` field (a string is taken as the description). */
export function wikiExtension(service: Service): Located<WikiExtension> | undefined {
  const field = service.extensions['x-wiki'];
  if (!field) return undefined;
  const value = field.value;
  if (typeof value === 'string') return { value: { description: value, notes: [] }, range: field.range };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const notes = Array.isArray(record.notes) ? record.notes.filter((n): n is string => typeof n === 'string') : typeof record.notes === 'string' ? [record.notes] : [];
  return { value: { ...record, ...(typeof record.description === 'string' ? { description: record.description } : {}), notes }, range: field.range };
}

/** Labels whose value describes the service, most specific first. */
const DESCRIPTION_LABELS = ['homepage.description', 'org.opencontainers.image.description', 'net.unraid.docker.description', 'org.label-schema.description'];

export interface Description {
  readonly text: string;
  readonly range: SourceRange;
  readonly source: 'x-wiki' | 'comment' | 'label' | 'catalog' | 'derived';
}

/** The catalog entry for a service's image (and command, for variants such as authentik's worker). */
export function catalogEntryFor(catalog: Catalog, service: Service): CatalogEntry | undefined {
  const image = service.image?.value;
  if (!image) return undefined;
  const command = service.command?.value.split(/\s+/)[0];
  return findCatalogEntry(catalog, { repository: image.repository, ...(image.registry ? { registry: image.registry } : {}) }, command);
}

/** The service's description, from the first source that has one. */
export function describeService(service: Service, entry: CatalogEntry | undefined): Description {
  const wiki = wikiExtension(service);
  if (wiki?.value.description) return { text: sentence(wiki.value.description), range: wiki.range, source: 'x-wiki' };
  if (service.description) return { text: sentence(service.description.value.replace(/\s*\n\s*/g, ' ')), range: service.description.range, source: 'comment' };
  for (const key of DESCRIPTION_LABELS) {
    const label = service.labels.find((l) => l.value.key === key && l.value.value);
    if (label?.value.value) return { text: sentence(label.value.value), range: label.range, source: 'label' };
  }
  if (entry && service.image) return { text: sentence(entry.description), range: service.image.range, source: 'catalog' };
  const what = service.image ? `the \`${service.image.value.repository}\` image` : 'an image built from this repository';
  return { text: `Runs ${what}.`, range: service.image?.range ?? service.build?.range ?? service.range, source: 'derived' };
}

/** Trims and ends a text with a full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return /[.!?:)]$/.test(trimmed) || trimmed === '' ? trimmed : `${trimmed}.`;
}

/**
 * A sentence about to be followed by a citation token. A literal autolink runs on to the next
 * space, so a sentence ending in a URL (`… https://github.com/x/y.`) would take the token into the
 * link (an address that does not exist, and a citation nobody can follow); a space keeps them apart.
 */
export function beforeCitation(text: string): string {
  return /(?:https?:\/\/|www\.)\S*$/i.test(text) ? `${text} ` : text;
}

/** The first sentence of a text, at most `max` characters, for page descriptions. */
export function summary(text: string, max = 160): string {
  const first = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return first.length <= max ? first : `${first.slice(0, max - 1).trimEnd()}…`;
}
