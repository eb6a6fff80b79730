import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  CompactEvaluationError,
  expandEvaluation,
} from '@internal/plugin-scorecards-common';
import type {
  CompactEvaluation,
  CompiledStandard,
  EntityEvaluation,
} from '@internal/plugin-scorecards-common';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { historyOf } from '../evaluation/recordEvaluation';
import type { ScorecardsEvaluator } from '../evaluation/ScorecardsEvaluator';
import {
  FULL_REF,
  MAX_REF_LENGTH,
  isIsoInstant,
  jsonObjectBody,
} from '@internal/suite-node';

/** Most results one `POST /internal/results` may carry (§7.4). */
export const MAX_RESULTS_PER_REQUEST = 500;
/** Largest body: 500 results of up to ~64 KB of JSON each (a 45-check result set is ~34 KB). */
const MAX_BODY = '32mb';
/** Largest evaluation stored, by an estimate of its JSON (a 45-check result set is ~34 KB). */
export const MAX_EVALUATION_BYTES = 256 * 1024;
/** The only caller: the catalog plugin, where the scorecards catalog module runs. */
const CATALOG_SUBJECT = 'plugin:catalog';
/** Evaluations dated later than this ahead of the backend's clock are refused (clock skew). */
const MAX_FUTURE_MS = 5 * 60_000;

/** 413 through the plugin's error handler (status and `expose` as body-parser sets them). */
class PayloadTooLargeError extends Error {
  readonly status = 413;
  readonly expose = true;
  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

/** How a message shows a value it refuses: a short string in quotes, else its type. */
function got(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input !== 'string') return typeof input;
  return JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
}

// Messages follow the field path the error handler puts in front of them:
// `results[3].entityRef "component:x" is not a full ref (kind:namespace/name)`.
const text = () =>
  z.string({
    error: iss =>
      iss.input === undefined
        ? 'is required'
        : `must be a string (got ${got(iss.input)})`,
  });
const int = () =>
  z
    .number({
      error: iss =>
        iss.input === undefined
          ? 'is required'
          : `must be a number (got ${got(iss.input)})`,
    })
    .int('must be an integer');
const bool = () =>
  z.boolean({
    error: iss =>
      iss.input === undefined
        ? 'is required'
        : `must be true or false (got ${got(iss.input)})`,
  });
const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, {
    error: iss =>
      iss.input === undefined
        ? 'is required'
        : `must be one of ${values.join(', ')} (got ${got(iss.input)})`,
  });
const list = <T extends z.ZodType>(of: T) =>
  z.array(of, {
    error: iss =>
      iss.input === undefined
        ? 'is required'
        : `must be an array (got ${got(iss.input)})`,
  });
const objectError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'is required'
    : `must be an object (got ${got(iss.input)})`;
/**
 * An object checked for `shape` only. Used to validate, never for its output: other keys are
 * accepted and left out of the parsed copy (zod's `looseObject` copies every key of every
 * result, more than twice the cost), and the posted object itself is what is stored.
 */
const object = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.object(shape, { error: objectError });
/** An object checked for `shape` whose parsed copy keeps the other keys (shallow). */
const passThrough = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.looseObject(shape, { error: objectError });
const fullRef = () =>
  text()
    // The entity_ref columns hold 320 characters: PostgreSQL refused a longer one (a 500).
    .max(MAX_REF_LENGTH, `must be at most ${MAX_REF_LENGTH} characters`)
    .refine(v => FULL_REF.test(v), {
      error: iss => `${got(iss.input)} is not a full ref (kind:namespace/name)`,
    })
    .transform(v => v.toLowerCase());
const isoTime = () =>
  text()
    // With a zone, naming a day that exists (Date.parse alone rolls 2026-02-30 over to 2 March).
    .refine(isIsoInstant, {
      error: iss => `must be an ISO-8601 UTC timestamp (got ${got(iss.input)})`,
    })
    .transform(v => new Date(v).toISOString());

