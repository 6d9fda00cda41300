/** `compose-wiki publish`: publishes the pages in content/ to Wiki.js (GraphQL API or Git storage). */
import type { Command } from 'commander';
import type { PublishFlags } from '../../lib/wikijs/index.ts';

export function registerPublish(program: Command, state: { code: number }): void {
  program
    .command('publish')
    .description(
      'Publish the pages in content/ to Wiki.js 2.x, through its GraphQL API (--url) or its Git storage (--git). ' +
        'The API key comes from the environment variable WIKIJS_TOKEN or from wikijs.tokenFile in compose-wiki.yaml — never from a flag.',
    )
    .option('--config <file>', 'configuration file (default: compose-wiki.yaml)')
    .option('--content <dir>', 'folder of the pages to publish (default: content)')
    .option('--url <address>', 'publish through the GraphQL API of this wiki, e.g. https://wiki.example.com')
    .option('--git <path-or-url>', 'publish into this Wiki.js Git-storage repository')
    .option('--branch <name>', 'branch of the storage repository (default: its default branch)')
    .option('--prefix <path>', 'wiki path under which compose-wiki publishes, e.g. home/Platform')
    .option('--locale <code>', 'page locale (default: en)')
    .option('--source-url <template>', 'link citations: e.g. https://git.example.com/homelab/src/branch/main/{path}#L{start}-L{end}')
    .option('--concurrency <n>', 'requests in parallel (default: 4)')
    .option('--dry-run', 'print the plan (create / update / unchanged / would-prune) and write nothing')
    .option('--diff', 'print a unified diff per page with the plan or the result')
    .option('--prune', 'delete pages that carry the generator tag but no longer exist locally')
    .action(async (options: PublishFlags) => {
      const [{ findConfigFile, loadConfig }, { runPublish }, { mergeStorageFile }] = await Promise.all([
        import('../../lib/config/index.ts'),
        import('../../lib/wikijs/index.ts'),
        import('../../lib/wikijs/merge-storage.ts'),
      ]);
      // The whole config is validated (exit 2 with file:line:column), not only its wikijs section.
      const file = findConfigFile(process.cwd(), options.config);
      if (file) loadConfig(file, { cwd: process.cwd(), defaultSource: process.cwd() });
      state.code = await runPublish(options, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        cwd: process.cwd(),
        // Pages a person edited in Wiki.js are merged by the same rules as `generate`.
        merge: mergeStorageFile,
      });
    });
}
