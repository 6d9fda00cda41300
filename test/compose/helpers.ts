/** Shared helpers of the loader tests: small temporary repositories and the real corpora. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { loadProject, type LoadProjectOptions } from '../../src/lib/compose/index.ts';
import type { Project, Service } from '../../src/lib/model/types.ts';

/** The real compose corpora beside the repository (read-only). */
export const CORPUS_ROOT = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const CORPORA = ['andronics__homelab-docker-compose', 'docker__awesome-compose', 'karubits__composeyourself'] as const;

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (repository-relative POSIX paths) into a fresh temporary folder and returns it. */
export function makeRepo(files: Readonly<Record<string, string | Uint8Array>>, prefix = 'compose-wiki-test-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(root);
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(root, ...file.split('/'));
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  }
  return root;
}

/** Writes `files` to a temporary repository and loads it. */
export async function loadRepo(files: Readonly<Record<string, string | Uint8Array>>, options: LoadProjectOptions = {}): Promise<Project> {
  return loadProject(makeRepo(files), options);
}

/** The service `name` of stack `stack` (the only stack when omitted); fails the test when absent. */
export function service(project: Project, name: string, stack?: string): Service {
  const stacks = stack === undefined ? project.stacks : project.stacks.filter((s) => s.id === stack);
  const found = stacks.flatMap((s) => s.services).find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in ${stacks.map((s) => s.id).join(', ')}; diagnostics: ${JSON.stringify(project.diagnostics)}`);
  return found;
}

/** `name → value` of a service's environment (entries without a value map to undefined). */
export function envOf(s: Service): Record<string, string | undefined> {
  return Object.fromEntries(s.environment.map((e) => [e.name, e.value]));
}

/** Lines `a-b` of a range, for compact assertions. */
export function lines(range: { file: string; startLine: number; endLine: number }): string {
  return `${range.file}:${range.startLine}-${range.endLine}`;
}

/**
 * A compact, comparable picture of a service: each fact as `value@file:line` (or `@line` when in
 * the service's own file; `start-end` when it spans several lines).
 */
export function facts(s: Service): Record<string, unknown> {
  const at = (range: { file: string; startLine: number; endLine: number }) => {
    const lines = range.startLine === range.endLine ? `${range.startLine}` : `${range.startLine}-${range.endLine}`;
    return range.file === s.range.file ? lines : `${range.file}:${lines}`;
  };
  const out: Record<string, unknown> = {};
  if (s.image) out.image = `${s.image.value.text}@${at(s.image.range)}`;
  if (s.restart) out.restart = `${s.restart.value}@${at(s.restart.range)}`;
  if (s.user) out.user = `${s.user.value}@${at(s.user.range)}`;
  if (s.command) out.command = `${s.command.value}@${at(s.command.range)}`;
  if (s.containerName) out.containerName = `${s.containerName.value}@${at(s.containerName.range)}`;
  if (s.environment.length) out.environment = Object.fromEntries(s.environment.map((e) => [e.name, `${e.value ?? (e.secret ? '<secret>' : '<unset>')}@${at(e.range)}`]));
  if (s.ports.length) out.ports = s.ports.map((p) => `${p.value.text}@${at(p.range)}`);
  if (s.volumes.length) out.volumes = s.volumes.map((v) => `${v.value.text}@${at(v.range)}`);
  if (s.labels.length) out.labels = s.labels.map((l) => `${l.value.key}=${l.value.value ?? '<secret>'}@${at(l.range)}`);
  if (s.networks.length) out.networks = s.networks.map((n) => `${n.value.name}@${at(n.range)}`);
  if (s.dependsOn.length) out.dependsOn = s.dependsOn.map((d) => `${d.value.service}@${at(d.range)}`);
  return out;
}