const STATES = ['pass', 'fail', 'unknown', 'not-applicable', 'waived'] as const;
const RAW_STATES = ['pass', 'fail', 'unknown', 'not-applicable'] as const;
const ATTRIBUTIONS = ['service', 'platform'] as const;
const LEVELS = ['L0', 'L1', 'L2', 'L3', 'none', 'not-rated'] as const;

/**
 * What the backend reads of an evaluation it stores: the fields of the history snapshot (state,
 * reason, phase, version, gating, attribution, waiver, evidence times, unknown cause), `since`,
 * and the level, score and lists rollups, checks and campaigns walk. Validation only: the rest
 * of the engine's answer is opaque JSON, bounded by {@link MAX_EVALUATION_BYTES}, and the posted
 * evaluation is stored as it came (not a reduced copy).
 */
const checkResult = object({
  checkId: text().min(1, 'must not be empty'),
  checkVersion: int(),
  phase: text(),
  gating: bool(),
  state: oneOf(STATES),
  rawState: oneOf(RAW_STATES),
  reason: text(),
  attribution: oneOf(ATTRIBUTIONS).nullable(),
  evidence: list(object({ kind: text(), observedAt: text() })),
  missing: list(object({ cause: text() })),
  waiver: object({ id: text(), unused: bool() }).optional(),
  since: text(),
});
export const storedEvaluation = object({
  entityRef: text(),
  scored: z.literal(true, {
    error: 'must be true (only scored evaluations are recorded)',
  }),
  standard: object({ id: text(), version: int() }),
  level: oneOf(LEVELS),
  score: object({
    passed: int(),
    counted: int(),
    waived: int(),
    unknown: int(),
    failed: int(),
  }),
  blockers: list(object({})),
  results: list(checkResult),
});
// The schema's fast path, for the common case of a well-formed result set: true only for values
// `storedEvaluation` accepts (a test holds it to that), so zod runs, for its field-named
// message, only when this says no (zod: ~150 µs for a 45-check set, this: ~20 µs).
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown) => Number.isSafeInteger(v);
const isIn = (values: readonly string[], v: unknown) =>
  typeof v === 'string' && values.includes(v);
/** `Array.every` without skipping holes. */
function everyOf(items: unknown[], test: (v: unknown) => boolean): boolean {
  for (let i = 0; i < items.length; i++) if (!test(items[i])) return false;
  return true;
}
function isCheckResult(r: unknown): boolean {
  if (!isObject(r)) return false;
  const { evidence, missing, waiver } = r;
  if (
    !(typeof r.checkId === 'string' && r.checkId.length > 0) ||
    !isInt(r.checkVersion) ||
    typeof r.phase !== 'string' ||
    typeof r.gating !== 'boolean' ||
    !isIn(STATES, r.state) ||
    !isIn(RAW_STATES, r.rawState) ||
    typeof r.reason !== 'string' ||
    !(r.attribution === null || isIn(ATTRIBUTIONS, r.attribution)) ||
    typeof r.since !== 'string' ||
    !Array.isArray(evidence) ||
    !Array.isArray(missing)
  ) {
    return false;
  }
  if (
    waiver !== undefined &&
    !(
      isObject(waiver) &&
      typeof waiver.id === 'string' &&
      typeof waiver.unused === 'boolean'
    )
  ) {
    return false;
  }
  for (const e of evidence as unknown[]) {
    if (
      !isObject(e) ||
      typeof e.kind !== 'string' ||
      typeof e.observedAt !== 'string'
    ) {
      return false;
    }
  }
  for (const m of missing as unknown[]) {
    if (!isObject(m) || typeof m.cause !== 'string') return false;
  }
  return true;
}
/** Whether `storedEvaluation` surely accepts `e` (false: ask zod). */
export function isWellFormedEvaluation(e: unknown): boolean {
  if (!isObject(e)) return false;
  const { standard, score, blockers, results } = e;
  return (
    typeof e.entityRef === 'string' &&
    e.scored === true &&
    isObject(standard) &&
    typeof standard.id === 'string' &&
    isInt(standard.version) &&
    isIn(LEVELS, e.level) &&
    isObject(score) &&
    isInt(score.passed) &&
    isInt(score.counted) &&
    isInt(score.waived) &&
    isInt(score.unknown) &&
    isInt(score.failed) &&
    Array.isArray(blockers) &&
    Array.isArray(results) &&
    everyOf(blockers, isObject) &&
    everyOf(results, isCheckResult)
  );
}

