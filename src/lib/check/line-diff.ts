/**
 * The unified diff of a drifted page. When compose lines move, every generated citation below them
 * changes, so most lines of a large page differ and a line diff (Myers, O(N·D)) spends seconds on
 * one page: 4.9 s on the 6,601-line Traefik page of 1,000 stacks. Lines are aligned by their text
 * without citations first (few of those differ), and lines so aligned that differ only in their
 * citations become a change of their own: the same diff a person would write, in a fraction of the
 * time. Hunks are built as `diff`'s `structuredPatch` builds them, so `formatPatch` prints them.
 */
import { createRequire } from 'node:module';
import type { StructuredPatch, StructuredPatchHunk } from 'diff';
import { maskCitations } from '../render/citation.ts';

const require = createRequire(import.meta.url);

let loaded: typeof import('diff') | undefined;
/** The diff library, loaded with the first drift: a clean check never needs it. */
export const diffLibrary = (): typeof import('diff') => (loaded ??= require('diff') as typeof import('diff'));

/** A line as the alignment compares it: its citations reduced to a mark. */
const shapeOf = (line: string) => (line.includes('【') ? maskCitations(line, '【】') : line);

/** One run of the edit script: lines kept, removed from the old text or added by the new one. */
interface Run {
  readonly kind: ' ' | '-' | '+';
  readonly lines: string[];
}

/**
 * The unified diff from `oldText` to `newText`, with `context` lines around each change (the shape
 * of `diff`'s `structuredPatch`, whose `formatPatch` prints it).
 */
export function pagePatch(oldFileName: string, newFileName: string, oldText: string, newText: string, oldHeader: string, newHeader: string, context: number): StructuredPatch {
  return { oldFileName, newFileName, oldHeader, newHeader, hunks: hunksOf(editScript(splitLines(oldText), splitLines(newText)), context) };
}

/** Lines with their line endings; the last without one when the text does not end in one. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => `${line}\n`);
  const last = lines.pop() as string;
  if (last !== '\n') lines.push(last.slice(0, -1));
  return lines;
}

/**
 * The edit script: lines aligned by shape (a longest common subsequence of the lines without their
 * citations); an aligned pair that differs is a removal and an addition. A change whose removed
 * and added lines share a line (lines that swapped places) is diffed again line by line, so that
 * the shared line stays as context, as a plain line diff keeps it.
 */
function editScript(before: readonly string[], after: readonly string[]): Run[] {
  const aligned = new Runs();
  let i = 0;
  let j = 0;
  for (const part of diffLibrary().diffArrays(before.map(shapeOf), after.map(shapeOf))) {
    const count = part.count ?? part.value.length;
    for (let k = 0; k < count; k++) {
      if (part.removed) aligned.push('-', before[i++] as string);
      else if (part.added) aligned.push('+', after[j++] as string);
      else {
        const old = before[i++] as string;
        const now = after[j++] as string;
        if (old === now) aligned.push(' ', now);
        else {
          aligned.push('-', old);
          aligned.push('+', now);
        }
      }
    }
  }
  const runs = new Runs();
  aligned.runs.forEach((run, index) => {
    const next = aligned.runs[index + 1];
    if (run.kind === '+' && aligned.runs[index - 1]?.kind === '-') return; // taken with its removals
    if (run.kind === '-' && next?.kind === '+' && worthRediffing(run.lines, next.lines)) {
      for (const part of diffLibrary().diffArrays(run.lines, next.lines)) for (const line of part.value) runs.push(part.removed ? '-' : part.added ? '+' : ' ', line);
      return;
    }
    for (const line of run.lines) runs.push(run.kind, line);
    if (run.kind === '-' && next?.kind === '+') for (const line of next.lines) runs.push('+', line);
  });
  return runs.runs;
}

/** Changes of at most this many lines on a side are diffed again line by line when worth it. */
const REDIFF_LIMIT = 400;

/** Whether a change's removed and added lines share one (and are few enough to diff again cheaply). */
function worthRediffing(removed: readonly string[], added: readonly string[]): boolean {
  if (removed.length > REDIFF_LIMIT || added.length > REDIFF_LIMIT) return false;
  const old = new Set(removed);
  return added.some((line) => old.has(line));
}

/** Runs of the edit script as they are built: within a change, removals before additions. */
class Runs {
  readonly runs: Run[] = [];

  push(kind: Run['kind'], line: string): void {
    const last = this.runs.at(-1);
    const beforeLast = this.runs.at(-2);
    if (last?.kind === kind) last.lines.push(line);
    // A removal after an addition joins the removals of the same change.
    else if (kind === '-' && last?.kind === '+' && beforeLast?.kind === '-') beforeLast.lines.push(line);
    else if (kind === '-' && last?.kind === '+') this.runs.splice(this.runs.length - 1, 0, { kind, lines: [line] });
    else this.runs.push({ kind, lines: [line] });
  }
}

/** Hunks with `context` lines of context, joined when fewer than 2 × `context` lines part them. */
function hunksOf(runs: readonly Run[], context: number): StructuredPatchHunk[] {
  const hunks: StructuredPatchHunk[] = [];
  let hunk: { oldStart: number; newStart: number; lines: string[] } | undefined;
  let oldLine = 1;
  let newLine = 1;
  const close = (trailing: readonly string[]) => {
    const open = hunk;
    if (!open) return;
    open.lines.push(...trailing.map((line) => ` ${line}`));
    const count = (sign: string) => open.lines.filter((l) => l[0] === sign || l[0] === ' ').length;
    hunks.push({ oldStart: open.oldStart, oldLines: count('-'), newStart: open.newStart, newLines: count('+'), lines: withoutLineEnds(open.lines) });
    hunk = undefined;
  };
  for (const [index, run] of runs.entries()) {
    if (run.kind === ' ') {
      const last = index === runs.length - 1;
      if (hunk && (run.lines.length > 2 * context || last)) close(run.lines.slice(0, context));
      else if (hunk) hunk.lines.push(...run.lines.map((line) => ` ${line}`));
      oldLine += run.lines.length;
      newLine += run.lines.length;
      continue;
    }
    if (!hunk) {
      const previous = runs[index - 1];
      const leading = previous?.kind === ' ' && context > 0 ? previous.lines.slice(-context) : [];
      hunk = { oldStart: oldLine - leading.length, newStart: newLine - leading.length, lines: leading.map((line) => ` ${line}`) };
    }
    hunk.lines.push(...run.lines.map((line) => `${run.kind}${line}`));
    if (run.kind === '-') oldLine += run.lines.length;
    else newLine += run.lines.length;
  }
  close([]);
  return hunks;
}

/** Hunk lines without their line endings; a line that had none is followed by the usual marker. */
function withoutLineEnds(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.endsWith('\n')) out.push(line.slice(0, -1));
    else out.push(line, '\\ No newline at end of file');
  }
  return out;
}
