import { isUniqueViolation } from '@internal/suite-node';
import {
  JsonValue,
  canonicalJson,
  changeRiskSchema,
  fingerprint,
  redactCredentials,
  redactCredentialsDeep,
  redactLowerCasedCredentials,
} from '@internal/plugin-evidence-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { z } from 'zod';
import { chunkRows } from './chunkRows';
import { nextSequence } from './EdgeWriter';
import {
  redactCredentialsWithinLength,
  redactWithin,
  redactWithinLength,
} from './redactWithinLength';
import { validateThenRedact } from './validateThenRedact';

/**
 * Rows stored before ingestion redacted URL credentials (README, "Credentials in evidence")
 * are redacted by this pass, started in the background at start-up after the knex migrations
 * ({@link startCredentialRedaction}). It is code rather than a migration file so it runs
 * evidence-common's own `redactCredentials` (knex loads migrations as plain JavaScript, which
 * would need a copy of the scans held to the original).
 *
 * - Only rows whose redactable columns hold an `@` or a `=` are read (no credential without
 *   one; JSON never escapes them), in keyset batches of 200, one transaction per batch and a
 *   savepoint per row, so a collision rolls back that row only. An interrupted pass (shutdown,
 *   crash) leaves the batches done and the next start finishes it.
 * - Each update is conditional on the values the pass read in the columns it patches: a write
 *   in between (already redacted by ingestion) is never overwritten with the stale value; the
 *   row is read again and redone when it still needs it.
 * - A row is redacted to what ingestion stores for the same input, so the next identical write
 *   compares equal (not a `409 IMMUTABLE_FIELD` or a new version): a row ingested from a body
 *   (`ingestedBody`) whole, or, when the mask pushed a text column past its width (the
 *   schema's limit for it), with every string the mask lengthened cut back to its stored
 *   length, as ingestion cuts a body refused once redacted to its received lengths (a row
 *   stored before redaction holds the text as received); a stored risk as
 *   `PUT /changes/:id/risk` redacts one (`validatedJson`); collector text cut to its width, as
 *   its writer cuts it. A subject `alias:<alias>` is held to the alias's limit (`aliasSubject`).
 * - Columns ingestion lower-cases after redacting (aliases, subjects, repositories,
 *   environments, `lowerCased`) are redacted case-blind: lower-casing lost the case changes
 *   that made a parameter name secret to ingestion (`?keyId=`), so a name is secret there when
 *   some casing of it is. That masks more than ingestion did (`?monkey=`): such a row differs
 *   from the same body sent again (a new fact under another subject, `409 IMMUTABLE_FIELD` for
 *   a change), the price of leaving no credential ingestion would have masked.
 * - A fact's `value_fp` is recomputed from the redacted value, so the next identical write is
 *   the no-op it would be; rows with a write stamp get `updated_ms` = now, so mirrors polling
 *   `GET /entities/changed` re-read them; a redacted edge takes a new feed sequence.
 * - A row of counts whose key would then equal another row's (`evidence_change_coverage`,
 *   keyed by a change's entity ref or `alias:<alias>` subject and its environment) is merged
 *   into that row as its writer would have counted it (`mergeOnCollision`): the change rows it
 *   counts are redacted too, and a coverage row left under the old key would no longer match
 *   its changes' subject or environment.
 * - Any other row whose natural key would then equal another row's (two keys differing only in
 *   their credentials) keeps its natural key (merging or dropping records is not this pass's
 *   decision) but has every other column redacted; the table and key of each are logged once
 *   (a `redaction-collision:<table>:<id>` row in `evidence_sequences` records it, so re-runs
 *   within the rollout window do not log it again; the retention task deletes those records
 *   once that window closed, {@link deleteClosedCollisionRecords}). A fact's history rows move
 *   to its redacted key with it, in the savepoint that moves the fact (a new version written
 *   before a later step would otherwise hold that key); a collided fact's history keeps its key
 *   (only its other columns are redacted). The history of a fact deleted since (by retention
 *   or the API) moves in the history step, unless another fact or its history holds the
 *   redacted key: rekeyed, it would read as that fact's history; it is then logged once like a
 *   collision.
 * - When every table is done a marker row (`evidence_sequences`) holds the time the pass
 *   started. Replicas of the previous version keep writing credentials during a rolling
 *   deploy, so starts within {@link ROLLOUT_WINDOW_MS} of that time run the pass again (it
 *   writes only rows that still change); later starts only read the marker.
 */

const DONE_MARKER = 'redacted-credentials-v1';
const BATCH = 200;
/** How long after the first pass a start runs it again, for rows old replicas wrote since. */
export const ROLLOUT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Conditional updates that find the row changed again before the pass gives it up. */
const ROW_ATTEMPTS = 3;
/** Batches retried after PostgreSQL aborted them for a deadlock with a writer. */
const BATCH_ATTEMPTS = 3;

