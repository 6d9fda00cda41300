/**
 * Findings: problems of the compose files themselves (literal secrets, unpinned images, missing
 * healthchecks and restart policies), of the pages (variables nobody documented), of the
 * relations between services, and of loading. Each has a stable id whose level (error, warning,
 * off) the operator sets in `compose-wiki.yaml` under `findings:`.
 */
import type { FindingLevel } from '../config/schema.ts';
import type { RemovedTextLine } from '../merge/index.ts';
import type { Diagnostic, Project, Service, Severity, SourceRange } from '../model/types.ts';
import { parseCitations } from '../render/citation.ts';
import { inlineCode, isDelimiterLine, isDelimiterRow, isTableRow, scanPage, tableCells, type ScannedPage } from './page-text.ts';
import type { CheckFinding, FindingOrigin, PagePosition } from './types.ts';
import { PURPOSE_PLACEHOLDER } from '../render/environment-table.ts';

/** A finding before the config's level is applied (the shape relations findings have too). */
export interface RawFinding {
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range?: SourceRange;
  readonly related?: readonly SourceRange[];
  readonly column?: number;
  readonly page?: PagePosition;
}

/** The finding for text generate would take out of a section it owns (see `removedTextFinding`). */
export const REMOVED_TEXT_FINDING = 'text-in-generated-section';

/**
 * Default level of each finding id (documented in docs/check.md). Loader diagnostics not listed
 * here keep their own severity (`info` ones are off).
 */
export const DEFAULT_FINDING_LEVELS: Readonly<Record<string, FindingLevel>> = Object.freeze({
  'literal-secret': 'error',
  'image-latest': 'warning',
  'no-healthcheck': 'warning',
  'no-restart-policy': 'warning',
  'env-purpose-missing': 'warning',
  'page-unreadable': 'error',
  [REMOVED_TEXT_FINDING]: 'warning',
  'version-skew': 'warning',
  'port-conflict': 'warning',
  'redis-db-conflict': 'warning',
  'shared-db-user': 'warning',
  'unbacked-volume': 'warning',
  'network-undeclared': 'error',
  'network-unused': 'warning',
  'proxy-unreachable': 'warning',
});

/** The ids `check` itself produces from the model and the pages. */
export const MODEL_FINDING_IDS = ['literal-secret', 'image-latest', 'no-healthcheck', 'no-restart-policy'] as const;

/** Level of a finding: the config's, else the default of its id, else its own severity. */
export function levelOf(id: string, severity: Severity, configured: Readonly<Record<string, FindingLevel>>): FindingLevel {
  const set = Object.hasOwn(configured, id) ? configured[id] : undefined;
  if (set) return set;
  const fallback = Object.hasOwn(DEFAULT_FINDING_LEVELS, id) ? DEFAULT_FINDING_LEVELS[id] : undefined;
  if (fallback) return fallback;
  return severity === 'info' ? 'off' : severity;
}

/** Applies the levels: drops `off` findings, sets the severity of the others. */
export function applyLevels(raw: readonly (RawFinding & { origin: FindingOrigin })[], configured: Readonly<Record<string, FindingLevel>>): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const finding of raw) {
    const level = levelOf(finding.id, finding.severity, configured);
    if (level === 'off') continue;
    out.push({
      id: finding.id,
      severity: level,
      origin: finding.origin,
      message: finding.message,
      ...(finding.range ? { range: finding.range } : {}),
      ...(finding.column ? { column: finding.column } : {}),
      ...(finding.page ? { page: finding.page } : {}),
      ...(finding.related && finding.related.length > 0 ? { related: finding.related } : {}),
    });
  }
  return out;
}

const keyLine = (service: Service): SourceRange => ({ file: service.range.file, startLine: service.range.startLine, endLine: service.range.startLine });
const named = (service: Service) => `\`${service.name}\` (${service.stack})`;

