import { z } from 'zod';
import { lookUpRef } from '../../catalog/refLookup';
import { outcome } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import {
  compileEntityField,
  describeFieldPath,
  EntityFieldReader,
  entityFieldPathSchema,
} from '../entityFieldPath';

const target = z.strictObject({
  path: entityFieldPathSchema,
  kinds: z.array(z.string()).min(1),
});

const paramsSchema = target.extend({
  forbidKinds: z
    .array(z.strictObject({ kind: z.string(), reason: z.string() }))
    .default([]),
  /** Entity kinds that read another field, e.g. System → spec.domain. */
  byEntityKind: z.record(z.string(), target).default({}),
  missingReason: z.string().default('FIELD_MISSING'),
  notFoundReason: z.string().default('REF_NOT_FOUND'),
  wrongKindReason: z.string().default('REF_NOT_FOUND'),
});

type Params = z.output<typeof paramsSchema>;

/** One target (the default, or an entity kind's override) with its texts and reader built at load. */
interface CompiledTarget {
  kinds: string[];
  field: string;
  read: EntityFieldReader;
  defaultKind: string;
  kindList: string;
  expected: string;
}

type Compiled = Params & {
  target: CompiledTarget;
  targetsByEntityKind: Map<string, CompiledTarget>;
};

function compileTarget(path: string, kinds: string[]): CompiledTarget {
  const field = describeFieldPath(path);
  const kindList = kinds.join(' or ');
  return {
    kinds,
    field,
    read: compileEntityField(path),
    defaultKind: kinds[0].toLowerCase(),
    kindList,
    expected: `${field} names an existing ${kindList}`,
  };
}

/** The forbidden-kind entry for a kind, if any. */
function forbiddenKind(
  forbid: Params['forbidKinds'],
  kind: string,
): Params['forbidKinds'][number] | undefined {
  for (let i = 0; i < forbid.length; i++)
    if (forbid[i].kind === kind) return forbid[i];
  return undefined;
}

/** `entity-ref`: a spec field names an existing entity of an allowed kind (owner-resolves, system-assigned). */
export const entityRefCheckType = defineCheckType<Params, Compiled>({
  id: 'entity-ref',
  notesTimeLimits: true,
  description: 'A ref field resolves to an existing entity of an allowed kind.',
  paramsSchema,
  compile: p => {
    const targetsByEntityKind = new Map<string, CompiledTarget>();
    for (const [kind, override] of Object.entries(p.byEntityKind)) {
      targetsByEntityKind.set(
        kind,
        compileTarget(override.path, override.kinds),
      );
    }
    return {
      ...p,
      target: compileTarget(p.path, p.kinds),
      targetsByEntityKind,
    };
  },
  needs: () => [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx, p) {
    const refTarget = p.targetsByEntityKind.get(ctx.subject.kind) ?? p.target;
    const { kinds, field, expected, kindList } = refTarget;
    const own = ctx.ownCatalogEvidence();
    const lookup = lookUpRef(
      ctx.catalog,
      refTarget.read(ctx.entity),
      refTarget.defaultKind,
      ctx.subject.namespace,
    );
    const ref = lookup.ref;
    if (!ref) {
      return outcome(
        'fail',
        p.missingReason,
        `${field} is not set on ${ctx.subject.ref}; expected it to name an existing ${kindList}.`,
        expected,
        'not set',
        [own],
      );
    }
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) return stale;
    const evidence = [own, ctx.snapshotEvidence()];
    const found = lookup.entity;
    if (!found) {
      return outcome(
        'fail',
        p.notFoundReason,
        `${field} names ${ref}, which is not in the catalog; expected an existing ${kindList}.`,
        expected,
        `${ref} not found`,
        evidence,
      );
    }
    const forbidden = forbiddenKind(p.forbidKinds, found.kind);
    if (forbidden || !kinds.includes(found.kind)) {
      return outcome(
        'fail',
        forbidden?.reason ?? p.wrongKindReason,
        `${field} names ${ref}, a ${found.kind}; expected a ${kindList}.`,
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