interface TableSpec {
  table: string;
  /** Primary key columns, the keyset order. */
  key: string[];
  /** Text columns and their width (PostgreSQL refuses wider text; 0 = unbounded). */
  text: Record<string, number>;
  /** The text columns in the table's unique natural key: kept when redacting them collides. */
  naturalKey?: string[];
  /**
   * Text columns ingestion lower-cases after redacting (aliases, subjects, repositories,
   * environments): redacted case-blind (`redactLowerCasedCredentials`), as the case changes
   * that made a parameter name secret to ingestion are lost (`?keyId=` was masked, `?keyid=`).
   */
  lowerCased?: string[];
  /**
   * The text column holding `alias:<alias>` for evidence posted under an alias: held to the
   * alias's limit and the prefix ({@link limitOf}) rather than the column's width.
   */
  aliasSubject?: string;
  /** Canonical JSON columns (spliced into responses unparsed). */
  json?: string[];
  /**
   * For a table of rows ingested from a body: redacted as ingestion redacts that body, so an
   * identical write compares equal ({@link redactedColumns}). `json`: its JSON columns holding
   * strings of that same body, cut back with its text columns.
   */
  ingestedBody?: { json: string[] };
  /**
   * JSON columns holding a body of their own route that validates it as sent, then redacts it
   * (`validateThenRedact`), and the route's schema: redacted by that same function.
   */
  validatedJson?: Record<string, z.ZodType<unknown>>;
  /** JSON columns written with JSON.stringify (a stored response, replayed byte for byte). */
  plainJson?: string[];
  /** The column of a stamp for `GET /entities/changed`, set to now on a rewrite. */
  updatedMs?: string;
  /** Whether `value_fp` follows `value_json`. */
  valueFingerprint?: boolean;
  /** Whether a rewritten row takes a new edge-feed sequence. */
  edgeSequence?: boolean;
  /**
   * For a table of history rows: the table of the rows they record and the columns naming
   * one (its natural key); a recorded row has the `id` of its latest history row. A record's
   * history rows move to the redacted values together, with their row ({@link moveHistoryWith})
   * or, its row deleted, in their own step, and keep theirs (with the rest redacted) while
   * their row keeps its credentials there (a collision) or another record holds the redacted
   * values ({@link historyPatch}).
   */
  historyOf?: { table: string; columns: string[] };
  /**
   * For a table of counts keyed by redactable text: how a row whose redacted key equals
   * another row's is merged into it instead of keeping its credentials, as the table's
   * writer counts (every column besides the key): the columns taking the smaller and the
   * larger of the two values, and those taking their sum.
   */
  mergeOnCollision?: { min: string[]; max: string[]; sum: string[] };
}

// `subject` is `alias:<alias>` for evidence posted under an alias (and the alias may quote a URL).
const FACT_COLUMNS = {
  text: { subject: 320, fact_key: 512 },
  lowerCased: ['subject'],
  aliasSubject: 'subject',
  json: ['value_json', 'provenance_json'],
  ingestedBody: { json: ['value_json', 'provenance_json'] },
  updatedMs: 'updated_ms',
  valueFingerprint: true,
};

/**
 * Every table holding text a sender, a collector or a reader's error gave, with each such
 * column. Left out are columns whose text can hold no credential: entity refs
 * (`kind:namespace/name`; a column that may hold `alias:<alias>` instead is included), fact
 * sources and kinds, `source.system` and `Idempotency-Key` (patterns without `@` or `=`),
 * enums, ids and what the server writes.
 */
