/**
 * Relations on a real corpus nobody here wrote (karubits/composeyourself). The fixture lists true
 * relations found by reading the files, before the inference code existed; the layer must find at
 * least 90% of them. A sample of 30 reported relations (chosen by a hash of their ids, so that it
 * only changes when those relations change) was reviewed by hand: its ids are in the fixture, and
 * the false ones would be listed in `knownFalse`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/index.ts';
import { loadProject } from '../../src/lib/compose/index.ts';
import type { Project } from '../../src/lib/model/types.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import { buildRelations, repositoryReader, type Relation, type Relations } from '../../src/lib/relations/index.ts';
import { renderProject } from '../../src/lib/render/index.ts';
import { toMarkdown } from '../../src/lib/merge/markdown.ts';
import { citationProblems } from '../render/helpers.ts';

const ROOT = fileURLToPath(new URL('../../../shared/corpus/karubits__composeyourself', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/relations/karubits-expected.json', import.meta.url));

interface Expected {
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  readonly evidence: string;
  readonly variable?: string;
  readonly label?: string;
  readonly database?: string;
  readonly user?: string;
  readonly redisDb?: number;
  readonly network?: string;
  readonly repository?: string;
  readonly port?: string;
}

interface Fixture {
  readonly relations: readonly Expected[];
  readonly reviewedSample: readonly string[];
  readonly knownFalse: readonly { readonly id: string; readonly why: string }[];
}

const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;

let project: Project;
let relations: Relations;

beforeAll(async () => {
  project = await loadProject(ROOT);
  relations = buildRelations(project, loadCatalog(), { read: repositoryReader(ROOT) });
});

const at = (evidence: string) => {
  const i = evidence.lastIndexOf(':');
  return { file: evidence.slice(0, i), line: Number(evidence.slice(i + 1)) };
};
const covers = (range: { file: string; startLine: number; endLine: number }, evidence: string) => {
  const { file, line } = at(evidence);
  return range.file === file && range.startLine <= line && line <= range.endLine;
};

/** Whether the layer reports the expected relation (with its evidence at the `from` end). */
function found(e: Expected): boolean {
  const of = (kind: Relation['kind']) => relations.relations.filter((r) => r.kind === kind && r.from.id === e.from && r.to.id === e.to);
  switch (e.kind) {
    case 'depends_on':
      return of('depends-on').some((r) => covers(r.from.range, e.evidence));
    case 'network_mode':
      return of('network-mode').some((r) => covers(r.from.range, e.evidence));
    case 'uses':
      return of('uses').some((r) => {
        if (r.kind !== 'uses') return false;
        const names = r.variables.map((v) => v.value);
        if (e.variable && !names.includes(e.variable)) return false;
        if (e.label && !names.includes(e.label)) return false;
        if (e.database !== undefined && r.database?.value !== e.database) return false;
        if (e.user !== undefined && r.user?.value !== e.user) return false;
        if (e.redisDb !== undefined && r.redisDb?.value !== e.redisDb) return false;
        return r.variables.some((v) => covers(v.range, e.evidence)) || covers(r.from.range, e.evidence);
      });
    case 'uses-endpoint':
      return of('uses-endpoint').some((r) => covers(r.from.range, e.evidence));
    case 'publishes':
      return relations.endpoints.some((p) => p.id === e.from && p.host.startsWith(`${e.to}.`) && covers(p.range, e.evidence));
    case 'proxied_by':
      return of('proxied-by').length > 0;
    case 'shares-network': {
      const mine = relations.networksOf.get(e.from) ?? [];
      const theirs = new Set(relations.networksOf.get(e.to) ?? []);
      return mine.some((n) => theirs.has(n) && (n === e.network || n.endsWith(`_${e.network}`)));
    }
    case 'network-unused':
      return relations.findings.some((f) => f.id === 'network-unused' && covers(f.range, e.evidence) && f.message.includes(`"${e.to}"`));
    case 'version-skew':
      return relations.versionSkews.some((s) => s.repository === e.repository && s.members.some((m) => m.id === e.from) && s.members.some((m) => m.id === e.to));
    case 'shared-storage':
      return relations.storages.some((s) => s.mounts.some((m) => m.id === e.from && covers(m.range, e.evidence)) && s.mounts.some((m) => m.id === e.to));
    case 'port-conflict':
      return relations.findings.some((f) => f.id === 'port-conflict' && f.message.includes(e.from) && f.message.includes(e.to) && f.message.includes(e.port ?? ''));
    default:
      throw new Error(`unknown kind in fixture: ${e.kind}`);
  }
}

