import type { Entity } from '@backstage/catalog-model';

/** A §7.3 finalizer `goldenpath:lifecycle` runs as its own claimed step (`<stepId>:<id>`). */
export interface LifecycleFinalizer {
  id: 'repository' | 'schedules';
  /** repository: read-only (true) or writable again; schedules: paused (true) or resumed. */
  on: boolean;
  /** The `finalizer.run` effect's target, as the step's effects and audit record name it. */
  target: string;
}

/**
 * The finalizers of a transition, around its descriptor change, in the order they run: `before`
 * (unarchive makes the repository writable first, since its hook would refuse the descriptor
 * commit) and `after` (an archived worker's schedules are paused, then the repository turns
 * read-only). None on the shared infrastructure repository: they act on a whole repository.
 * One list for the real run and the dry run, so a dry run lists what a real run runs.
 */
export function lifecycleFinalizers(p: {
  transition: string;
  entity: Entity;
  entityRef: string;
  remote: string;
  shared: boolean;
}): { before: LifecycleFinalizer[]; after: LifecycleFinalizer[] } {
  const none = { before: [], after: [] };
  if (p.shared) return none;
  const repository = (readOnly: boolean): LifecycleFinalizer => ({
    id: 'repository',
    on: readOnly,
    target: `repository ${p.remote}: ${readOnly ? 'read-only' : 'writable'}`,
  });
  const schedules = (paused: boolean): LifecycleFinalizer => ({
    id: 'schedules',
    on: paused,
    target: `schedules of ${p.entityRef}: ${paused ? 'paused' : 'resumed'}`,
  });
  const worker = isWorker(p.entity);
  if (p.transition === 'archive') {
    return {
      before: [],
      after: [...(worker ? [schedules(true)] : []), repository(true)],
    };
  }
  if (p.transition === 'unarchive') {
    return {
      before: [repository(false)],
      after: worker ? [schedules(false)] : [],
    };
  }
  return none;
}

/** §7.3 `schedules` applies to workers (`spec.type: worker`, any case). */
function isWorker(entity: Entity): boolean {
  return (
    String((entity.spec as { type?: unknown })?.type ?? '')
      .trim()
      .toLocaleLowerCase('en-US') === 'worker'
  );
}
