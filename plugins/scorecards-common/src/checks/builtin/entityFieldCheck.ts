import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import { lookUpRef } from '../../catalog/refLookup';
import { splitList } from '../../catalog/entitySubject';
import { outcome } from '../../evidence/outcomes';
import { RawOutcome } from '../../model/resultModel';
import { CheckContext, defineCheckType } from '../checkType';
import {
  A_NUMBER,
  A_STRING,
  A_STRING_OR_STRINGS,
  ParamRequirement,
  requireParam,
} from '../paramRules';
import {
  compileEntityField,
  describeFieldPath,
  EntityFieldReader,
  entityFieldPathSchema,
} from '../entityFieldPath';
import { groupChain, resolveOwner } from '../ownerGroup';
import { redactUrlCredentials } from '../../model/urlCredentials';

/**
 * A field's value as results quote it: a string whole, anything else rendered with `String` (a
 * list joined by commas) and redacted, since joining texts the engine looked at one by one can
 * form a URL none of them held (`credentialFreeInputs`).
 */
function shown(value: unknown): string {
  return typeof value === 'string'
    ? value
    : redactUrlCredentials(String(value));
}

/** What `value` must hold per op; `exists` and `nonEmpty` need none, `minItems` defaults to 1. */
const VALUE_BY_OP: Record<string, ParamRequirement | undefined> = {
  in: A_STRING_OR_STRINGS,
  matches: A_STRING,
  minItems: {
    accepts: v => v === undefined || A_NUMBER.accepts(v),
    description: A_NUMBER.description,
  },
};

const paramsSchema = z
  .strictObject({
    path: entityFieldPathSchema,
    op: z.enum(['exists', 'nonEmpty', 'in', 'matches', 'minItems']),
    value: z.union([z.array(z.string()), z.string(), z.number()]).optional(),
    /** Where to look when the entity does not carry the field, in order (§4 chat-channel, cost-center-set). */
    inherit: z.array(z.enum(['system', 'owner', 'owner-parents'])).default([]),
    parentDepth: z.number().int().min(0).default(5),
    missingReason: z.string().default('FIELD_MISSING'),
    invalidReason: z.string().default('FIELD_INVALID'),
    /**
     * For op `in`: the allowed values come from the configuration instead of `value`
     * (`lifecycles` = `scorecards.lifecycles`, for lifecycle-valid, §2.1 and SR26).
     */
    valueFrom: z.strictObject({ config: z.enum(['lifecycles']) }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.valueFrom === undefined) {
      requireParam(ctx, p, 'value', VALUE_BY_OP[p.op], `op ${p.op}`);
      return;
    }
    if (p.op !== 'in')
      ctx.addIssue({
        code: 'custom',
        path: ['valueFrom'],
        message: `is only allowed for op in (got op ${p.op})`,
      });
    if (p.value !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'must not be set together with valueFrom',
      });
  });

type Params = z.output<typeof paramsSchema>;

function listOf(value: unknown): string[] {
  return typeof value === 'string' ? splitList(value) : [];
}
type Compiled = Params & {
  test: (value: unknown) => boolean;
  expected: string;
  /** How the field reads in messages, and its reader, both fixed at load. */
  field: string;
  read: EntityFieldReader;
  /** The expectation after the field name, as the invalid and missing messages phrase it. */
  invalidTail: string;
  missingTail: string;
  /** `, its System, its owner Group…`: where an inherited field was also looked for. */
  inheritedPlaces: string;
  /** `<field> is "` and `; expected <invalidTail>.`: fixed parts of the messages. */
  fieldIs: string;
  expectedInvalid: string;
  /** `No <field> on ` and `<inheritedPlaces>; expected <missingTail>.`: the missing message. */
  noFieldOn: string;
  missingEnd: string;
  /**
   * With `valueFrom`: the parameters compiled for the configured values, kept for the last
   * configuration seen (a standard is loaded with one configuration, so this is built once).
   */
  configured: { values: readonly string[] | null; params: Compiled | null };
};

/** The compiled parameters to evaluate with: those of the configured values for `valueFrom`. */
function paramsFor(p: Compiled, ctx: CheckContext): Compiled {
  if (!p.valueFrom) return p;
  const values = ctx.config[p.valueFrom.config];
  const cache = p.configured;
  if (cache.values !== values || !cache.params) {
    cache.params = compileTest({
      ...p,
      value: [...values],
      valueFrom: undefined,
    });
    cache.values = values;
  }
  return cache.params;
}

/** The last `onEntity` text: the entity-field checks of one evaluation ask one after another. */
let lastRef: string | undefined;
let lastOnEntity = '';

/** `" on <ref>.`, the end of a message about the entity's own field. */
function onEntity(ref: string): string {
  if (ref !== lastRef) {
    lastRef = ref;
    lastOnEntity = `" on ${ref}.`;
  }
  return lastOnEntity;
}

function compileTest(p: Params): Compiled {
  const field = describeFieldPath(p.path);
  const test = testOf(p, field);
  // Every key spelled out, so all compiled params share one shape (optional ones undefined).
  return {
    path: p.path,
    op: p.op,
    value: p.value,
    inherit: p.inherit,
    parentDepth: p.parentDepth,
    missingReason: p.missingReason,
    invalidReason: p.invalidReason,
    valueFrom: p.valueFrom,
    configured: { values: null, params: null },
    test: test.test,
    expected: test.expected,
    field,
    read: compileEntityField(p.path),
    invalidTail: test.expected.replace(`${field} `, ''),
    missingTail: test.expected.replace(`${field} `, 'it '),
    inheritedPlaces: inheritedPlaces(p.inherit),
    fieldIs: `${field} is "`,
    noFieldOn: `No ${field} on `,
    missingEnd: `${inheritedPlaces(
      p.inherit,
    )}; expected ${test.expected.replace(`${field} `, 'it ')}.`,
    expectedInvalid: `; expected ${test.expected.replace(`${field} `, '')}.`,
  };
}

