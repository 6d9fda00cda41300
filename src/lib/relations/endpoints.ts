/**
 * Reading what reverse proxies are told by labels and variables: Traefik routers (their host
 * rules and middlewares) and forward-auth middlewares, Caddy labels, `VIRTUAL_HOST`,
 * `homepage.href`, Unraid's web-UI label, and the variables by which an application states its
 * own public URL (`AUTHENTIK_HOST`, `PAPERLESS_URL`, `GF_SERVER_ROOT_URL`, …).
 */
import type { Label, Located, Service, SourceRange } from '../model/types.ts';
import { urlHost } from './hosts.ts';
import type { Endpoint } from './types.ts';

export interface TraefikRouter {
  readonly name: string;
  readonly protocol: 'http' | 'tcp' | 'udp';
  readonly rule?: Located<string>;
  readonly hosts: readonly string[];
  readonly pathOnly: boolean;
  readonly middlewares?: Located<readonly string[]>;
}

export interface TraefikLabels {
  /** `traefik.enable`, when written. */
  readonly enable?: Located<boolean>;
  /** `traefik.docker.network`, when written. */
  readonly network?: Located<string>;
  readonly routers: readonly TraefikRouter[];
  /** Forward-auth middlewares defined here: name → address label. */
  readonly forwardAuth: readonly { readonly name: string; readonly address: Located<string> }[];
  /** Any `traefik.*` label (first one), to cite when nothing more specific exists. */
  readonly first?: SourceRange;
  /** True when a `traefik.<protocol>.services.*` label gives the service a load balancer. */
  readonly hasService: boolean;
}

const ROUTER = /^traefik\.(http|tcp|udp)\.routers\.([^.]+)\.(rule|middlewares)$/i;
const FORWARD_AUTH = /^traefik\.http\.middlewares\.([^.]+)\.forwardauth\.address$/i;

/** The Traefik labels of a service, read into routers and middlewares. */
export function readTraefikLabels(labels: readonly Located<Label>[]): TraefikLabels | undefined {
  interface RouterDraft {
    name: string;
    protocol: 'http' | 'tcp' | 'udp';
    rule?: Located<string>;
    hosts?: string[];
    middlewares?: Located<readonly string[]>;
  }
  const routers = new Map<string, RouterDraft>();
  const forwardAuth: { name: string; address: Located<string> }[] = [];
  let enable: Located<boolean> | undefined;
  let network: Located<string> | undefined;
  let first: SourceRange | undefined;
  let hasService = false;
  for (const label of labels) {
    const key = label.value.key.toLowerCase();
    if (!key.startsWith('traefik.')) continue;
    first ??= label.range;
    if (/^traefik\.(http|tcp|udp)\.services\./.test(key)) hasService = true;
    const value = label.value.value;
    if (value === undefined) continue;
    if (key === 'traefik.enable') enable = { value: value.trim().toLowerCase() === 'true', range: label.range };
    else if (key === 'traefik.docker.network') network = { value: value.trim(), range: label.range };
    else if (key === 'traefik.frontend.rule') {
      // Traefik v1: `Host:a.example,b.example`.
      const hosts = /Host:\s*([^;]+)/i.exec(value)?.[1]?.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean) ?? [];
      routers.set('http:frontend', { name: 'frontend', protocol: 'http', rule: { value, range: label.range }, hosts });
    } else {
      const router = ROUTER.exec(label.value.key);
      if (router) {
        const protocol = (router[1] ?? 'http').toLowerCase() as 'http' | 'tcp' | 'udp';
        const id = `${protocol}:${router[2]}`;
        const entry = routers.get(id) ?? { name: router[2] as string, protocol };
        if ((router[3] ?? '').toLowerCase() === 'rule') entry.rule = { value, range: label.range };
        else entry.middlewares = { value: value.split(',').map((m) => m.trim()).filter(Boolean), range: label.range };
        routers.set(id, entry);
        continue;
      }
      const auth = FORWARD_AUTH.exec(label.value.key);
      if (auth) forwardAuth.push({ name: auth[1] as string, address: { value, range: label.range } });
    }
  }
  if (!first) return undefined;
  return {
    ...(enable ? { enable } : {}),
    ...(network ? { network } : {}),
    routers: [...routers.values()].map((r) => ({ ...r, hosts: r.hosts ?? (r.rule ? ruleHosts(r.rule.value) : []), pathOnly: r.rule ? rulePathOnly(r.rule.value) : false })),
    forwardAuth,
    first,
    hasService,
  };
}

