/** Splitting an image reference into registry, repository, tag and digest. */
import type { ImageRef } from '../model/types.ts';

/** Every name under which Docker Hub is written in image references. */
export const DOCKER_HUB_HOSTS: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Parses `registry/repo:tag@digest` as Docker does; `docker.io` and `library/` are normalised away. */
export function parseImageRef(text: string): ImageRef {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    // Docker's own rule: a first segment with a dot or a port, or `localhost`, is a registry host.
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (registry !== undefined && DOCKER_HUB_HOSTS.has(registry.toLowerCase())) registry = undefined;
  if (registry === undefined && rest.toLowerCase().startsWith('library/')) rest = rest.slice('library/'.length);
  return {
    text,
    repository: rest.toLowerCase(),
    ...(registry ? { registry: registry.toLowerCase() } : {}),
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}
