import { z } from 'zod';
import { DEFAULT_SCORECARDS_CONFIG } from '../../config/scorecardsConfig';
import {
  evidenceEntry,
  outcome,
  sourceAndAge,
  unknownFromReads,
} from '../../evidence/outcomes';
import { formatAge, parseInstant } from '../../evidence/formatAge';
import { RawOutcome } from '../../model/resultModel';
import { CheckContext, defineCheckType } from '../checkType';
import {
  A_NUMBER,
  A_STRING,
  A_STRING_OR_STRINGS,
  ANY_VALUE,
  ParamRequirement,
  requireParam,
} from '../paramRules';
import { compileGlob } from '../globPattern';
import { internalize } from '../../model/internalize';
import { fixed4Text, numberText } from '../../model/numberText';

/** What `value` must hold per op; `empty` and `nonEmpty` need none. */
const VALUE_BY_OP: Record<string, ParamRequirement | undefined> = {
  eq: ANY_VALUE,
  gte: A_NUMBER,
  lte: A_NUMBER,
  matches: A_STRING,
  within: A_NUMBER,
  noneOlderThan: A_NUMBER,
  noneMatch: A_STRING_OR_STRINGS,
};

const paramsSchema = z
  .strictObject({
    kind: z.string().min(1),
    /** Dotted path into the fact value; absent = the whole value. */
    path: z.string().optional(),
    op: z.enum([
      'eq',
      'gte',
      'lte',
      'empty',
      'nonEmpty',
      'matches',
      'within',
      'noneOlderThan',
      'noneMatch',
    ]),
    value: z
      .union([z.string(), z.number(), z.boolean(), z.array(z.string())])
      .optional(),
    /** Compare with an annotation times a factor instead of `value` (budget-signal). */
    valueFrom: z
      .strictObject({ annotation: z.string(), factor: z.number().default(1) })
      .optional(),
    /** For `noneOlderThan`: the date field of each array item. */
    itemDatePath: z.string().optional(),
    /** Minimum sample before deciding; below it the result is unknown INSUFFICIENT_SAMPLE. */
    minSample: z
      .strictObject({ path: z.string(), value: z.number() })
      .optional(),
    maxAgeSeconds: z.number().int().min(1).optional(),
    failReason: z.string().default('THRESHOLD_NOT_MET'),
    /** How the value reads in messages, e.g. "default-branch pass rate". */
    label: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    // gte / lte may take the threshold from an annotation instead (budget-signal).
    const fromEntity =
      (p.op === 'gte' || p.op === 'lte') &&
      p.valueFrom !== undefined &&
      p.value === undefined;
    if (!fromEntity)
      requireParam(ctx, p, 'value', VALUE_BY_OP[p.op], `op ${p.op}`);
  });

type Params = z.output<typeof paramsSchema>;
type Compiled = Params & {
  patterns: RegExp[];
  describe: string;
  /** `<describe>: ` and `<describe> = `, the starts of the message and of the evidence summary. */
  describeColon: string;
  describeIs: string;
  /** The expectation in words when it does not depend on the entity (all but `valueFrom`). */
  expected: string;
  /** `fresh <kind>`: the expectation of an unknown result. */
  freshKind: string;
  pathSegments: string[] | null;
  /** The options of the evidence read, built once. */
  readOptions: { maxAgeSeconds?: number };
  itemDateSegments: string[] | null;
  sampleSegments: string[] | null;
};

/** Reads a dotted path from a JSON-like value. */
export function readPath(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  return readSegments(value, path.split('.'));
}

/** A dotted path split once at load; null for "the whole value". */
function pathSegments(path: string | undefined): string[] | null {
  return path ? path.split('.').map(internalize) : null;
}

function readSegments(value: unknown, segments: readonly string[] | null) {
  if (!segments) return value;
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return value ? 1 : 0;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'undefined';
}

function threshold(
  ctx: CheckContext,
  p: Compiled,
): number | { missing: string } {
  if (!p.valueFrom) return Number(p.value);
  const raw = ctx.entity.metadata.annotations?.[p.valueFrom.annotation];
  const n = raw === undefined ? Number.NaN : Number(raw);
  if (Number.isNaN(n)) return { missing: p.valueFrom.annotation };
  return n * p.valueFrom.factor;
}

