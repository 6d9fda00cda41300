/**
 * Finding host names in values: URLs and DSNs (`postgres://u@db:5432/app`, `redis://:pw@redis:6379/2`),
 * `host:port` tokens, and plain hosts — the last only in variables whose name says they hold a host,
 * so that common words (`postgres` in `DB_ENGINE=postgres`) are never taken for services.
 */
import type { Protocol } from './types.ts';

export interface HostMention {
  readonly host: string;
  readonly port?: string;
  readonly scheme?: string;
  readonly user?: string;
  /** First path segment of a URL (a database name, or a Redis index). */
  readonly path?: string;
  readonly form: 'url' | 'host-port' | 'plain';
}

/** URL schemes whose host is a network peer. `docker://`, `file://` and the like are not. */
const SCHEMES = new Set([
  'http', 'https', 'ws', 'wss', 'postgres', 'postgresql', 'redis', 'rediss', 'valkey', 'mysql', 'mariadb', 'mongodb', 'mongodb+srv',
  'amqp', 'amqps', 'mqtt', 'mqtts', 'tcp', 'udp', 'smtp', 'smtps', 'ldap', 'ldaps', 'ntfy', 'ntfys', 'nats', 'grpc', 'ftp', 'sftp',
  'ssh', 'influxdb', 'memcached', 'memcache', 'elasticsearch', 'clickhouse', 'sqlserver', 'jdbc:postgresql', 'gotify', 'gotifys',
]);

const URL = /(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]*):\/\/(?:([^\s/@:'"`]*)(?::[^\s/@'"`]*)?@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_][A-Za-z0-9_.-]*)(?::(\d{1,5}))?(\/[^\s'"`,;|)\]]*)?/g;
const HOST_PORT = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(\d{1,5})\/?$/;
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Hosts that never name another service. */
const NOT_A_PEER = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::', '::1', '[::]', '[::1]', 'host.docker.internal', 'host-gateway', 'gateway.docker.internal']);

/** Variable names that announce a host, an address or a connection URL. */
const HOST_NAME = /(HOST|HOSTNAME|HOSTS|SERVER|SERVERS|SERVER_NAME|ADDR|ADDRESS|URL|URI|URLS|DSN|ENDPOINT|BROKER|BROKERS|UPSTREAM)$/i;

/** True when a variable named `name` is expected to hold a host or URL. */
export function nameSuggestsHost(name: string): boolean {
  return HOST_NAME.test(name);
}

/** The name without its host-ish suffix (`PAPERLESS_DBHOST` → `PAPERLESS_DB`), for grouping. */
export function hostStem(name: string): string | undefined {
  const match = /^(.*?)(_?(HOSTNAME|HOSTS|HOST|SERVERS|SERVER|ADDRESS|ADDR|URLS|URL|URI|DSN|ENDPOINT|BROKERS|BROKER))$/i.exec(name);
  const stem = match?.[1];
  return stem && /[A-Za-z]/.test(stem) ? stem : undefined;
}

/** Every host mentioned in `value`; plain hosts only when `plainAllowed` (the name says host). */
export function findHostMentions(value: string, plainAllowed: boolean): HostMention[] {
  const out: HostMention[] = [];
  let rest = value;
  for (const match of value.matchAll(URL)) {
    const scheme = (match[1] ?? '').toLowerCase();
    rest = rest.replace(match[0], ' ');
    if (!SCHEMES.has(scheme)) continue;
    const host = (match[3] ?? '').toLowerCase();
    if (!host || NOT_A_PEER.has(host)) continue;
    const user = match[2] && match[2] !== '***' ? match[2] : undefined;
    const path = match[5]?.split(/[/?#]/)[1];
    out.push({ host, scheme, form: 'url', ...(match[4] ? { port: match[4] } : {}), ...(user ? { user: decode(user) } : {}), ...(path ? { path: decode(path) } : {}) });
  }
  const tokens = rest.split(/[\s,;=|'"`()[\]{}]+/).filter(Boolean);
  for (const token of tokens) {
    const hostPort = HOST_PORT.exec(token);
    if (hostPort) {
      const host = (hostPort[1] ?? '').toLowerCase();
      const port = Number(hostPort[2]);
      if (!NOT_A_PEER.has(host) && port > 0 && port < 65536) out.push({ host, port: hostPort[2] as string, form: 'host-port' });
    }
  }
  const trimmed = value.trim();
  if (out.length === 0 && IPV4.test(trimmed)) out.push({ host: trimmed, form: 'plain' });
  else if (plainAllowed && out.length === 0) {
    if (PLAIN.test(trimmed) && !NOT_A_PEER.has(trimmed.toLowerCase()) && !/^\d+$/.test(trimmed)) out.push({ host: trimmed.toLowerCase(), form: 'plain' });
  }
  return out;
}

export function isIpv4(host: string): boolean {
  return IPV4.test(host);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The protocol a URL scheme speaks. */
export function schemeProtocol(scheme: string | undefined): Protocol | undefined {
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
    case 'jdbc:postgresql':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'redis':
    case 'rediss':
    case 'valkey':
      return 'redis';
    case 'mongodb':
    case 'mongodb+srv':
      return 'mongodb';
    case 'amqp':
    case 'amqps':
      return 'amqp';
    case 'mqtt':
    case 'mqtts':
      return 'mqtt';
    case 'memcache':
    case 'memcached':
      return 'memcache';
    case 'http':
    case 'https':
    case 'ws':
    case 'wss':
      return 'http';
    case undefined:
      return undefined;
    default:
      return 'other';
  }
}

/** The protocol named by a catalog entry's `protocol` field. */
export function catalogProtocol(protocol: string | undefined): Protocol | undefined {
  if (!protocol) return undefined;
  return schemeProtocol(protocol) ?? 'other';
}

/** `https://auth.example.home/x` → `auth.example.home`; undefined when not an http(s) URL. */
export function urlHost(value: string): string | undefined {
  const match = /^\s*https?:\/\/(?:[^\s/@]*@)?([A-Za-z0-9_][A-Za-z0-9_.-]*)/i.exec(value);
  return match?.[1]?.toLowerCase();
}