export const REDACTED_TABLES: readonly TableSpec[] = [
  {
    table: 'evidence_facts',
    key: ['id'],
    ...FACT_COLUMNS,
    naturalKey: ['subject', 'fact_key'],
  },
  {
    table: 'evidence_fact_history',
    key: ['id'],
    ...FACT_COLUMNS,
    historyOf: {
      table: 'evidence_facts',
      columns: ['subject', 'source', 'kind', 'fact_key'],
    },
  },
  {
    table: 'evidence_changes',
    key: ['id'],
    text: {
      subject: 320,
      environment: 64,
      environment_raw: 64,
      ref: 512,
      version: 256,
      summary: 200,
      actor_id: 255,
      external_id: 255,
      source_url: 2048,
      remediation_for: 255,
      correlation_id: 255,
      artifact_digest: 512,
      alias: 255,
    },
    json: ['rollback_of_ref', 'attributes_json', 'warnings_json', 'risk_json'],
    // `warnings_json` is the server's, `risk_json` the body of `PUT /changes/:id/risk`.
    ingestedBody: { json: ['rollback_of_ref', 'attributes_json'] },
    validatedJson: { risk_json: changeRiskSchema },
    updatedMs: 'updated_ms',
    naturalKey: ['external_id'],
    // `environment_raw` is the environment as received, when canonicalization changed it.
    lowerCased: ['subject', 'alias', 'environment'],
    aliasSubject: 'subject',
  },
  // Keyed by the changes' entity ref, or their `subject` (`alias:<alias>`) for a change whose
  // alias mapped to nothing (`addChangeCoverage`), and their environment: both redacted as the
  // changes' `subject` and `environment` are, so the ledger summary (EvidenceReader.ledgerRead,
  // by `alias:<alias>` and the `environment` filter) and the demo cleanup find a change's
  // coverage under its redacted key. Merged like `addChangeCoverage`.
  {
    table: 'evidence_change_coverage',
    key: ['entity_ref', 'kind', 'environment'],
    text: { entity_ref: 320, environment: 64 },
    lowerCased: ['entity_ref', 'environment'],
    aliasSubject: 'entity_ref',
    ingestedBody: { json: [] },
    mergeOnCollision: {
      min: ['first_ms'],
      max: ['last_ms'],
      sum: ['count'],
    },
  },
  {
    table: 'evidence_ci_runs',
    key: ['id'],
    text: {
      provider: 32,
      run_id: 255,
      subject: 320,
      repository: 255,
      workflow: 255,
      branch: 255,
      commit_sha: 64,
      event: 32,
      correlation_id: 255,
      url: 2048,
    },
    updatedMs: 'updated_ms',
    naturalKey: ['provider', 'run_id'],
    lowerCased: ['subject', 'repository'],
    ingestedBody: { json: [] },
  },
  {
    table: 'evidence_edges',
    key: ['id'],
    text: { source: 128, client: 255, server: 255 },
    updatedMs: 'updated_ms',
    edgeSequence: true,
    naturalKey: ['source', 'client', 'server'],
    ingestedBody: { json: [] },
  },
  {
    table: 'evidence_idempotency',
    key: ['scope', 'idem_key'],
    text: {},
    plainJson: ['response_json'],
  },
  {
    table: 'evidence_source_health',
    key: ['source'],
    text: { last_error: 1024 },
  },
  { table: 'evidence_source_health_log', key: ['id'], text: { error: 1024 } },
  {
    table: 'evidence_collection_status',
    key: ['entity_ref', 'source'],
    text: { detail: 1024 },
    updatedMs: 'updated_ms',
  },
];

/** A row that kept the credentials in its natural key (see the top of this file). */
export interface CollidedRow {
  table: string;
  /** Its primary key, column by column. */
  key: Record<string, unknown>;
}

/** What one pass did, for the log. */
export interface RedactionSummary {
  rewritten: number;
  collisions: CollidedRow[];
  /** False when the pass did not run: it finished more than the rollout window ago. */
  ran: boolean;
  /** True when the signal stopped it before the last table (no marker is written then). */
  stopped: boolean;
}

function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '40P01' || code === '40001';
}

/** How a column's text is redacted: `redactCredentials`, or case-blind (`lowerCased`). */
type Redact = (text: string) => string;

function redactorOf(spec: TableSpec, column: string): Redact {
  return spec.lowerCased?.includes(column)
    ? redactLowerCasedCredentials
    : redactCredentials;
}

/** Text redacted within its column's width (a userinfo of one or two characters grows). */
function redactText(text: string, width: number, redact: Redact): string {
  return width > 0 ? redactWithin(text, width, redact) : redact(text);
}

/** The schemas' limit of an `alias` (facts, changes). */
const ALIAS_MAX_LENGTH = 255;
const ALIAS_SUBJECT_PREFIX = 'alias:';

/**
 * The limit ingestion held a text column's (redacted) text to, 0 for none: its width, or for
 * the `aliasSubject` column holding `alias:<alias>` the alias's limit and the prefix. The
 * column's 320 fits entity refs; an alias over 255 once redacted is cut back with its body by
 * ingestion, and the pass must do the same (`alias:` plus 256 characters fits 320).
 */
function limitOf(spec: TableSpec, column: string, text: string): number {
  return column === spec.aliasSubject && text.startsWith(ALIAS_SUBJECT_PREFIX)
    ? ALIAS_SUBJECT_PREFIX.length + ALIAS_MAX_LENGTH
    : spec.text[column];
}

/** A parsed JSON value redacted; the same value when nothing changed. */
type RedactValue = (value: unknown) => unknown;

/** The JSON text redacted, or undefined when nothing changed or it is no JSON. */
function redactJsonText(
  text: string,
  write: (value: unknown) => string,
  redact: RedactValue,
): { text: string; value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const redacted = redact(value);
  return redacted === value
    ? undefined
    : { text: write(redacted), value: redacted };
}

