import {
  CI_STATUSES,
  CiRunInput,
  Warning,
  canonicalJson,
  clampToReceipt,
  evidenceError,
  evidenceMessages,
  normalizeEntityRef,
  normalizeTimestamp,
  subjectOf,
  timestampMs,
} from '@internal/plugin-evidence-common';
import { ulid } from 'ulid';
import { EvidenceHttpError } from '../service/httpErrors';
import { asStoredTime } from './clampedTimes';
import { lockNaturalKeys, naturalKeyLock } from './naturalKeyLocks';
import { CiRunRow, ciRunFromRow, joinFlags, splitFlags } from './rows';
import { WriteContext, WriteResult } from './writeContext';

const TABLE = 'evidence_ci_runs';
// Fields a later event of the same attempt may fill in; everything else is the run's identity.
// Once stored, only `status` still changes (forward): a finish, start, failure domain or link
// moved after the fact would move the run in or out of `ci.summary`'s window, or blame a
// passing run on a test, under a 200 (§3.5: other fields are immutable).
const MUTABLE = new Set([
  'status',
  'conclusion',
  'startedAt',
  'finishedAt',
  'failureDomain',
  'url',
]);

/**
 * A validated CI run in the form it is stored and compared (§3.4, §3.5): lower-case entity ref
 * and repository (as in the row's `subject`), millisecond UTC timestamps. The stored form is
 * normalized already; a sender re-posting the run as it first sent it (`…T01:00:00Z`,
 * `Component:default/Checkout`) is sending the same values.
 * TODO(evidence-common): move next to normalizeChangeInput once the common package owns it.
 */
export function normalizeCiRunInput(input: CiRunInput): CiRunInput {
  const out: CiRunInput = { ...input };
  if (input.entityRef !== undefined) {
    out.entityRef = normalizeEntityRef(input.entityRef) ?? input.entityRef;
  }
  if (input.repository !== undefined) {
    out.repository = input.repository.trim().toLowerCase();
  }
  for (const field of ['queuedAt', 'startedAt', 'finishedAt'] as const) {
    const value = input[field];
    if (value !== undefined) out[field] = normalizeTimestamp(value);
  }
  return out;
}

/**
 * Decides a CI-run update for an existing `(provider, runId, attempt)` (§3.5): status moves
 * forward only; `conclusion`, the times, the failure domain and the link are set once (a later
 * event fills them in); other fields are immutable. Both sides are compared
 * in their normalized form ({@link normalizeCiRunInput}), as changes are.
 * TODO(evidence-common): move next to decideChangeUpdate once the common package owns it.
 */
export function decideCiRunUpdate(
  storedInput: CiRunInput,
  incomingInput: CiRunInput,
):
  | { decision: 'unchanged' | 'update' }
  | { decision: 'conflict'; error: ReturnType<typeof evidenceError> } {
  const stored = normalizeCiRunInput(storedInput);
  const incoming = normalizeCiRunInput(incomingInput);
  const naturalKey = `${stored.provider}/${stored.runId}/${stored.attempt}`;
  const keys = [
    ...new Set([...Object.keys(stored), ...Object.keys(incoming)]),
  ].sort();
  const show = (v: unknown) =>
    v === undefined ? '(none)' : canonicalJson(v as never);
  const s = stored as Record<string, unknown>;
  const i = incoming as Record<string, unknown>;
  for (const key of keys) {
    const immutable =
      !MUTABLE.has(key) || (key !== 'status' && s[key] !== undefined);
    if (immutable && i[key] !== undefined && show(s[key]) !== show(i[key])) {
      return {
        decision: 'conflict',
        error: evidenceError(
          'IMMUTABLE_FIELD',
          evidenceMessages.immutableField({
            field: key,
            naturalKey,
            stored: show(s[key]),
            got: show(i[key]),
          }),
          { field: key },
        ),
      };
    }
  }
  if (
    CI_STATUSES.indexOf(incoming.status) < CI_STATUSES.indexOf(stored.status)
  ) {
    return {
      decision: 'conflict',
      error: evidenceError(
        'INVALID_TRANSITION',
        evidenceMessages.invalidTransition({
          from: stored.status,
          to: incoming.status,
          naturalKey,
        }),
        { field: 'status' },
      ),
    };
  }
  const changed = keys.some(
    k => i[k] !== undefined && show(s[k]) !== show(i[k]),
  );
  return { decision: changed ? 'update' : 'unchanged' };
}

const TIME_COLUMNS = [
  ['queuedAt', 'queued_ms'],
  ['startedAt', 'started_ms'],
  ['finishedAt', 'finished_ms'],
] as const;

/**
 * The incoming run with each time in the form the stored row holds it ({@link asStoredTime}):
 * a time clamped at the receipt that wrote it, sent again, compares equal and stays put.
 */