/** `<what> ≥ <limit>` / `<what> ≤ <limit>`. */
function boundText(what: string, op: 'gte' | 'lte', limit: number): string {
  return `${what} ${op === 'gte' ? '≥' : '≤'} ${fixed4Text(limit)}`;
}

/** The expectation in words for parameters whose threshold does not come from the entity. */
function expectedText(p: Params, what: string): string {
  switch (p.op) {
    case 'eq':
      return `${what} = ${show(p.value)}`;
    case 'gte':
    case 'lte':
      return p.valueFrom ? '' : boundText(what, p.op, Number(p.value));
    case 'empty':
    case 'nonEmpty':
      return `${what} ${p.op === 'empty' ? 'empty' : 'not empty'}`;
    case 'matches':
      return `${what} matches ${show(p.value)}`;
    case 'within':
      return `${what} within ${formatAge(Number(p.value))}`;
    case 'noneOlderThan':
      return `no ${what} older than ${formatAge(Number(p.value))}`;
    default:
      return `no ${what} matching ${show(p.value)}`;
  }
}

/** Whether a value meets the condition, with the expectation and the found value in words. */
class Comparison {
  constructor(
    readonly ok: boolean,
    readonly expected: string,
    readonly found: string,
  ) {}
}

/**
 * Compares the fact's value with the condition; `limit` is the threshold of `gte`/`lte`, read
 * beforehand (it may come from the entity).
 */
function compare(
  ctx: CheckContext,
  p: Compiled,
  actual: unknown,
  limit: number,
): Comparison {
  switch (p.op) {
    case 'eq':
      return new Comparison(actual === p.value, p.expected, show(actual));
    case 'gte':
    case 'lte': {
      const n = Number(actual);
      const ok = !Number.isNaN(n) && (p.op === 'gte' ? n >= limit : n <= limit);
      return new Comparison(
        ok,
        p.valueFrom ? boundText(p.describe, p.op, limit) : p.expected,
        show(actual),
      );
    }
    case 'empty':
    case 'nonEmpty': {
      const size = sizeOf(actual);
      return new Comparison(
        p.op === 'empty' ? size === 0 : size > 0,
        p.expected,
        `${size} item(s)`,
      );
    }
    case 'matches':
      return new Comparison(
        typeof actual === 'string' && p.patterns[0].test(actual),
        p.expected,
        show(actual),
      );
    case 'within': {
      const at = parseInstant(actual);
      const age = (ctx.nowMs - at) / 1000;
      return new Comparison(
        !Number.isNaN(at) && age <= Number(p.value),
        p.expected,
        Number.isNaN(at) ? 'none' : `${formatAge(age)} ago`,
      );
    }
    case 'noneOlderThan':
      return noneOlderThan(ctx, p, actual);
    default:
      return noneMatch(p, actual);
  }
}

function noneOlderThan(
  ctx: CheckContext,
  p: Compiled,
  actual: unknown,
): Comparison {
  const items = Array.isArray(actual) ? actual : [];
  const limit = Number(p.value);
  let old = 0;
  for (let i = 0; i < items.length; i++) {
    const at = parseInstant(readSegments(items[i], p.itemDateSegments));
    if (!Number.isNaN(at) && (ctx.nowMs - at) / 1000 > limit) old++;
  }
  return new Comparison(
    old === 0,
    p.expected,
    `${old} older than ${formatAge(limit)} (of ${items.length})`,
  );
}

function matchesAny(patterns: readonly RegExp[], item: string): boolean {
  for (let i = 0; i < patterns.length; i++)
    if (patterns[i].test(item)) return true;
  return false;
}

function noneMatch(p: Compiled, actual: unknown): Comparison {
  const items: unknown[] = Array.isArray(actual) ? actual : [];
  const hits: string[] = [];
  for (let i = 0; i < items.length; i++) {
    // As `map(String)` then `filter`: holes are skipped.
    if (!(i in items)) continue;
    const item = String(items[i]);
    if (matchesAny(p.patterns, item)) hits.push(item);
  }
  return new Comparison(
    hits.length === 0,
    p.expected,
    hits.length === 0 ? 'none' : hits.join(', '),
  );
}

