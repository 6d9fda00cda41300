/**
 * The three real corpora (files nobody here wrote): every compose file loads or is reported with
 * file, line and column; the loader's services agree with an independent line-based count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import type { Project } from '../../src/lib/model/types.ts';
import { CORPORA, CORPUS_ROOT } from './helpers.ts';
import { scanServices } from './scan.ts';

const COMPOSE_NAME = /^(docker-)?compose(\.override)?\.ya?ml$/;

/** Compose files of a corpus, found by walking the folder (not by the loader's discovery). */
function composeFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => COMPOSE_NAME.test(path.posix.basename(f)))
    .sort();
}

const projects = new Map<string, Project>();
beforeAll(async () => {
  for (const corpus of CORPORA) projects.set(corpus, await loadProject(path.join(CORPUS_ROOT, corpus)));
});

describe.each(CORPORA)('corpus %s', (corpus) => {
  const root = path.join(CORPUS_ROOT, corpus);
  const files = composeFiles(root);

  it('has compose files to check', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('loads every compose file as a stack, or reports it with file, line and column', () => {
    const project = projects.get(corpus) as Project;
    const loaded = new Set(project.stacks.flatMap((s) => s.files));
    for (const file of files) {
      if (loaded.has(file)) continue;
      const errors = project.diagnostics.filter((d) => d.file === file && d.severity === 'error');
      expect(errors, `${file} neither loads nor has an error diagnostic`).not.toHaveLength(0);
      for (const error of errors) {
        expect(error.line, `${file}: ${error.code}`).toBeGreaterThan(0);
        expect(error.column, `${file}: ${error.code}`).toBeGreaterThan(0);
      }
    }
  });

  it('finds, for every loaded file, the services an independent line scanner finds', () => {
    const project = projects.get(corpus) as Project;
    const loaded = new Set(project.stacks.flatMap((s) => s.files));
    const services = project.stacks.flatMap((s) => s.services);
    let compared = 0;
    for (const file of files.filter((f) => loaded.has(f))) {
      const scanned = scanServices(readFileSync(path.join(root, file), 'utf8'));
      const fromLoader = services.filter((s) => s.range.file === file);
      expect(fromLoader.length, `service count of ${file}`).toBe(scanned.length);
      expect(fromLoader.map((s) => s.name), `service names of ${file}`).toEqual(scanned.map((s) => s.name));
      compared += scanned.length;
    }
    expect(compared).toBe(services.length);
  });

  it('never leaves a diagnostic without a file, and places every line-level one inside its file', () => {
    const project = projects.get(corpus) as Project;
    const lineCounts = new Map(project.files.map((f) => [f.path, f.lineCount]));
    for (const d of project.diagnostics) {
      expect(d.file).not.toBe('');
      expect(path.isAbsolute(d.file)).toBe(false);
      if (d.line === 0) continue;
      expect(d.column).toBeGreaterThan(0);
      expect(d.line).toBeLessThanOrEqual(Math.max(1, lineCounts.get(d.file) ?? Number.POSITIVE_INFINITY));
    }
  });
});

describe('andronics__homelab-docker-compose', () => {
  it('reports exactly its two invalid files, at their line and column, and loads the other 40 stacks', () => {
    const project = projects.get('andronics__homelab-docker-compose') as Project;
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.line}:${d.column}`).sort()).toEqual(['tor/compose.yml:36:5', 'traktarr/compose.yml:10:18']);
    expect(errors.find((d) => d.file === 'tor/compose.yml')?.code).toBe('yaml-syntax');
    expect(errors.find((d) => d.file === 'traktarr/compose.yml')?.code).toBe('yaml-tab');
    expect(project.stacks).toHaveLength(40);
    expect(project.stacks.map((s) => s.id)).not.toContain('tor');
    expect(project.stacks.map((s) => s.id)).not.toContain('traktarr');
    expect(composeFiles(path.join(CORPUS_ROOT, 'andronics__homelab-docker-compose'))).toHaveLength(42);
  });

  it('does not quote the TOTP secret written on the invalid line of tor/compose.yml', () => {
    const project = projects.get('andronics__homelab-docker-compose') as Project;
    const line = readFileSync(path.join(CORPUS_ROOT, 'andronics__homelab-docker-compose/tor/compose.yml'), 'utf8').split('\n')[35] ?? '';
    const secret = /secret=([A-Z0-9]+)/.exec(line)?.[1];
    expect(secret?.length).toBeGreaterThan(10);
    expect(JSON.stringify(project)).not.toContain(secret);
  });
});

describe('the other corpora', () => {
  it('docker__awesome-compose loads every stack without an error', () => {
    const project = projects.get('docker__awesome-compose') as Project;
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(project.stacks).toHaveLength(composeFiles(path.join(CORPUS_ROOT, 'docker__awesome-compose')).length);
  });

  it('karubits__composeyourself loads every stack but its empty home-assistant/compose.yml, which Compose refuses too', () => {
    const project = projects.get('karubits__composeyourself') as Project;
    expect(project.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['home-assistant/compose.yml:1:1 compose-empty']);
    expect(project.stacks).toHaveLength(composeFiles(path.join(CORPUS_ROOT, 'karubits__composeyourself')).length - 1);
  });
});
