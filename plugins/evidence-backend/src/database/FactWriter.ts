import {
  FactInput,
  JsonValue,
  Warning,
  applyFactClock,
  canonicalJson,
  decideFactWrite,
  fingerprint,
  subjectOf,
  timestampMs,
  toIsoTimestamp,
} from '@internal/plugin-evidence-common';
import { recordDetachedRefs } from './detachedRefs';
import { newId } from './newId';
import { lockNaturalKeys, naturalKeyLock } from './naturalKeyLocks';
import { FactRow, factFromRow, joinFlags } from './rows';
import { RowContext, WriteContext, WriteResult } from './writeContext';
import type { SubjectResolution } from '../service/AliasResolver';

/** A fact after schema and kind validation, in the form both pushes and collectors write. */
export interface FactWrite {
  entityRef?: string;
  alias?: string;
  source: string;
  kind: string;
  key: string;
  value: JsonValue;
  observedAt: string;
  freshForSeconds: number;
  provenance: Record<string, string>;
}

/** Turns a validated pushed {@link FactInput} into a {@link FactWrite}. */
export function factWriteFromInput(
  input: FactInput,
  freshForSeconds: number,
  ctx: Pick<WriteContext, 'principal' | 'idempotencyKey'>,
): FactWrite {
  const provenance: Record<string, string> = { ...(input.provenance ?? {}) };
  if (ctx.idempotencyKey) provenance.idempotencyKey = ctx.idempotencyKey;
  provenance.principal = ctx.principal;
  return {
    entityRef: input.entityRef,
    alias: input.alias,
    source: input.source,
    kind: input.kind,
    key: input.key ?? '',
    value: input.value,
    observedAt: input.observedAt,
    freshForSeconds,
    provenance,
  };
}

const FLAG_MESSAGES: Record<string, (ctx: RowContext) => string> = {
  SKEWED: ctx =>
    `observedAt is more than ${ctx.options.maxSkewSeconds} s ahead of collectedAt; stored at ${ctx.nowIso}`,
  STALE_ON_ARRIVAL: () =>
    'observedAt is already past its freshness window at receipt',
  OUT_OF_ORDER: () =>
    'observedAt is older than the latest value; kept in history only',
};

/** A decided fact write: the rows it touches and its result, built without the database. */
export interface FactWritePlan {
  subject: string;
  decision: ReturnType<typeof decideFactWrite>;
  row: FactRow;
  result: WriteResult;
}

/** The natural key of a fact's latest row, `(subject, source, kind, key)` (§3.5). */
export function factNaturalKey(fact: {
  entityRef?: string;
  alias?: string;
  source: string;
  kind: string;
  key: string;
}): [string, string, string, string] {
  return [subjectOf(fact), fact.source, fact.kind, fact.key];
}

/** Decides one fact version against its latest row by the rules of §3.5 (`decideFactWrite`). */
export function planFactWrite(
  ctx: RowContext,
  fact: FactWrite,
  latest:
    | Pick<
        FactRow,
        'id' | 'observed_ms' | 'value_fp' | 'entity_ref' | 'resolution'
      >
    | undefined,
): FactWritePlan {
  const subject = subjectOf(fact);
  // Before the alias map's first load (a replica just started) every subject would read as
  // unknown: a new version of a stored fact keeps the row's resolution instead of leaving its
  // entity until the next re-resolution. A first value is stored unresolved and re-resolved.
  const resolution: SubjectResolution =
    latest && !ctx.resolver.isLoaded
      ? {
          entityRef: latest.entity_ref,
          resolution:
            latest.resolution === 'resolved' ? 'resolved' : 'unresolved',
        }
      : ctx.resolver.resolveSubject(subject);
  const clock = applyFactClock({
    observedAt: fact.observedAt,
    collectedAt: ctx.nowIso,
    freshForSeconds: fact.freshForSeconds,
    maxSkewSeconds: ctx.options.maxSkewSeconds,
    historySeconds: ctx.options.retention.factHistorySeconds,
  });
  if (!clock.ok) {
    // validateFactRules refuses these before a write; collectors never send them.
    throw new RangeError(`observedAt ${clock.observedAt} is beyond history`);
  }
  const valueJson = canonicalJson(fact.value);
  const valueFp = fingerprint(fact.value);
  const decision = decideFactWrite(
    latest && {
      observedAt: toIsoTimestamp(Number(latest.observed_ms)),
      valueFingerprint: latest.value_fp,
    },
    { observedAt: clock.observedAt, valueFingerprint: valueFp },
  );
  const flags: string[] = [...clock.flags];
  if (decision.decision === 'out-of-order') flags.push(decision.flag);
  const warnings: Warning[] = [];
  if (resolution.warning) warnings.push(resolution.warning);
  for (const flag of flags) {
    warnings.push({
      code: flag as Warning['code'],
      field:
        flag === 'OUT_OF_ORDER' || flag === 'SKEWED' ? 'observedAt' : undefined,
      message: FLAG_MESSAGES[flag](ctx),
    } as Warning);
  }
  for (const w of warnings) if (w.field === undefined) delete w.field;

  const observedMs = timestampMs(clock.observedAt);
  const expiresMs = timestampMs(clock.expiresAt);
  const id = decision.decision === 'reconfirmed' ? latest!.id : newId(ctx.now);
  const row: FactRow = {
    id,
    subject,
    entity_ref: resolution.entityRef,
    resolution: resolution.resolution,
    source: fact.source,
    kind: fact.kind,
    fact_key: fact.key,
    value_json: valueJson,
    value_fp: valueFp,
    observed_ms: observedMs,
    collected_ms: ctx.now,
    fresh_for_s: fact.freshForSeconds,
    expires_ms: expiresMs,
    provenance_json: canonicalJson(fact.provenance),
    flags: joinFlags(flags),
    demo: ctx.demo,
    updated_ms: ctx.writtenAt ?? ctx.now,
  };
  return {
    subject,
    decision,
    row,
    result: {
      status: decision.status,
      id,
      entityRefs: resolution.entityRef ? [resolution.entityRef] : [],
      response: { record: factFromRow(row), warnings },
    },
  };
}

/** The lock of a fact's latest value by its natural key (`lockNaturalKeys`). */
export function factLock(naturalKey: string[]) {
  return naturalKeyLock('fact', naturalKey);
}

/** Writes one fact version by the rules of §3.5 (`decideFactWrite`): 201 new value, 200 otherwise. */
export async function writeFact(
  ctx: WriteContext,
  fact: FactWrite,
): Promise<WriteResult> {
  const [subject, source, kind, key] = factNaturalKey(fact);
  await lockNaturalKeys(ctx.trx, [factLock([subject, source, kind, key])]);
  const latest = await ctx
    .trx<FactRow>('evidence_facts')
    .where({ subject, source, kind, fact_key: key })
    .first();
  const { decision, row, result } = planFactWrite(ctx, fact, latest);
  if (decision.historyRow) {
    await ctx
      .trx('evidence_fact_history')
      .insert({ ...row, granularity: 'raw' });
  }
  if (decision.updatesLatest) {
    if (latest) {
      // A write resolves the subject anew: after an alias moved the row leaves its old entity.
      await recordDetachedRefs(
        ctx.trx,
        [latest.entity_ref],
        [row.entity_ref],
        ctx.writtenAt ?? ctx.now,
      );
      await ctx.trx('evidence_facts').where({ id: latest.id }).update(row);
    } else {
      await ctx.trx('evidence_facts').insert(row);
    }
  }
  return result;
}
