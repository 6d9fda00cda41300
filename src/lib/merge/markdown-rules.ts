/**
 * The fast writer's escaping rules as a committed snapshot, `markdown-rules.generated.json`: the
 * unsafe patterns of remark-stringify + remark-gfm configured as markdown-options.ts, each with the
 * regex remark's own `compilePattern` makes of it, and the serialiser's options. Reading them from a
 * live remark cost every command ~150 modules; the snapshot costs one small JSON file.
 *
 * Two guards keep it remark's: `npm run markdown-rules` writes it and test/merge fails when it
 * differs from what the installed remark gives; and it is used only while the packages that define
 * the rules are installed at the versions it was written from (read from their package.json files,
 * found as Node finds them), so a different install falls back to the live rules.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UnsafePattern } from './markdown-escape.ts';
import type { WriterSetup } from './write-markdown.ts';

/** The snapshot, beside this module. */
export const ESCAPE_RULES_FILE: string = fileURLToPath(new URL('./markdown-rules.generated.json', import.meta.url));

/**
 * The packages whose code makes the rules and options, each by how Node reaches it from here:
 * remark-stringify and its mdast-util-to-markdown (the base patterns, option defaults, pattern
 * compiler), remark-gfm and the mdast utilities of its GFM extensions (their patterns).
 */
const PACKAGES: readonly (readonly string[])[] = [
  ['remark-stringify'],
  ['remark-stringify', 'mdast-util-to-markdown'],
  ['remark-gfm'],
  ['remark-gfm', 'mdast-util-gfm'],
  ...['autolink-literal', 'footnote', 'strikethrough', 'table', 'task-list-item'].map((name) => ['remark-gfm', 'mdast-util-gfm', `mdast-util-gfm-${name}`]),
];

/** One rule of the snapshot: a pattern as remark holds it and the regex remark compiles from it. */
interface SnapshotRule {
  readonly pattern: UnsafePattern;
  readonly regex: string;
  readonly flags: string;
}

interface Snapshot {
  readonly comment: string;
  /** Installed version by package path (`remark-gfm > mdast-util-gfm`), as in `installedVersions`. */
  readonly packages: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, unknown>>;
  readonly rules: readonly SnapshotRule[];
}

/** The folder and version of package `name` as Node resolves it from `from`: the nearest `node_modules/name` up the tree. */
function findPackage(from: string, name: string): { dir: string; version: string } | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') {
      const folder = path.join(dir, 'node_modules', name);
      const manifest = path.join(folder, 'package.json');
      // existsSync first: a miss is the usual case here, and a throwing read is much slower.
      if (existsSync(manifest)) {
        try {
          const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
          // Node resolves a package's own dependencies from its real path (symlinked installs).
          return typeof version === 'string' ? { dir: realpathSync(folder), version } : undefined;
        } catch {
          return undefined;
        }
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The installed versions of the packages that make the rules (a missing one is left out). */
export function installedVersions(from: string = path.dirname(ESCAPE_RULES_FILE)): Record<string, string> {
  const found = new Map<string, { dir: string; version: string } | undefined>();
  const start = realpathSync(from);
  const versions: Record<string, string> = {};
  for (const chain of PACKAGES) {
    let result: { dir: string; version: string } | undefined = { dir: start, version: '' };
    for (let index = 0; index < chain.length && result; index += 1) {
      const key = chain.slice(0, index + 1).join(' > ');
      if (!found.has(key)) found.set(key, findPackage(result.dir, chain[index] as string));
      result = found.get(key);
    }
    if (result) versions[chain.join(' > ')] = result.version;
  }
  return versions;
}

/** The options worth keeping: JSON values (the writer compares a few of them with what it assumes). */
const plainOptions = (options: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value)));

/** A pattern as remark holds it, without the regex `compilePattern` caches on it. */
const plainPattern = (pattern: UnsafePattern): UnsafePattern => {
  const { _compiled: _, ...rest } = pattern as UnsafePattern & { _compiled?: unknown };
  return rest;
};

/**
 * The snapshot's text for a writer setup (the live one, `remarkWriterSetup`) and the versions it
 * came from: what `npm run markdown-rules` writes. One rule per line, so a change reads as a diff.
 */
export function serializeEscapeRules(setup: WriterSetup, packages: Readonly<Record<string, string>>): string {
  const rules = setup.unsafe.map((pattern): SnapshotRule => {
    const compiled = setup.compilePattern(pattern as never);
    return { pattern: plainPattern(pattern), regex: compiled.source, flags: compiled.flags };
  });
  const comment = 'Generated from remark-stringify and remark-gfm by `npm run markdown-rules`; do not edit. Used only while `packages` matches the installed versions.';
  const head = JSON.stringify({ comment, packages, options: plainOptions(setup.options) }, null, 2).replace(/\n}$/, '');
  return `${head},\n  "rules": [\n${rules.map((rule) => `    ${JSON.stringify(rule)}`).join(',\n')}\n  ]\n}\n`;
}

/**
 * The writer setup of the snapshot `file`, or undefined when it is missing, unreadable, or was
 * written from other package versions than `installed` (the caller then asks remark itself).
 */
export function readEscapeRules(file: string = ESCAPE_RULES_FILE, installed: () => Readonly<Record<string, string>> = installedVersions): WriterSetup | undefined {
  let snapshot: Partial<Snapshot>;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
  } catch {
    return undefined;
  }
  const { packages, options, rules } = snapshot;
  if (!packages || !options || !Array.isArray(rules)) return undefined;
  const versions = installed();
  const keys = Object.keys(packages);
  if (keys.length !== PACKAGES.length || keys.length !== Object.keys(versions).length || keys.some((key) => versions[key] !== packages[key])) return undefined;
  const compiled = new Map(rules.map((rule) => [rule.pattern, new RegExp(rule.regex, rule.flags)]));
  return {
    unsafe: rules.map((rule) => rule.pattern),
    compilePattern: (pattern: never) => compiled.get(pattern) as RegExp,
    options,
  };
}
