/**
 * Relations between services across the stacks of a project: who depends on, connects to,
 * signs in with, is published or protected by, shares a network or storage with, or is backed
 * up by whom — and the findings they imply. Every relation carries the lines at both ends.
 *
 * Services are named by a {@link ServiceId}: `<stack id>/<service key>` (stack ids may contain
 * `/`, service keys cannot, so the last `/` separates them).
 */
import type { Severity, SourceFile, SourceRange } from '../model/types.ts';

/** `<stack id>/<service key>`, e.g. `authentik/server` or `pterodactyl/panel/pterodactyl_db`. */
export type ServiceId = string;

/** One end of a relation: a service and the lines that state the relation at that end. */
export interface RelationEnd {
  readonly id: ServiceId;
  readonly stack: string;
  readonly service: string;
  readonly range: SourceRange;
}

/** How a host name was matched to a service. */
export type NameSource = 'service' | 'container_name' | 'hostname' | 'alias' | 'default-container-name' | 'ipv4_address';

/** Wire protocols the layer recognises (from the URL scheme, else the provider's catalog entry). */
export type Protocol = 'postgres' | 'mysql' | 'redis' | 'mongodb' | 'amqp' | 'mqtt' | 'http' | 'memcache' | 'other';

/** A value written at a place in a file. */
export interface Cited<T> {
  readonly value: T;
  readonly range: SourceRange;
}

interface RelationBase {
  /** Stable identifier: kind, both services and the line of the `from` end. */
  readonly id: string;
  /** The dependent side: the service that depends, consumes, is published, protected or backs up. */
  readonly from: RelationEnd;
  /** The side depended upon. */
  readonly to: RelationEnd;
}

/** `depends_on` (from waits for to). `to.range` is the line of the target's service key. */
export interface DependsOnRelation extends RelationBase {
  readonly kind: 'depends-on';
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  readonly required: boolean;
  readonly restart: boolean;
}

/** `links` / `external_links`. */
export interface LinkRelation extends RelationBase {
  readonly kind: 'link';
  readonly alias?: string;
  readonly external: boolean;
}

/** `network_mode: service:<to>` (or `container:<to>`): from runs inside to's network stack. */
export interface NetworkModeRelation extends RelationBase {
  readonly kind: 'network-mode';
}

/**
 * A host reference: an environment value, command or label of `from` names `to` as a host (plain
 * host, host:port, URL or DSN). `from.range` covers the host variable; `variables` is the group
 * the consumer configures the connection with (e.g. every `DB_POSTGRESDB_*`).
 */
export interface UsesRelation extends RelationBase {
  readonly kind: 'uses';
  readonly via: 'environment' | 'env_file' | 'command' | 'label';
  /** The variables (or label keys) naming the host, and the rest of their group, in order. */
  readonly variables: readonly Cited<string>[];
  /** How to write the group: `DB_POSTGRESDB_*`, or the variable's name when alone. */
  readonly label: string;
  /** The host as written (lower case). */
  readonly host: string;
  readonly port?: string;
  readonly protocol: Protocol;
  readonly matchedBy: NameSource;
  /** False when the two services share no network (the name then does not resolve in Docker). */
  readonly reachable: boolean;
  /** Database name the consumer uses (Postgres, MySQL/MariaDB, MongoDB). */
  readonly database?: Cited<string>;
  /** Database user the consumer signs in as. */
  readonly user?: Cited<string>;
  /** Redis logical database index; `implicit` when none is written (Redis then uses 0). */
  readonly redisDb?: Cited<number> & { readonly implicit?: boolean };
}

/** What a consumer of another service's public URL does with it. */
export type EndpointPurpose = 'sign-in' | 'webhook' | 'notifications' | 'api';

/** `from` points at a public URL that `to` publishes (an OIDC issuer, a webhook or notification target). */
export interface UsesEndpointRelation extends RelationBase {
  readonly kind: 'uses-endpoint';
  readonly variables: readonly Cited<string>[];
  readonly label: string;
  readonly host: string;
  readonly purpose: EndpointPurpose;
}

/** How a reverse-proxy relation was found. */
export type ProxyMethod = 'traefik-labels' | 'caddy-labels' | 'virtual-host' | 'declared';

/** `from` is published by the reverse proxy `to`. `to.range` is the proxy's line on the shared network. */
export interface ProxiedByRelation extends RelationBase {
  readonly kind: 'proxied-by';
  readonly method: ProxyMethod;
  /** Real name of the network the proxy reaches the service on. */
  readonly network?: string;
  /** Public host names of `from` routed by this proxy. */
  readonly hosts: readonly string[];
}

/** `from` is behind the forward-auth service `to` (an auth outpost, a bouncer). */
export interface ProtectedByRelation extends RelationBase {
  readonly kind: 'protected-by';
  readonly method: 'traefik-middleware' | 'outpost-route' | 'declared';
  readonly middleware?: string;
}

/** The backup job `from` covers storage that `to` owns (mounts). */
export interface BackupRelation extends RelationBase {
  readonly kind: 'backup';
  /** Storage key (see {@link StorageInfo.key}) and its display name. */
  readonly storage: string;
  readonly storageName: string;
  /** `config`: named by a location of the job's configuration file; `mount`: mounted into the job. */
  readonly evidence: 'config' | 'mount';
  /** The location in the job's configuration file (e.g. `.autorestic.yml`), when there is one. */
  readonly location?: Cited<string>;
  /** The location's schedule as written (a cron expression), when the configuration gives one. */
  readonly schedule?: string;
}

