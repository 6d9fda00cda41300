/** Publishing pages to Wiki.js 2.x: GraphQL API and Git storage. Entry file: re-exports only. */
export * from './errors.ts';
export { WikiGraphQLClient, graphqlEndpoint, errorEntryCode, type GraphQLClientOptions, type GraphQLResponse, type GraphQLErrorEntry, type RetryInfo } from './graphql-client.ts';
export { publishToWikiApi, proveWriteAccess, WRITE_CHECK_PAGE, type ApiPublishOptions, type ProgressEvent } from './publish-api.ts';
export { publishToWikiGit, GENERATED_TRAILER, type GitPublishOptions, type GitMerge, type WikiFilePage } from './publish-git.ts';
export { serializeWikiFile, wikiHeaderLine, readWikiFileHeader, wikiFileTags } from './wikijs-file.ts';
export { readContent, parsePageText, toPageHeader, type LocalPage } from './read-content.ts';
export { linkCitations, citationUrl, sourceUrlTemplateProblem } from './citations.ts';
export { wikiPathProblem, normalizePrefix, underPrefix } from './paths.ts';
export * from './plan.ts';
export { resolvePublishSettings, resolveToken, parseWikiSettings, wikiSettingsSchema, TOKEN_ENV, type PublishFlags, type PublishSettings } from './settings.ts';
export { runPublish, formatReport, EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, type PublishIo } from './run.ts';