/**
 * A body redacted as its route redacts it ({@link validateThenRedact}: cut back to its received
 * lengths when the mask pushed a field past its limit); `redactCredentialsDeep` of it when it
 * no longer validates (stored before a schema change).
 */
function redactValidated(schema: z.ZodType<unknown>): RedactValue {
  return value => {
    if (redactCredentialsDeep(value) === value) return value;
    const result = validateThenRedact(schema, value);
    return result.success ? result.data : redactCredentialsDeep(value);
  };
}

/**
 * How a row's strings are redacted: `whole`, or cut back to their stored length (a row's
 * text as it was received), as ingestion cuts a body whose redaction a limit refused.
 */
type BodyRedaction = 'whole' | 'withinLength';

/**
 * The columns of a row that redaction changes; empty when none. A row ingested from a body
 * (`ingestedBody`) is redacted as ingestion redacts the same body, so the next identical
 * write compares equal (not `409 IMMUTABLE_FIELD`): whole, or, when that pushed a text column
 * past its width (the schema's limit for the field), with every string the mask lengthened
 * cut back to its stored length, the body's JSON columns included. Other text, which
 * collectors write, is cut to its width as its writer cuts it.
 */
export function redactedColumns(
  spec: TableSpec,
  row: Record<string, unknown>,
): Record<string, unknown> {
  if (!spec.ingestedBody) return redactedPatch(spec, row);
  const whole = redactedPatch(spec, row, 'whole');
  const overWidth = Object.keys(spec.text).some(column => {
    const text = whole[column];
    if (typeof text !== 'string') return false;
    const limit = limitOf(spec, column, text);
    return limit > 0 && text.length > limit;
  });
  return overWidth ? redactedPatch(spec, row, 'withinLength') : whole;
}

/** The columns redaction changes: cut to their width without a body redaction. */
function redactedPatch(
  spec: TableSpec,
  row: Record<string, unknown>,
  body?: BodyRedaction,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const redactString = (column: string, text: string, width: number) => {
    const redact = redactorOf(spec, column);
    if (body === 'withinLength') return redactWithinLength(text, redact);
    return body === 'whole' ? redact(text) : redactText(text, width, redact);
  };
  for (const [column, width] of Object.entries(spec.text)) {
    const text = row[column];
    if (typeof text !== 'string') continue;
    const redacted = redactString(column, text, width);
    if (redacted !== text) patch[column] = redacted;
  }
  const redactJson = (column: string): RedactValue => {
    const schema = spec.validatedJson?.[column];
    if (schema) return redactValidated(schema);
    return body === 'withinLength' && spec.ingestedBody?.json.includes(column)
      ? redactCredentialsWithinLength
      : redactCredentialsDeep;
  };
  const jsonColumns: [string, (value: unknown) => string][] = [
    ...(spec.json ?? []).map(
      c => [c, canonicalJson] as [string, typeof canonicalJson],
    ),
    ...(spec.plainJson ?? []).map(
      c =>
        [c, (v: unknown) => JSON.stringify(v)] as [
          string,
          (v: unknown) => string,
        ],
    ),
  ];
  for (const [column, write] of jsonColumns) {
    const text = row[column];
    if (typeof text !== 'string') continue;
    const redacted = redactJsonText(text, write, redactJson(column));
    if (!redacted) continue;
    patch[column] = redacted.text;
    if (spec.valueFingerprint && column === 'value_json') {
      patch.value_fp = fingerprint(redacted.value as JsonValue);
    }
  }
  return patch;
}

function columnsOf(spec: TableSpec): string[] {
  return [
    ...Object.keys(spec.text),
    ...(spec.json ?? []),
    ...(spec.plainJson ?? []),
  ];
}

/** The counted columns of a table whose colliding rows are merged (`mergeOnCollision`). */
function countedColumns(spec: TableSpec): string[] {
  const merge = spec.mergeOnCollision;
  return merge ? [...merge.min, ...merge.max, ...merge.sum] : [];
}

/** The spec of the table holding the history of a table's rows (`historyOf` it), if any. */
function historyTableOf(spec: TableSpec): TableSpec | undefined {
  return REDACTED_TABLES.find(other => other.historyOf?.table === spec.table);
}

/**
 * The columns the pass reads of a row: its key, what it redacts, what names its recorded row
 * (or, for a recorded row, its history), what a merge carries over.
 */
function selectedColumns(spec: TableSpec): string[] {
  return [
    ...new Set([
      ...spec.key,
      ...columnsOf(spec),
      ...(spec.historyOf?.columns ?? []),
      ...(historyTableOf(spec)?.historyOf?.columns ?? []),
      ...countedColumns(spec),
    ]),
  ];
}