const resultItem = z.object(
  {
    entityRef: fullRef(),
    evaluatedAt: isoTime(),
    entityHash: text().regex(
      /^[0-9a-f]{16}$/,
      'must be 16 lowercase hex digits (hashEntity of the entity)',
    ),
    // The envelope only: the whole evaluation is validated when it is going to be stored.
    evaluation: passThrough({
      entityRef: text(),
      standard: object({ id: text(), version: int() }),
    }),
  },
  {
    error: iss =>
      iss.input === undefined
        ? 'is required'
        : `must be an object (got ${got(iss.input)})`,
  },
);
const resultsBody = z.object(
  { results: list(resultItem) },
  {
    error: iss =>
      `body must be a JSON object { "results": [...] } (got ${got(iss.input)})`,
  },
);

/** `results[3].evaluation.results[0].state` */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** The history of a not yet fully validated evaluation; undefined when it cannot be computed. */
function historyOrUndefined(
  evaluation: EntityEvaluation,
  entityHash: string,
): ReturnType<typeof historyOf> | undefined {
  try {
    return historyOf(evaluation, entityHash);
  } catch {
    return undefined; // malformed: the full validation names the field
  }
}

/**
 * The size of `value` as JSON, estimated without serializing it (strings by their length,
 * numbers as 8 characters, escapes not counted: within a few % of `JSON.stringify` for result
 * sets), or the first estimate above `limit`. Iterative, so any nesting depth is safe.
 */
export function estimateJsonSize(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= limit) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length + 3;
    else if (v === null || typeof v !== 'object') size += 8;
    else if (Array.isArray(v)) {
      size += 2 + v.length;
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else {
      size += 2;
      for (const key in v) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        size += key.length + 4;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return size;
}

/**
 * The first result of a validated set whose check `standard` lacks or which repeats a check,
 * as a message after the set's path; undefined when every check is the standard's, once. A set
 * naming the same standard id and version but other checks comes from a catalog module loaded
 * with a different file under the same version: stored, its results would show on entity pages
 * and in rollups as checks this backend cannot explain or evaluate.
 */
function checkOutsideStandard(
  results: readonly { checkId: string }[],
  standard: Pick<CompiledStandard, 'id' | 'version' | 'byId'>,
): string | undefined {
  const seen = new Set<string>();
  for (let j = 0; j < results.length; j++) {
    const { checkId } = results[j];
    if (!standard.byId.has(checkId)) {
      return `.results[${j}].checkId ${got(checkId)} is not a check of ${
        standard.id
      }@${
        standard.version
      }; the catalog module and the scorecards backend must load the same standard`;
    }
    if (seen.has(checkId)) {
      return `.results[${j}].checkId ${got(
        checkId,
      )} appears twice; a result set holds one result per check`;
    }
    seen.add(checkId);
  }
  return undefined;
}

/** Parses with `schema` or throws a 400 whose message starts with the field path. */
function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  at: readonly PropertyKey[] = [],
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = pathText([...at, ...issue.path]);
  throw new InputError(path ? `${path} ${issue.message}` : issue.message);
}

/** What both ways in need to record result sets. */
export interface ResultsIntakeOptions {
  store: ScorecardsStore;
  /** The standard posted sets are checked against, and where they are recorded. */
  evaluator: Pick<ScorecardsEvaluator, 'standard' | 'record'>;
  logger: LoggerService;
  clock: () => Date;
}

/**
 * What `POST /internal/results` does with a parsed body, also the in-process receiver of
 * scorecards-node's results handoff (the catalog module in the same backend hands its result
 * sets to it as objects): validates the body and records its items; resolves to
 * `{ accepted }` (items written or already identical). Throws `InputError` (400) naming the
 * field for a body it refuses, before anything is written, and a 413 for more than
 * {@link MAX_RESULTS_PER_REQUEST} items. With `compact`, each evaluation is in its wire form
 * and restored with this backend's standard first.
 *
 * Nothing handed in is changed: stored evaluations are shallow copies (the catalog module
 * may still hold and reuse the objects it hands over).
 */
