/**
 * The generator tag and the rule for source-URL templates: shared by the publish settings (which
 * the config schema of every command embeds) and the publishers. Kept free of Markdown and diff
 * dependencies so that loading the config does not load the publishing stack.
 */
import { hasUrlCredentials } from '../model/secrets.ts';

/** The tag every page compose-wiki publishes carries (and the only pages `--prune` may delete). */
export const DEFAULT_GENERATOR_TAG = 'compose-wiki';

/** Checks a template: it must be http(s), contain `{path}` and hold no credentials. Returns a problem or undefined. */
export function sourceUrlTemplateProblem(template: string): string | undefined {
  if (!/^https?:\/\//.test(template)) return 'the source URL template must start with http:// or https://';
  if (!template.includes('{path}')) return 'the source URL template must contain {path} (and usually #L{start}-L{end})';
  if (hasUrlCredentials(template)) return 'the source URL template contains a user name or password, which every published link would show; remove them';
  return undefined;
}
