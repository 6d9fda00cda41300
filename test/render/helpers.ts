/** Shared fixtures of the render tests: the example project rendered once, and citation checks. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import type { Project } from '../../src/lib/model/index.ts';
import { parseCitations, renderProject, type Page } from '../../src/lib/render/index.ts';
import { toMarkdown } from '../../src/lib/merge/markdown.ts';

export const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));

let cached: Promise<{ project: Project; pages: Page[] }> | undefined;

/** Loads and renders the bundled example once per test file. */
export function renderExample(): Promise<{ project: Project; pages: Page[] }> {
  cached ??= loadProject(EXAMPLE).then((project) => ({ project, pages: renderProject(project, { config: configSchema.parse({}) }) }));
  return cached;
}

export function markdownOf(page: Page): string {
  return toMarkdown(page.body);
}

/**
 * Problems of every citation in `markdown`, judged against the model: the file exists, the range
 * is inside it and not inverted, it starts and ends on non-blank lines, and it never straddles
 * two services (it lies inside one service's block, or covers whole services only).
 */
export function citationProblems(project: Project, root: string, markdown: string): string[] {
  const problems: string[] = [];
  const lines = new Map<string, string[]>();
  for (const citation of parseCitations(markdown)) {
    // Relations also cite repository files the model does not hold (an .autorestic.yml).
    const onDisk = path.join(root, citation.file);
    const file = project.files.find((f) => f.path === citation.file) ?? (existsSync(onDisk) && !citation.file.includes('..') ? { path: citation.file, lineCount: readFileSync(onDisk, 'utf8').replace(/\n$/, '').split('\n').length } : undefined);
    if (!file) {
      problems.push(`${citation.text}: no such file`);
      continue;
    }
    if (citation.startLine < 1 || citation.endLine > file.lineCount || citation.startLine > citation.endLine) {
      problems.push(`${citation.text}: outside 1-${file.lineCount} or inverted`);
      continue;
    }
    if (!lines.has(file.path)) lines.set(file.path, readFileSync(path.join(root, file.path), 'utf8').split(/\r?\n/));
    const text = lines.get(file.path) ?? [];
    if (!text[citation.startLine - 1]?.trim() || !text[citation.endLine - 1]?.trim()) problems.push(`${citation.text}: starts or ends on a blank line`);
    const services = project.stacks.flatMap((s) => s.services).flatMap((s) => s.definitions).filter((r) => r.file === citation.file);
    const overlapping = services.filter((r) => r.startLine <= citation.endLine && r.endLine >= citation.startLine);
    const inside = overlapping.some((r) => r.startLine <= citation.startLine && r.endLine >= citation.endLine);
    const coversWhole = overlapping.every((r) => citation.startLine <= r.startLine && citation.endLine >= r.endLine);
    if (overlapping.length > 0 && !inside && !coversWhole) problems.push(`${citation.text}: straddles a service boundary`);
  }
  return problems;
}