/** Hosts of a Traefik rule: ``Host(`a`, `b`)`` and ``HostSNI(`a`)`` (not `HostRegexp`). */
export function ruleHosts(rule: string): string[] {
  const out: string[] = [];
  for (const match of rule.matchAll(/\bHost(?:SNI)?\s*\(([^)]*)\)/g)) {
    for (const quoted of (match[1] ?? '').matchAll(/[`"']([^`"']+)[`"']/g)) {
      const host = (quoted[1] ?? '').trim().toLowerCase();
      if (host && host !== '*') out.push(host);
    }
  }
  return [...new Set(out)];
}

/** True when a rule restricts its hosts to a path other than `/` (the route then serves part of a site). */
function rulePathOnly(rule: string): boolean {
  const paths = [...rule.matchAll(/\bPath(?:Prefix)?\s*\(\s*[`"']([^`"']*)[`"']/g)].map((m) => m[1]);
  return paths.length > 0 && !paths.includes('/');
}

/** A middleware reference `name@provider` → name, when it can be defined by Docker labels. */
export function middlewareName(reference: string): string | undefined {
  const [name, provider] = reference.split('@');
  if (!name) return undefined;
  if (provider && !['docker', 'swarm'].includes(provider.toLowerCase())) return undefined;
  return name;
}

/** Addresses in a Caddy label value (`caddy: a.example.com, b.example.com`), host names only. */
function caddyHosts(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((address) => address.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '').toLowerCase())
    .filter((host) => host && !host.includes('*') && !host.includes('{') && /[a-z]/.test(host));
}

/** Variables by which an application states its own public URL (their value must be an http(s) URL). */
const SELF_URL = /(^|_)(PUBLIC|EXTERNAL|BASE|ROOT|APP|SITE|WEBUI|WEB|SERVER|INSTANCE)_?URL$|^(APP_)?URL$|^DOMAIN$|SITEURL$|PublishedServerUrl$|^[A-Z0-9]+_HOST$/i;

/** True for a variable by which an application states its own public URL. */
export function isSelfUrlName(name: string): boolean {
  return SELF_URL.test(name);
}

/** Every public host the service states: by labels, `VIRTUAL_HOST`, or its own-URL variables. */
export function serviceEndpoints(service: Service, base: Omit<Endpoint, 'host' | 'range' | 'source' | 'pathOnly'>, traefik: TraefikLabels | undefined): Endpoint[] {
  const out: Endpoint[] = [];
  const add = (host: string | undefined, range: SourceRange, source: Endpoint['source'], pathOnly = false) => {
    if (!host || !host.includes('.') || host.includes('[') || host.includes('$')) return;
    out.push({ ...base, host: host.toLowerCase(), range, source, pathOnly });
  };
  if (traefik && traefik.enable?.value !== false) {
    for (const router of traefik.routers) if (router.rule) for (const host of router.hosts) add(host, router.rule.range, 'traefik', router.pathOnly);
  }
  for (const label of service.labels) {
    const key = label.value.key.toLowerCase();
    const value = label.value.value;
    if (value === undefined) continue;
    if (/^caddy(_\d+)?$/.test(key)) for (const host of caddyHosts(value)) add(host, label.range, 'caddy');
    else if (key === 'homepage.href') add(urlHost(value), label.range, 'homepage');
    else if (key === 'net.unraid.docker.webui') add(urlHost(value), label.range, 'unraid');
  }
  for (const env of service.environment) {
    if (env.value === undefined) continue;
    if (env.name === 'VIRTUAL_HOST') for (const host of env.value.split(',')) add(host.trim(), env.range, 'virtual-host');
    else if (SELF_URL.test(env.name)) add(urlHost(env.value), env.range, 'environment');
  }
  return out;
}

/** True when the service carries Caddy-docker-proxy labels. */
export function caddyLabel(service: Service): Located<Label> | undefined {
  return service.labels.find((l) => /^caddy(_\d+)?$/i.test(l.value.key));
}