/** The fail outcome of a threshold taken from an annotation the entity does not carry. */
function thresholdMissing(
  ctx: CheckContext,
  p: Compiled,
  annotation: string,
): RawOutcome {
  return outcome(
    'fail',
    'FIELD_MISSING',
    `No annotation ${annotation} on ${ctx.subject.ref}; expected a number to compare ${p.describe} with.`,
    `annotation ${annotation} set`,
    'not set',
    [ctx.ownCatalogEvidence()],
  );
}

/** `fact`: a value in a fresh evidence record meets a condition. */
export const factCheckType = defineCheckType<Params, Compiled>({
  id: 'fact',
  description:
    'A field of the newest fresh fact of a kind meets a condition (eq, gte, lte, empty, nonEmpty, matches, within, noneOlderThan, noneMatch).',
  paramsSchema,
  compile: p => {
    let patterns: RegExp[] = [];
    if (p.op === 'matches') patterns = [new RegExp(String(p.value))];
    if (p.op === 'noneMatch') {
      const list = Array.isArray(p.value) ? p.value : [String(p.value)];
      patterns = list.map(compileGlob);
    }
    const describe = p.label ?? `${p.kind}${p.path ? ` ${p.path}` : ''}`;
    // Every key spelled out, so all compiled params share one shape (optional ones undefined).
    return {
      kind: p.kind,
      path: p.path,
      op: p.op,
      value: p.value,
      valueFrom: p.valueFrom,
      itemDatePath: p.itemDatePath,
      minSample: p.minSample,
      maxAgeSeconds: p.maxAgeSeconds,
      failReason: p.failReason,
      label: p.label,
      patterns,
      describe,
      describeColon: `${describe}: `,
      describeIs: `${describe} = `,
      expected: expectedText(p, describe),
      freshKind: `fresh ${p.kind}`,
      pathSegments: pathSegments(p.path),
      readOptions: { maxAgeSeconds: p.maxAgeSeconds },
      itemDateSegments: pathSegments(p.itemDatePath),
      sampleSegments: pathSegments(p.minSample?.path),
    };
  },
  needs: p => [
    {
      source: DEFAULT_SCORECARDS_CONFIG.evidenceSources[p.kind] ?? 'push',
      kind: p.kind,
    },
  ],
  evaluate(ctx, p) {
    const read = ctx.evidence(p.kind, p.readOptions);
    if (read.state !== 'fresh') return unknownFromReads([read], p.freshKind);
    const actual = readSegments(read.value, p.pathSegments);
    if (p.minSample) {
      const sample = Number(readSegments(read.value, p.sampleSegments));
      if (!(sample >= p.minSample.value)) {
        return outcome(
          'unknown',
          'INSUFFICIENT_SAMPLE',
          `${p.kind} ${p.minSample.path} is ${
            Number.isNaN(sample) ? 'absent' : sample
          }; at least ${p.minSample.value} are needed to decide.`,
          `${p.minSample.path} ≥ ${p.minSample.value}`,
          String(sample),
          [evidenceEntry(read, `${p.minSample.path} = ${sample}`)],
        );
      }
    }
    let limit = Number.NaN;
    if (p.op === 'gte' || p.op === 'lte') {
      const bound = threshold(ctx, p);
      if (typeof bound === 'object')
        return thresholdMissing(ctx, p, bound.missing);
      limit = bound;
    }
    const result = compare(ctx, p, actual, limit);
    const evidence = [evidenceEntry(read, `${p.describeIs}${result.found}`)];
    const where = sourceAndAge(read);
    return result.ok
      ? outcome(
          'pass',
          'PASS',
          `${p.describeColon}${result.found}${where}.`,
          result.expected,
          result.found,
          evidence,
        )
      : outcome(
          'fail',
          p.failReason,
          `${p.describeColon}${result.found}${where}; expected ${result.expected}.`,
          result.expected,
          result.found,
          evidence,
        );
  },
});
