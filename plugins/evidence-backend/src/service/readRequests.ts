import {
  CHANGE_KINDS,
  CHANGE_STATUSES,
  entityRefSchema,
  listBetween,
  normalizeEntityRef,
  integerBetween,
  MAX_LEDGER_VIEW,
  numberBetween,
  queryIntegerBetween,
  timestampMs,
  timestampSchema,
  storableString,
} from '@internal/plugin-evidence-common';
import { z } from 'zod';
import { FACT_CURSOR, type ReadInclude } from '../database/EvidenceReader';
import { CHANGE_CURSOR } from '../database/changeCursor';
import type { CursorCodec } from '../database/keyset';

// The read routes' bodies and queries (§5.1), rendered by evidence-common's `formatIssues` into
// the same §3.9 `INVALID_FIELD` messages as ingestion. Bodies and queries are strict: a misspelt
// field or parameter is an error (`entityref is not a known field`), not a silently wider read;
// a parameter given twice arrives as an array and fails its string type.

/** Every include of `POST /read`; `GET /entities/:kind/:namespace/:name` answers with all. */
export const READ_INCLUDES: readonly [ReadInclude, ...ReadInclude[]] = [
  'facts',
  'collection',
  'edges',
  'ledger',
  'ledgerSummary',
];

/** Changes are kept 730 days (§2.7), so a longer ledger window could not return more. */
const MAX_LEDGER_WINDOW_DAYS = 730;
const MAX_READ_REFS = 5000;
/**
 * Kinds or statuses a read may list. Each is one bound parameter of the statement: unbounded,
 * a body within the size limit could exceed the database's limit on parameters (a 500).
 */
const MAX_LISTED = 100;

/**
 * Text a read compares in SQL (a kind, a source, an environment, a path's id), held to what
 * ingestion stores (`storableString`): U+0000 is refused by name (`kind must not contain NUL
 * characters (U+0000)`), since PostgreSQL refuses it in a text parameter with a 500 naming no
 * field, and so is a lone surrogate, which no stored row holds either.
 */
const sqlText = storableString(z.string());

/** Refs as sent: `POST /read` answers under the keys it was asked for. */
const refs = listBetween(entityRefSchema, 1, MAX_READ_REFS);

/** A full ref given as a query parameter (a repeated parameter is an array: refused). */
const queryRef = z
  .string()
  .pipe(entityRefSchema)
  .transform(ref => normalizeEntityRef(ref)!);

