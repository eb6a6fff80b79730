import {
  ChangeInput,
  ChangeStatus,
  Warning,
  applyChangeClock,
  canBeRolledBack,
  canonicalJson,
  clampToReceipt,
  decideChangeUpdate,
  normalizeChangeInput,
  subjectOf,
  timestampMs,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { newId } from './newId';
import { EvidenceHttpError } from '../service/httpErrors';
import {
  ChangeRow,
  joinFlags,
  ms,
  parseRollbackRef,
  splitFlags,
  storedChange,
} from './rows';
import { chunkRows } from './chunkRows';
import { lockNaturalKeys, naturalKeyLock } from './naturalKeyLocks';
import { asStoredTime } from './clampedTimes';
import { RowContext, WriteContext, WriteResult } from './writeContext';

const TABLE = 'evidence_changes';

/** The stored row in the sender's input form, for natural-key comparison (§3.5). */
function storedAsInput(row: ChangeRow): ChangeInput {
  const record = storedChange(row);
  const input: Record<string, unknown> = {
    kind: record.kind,
    environment: record.environment,
    ref: record.ref,
    version: record.version,
    summary: record.summary,
    actor: record.actor,
    source: record.source,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    status: record.status,
    rollbackOf: parseRollbackRef(row),
    remediationFor: record.remediationFor,
    correlationId: record.correlationId,
    attributes: record.attributes,
  };
  if (row.subject.startsWith('alias:')) input.alias = row.alias;
  else input.entityRef = row.subject;
  for (const key of Object.keys(input)) {
    if (input[key] === undefined) delete input[key];
  }
  return input as ChangeInput;
}

function without<T>(list: T[], value: T): T[] {
  return list.filter(item => item !== value);
}

async function markRolledBack(
  ctx: WriteContext,
  targetId: string,
): Promise<void> {
  const target = await ctx
    .trx<ChangeRow>(TABLE)
    .where({ id: targetId })
    .first();
  if (target && canBeRolledBack(target.status as ChangeStatus)) {
    await ctx
      .trx(TABLE)
      .where({ id: targetId })
      .update({ status: 'rolled-back', updated_ms: ctx.now });
  }
}

async function findRollbackTarget(
  ctx: WriteContext,
  rollbackOf: NonNullable<ChangeInput['rollbackOf']>,
): Promise<ChangeRow | undefined> {
  const query = ctx.trx<ChangeRow>(TABLE);
  return typeof rollbackOf === 'string'
    ? query.where({ id: rollbackOf }).first()
    : query
        .where({
          source_system: rollbackOf.system,
          external_id: rollbackOf.externalId,
        })
        .first();
}

async function updateChange(
  ctx: WriteContext,
  row: ChangeRow,
  input: ChangeInput,
): Promise<WriteResult> {
  // Only finishedAt is clamped at receipt (startedAt is kept as sent, effectiveAt carries skew).
  const incoming: ChangeInput = {
    ...input,
    finishedAt: asStoredTime(
      input.finishedAt,
      { storedMs: row.finished_ms, flags: row.flags },
      ctx.options.maxSkewSeconds,
    ),
  };
  if (incoming.finishedAt === undefined) delete incoming.finishedAt;
  const decision = decideChangeUpdate(storedAsInput(row), incoming);
  if (decision.decision === 'conflict') {
    throw new EvidenceHttpError(decision.error);
  }
  if (decision.decision === 'unchanged') {
    return {
      status: 200,
      id: row.id,
      response: { record: storedChange(row), warnings: [], unchanged: true },
    };
  }
  const next = decision.next;
  const warnings: Warning[] = [];
  let flags = splitFlags<string>(row.flags);
  let finishedMs: number | null =
    row.finished_ms === null ? null : ms(row.finished_ms);
  if (next.finishedAt !== undefined) {
    const clamped = clampToReceipt(
      next.finishedAt,
      ctx.nowIso,
      ctx.options.maxSkewSeconds,
    );
    finishedMs = timestampMs(clamped.value);
    if (clamped.skewed) {
      flags = [...flags, 'SKEWED'];
      warnings.push({
        code: 'SKEWED',
        field: 'finishedAt',
        message: `finishedAt is more than ${ctx.options.maxSkewSeconds} s ahead of the server clock; read as ${clamped.value}`,
      });
    }
  }
  // A rollback that succeeded while this change was still running named it: once the change
  // finishes it is rolled back, as when the rollback arrives after it finished (§3.5).
  const rolledBackMeanwhile =
    canBeRolledBack(next.status) &&
    !canBeRolledBack(row.status as ChangeStatus) &&
    (await ctx
      .trx<ChangeRow>(TABLE)
      .where({ rollback_of: row.id, status: 'succeeded' })
      .first('id')) !== undefined;
  await ctx
    .trx(TABLE)
    .where({ id: row.id })
    .update({
      status: rolledBackMeanwhile ? 'rolled-back' : next.status,
      finished_ms: finishedMs,
      source_url: next.source.url ?? null,
      attributes_json: canonicalJson(next.attributes),
      flags: joinFlags(flags),
      updated_ms: ctx.now,
    });
  // A rollback that only now succeeded reverses its (known) target.
  if (
    next.status === 'succeeded' &&
    row.status !== 'succeeded' &&
    row.rollback_of
  ) {
    await markRolledBack(ctx, row.rollback_of);
  }
  const updated = await ctx.trx<ChangeRow>(TABLE).where({ id: row.id }).first();
  return {
    status: 200,
    id: row.id,
    changeIds: [row.id],
    entityRefs: row.entity_ref ? [row.entity_ref] : [],
    response: { record: storedChange(updated!), warnings },
  };
}

/** A new change built from its input alone, before rollback links are made. */
interface ChangeDraft {
  row: ChangeRow;
  flags: string[];
  warnings: Warning[];
  normalized: ReturnType<typeof normalizeChangeInput>;
}

function draftChange(ctx: RowContext, input: ChangeInput): ChangeDraft {
  const normalized = normalizeChangeInput(input);
  const subject = subjectOf(normalized);
  const resolution = ctx.resolver.resolveSubject(subject);
  const clock = applyChangeClock({
    startedAt: normalized.startedAt,
    finishedAt: normalized.finishedAt,
    receivedAt: ctx.nowIso,
    maxSkewSeconds: ctx.options.maxSkewSeconds,
  });
  const warnings: Warning[] = [];
  if (resolution.warning) warnings.push(resolution.warning);
  if (normalized.environmentRaw !== undefined) {
    warnings.push({
      code: 'ENVIRONMENT_CANONICALIZED',
      field: 'environment',
      message: `environment "${normalized.environmentRaw}" is stored as "${normalized.environment}"`,
    });
  }
  if (clock.flags.includes('SKEWED')) {
    warnings.push({
      code: 'SKEWED',
      message: `timestamps more than ${ctx.options.maxSkewSeconds} s ahead of the server clock are read as the receipt time ${ctx.nowIso}`,
    });
  }
  if (clock.flags.includes('LATE')) {
    warnings.push({
      code: 'LATE',
      message:
        'received more than 24 h after the change ended; stored as a backfill',
    });
  }
  const attributes = normalized.attributes as Record<string, unknown>;
  const row: ChangeRow = {
    id: newId(ctx.now),
    subject,
    entity_ref: resolution.entityRef,
    alias: normalized.alias ?? null,
    resolution: resolution.resolution,
    kind: normalized.kind,
    environment: normalized.environment,
    environment_raw: normalized.environmentRaw ?? null,
    ref: normalized.ref,
    version: normalized.version ?? null,
    summary: normalized.summary,
    actor_type: normalized.actor.type,
    actor_id: normalized.actor.id,
    source_system: normalized.source.system,
    external_id: normalized.source.externalId,
    source_url: normalized.source.url ?? null,
    started_ms: timestampMs(normalized.startedAt),
    finished_ms: clock.finishedAt ? timestampMs(clock.finishedAt) : null,
    status: normalized.status,
    effective_ms: timestampMs(clock.effectiveAt),
    received_ms: ctx.now,
    updated_ms: ctx.now,
    rollback_of: null,
    rollback_of_ref:
      normalized.rollbackOf === undefined
        ? null
        : canonicalJson(normalized.rollbackOf),
    remediation_for: normalized.remediationFor ?? null,
    correlation_id: normalized.correlationId ?? null,
    artifact_digest:
      typeof attributes.artifactDigest === 'string'
        ? attributes.artifactDigest
        : null,
    attributes_json: canonicalJson(normalized.attributes),
    flags: '',
    warnings_json: '',
    risk_json: null,
    idempotency_key: ctx.idempotencyKey ?? '',
    demo: ctx.demo,
  };
  return { row, flags: [...clock.flags], warnings, normalized };
}

function sealChange(draft: ChangeDraft): ChangeRow {
  return {
    ...draft.row,
    flags: joinFlags(draft.flags),
    warnings_json: JSON.stringify(draft.warnings),
  };
}

/**
 * The row and response of a change that is new by idempotency key and natural key and takes
 * part in no rollback link, so a batch can insert it with set-based statements (§3.6).
 */
export function newChangeRow(
  ctx: RowContext,
  input: ChangeInput,
): { row: ChangeRow; result: WriteResult } {
  const draft = draftChange(ctx, input);
  const row = sealChange(draft);
  return { row, result: createdChangeResult(row, draft.warnings, []) };
}

function createdChangeResult(
  row: ChangeRow,
  warnings: Warning[],
  linkedIds: string[],
): WriteResult {
  return {
    status: 201,
    id: row.id,
    changeIds: [row.id, ...linkedIds],
    entityRefs: row.entity_ref ? [row.entity_ref] : [],
    response: { record: storedChange(row), warnings },
  };
}

/**
 * Adds changes to the per-(entity, kind, environment) coverage (§2.3) with one upsert of
 * aggregated rows, sorted so concurrent batches lock coverage rows in the same order.
 */
export async function addChangeCoverage(
  trx: Knex.Transaction,
  rows: Pick<
    ChangeRow,
    'entity_ref' | 'subject' | 'kind' | 'environment' | 'effective_ms'
  >[],
): Promise<void> {
  const coverage = new Map<
    string,
    {
      entity_ref: string;
      kind: string;
      environment: string;
      first_ms: number;
      last_ms: number;
      count: number;
    }
  >();
  for (const row of rows) {
    const entityRef = row.entity_ref ?? row.subject;
    const key = JSON.stringify([entityRef, row.kind, row.environment]);
    const effective = ms(row.effective_ms);
    const entry = coverage.get(key);
    if (entry) {
      entry.first_ms = Math.min(entry.first_ms, effective);
      entry.last_ms = Math.max(entry.last_ms, effective);
      entry.count += 1;
    } else {
      coverage.set(key, {
        entity_ref: entityRef,
        kind: row.kind,
        environment: row.environment,
        first_ms: effective,
        last_ms: effective,
        count: 1,
      });
    }
  }
  const sorted = [...coverage.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1)) // keys are distinct
    .map(([, value]) => value);
  for (const chunk of chunkRows(trx, sorted, 6)) {
    await trx('evidence_change_coverage')
      .insert(chunk)
      .onConflict(['entity_ref', 'kind', 'environment'])
      .merge({
        first_ms: trx.raw(
          'CASE WHEN excluded.first_ms < evidence_change_coverage.first_ms THEN excluded.first_ms ELSE evidence_change_coverage.first_ms END',
        ),
        last_ms: trx.raw(
          'CASE WHEN excluded.last_ms > evidence_change_coverage.last_ms THEN excluded.last_ms ELSE evidence_change_coverage.last_ms END',
        ),
        count: trx.raw('evidence_change_coverage.count + excluded.count'),
      });
  }
}