function inheritedPlaces(inherit: Params['inherit']): string {
  let places = '';
  if (inherit.includes('system')) places += ', its System';
  if (inherit.includes('owner')) places += ', its owner Group';
  if (inherit.includes('owner-parents'))
    places += ', the owner’s parent groups';
  return places;
}

function testOf(
  p: Params,
  field: string,
): { test: (value: unknown) => boolean; expected: string } {
  switch (p.op) {
    case 'exists':
      return {
        test: v => v !== undefined && v !== null,
        expected: `${field} is set`,
      };
    case 'nonEmpty':
      return {
        test: v =>
          Array.isArray(v)
            ? v.length > 0
            : typeof v === 'string' && v.trim().length > 0,
        expected: `${field} is set and not empty`,
      };
    case 'in': {
      // With valueFrom the values are known only at evaluation (`paramsFor` compiles them then).
      if (p.valueFrom)
        return { test: () => false, expected: `${field} is configured` };
      const allowed = Array.isArray(p.value) ? p.value : [String(p.value)];
      return {
        test: v => typeof v === 'string' && allowed.includes(v),
        expected: `${field} is one of ${allowed.join(', ')}`,
      };
    }
    case 'matches': {
      const re = new RegExp(String(p.value));
      return {
        test: v => typeof v === 'string' && re.test(v),
        expected: `${field} matches ${String(p.value)}`,
      };
    }
    default: {
      const min = Number(p.value ?? 1);
      return {
        test: v => {
          const items = Array.isArray(v) ? v : listOf(v);
          return items.length >= min;
        },
        expected: `${field} lists at least ${min} value${min === 1 ? '' : 's'}`,
      };
    }
  }
}

/** The normalized ref of a Group of the snapshot. */
function groupRef(group: Entity): string {
  return `group:${group.metadata.namespace ?? 'default'}/${
    group.metadata.name
  }`.toLowerCase();
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * The nearest holder of an inherited field that carries it (system, then the owner Group, then
 * its parents, in the order of `inherit`), or null; the snapshot's staleness outcome when it
 * cannot be read.
 */
function findInherited(
  ctx: CheckContext,
  p: Compiled,
): { ref: string; value: unknown } | RawOutcome | null {
  if (p.inherit.length === 0) return null;
  const stale = ctx.snapshotUnavailable(p.expected);
  if (stale) return stale;
  for (const source of p.inherit) {
    if (source === 'system') {
      const { ref, entity: system } = lookUpRef(
        ctx.catalog,
        (ctx.entity.spec as Record<string, unknown> | undefined)?.system,
        'system',
        ctx.subject.namespace,
      );
      if (ref && system) {
        const value = p.read(system);
        if (present(value)) return { ref, value };
      }
    } else {
      const owner = resolveOwner(ctx, p.expected);
      // Only a resolving owner Group is consulted; a User owner's groups never are (SR2).
      if (owner.status !== 'group') continue;
      const depth = source === 'owner' ? 0 : p.parentDepth;
      const chain = groupChain(ctx, owner.ref, depth);
      for (let i = source === 'owner' ? 0 : 1; i < chain.length; i++) {
        const group = chain[i];
        const value = p.read(group);
        if (present(value)) {
          // The chain starts with the owner Group itself, found in the snapshot by its ref.
          return { ref: i === 0 ? owner.ref : groupRef(group), value };
        }
      }
    }
  }
  return null;
}

/** `entity-field`: a catalog field exists / is non-empty / is in a set / matches, optionally inherited. */
export const entityFieldCheckType = defineCheckType<Params, Compiled>({
  id: 'entity-field',
  notesTimeLimits: true,
  description:
    'A catalog field (spec, metadata, label, annotation) meets a condition, optionally inherited from the System or owner Group chain.',
  paramsSchema,
  compile: compileTest,
  needs: () => [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx, compiled) {
    const p = paramsFor(compiled, ctx);
    const field = p.field;
    const own = ctx.ownCatalogEvidence();
    const value = p.read(ctx.entity);
    if (present(value)) {
      const text = shown(value);
      if (p.test(value)) {
        return outcome(
          'pass',
          'PASS',
          `${p.fieldIs}${text}${onEntity(ctx.subject.ref)}`,
          p.expected,
          text,
          [own],
        );
      }
      return outcome(
        'fail',
        p.invalidReason,
        `${p.fieldIs}${text}" on ${ctx.subject.ref}${p.expectedInvalid}`,
        p.expected,
        text,
        [own],
      );
    }
    const holder = findInherited(ctx, p);
    if (holder && 'state' in holder) return holder;
    if (holder) {
      const inherited = holder.value;
      const ok = p.test(inherited);
      return outcome(
        ok ? 'pass' : 'fail',
        ok ? 'PASS' : p.invalidReason,
        `${field} is "${shown(inherited)}", inherited from ${holder.ref}${
          ok ? '' : `; expected ${p.expected}`
        }.`,
        p.expected,
        `${shown(inherited)} (from ${holder.ref})`,
        [own, ctx.snapshotEvidence()],
      );
    }
    return outcome(
      'fail',
      p.missingReason,
      `${p.noFieldOn}${ctx.subject.ref}${p.missingEnd}`,
      p.expected,
      'not set',
      p.inherit.length > 0 ? [own, ctx.snapshotEvidence()] : [own],
    );
  },
});
