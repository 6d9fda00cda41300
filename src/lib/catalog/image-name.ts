/**
 * Image names in the one form the catalog compares: lower case, no tag or digest, Docker Hub's
 * registry host and `library/` namespace dropped, any other registry host kept in front.
 */

/** An image as the model holds it; `repository` may also carry the registry host itself. */
export interface ImageName {
  readonly registry?: string | undefined;
  readonly repository: string;
}

// Every name under which Docker Hub is written in image references.
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

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
  let text = typeof image === 'string' ? stripTagAndDigest(image) : joinRegistry(image);
  text = text.trim().toLowerCase().replace(/\/+$/, '');
  let registry: string | undefined;
  const slash = text.indexOf('/');
  if (slash > 0) {
    const first = text.slice(0, slash);
    // Docker's own rule: a first segment with a dot or a port, or `localhost`, is a registry host.
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      text = text.slice(slash + 1);
    }
  }
  if (registry !== undefined && DOCKER_HUB_HOSTS.has(registry)) registry = undefined;
  if (registry === undefined && text.startsWith('library/')) text = text.slice('library/'.length);
  return registry === undefined ? { path: text, key: text } : { registry, path: text, key: `${registry}/${text}` };
}

/** The catalog key of an image: see {@link normaliseImage}. */
export function normaliseImageRepository(image: ImageName | string): string {
  return normaliseImage(image).key;
}

function joinRegistry(image: ImageName): string {
  const repository = stripTagAndDigest(image.repository);
  const registry = image.registry?.trim();
  if (!registry || repository.toLowerCase().startsWith(`${registry.toLowerCase()}/`)) return repository;
  return `${registry}/${repository}`;
}

function stripTagAndDigest(text: string): string {
  let rest = text.trim();
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const colon = rest.lastIndexOf(':');
  // A colon after the last slash is a tag; one before it is a registry port.
  if (colon > rest.lastIndexOf('/')) rest = rest.slice(0, colon);
  return rest;
}
