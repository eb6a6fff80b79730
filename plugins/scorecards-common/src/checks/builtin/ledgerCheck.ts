import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import { outcome } from '../../evidence/outcomes';
import { DAY_SECONDS, formatAge, parseInstant } from '../../evidence/formatAge';
import { readValueInstant } from '../../evidence/valueInstant';
import { LedgerRecord, recordTime } from '../../evidence/evidenceTypes';
import { EvidenceUsed, RawOutcome } from '../../model/resultModel';
import { CheckContext, defineCheckType } from '../checkType';
import { A_NUMBER, ParamRequirement, requireParam } from '../paramRules';
import { deployView, TimedRecord, timedLedger } from '../ledgerView';
import { stillHolds } from '../../engine/timeLimits';

/** The rules that look at a time window: all but `digest`, which reads the newest deploy only. */
const WITHIN_DAYS_BY_RULE: Record<string, ParamRequirement | undefined> = {
  recent: A_NUMBER,
  distinctVersions: A_NUMBER,
  rollback: A_NUMBER,
  exposure: A_NUMBER,
};

const paramsSchema = z
  .strictObject({
    rule: z.enum([
      'recent',
      'digest',
      'distinctVersions',
      'rollback',
      'exposure',
    ]),
    withinDays: z.number().int().min(1).optional(),
    environment: z.string().default('production'),
    /** distinctVersions: minimum deploys with different digests; exposure: how many recent deploys to inspect. */
    count: z.number().int().min(1).optional(),
    digestPattern: z.string().default('^sha256:[0-9a-f]{64}$'),
    strategies: z
      .array(z.string())
      .default(['canary', 'blue-green', 'progressive']),
    /** rollback: a fresh drill fact of this kind also counts. */
    drillKind: z.string().default('rollback.drill'),
  })
  .superRefine((p, ctx) =>
    requireParam(
      ctx,
      p,
      'withinDays',
      WITHIN_DAYS_BY_RULE[p.rule],
      `rule ${p.rule}`,
    ),
  );

type Params = z.output<typeof paramsSchema>;
type Compiled = Params & { digest: RegExp; expected: string };

/** What the rule expects, in words; depends on the parameters only, so it is built at load. */
function expectedOf(p: Params): string {
  const env = p.environment;
  switch (p.rule) {
    case 'recent':
      return `a succeeded ${env} deploy within ${p.withinDays} d`;
    case 'digest':
      return `the newest ${env} deploy carries an artifact digest matching ${p.digestPattern}`;
    case 'distinctVersions':
      return `at least ${
        p.count ?? 2
      } succeeded ${env} deploys with different digests within ${
        p.withinDays
      } d`;
    case 'rollback':
      return `a succeeded rollback or a rollback drill within ${p.withinDays} d`;
    default:
      return `the last ${p.count ?? 3} ${env} deploys within ${
        p.withinDays
      } d used ${p.strategies.join(', ')} with analysis`;
  }
}

function label(record: LedgerRecord): string {
  return record.version ?? record.id;
}

/** Whether a record finished within `withinMs` before now. */
function inWindow(
  ctx: CheckContext,
  t: TimedRecord,
  withinMs: number,
): boolean {
  return stillHolds(
    ctx.nowMs - t.finishedMs <= withinMs,
    ctx.nowMs,
    t.finishedMs + withinMs,
  );
}

/** The newest succeeded rollback of an environment within the window, if any. */
function recentRollback(
  ctx: CheckContext,
  environment: string,
  withinMs: number,
): TimedRecord | undefined {
  const timed = timedLedger(ctx.ledger);
  for (let i = 0; i < timed.length; i++) {
    const t = timed[i];
    if (
      t.record.status === 'succeeded' &&
      t.record.environment === environment &&
      t.record.rollbackOf &&
      inWindow(ctx, t, withinMs)
    )
      return t;
  }
  return undefined;
}

