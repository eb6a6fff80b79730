import { z } from 'zod';
import { CatalogIndex, catalogMemo } from '../../catalog/catalogIndex';
import { noteCatalogRead } from '../../catalog/catalogReads';
import { effectiveLifecycle } from '../../catalog/entitySubject';
import { outcome } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import { requirePresence } from './dependencyDriftCheck';
import { compareText } from '../../model/compareText';
import { sortSmall } from '../../model/sortSmall';

const paramsSchema = z.strictObject({
  forbid: z.array(z.string()).default(['deprecated']),
});
type Params = z.output<typeof paramsSchema>;
type Compiled = Params & { expected: string; forbidden: string };

/** The values in first-seen order, each once (a Set only for long lists). */
function distinct(values: string[]): string[] {
  if (values.length > 16) return [...new Set(values)];
  const out: string[] = [];
  for (const v of values) if (!out.includes(v)) out.push(v);
  return out;
}

/** The effective lifecycle of an entity of the snapshot, null when it is not there. */
function lifecycleOf(catalog: CatalogIndex, ref: string): string | null {
  const memo = catalogMemo(catalog);
  let lifecycle = memo?.lifecycles.get(ref);
  if (lifecycle === undefined) {
    const target = catalog.get(ref);
    lifecycle = target ? effectiveLifecycle(target) : null;
    memo?.lifecycles.set(ref, lifecycle);
  } else {
    // The kept answer of one lookup, noted as the lookup would be (`catalogReads`).
    noteCatalogRead('g', ref);
  }
  return lifecycle;
}

/** Whether an entity of the snapshot has one of the forbidden lifecycles. */
function forbidden(
  catalog: CatalogIndex,
  ref: string,
  forbid: readonly string[],
): boolean {
  const lifecycle = lifecycleOf(catalog, ref);
  return lifecycle !== null && forbid.includes(lifecycle);
}

/** `dependency-lifecycle`: no declared or freshly observed dependency has a forbidden lifecycle. */
export const dependencyLifecycleCheckType = defineCheckType<Params, Compiled>({
  id: 'dependency-lifecycle',
  notesTimeLimits: true,
  description:
    'No declared dependency, consumed API provider or fresh observed callee has a forbidden lifecycle (default deprecated); observed edges stale or missing → unknown unless a declared one already fails.',
  paramsSchema,
  compile: p => ({
    ...p,
    expected: `no dependency with lifecycle ${p.forbid.join(' or ')}`,
    forbidden: p.forbid.join('/'),
  }),
  needs: () => [
    { source: 'catalog', kind: 'catalog' },
    { source: 'prometheus', kind: 'observed.edges' },
  ],
  evaluate(ctx, p) {
    const expected = p.expected;
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) return stale;
    // Declared dependencies and the providers of consumed APIs, each once.
    let declared = ctx.subject.dependsOn.slice();
    for (const api of ctx.subject.consumesApis)
      for (const provider of ctx.catalog.providersOfApi(api))
        declared.push(provider);
    declared = distinct(declared);
    const evidence = [ctx.ownCatalogEvidence(), ctx.snapshotEvidence()];
    const declaredBad: string[] = [];
    for (let i = 0; i < declared.length; i++)
      if (forbidden(ctx.catalog, declared[i], p.forbid))
        declaredBad.push(declared[i]);
    sortSmall(declaredBad, compareText);
    if (declaredBad.length > 0) {
      return outcome(
        'fail',
        'DEPRECATED_DEPENDENCY',
        `Declared dependencies ${declaredBad.join(', ')} are ${
          p.forbidden
        }; expected ${expected}.`,
        expected,
        declaredBad.join(', '),
        evidence,
      );
    }
    const noPresence = requirePresence(ctx, expected);
    if (noPresence) return noPresence;
    const observedBad: string[] = [];
    const freshEdges = ctx.telemetryPresence().freshEdges;
    for (let i = 0; i < freshEdges.length; i++) {
      const e = freshEdges[i];
      if (
        e.from === ctx.subject.ref &&
        e.to &&
        forbidden(ctx.catalog, e.to, p.forbid)
      )
        observedBad.push(e.to);
    }
    sortSmall(observedBad, compareText);
    if (observedBad.length > 0) {
      return outcome(
        'fail',
        'DEPRECATED_DEPENDENCY',
        `Observed callees ${observedBad.join(', ')} are ${
          p.forbidden
        }; expected ${expected}.`,
        expected,
        observedBad.join(', '),
        [...evidence, ...ctx.telemetryPresence().evidence],
      );
    }
    return outcome(
      'pass',
      'PASS',
      `None of ${declared.length} declared dependencies or the fresh observed callees is ${p.forbidden}.`,
      expected,
      'none',
      evidence,
    );
  },
});
