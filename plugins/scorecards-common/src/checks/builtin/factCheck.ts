import { z } from 'zod';
import { DEFAULT_SCORECARDS_CONFIG } from '../../config/scorecardsConfig';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { formatAge, parseInstant } from '../../evidence/formatAge';
import { RawOutcome } from '../../model/resultModel';
import { CheckContext, defineCheckType } from '../checkType';
import { compileGlob } from '../globPattern';
import { internalize } from '../../model/internalize';

const paramsSchema = z.object({
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
    .object({ annotation: z.string(), factor: z.number().default(1) })
    .optional(),
  /** For `noneOlderThan`: the date field of each array item. */
  itemDatePath: z.string().optional(),
  /** Minimum sample before deciding; below it the result is unknown INSUFFICIENT_SAMPLE. */
  minSample: z.object({ path: z.string(), value: z.number() }).optional(),
  maxAgeSeconds: z.number().int().min(1).optional(),
  failReason: z.string().default('THRESHOLD_NOT_MET'),
  /** How the value reads in messages, e.g. "default-branch pass rate". */
  label: z.string().optional(),
});

type Params = z.output<typeof paramsSchema>;
type Compiled = Params & {
  patterns: RegExp[];
  describe: string;
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
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
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
  return `${what} ${op === 'gte' ? '≥' : '≤'} ${+limit.toFixed(4)}`;
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

function compare(
  ctx: CheckContext,
  p: Compiled,
  actual: unknown,
): { ok: boolean; expected: string; found: string } | RawOutcome {
  const what = p.describe;
  switch (p.op) {
    case 'eq':
      return {
        ok: actual === p.value,
        expected: p.expected,
        found: show(actual),
      };
    case 'gte':
    case 'lte': {
      const limit = threshold(ctx, p);
      if (typeof limit === 'object') {
        const expected = `annotation ${limit.missing} set`;
        return outcome(
          'fail',
          'FIELD_MISSING',
          `No annotation ${limit.missing} on ${ctx.subject.ref}; expected a number to compare ${what} with.`,
          expected,
          'not set',
          [ctx.ownCatalogEvidence()],
        );
      }
      const n = Number(actual);
      const ok = !Number.isNaN(n) && (p.op === 'gte' ? n >= limit : n <= limit);
      return {
        ok,
        expected: p.valueFrom ? boundText(what, p.op, limit) : p.expected,
        found: show(actual),
      };
    }
    case 'empty':
    case 'nonEmpty': {
      const size = sizeOf(actual);
      return {
        ok: p.op === 'empty' ? size === 0 : size > 0,
        expected: p.expected,
        found: `${size} item(s)`,
      };
    }
    case 'matches':
      return {
        ok: typeof actual === 'string' && p.patterns[0].test(actual),
        expected: p.expected,
        found: show(actual),
      };
    case 'within': {
      const at = parseInstant(actual);
      const limit = Number(p.value);
      const age = (ctx.nowMs - at) / 1000;
      return {
        ok: !Number.isNaN(at) && age <= limit,
        expected: p.expected,
        found: Number.isNaN(at) ? 'none' : `${formatAge(age)} ago`,
      };
    }
    case 'noneOlderThan': {
      const items = Array.isArray(actual) ? actual : [];
      const limit = Number(p.value);
      const old = items.filter(item => {
        const at = parseInstant(readSegments(item, p.itemDateSegments));
        return !Number.isNaN(at) && (ctx.nowMs - at) / 1000 > limit;
      });
      return {
        ok: old.length === 0,
        expected: p.expected,
        found: `${old.length} older than ${formatAge(limit)} (of ${
          items.length
        })`,
      };
    }
    default: {
      const items = (Array.isArray(actual) ? actual : []).map(String);
      const hits = items.filter(item => p.patterns.some(re => re.test(item)));
      return {
        ok: hits.length === 0,
        expected: p.expected,
        found: hits.length === 0 ? 'none' : hits.join(', '),
      };
    }
  }
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
    const result = compare(ctx, p, actual);
    if ('state' in result) return result;
    const evidence = [evidenceEntry(read, `${p.describe} = ${result.found}`)];
    const age = formatAge(read.ageSeconds ?? 0);
    return result.ok
      ? outcome(
          'pass',
          'PASS',
          `${p.describe}: ${result.found} (${read.source}, ${age} ago).`,
          result.expected,
          result.found,
          evidence,
        )
      : outcome(
          'fail',
          p.failReason,
          `${p.describe}: ${result.found} (${read.source}, ${age} ago); expected ${result.expected}.`,
          result.expected,
          result.found,
          evidence,
        );
  },
});
