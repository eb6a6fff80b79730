import type {
  AuthService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { GP_KEYS } from '@internal/plugin-golden-paths-common';
import { parse as parseYaml } from 'yaml';
import { readRemoteHead } from '../../git/localRepository';

/**
 * Reality checks before a resumed request runs its side effects again (golden-paths.md §4.4):
 * a repository holding our `.goldenpath.yaml` means publish is done; an entity carrying our
 * request key means register is done.
 */
export async function reconcileTargets(p: {
  requestKey: string;
  repoUrl?: string;
  entityRef?: string;
  publishMode: string;
  branch: string;
  catalog: CatalogService;
  auth: AuthService;
  /** github mode: the new repository's catalog-info.yaml; its marker sits beside it */
  catalogInfoUrl?: string;
  /** reads the marker of a repository published to a provider (github mode) */
  urlReader?: UrlReaderService;
}): Promise<{
  published: boolean;
  registered: boolean;
  /** the published commit, when publish is done: the close records it as the first run would */
  commitSha?: string;
}> {
  /** Whether a repository's `.goldenpath.yaml` text is this request's marker. */
  const ours = (marker: string | undefined) =>
    marker !== undefined &&
    (parseYaml(marker) as { requestKey?: string } | null)?.requestKey ===
      p.requestKey;
  let published = false;
  let commitSha: string | undefined;
  if (p.publishMode === 'local' && p.repoUrl) {
    const head = await readRemoteHead(p.repoUrl, p.branch);
    published = ours(head.goldenPathYaml);
    if (published) commitSha = head.commitSha;
  } else if (p.catalogInfoUrl && p.urlReader) {
    const markerUrl = p.catalogInfoUrl.replace(
      /catalog-info\.yaml$/,
      '.goldenpath.yaml',
    );
    published = await readMarker(p.urlReader, markerUrl, ours);
  }
  let registered = false;
  if (p.entityRef) {
    const entity = await p.catalog.getEntityByRef(p.entityRef, {
      credentials: await p.auth.getOwnServiceCredentials(),
    });
    registered =
      entity?.metadata.annotations?.[GP_KEYS.requestKey] === p.requestKey;
  }
  return { published, registered, ...(commitSha ? { commitSha } : {}) };
}

/**
 * Whether the `.goldenpath.yaml` at `url` is `ours`; false when there is none (the repository or
 * the file does not exist: not published). Any other failure is thrown: a resume that cannot
 * tell whether it published must not publish again, nor skip publishing.
 */
async function readMarker(
  urlReader: UrlReaderService,
  url: string,
  ours: (marker: string) => boolean,
): Promise<boolean> {
  try {
    const response = await urlReader.readUrl(url);
    return ours((await response.buffer()).toString('utf8'));
  } catch (error) {
    if ((error as Error)?.name === 'NotFoundError') return false;
    throw new Error(
      `cannot tell whether ${url} was published by this request: ${String(
        (error as Error)?.message ?? error,
      )}; run the template again once the repository host answers`,
    );
  }
}