function asStoredRun(
  input: CiRunInput,
  row: CiRunRow,
  maxSkewSeconds: number,
): CiRunInput {
  const out: CiRunInput = { ...input };
  for (const [field, column] of TIME_COLUMNS) {
    const value = asStoredTime(
      input[field],
      { storedMs: row[column], flags: row.flags },
      maxSkewSeconds,
    );
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function storedAsInput(row: CiRunRow): CiRunInput {
  const run = ciRunFromRow(row) as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const key of [
    'provider',
    'runId',
    'attempt',
    'workflow',
    'branch',
    'defaultBranch',
    'commitSha',
    'event',
    'status',
    'conclusion',
    'queuedAt',
    'startedAt',
    'finishedAt',
    'failureDomain',
    'correlationId',
    'url',
  ]) {
    if (run[key] !== undefined) input[key] = run[key];
  }
  if (row.subject.startsWith('repo:')) input.repository = row.repository;
  else input.entityRef = row.subject;
  return input as CiRunInput;
}

/** Writes one validated CI run: insert (201), forward update (200) or unchanged (200). */
export async function writeCiRun(
  ctx: WriteContext,
  sent: CiRunInput,
): Promise<WriteResult> {
  await lockNaturalKeys(ctx.trx, [
    naturalKeyLock('ci-run', [sent.provider, sent.runId, sent.attempt]),
  ]);
  const existing = await ctx
    .trx<CiRunRow>(TABLE)
    .where({
      provider: sent.provider,
      run_id: sent.runId,
      attempt: sent.attempt,
    })
    .first();
  const input = existing
    ? asStoredRun(sent, existing, ctx.options.maxSkewSeconds)
    : sent;
  const warnings: Warning[] = [];
  const flags: string[] = [];
  const times: Record<string, number | null> = {};
  for (const [field, column] of TIME_COLUMNS) {
    const value = input[field];
    if (value === undefined) {
      times[column] = null;
      continue;
    }
    const clamped = clampToReceipt(
      value,
      ctx.nowIso,
      ctx.options.maxSkewSeconds,
    );
    times[column] = timestampMs(clamped.value);
    if (clamped.skewed && !flags.includes('SKEWED')) {
      flags.push('SKEWED');
      warnings.push({
        code: 'SKEWED',
        field,
        message: `${field} is more than ${ctx.options.maxSkewSeconds} s ahead of the server clock; read as ${clamped.value}`,
      });
    }
  }
  if (existing) {
    const decision = decideCiRunUpdate(storedAsInput(existing), input);
    if (decision.decision === 'conflict')
      throw new EvidenceHttpError(decision.error);
    if (decision.decision === 'unchanged') {
      return {
        status: 200,
        id: existing.id,
        response: {
          record: ciRunFromRow(existing),
          warnings: [],
          unchanged: true,
        },
      };
    }
    const patch: Partial<CiRunRow> = {
      status: input.status,
      conclusion: input.conclusion ?? existing.conclusion,
      started_ms: times.started_ms ?? existing.started_ms,
      finished_ms: times.finished_ms ?? existing.finished_ms,
      failure_domain: input.failureDomain ?? existing.failure_domain,
      url: input.url ?? existing.url,
      // A time clamped by this update flags the row as the first receipt would (§3.8).
      flags: joinFlags([...splitFlags(existing.flags), ...flags]),
      updated_ms: ctx.now,
    };
    await ctx.trx(TABLE).where({ id: existing.id }).update(patch);
    const updated = await ctx
      .trx<CiRunRow>(TABLE)
      .where({ id: existing.id })
      .first();
    return {
      status: 200,
      id: existing.id,
      entityRefs: existing.entity_ref ? [existing.entity_ref] : [],
      response: { record: ciRunFromRow(updated!), warnings },
    };
  }
  const subject = subjectOf(input);
  const resolution = ctx.resolver.resolveSubject(subject);
  if (resolution.warning) warnings.unshift(resolution.warning);
  const row: CiRunRow = {
    id: ulid(ctx.now),
    provider: input.provider,
    run_id: input.runId,
    attempt: input.attempt,
    subject,
    entity_ref: resolution.entityRef,
    resolution: resolution.resolution,
    repository: input.repository?.toLowerCase() ?? null,
    workflow: input.workflow,
    branch: input.branch,
    is_default_branch: input.defaultBranch,
    commit_sha: input.commitSha,
    event: input.event ?? null,
    status: input.status,
    conclusion: input.conclusion ?? null,
    queued_ms: times.queued_ms,
    started_ms: times.started_ms,
    finished_ms: times.finished_ms,
    failure_domain: input.failureDomain ?? null,
    correlation_id: input.correlationId ?? null,
    url: input.url ?? null,
    flags: joinFlags(flags),
    received_ms: ctx.now,
    updated_ms: ctx.now,
    demo: ctx.demo,
  };
  await ctx.trx(TABLE).insert(row);
  return {
    status: 201,
    id: row.id,
    entityRefs: resolution.entityRef ? [resolution.entityRef] : [],
    response: { record: ciRunFromRow(row), warnings },
  };
}
