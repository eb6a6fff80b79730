import { PathStep } from './types';

/** Anything listing impacted entities with paths: a blast-radius answer, restricted or not. */
export interface WithPaths {
  impacted: { path: PathStep[] }[];
}

/**
 * The wire form `paths=shared` of an answer (`GET …/blast-radius?paths=shared`): every distinct
 * path step once in `pathSteps`, each entity's `path` as indices into it. The paths of a shared
 * service's radius share their first steps (hundreds of entities reach it through the same few
 * dependents), so the inline form repeats them: ~30 % of a 1,000-entity page is repeated steps
 * (docs/benchmarks.md, "Run 8").
 */
export type SharedPathSteps<A extends WithPaths> = Omit<A, 'impacted'> & {
  pathSteps: PathStep[];
  impacted: (Omit<A['impacted'][number], 'path'> & { path: number[] })[];
};

/**
 * `answer` in the wire form `paths=shared`. Steps are the same when they are the same object
 * (computeBlastRadius builds one object per tree edge), so this is one map lookup per step.
 */
export function sharePathSteps<A extends WithPaths>(
  answer: A,
): SharedPathSteps<A> {
  const pathSteps: PathStep[] = [];
  const indexOf = new Map<PathStep, number>();
  const impacted = answer.impacted.map(entity => ({
    ...entity,
    path: entity.path.map(step => {
      let i = indexOf.get(step);
      if (i === undefined) {
        i = pathSteps.push(step) - 1;
        indexOf.set(step, i);
      }
      return i;
    }),
  }));
  return { ...answer, pathSteps, impacted } as unknown as SharedPathSteps<A>;
}

/** The error a wire form that cannot be read back throws (shared and table forms alike). */
export const malformedAnswer = (what: string) =>
  new Error(`malformed blast-radius answer: ${what}`);

/** Whether `answer` is in the wire form `paths=shared` (a backend may answer the inline form). */
export function hasSharedPathSteps<A extends WithPaths>(
  answer: A | SharedPathSteps<A>,
): answer is SharedPathSteps<A> {
  return Array.isArray((answer as { pathSteps?: unknown }).pathSteps);
}

/**
 * The answer `sharePathSteps` was given, from its wire form. A step index that is not an
 * integer inside `pathSteps` throws: the answer is malformed, not an entity without a path.
 */
export function expandPathSteps<A extends WithPaths>(
  shared: SharedPathSteps<A>,
): A {
  const { pathSteps, ...rest } = shared;
  if (!Array.isArray(pathSteps))
    throw malformedAnswer('pathSteps is not a list');
  const impacted = shared.impacted.map(entity => {
    if (!Array.isArray(entity.path))
      throw malformedAnswer('the path of an impacted entry is not a list');
    return {
      ...entity,
      path: entity.path.map(i => {
        const step = Number.isInteger(i) ? pathSteps[i] : undefined;
        if (!step)
          throw malformedAnswer(
            `a path names step ${i}, pathSteps holds ${pathSteps.length}`,
          );
        return step;
      }),
    };
  });
  return { ...rest, impacted } as unknown as A;
}
