/**
 * `compose-wiki publish` as a function: settings → pages → target → report → exit code. The CLI
 * adapter only declares flags and calls `runPublish`.
 *
 * Exit codes (DESIGN): 0 success; 1 a page failed, a conflict needs a person, or a page is invalid;
 * 2 a usage/configuration problem — no key, a key that cannot write, the API switched off.
 */
import pc from 'picocolors';
import { WikiApiDisabledError, WikiAuthError, WikiConfigError, WikiError, redact } from './errors.ts';
import { publishToWikiApi, type ProgressEvent } from './publish-api.ts';
import { publishToWikiGit, type GitMerge } from './publish-git.ts';
import { countActions, failedEntries, reportOk, type PublishReport } from './plan.ts';
import { readContent, type LocalPage } from './read-content.ts';
import { resolvePublishSettings, resolveToken, type PublishFlags, type PublishSettings } from './settings.ts';
import type { RetryInfo } from './graphql-client.ts';

export interface PublishIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Merge for hand-edited storage files (the merge module's); default: report them as conflicts. */
  readonly merge?: GitMerge;
  /** Tests: pages instead of reading the content folder, fetch, backoff. */
  readonly pages?: readonly LocalPage[];
  readonly fetch?: typeof fetch;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Runs a publish and returns the exit code. Never prints the API key. */
export async function runPublish(flags: PublishFlags, io: PublishIo): Promise<number> {
  let token: string | undefined;
  const say = (text: string): void => {
    io.stderr.write(`${redact(text, [token])}\n`);
  };
  try {
    const settings = resolvePublishSettings(flags, io.cwd);
    const warnings: string[] = [];
    if (settings.target === 'api') token = resolveToken(io.env, settings.tokenFile, warnings);
    for (const w of warnings) say(`warning: ${w}`);
    const pages = io.pages ?? (await readContent(settings.contentDir));
    if (pages.length === 0) {
      say(`compose-wiki publish: no pages in ${settings.contentDir} — run \`compose-wiki generate\` first.`);
      return EXIT_FINDINGS;
    }
    const progress = progressLine(io);
    const report = settings.target === 'api' ? await publishApi(settings, pages, token!, io, progress) : await publishGit(settings, pages, io, progress);
    progress.end();
    io.stdout.write(redact(formatReport(report, settings), [token]));
    return reportOk(report) ? EXIT_OK : EXIT_FINDINGS;
  } catch (error) {
    if (error instanceof WikiConfigError || error instanceof WikiAuthError || error instanceof WikiApiDisabledError) {
      say(`compose-wiki publish: ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof WikiError) {
      say(`compose-wiki publish: ${error.message}`);
      return EXIT_FINDINGS;
    }
    say(`compose-wiki publish: ${(error as Error)?.message ?? String(error)}`);
    return EXIT_FINDINGS;
  }
}

function publishApi(settings: PublishSettings, pages: readonly LocalPage[], token: string, io: PublishIo, progress: Progress): Promise<PublishReport> {
  return publishToWikiApi({
    url: settings.url!,
    token,
    pages,
    prefix: settings.prefix,
    locale: settings.locale,
    generatorTag: settings.generatorTag,
    prune: settings.prune,
    dryRun: settings.dryRun,
    diff: settings.diff,
    concurrency: settings.concurrency,
    sourceUrlTemplate: settings.sourceUrlTemplate,
    timeoutMs: io.timeoutMs ?? settings.timeoutMs,
    retries: settings.retries,
    backoffMs: io.backoffMs,
    fetch: io.fetch,
    onProgress: progress.update,
    onRetry: progress.retry,
  });
}

function publishGit(settings: PublishSettings, pages: readonly LocalPage[], io: PublishIo, progress: Progress): Promise<PublishReport> {
  const git = settings.git!;
  return publishToWikiGit({
    repo: git.repo,
    branch: git.branch,
    dir: git.dir,
    author: git.author,
    pages,
    prefix: settings.prefix,
    generatorTag: settings.generatorTag,
    sourceUrlTemplate: settings.sourceUrlTemplate,
    prune: settings.prune,
    dryRun: settings.dryRun,
    diff: settings.diff,
    merge: io.merge,
    env: io.env,
    onProgress: (message) => progress.note(message),
  });
}

interface Progress {
  update(event: ProgressEvent): void;
  retry(info: RetryInfo): void;
  note(message: string): void;
  end(): void;
}

/** A single rewriting progress line on a terminal; plain notes otherwise. */
function progressLine(io: PublishIo): Progress {
  const tty = io.stderr.isTTY === true;
  let shown = false;
  const clear = (): void => {
    if (shown) io.stderr.write('\r\x1b[2K');
    shown = false;
  };
  return {
    update(event) {
      if (!tty) return;
      const verb = event.phase === 'read' ? 'reading' : 'writing';
      io.stderr.write(`\r\x1b[2K${verb} ${event.done}/${event.total} ${event.action} ${event.path}`);
      shown = true;
    },
    retry(info) {
      clear();
      io.stderr.write(`retrying ${info.operation} in ${(info.delayMs / 1000).toFixed(1)} s (attempt ${info.attempt} failed: ${info.error.message})\n`);
    },
    note(message) {
      clear();
      io.stderr.write(`${message}\n`);
    },
    end: clear,
  };
}

/** The plan (dry run) or the result, the per-page diffs when asked for, and a summary. */
export function formatReport(report: PublishReport, settings: Pick<PublishSettings, 'diff' | 'target' | 'url' | 'git' | 'prefix'>): string {
  const out: string[] = [];
  const width = 11;
  for (const entry of report.entries) {
    if (entry.action === 'unchanged' && !entry.note) continue;
    const label = entry.status === 'failed' ? pc.red(`FAILED ${entry.action}`) : entry.action === 'conflict' ? pc.yellow('conflict') : entry.action;
    const changes = entry.changes?.length ? ` (${entry.changes.join(', ')})` : '';
    out.push(`${label.padEnd(width)} ${entry.path}${changes}${entry.error ? ` — ${entry.error}` : ''}${entry.note ? ` — ${entry.note}` : ''}`);
    if (settings.diff && entry.diff) out.push(entry.diff.trimEnd());
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  const c = countActions(report);
  const where = report.target === 'api' ? `Wiki.js API ${settings.url ?? ''}` : `Wiki.js Git storage ${settings.git?.repo ?? ''}`;
  const failed = failedEntries(report).filter((e) => e.status === 'failed').length;
  const summary = report.dryRun
    ? `Dry run against ${where}: would create ${c.create}, update ${c.update}, delete ${c.prune}; ${c.unchanged} unchanged` +
      `${c['would-prune'] ? `, ${c['would-prune']} stale (--prune deletes them)` : ''}${c.conflict ? `, ${c.conflict} conflict(s)` : ''}. Nothing was written.`
    : `${where}: ${c.create} created, ${c.update} updated, ${c.merge ? `${c.merge} merged, ` : ''}${c.prune} deleted, ${c.unchanged} unchanged` +
      `${c['would-prune'] ? `, ${c['would-prune']} stale (--prune deletes them)` : ''}${c.conflict ? `, ${c.conflict} conflict(s)` : ''}, ${failed} failed.` +
      (report.target === 'git' ? (report.pushed ? ` Pushed ${report.commit?.slice(0, 12)}.` : ' Nothing to push.') : '');
  out.push(summary);
  if (failed > 0) {
    out.push(`Failed (${failed}):`);
    for (const e of failedEntries(report).filter((x) => x.status === 'failed')) out.push(`  ${e.path}: ${e.error ?? 'failed'}`);
    out.push('Run `compose-wiki publish` again to finish: it sends only what is still missing or different.');
  }
  return `${out.join('\n')}\n`;
}