const COLLISION_RECORD = 'redaction-collision:';

/** Shorter names of tables whose own is too long for a collision record's name. */
const RECORDED_TABLE_NAMES: Record<string, string> = {
  evidence_fact_history: 'fact_history',
};

/**
 * The `evidence_sequences` row recording that a collided row was logged, so starts within the
 * rollout window do not log it again: `redaction-collision:<table>:<id>`. Tables with a natural
 * key or a history have the 26-character key `id`, which keeps the name within the column's 64
 * (`evidence_fact_history` is named `fact_history` there).
 */
export function collisionRecordName(
  table: string,
  key: Record<string, unknown>,
): string {
  return `${COLLISION_RECORD}${
    RECORDED_TABLE_NAMES[table] ?? table
  }:${Object.values(key).join(',')}`;
}

/**
 * Deletes the collision records ({@link collisionRecordName}) no pass reads again, for the
 * retention task: those recorded at least {@link ROLLOUT_WINDOW_MS} ago, once the first
 * finished pass is that old too (no start runs the pass any more; while none has finished,
 * starts go on running it and every record is kept). A pass run again after the marker was
 * deleted records and logs its collisions anew. One statement: a record per collided row.
 */
export async function deleteClosedCollisionRecords(
  db: Knex,
  now: number,
): Promise<number> {
  const cutoff = now - ROLLOUT_WINDOW_MS;
  const done = await db('evidence_sequences')
    .where({ name: DONE_MARKER })
    .first();
  if (!done || Number(done.value) > cutoff) return 0;
  return db('evidence_sequences')
    .where('name', 'like', `${COLLISION_RECORD}%`)
    .andWhere('value', '<=', cutoff)
    .delete();
}

/** Records a collided row; true when no earlier pass had (a collision to log). */
async function recordCollision(
  trx: Knex.Transaction,
  collided: CollidedRow,
  now: number,
): Promise<boolean> {
  const name = collisionRecordName(collided.table, collided.key);
  if (await trx('evidence_sequences').where({ name }).first()) return false;
  // Ignored on conflict: a replica's pass running at the same time may record it first.
  await trx('evidence_sequences')
    .insert({ name, value: now })
    .onConflict('name')
    .ignore();
  return true;
}

function pick(
  row: Record<string, unknown>,
  columns: string[],
): Record<string, unknown> {
  return Object.fromEntries(
    columns
      .filter(column => column in row)
      .map(column => [column, row[column]]),
  );
}

/**
 * The patch of a history row (`historyOf`) whose redaction changes the columns naming its
 * recorded row, without those columns: either they keep their values, or every history row
 * under those values (the record's whole history, this row included) was moved to the
 * redacted ones here, so a record's history never ends up split over two keys. A recorded row
 * whose own redaction moved it took its history along ({@link moveHistoryWith}), so what is
 * left here is mostly the history of records deleted since (by retention or the API). They
 * keep their values while
 * - the recorded row still holds them: it kept its credentials in its natural key (a
 *   collision, logged as the recorded row's), and its history stays with it;
 * - another record holds the redacted values: its row (a recorded row there is this
 *   history's own only when one of these history rows has its id, a pass having moved it
 *   without its history before), or, when no row is there, its history (a deleted record's).
 *   Rekeyed, this history would read as that record's; this covers a collided record deleted
 *   since, whose history no row holds any more. Logged once, as a collision of the history's
 *   first row ({@link recordHeldHistory}).
 * The ids of the rows moved are added to `result.moved`. Any other patch is returned as it is.
 */
async function historyPatch(
  trx: Knex.Transaction,
  spec: TableSpec,
  row: Record<string, unknown>,
  patch: Record<string, unknown>,
  now: number,
  result: BatchResult,
): Promise<Record<string, unknown>> {
  const history = spec.historyOf;
  if (!history || !history.columns.some(column => column in patch)) {
    return patch;
  }
  const rest = Object.fromEntries(
    Object.entries(patch).filter(
      ([column]) => !history.columns.includes(column),
    ),
  );
  const stored = pick(row, history.columns);
  const rekey = pick(patch, history.columns);
  const redacted = { ...stored, ...rekey };
  if (await trx(history.table).where(stored).first('id')) return rest;
  const recorded = await trx(history.table).where(redacted).first('id');
  const held = recorded
    ? !(await trx(spec.table)
        .where(stored)
        .andWhere({ id: recorded.id })
        .first('id'))
    : Boolean(await trx(spec.table).where(redacted).first('id'));
  if (held) {
    await recordHeldHistory(trx, spec, stored, now, result);
    return rest;
  }
  const ids = (await trx(spec.table).where(stored).select('id')).map(r => r.id);
  if (spec.updatedMs) rekey[spec.updatedMs] = now;
  for (const chunk of chunkRows(trx, ids, 1)) {
    await trx(spec.table).whereIn('id', chunk).update(rekey);
  }
  for (const id of ids) result.moved.add(id);
  return rest;
}