export function createResultsIntake(
  options: ResultsIntakeOptions,
): (body: unknown, compact: boolean) => Promise<{ accepted: number }> {
  const { store, logger, clock } = options;
  const ourStandard = options.evaluator.standard;
  const { id: standardId, version: standardVersion } = ourStandard;

  /** The posted evaluation as the module computed it (the compact form restored). */
  const received = (
    evaluation: Record<string, unknown>,
    compact: boolean,
    i: number,
  ): Record<string, unknown> => {
    if (!compact) return evaluation;
    try {
      return expandEvaluation(
        evaluation as unknown as CompactEvaluation,
        ourStandard,
        `results[${i}].evaluation`,
      ) as unknown as Record<string, unknown>;
    } catch (error) {
      if (error instanceof CompactEvaluationError) {
        throw new InputError(error.message);
      }
      throw error;
    }
  };

  return async function intake(body, compact) {
    const posted = (body as { results?: unknown } | undefined)?.results;
    if (Array.isArray(posted) && posted.length > MAX_RESULTS_PER_REQUEST) {
      throw new PayloadTooLargeError(
        `results must hold at most ${MAX_RESULTS_PER_REQUEST} items per request (got ${posted.length}); split the batch`,
      );
    }
    const { results } = parse(resultsBody, body ?? {});
    const latestAllowed = clock().getTime() + MAX_FUTURE_MS;
    results.forEach((item, i) => {
      if (item.evaluation.entityRef.toLowerCase() !== item.entityRef) {
        throw new InputError(
          `results[${i}].evaluation.entityRef ${got(
            item.evaluation.entityRef,
          )} must be the item's entityRef ${got(item.entityRef)}`,
        );
      }
      if (Date.parse(item.evaluatedAt) > latestAllowed) {
        throw new InputError(
          `results[${i}].evaluatedAt must not be in the future (got ${
            item.evaluatedAt
          }, backend time ${clock().toISOString()})`,
        );
      }
    });

    // 1. What each item would do, against the stored hashes and change times (one query).
    // Only items that will be written are validated in full — before anything is written,
    // so a 400 leaves the store as it was. Skipping the full check of a repeat is safe: its
    // snapshot hashes to the stored one and nothing of it is kept. The snapshot and hash are
    // computed once per item, for the comparison and the write.
    const heads = await store.latestHeads(results.map(r => r.entityRef));
    const counts = { written: 0, unchanged: 0, stale: 0, otherStandard: 0 };
    const writes: {
      evaluation: EntityEvaluation;
      item: (typeof results)[number];
      history: ReturnType<typeof historyOf> | undefined;
    }[] = [];
    results.forEach((item, i) => {
      // A result set of another standard (a rollout in progress) would flip every result
      // between the two standards' versions with each writer; the pass writes ours.
      const { standard } = item.evaluation;
      if (standard.id !== standardId || standard.version !== standardVersion) {
        counts.otherStandard++;
        return;
      }
      const head = heads.get(item.entityRef);
      if (head && item.evaluatedAt < head.changedAt) {
        counts.stale++;
        return;
      }
      // The posted evaluation as stored: a shallow copy (the envelope's parse, or the set
      // restored from its wire form) with the ref lower-cased as the item's; nothing else of
      // it is copied or re-shaped.
      const sent = received(item.evaluation, compact, i);
      const evaluation = {
        ...sent,
        entityRef: item.entityRef,
      } as unknown as EntityEvaluation;
      const history = historyOrUndefined(evaluation, item.entityHash);
      if (head?.resultHash && head.resultHash === history?.resultHash) {
        counts.unchanged++;
        return;
      }
      const at = ['results', i, 'evaluation'] as const;
      if (!isWellFormedEvaluation(sent)) {
        parse(storedEvaluation, sent, at);
      }
      const outside = checkOutsideStandard(
        (sent as unknown as EntityEvaluation).results,
        ourStandard,
      );
      if (outside) throw new InputError(`${pathText(at)}${outside}`);
      const size = estimateJsonSize(sent, MAX_EVALUATION_BYTES);
      if (size > MAX_EVALUATION_BYTES) {
        throw new InputError(
          `${pathText(at)} must be at most ${
            MAX_EVALUATION_BYTES / 1024
          } KB of JSON (got more than ${Math.floor(
            size / 1024,
          )} KB); post the engine's result set, nothing else`,
        );
      }
      writes.push({ item, evaluation, history });
    });

    // 2. Writes: one compare-and-write transaction for the batch (recordEvaluations), which
    // settles the items that changed between the read above and now.
    const outcomes = await options.evaluator.record(
      writes.map(({ item, evaluation, history }) => ({
        evaluation,
        entityHash: item.entityHash,
        at: item.evaluatedAt,
        ...(history ? { history } : {}),
      })),
    );
    for (const outcome of outcomes) counts[outcome.status]++;
    if (counts.otherStandard > 0) {
      logger.warn(
        `scorecards: ignored ${counts.otherStandard} posted result set(s) of another standard than ${standardId}@${standardVersion}; is the catalog module configured with the same standard?`,
      );
    }
    logger.debug(
      `scorecards: results intake ${results.length} received, ${counts.written} written, ${counts.unchanged} unchanged, ${counts.stale} older than stored`,
    );
    return { accepted: counts.written + counts.unchanged };
  };
}

