/** `compose-wiki model`: prints the loaded model and its diagnostics. */
import type { Command } from 'commander';
import { shownFrom } from '../paths.ts';

export function registerModel(program: Command, state: { code: number }): void {
  program
    .command('model')
    .description('Load the compose repository and print its model and diagnostics.')
    .option('--source <dir>', 'root of the compose repository (default: from compose-wiki.yaml, else the bundled example)')
    .option('--config <file>', 'config file (default: ./compose-wiki.yaml when present)')
    .option('--json', 'print the model as stable JSON')
    .action(async (options: { source?: string; config?: string; json?: boolean }) => {
      // resolve-options.ts rather than the pipeline's index: the model needs no renderer.
      const [{ loadProject }, { formatDiagnostic, summariseProject }, { resolveConfig }] = await Promise.all([
        import('../../lib/compose/index.ts'),
        import('../../lib/model/summary.ts'),
        import('../../lib/pipeline/resolve-options.ts'),
      ]);
      const config = resolveConfig({ source: options.source, config: options.config });
      const project = await loadProject(config.source, { ignore: config.ignore });
      if (options.json) process.stdout.write(`${JSON.stringify(project, null, 2)}\n`);
      else process.stdout.write(summariseProject(project));
      if (!options.json) for (const d of project.diagnostics) process.stderr.write(`${formatDiagnostic(d, shownFrom(config.source))}\n`);
      if (project.diagnostics.some((d) => d.severity === 'error')) state.code = 1;
    });
}