export type Relation =
  | DependsOnRelation
  | LinkRelation
  | NetworkModeRelation
  | UsesRelation
  | UsesEndpointRelation
  | ProxiedByRelation
  | ProtectedByRelation
  | BackupRelation;

export type RelationKind = Relation['kind'];

/** A member of a network: a service and its line in `networks:` (or its service key for `default`). */
export interface Membership {
  /** Real name of the network. */
  readonly network: string;
  readonly id: ServiceId;
  readonly stack: string;
  readonly service: string;
  readonly range: SourceRange;
  readonly aliases: readonly string[];
  readonly ipv4Address?: string;
}

/** One Docker network by its real name, with every stack's declaration and every member. */
export interface NetworkInfo {
  readonly name: string;
  /** Declarations under `networks:` (created here, or `external`). */
  readonly declarations: readonly { readonly stack: string; readonly key: string; readonly external: boolean; readonly range: SourceRange }[];
  readonly members: readonly Membership[];
}

/** One service's mount of a storage. */
export interface Mount {
  readonly id: ServiceId;
  readonly stack: string;
  readonly service: string;
  readonly range: SourceRange;
  readonly target: string;
  readonly readOnly: boolean;
  /** For a bind mount below the storage's path: the mounted sub-path. */
  readonly subpath?: string;
}

/** A named volume (by real name) or a host path, with everyone mounting it. */
export interface StorageInfo {
  /** `volume:<real name>` or `bind:<host path>`. */
  readonly key: string;
  readonly kind: 'volume' | 'bind';
  /** Real volume name or host path. */
  readonly name: string;
  readonly declarations: readonly { readonly stack: string; readonly key: string; readonly external: boolean; readonly range: SourceRange }[];
  readonly mounts: readonly Mount[];
  /** Mounted by a database server at its data path (what a backup must not miss). */
  readonly stateful: boolean;
  /** Services (ids) of backup jobs that cover it. */
  readonly backedUpBy: readonly ServiceId[];
}

/** A public host name a service is reachable at. */
export interface Endpoint {
  readonly host: string;
  readonly id: ServiceId;
  readonly stack: string;
  readonly service: string;
  readonly range: SourceRange;
  readonly source: 'traefik' | 'caddy' | 'virtual-host' | 'homepage' | 'unraid' | 'environment';
  /** True when the route only covers a path (e.g. an outpost's `/outpost.goauthentik.io/`). */
  readonly pathOnly: boolean;
}

/** A published host port. */
export interface PortAllocation {
  readonly id: ServiceId;
  readonly stack: string;
  readonly service: string;
  readonly range: SourceRange;
  /** Host address; undefined means every address. */
  readonly hostIp?: string;
  readonly first: number;
  readonly last: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
}

/** Services of one image repository in one stack running different tags. */
export interface VersionSkew {
  readonly stack: string;
  readonly repository: string;
  readonly members: readonly { readonly id: ServiceId; readonly service: string; readonly tag: string; readonly range: SourceRange }[];
}

/** Stable identifiers of the findings this layer reports. */
export type RelationFindingId =
  | 'version-skew'
  | 'redis-db-conflict'
  | 'port-conflict'
  | 'shared-db-user'
  | 'unbacked-volume'
  | 'network-undeclared'
  | 'network-unused'
  | 'proxy-unreachable';

/** A problem the relations reveal, at the lines that cause it; messages never hold secret values. */
export interface Finding {
  readonly id: RelationFindingId;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly related?: readonly SourceRange[];
}

/** Everything the layer found, immutable. */
export interface Relations {
  readonly relations: readonly Relation[];
  readonly networks: readonly NetworkInfo[];
  readonly storages: readonly StorageInfo[];
  readonly endpoints: readonly Endpoint[];
  readonly ports: readonly PortAllocation[];
  readonly versionSkews: readonly VersionSkew[];
  readonly findings: readonly Finding[];
  /** Relations by the id of their `from` service, in the order found. */
  readonly outgoing: ReadonlyMap<ServiceId, readonly Relation[]>;
  /** Relations by the id of their `to` service. */
  readonly incoming: ReadonlyMap<ServiceId, readonly Relation[]>;
  /** Networks (real names) by member service. */
  readonly networksOf: ReadonlyMap<ServiceId, readonly string[]>;
  /** Storage keys by mounting service. */
  readonly storagesOf: ReadonlyMap<ServiceId, readonly string[]>;
  readonly networkByName: ReadonlyMap<string, NetworkInfo>;
  readonly storageByKey: ReadonlyMap<string, StorageInfo>;
  /**
   * Repository files the relations cite that the model does not list (a backup job's
   * `.autorestic.yml`): whoever validates citations against `project.files` must add these.
   */
  readonly files: readonly SourceFile[];
}

/** Reads a repository file (POSIX path relative to the repository root); undefined when absent. */
export type RepositoryReader = (path: string) => string | undefined;

export interface BuildRelationsOptions {
  /**
   * Reads files the model does not hold: a backup job's configuration (`.autorestic.yml`) and the
   * values of `env_file` files (the model keeps their variable names only). Without it those
   * sources are skipped.
   */
  readonly read?: RepositoryReader;
}
