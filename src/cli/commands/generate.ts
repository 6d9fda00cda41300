/** `compose-wiki generate`: writes the page tree into the content folder. */
import path from 'node:path';
import type { Command } from 'commander';
import { shownFrom } from '../paths.ts';

export function registerGenerate(program: Command, state: { code: number }): void {
  program
    .command('generate')
    .description('Render the wiki pages of the compose repository into the content folder.')
    .option('--source <dir>', 'root of the compose repository (default: from compose-wiki.yaml, else the bundled example)')
    .option('--out <dir>', 'content folder to write the pages to (default: content/)')
    .option('--config <file>', 'config file (default: ./compose-wiki.yaml when present)')
    .option('--quiet', 'print only problems')
    .action(async (options: { source?: string; out?: string; config?: string; quiet?: boolean }) => {
      const [{ generateProject, resolveConfig }, { formatDiagnostic }] = await Promise.all([
        import('../../lib/pipeline/index.ts'),
        import('../../lib/model/summary.ts'),
      ]);
      const config = resolveConfig({ source: options.source, content: options.out, config: options.config });
      const result = await generateProject(config);
      for (const d of result.project.diagnostics) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d, shownFrom(config.source))}\n`);
      const where = path.relative(process.cwd(), config.content) || '.';
      if (!options.quiet) {
        process.stdout.write(`${result.pages.length} pages in ${where}/: ${result.written.length} written, ${result.unchanged.length} unchanged.\n`);
      }
      if (result.orphans.length > 0) {
        process.stderr.write(`${result.orphans.length} page(s) no longer match a service and were kept; delete them when you no longer need them:\n`);
        for (const orphan of result.orphans) process.stderr.write(`  ${where}/${orphan}\n`);
      }
      // Like a compiler's error: file:line:col, so that editors and CI annotations can jump there.
      for (const page of result.unreadable) process.stderr.write(`${where}/${page.file}:${page.line}:1: error page-unreadable: ${page.message}\n`);
      for (const removed of result.removedText) {
        process.stderr.write(
          `${where}/${removed.file}:${removed.line}:1: warning text-in-generated-section: removed text under "${removed.section}" that is not what generate writes there and cites nothing; if a person wrote it, take it from the file's previous version and put it in Operational Notes, under a heading of its own, or under a ### heading in that section\n`,
        );
      }
      if (result.project.diagnostics.some((d) => d.severity === 'error') || result.unreadable.length > 0) state.code = 1;
    });
}
