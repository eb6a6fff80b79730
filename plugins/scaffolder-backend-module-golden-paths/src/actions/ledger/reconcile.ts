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
  let published = false;
  let commitSha: string | undefined;
  if (p.publishMode === 'local' && p.repoUrl) {
    const head = await readRemoteHead(p.repoUrl, p.branch);
    if (head.goldenPathYaml) {
      const marker = parseYaml(head.goldenPathYaml) as { requestKey?: string };
      published = marker?.requestKey === p.requestKey;
      if (published) commitSha = head.commitSha;
    }
  } else if (p.catalogInfoUrl && p.urlReader) {
    const markerUrl = p.catalogInfoUrl.replace(
      /catalog-info\.yaml$/,
      '.goldenpath.yaml',
    );
    const marker = await readMarker(p.urlReader, markerUrl);
    published = marker?.requestKey === p.requestKey;
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
 * The `.goldenpath.yaml` of a published repository, or undefined when there is none (the
 * repository or the file does not exist: not published). Any other failure is thrown: a resume
 * that cannot tell whether it published must not publish again, nor skip publishing.
 */
async function readMarker(
  urlReader: UrlReaderService,
  url: string,
): Promise<{ requestKey?: string } | undefined> {
  try {
    const response = await urlReader.readUrl(url);
    return parseYaml((await response.buffer()).toString('utf8')) as {
      requestKey?: string;
    };
  } catch (error) {
    if ((error as Error)?.name === 'NotFoundError') return undefined;
    throw new Error(
      `cannot tell whether ${url} was published by this request: ${String(
        (error as Error)?.message ?? error,
      )}; run the template again once the repository host answers`,
    );
  }
}