/** FNV-1a, to pick a sample that depends on each relation's id only. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

describe('relations on karubits/composeyourself', () => {
  it('lists at least 30 true relations in the fixture, each with evidence inside a corpus file', () => {
    expect(fixture.relations.length).toBeGreaterThanOrEqual(30);
    for (const e of fixture.relations) {
      const { file, line } = at(e.evidence);
      const lines = readFileSync(`${ROOT}/${file}`, 'utf8').split(/\r?\n/);
      expect(line, e.evidence).toBeGreaterThan(0);
      expect(line, e.evidence).toBeLessThanOrEqual(lines.length);
    }
  });

  it('finds at least 90% of the relations listed by reading the corpus', () => {
    const missed = fixture.relations.filter((e) => !found(e));
    const recall = (fixture.relations.length - missed.length) / fixture.relations.length;
    console.log(`karubits relations recall: ${(recall * 100).toFixed(1)}% (${fixture.relations.length - missed.length}/${fixture.relations.length})`);
    for (const e of missed) console.log(`  missed: ${e.kind} ${e.from} -> ${e.to} (${e.evidence})`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('reports no false relation in the reviewed sample of 30', () => {
    const sample = [...relations.relations].sort((a, b) => hash(a.id) - hash(b.id) || (a.id < b.id ? -1 : 1)).slice(0, 30);
    console.log('karubits sample of 30 reported relations:');
    for (const r of sample) console.log(`  ${r.id}  [${describeRelation(r)}]`);
    const ids = sample.map((r) => r.id);
    // The sample must be the one reviewed; a changed sample needs a new review (update the fixture).
    expect(ids).toEqual(fixture.reviewedSample);
    const falseOnes = fixture.knownFalse.filter((f) => ids.includes(f.id));
    const precision = (sample.length - falseOnes.length) / sample.length;
    console.log(`karubits precision on the reviewed sample: ${(precision * 100).toFixed(1)}% (${sample.length - falseOnes.length}/${sample.length})`);
    expect(sample).toHaveLength(30);
    expect(falseOnes).toEqual([]);
  });
});

describe('karubits pages with the relations reading env_file values', () => {
  it('cite only resolving ranges and show no secret value read from an env file', () => {
    const pages = renderProject(project, { config: configSchema.parse({}), source: ROOT, relations });
    const withFiles = { ...project, files: [...project.files, ...relations.files] };
    const problems = pages.flatMap((page) => citationProblems(withFiles, ROOT, toMarkdown(page.body)).map((p) => `${page.path}: ${p}`));
    expect(problems).toEqual([]);
    // Values of secret-named variables in the env files the relations read.
    const secrets: string[] = [];
    for (const file of ['invoice-ninja/invoice-ninja.env', 'monica/.monica.env', 'komodo/env.sample', 'paperless-ngx/.paperless.env']) {
      for (const line of readFileSync(`${ROOT}/${file}`, 'utf8').split(/\r?\n/)) {
        const m = /^([A-Z0-9_]*(PASS|SECRET|KEY|TOKEN)[A-Z0-9_]*)=(.{6,})$/.exec(line);
        if (m && !m[3]?.includes('${')) secrets.push(m[3] as string);
      }
    }
    const all = pages.map((p) => toMarkdown(p.body)).join('\n');
    for (const secret of secrets) expect(all.includes(secret), `a secret value of ${secret.length} characters`).toBe(false);
  });
});

function describeRelation(r: Relation): string {
  switch (r.kind) {
    case 'uses':
      return `${r.label} → ${r.host}${r.port ? `:${r.port}` : ''} (${r.protocol})`;
    case 'uses-endpoint':
      return `${r.label} → ${r.host} (${r.purpose})`;
    case 'depends-on':
      return r.condition;
    case 'proxied-by':
      return `${r.method} on ${r.network ?? '?'}: ${r.hosts.join(', ')}`;
    case 'protected-by':
      return r.method;
    case 'backup':
      return r.storageName;
    default:
      return r.kind;
  }
}
