/**
 * What `check` reports: drift between `content/` and what `generate` would write, citations that
 * do not resolve, and findings from the model, its relations and the loader. Plain data: the text,
 * JSON and GitHub formatters all read this one report (see `docs/check-output.schema.json`).
 */
import type { SourceRange } from '../model/types.ts';

/** Severity of a reported problem once the config has been applied (`off` problems are dropped). */
export type CheckSeverity = 'error' | 'warning';

/** A place in a page file. `file` is relative to the content folder (`home/Platform/…/x.md`). */
export interface PagePosition {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (UTF-16 code units, as editors and GitHub count). */
  readonly column: number;
}

export type DriftKind = 'changed' | 'missing' | 'orphan';

/** One page whose file is not what `generate` would write. */
export interface DriftEntry {
  readonly kind: DriftKind;
  /** Wiki path without extension; for orphans, the file's path without `.md`. */
  readonly page: string;
  /** Page file, relative to the content folder. */
  readonly file: string;
  /**
   * The compose lines the change comes from: the citations in the changed lines of the diff when
   * there are any, else every source of the page. Empty for orphans.
   */
  readonly causes: readonly SourceRange[];
  /** Unified diff from the file on disk to the generated file (plain text); only for `changed`. */
  readonly diff?: string;
  /** First line of the page file that differs (1-based); only for `changed`. */
  readonly line?: number;
  readonly message: string;
}

export type CitationErrorCode =
  /** The cited file does not exist in the compose repository (or lies outside it). */
  | 'citation-file-missing'
  /** The range is inverted (`L152-L128`). */
  | 'citation-inverted'
  /** The range starts before line 1 or ends after the end of the file. */
  | 'citation-out-of-range'
  /** The range covers only blank lines. */
  | 'citation-empty'
  /** The range covers parts of two or more services. */
  | 'citation-straddles'
  /** A stack range (from the top of the file) that stops before the end of the stack. */
  | 'citation-stack-short'
  /** The cited element is now at other lines. */
  | 'citation-moved';

/** A citation in a page file that does not cite what it should. Always an error. */
export interface CitationError {
  readonly code: CitationErrorCode;
  readonly message: string;
  /** The token as written, e.g. `【F:authentik/compose.yml†L152-L128】`. */
  readonly citation: string;
  readonly page: PagePosition;
  /** The range as written (possibly inverted or out of the file). */
  readonly cited: SourceRange;
  /** The range the citation should have, when one can be told. */
  readonly suggestion?: SourceRange;
  /** True when the citation sits in text `generate` rewrites, so running it fixes this error. */
  readonly fixedByGenerate: boolean;
}

/** Where a finding came from. */
export type FindingOrigin = 'model' | 'relations' | 'load' | 'page';

/** A finding about the compose files (or a page), after the config's levels were applied. */
export interface CheckFinding {
  /** Stable id, the key of `findings:` in `compose-wiki.yaml` (e.g. `literal-secret`). */
  readonly id: string;
  readonly severity: CheckSeverity;
  readonly origin: FindingOrigin;
  /** Never contains a secret value. */
  readonly message: string;
  /** The compose lines the finding is about. */
  readonly range?: SourceRange;
  /** Column on `range.startLine`, when known (loader diagnostics). */
  readonly column?: number;
  /** The page line the finding is about (for findings read from pages). */
  readonly page?: PagePosition;
  /** Other lines involved (the other end of a conflict, the other service of a skew). */
  readonly related?: readonly SourceRange[];
}

/** One page file's part of the report, handed on as soon as it is checked: its drift and every citation error in it. */
export interface CheckedPageFile {
  /** Relative to the content folder. */
  readonly file: string;
  readonly drift?: DriftEntry;
  /** Its citation errors, the stale ones `generate` fixes included. */
  readonly citations: readonly CitationError[];
}

export interface CheckSummary {
  readonly pagesChecked: number;
  /** Changed, missing and orphan pages together. */
  readonly drifted: number;
  readonly missing: number;
  readonly orphans: number;
  /** Citation errors in text a person wrote or kept (generate does not fix them). */
  readonly citationErrors: number;
  /** Citation errors in lines `generate` rewrites (stale generated citations of drifted pages). */
  readonly staleCitations: number;
  /** Findings reported (errors and warnings). */
  readonly findings: number;
  readonly findingErrors: number;
  readonly findingWarnings: number;
}

export interface CheckReport {
  readonly drift: readonly DriftEntry[];
  readonly citations: readonly CitationError[];
  readonly findings: readonly CheckFinding[];
  readonly summary: CheckSummary;
  /** 0 when clean (warnings allowed), 1 on drift, citation errors or error findings. */
  readonly exitCode: 0 | 1;
}