/** Findings read from the model: literal secrets, unpinned images, no healthcheck, no restart policy. */
export function modelFindings(project: Project): RawFinding[] {
  const out: RawFinding[] = [];
  const secrets = new Map<string, { range: SourceRange; name: string; services: Service[] }>();
  for (const stack of project.stacks) {
    for (const service of stack.services) {
      for (const entry of service.environment) {
        if (!entry.literalSecret) continue;
        const key = `${entry.range.file}:${entry.range.startLine}:${entry.range.endLine}:${entry.name}`;
        const known = secrets.get(key) ?? { range: entry.range, name: entry.name, services: [] };
        known.services.push(service);
        secrets.set(key, known);
      }
    }
  }
  for (const secret of secrets.values()) {
    // The value itself is never read here: only the variable's name and place.
    out.push({
      id: 'literal-secret',
      severity: 'error',
      range: secret.range,
      message: `\`${secret.name}\` of ${secret.services.map(named).join(', ')} is a secret written as a literal in the compose file; move the value to the stack's .env file and write \`\${${secret.name}}\` instead`,
    });
  }
  for (const stack of project.stacks) {
    for (const service of stack.services) {
      const image = service.image;
      if (image && !image.value.digest && (image.value.tag === undefined || image.value.tag === 'latest')) {
        out.push({
          id: 'image-latest',
          severity: 'warning',
          range: image.range,
          message:
            image.value.tag === undefined
              ? `${named(service)} runs \`${image.value.text}\` without a tag, so Compose pulls \`latest\`; pin a version`
              : `${named(service)} runs \`${image.value.text}\`; \`latest\` changes under you, pin a version`,
        });
      }
      if (!service.healthcheck || service.healthcheck.value.disabled) {
        out.push({
          id: 'no-healthcheck',
          severity: 'warning',
          range: service.healthcheck?.range ?? keyLine(service),
          message: service.healthcheck
            ? `${named(service)} disables its image's healthcheck; Compose can't tell when it is ready`
            : `${named(service)} has no healthcheck; dependants can't wait for it with \`condition: service_healthy\``,
        });
      }
      if (!service.restart) {
        out.push({
          id: 'no-restart-policy',
          severity: 'warning',
          range: keyLine(service),
          message: `${named(service)} has no restart policy, so it stays down after a crash or a reboot; set \`restart: unless-stopped\` (or \`"no"\` for one-shot jobs)`,
        });
      }
    }
  }
  return out;
}

/** Loader diagnostics as findings (id = the diagnostic's code). */
export function loadFindings(diagnostics: readonly Diagnostic[]): RawFinding[] {
  return diagnostics.map((d) => ({
    id: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.line > 0 ? { range: { file: d.file, startLine: d.line, endLine: d.line }, ...(d.column > 0 ? { column: d.column } : {}) } : { range: { file: d.file, startLine: 1, endLine: 1 } }),
  }));
}

/** Render's Purpose placeholder, with or without emphasis. */
const isPlaceholder = (cell: string) => cell.replace(/^([_*]+)(.*)\1$/, '$2').trim() === PURPOSE_PLACEHOLDER;

/**
 * Text that `generate` would take out of a section it owns, most likely a person's (it cites
 * nothing and is not what generate writes there): named before it is gone, with where to put it.
 */
export function removedTextFinding(file: string, removed: RemovedTextLine): RawFinding {
  return {
    id: REMOVED_TEXT_FINDING,
    severity: 'warning',
    message: `text under "${removed.section}" is not what generate writes there and cites nothing; \`compose-wiki generate\` would remove it. If a person wrote it, move it to Operational Notes, under a heading of their own, or under a ### heading in this section`,
    page: { file, line: removed.line, column: 1 },
  };
}

/** Environment variables whose Purpose cell in a page still holds the placeholder. */
export function pageFindings(file: string, text: string | ScannedPage): RawFinding[] {
  const out: RawFinding[] = [];
  const { lines, inCode } = typeof text === 'string' ? scanPage(text) : text;
  let purposeColumn = -1;
  lines.forEach((line, index) => {
    if (!isTableRow(line) || inCode.has(index + 1)) {
      purposeColumn = -1;
      return;
    }
    if (isDelimiterLine(lines[index + 1] ?? '')) {
      purposeColumn = (tableCells(line) ?? []).findIndex((c) => c.toLowerCase() === 'purpose');
      return;
    }
    // Only a row holding the placeholder can have it in its Purpose cell: the others are not split.
    if (purposeColumn < 0 || !line.includes(PURPOSE_PLACEHOLDER)) return;
    const cells = tableCells(line) ?? [];
    if (isDelimiterRow(cells)) return;
    const cell = cells[purposeColumn];
    if (cell === undefined || !isPlaceholder(cell)) return;
    const name = inlineCode(cells[0] ?? '')[0] ?? cells[0] ?? '';
    const citation = parseCitations(line)[0];
    out.push({
      id: 'env-purpose-missing',
      severity: 'warning',
      page: { file, line: index + 1, column: Math.max(1, line.indexOf(PURPOSE_PLACEHOLDER) + 1) },
      ...(citation ? { range: { file: citation.file, startLine: citation.startLine, endLine: citation.endLine } } : {}),
      message: `\`${name}\` has no documented purpose; write one in its Purpose cell (generate keeps it) or in a \`# --\` comment above the variable in compose`,
    });
  });
  return out;
}
