import { z } from 'zod';
import { effectiveLifecycle } from '../../catalog/entitySubject';
import { outcome } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import { requirePresence } from './dependencyDriftCheck';

/** `dependency-lifecycle`: no declared or freshly observed dependency has a forbidden lifecycle. */
export const dependencyLifecycleCheckType = defineCheckType({
  id: 'dependency-lifecycle',
  description:
    'No declared dependency, consumed API provider or fresh observed callee has a forbidden lifecycle (default deprecated); observed edges stale or missing → unknown unless a declared one already fails.',
  paramsSchema: z.object({
    forbid: z.array(z.string()).default(['deprecated']),
  }),
  needs: () => [
    { source: 'catalog', kind: 'catalog' },
    { source: 'prometheus', kind: 'observed.edges' },
  ],
  evaluate(ctx, p) {
    const expected = `no dependency with lifecycle ${p.forbid.join(' or ')}`;
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) return stale;
    const declared = new Set(ctx.subject.dependsOn);
    for (const api of ctx.subject.consumesApis) {
      for (const provider of ctx.catalog.providersOfApi(api))
        declared.add(provider);
    }
    const bad = (ref: string) => {
      const target = ctx.catalog.get(ref);
      return target ? p.forbid.includes(effectiveLifecycle(target)) : false;
    };
    const evidence = [ctx.ownCatalogEvidence(), ctx.snapshotEvidence()];
    const declaredBad = [...declared].filter(bad).sort();
    if (declaredBad.length > 0) {
      return outcome(
        'fail',
        'DEPRECATED_DEPENDENCY',
        `Declared dependencies ${declaredBad.join(', ')} are ${p.forbid.join(
          '/',
        )}; expected ${expected}.`,
        expected,
        declaredBad.join(', '),
        evidence,
      );
    }
    const noPresence = requirePresence(ctx, expected);
    if (noPresence) return noPresence;
    const observedBad = ctx
      .telemetryPresence()
      .freshEdges.filter(e => e.from === ctx.subject.ref && e.to && bad(e.to))
      .map(e => e.to as string)
      .sort();
    if (observedBad.length > 0) {
      return outcome(
        'fail',
        'DEPRECATED_DEPENDENCY',
        `Observed callees ${observedBad.join(', ')} are ${p.forbid.join(
          '/',
        )}; expected ${expected}.`,
        expected,
        observedBad.join(', '),
        [...evidence, ...ctx.telemetryPresence().evidence],
      );
    }
    return outcome(
      'pass',
      'PASS',
      `None of ${
        declared.size
      } declared dependencies or the fresh observed callees is ${p.forbid.join(
        '/',
      )}.`,
      expected,
      'none',
      evidence,
    );
  },
});
