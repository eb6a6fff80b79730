import { z } from 'zod';
import { DEFAULT_SCORECARDS_CONFIG } from '../../config/scorecardsConfig';
import {
  evidenceEntry,
  outcome,
  sourceAndAge,
  unknownFromReads,
} from '../../evidence/outcomes';
import { formatAge } from '../../evidence/formatAge';
import { readValueInstant } from '../../evidence/valueInstant';
import { MissingEvidence, RawOutcome } from '../../model/resultModel';
import { EvidenceRead } from '../../evidence/readEvidence';
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
import { redactUrlCredentials } from '../../model/urlCredentials';
import { stillHolds } from '../../engine/timeLimits';

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
  // Rendered text is redacted here: JSON joins texts the engine looked at one by one and
  // escapes characters that ended a URL (`credentialFreeInputs`).
  return redactUrlCredentials(JSON.stringify(value) ?? 'undefined');
}

/** Why a threshold the entity should give (`valueFrom`) cannot be read. */
interface ThresholdProblem {
  /** `missing`: no such annotation; `empty`: blank text; `invalid`: not a number. */
  problem: 'missing' | 'empty' | 'invalid';
  annotation: string;
  raw: unknown;
}

/**
 * The threshold of `gte`/`lte`: `value`, or the annotation `valueFrom` names times its factor.
 * The annotation is read strictly: `Number('')` is 0 and `Number(' ')` too, which would make a
 * blank budget a budget of zero.
 */
function threshold(ctx: CheckContext, p: Compiled): number | ThresholdProblem {
  if (!p.valueFrom) return Number(p.value);
  const annotation = p.valueFrom.annotation;
  const raw: unknown = ctx.entity.metadata.annotations?.[annotation];
  if (raw === undefined || raw === null)
    return { problem: 'missing', annotation, raw };
  if (typeof raw !== 'string') return { problem: 'invalid', annotation, raw };
  const text = raw.trim();
  if (text === '') return { problem: 'empty', annotation, raw };
  const n = Number(text);
  if (!Number.isFinite(n)) return { problem: 'invalid', annotation, raw };
  return n * p.valueFrom.factor;
}

/** `<what> ≥ <limit>` / `<what> ≤ <limit>`. */
function boundText(what: string, op: 'gte' | 'lte', limit: number): string {
  return `${what} ${op === 'gte' ? '≥' : '≤'} ${fixed4Text(limit)}`;
}

/** The expectation in words, with a threshold read from the entity when there is one. */
function expectedOf(p: Compiled, limit: number): string {
  return p.valueFrom && (p.op === 'gte' || p.op === 'lte')
    ? boundText(p.describe, p.op, limit)
    : p.expected;
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

/** The clock skew a value's instant may lie after `now` (the evidence rule, SR25). */
function maxSkewMs(ctx: CheckContext): number {
  return ctx.config.maxClockSkewSeconds * 1000;
}

/** Whether a value meets the condition, with the expectation and the found value in words. */
class Comparison {
  constructor(
    readonly ok: boolean,
    readonly expected: string,
    readonly found: string,
    /** Set when the value cannot decide (not a list, items without a date): why, for the hint. */
    readonly undecided: string | null = null,
  ) {}
}

/** A number read from a fact value; NaN for anything else (`Number` reads null, '' and false as 0). */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
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
      const n = numberOf(actual);
      const ok = !Number.isNaN(n) && (p.op === 'gte' ? n >= limit : n <= limit);
      return new Comparison(
        ok,
        p.valueFrom ? boundText(p.describe, p.op, limit) : p.expected,
        show(actual),
      );
    }
    case 'empty':
    case 'nonEmpty': {
      // null has no size to read (an absent field is handled before any comparison).
      if (actual === null)
        return new Comparison(false, p.expected, 'null', 'is null');
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
      // `null` is the source saying "never" (no restore test yet): a fail, as it always was.
      if (actual === null) return new Comparison(false, p.expected, 'none');
      const instant = readValueInstant(actual, ctx.nowMs, maxSkewMs(ctx));
      // A date that reads differently by server, or lies in the future, decides nothing.
      if (instant.problem !== null)
        return new Comparison(false, p.expected, show(actual), instant.problem);
      const at = instant.ms;
      const age = (ctx.nowMs - at) / 1000;
      const withinSeconds = Number(p.value);
      return new Comparison(
        stillHolds(age <= withinSeconds, ctx.nowMs, at + withinSeconds * 1000),
        p.expected,
        `${formatAge(age)} ago`,
      );
    }
    case 'noneOlderThan':
      return noneOlderThan(ctx, p, actual);
    default:
      return noneMatch(p, actual);
  }
}

/**
 * No item older than the limit. An item older than it fails whatever the others hold; an item
 * without a readable date could be older, so without such a fail it leaves the check undecided.
 */
