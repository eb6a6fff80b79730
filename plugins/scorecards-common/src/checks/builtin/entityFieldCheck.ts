import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import { normalizeEntityRef } from '../../catalog/entityRefs';
import { splitList } from '../../catalog/entitySubject';
import { outcome } from '../../evidence/outcomes';
import { RawOutcome } from '../../model/resultModel';
import { CheckContext, defineCheckType } from '../checkType';
import { describeFieldPath, readEntityField } from '../entityFieldPath';
import { groupChain, resolveOwner } from '../ownerGroup';

const paramsSchema = z.object({
  path: z.string(),
  op: z.enum(['exists', 'nonEmpty', 'in', 'matches', 'minItems']),
  value: z.union([z.array(z.string()), z.string(), z.number()]).optional(),
  /** Where to look when the entity does not carry the field, in order (§4 chat-channel, cost-center-set). */
  inherit: z.array(z.enum(['system', 'owner', 'owner-parents'])).default([]),
  parentDepth: z.number().int().min(0).default(5),
  missingReason: z.string().default('FIELD_MISSING'),
  invalidReason: z.string().default('FIELD_INVALID'),
});

type Params = z.output<typeof paramsSchema>;

function listOf(value: unknown): string[] {
  return typeof value === 'string' ? splitList(value) : [];
}
type Compiled = Params & {
  test: (value: unknown) => boolean;
  expected: string;
};

function compileTest(p: Params): Compiled {
  const field = describeFieldPath(p.path);
  switch (p.op) {
    case 'exists':
      return {
        ...p,
        test: v => v !== undefined && v !== null,
        expected: `${field} is set`,
      };
    case 'nonEmpty':
      return {
        ...p,
        test: v =>
          Array.isArray(v)
            ? v.length > 0
            : typeof v === 'string' && v.trim().length > 0,
        expected: `${field} is set and not empty`,
      };
    case 'in': {
      const allowed = Array.isArray(p.value) ? p.value : [String(p.value)];
      return {
        ...p,
        test: v => typeof v === 'string' && allowed.includes(v),
        expected: `${field} is one of ${allowed.join(', ')}`,
      };
    }
    case 'matches': {
      const re = new RegExp(String(p.value));
      return {
        ...p,
        test: v => typeof v === 'string' && re.test(v),
        expected: `${field} matches ${String(p.value)}`,
      };
    }
    default: {
      const min = Number(p.value ?? 1);
      return {
        ...p,
        test: v => {
          const items = Array.isArray(v) ? v : listOf(v);
          return items.length >= min;
        },
        expected: `${field} lists at least ${min} value${min === 1 ? '' : 's'}`,
      };
    }
  }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** Candidate holders of an inherited field, nearest first; null when the snapshot is stale. */
function inheritedHolders(
  ctx: CheckContext,
  p: Compiled,
): { holders: { ref: string; entity: Entity }[]; stale: RawOutcome | null } {
  const holders: { ref: string; entity: Entity }[] = [];
  if (p.inherit.length === 0) return { holders, stale: null };
  const stale = ctx.snapshotUnavailable(p.expected);
  if (stale) return { holders, stale };
  for (const source of p.inherit) {
    if (source === 'system') {
      const ref = normalizeEntityRef(
        (ctx.entity.spec as Record<string, unknown> | undefined)?.system,
        'system',
        ctx.subject.namespace,
      );
      const system = ref ? ctx.catalog.get(ref) : undefined;
      if (ref && system) holders.push({ ref, entity: system });
    } else {
      const owner = resolveOwner(ctx, p.expected);
      // Only a resolving owner Group is consulted; a User owner's groups never are (SR2).
      if (owner.status !== 'group') continue;
      const depth = source === 'owner' ? 0 : p.parentDepth;
      const chain = groupChain(ctx, owner.ref, depth);
      for (const group of source === 'owner' ? chain : chain.slice(1)) {
        holders.push({
          ref: `group:${group.metadata.namespace ?? 'default'}/${
            group.metadata.name
          }`.toLowerCase(),
          entity: group,
        });
      }
    }
  }
  return { holders, stale: null };
}

/** `entity-field`: a catalog field exists / is non-empty / is in a set / matches, optionally inherited. */
export const entityFieldCheckType = defineCheckType<Params, Compiled>({
  id: 'entity-field',
  description:
    'A catalog field (spec, metadata, label, annotation) meets a condition, optionally inherited from the System or owner Group chain.',
  paramsSchema,
  compile: compileTest,
  needs: () => [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx, p) {
    const field = describeFieldPath(p.path);
    const own = ctx.ownCatalogEvidence();
    const value = readEntityField(ctx.entity, p.path);
    if (present(value)) {
      if (p.test(value)) {
        return outcome(
          'pass',
          'PASS',
          `${field} is "${String(value)}" on ${ctx.subject.ref}.`,
          p.expected,
          String(value),
          [own],
        );
      }
      return outcome(
        'fail',
        p.invalidReason,
        `${field} is "${String(value)}" on ${
          ctx.subject.ref
        }; expected ${p.expected.replace(`${field} `, '')}.`,
        p.expected,
        String(value),
        [own],
      );
    }
    const { holders, stale } = inheritedHolders(ctx, p);
    if (stale) return stale;
    for (const holder of holders) {
      const inherited = readEntityField(holder.entity, p.path);
      if (!present(inherited)) continue;
      const ok = p.test(inherited);
      return outcome(
        ok ? 'pass' : 'fail',
        ok ? 'PASS' : p.invalidReason,
        `${field} is "${String(inherited)}", inherited from ${holder.ref}${
          ok ? '' : `; expected ${p.expected}`
        }.`,
        p.expected,
        `${String(inherited)} (from ${holder.ref})`,
        [own, ctx.snapshotEvidence()],
      );
    }
    const places = [ctx.subject.ref];
    if (p.inherit.includes('system')) places.push('its System');
    if (p.inherit.includes('owner')) places.push('its owner Group');
    if (p.inherit.includes('owner-parents'))
      places.push('the owner’s parent groups');
    return outcome(
      'fail',
      p.missingReason,
      `No ${field} on ${places.join(', ')}; expected ${p.expected.replace(
        `${field} `,
        'it ',
      )}.`,
      p.expected,
      'not set',
      p.inherit.length > 0 ? [own, ctx.snapshotEvidence()] : [own],
    );
  },
});