/**
 * How many different artifacts (digest, else version) the records within the window carry, up
 * to `need`: only the newest record of each artifact is asked whether it is in the window, so
 * the time limits noted are those of the records the answer rests on (the same with the whole
 * ledger as with `compactLedger`'s records, and fewer re-evaluations).
 */
function distinctArtifacts(
  ctx: CheckContext,
  records: readonly TimedRecord[],
  withinMs: number,
  need: number,
): number {
  const artifacts: string[] = [];
  for (let i = 0; i < records.length && artifacts.length < need; i++) {
    const t = records[i];
    const artifact =
      t.record.attributes?.artifactDigest ?? `version:${label(t.record)}`;
    if (artifacts.includes(artifact)) continue;
    // newest first: an artifact's newest record out of the window leaves none of it inside
    if (inWindow(ctx, t, withinMs)) artifacts.push(artifact);
    else break;
  }
  return artifacts.length;
}

/** The newest `count` succeeded non-rollback deploys within the window. */
function recentDeploys(
  ctx: CheckContext,
  succeeded: readonly TimedRecord[],
  withinMs: number,
  count: number,
): LedgerRecord[] {
  const recent: LedgerRecord[] = [];
  for (let i = 0; i < succeeded.length && recent.length < count; i++) {
    const t = succeeded[i];
    if (!t.record.rollbackOf && inWindow(ctx, t, withinMs))
      recent.push(t.record);
  }
  return recent;
}

function ledgerEvidence(
  ctx: CheckContext,
  newest: TimedRecord | undefined,
  summary: string,
): EvidenceUsed {
  const observedMs = newest ? newest.finishedMs : ctx.nowMs;
  return {
    source: 'ledger',
    kind: 'ledger',
    observedAt: newest ? recordTime(newest.record) : ctx.now,
    ageSeconds: Math.max(0, Math.floor((ctx.nowMs - observedMs) / 1000)),
    fresh: true,
    freshForSeconds: 0,
    summary,
  };
}

function noCoverage(
  ctx: CheckContext,
  environment: string,
  expected: string,
): RawOutcome {
  return outcome(
    'unknown',
    'LEDGER_NO_COVERAGE',
    `No ${environment} deploy of ${ctx.subject.ref} was ever recorded — report deploys through the platform deploy workflow or POST /api/evidence/changes; expected ${expected}.`,
    expected,
    'no deploy records',
    [],
    [
      {
        source: 'ledger',
        kind: 'ledger',
        cause: 'missing',
        hint: `no ${environment} deploy record for ${ctx.subject.ref}; report deploys through the platform deploy workflow or POST /api/evidence/changes`,
      },
    ],
  );
}

