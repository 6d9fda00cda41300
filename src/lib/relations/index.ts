/** Relations between the services of a project, across stacks, and the findings they imply. */
export { buildRelations, relationFindings, groupLabel } from './build.ts';
export { repositoryReader } from './reader.ts';
export { serviceId } from './names.ts';
export type * from './types.ts';