/**
 * `POST /internal/results` (§7.4, §7.5): the scorecards catalog module posts the result sets it
 * computed while the catalog processed entities, so latest results and transitions follow the
 * catalog instead of waiting for the next scheduled pass. `POST /internal/results/compact` takes
 * the same body with each evaluation in its wire form (`compactEvaluation` of scorecards-common:
 * what the standard holds left out), restored here with this backend's standard before anything
 * else reads it; the module posts there and falls back to the full form on a 404 (an older
 * backend). A module in the same backend process hands its sets to the same intake without
 * HTTP (scorecards-node's results handoff). Only the catalog plugin's service
 * principal may call it (a user token → 403, SR39). Every item goes through
 * `recordEvaluations`, the scheduled pass's code path: the backend computes the snapshot and
 * its hash itself, ignores an item older than the stored state's last change, and writes
 * nothing for an item whose result set is already stored (idempotent by entityRef and
 * resultHash). Answers `{ accepted }`: items written or already identical.
 *
 * Mounted before the plugin router's 1 MB JSON parser (batches are larger), and credentials
 * are checked before the body is read.
 */
export function createInternalResultsRouter(
  options: ResultsIntakeOptions & { httpAuth: HttpAuthService },
): express.Router {
  const { httpAuth } = options;
  const intake = createResultsIntake(options);
  const router = Router();

  const catalogOnly = async (req: Request) => {
    // 401 without credentials, 403 for user credentials (SR39).
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const subject = credentials.principal.subject;
    if (subject !== CATALOG_SUBJECT) {
      throw new NotAllowedError(
        `POST /internal/results accepts only the catalog plugin's service credentials (${CATALOG_SUBJECT}), not ${subject}`,
      );
    }
    return 'next' as const;
  };
  const tooLarge: ErrorRequestHandler = (error, _req, _res, next) => {
    next(
      error?.type === 'entity.too.large'
        ? new PayloadTooLargeError(
            `body must be at most ${MAX_BODY} (got ${error.length} bytes); send at most ${MAX_RESULTS_PER_REQUEST} results per request`,
          )
        : error,
    );
  };
  const receive = (compact: boolean) =>
    async function receiveResults(req: Request, res: express.Response) {
      res.json(await intake(req.body, compact));
    };

  const json = jsonObjectBody({ limit: MAX_BODY });
  router.post('/internal/results', catalogOnly, json, receive(false));
  router.post('/internal/results/compact', catalogOnly, json, receive(true));
  router.use(tooLarge);
  return router;
}
