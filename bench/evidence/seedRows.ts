/**
 * Direct-SQL seeding shared by the evidence benches: rows of the store's tables written in
 * multi-row statements; the latest facts, collection statuses and observed edges of `count`
 * entities as `read.bench.ts` describes them (12 facts of ≈ 250 B values, 2 sources, 3 edges);
 * and change histories (`seedChangeHistory`).
 */
import { Knex } from 'knex';

const KINDS = [
  'repo.files',
  'repo.settings',
  'ci.summary',
  'ci.security',
  'oncall.schedule',
  'telemetry.presence',
  'alerts.rules',
  'slo.definitions',
  'slo.status',
  'vulns.summary',
  'backup.status',
  'cost.monthly',
];
const DAY = 86_400_000;

/** A store id: `prefix` and `n` in base 36, 26 characters. */
export const seedId = (prefix: string, n: number) =>
  `${prefix}${n.toString(36).toUpperCase().padStart(25, '0')}`.slice(0, 26);

/** A canonical JSON value of about 250 bytes. */
function value(i: number, k: number): string {
  const body = JSON.stringify({
    entity: `bench-${i}`,
    kind: KINDS[k],
    paths: ['README.md', 'CODEOWNERS', '.github/workflows/ci.yaml'],
    pad: '',
  });
  return body.replace(
    '"pad":""',
    `"pad":"${'x'.repeat(Math.max(0, 250 - body.length))}"`,
  );
}

export async function insertAll(
  knex: Knex,
  table: string,
  count: number,
  row: (n: number) => Record<string, unknown>,
  rowsPerStatement: number,
) {
  for (let start = 0; start < count; start += rowsPerStatement) {
    const rows = [];
    for (let n = start; n < Math.min(count, start + rowsPerStatement); n++) {
      rows.push(row(n));
    }
    await knex(table).insert(rows);
  }
}

/**
 * Of each of `count` entities (`ref(i)`): 12 latest facts, a collection status per source and
 * 3 observed edges to the next entities, as of `now`.
 */
export async function seedFactsCollectionEdges(
  trx: Knex,
  count: number,
  ref: (i: number) => string,
  now: number,
  per: number,
) {
  await insertAll(
    trx,
    'evidence_facts',
    count * 12,
    n => {
      const i = Math.floor(n / 12);
      const k = n % 12;
      return {
        id: seedId('F', n),
        subject: ref(i),
        entity_ref: ref(i),
        resolution: 'resolved',
        source: k < 2 ? 'repo' : 'prometheus',
        kind: KINDS[k],
        fact_key: '',
        value_json: value(i, k),
        value_fp: `sha256:${n.toString(16).padStart(64, '0')}`,
        observed_ms: now - 3_600_000,
        collected_ms: now - 3_600_000,
        fresh_for_s: 86_400,
        expires_ms: now + 82_800_000,
        provenance_json: '{"collector":"prometheus"}',
        flags: '',
        demo: false,
        updated_ms: now - 3_600_000,
      };
    },
    per,
  );
  await insertAll(
    trx,
    'evidence_collection_status',
    count * 2,
    n => ({
      entity_ref: ref(Math.floor(n / 2)),
      source: n % 2 === 0 ? 'repo' : 'prometheus',
      last_attempt_ms: now - 600_000,
      last_success_ms: now - 600_000,
      error: null,
      detail: null,
    }),
    per,
  );
  await insertAll(
    trx,
    'evidence_edges',
    count * 3,
    n => {
      const i = Math.floor(n / 3);
      const j = (i + 1 + (n % 3)) % count;
      return {
        id: seedId('E', n),
        source: 'prometheus',
        client: `bench-${i}`,
        server: `bench-${j}`,
        connection_type: '',
        client_ref: ref(i),
        server_ref: ref(j),
        dependent_ref: ref(i),
        dependency_ref: ref(j),
        interaction: 'sync',
        alias_conflict: false,
        first_seen_ms: now - 30 * DAY,
        last_seen_ms: now - 600_000,
        collected_ms: now - 600_000,
        rpm: 120,
        error_ratio: 0.001,
        seq: n + 1,
        demo: false,
      };
    },
    per,
  );
}

/**
 * The `n`-th seeded `evidence_changes` row, of `ref`: a change by a bot through
 * `github-actions`, started at `startedMs` and finished 5 minutes later (when it was written
 * and took effect), with what differs between changes in `fields`.
 */
export function seededChangeRow(
  n: number,
  ref: string,
  startedMs: number,
  fields: {
    kind: string;
    environment: string;
    ref: string;
    version: string | null;
    summary: string;
    status: string;
    artifactDigest: string | null;
    attributesJson: string;
  },
): Record<string, unknown> {
  return {
    id: seedId('C', n),
    subject: ref,
    entity_ref: ref,
    alias: null,
    resolution: 'resolved',
    kind: fields.kind,
    environment: fields.environment,
    environment_raw: null,
    ref: fields.ref,
    version: fields.version,
    summary: fields.summary,
    actor_type: 'bot',
    actor_id: 'github-actions',
    source_system: 'github-actions',
    external_id: `seed-${n}`,
    source_url: null,
    started_ms: startedMs,
    finished_ms: startedMs + 300_000,
    status: fields.status,
    effective_ms: startedMs,
    received_ms: startedMs,
    updated_ms: startedMs + 300_000,
    rollback_of: null,
    rollback_of_ref: null,
    remediation_for: null,
    correlation_id: null,
    artifact_digest: fields.artifactDigest,
    attributes_json: fields.attributesJson,
    flags: '',
    warnings_json: '[]',
    risk_json: null,
    idempotency_key: `seed-${n}`,
    demo: false,
  };
}

/**
 * Of each of `count` entities (`ref(i)`), `changesOf(i)` changes at `perDayOf(i)` a day, the
 * newest an hour before `now`, going back: production and staging deploys and config changes
 * (every third a config change, every third a staging deploy), a new artifact per deploy, one
 * in twenty failed. Returns how many were written.
 */
export async function seedChangeHistory(
  trx: Knex,
  options: {
    count: number;
    ref: (i: number) => string;
    changesOf: (i: number) => number;
    perDayOf: (i: number) => number;
    now: number;
    per: number;
  },
): Promise<number> {
  const { count, ref, changesOf, perDayOf, now, per } = options;
  let n = 0;
  let rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const perDay = perDayOf(i);
    for (let k = 0; k < changesOf(i); k++, n++) {
      const started = Math.round(now - (k / perDay) * DAY - 3_600_000);
      const kind = k % 3 === 2 ? 'config' : 'deploy';
      const digest = `sha256:${n.toString(16).padStart(64, '0')}`;
      rows.push(
        seededChangeRow(n, ref(i), started, {
          kind,
          environment: k % 3 === 1 ? 'staging' : 'production',
          ref: `v${k}`,
          version: `1.${k}.0`,
          summary: `Change ${k} of bench-${i}`,
          status: k % 20 === 7 ? 'failed' : 'succeeded',
          artifactDigest: kind === 'deploy' ? digest : null,
          attributesJson:
            kind === 'deploy'
              ? `{"artifactDigest":"${digest}","exposure":{"analysis":true,"from":0,"strategy":"canary","to":100}}`
              : '{"keys":["checkout.timeout"],"scope":"global"}',
        }),
      );
      if (rows.length === per) {
        await trx('evidence_changes').insert(rows);
        rows = [];
      }
    }
  }
  if (rows.length > 0) await trx('evidence_changes').insert(rows);
  return n;
}
