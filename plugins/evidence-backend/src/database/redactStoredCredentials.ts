import {
  JsonValue,
  canonicalJson,
  fingerprint,
  redactCredentials,
  redactCredentialsDeep,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { nextSequence } from './EdgeWriter';

/**
 * Rows stored before ingestion redacted URL credentials (README, "Credentials in evidence")
 * are redacted once, by this pass, at start-up after the knex migrations. It is code rather
 * than a migration file so it runs evidence-common's own `redactCredentials` (knex loads
 * migrations as plain JavaScript, which would need a copy of the scans held to the original).
 *
 * - Only rows whose redactable columns hold an `@` or a `=` are read (no credential without
 *   one; JSON never escapes them), in keyset batches, and only rows that change are written,
 *   one statement each, outside any long transaction: an interrupted start leaves the work
 *   done and the next start finishes it.
 * - A fact's `value_fp` is recomputed from the redacted value, so the next identical write is
 *   the no-op it would be; rows with a write stamp get `updated_ms` = now, so mirrors polling
 *   `GET /entities/changed` re-read them; a redacted edge takes a new feed sequence.
 * - A row whose natural key would then equal another row's (two keys differing only in their
 *   credentials) is left as it is and counted in `collisions`, for the log: merging or dropping
 *   records is not this pass's decision.
 * - When every table is done a marker row (`evidence_sequences`) says so, and later starts
 *   only read that row.
 */

const DONE_MARKER = 'redacted-credentials-v1';
const BATCH = 200;

interface TableSpec {
  table: string;
  /** Primary key columns, the keyset order. */
  key: string[];
  /** Text columns and their width (PostgreSQL refuses wider text; 0 = unbounded). */
  text: Record<string, number>;
  /** Canonical JSON columns (spliced into responses unparsed). */
  json?: string[];
  /** JSON columns written with JSON.stringify (a stored response, replayed byte for byte). */
  plainJson?: string[];
  /** The column of a stamp for `GET /entities/changed`, set to now on a rewrite. */
  updatedMs?: string;
  /** Whether `value_fp` follows `value_json`. */
  valueFingerprint?: boolean;
  /** Whether a rewritten row takes a new edge-feed sequence. */
  edgeSequence?: boolean;
}

const FACT_COLUMNS = {
  text: { fact_key: 512 },
  json: ['value_json', 'provenance_json'],
  updatedMs: 'updated_ms',
  valueFingerprint: true,
};

/** Every table holding text a sender, a collector or a reader's error gave. */
export const REDACTED_TABLES: readonly TableSpec[] = [
  { table: 'evidence_facts', key: ['id'], ...FACT_COLUMNS },
  { table: 'evidence_fact_history', key: ['id'], ...FACT_COLUMNS },
  {
    table: 'evidence_changes',
    key: ['id'],
    text: {
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
    updatedMs: 'updated_ms',
  },
  {
    table: 'evidence_ci_runs',
    key: ['id'],
    text: {
      run_id: 255,
      workflow: 255,
      branch: 255,
      commit_sha: 64,
      event: 32,
      correlation_id: 255,
      url: 2048,
    },
    updatedMs: 'updated_ms',
  },
  {
    table: 'evidence_edges',
    key: ['id'],
    text: { source: 128, client: 255, server: 255 },
    updatedMs: 'updated_ms',
    edgeSequence: true,
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

/** What one pass did, for the log. */
export interface RedactionSummary {
  rewritten: number;
  collisions: number;
  /** False when an earlier pass had finished: nothing was read. */
  ran: boolean;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** Text redacted within its column's width (a userinfo of one or two characters grows). */
function redactText(text: string, width: number): string {
  const redacted = redactCredentials(text);
  return width > 0 && redacted.length > width
    ? redacted.slice(0, width)
    : redacted;
}

/** The JSON text redacted, or undefined when nothing changed or it is no JSON. */
function redactJsonText(
  text: string,
  write: (value: unknown) => string,
): { text: string; value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const redacted = redactCredentialsDeep(value);
  return redacted === value
    ? undefined
    : { text: write(redacted), value: redacted };
}

/** The columns of a row that redaction changes; empty when none. */
export function redactedColumns(
  spec: TableSpec,
  row: Record<string, unknown>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [column, width] of Object.entries(spec.text)) {
    const text = row[column];
    if (typeof text !== 'string') continue;
    const redacted = redactText(text, width);
    if (redacted !== text) patch[column] = redacted;
  }
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
    const redacted = redactJsonText(text, write);
    if (!redacted) continue;
    patch[column] = redacted.text;
    if (spec.valueFingerprint && column === 'value_json') {
      patch.value_fp = fingerprint(redacted.value as JsonValue);
    }
  }
  return patch;
}

async function redactTable(
  db: Knex,
  spec: TableSpec,
  now: number,
  summary: RedactionSummary,
): Promise<void> {
  const columns = [
    ...Object.keys(spec.text),
    ...(spec.json ?? []),
    ...(spec.plainJson ?? []),
  ];
  let after: unknown[] | undefined;
  for (;;) {
    const query = db(spec.table)
      .where(q => {
        for (const column of columns) {
          q.orWhere(column, 'like', '%@%').orWhere(column, 'like', '%=%');
        }
      })
      .orderBy(spec.key)
      .limit(BATCH)
      .select([...spec.key, ...columns]);
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
    if (rows.length === 0) return;
    for (const row of rows) {
      const patch = redactedColumns(spec, row);
      if (Object.keys(patch).length === 0) continue;
      const where = Object.fromEntries(spec.key.map(k => [k, row[k]]));
      try {
        await db.transaction(async trx => {
          if (spec.updatedMs) patch[spec.updatedMs] = now;
          if (spec.edgeSequence) patch.seq = await nextSequence(trx, 'edges');
          await trx(spec.table).where(where).update(patch);
        });
        summary.rewritten += 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        summary.collisions += 1;
      }
    }
    const last = rows[rows.length - 1];
    after = spec.key.map(k => last[k]);
  }
}

/**
 * Redacts URL credentials in every stored row once (see the top of this file); a later call
 * only reads the marker.
 */
export async function redactStoredCredentials(
  db: Knex,
  now: number,
): Promise<RedactionSummary> {
  const summary: RedactionSummary = { rewritten: 0, collisions: 0, ran: false };
  const done = await db('evidence_sequences')
    .where({ name: DONE_MARKER })
    .first();
  if (done) return summary;
  summary.ran = true;
  for (const spec of REDACTED_TABLES) {
    await redactTable(db, spec, now, summary);
  }
  await db('evidence_sequences')
    .insert({ name: DONE_MARKER, value: now })
    .onConflict('name')
    .ignore();
  return summary;
}
