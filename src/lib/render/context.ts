/** What every page renderer needs: the model, the catalog, the page tree and the config. */
import type { Catalog } from '../catalog/index.ts';
import type { Config } from '../config/schema.ts';
import type { Project, Service, Stack } from '../model/types.ts';
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
}
