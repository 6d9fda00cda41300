/**
 * The project model: what compose-wiki knows about a repository of Compose stacks.
 *
 * Every fact carries the `SourceRange` it was read from, because every sentence of the wiki cites
 * its lines. The model is plain data (JSON-serialisable, frozen after loading) so that renderers,
 * `check`, the site and the publisher can share it without re-reading any file.
 */

/** Lines of one file, 1-based and inclusive. `file` is a POSIX path relative to the repository root. */
export interface SourceRange {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** A value together with the lines it was written on. */
export interface Located<T> {
  readonly value: T;
  readonly range: SourceRange;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while loading, named by its place. Messages never contain secret values. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Repository-relative file path. */
  readonly file: string;
  /** 1-based line, 0 when the problem concerns the whole file. */
  readonly line: number;
  /** 1-based column, 0 when the problem concerns the whole file. */
  readonly column: number;
  /** Stable identifier such as `yaml-syntax` or `interpolation-required`. */
  readonly code: string;
  readonly message: string;
}

/** A file the model was read from (compose files, env files, included files). */
export interface SourceFile {
  readonly path: string;
  readonly kind: 'compose' | 'env' | 'other';
  readonly lineCount: number;
}

export interface Project {
  /** Display name of the repository (its folder name), never an absolute path. */
  readonly name: string;
  readonly stacks: readonly Stack[];
  readonly files: readonly SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface Stack {
  /** Repository-relative folder of the stack, e.g. `authentik` or `pterodactyl/wings`. */
  readonly id: string;
  /** Compose project name: top-level `name:` when set, else derived from the folder as Compose does. */
  readonly name: Located<string> | { readonly value: string; readonly range?: undefined };
  /** Compose files in merge order (main file first, then overrides), repository-relative. */
  readonly files: readonly string[];
  /** The whole main compose file. */
  readonly range: SourceRange;
  /** Free text from the comment block at the top of the main compose file, if any. */
  readonly description?: Located<string>;
  readonly services: readonly Service[];
  readonly networks: readonly NetworkDefinition[];
  readonly volumes: readonly VolumeDefinition[];
  readonly secrets: readonly TopLevelResource[];
  readonly configs: readonly TopLevelResource[];
  /** Variables the stack's env files define (names only; see EnvFileVariable). */
  readonly envFiles: readonly EnvFile[];
  /** Top-level `x-*` extension fields, with their plain (interpolated) values. */
  readonly extensions: Readonly<Record<string, Located<unknown>>>;
}

export interface Service {
  /** Service key in the compose file. */
  readonly name: string;
  /** Id of the stack this service belongs to. */
  readonly stack: string;
  /** From the service key line to the last non-blank line of its block (main definition). */
  readonly range: SourceRange;
  /** Every block that contributed to the service (main file, overrides, `extends` bases). */
  readonly definitions: readonly SourceRange[];
  /** The comment block directly above the service key, without `#` markers. */
  readonly description?: Located<string>;
  readonly containerName?: Located<string>;
  readonly hostname?: Located<string>;
  readonly image?: Located<ImageRef>;
  readonly build?: Located<BuildInfo>;
  readonly command?: Located<string>;
  readonly entrypoint?: Located<string>;
  readonly restart?: Located<string>;
  readonly user?: Located<string>;
  readonly workingDir?: Located<string>;
  readonly networkMode?: Located<string>;
  readonly privileged?: Located<boolean>;
  readonly ports: readonly Located<PortMapping>[];
  readonly expose: readonly Located<string>[];
  readonly volumes: readonly Located<VolumeMount>[];
  readonly networks: readonly Located<ServiceNetwork>[];
  readonly dependsOn: readonly Located<Dependency>[];
  readonly links: readonly Located<string>[];
  readonly externalLinks: readonly Located<string>[];
  readonly environment: readonly EnvironmentEntry[];
  readonly envFiles: readonly Located<EnvFileReference>[];
  readonly labels: readonly Located<Label>[];
  readonly healthcheck?: Located<Healthcheck>;
  readonly secrets: readonly Located<ResourceReference>[];
  readonly configs: readonly Located<ResourceReference>[];
  readonly profiles: readonly Located<string>[];
  readonly devices: readonly Located<string>[];
  readonly capAdd: readonly Located<string>[];
  readonly resources?: Located<Resources>;
  readonly logging?: Located<string>;
  /** `x-*` fields of the service (including `x-wiki`), with their plain values. */
  readonly extensions: Readonly<Record<string, Located<unknown>>>;
}

/** `registry/repository:tag@digest`, split. `repository` includes the registry host when written. */
export interface ImageRef {
  /** As written after interpolation, e.g. `ghcr.io/goauthentik/server:2025.8.4`. */
  readonly text: string;
  readonly registry?: string;
  /** Repository without registry and tag, e.g. `goauthentik/server`; `library/` is dropped. */
  readonly repository: string;
  /** Tag as written; undefined when none was given (Compose then pulls `latest`). */
  readonly tag?: string;
  readonly digest?: string;
}

export interface BuildInfo {
  readonly context?: string;
  readonly dockerfile?: string;
  readonly target?: string;
}

export interface PortMapping {
  readonly hostIp?: string;
  /** Host port or range as written (`8080`, `8000-8010`); undefined when only the container port is given. */
  readonly published?: string;
  readonly target: string;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly name?: string;
  /** Short-syntax text as written (after interpolation). */
  readonly text: string;
}

export interface VolumeMount {
  readonly type: 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'image' | 'cluster';
  /** Named volume or host path; undefined for anonymous volumes and tmpfs. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** Short-syntax text (`ak_media:/media:ro`). */
  readonly text: string;
}

export interface ServiceNetwork {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly ipv4Address?: string;
}

export interface Dependency {
  readonly service: string;
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  readonly required: boolean;
  readonly restart: boolean;
}

/** Where the value of an environment variable comes from. */
export type EnvironmentOrigin =
  /** Written as a literal in the compose file. */
  | 'literal'
  /** Written with `${VAR}` interpolation (value from `.env` / example env file / process env). */
  | 'interpolated'
  /** Declared by name only (`- FOO` / `FOO:`): passed through from the shell environment. */
  | 'passthrough'
  /** Defined in a file named by `env_file:`. */
  | 'env_file';

export interface EnvironmentEntry {
  readonly name: string;
  readonly range: SourceRange;
  readonly origin: EnvironmentOrigin;
  /** Judged secret by its name or value shape. */
  readonly secret: boolean;
  /**
   * The value after interpolation, for non-secret entries only. URL credentials are masked as
   * `***`. Undefined for secrets and for values that could not be resolved.
   */
  readonly value?: string;
  /** The text as written, for non-secret entries (e.g. `${PG_USER:-authentik}`); masked like value. */
  readonly written?: string;
  /** Variables interpolated into the value (e.g. `PG_PASS`). */
  readonly variables: readonly string[];
  /** Documentation from a `# --` comment above or after the entry. */
  readonly doc?: string;
  /** A secret (or URL credentials) written as a literal in the compose file: a finding for `check`. */
  readonly literalSecret?: boolean;
  /** For `env_file` entries: the env file the variable is defined in. */
  readonly envFile?: string;
}

export interface EnvFileReference {
  readonly path: string;
  readonly required: boolean;
  /** False when the file does not exist in the repository. */
  readonly exists: boolean;
}

export interface EnvFile {
  readonly path: string;
  /** `.env` is what Compose reads; the other names are examples kept beside the stack. */
  readonly role: 'dotenv' | 'example' | 'env_file';
  readonly variables: readonly EnvFileVariable[];
}

/** A variable of an env file. Values are never kept, only whether one is set. */
export interface EnvFileVariable {
  readonly name: string;
  readonly line: number;
  readonly hasValue: boolean;
  readonly secret: boolean;
  readonly doc?: string;
}

export interface Label {
  readonly key: string;
  /** Undefined when the value looks secret (credentials in URLs are masked instead). */
  readonly value?: string;
  readonly secret: boolean;
}

export interface Healthcheck {
  readonly disabled: boolean;
  /** The test as a display string (`CMD-SHELL pg_isready -U …`), credentials masked. */
  readonly test?: string;
  readonly interval?: string;
  readonly timeout?: string;
  readonly retries?: number;
  readonly startPeriod?: string;
}

export interface ResourceReference {
  readonly source: string;
  readonly target?: string;
}

export interface Resources {
  readonly cpus?: string;
  readonly memory?: string;
  readonly reservationsCpus?: string;
  readonly reservationsMemory?: string;
}

export interface NetworkDefinition {
  /** Key in the `networks:` section. */
  readonly key: string;
  /** Real network name (`name:`), or `key` when none is given. */
  readonly name: string;
  readonly external: boolean;
  readonly driver?: string;
  readonly range: SourceRange;
}

export interface VolumeDefinition {
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  readonly driver?: string;
  readonly range: SourceRange;
}

export interface TopLevelResource {
  readonly key: string;
  /** `file`, `environment`, `content` (inline) or `external`. */
  readonly kind: 'file' | 'environment' | 'content' | 'external' | 'unknown';
  /** The file path or environment variable name, never inline content. */
  readonly source?: string;
  readonly range: SourceRange;
}
