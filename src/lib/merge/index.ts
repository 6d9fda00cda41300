export { fromMarkdown, normalizeMarkdown, remarkFromMarkdown, STRINGIFY_OPTIONS, stripCitations, toMarkdown } from './markdown.ts';
export { BLOCK_SEPARATOR, mergePage, OVERVIEW_SECTION, PURPOSE_PLACEHOLDER } from './merge-page.ts';
export type { MergeOptions, MergeResult, RemovedTextLine } from './merge-page.ts';
export { HEADER_FIELDS, parsePageFile, serializePageFile } from './page-file.ts';
export type { HeaderForm, ParsedHeader, ParsedPageFile } from './page-file.ts';
export { IO_CONCURRENCY, markdownFiles, nowFromEnvironment, pageFileName, readIfExists, writePages } from './write-pages.ts';
export { writeTextAtomically } from './atomic-write.ts';
export type { UnreadablePage, WritePagesOptions, WritePagesResult } from './write-pages.ts';
export { asUnreadablePage, UnreadablePageError } from './unreadable-page.ts';
