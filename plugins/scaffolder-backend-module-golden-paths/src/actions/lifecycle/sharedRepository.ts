import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import path from 'node:path';
import { readPublishSettings } from '../../config/readConfig';
import { readInfraRepo } from '../database/databaseSettings';

// Where a golden-path entity's descriptor lives decides what a lifecycle transition may touch.
// Services and workers own their repository: the descriptor is its catalog-info.yaml, and the
// repository finalizers (read-only on archive, retired on delete) act on the whole repository.
// Database Resources (T3, §3.3) live in the SHARED infrastructure repository as
// `resources/<name>-<env>.yaml`, next to every other database's Resource: a transition changes
// that one file (and regenerates the repository's catalog-info.yaml), and no repository
// finalizer ever runs there — archiving one database must not freeze every other one, and
// deleting one must not unregister them all.

/** A Resource written by the postgres-database golden path (`spec.type: database`). */
export function isDatabaseResource(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type === 'database'
  );
}

/** The configured local infrastructure repository (`publish.local.root`/`infraRepo`.git). */
export function infraRepositoryPath(config: Config): string {
  return path.join(
    path.resolve(readPublishSettings(config).localRoot),
    `${readInfraRepo(config)}.git`,
  );
}

/**
 * How a transition reaches the entity's descriptor: `own` — the repository is the entity's;
 * `shared` — the entity is one file of the shared infrastructure repository (the repository is
 * the configured infrastructure repository, or the entity is a database Resource, wherever the
 * setting points now).
 */
export type DescriptorHome =
  | { kind: 'own'; remote: string }
  | { kind: 'shared'; remote: string; file: string };

export function descriptorHome(
  config: Config,
  remote: string,
  entity: Entity,
): DescriptorHome {
  const shared =
    path.resolve(remote) === infraRepositoryPath(config) ||
    isDatabaseResource(entity);
  return shared
    ? {
        kind: 'shared',
        remote,
        file: `resources/${entity.metadata.name}.yaml`,
      }
    : { kind: 'own', remote };
}

/**
 * `backstage.io/managed-by-location` of an entity the local provider emits:
 * `golden-paths-local:<repo>`, `<repo>` the bare repository's directory name under
 * `goldenPaths.publish.local.root` (`cart-api.git`), never a server path.
 */
export const LOCAL_LOCATION = 'golden-paths-local:';

/**
 * The bare repository a `golden-paths-local:` location names, resolved against the configured
 * `goldenPaths.publish.local.root`, or undefined when it names none: `<repo>` must be one path
 * segment ending in `.git` (no `/`, `\`, NUL, `.` or `..`) directly under the root. For an entity
 * the catalog still holds from before the provider wrote `<repo>` (it wrote the repository's
 * absolute path, replaced at its first scan after an upgrade), an absolute path is accepted when
 * it is exactly such a repository directly under the configured root; any other path is refused.
 */
export function localRepositoryOf(
  config: Config,
  location: string,
): string | undefined {
  if (!location.startsWith(LOCAL_LOCATION)) return undefined;
  const repo = location.slice(LOCAL_LOCATION.length);
  const root = path.resolve(readPublishSettings(config).localRoot);
  // legacy form: the absolute path of a repository directly under the root, spelled exactly
  const name =
    path.isAbsolute(repo) && path.dirname(repo) === root
      ? path.basename(repo)
      : repo;
  if (
    !/^[^/\\\0]+\.git$/.test(name) ||
    name === '.' ||
    name === '..' ||
    (name !== repo && path.join(root, name) !== repo)
  ) {
    return undefined;
  }
  const resolved = path.join(root, name);
  return path.dirname(resolved) === root ? resolved : undefined;
}

/** Why a `golden-paths-local:` location is refused (see {@link localRepositoryOf}). */
export function localLocationRefusal(entityRef: string, location: string) {
  return `${entityRef} is not in a locally published repository (${location} does not name a repository under goldenPaths.publish.local.root). Nothing was changed.`;
}

/**
 * Why `delete` is refused for this entity, or undefined: an entity of the shared infrastructure
 * repository (by its local location) that is not a database Resource. Deleting it would retire
 * the repository every other Resource lives in, and only a database Resource has a way out of it
 * on its own: its destroy plan approved and applied, then its `resources/<name>.yaml` removed
 * (§7.1, `databaseDestroy.ts`). Also refused: an entity (not a database Resource) whose
 * `golden-paths-local:` location names no repository under the root ({@link localRepositoryOf}).
 * `goldenpath:validate` and `goldenpath:lifecycle` give the same text.
 */
export function sharedDeleteRefusal(
  config: Config,
  entityRef: string,
  entity: Entity,
): string | undefined {
  if (isDatabaseResource(entity)) return undefined;
  const location =
    entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? '';
  if (!location.startsWith(LOCAL_LOCATION)) return undefined;
  const remote = localRepositoryOf(config, location);
  // a local location that names no repository under the root (`../x.git`, another path) is
  // refused as goldenpath:lifecycle refuses it
  if (remote === undefined) return localLocationRefusal(entityRef, location);
  const shared = descriptorHome(config, remote, entity).kind === 'shared';
  return shared
    ? `${entityRef} is described in the shared infrastructure repository, next to other entities; goldenpath:lifecycle deletes only entities with a repository of their own, and database Resources. Nothing was changed.`
    : undefined;
}