/**
 * Records a history kept under its credentials because another record holds the redacted
 * values ({@link historyPatch}) as a collision of its first row, so the pass logs it once
 * however many rows it has and however often the pass runs within the rollout window.
 */
async function recordHeldHistory(
  trx: Knex.Transaction,
  spec: TableSpec,
  stored: Record<string, unknown>,
  now: number,
  result: BatchResult,
): Promise<void> {
  const first = await trx(spec.table).where(stored).orderBy('id').first('id');
  if (!first) return;
  const collided = { table: spec.table, key: { id: first.id } };
  if (await recordCollision(trx, collided, now)) {
    result.collisions.push(collided);
  }
}

/**
 * Moves the history of a row whose patch rewrote the columns naming it (a fact's natural key)
 * to the redacted values, each history row redacted as the history step would redact it
 * (from its own stored values, so a row cut back with its body is cut back with it), within
 * the row's savepoint: until that savepoint commits, no write can find the record under the
 * redacted values, so no other record can own them and the whole history goes. Moved by the
 * history step instead, it could find a new version of the record written in between under
 * the redacted values (its history row there) and keep the older history under the
 * credentials for good. Returns how many history rows it moved.
 */
async function moveHistoryWith(
  savepoint: Knex.Transaction,
  spec: TableSpec,
  row: Record<string, unknown>,
  patch: Record<string, unknown>,
  now: number,
): Promise<number> {
  const historySpec = historyTableOf(spec);
  const columns = historySpec?.historyOf?.columns;
  if (!historySpec || !columns?.some(column => column in patch)) return 0;
  const stored = pick(row, columns);
  const rekey = pick(patch, columns);
  const stamp: Record<string, unknown> = historySpec.updatedMs
    ? { [historySpec.updatedMs]: now }
    : {};
  const rows: Record<string, unknown>[] = await savepoint(historySpec.table)
    .where(stored)
    .select(selectedColumns(historySpec));
  let moved = 0;
  for (const history of rows) {
    const update = { ...redactedColumns(historySpec, history), ...rekey };
    const read = pick(
      history,
      columnsOf(historySpec).filter(column => column in update),
    );
    moved += Number(
      await savepoint(historySpec.table)
        .where({ ...read, ...stored, id: history.id })
        .update({ ...update, ...stamp }),
    );
  }
  // Rows changed or written under the old values since they were read: moved as they are.
  const left = (
    await savepoint(historySpec.table).where(stored).select('id')
  ).map(r => r.id);
  for (const chunk of chunkRows(savepoint, left, 1)) {
    await savepoint(historySpec.table)
      .whereIn('id', chunk)
      .update({ ...rekey, ...stamp });
  }
  return moved + left.length;
}

/** Thrown inside a row's savepoint to roll it back when its update matched no row. */
class RowChanged extends Error {}

type PatchOutcome = 'updated' | 'changed' | 'collision';

/**
 * Applies a patch in a savepoint, only while the row still holds what the pass read in the
 * patched columns (`changed` otherwise, nothing written, no edge sequence taken). A row whose
 * natural key moved takes its history along ({@link moveHistoryWith}), counted in `result`.
 */
async function applyPatch(
  trx: Knex.Transaction,
  spec: TableSpec,
  row: Record<string, unknown>,
  patch: Record<string, unknown>,
  now: number,
  result: BatchResult,
): Promise<PatchOutcome> {
  const read = Object.fromEntries(
    columnsOf(spec)
      .filter(column => column in patch)
      .map(column => [column, row[column]]),
  );
  try {
    let historyMoved = 0;
    await trx.transaction(async savepoint => {
      const update = { ...patch };
      if (spec.updatedMs) update[spec.updatedMs] = now;
      if (spec.edgeSequence)
        update.seq = await nextSequence(savepoint, 'edges');
      const count = await savepoint(spec.table)
        .where(keyOf(spec, row))
        .andWhere(read)
        .update(update);
      if (Number(count) === 0) throw new RowChanged();
      historyMoved = await moveHistoryWith(savepoint, spec, row, patch, now);
    });
    result.rewritten += historyMoved;
    return 'updated';
  } catch (error) {
    if (error instanceof RowChanged) return 'changed';
    if (isUniqueViolation(error)) return 'collision';
    throw error;
  }
}

function keyOf(
  spec: TableSpec,
  row: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(spec.key.map(k => [k, row[k]]));
}