/** `ledger`: rules over the entity's change ledger — recent deploy, digest, rollback target, rollback exercised, exposure. */
export const ledgerCheckType = defineCheckType<Params, Compiled>({
  id: 'ledger',
  notesTimeLimits: true,
  description:
    'Rules over production deploy records: recent, immutable digest, distinct versions, rollback exercised (or drill), progressive exposure. No deploy record ever is unknown (LEDGER_NO_COVERAGE).',
  paramsSchema,
  compile: p => ({
    // Every key spelled out, so all compiled params share one shape (optional ones undefined).
    rule: p.rule,
    withinDays: p.withinDays,
    environment: p.environment,
    count: p.count,
    digestPattern: p.digestPattern,
    strategies: p.strategies,
    drillKind: p.drillKind,
    digest: new RegExp(p.digestPattern),
    expected: expectedOf(p),
  }),
  // Each rule reads the newest records of a class; distinctVersions the newest artifacts
  // (compactLedger). The messages name no totals, which a compacted ledger would not know.
  ledgerNeeds: p => ({
    perClass: p.rule === 'exposure' ? p.count ?? 3 : 1,
    artifacts: p.rule === 'distinctVersions' ? p.count ?? 2 : 0,
  }),
  needs: p =>
    p.rule === 'rollback'
      ? [
          { source: 'ledger', kind: 'ledger' },
          { source: 'drill', kind: p.drillKind },
        ]
      : [{ source: 'ledger', kind: 'ledger' }],
  evaluate(ctx, p) {
    const env = p.environment;
    const health = ctx.sourceHealth('ledger');
    const { deploys, succeeded } = deployView(ctx.ledger, env);
    const newest = succeeded[0];
    const withinMs = (p.withinDays ?? 0) * DAY_SECONDS * 1000;
    const expected = p.expected;
    if (
      health &&
      (health.status === 'unavailable' || health.status === 'disabled')
    ) {
      return outcome(
        'unknown',
        'SOURCE_UNAVAILABLE',
        `The change ledger is ${health.status} since ${health.since}; expected ${expected}.`,
        expected,
        'ledger unavailable',
        [],
        [
          {
            source: 'ledger',
            kind: 'ledger',
            cause: 'source-unavailable',
            hint: `change ledger ${health.status} since ${health.since}`,
          },
        ],
      );
    }

    if (p.rule === 'rollback') {
      const rollback = recentRollback(ctx, env, withinMs);
      if (rollback) {
        const r = rollback.record;
        return outcome(
          'pass',
          'PASS',
          `${label(r)} rolled back ${r.rollbackOf} ${formatAge(
            (ctx.nowMs - rollback.finishedMs) / 1000,
          )} ago.`,
          expected,
          `rollback ${label(r)}`,
          [ledgerEvidence(ctx, rollback, `rollback ${label(r)}`)],
        );
      }
      const drill = ctx.evidence(p.drillKind);
      const drillValue = drill.value as
        | { at?: string; outcome?: string }
        | undefined;
      // The drill's own `at` is a date inside a value, held to what reads the same everywhere
      // and not in the future; `observedAt` was checked at ingestion.
      const drillMs =
        drillValue?.at !== undefined && drillValue.at !== null
          ? readValueInstant(
              drillValue.at,
              ctx.nowMs,
              ctx.config.maxClockSkewSeconds * 1000,
            ).ms
          : parseInstant(drill.observedAt ?? undefined);
      if (
        drill.observedAt &&
        !Number.isNaN(drillMs) &&
        stillHolds(
          ctx.nowMs - drillMs <= withinMs,
          ctx.nowMs,
          drillMs + withinMs,
        ) &&
        (drillValue?.outcome ?? 'succeeded') === 'succeeded'
      ) {
        return outcome(
          'pass',
          'PASS',
          `Rollback drill ${formatAge(
            (ctx.nowMs - drillMs) / 1000,
          )} ago succeeded.`,
          expected,
          'rollback drill',
          [
            {
              source: drill.source,
              kind: drill.kind,
              observedAt: drill.observedAt,
              ageSeconds: drill.ageSeconds ?? 0,
              fresh: true,
              freshForSeconds: withinMs / 1000,
              summary: 'rollback drill succeeded',
            },
          ],
        );
      }
      if (deploys.length === 0) return noCoverage(ctx, env, expected);
      return outcome(
        'fail',
        'ROLLBACK_NOT_EXERCISED',
        `No rollback or rollback drill in ${p.withinDays} d; expected ${expected}.`,
        expected,
        'none',
        [
          ledgerEvidence(
            ctx,
            deploys[0],
            `newest ${env} deploy ${label(deploys[0].record)}`,
          ),
        ],
      );
    }

    if (deploys.length === 0) return noCoverage(ctx, env, expected);
    const evidence = [
      newest
        ? ledgerEvidence(
            ctx,
            newest,
            `newest succeeded ${env} deploy ${label(newest.record)}`,
          )
        : ledgerEvidence(ctx, deploys[0], `no succeeded ${env} deploy`),
    ];

    if (p.rule === 'recent' || p.rule === 'digest') {
      if (!newest) {
        return outcome(
          'fail',
          p.rule === 'recent' ? 'DEPLOY_TOO_OLD' : 'MUTABLE_ARTIFACT',
          `No succeeded ${env} deploy on record; expected ${expected}.`,
          expected,
          'none succeeded',
          evidence,
        );
      }
      const age = formatAge((ctx.nowMs - newest.finishedMs) / 1000);
      const n = newest.record;
      if (p.rule === 'recent') {
        return inWindow(ctx, newest, withinMs)
          ? outcome(
              'pass',
              'PASS',
              `Last ${env} deploy ${label(n)} finished ${age} ago.`,
              expected,
              `${age} ago`,
              evidence,
            )
          : outcome(
              'fail',
              'DEPLOY_TOO_OLD',
              `last ${env} deploy ${label(n)} finished ${age} ago; limit ${
                p.withinDays
              } d`,
              expected,
              `${age} ago`,
              evidence,
            );
      }
      const digest = n.attributes?.artifactDigest ?? '';
      return p.digest.test(digest)
        ? outcome(
            'pass',
            'PASS',
            `${label(n)} was deployed as ${digest}.`,
            expected,
            digest,
            evidence,
          )
        : outcome(
            'fail',
            'MUTABLE_ARTIFACT',
            `${label(n)} was deployed as "${
              digest || 'no digest'
            }"; expected an immutable digest (sha256:…).`,
            expected,
            digest || 'no digest',
            evidence,
          );
    }

    if (p.rule === 'distinctVersions') {
      const need = p.count ?? 2;
      const artifacts = distinctArtifacts(ctx, succeeded, withinMs, need);
      // "at least": a compacted ledger keeps the newest `need` artifacts, not every one
      return artifacts >= need
        ? outcome(
            'pass',
            'PASS',
            `At least ${need} distinct artifacts deployed within ${p.withinDays} d; a rollback target exists.`,
            expected,
            `≥ ${need} artifacts`,
            evidence,
          )
        : outcome(
            'fail',
            'NO_ROLLBACK_TARGET',
            `${artifacts} distinct artifact(s) deployed to ${env} within ${p.withinDays} d; expected at least ${need} so a known previous artifact exists.`,
            expected,
            `${artifacts} artifact(s)`,
            evidence,
          );
    }

    const recent = recentDeploys(ctx, succeeded, withinMs, p.count ?? 3);
    if (recent.length === 0) {
      return outcome(
        'unknown',
        'INSUFFICIENT_SAMPLE',
        `No succeeded non-rollback ${env} deploy within ${p.withinDays} d to inspect; expected ${expected}.`,
        expected,
        'no recent deploys',
        evidence,
        [
          {
            source: 'ledger',
            kind: 'ledger',
            cause: 'missing',
            hint: `no ${env} deploy within ${p.withinDays} d`,
          },
        ],
      );
    }
    const notProgressive = recent.filter(r => {
      const exposure = r.attributes?.exposure;
      return (
        !exposure?.strategy ||
        !p.strategies.includes(exposure.strategy) ||
        exposure.analysis !== true
      );
    });
    return notProgressive.length === 0
      ? outcome(
          'pass',
          'PASS',
          `The last ${recent.length} ${env} deploy(s) used staged exposure with analysis.`,
          expected,
          joinStrings(recent.map(label), ', '),
          evidence,
        )
      : outcome(
          'fail',
          'EXPOSURE_NOT_PROGRESSIVE',
          `${notProgressive
            .map(
              r =>
                `${label(r)} (${
                  r.attributes?.exposure?.strategy ?? 'no strategy'
                }${r.attributes?.exposure?.analysis ? '' : ', no analysis'})`,
            )
            .join(', ')}; expected ${expected}.`,
          expected,
          notProgressive.map(label).join(', '),
          evidence,
        );
  },
});
