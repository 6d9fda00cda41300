/**
 * The environment table of a service page: one row per variable, related variables grouped in
 * one row the way the seed writes `AUTHENTIK_POSTGRESQL__HOST/PORT/NAME/USER/PASSWORD`, a purpose
 * for each, where its value comes from, and never a secret's value.
 */
import type { Table } from 'mdast';
import type { Catalog, CatalogEntry } from '../catalog/index.ts';
import { environmentPurpose, findVariableGroup, groupPurpose } from '../catalog/index.ts';
import type { EnvironmentEntry, Service, SourceRange } from '../model/types.ts';
import { cite, code, emphasis, joinInline, table, text, type Inline } from './mdast.ts';
import { sentence } from './knowledge.ts';

/** The Purpose cell of a variable nobody documented yet (shown in italics); a person's text replaces it. */
export const PURPOSE_PLACEHOLDER = '(purpose not documented)';

export interface EnvironmentRow {
  /** Variable names in the row (one, or a group sharing `prefix`). */
  readonly names: readonly string[];
  readonly prefix?: string;
  readonly entries: readonly EnvironmentEntry[];
  readonly purpose?: string;
}

/**
 * Groups variables: catalog groups first, then any prefix of at least two `_`-separated segments
 * (`DB_POSTGRESDB_`) shared by two or more variables. Order follows the first member.
 */
export function groupEnvironment(service: Service, catalog: Catalog, entry: CatalogEntry | undefined): EnvironmentRow[] {
  const image = service.image ? { repository: service.image.value.repository, ...(service.image.value.registry ? { registry: service.image.value.registry } : {}) } : undefined;
  const prefixOf = new Map<EnvironmentEntry, string>();
  for (const env of service.environment) {
    const known = findVariableGroup(catalog, entry, env.name, image);
    if (known) prefixOf.set(env, known);
  }
  const counts = new Map<string, number>();
  const candidates = (name: string) => {
    const out: string[] = [];
    const parts = name.split(/(?<=_)/); // keep separators: ["DB_", "POSTGRESDB_", "HOST"]
    for (let n = parts.length - 1; n >= 2; n--) out.push(parts.slice(0, n).join(''));
    return out;
  };
  for (const env of service.environment) for (const p of candidates(env.name)) counts.set(p, (counts.get(p) ?? 0) + 1);
  for (const env of service.environment) {
    if (prefixOf.has(env)) continue;
    const shared = candidates(env.name).find((p) => (counts.get(p) ?? 0) >= 2);
    if (shared) prefixOf.set(env, shared);
  }
  // A catalog group with a single member is shown as a plain row.
  const members = new Map<string, EnvironmentEntry[]>();
  for (const env of service.environment) {
    const prefix = prefixOf.get(env);
    if (prefix) members.set(prefix, [...(members.get(prefix) ?? []), env]);
  }
  const rows: EnvironmentRow[] = [];
  const done = new Set<string>();
  for (const env of service.environment) {
    const prefix = prefixOf.get(env);
    const group = prefix ? members.get(prefix) ?? [] : [];
    if (prefix && group.length >= 2) {
      if (done.has(prefix)) continue;
      done.add(prefix);
      const docs = group.map((g) => g.doc).filter((d): d is string => !!d);
      const purpose = docs.length === 1 ? docs[0] : groupPurpose(catalog, entry, prefix, image) ?? (docs.length ? docs.map(sentence).join(' ') : undefined);
      rows.push({ names: group.map((g) => g.name), prefix, entries: group, ...(purpose ? { purpose: sentence(purpose) } : {}) });
      continue;
    }
    const purpose = env.doc ?? envFileDoc(env) ?? environmentPurpose(catalog, entry, env.name, image);
    rows.push({ names: [env.name], entries: [env], ...(purpose ? { purpose: sentence(purpose) } : {}) });
  }
  return rows;
}

function envFileDoc(env: EnvironmentEntry): string | undefined {
  return env.origin === 'env_file' ? env.doc : undefined;
}

/** `AUTHENTIK_POSTGRESQL__HOST/PORT/NAME` for a group, the name for a single variable. */
export function rowLabel(row: EnvironmentRow): string {
  if (!row.prefix || row.names.length < 2) return row.names[0] ?? '';
  return `${row.prefix}${row.names.map((n) => n.slice(row.prefix?.length ?? 0)).join('/')}`;
}

/** Where one variable's value comes from, without ever showing a secret value. */
function valueCell(env: EnvironmentEntry): Inline[] {
  if (env.literalSecret) return ['secret — literal value in compose, move it to `.env`'];
  switch (env.origin) {
    case 'env_file':
      return env.secret ? ['secret, from ', code(env.envFile ?? 'env_file')] : ['from ', code(env.envFile ?? 'env_file')];
    case 'passthrough':
      return [env.secret ? 'secret, from the shell environment' : 'from the shell environment'];
    case 'interpolated':
      return env.secret ? ['secret, from ', code(`.env`), ' (', code(env.variables.join(', ')), ')'] : [code(env.written ?? '')];
    default:
      return env.secret ? ['secret'] : [code(env.written ?? env.value ?? '')];
  }
}

/** Merges adjacent ranges of one file (entries a few comment lines apart) into spans. */
export function coalesce(ranges: readonly SourceRange[]): SourceRange[] {
  const sorted = [...ranges].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.startLine - b.startLine));
  const out: SourceRange[] = [];
  for (const range of sorted) {
    const last = out.at(-1);
    if (last && last.file === range.file && range.startLine <= last.endLine + 3) {
      out[out.length - 1] = { ...last, endLine: Math.max(last.endLine, range.endLine) };
    } else out.push(range);
  }
  return out;
}

/** The table: Variable | Purpose | Value | Source. */
export function environmentTable(rows: readonly EnvironmentRow[]): Table {
  return table(
    ['Variable', 'Purpose', 'Value', 'Source'],
    rows.map((row) => {
      const value: Inline[] =
        row.entries.length === 1
          ? valueCell(row.entries[0] as EnvironmentEntry)
          : joinInline(row.entries.map((e) => [code(e.name.slice(row.prefix?.length ?? 0)), ': ', ...valueCell(e)]), '; ');
      return [[code(rowLabel(row))], [row.purpose ? text(row.purpose) : emphasis(PURPOSE_PLACEHOLDER)], value, [cite(...coalesce(row.entries.map((e) => e.range)))]];
    }),
  );
}
