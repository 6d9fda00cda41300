/**
 * Keeps the sidebar small on big homelabs. Starlight writes the whole sidebar into every page, so
 * with 1,000 services each page would carry 1,000 links (a 230 kB page, a 260 MB site). Above
 * COMPOSE_WIKI_SIDEBAR_LIMIT links (default 400), a stack group that does not hold the current
 * page becomes a single link to its stack page, which lists its services; the current page's
 * group stays whole.
 */
import { defineRouteMiddleware, type StarlightRouteData } from '@astrojs/starlight/route-data';

type Entry = StarlightRouteData['sidebar'][number];

const LIMIT = Number(process.env.COMPOSE_WIKI_SIDEBAR_LIMIT ?? 400);

const countLinks = (entries: readonly Entry[]): number =>
  entries.reduce((n, e) => n + (e.type === 'link' ? 1 : countLinks(e.entries)), 0);
const hasCurrent = (entries: readonly Entry[]): boolean =>
  entries.some((e) => (e.type === 'link' ? e.isCurrent : hasCurrent(e.entries)));

let total: number | undefined;

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  total ??= countLinks(route.sidebar);
  if (!(total > LIMIT)) return;
  route.sidebar = route.sidebar.map((entry): Entry => {
    if (entry.type !== 'group' || hasCurrent(entry.entries)) return entry;
    const overview = entry.entries.find((e) => e.type === 'link');
    if (!overview || overview.type !== 'link') return entry;
    return { type: 'link', label: entry.label, href: overview.href, isCurrent: false, badge: entry.badge, attrs: {} };
  });
});
