import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type {
  CompiledStandard,
  EntityEvaluation,
} from '@internal/plugin-scorecards-common';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { historyOf, recordEvaluation } from '../evaluation/recordEvaluation';
import { FULL_REF } from './validation';

/** Most results one `POST /internal/results` may carry (§7.4). */
export const MAX_RESULTS_PER_REQUEST = 500;
/** Largest body: 500 results of up to ~64 KB of JSON each (a 45-check result set is ~40 KB). */
const MAX_BODY = '32mb';
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
const object = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.looseObject(shape, {
    error: iss =>
      iss.input === undefined
        ? 'is required'
        : `must be an object (got ${got(iss.input)})`,
  });
const fullRef = () =>
  text()
    .refine(v => FULL_REF.test(v), {
      error: iss => `${got(iss.input)} is not a full ref (kind:namespace/name)`,
    })
    .transform(v => v.toLowerCase());
const isoTime = () =>
  text()
    .refine(
      v => !Number.isNaN(Date.parse(v)) && /T.*(Z|[+-]\d\d:?\d\d)$/.test(v),
      {
        error: iss =>
          `must be an ISO-8601 UTC timestamp (got ${got(iss.input)})`,
      },
    )
    .transform(v => new Date(v).toISOString());

/**
 * What the backend reads of an evaluation it stores: the fields of the history snapshot (state,
 * reason, phase, version, gating, attribution, waiver, evidence times, unknown cause) and of
 * rollups, checks and campaigns. Other fields of the engine's answer pass through unchanged
 * (loose objects), so the stored evaluation is the catalog module's, not a reduced copy.
 */
const checkResult = object({
  checkId: text().min(1, 'must not be empty'),
  checkVersion: int(),
  phase: text(),
  gating: bool(),
  state: oneOf(['pass', 'fail', 'unknown', 'not-applicable', 'waived']),
  rawState: oneOf(['pass', 'fail', 'unknown', 'not-applicable']),
  reason: text(),
  attribution: oneOf(['service', 'platform']).nullable(),
  evidence: list(object({ kind: text(), observedAt: text() })),
  missing: list(object({ cause: text() })),
  waiver: object({ id: text(), unused: bool() }).optional(),
  since: text(),
});
const storedEvaluation = object({
  entityRef: text(),
  scored: z.literal(true, {
    error: 'must be true (only scored evaluations are recorded)',
  }),
  standard: object({ id: text(), version: int() }),
  level: oneOf(['L0', 'L1', 'L2', 'L3', 'none', 'not-rated']),
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
const resultItem = z.object(
  {
    entityRef: fullRef(),
    evaluatedAt: isoTime(),
    entityHash: text().regex(
      /^[0-9a-f]{16}$/,
      'must be 16 lowercase hex digits (hashEntity of the entity)',
    ),
    // The envelope only: the whole evaluation is validated when it is going to be stored.
    evaluation: object({
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

/** The result hash of a not yet fully validated item; undefined when it cannot be computed. */
function hashOrUndefined(item: {
  entityHash: string;
  evaluation: object;
}): string | undefined {
  try {
    return historyOf(
      item.evaluation as unknown as EntityEvaluation,
      item.entityHash,
    ).resultHash;
  } catch {
    return undefined; // malformed: the full validation names the field
  }
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

/**
 * `POST /internal/results` (§7.4, §7.5): the scorecards catalog module posts the result sets it
 * computed while the catalog processed entities, so latest results and transitions follow the
 * catalog instead of waiting for the next scheduled pass. Only the catalog plugin's service
 * principal may call it (a user token → 403, SR39). Every item goes through
 * `recordEvaluation`, the scheduled pass's code path: the backend computes the snapshot and
 * its hash itself, ignores an item older than the stored state's last change, and writes
 * nothing for an item whose result set is already stored (idempotent by entityRef and
 * resultHash). Answers `{ accepted }`: items written or already identical.
 *
 * Mounted before the plugin router's 1 MB JSON parser (batches are larger), and credentials
 * are checked before the body is read.
 */
export function createInternalResultsRouter(options: {
  store: ScorecardsStore;
  evaluator: { standard: CompiledStandard };
  httpAuth: HttpAuthService;
  logger: LoggerService;
  clock: () => Date;
}): express.Router {
  const { store, httpAuth, logger, clock } = options;
  const { id: standardId, version: standardVersion } =
    options.evaluator.standard;
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

  router.post(
    '/internal/results',
    catalogOnly,
    express.json({ limit: MAX_BODY }),
    async (req, res) => {
      const posted = (req.body as { results?: unknown } | undefined)?.results;
      if (Array.isArray(posted) && posted.length > MAX_RESULTS_PER_REQUEST) {
        throw new PayloadTooLargeError(
          `results must hold at most ${MAX_RESULTS_PER_REQUEST} items per request (got ${posted.length}); split the batch`,
        );
      }
      const { results } = parse(resultsBody, req.body ?? {});
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
      // snapshot hashes to the stored one and nothing of it is kept (and zod over a 45-check
      // result set costs ~2 ms, most of the cost of a batch of repeats, e.g. after a restart).
      const heads = await store.latestHeads(results.map(r => r.entityRef));
      const counts = { written: 0, unchanged: 0, stale: 0, otherStandard: 0 };
      const writes: {
        evaluation: EntityEvaluation;
        item: (typeof results)[number];
      }[] = [];
      results.forEach((item, i) => {
        // A result set of another standard (a rollout in progress) would flip every result
        // between the two standards' versions with each writer; the pass writes ours.
        const { standard } = item.evaluation;
        if (
          standard.id !== standardId ||
          standard.version !== standardVersion
        ) {
          counts.otherStandard++;
          return;
        }
        const head = heads.get(item.entityRef);
        if (head && item.evaluatedAt < head.changedAt) {
          counts.stale++;
          return;
        }
        if (head?.resultHash && head.resultHash === hashOrUndefined(item)) {
          counts.unchanged++;
          return;
        }
        const evaluation = parse(storedEvaluation, item.evaluation, [
          'results',
          i,
          'evaluation',
        ]) as unknown as EntityEvaluation;
        writes.push({
          item,
          evaluation: { ...evaluation, entityRef: item.entityRef },
        });
      });

      // 2. Writes, each a compare-and-write of its own (recordEvaluation).
      for (const { item, evaluation } of writes) {
        const outcome = await recordEvaluation(store, {
          evaluation,
          entityHash: item.entityHash,
          at: item.evaluatedAt,
        });
        counts[outcome.status]++;
      }
      if (counts.otherStandard > 0) {
        logger.warn(
          `scorecards: ignored ${counts.otherStandard} posted result set(s) of another standard than ${standardId}@${standardVersion}; is the catalog module configured with the same standard?`,
        );
      }
      logger.debug(
        `scorecards: POST /internal/results ${results.length} received, ${counts.written} written, ${counts.unchanged} unchanged, ${counts.stale} older than stored`,
      );
      res.json({ accepted: counts.written + counts.unchanged });
    },
  );
  router.use(tooLarge);
  return router;
}