async function insertChange(
  ctx: WriteContext,
  input: ChangeInput,
): Promise<WriteResult> {
  const draft = draftChange(ctx, input);
  const { normalized, warnings, flags } = draft;
  const id = draft.row.id;
  let status: ChangeStatus = normalized.status;

  if (normalized.rollbackOf !== undefined) {
    const target = await findRollbackTarget(ctx, normalized.rollbackOf);
    if (target) {
      draft.row.rollback_of = target.id;
      if (status === 'succeeded') await markRolledBack(ctx, target.id);
    } else {
      flags.push('ROLLBACK_TARGET_UNKNOWN');
      warnings.push({
        code: 'ROLLBACK_TARGET_UNKNOWN',
        field: 'rollbackOf',
        message: `rollback target ${
          typeof normalized.rollbackOf === 'string'
            ? normalized.rollbackOf
            : `${normalized.rollbackOf.system}/${normalized.rollbackOf.externalId}`
        } is not in the ledger yet; it is linked when it arrives`,
      });
    }
  }

  // Rollbacks that arrived before this change name it by natural key: link them now (IB R11).
  const waiting = await ctx
    .trx<ChangeRow>(TABLE)
    .where({ rollback_of_ref: changeNaturalKeyRef(normalized.source) })
    .whereNull('rollback_of');
  for (const rollback of waiting) {
    await ctx
      .trx(TABLE)
      .where({ id: rollback.id })
      .update({
        rollback_of: id,
        flags: joinFlags(
          without(splitFlags(rollback.flags), 'ROLLBACK_TARGET_UNKNOWN'),
        ),
        updated_ms: ctx.now,
      });
    if (rollback.status === 'succeeded' && canBeRolledBack(status)) {
      status = 'rolled-back';
    }
  }

  draft.row.status = status;
  const row = sealChange(draft);
  await ctx.trx(TABLE).insert(row);
  await addChangeCoverage(ctx.trx, [row]);

  const stored = await ctx.trx<ChangeRow>(TABLE).where({ id }).first();
  return createdChangeResult(
    stored!,
    warnings,
    waiting.map(w => w.id),
  );
}

