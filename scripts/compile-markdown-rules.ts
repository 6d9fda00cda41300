/**
 * Writes `markdown-rules.generated.json`, the snapshot of the fast Markdown writer's escaping rules,
 * from the installed remark-stringify and remark-gfm (see src/lib/merge/markdown-rules.ts). Run it
 * after updating either or their mdast utilities: `npm run markdown-rules`. `--check` writes nothing
 * and exits 1 when the committed file is stale.
 */
import { remarkWriterSetup } from '../src/lib/merge/markdown-remark.ts';
import { ESCAPE_RULES_FILE, installedVersions, serializeEscapeRules } from '../src/lib/merge/markdown-rules.ts';
import { updateGeneratedFile } from './generated-file.ts';

if (import.meta.main) {
  const text = serializeEscapeRules(remarkWriterSetup(), installedVersions());
  updateGeneratedFile(ESCAPE_RULES_FILE, text, 'npm run markdown-rules');
}
