/**
 * The findings of each page, for the site's badges: `<content>/.compose-wiki/findings.json`,
 * `{ "<page path>": [{ id, severity, message }] }`. A finding belongs to every service page whose
 * blocks hold one of its ranges (version skew, for example, lands on both services).
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyLevels, modelFindings } from '../check/findings.ts';
import type { FindingLevel } from '../config/schema.ts';
import type { Project, SourceRange } from '../model/types.ts';
import { relationFindings, type Relations } from '../relations/index.ts';
import type { Page } from '../render/index.ts';
import { writeTextAtomically } from '../merge/index.ts';

/** Folder beside the pages for files that are not pages. */
export const SIDECAR_DIR = '.compose-wiki';

export interface PageFinding {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

const inside = (range: SourceRange, block: SourceRange) => range.file === block.file && range.startLine >= block.startLine && range.endLine <= block.endLine;

/** Findings of the model and the relations, grouped by the service pages they concern. */
export function findingsByPage(project: Project, relations: Relations, pages: readonly Pick<Page, 'path' | 'kind' | 'sources'>[], levels: Readonly<Record<string, FindingLevel>>): Record<string, PageFinding[]> {
  const findings = applyLevels(
    [...modelFindings(project).map((f) => ({ ...f, origin: 'model' as const })), ...relationFindings(relations).map((f) => ({ ...f, origin: 'relations' as const }))],
    levels,
  );
  // Index the service pages' blocks by file once: each finding then looks only at its own files.
  const blocksByFile = new Map<string, { page: Pick<Page, 'path'>; block: SourceRange }[]>();
  for (const page of pages) {
    if (page.kind !== 'service') continue;
    for (const block of page.sources) {
      const list = blocksByFile.get(block.file) ?? [];
      list.push({ page, block });
      blocksByFile.set(block.file, list);
    }
  }
  const out: Record<string, PageFinding[]> = {};
  const seen = new Set<string>();
  for (const finding of findings) {
    const ranges = [finding.range, ...(finding.related ?? [])].filter((r): r is SourceRange => r !== undefined);
    for (const range of ranges) {
      for (const { page, block } of blocksByFile.get(range.file) ?? []) {
        if (!inside(range, block)) continue;
        const key = `${page.path}\u0000${finding.id}\u0000${finding.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        (out[page.path] ??= []).push({ id: finding.id, severity: finding.severity === 'error' ? 'error' : 'warning', message: finding.message });
      }
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes the sidecar when its content changed; returns whether it wrote. */
export async function writeFindingsSidecar(contentDir: string, findings: Record<string, PageFinding[]>): Promise<boolean> {
  const file = path.join(contentDir, SIDECAR_DIR, 'findings.json');
  const text = `${JSON.stringify(findings, null, 2)}\n`;
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === text) return false;
  await mkdir(path.dirname(file), { recursive: true });
  await writeTextAtomically(file, text);
  return true;
}
