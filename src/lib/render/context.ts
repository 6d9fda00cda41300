/** What every page renderer needs: the model, the catalog, the page tree, the config and the relations. */
import type { Catalog } from '../catalog/index.ts';
import type { Config } from '../config/schema.ts';
import type { Project, Service, Stack } from '../model/types.ts';
import type { BackupRelation, Finding, Membership, NetworkInfo, PortAllocation, Relations, ServiceId, StorageInfo, UsesRelation, VersionSkew } from '../relations/index.ts';
import type { PageTree } from './page-tree.ts';

export interface RenderContext {
  readonly project: Project;
  readonly catalog: Catalog;
  readonly tree: PageTree;
  readonly config: Pick<Config, 'tags' | 'stacks' | 'pages'>;
  /** Tags of a page of `stack` (or of the platform pages when undefined). */
  tags(stack?: Stack): string[];
  /** Services by the real Docker network name they join (built once per render). */
  readonly servicesOnNetwork: ReadonlyMap<string, readonly Service[]>;
  /** Relations between services across stacks (built once per render). */
  readonly relations: Relations;
  /** Every stack by its id. */
  readonly stackById: ReadonlyMap<string, Stack>;
  /** Every service by its relation id (`<stack id>/<service key>`). */
  readonly serviceById: ReadonlyMap<ServiceId, { readonly stack: Stack; readonly service: Service }>;
  /** The real Docker name of network `key` of `stack`. */
  networkName(stack: Stack, key: string): string;
  /** Look-ups over the relations, built once so that no page scans them all. */
  readonly lookup: RelationLookup;
}

export interface RelationLookup {
  /** The storage a stack's volume declaration names. */
  volume(stack: string, key: string): StorageInfo | undefined;
  /** Backup relations covering a storage. */
  backupsOf(storage: string): readonly BackupRelation[];
  /** `uses` relations with either end in the stack. */
  usesTouching(stack: string): readonly UsesRelation[];
  portsOf(stack: string): readonly PortAllocation[];
  /** Findings whose range or related ranges fall in the service's definitions. */
  findingsOf(id: ServiceId): readonly Finding[];
  /** Findings citing exactly this range (as range or related). */
  findingsAt(range: { readonly file: string; readonly startLine: number; readonly endLine: number }): readonly Finding[];
  skewsOf(id: ServiceId): readonly VersionSkew[];
  /** Members of a network grouped by stack (stacks in order of first member). */
  networkStacks(network: string): ReadonlyMap<string, readonly Membership[]>;
  /** Where a network is declared for `stack`: its non-external declaration, else the stack's own one. */
  networkDeclaration(network: string, stack: string): NetworkDeclaration | undefined;
}

/** One declaration of a network in a stack's `networks:` (see `NetworkInfo`). */
export type NetworkDeclaration = NetworkInfo['declarations'][number];
