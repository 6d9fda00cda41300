/**
 * The range rule, on every service of every corpus file: a service's range starts at its key line,
 * ends at the last non-blank, non-comment line of its block (computed here from the text alone),
 * and never overlaps a neighbour; every fact of a service lies inside one of its definitions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import type { Project, Service, SourceRange } from '../../src/lib/model/types.ts';
import { CORPORA, CORPUS_ROOT } from './helpers.ts';
import { scanServices } from './scan.ts';

const projects = new Map<string, Project>();
beforeAll(async () => {
  for (const corpus of CORPORA) projects.set(corpus, await loadProject(path.join(CORPUS_ROOT, corpus)));
});

/** Every located fact of a service, with a label for failure messages. */
export function factsOf(s: Service): Array<{ label: string; range: SourceRange }> {
  const out: Array<{ label: string; range: SourceRange }> = [];
  const single = ['containerName', 'hostname', 'image', 'build', 'command', 'entrypoint', 'restart', 'user', 'workingDir', 'networkMode', 'privileged', 'healthcheck', 'resources', 'logging'] as const;
  for (const key of single) {
    const fact = s[key];
    if (fact) out.push({ label: key, range: fact.range });
  }
  const lists = ['ports', 'expose', 'volumes', 'networks', 'dependsOn', 'links', 'externalLinks', 'envFiles', 'labels', 'secrets', 'configs', 'profiles', 'devices', 'capAdd'] as const;
  for (const key of lists) for (const [i, fact] of s[key].entries()) out.push({ label: `${key}[${i}]`, range: fact.range });
  for (const e of s.environment) out.push({ label: `environment ${e.name}`, range: e.range });
  for (const [key, fact] of Object.entries(s.extensions)) out.push({ label: key, range: fact.range });
  return out;
}

const inside = (inner: SourceRange, outer: SourceRange): boolean =>
  inner.file === outer.file && inner.startLine >= outer.startLine && inner.endLine <= outer.endLine;

describe.each(CORPORA)('ranges of corpus %s', (corpus) => {
  it('start at the key, end at the last non-blank non-comment line of the block, and never overlap', () => {
    const project = projects.get(corpus) as Project;
    let checked = 0;
    for (const stack of project.stacks) {
      for (const file of stack.files) {
        const scanned = scanServices(readFileSync(path.join(CORPUS_ROOT, corpus, file), 'utf8'));
        const services = stack.services.filter((s) => s.range.file === file);
        expect(services.map((s) => s.name)).toEqual(scanned.map((s) => s.name));
        for (const [i, s] of services.entries()) {
          const expected = scanned[i];
          expect(`${s.name} ${s.range.startLine}-${s.range.endLine}`, `${file}`).toBe(`${expected?.name} ${expected?.line}-${expected?.lastLine}`);
          expect(s.range.endLine).toBeGreaterThanOrEqual(s.range.startLine);
          const next = services[i + 1];
          if (next) expect(s.range.endLine, `${file}: ${s.name} runs into ${next.name}`).toBeLessThan(next.range.startLine);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('keeps every fact of a service inside one of its definitions (or in another file)', () => {
    const project = projects.get(corpus) as Project;
    for (const stack of project.stacks) {
      for (const s of stack.services) {
        expect(s.definitions[0]).toEqual(s.range);
        for (const fact of factsOf(s)) {
          const ok = s.definitions.some((d) => inside(fact.range, d)) || !s.definitions.some((d) => d.file === fact.range.file);
          expect(ok, `${stack.id}/${s.name} ${fact.label} at ${fact.range.file}:${fact.range.startLine}-${fact.range.endLine} lies outside ${JSON.stringify(s.definitions)}`).toBe(true);
        }
        if (s.description) {
          expect(s.description.range.file).toBe(s.range.file);
          expect(s.description.range.endLine).toBe(s.range.startLine - 1);
        }
      }
    }
  });
});