/** `POST /read` */
export const readBodySchema = z
  .object({
    entityRefs: refs,
    kinds: listBetween(sqlText, 0, MAX_LISTED).optional(),
    include: z.array(z.enum(READ_INCLUDES)).default(['facts', 'collection']),
    ledgerWindowDays: numberBetween(1, MAX_LEDGER_WINDOW_DAYS).default(400),
    /**
     * Ours (scorecards' evidence mirror): keep of each entity's ledger window only the newest
     * `perClass` changes per environment, kind, status and rollback-or-not, and the newest change
     * of each of the `artifacts` newest artifacts deployed (`compactLedgerRows`).
     */
    ledgerView: z
      .object({
        // whole numbers: a rank kept "≤ 1.5" is one change where a reader counting to 1.5 keeps two
        perClass: integerBetween(0, MAX_LEDGER_VIEW),
        artifacts: integerBetween(0, MAX_LEDGER_VIEW),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * Refuses a window whose `to` is before its `from` (`to must not be before from (got … < …)`):
 * every read with a window does, so an inverted one is a 400 naming `to`, never an empty answer
 * that reads like "nothing happened". A window missing either end, or with an end that failed
 * its own check, is left to that check.
 */
function withWindowInOrder<T extends z.ZodType<{ from?: string; to?: string }>>(
  schema: T,
) {
  return schema.superRefine(
    (value, ctx) => {
      // `when` ran only with both ends valid timestamps
      const { from, to } = value as { from: string; to: string };
      if (timestampMs(to) < timestampMs(from)) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: 'to must not be before from',
          params: { template: 'notBefore', other: 'from' },
        });
      }
    },
    { when: ({ value }) => isTimeRange(value) },
  );
}

/** `POST /changes/query` */
export const changeQueryBodySchema = withWindowInOrder(
  z
    .object({
      entityRefs: refs,
      from: timestampSchema,
      to: timestampSchema,
      environment: sqlText.optional(),
      // closed lists (§2.3), as on GET /changes: an unknown value would match nothing, silently
      kinds: listBetween(z.enum(CHANGE_KINDS), 0, MAX_LISTED).optional(),
      statuses: listBetween(z.enum(CHANGE_STATUSES), 0, MAX_LISTED).optional(),
    })
    .strict(),
);

function isTimeRange(value: unknown): value is { from: string; to: string } {
  const v = value as { from?: unknown; to?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    timestampSchema.safeParse(v.from).success &&
    timestampSchema.safeParse(v.to).success
  );
}

const resolution = z.enum(['resolved', 'unresolved']).optional();
const limit = queryIntegerBetween(1, 1000).default(100);

/**
 * A listing's `cursor`: exactly a `nextCursor` the listing answered, decoded to its position.
 * Anything else (an offset, a cursor of another listing, an edited one) is refused rather than
 * read as the first page.
 */
function cursorParam(codec: CursorCodec) {
  return z
    .string()
    .refine(text => codec.decode(text) !== undefined, {
      error: 'expected the nextCursor of a previous page of this listing',
    })
    .transform(text => codec.decode(text)!);
}

/** `GET /facts`; without `limit`, pages of 1,000 (what it answered before it had a cursor). */
export const factsQuerySchema = z
  .object({
    entityRef: queryRef.optional(),
    resolution,
    kind: sqlText.optional(),
    source: sqlText.optional(),
    key: sqlText.optional(),
    limit: queryIntegerBetween(1, 1000).default(1000),
    cursor: cursorParam(FACT_CURSOR).optional(),
  })
  .strict();

/** `GET /facts/history`; `kind` is a fact kind, an open vocabulary (`evidence.kinds`). */
export const factHistoryQuerySchema = withWindowInOrder(
  z
    .object({
      entityRef: queryRef,
      kind: sqlText.optional(),
      key: sqlText.optional(),
      from: timestampSchema.optional(),
      to: timestampSchema.optional(),
      limit,
    })
    .strict(),
);

/**
 * `GET /changes`. `kind` and `status` are the ledger's closed enums (§3.3): an unknown value is
 * refused naming the allowed ones, as ingestion refuses it, since no record could ever match it.
 */
export const changesQuerySchema = withWindowInOrder(
  z
    .object({
      entityRef: queryRef.optional(),
      alias: sqlText.optional(),
      environment: sqlText.optional(),
      kind: z.enum(CHANGE_KINDS).optional(),
      status: z.enum(CHANGE_STATUSES).optional(),
      from: timestampSchema.optional(),
      to: timestampSchema.optional(),
      resolution,
      limit,
      cursor: cursorParam(CHANGE_CURSOR).optional(),
    })
    .strict(),
);

/** `GET /changes/summary`; `entityRefs` is comma-separated (see {@link withListParams}). */
export const changeSummaryQuerySchema = z
  .object({
    entityRefs: refs,
    environment: sqlText.optional(),
    /** The instant the summary is as of (an incident time in the past); default now. */
    at: timestampSchema.optional(),
  })
  .strict();

/** `GET /edges` */
export const edgesQuerySchema = z
  .object({
    entityRef: queryRef.optional(),
    direction: z.enum(['outgoing', 'incoming', 'both']).default('both'),
    includeStale: z
      .enum(['true', 'false'])
      .default('true')
      .transform(v => v === 'true'),
    since: timestampSchema.optional(),
  })
  .strict();

/** `GET /edges/unmapped` */
export const unmappedEdgesQuerySchema = z
  .object({
    includeStale: z
      .enum(['true', 'false'])
      .default('true')
      .transform(v => v === 'true'),
  })
  .strict();

/** `GET /ci-runs` */
export const ciRunsQuerySchema = withWindowInOrder(
  z
    .object({
      entityRef: queryRef,
      from: timestampSchema.optional(),
      to: timestampSchema.optional(),
    })
    .strict(),
);

/** `GET /entities/changed`; `since` is checked as epoch milliseconds by the route. */
export const changedEntitiesQuerySchema = z
  .object({ since: z.string().optional() })
  .strict();

/** `GET /edges/changes`; `cursor` is checked as a non-negative integer by the route. */
export const edgeChangesQuerySchema = z
  .object({ cursor: z.string().optional() })
  .strict();

/**
 * The query with the named comma-separated parameters split into lists, so that a bad item
 * is reported by its index (`entityRefs[1] "x" is not a full ref …`) and with its own value.
 */
export function withListParams(
  query: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  const out = { ...query };
  for (const name of names) {
    const value = out[name];
    if (typeof value === 'string') {
      out[name] = value
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
    }
  }
  return out;
}

/** The path of `GET /changes/:id` and `PUT /changes/:id/risk`: the id is looked up in SQL. */
export const changeIdParamsSchema = z.object({ id: sqlText });

/**
 * The query of a route that takes no parameters (`GET /entities/:kind/:namespace/:name`,
 * `/changes/:id`, `/aliases/:name`, `/sources`): `?include=facts` or `?kinds=…` would otherwise
 * be ignored and the whole answer read, where the caller asked for less. `/health` ignores its
 * query instead (monitors add cache-busters).
 */
export const noQuerySchema = z.object({}).strict();
