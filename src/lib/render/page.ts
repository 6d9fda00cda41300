/**
 * A rendered wiki page before it is merged with what is on disk: its place in the page tree,
 * its Wiki.js header, and its body as an mdast tree (so tables and escaping are right by
 * construction). Shared by merge, check, the site and the Wiki.js publisher.
 */
import type { Root } from 'mdast';
import type { SourceRange } from '../model/types.ts';

/** The Wiki.js page header (front matter), in Wiki.js's field order. */
export interface PageHeader {
  readonly title: string;
  readonly description: string;
  readonly published: boolean;
  /** ISO-8601 UTC with milliseconds; kept from the previous page unless the body changed. */
  readonly date: string;
  readonly tags: readonly string[];
  readonly editor: 'markdown';
  /** ISO-8601 UTC; set when the page is first written and kept afterwards. */
  readonly dateCreated?: string;
}

export type PageKind = 'service' | 'stack' | 'stacks-index' | 'platform';

/** H2 sections of a service page, in order. The generator owns all but Operational Notes. */
export const SERVICE_SECTIONS = ['Overview', 'Runtime Profile', 'Configuration & Secrets', 'Integrations', 'Operational Notes'] as const;

export interface Page {
  /** Wiki path without extension, e.g. `home/Platform/Stacks/authentik/authentik-server`. */
  readonly path: string;
  readonly kind: PageKind;
  readonly header: PageHeader;
  /** The body, starting with the H1. */
  readonly body: Root;
  /**
   * H2 headings whose content the generator owns (regenerated every time). Every other section,
   * and any paragraph a person added after the generated lead of Overview, is kept on merge.
   */
  readonly ownedSections: readonly string[];
  /**
   * H2 headings whose bullet items the generator contributes but a person may add to
   * (Operational Notes): generated items are refreshed, a person's items are kept.
   */
  readonly sharedSections: readonly string[];
  /**
   * Owned sections in which every block the generator writes cites its source (tables aside, whose
   * header row cannot). Text in them that cites nothing and is not what the generator writes there
   * is a person's: the merge names it when it replaces the section (`MergeResult.removedText`).
   */
  readonly citedSections?: readonly string[];
  /** The compose lines the page was made from (for "what caused this drift"). */
  readonly sources: readonly SourceRange[];
  readonly stack?: string;
  readonly service?: string;
}
