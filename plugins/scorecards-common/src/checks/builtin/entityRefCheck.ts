import { z } from 'zod';
import { normalizeEntityRef } from '../../catalog/entityRefs';
import { outcome } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import { describeFieldPath, readEntityField } from '../entityFieldPath';

const target = z.object({
  path: z.string(),
  kinds: z.array(z.string()).min(1),
});

/** `entity-ref`: a spec field names an existing entity of an allowed kind (owner-resolves, system-assigned). */
export const entityRefCheckType = defineCheckType({
  id: 'entity-ref',
  description: 'A ref field resolves to an existing entity of an allowed kind.',
  paramsSchema: target.extend({
    forbidKinds: z
      .array(z.object({ kind: z.string(), reason: z.string() }))
      .default([]),
    /** Entity kinds that read another field, e.g. System → spec.domain. */
    byEntityKind: z.record(z.string(), target).default({}),
    missingReason: z.string().default('FIELD_MISSING'),
    notFoundReason: z.string().default('REF_NOT_FOUND'),
    wrongKindReason: z.string().default('REF_NOT_FOUND'),
  }),
  needs: () => [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx, p) {
    const override = p.byEntityKind[ctx.subject.kind];
    const path = override?.path ?? p.path;
    const kinds = override?.kinds ?? p.kinds;
    const field = describeFieldPath(path);
    const expected = `${field} names an existing ${kinds.join(' or ')}`;
    const own = ctx.ownCatalogEvidence();
    const ref = normalizeEntityRef(
      readEntityField(ctx.entity, path),
      kinds[0].toLowerCase(),
      ctx.subject.namespace,
    );
    if (!ref) {
      return outcome(
        'fail',
        p.missingReason,
        `${field} is not set on ${
          ctx.subject.ref
        }; expected it to name an existing ${kinds.join(' or ')}.`,
        expected,
        'not set',
        [own],
      );
    }
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) return stale;
    const evidence = [own, ctx.snapshotEvidence()];
    const found = ctx.catalog.get(ref);
    if (!found) {
      return outcome(
        'fail',
        p.notFoundReason,
        `${field} names ${ref}, which is not in the catalog; expected an existing ${kinds.join(
          ' or ',
        )}.`,
        expected,
        `${ref} not found`,
        evidence,
      );
    }
    const forbidden = p.forbidKinds.find(f => f.kind === found.kind);
    if (forbidden || !kinds.includes(found.kind)) {
      return outcome(
        'fail',
        forbidden?.reason ?? p.wrongKindReason,
        `${field} names ${ref}, a ${found.kind}; expected a ${kinds.join(
          ' or ',
        )}.`,
        expected,
        `${ref} is a ${found.kind}`,
        evidence,
      );
    }
    return outcome(
      'pass',
      'PASS',
      `${field} names ${ref}, an existing ${found.kind}.`,
      expected,
      ref,
      evidence,
    );
  },
});
