import { z } from 'zod';
import { outcome } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';

/** `api-definitions`: every provided API resolves to an API entity with a non-empty definition. */
export const apiDefinitionsCheckType = defineCheckType({
  id: 'api-definitions',
  notesTimeLimits: true,
  description:
    'Every spec.providesApis ref resolves to an API entity with a non-empty spec.definition.',
  paramsSchema: z.strictObject({}),
  needs: () => [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx) {
    const expected =
      'every provided API registered with a non-empty spec.definition';
    const apis = ctx.subject.providesApis;
    if (apis.length === 0) {
      return outcome(
        'not-applicable',
        'CONTEXT_NOT_MATCHED',
        'Provides no API.',
        expected,
        'no APIs',
      );
    }
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) return stale;
    const evidence = [ctx.ownCatalogEvidence(), ctx.snapshotEvidence()];
    const unresolved = apis.filter(ref => ctx.catalog.get(ref)?.kind !== 'API');
    if (unresolved.length > 0) {
      return outcome(
        'fail',
        'REF_NOT_FOUND',
        `spec.providesApis names ${unresolved.join(
          ', ',
        )}, not registered as API entities; expected ${expected}.`,
        expected,
        `${unresolved.join(', ')} not found`,
        evidence,
      );
    }
    const empty = apis.filter(ref => {
      const definition = ctx.catalog.get(ref)?.spec?.definition;
      return typeof definition !== 'string' || definition.trim() === '';
    });
    if (empty.length > 0) {
      return outcome(
        'fail',
        'FIELD_MISSING',
        `${empty.join(', ')} has no spec.definition; expected ${expected}.`,
        expected,
        `${empty.join(', ')} without definition`,
        evidence,
      );
    }
    return outcome(
      'pass',
      'PASS',
      `${apis.join(', ')} registered with a definition.`,
      expected,
      apis.join(', '),
      evidence,
    );
  },
});
