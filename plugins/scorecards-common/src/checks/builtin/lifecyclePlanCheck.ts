import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { z } from 'zod';
import { internalize } from '../../model/internalize';
import { normalizeEntityRef } from '../../catalog/entityRefs';
import { outcome } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import { describeOwnerProblem, resolveOwner } from '../ownerGroup';
import { zonedDateProblem } from '../../model/isoDates';

const REPLACED_BY = internalize(`${OPS_ANNOTATION_PREFIX}replaced-by`);
const RETIRE_BY = internalize(`${OPS_ANNOTATION_PREFIX}retire-by`);

/** `lifecycle-plan`: a deprecated entity names its replacement, retirement date and a Group owner. */
export const lifecyclePlanCheckType = defineCheckType({
  id: 'lifecycle-plan',
  notesTimeLimits: true,
  description:
    'ops.example.com/replaced-by (a resolving ref or none) and ops.example.com/retire-by (ISO date) are set and the owner resolves to a Group.',
  paramsSchema: z.strictObject({}),
  needs: () => [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx) {
    const expected = `${REPLACED_BY} (ref or none), ${RETIRE_BY} (ISO date) and a Group owner`;
    // §2.5: what the entity itself declares is fresh evidence and settles a fail first; only
    // whether the replacement and the owner resolve needs the snapshot.
    const annotations = ctx.entity.metadata.annotations ?? {};
    const problems: string[] = [];
    const replacedBy = annotations[REPLACED_BY];
    let replacement: string | null = null;
    if (!replacedBy) problems.push(`${REPLACED_BY} is not set`);
    else if (replacedBy !== 'none') {
      replacement = normalizeEntityRef(
        replacedBy,
        ctx.subject.kind.toLowerCase(),
        ctx.subject.namespace,
      );
      if (!replacement)
        problems.push(`${REPLACED_BY} ${replacedBy} does not resolve`);
    }
    // Where a replacement that the snapshot lacks is named, to keep the problems in field order.
    const replacementAt = problems.length;
    const retireBy = annotations[RETIRE_BY];
    if (!retireBy) problems.push(`${RETIRE_BY} is not set`);
    else {
      const problem = zonedDateProblem(retireBy);
      if (problem !== null) problems.push(`${RETIRE_BY} ${problem}`);
    }
    if (!ctx.subject.ownerRef)
      problems.push(describeOwnerProblem({ status: 'missing' }));
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) {
      if (problems.length === 0) return stale;
      return outcome(
        'fail',
        'PLAN_INCOMPLETE',
        `Deprecation plan incomplete: ${problems.join(
          '; ',
        )}; expected ${expected}.`,
        expected,
        problems.join('; '),
        [ctx.ownCatalogEvidence()],
      );
    }
    if (replacement && !ctx.catalog.get(replacement))
      problems.splice(
        replacementAt,
        0,
        `${REPLACED_BY} ${replacedBy} does not resolve`,
      );
    if (ctx.subject.ownerRef) {
      const owner = resolveOwner(ctx, expected);
      if (owner.status === 'catalog-stale') return owner.outcome;
      if (owner.status !== 'group') problems.push(describeOwnerProblem(owner));
    }
    const evidence = [ctx.ownCatalogEvidence(), ctx.snapshotEvidence()];
    if (problems.length > 0) {
      return outcome(
        'fail',
        'PLAN_INCOMPLETE',
        `Deprecation plan incomplete: ${problems.join(
          '; ',
        )}; expected ${expected}.`,
        expected,
        problems.join('; '),
        evidence,
      );
    }
    return outcome(
      'pass',
      'PASS',
      `Replaced by ${replacedBy}, retiring by ${retireBy}, owned by ${ctx.subject.ownerRef}.`,
      expected,
      `${replacedBy}, ${retireBy}`,
      evidence,
    );
  },
});
