/**
 * Findings from the relations between services (version skew, port and Redis DB conflicts,
 * shared database users, stateful volumes no backup covers, network declarations that do not
 * match their use), as the relations layer reports them: `{ id, severity, message, range, related? }`.
 */
import { loadCatalog, type Catalog } from '../catalog/index.ts';
import type { Project } from '../model/types.ts';
import { buildRelations, relationFindings, repositoryReader, type Relations } from '../relations/index.ts';
import type { RawFinding } from './findings.ts';

/**
 * The relations findings of a project. `relations` when they were already built; else they are
 * built here, reading the repository at `source` (a backup job's config, `env_file` values).
 */
export function relationFindingsOf(project: Project, options: { source?: string; relations?: Relations; catalog?: Catalog } = {}): RawFinding[] {
  const relations = options.relations ?? buildRelations(project, options.catalog ?? loadCatalog(), options.source ? { read: repositoryReader(options.source) } : {});
  return relationFindings(relations).map((f) => ({
    id: f.id,
    severity: f.severity,
    message: f.message,
    range: f.range,
    ...(f.related && f.related.length > 0 ? { related: f.related } : {}),
  }));
}
