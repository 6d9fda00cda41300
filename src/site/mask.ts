/**
 * Masks secret values in a source file before the source viewer shows it, line by line so that
 * line numbers stay true. DESIGN: the value of a secret never reaches the site; its name may.
 * A value is secret by its key (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*KEY*`, …) or by its shape
 * (the library's rules); variable references such as `${REDIS_PASSWORD}` name, not reveal, and are
 * kept. Block scalars under a secret key (`KEY: |` and the indented lines below) are masked whole.
 */
import { isSecret, maskUrlCredentials } from '../lib/model/secrets.ts';
import { maskCommand } from '../lib/compose/mask.ts';

export const MASK = '********';

/** `KEY: value`, `- KEY=value`, `export KEY=value`, with the value possibly quoted. */
const ASSIGNMENT = /^(\s*(?:-\s+)?(?:export\s+)?)(["']?)([A-Za-z_][\w.-]*)\2(\s*[:=]\s*)(.*)$/;

const isReference = (value: string) => /^(["']?)\$\{?[A-Za-z_][\w]*(?::?[-?+][^}]*)?\}?\1$/.test(value.trim());

function splitComment(value: string): [string, string] {
  // A YAML/env comment starts with ` #` outside quotes; good enough for one-line values.
  const m = /^("[^"]*"|'[^']*'|[^#]*?)(\s+#.*)?$/.exec(value);
  return m ? [m[1] ?? value, m[2] ?? ''] : [value, ''];
}

export function maskSource(text: string): string {
  const lines = text.split('\n');
  let blockIndent = -1; // > -1 while inside a secret block scalar
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        if (line.trim() !== '') lines[i] = line.slice(0, indent) + MASK;
        continue;
      }
      blockIndent = -1;
    }
    const m = ASSIGNMENT.exec(line);
    if (m && !line.trimStart().startsWith('#')) {
      const [, lead, quote, key, sep, rest] = m as unknown as [string, string, string, string, string, string];
      const [value, comment] = splitComment(rest);
      const bare = value.trim().replace(/^(["'])(.*)\1$/, '$2');
      if (/^[|>][-+0-9]*$/.test(value.trim())) {
        if (isSecret(key)) blockIndent = indent;
        continue;
      }
      if (bare && !isReference(value) && isSecret(key, bare)) {
        lines[i] = `${lead}${quote}${key}${quote}${sep}${MASK}${comment}`;
        continue;
      }
      lines[i] = `${lead}${quote}${key}${quote}${sep}${maskCommand(value)}${comment}`;
      continue;
    }
    lines[i] = maskCommand(maskUrlCredentials(line));
  }
  return lines.join('\n');
}