/** How a waiting rollback names its target in `rollback_of_ref` (§3.5). */
export function changeNaturalKeyRef(source: {
  system: string;
  externalId: string;
}): string {
  return canonicalJson({
    system: source.system,
    externalId: source.externalId,
  });
}

/**
 * The records a change write reads and may write: the change itself and the change it rolls
 * back, which may be arriving at the same moment (IB R11: each links the other when it lands).
 */
async function changeLocks(
  ctx: WriteContext,
  input: ChangeInput,
): Promise<string[]> {
  const locks = [changeLock(input.source)];
  const { rollbackOf } = input;
  if (typeof rollbackOf === 'object') locks.push(changeLock(rollbackOf));
  if (typeof rollbackOf === 'string') {
    // A target named by id was stored before; its natural key never changes.
    const target = await ctx
      .trx<ChangeRow>(TABLE)
      .where({ id: rollbackOf })
      .first('source_system', 'external_id');
    if (target) {
      locks.push(
        changeLock({
          system: target.source_system,
          externalId: target.external_id,
        }),
      );
    }
  }
  return locks;
}

/** The lock of a change by its natural key (`lockNaturalKeys`). */
export function changeLock(source: { system: string; externalId: string }) {
  return naturalKeyLock('change', [source.system, source.externalId]);
}

/** Writes one validated change: a new record, a natural-key update or `unchanged` (§3.5). */
export async function writeChange(
  ctx: WriteContext,
  input: ChangeInput,
): Promise<WriteResult> {
  await lockNaturalKeys(ctx.trx, await changeLocks(ctx, input));
  const existing = await ctx
    .trx<ChangeRow>(TABLE)
    .where({
      source_system: input.source.system,
      external_id: input.source.externalId,
    })
    .first();
  return existing
    ? updateChange(ctx, existing, input)
    : insertChange(ctx, input);
}
