/**
 * Writes `markdown-rules.generated.json`, the snapshot of the fast Markdown writer's escaping rules,
 * from the installed remark-stringify and remark-gfm (see src/lib/merge/markdown-rules.ts). Run it
 * after updating either or their mdast utilities: `npm run markdown-rules`. `--check` writes nothing
 * and exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { remarkWriterSetup } from '../src/lib/merge/markdown-remark.ts';
import { ESCAPE_RULES_FILE, installedVersions, serializeEscapeRules } from '../src/lib/merge/markdown-rules.ts';

if (import.meta.main) {
  const text = serializeEscapeRules(remarkWriterSetup(), installedVersions());
  let current: string | undefined;
  try {
    current = readFileSync(ESCAPE_RULES_FILE, 'utf8');
  } catch {
    current = undefined;
  }
  if (process.argv.includes('--check')) {
    if (current !== text) {
      process.stderr.write('markdown-rules.generated.json is stale: run `npm run markdown-rules` and commit it.\n');
      process.exitCode = 1;
    }
  } else if (current === text) {
    process.stdout.write('markdown-rules.generated.json is up to date.\n');
  } else {
    writeFileSync(ESCAPE_RULES_FILE, text);
    process.stdout.write('markdown-rules.generated.json written.\n');
  }
}
