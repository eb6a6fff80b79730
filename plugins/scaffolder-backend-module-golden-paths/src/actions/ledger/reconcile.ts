import type { AuthService } from '@backstage/backend-plugin-api';
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