function noneOlderThan(
  ctx: CheckContext,
  p: Compiled,
  actual: unknown,
): Comparison {
  if (!Array.isArray(actual))
    return new Comparison(false, p.expected, show(actual), 'is not a list');
  const items = actual;
  const limit = Number(p.value);
  let old = 0;
  let undated = 0;
  const skewMs = maxSkewMs(ctx);
  for (let i = 0; i < items.length; i++) {
    const at = readValueInstant(
      readSegments(items[i], p.itemDateSegments),
      ctx.nowMs,
      skewMs,
    ).ms;
    if (Number.isNaN(at)) undated++;
    else if (
      !stillHolds(
        !((ctx.nowMs - at) / 1000 > limit),
        ctx.nowMs,
        at + limit * 1000,
      )
    )
      old++;
  }
  const found = `${old} older than ${formatAge(limit)} (of ${items.length})`;
  if (old === 0 && undated > 0) {
    return new Comparison(
      false,
      p.expected,
      found,
      `has ${undated} of ${items.length} item(s) without a readable ${
        p.itemDatePath ?? 'date'
      }`,
    );
  }
  return new Comparison(old === 0, p.expected, found);
}

function matchesAny(patterns: readonly RegExp[], item: string): boolean {
  for (let i = 0; i < patterns.length; i++)
    if (patterns[i].test(item)) return true;
  return false;
}

function noneMatch(p: Compiled, actual: unknown): Comparison {
  if (!Array.isArray(actual))
    return new Comparison(false, p.expected, show(actual), 'is not a list');
  const items: unknown[] = actual;
  const hits: string[] = [];
  for (let i = 0; i < items.length; i++) {
    // As `map(String)` then `filter`: holes are skipped.
    if (!(i in items)) continue;
    const raw = items[i];
    const item = String(raw);
    // A list or object item is rendered (joined): redacted as `show` does.
    if (matchesAny(p.patterns, item))
      hits.push(typeof raw === 'string' ? item : redactUrlCredentials(item));
  }
  return new Comparison(
    hits.length === 0,
    p.expected,
    hits.length === 0 ? 'none' : hits.join(', '),
  );
}

/**
 * The fail outcome of a threshold the entity should give and does not: the annotation is the
 * entity's own (always fresh) record, so this is decided before any fact is read (§2.5).
 */
function thresholdFail(
  ctx: CheckContext,
  p: Compiled,
  t: ThresholdProblem,
): RawOutcome {
  const wanted = `expected a number to compare ${p.describe} with.`;
  const where = `${t.annotation} on ${ctx.subject.ref}`;
  switch (t.problem) {
    case 'missing':
      return outcome(
        'fail',
        'FIELD_MISSING',
        `No annotation ${where}; ${wanted}`,
        `annotation ${t.annotation} set`,
        'not set',
        [ctx.ownCatalogEvidence()],
      );
    case 'empty':
      return outcome(
        'fail',
        'FIELD_MISSING',
        `Annotation ${where} is empty; ${wanted}`,
        `annotation ${t.annotation} set`,
        'empty',
        [ctx.ownCatalogEvidence()],
      );
    default: {
      const text = typeof t.raw === 'string' ? t.raw : show(t.raw);
      return outcome(
        'fail',
        'FIELD_INVALID',
        `Annotation ${where} is "${text}"; ${wanted}`,
        `annotation ${t.annotation} is a number`,
        text,
        [ctx.ownCatalogEvidence()],
      );
    }
  }
}

/**
 * The unknown outcome of a fresh record that does not carry the field (or carries one that
 * cannot decide): the source did not collect it, so it is neither a pass nor a fail (§2.5:
 * stale or missing evidence is unknown, never pass) and platform-attributed (§2.9, rule 3).
 */
function fieldUnknown(
  read: EvidenceRead,
  p: Compiled,
  expected: string,
  why: string,
): RawOutcome {
  const field = p.path ? `field ${p.path}` : 'value';
  const hint = `${p.kind} from ${read.source} (${formatAge(
    read.ageSeconds ?? 0,
  )} ago) ${why === 'absent' ? `has no ${field}` : `${field} ${why}`}`;
  const missing: MissingEvidence = {
    source: read.source,
    kind: p.kind,
    cause: 'not-collected',
    hint,
  };
  if (read.ageSeconds !== null) missing.ageSeconds = read.ageSeconds;
  if (read.windowSeconds !== null) missing.freshForSeconds = read.windowSeconds;
  return outcome(
    'unknown',
    'EVIDENCE_MISSING',
    `Cannot decide: ${hint}; expected ${expected}.`,
    expected,
    why === 'absent' ? `no ${field}` : `${field} ${why}`,
    [
      evidenceEntry(
        read,
        why === 'absent' ? `${p.describeIs}—` : `${p.describe} ${why}`,
      ),
    ],
    [missing],
  );
}

/** `fact`: a value in a fresh evidence record meets a condition. */
export const factCheckType = defineCheckType<Params, Compiled>({
  id: 'fact',
  notesTimeLimits: true,
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
    // A threshold the entity gives is its own fresh record: read it before the fact, so a
    // missing budget fails even while the spend is stale (§2.5: a fresh fail is never unknown).
    let limit = Number.NaN;
    if (p.op === 'gte' || p.op === 'lte') {
      const bound = threshold(ctx, p);
      if (typeof bound === 'object') return thresholdFail(ctx, p, bound);
      limit = bound;
    }
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
    if (actual === undefined)
      return fieldUnknown(read, p, expectedOf(p, limit), 'absent');
    const result = compare(ctx, p, actual, limit);
    if (result.undecided !== null)
      return fieldUnknown(read, p, result.expected, result.undecided);
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
