/**
 * Lookups the site's components share, computed once per build (module state), not once per page.
 */
import { getCollection } from 'astro:content';

const docs = await getCollection('docs');
const titles = new Map<string, string>(docs.map((entry) => [entry.id === 'index' ? '' : entry.id, entry.data.title]));

export interface Crumb {
  readonly label: string;
  readonly id: string;
}

/** The pages above a page in the wiki tree. */
export function breadcrumbs(id: string): Crumb[] {
  const parts = id.split('/');
  const crumbs: Crumb[] = [];
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const title = titles.get(prefix);
    // Folders without a page of their own (the wiki's `home`) are left out.
    if (title !== undefined) crumbs.push({ label: title, id: prefix });
  }
  return crumbs;
}