/**
 * Merges a row of counts whose redacted key collided into the row holding that key
 * (`mergeOnCollision`), in a savepoint: deletes it while it still holds the counts the pass
 * read, then upserts them under the redacted key, the smaller first, the larger last and the
 * sum of the counts, as the table's writer does. `changed` when a writer counted into the
 * row since it was read: nothing is written, and the row is read again.
 */
async function mergeIntoRedactedKey(
  trx: Knex.Transaction,
  spec: TableSpec,
  row: Record<string, unknown>,
  patch: Record<string, unknown>,
): Promise<'updated' | 'changed'> {
  const merge = spec.mergeOnCollision!;
  const counts = Object.fromEntries(
    countedColumns(spec).map(column => [column, row[column]]),
  );
  const own = (column: string) => `${spec.table}.${column}`;
  try {
    await trx.transaction(async savepoint => {
      const deleted = await savepoint(spec.table)
        .where(keyOf(spec, row))
        .andWhere(counts)
        .delete();
      if (Number(deleted) === 0) throw new RowChanged();
      const kept = (column: string, comparison: '<' | '>') =>
        savepoint.raw(
          `CASE WHEN excluded.?? ${comparison} ?? THEN excluded.?? ELSE ?? END`,
          [column, own(column), column, own(column)],
        );
      await savepoint(spec.table)
        .insert({ ...keyOf(spec, row), ...patch, ...counts })
        .onConflict(spec.key)
        .merge({
          ...Object.fromEntries(merge.min.map(c => [c, kept(c, '<')])),
          ...Object.fromEntries(merge.max.map(c => [c, kept(c, '>')])),
          ...Object.fromEntries(
            merge.sum.map(c => [
              c,
              savepoint.raw('?? + excluded.??', [own(c), c]),
            ]),
          ),
        });
    });
    return 'updated';
  } catch (error) {
    if (error instanceof RowChanged) return 'changed';
    throw error;
  }
}

interface BatchResult {
  rewritten: number;
  collisions: CollidedRow[];
  /** History rows moved with their record's history (`historyPatch`), counted as rewritten. */
  moved: Set<unknown>;
}

/** Redacts one row read by the pass, within the batch's transaction. */
async function redactRow(
  trx: Knex.Transaction,
  spec: TableSpec,
  read: Record<string, unknown>,
  now: number,
  result: BatchResult,
): Promise<void> {
  let row: Record<string, unknown> | undefined = read;
  for (let attempt = 0; row && attempt < ROW_ATTEMPTS; attempt++) {
    const movedBefore = result.moved.size;
    const patch = await historyPatch(
      trx,
      spec,
      row,
      redactedColumns(spec, row),
      now,
      result,
    );
    result.rewritten += result.moved.size - movedBefore;
    if (Object.keys(patch).length === 0) return;
    let outcome = await applyPatch(trx, spec, row, patch, now, result);
    if (outcome === 'collision' && spec.mergeOnCollision) {
      outcome = await mergeIntoRedactedKey(trx, spec, row, patch);
    }
    if (outcome === 'collision') {
      // Keep the natural key, redact the rest: values, provenance, other text.
      const rest = Object.fromEntries(
        Object.entries(patch).filter(
          ([column]) => !spec.naturalKey?.includes(column),
        ),
      );
      outcome =
        Object.keys(rest).length === 0
          ? 'updated'
          : await applyPatch(trx, spec, row, rest, now, result);
      if (outcome !== 'changed') {
        const collided = { table: spec.table, key: keyOf(spec, row) };
        if (await recordCollision(trx, collided, now)) {
          result.collisions.push(collided);
        }
        return;
      }
    }
    if (outcome === 'updated') {
      // A moved history row was counted with its history.
      if (!result.moved.has(row.id)) result.rewritten += 1;
      return;
    }
    // Written since it was read (by ingestion, which redacts): read it again and redo.
    row = await trx(spec.table)
      .where(keyOf(spec, row))
      .first(selectedColumns(spec));
  }
}

/** One batch in one transaction, retried whole when PostgreSQL picked it as a deadlock's victim. */
async function redactBatch(
  db: Knex,
  spec: TableSpec,
  rows: Record<string, unknown>[],
  now: number,
): Promise<BatchResult> {
  for (let attempt = 1; ; attempt++) {
    const result: BatchResult = {
      rewritten: 0,
      collisions: [],
      moved: new Set(),
    };
    try {
      await db.transaction(async trx => {
        for (const row of rows) await redactRow(trx, spec, row, now, result);
      });
      return result;
    } catch (error) {
      if (!isDeadlock(error) || attempt >= BATCH_ATTEMPTS) throw error;
    }
  }
}

