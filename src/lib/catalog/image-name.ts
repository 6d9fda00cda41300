/**
 * Image names in the one form the catalog compares: lower case, no tag or digest, Docker Hub's
 * registry host and `library/` namespace dropped, any other registry host kept in front.
 */
import { parseImageRef } from '../compose/image-ref.ts';

/** An image as the model holds it; `repository` may also carry the registry host itself. */
export interface ImageName {
  readonly registry?: string | undefined;
  readonly repository: string;
}

/** A repository split into its registry host (undefined for Docker Hub) and its path. */
export interface NormalisedImage {
  readonly registry?: string;
  readonly path: string;
  /** `registry/path`, or just `path` on Docker Hub: the key catalog entries are indexed by. */
  readonly key: string;
}

/**
 * Normalises an image reference (`ghcr.io/goauthentik/server:2025.8`, `docker.io/library/postgres`,
 * or `{ registry, repository }` as the model splits it) to the catalog's key form.
 */
export function normaliseImage(image: ImageName | string): NormalisedImage {
  // Docker's reference grammar is parsed in one place (compose/image-ref.ts); only the form differs.
  const { registry, repository } = parseImageRef(typeof image === 'string' ? image : joinRegistry(image));
  const path = repository.replace(/\/+$/, '');
  return registry === undefined ? { path, key: path } : { registry, path, key: `${registry}/${path}` };
}

/** The catalog key of an image: see {@link normaliseImage}. */
export function normaliseImageRepository(image: ImageName | string): string {
  return normaliseImage(image).key;
}

/** `registry/repository` for the parser, unless the repository already starts with its registry. */
function joinRegistry(image: ImageName): string {
  const repository = image.repository.trim();
  const registry = image.registry?.trim();
  if (!registry || repository.toLowerCase().startsWith(`${registry.toLowerCase()}/`)) return repository;
  return `${registry}/${repository}`;
}
