import type { CollectorEntity } from '../catalogEntities';

export const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';
export const PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** Where an entity's files live: the repository root to read and the entity's directory in it. */
export interface RepoLocation {
  /** `<host>/<owner>/<repo>`, lower-case (§2.1 repository map); a GitLab project's whole path. */
  repository: string;
  /** URL handed to `UrlReaderService.readTree`: the repository root at `ref`. */
  rootUrl: string;
  /** Branch or tag from the location, '' when the default branch is meant. */
  ref: string;
  /** The entity's directory relative to the repository root, '' for the root. */
  directory: string;
}

// GitHub/Gitea `/tree|blob/<ref>/…`, GitLab `/-/tree|blob/<ref>/…`, Bitbucket `/src/<ref>/…`.
const REF_MARKERS = [['-', 'tree'], ['-', 'blob'], ['tree'], ['blob'], ['src']];

/**
 * Maps an entity to its repository through `backstage.io/source-location` (`url:` targets) or
 * `github.com/project-slug` (§4.2 join); undefined when it has neither (`join-key-missing`).
 */
export function repoLocationOf(
  entity: Pick<CollectorEntity, 'annotations'>,
): RepoLocation | undefined {
  const location = entity.annotations[SOURCE_LOCATION_ANNOTATION]?.trim();
  if (location?.startsWith('url:')) {
    const parsed = parseRepoUrl(location.slice('url:'.length));
    if (parsed) return parsed;
  }
  const slug = entity.annotations[PROJECT_SLUG_ANNOTATION]?.trim();
  if (slug && /^[^/\s]+\/[^/\s]+$/.test(slug)) {
    return parseRepoUrl(`https://github.com/${slug}`);
  }
  return undefined;
}

/** Parses a repository (or repository directory) URL; undefined when it names no repository. */
export function parseRepoUrl(text: string): RepoLocation | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const segments = url.pathname.split('/').filter(s => s.length > 0);
  if (segments.length < 2) return undefined;
  // GitLab nests projects in groups (`acme/platform/checkout`) and ends the project path with
  // `/-/`; a gitlab host's URL without it is the project itself. Elsewhere a repository is
  // `<owner>/<repo>`.
  const dash = segments.indexOf('-', 2);
  let end = 2;
  if (dash >= 2) end = dash;
  else if (/(^|\.)gitlab\./i.test(url.host)) end = segments.length;
  const path = [
    ...segments.slice(0, end - 1),
    segments[end - 1].replace(/\.git$/, ''),
  ].join('/');
  const rest = segments.slice(end);

  let ref = '';
  let directory = '';
  for (const marker of REF_MARKERS) {
    if (marker.every((part, i) => rest[i] === part) && rest[marker.length]) {
      ref = rest[marker.length];
      directory = rest.slice(marker.length + 1).join('/');
      break;
    }
  }
  const base = `${url.protocol}//${url.host}/${path}`;
  const gitlab = rest[0] === '-';
  return {
    repository: `${url.host}/${path}`.toLowerCase(),
    rootUrl: ref ? `${base}/${gitlab ? '-/' : ''}tree/${ref}` : base,
    ref,
    directory,
  };
}
