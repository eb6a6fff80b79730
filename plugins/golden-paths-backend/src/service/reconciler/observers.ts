import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { GP_KEYS, lifecycleOf } from '@internal/plugin-golden-paths-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { git, markerRequestKey } from '../compensation/localRepository';
import type { LifecycleCatalog } from '../lifecycleGatesSources';
import type {
  ObservedDatabase,
  ObservedEntity,
  ObservedRepository,
} from './compare';
import { refKey } from '../../refKey';

// How the reconciler looks at reality (§8 step 4). Every observer only reads; none fixes
// anything. Tests swap them for fakes.

/** Reads a local bare repository. Never throws: a failed read is `unknown`. */
export interface RepositoryObserver {
  inspect(
    repoPath: string,
    options: { commitSha?: string },
  ): Promise<ObservedRepository>;
}

/** Reads catalog entities; throws when the catalog cannot answer (all entity checks `unknown`). */
export interface CatalogObserver {
  /** The entities among `refs` (lower-cased refs) that exist; the others are absent. */
  entities(
    refs: readonly string[],
  ): Promise<Map<string, Extract<ObservedEntity, { state: 'present' }>>>;
}

/** A provisioner's `find(requestKey)` (§4.9), as far as this backend can reach it. */
export interface DatabaseObserver {
  /**
   * The provisioner it reads (`local-postgres`); a database another provisioner applied (the
   * recorded `effect_ref` names it) is `not-checkable`. Absent: it answers for every database.
   */
  provisioner?: string;
  find(requestKey: string): Promise<ObservedDatabase>;
}

export interface ReconcilerObservers {
  repositories: RepositoryObserver;
  catalog: CatalogObserver;
  /** Absent: database checks are `not-checked` with `DATABASE_NOT_CHECKABLE`. */
  databases?: DatabaseObserver;
}

/**
 * Why a database is not checked: the `local-postgres` provisioner's admin connection
 * (`goldenPaths.database.local.connection`) is not configured for this backend, or the database
 * was applied by a provisioner it cannot reach (`github-terraform` works through workflows).
 */
export const DATABASE_NOT_CHECKABLE =
  'not checkable from golden-paths-backend: goldenPaths.database.local.connection is not configured, so the provisioner cannot be asked';

/** {@link DATABASE_NOT_CHECKABLE} for a database of another provisioner. */
export const databaseOfOtherProvisioner = (target: string, reachable: string) =>
  `not checkable from golden-paths-backend: ${target} was applied by another provisioner than ${reachable}, the only one this backend can ask`;

const isMissing = (e: NodeJS.ErrnoException) =>
  e.code === 'ENOENT' || e.code === 'ENOTDIR';

/**
 * Local bare repositories with git (no shell): present or not, the `.goldenpath.yaml` marker at
 * HEAD, whether a commit is in HEAD's history, and the write state (a `pre-receive` hook that
 * refuses pushes, which the archive finalizer installs).
 */
export function localRepositoryObserver(): RepositoryObserver {
  return {
    async inspect(repoPath, options) {
      try {
        const stat = await fs.stat(repoPath).catch(e => {
          if (isMissing(e)) return undefined;
          throw e;
        });
        if (!stat) return { state: 'absent' };
        const gitDir = `--git-dir=${repoPath}`;
        if (
          !stat.isDirectory() ||
          (await git([gitDir, 'rev-parse', '--is-bare-repository'])) !== 'true'
        ) {
          // something else took the repository's place: no marker, no history
          return { state: 'present', readOnly: false, containsCommit: false };
        }
        const marker = await git([gitDir, 'show', 'HEAD:.goldenpath.yaml']);
        const hook = await fs
          .stat(path.join(repoPath, 'hooks', 'pre-receive'))
          .catch(e => {
            if (isMissing(e)) return undefined;
            throw e;
          });
        const containsCommit = options.commitSha
          ? (await git([
              gitDir,
              'merge-base',
              '--is-ancestor',
              options.commitSha,
              'HEAD',
            ])) !== undefined
          : undefined;
        return {
          state: 'present',
          ...(marker !== undefined
            ? { markerKey: markerRequestKey(marker) }
            : {}),
          ...(containsCommit !== undefined ? { containsCommit } : {}),
          readOnly: !!hook && hook.isFile() && (hook.mode & 0o111) !== 0,
        };
      } catch (e) {
        return {
          state: 'unknown',
          reason: `${repoPath} could not be read: ${(e as Error).message}`,
        };
      }
    },
  };
}

/** Refs per catalog call. */
const BATCH = 100;

/**
 * The catalog through the plugin's own service credentials (`POST /entities/by-refs`), as the
 * lifecycle gates read the graph: the reconciler acts for nobody, and an entity hidden from some
 * user still exists.
 */
export function catalogObserver(
  catalog: Pick<LifecycleCatalog, 'getEntitiesByRefs'>,
): CatalogObserver {
  return {
    async entities(refs) {
      const out = new Map<
        string,
        Extract<ObservedEntity, { state: 'present' }>
      >();
      for (let i = 0; i < refs.length; i += BATCH) {
        const found: Entity[] = await catalog.getEntitiesByRefs(
          refs.slice(i, i + BATCH),
        );
        for (const entity of found) {
          const requestKey = entity.metadata.annotations?.[GP_KEYS.requestKey];
          out.set(refKey(stringifyEntityRef(entity)), {
            state: 'present',
            ...(requestKey ? { requestKey } : {}),
            lifecycle: lifecycleOf(entity),
          });
        }
      }
      return out;
    },
  };
}