/** Redacts one table; false when the signal stopped it. */
async function redactTable(
  db: Knex,
  spec: TableSpec,
  now: number,
  summary: RedactionSummary,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const columns = columnsOf(spec);
  let after: unknown[] | undefined;
  for (;;) {
    if (signal?.aborted) return false;
    const query = db(spec.table)
      .where(q => {
        for (const column of columns) {
          q.orWhere(column, 'like', '%@%').orWhere(column, 'like', '%=%');
        }
      })
      .orderBy(spec.key)
      .limit(BATCH)
      .select(selectedColumns(spec));
    if (after) {
      const last = after;
      // (k1, k2) > (a, b), spelled out: row-value comparison is not in every engine's knex.
      query.andWhere(q => {
        spec.key.forEach((column, i) => {
          q.orWhere(inner => {
            spec.key.slice(0, i).forEach((prior, j) => {
              inner.where(prior, last[j] as never);
            });
            inner.where(column, '>', last[i] as never);
          });
        });
      });
    }
    const rows: Record<string, unknown>[] = await query;
    if (rows.length === 0) return true;
    if (rows.some(row => Object.keys(redactedColumns(spec, row)).length > 0)) {
      const result = await redactBatch(db, spec, rows, now);
      summary.rewritten += result.rewritten;
      summary.collisions.push(...result.collisions);
    }
    const last = rows[rows.length - 1];
    after = spec.key.map(k => last[k]);
  }
}

/**
 * Redacts URL credentials in every stored row (see the top of this file): when no pass has
 * finished, or within the rollout window of the first; otherwise only reads the marker.
 */
export async function redactStoredCredentials(
  db: Knex,
  now: number,
  options: {
    signal?: AbortSignal;
    /** Called after each table the pass read. */
    onTable?: (table: string, summary: RedactionSummary) => void;
  } = {},
): Promise<RedactionSummary> {
  const summary: RedactionSummary = {
    rewritten: 0,
    collisions: [],
    ran: false,
    stopped: false,
  };
  const done = await db('evidence_sequences')
    .where({ name: DONE_MARKER })
    .first();
  if (done && now - Number(done.value) >= ROLLOUT_WINDOW_MS) return summary;
  summary.ran = true;
  for (const spec of REDACTED_TABLES) {
    if (!(await redactTable(db, spec, now, summary, options.signal))) {
      summary.stopped = true;
      return summary;
    }
    options.onTable?.(spec.table, summary);
  }
  // The first finished pass's start time; re-runs within the window leave it.
  await db('evidence_sequences')
    .insert({ name: DONE_MARKER, value: now })
    .onConflict('name')
    .ignore();
  return summary;
}

/** The log line of a row that kept its credentials ({@link CollidedRow}). */
function collisionMessage(row: CollidedRow): string {
  const key = JSON.stringify(row.key);
  const history = REDACTED_TABLES.find(s => s.table === row.table)?.historyOf;
  if (history) {
    return `evidence: ${row.table} rows under the key of a deleted ${history.table} row (the first ${key}) keep URL credentials in it: redacted, they would read as the history of the row holding that key (their other columns are redacted)`;
  }
  return `evidence: ${row.table} row ${key} keeps URL credentials in its natural key: redacted, it would equal another row's (its other columns are redacted)`;
}

/**
 * Runs {@link redactStoredCredentials} in the background and logs what it did. Start-up does
 * not wait for it: new writes are redacted already, so serving while it runs is no worse than
 * before the upgrade, and a large store no longer holds the plugin's start past its liveness
 * probe. Resolves (never rejects) once the pass finished, stopped or failed; a failed or
 * stopped pass is run again at the next start.
 */
export function startCredentialRedaction(options: {
  db: Knex;
  now: number;
  logger: Pick<LoggerService, 'info' | 'warn' | 'error'>;
  signal?: AbortSignal;
}): Promise<RedactionSummary | undefined> {
  const { logger } = options;
  return redactStoredCredentials(options.db, options.now, {
    signal: options.signal,
    onTable: (table, summary) =>
      logger.info(
        `evidence: redacting stored URL credentials: ${table} read, ${summary.rewritten} rows rewritten so far`,
      ),
  }).then(
    summary => {
      for (const row of summary.collisions) {
        logger.warn(collisionMessage(row));
      }
      if (summary.ran) {
        logger.info(
          `evidence: redacted URL credentials in ${
            summary.rewritten
          } stored rows${
            summary.collisions.length > 0
              ? `; ${summary.collisions.length} kept theirs in their natural key`
              : ''
          }${
            summary.stopped
              ? '; stopped by shutdown, the next start goes on'
              : ''
          }`,
        );
      }
      return summary;
    },
    error => {
      logger.error(
        `evidence: redacting stored URL credentials failed (the next start runs it again): ${error}`,
      );
      return undefined;
    },
  );
}
