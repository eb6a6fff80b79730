import type { CheckId, RecordedState } from './recorded';

// Recorded vs observed (§8 step 4): one result per check. Pure. A check whose observation failed
// is `unknown` — never drift, and it keeps a drift reported earlier open (`drift.ts`); nothing is
// ever fixed here (78: drift is an ownership question before it is an automation one).

/** A local bare repository as read from disk. */
export type ObservedRepository =
  | {
      state: 'present';
      /** `requestKey` of `.goldenpath.yaml` at HEAD, when there is one. */
      markerKey?: string;
      /** Whether the recorded commit is in HEAD's history (asked for shared repositories). */
      containsCommit?: boolean;
      /** A `pre-receive` hook refuses pushes (§7.3 archive finalizer, local mode). */
      readOnly: boolean;
    }
  | { state: 'absent' }
  | { state: 'unknown'; reason: string };

/** A catalog entity as the catalog answers for it. */
export type ObservedEntity =
  | { state: 'present'; requestKey?: string; lifecycle: string }
  | { state: 'absent' }
  | { state: 'unknown'; reason: string };

/** A database as the provisioner's `find(requestKey)` answers (§4.9). */
export type ObservedDatabase =
  | { state: 'present' }
  | { state: 'absent' }
  | { state: 'unknown'; reason: string }
  /** No provisioner is reachable from this backend. */
  | { state: 'not-checkable'; reason: string };

export interface ObservedState {
  repository?: ObservedRepository;
  entity?: ObservedEntity;
  database?: ObservedDatabase;
}

export interface CheckResult {
  check: CheckId;
  target: string;
  status: 'ok' | 'drift' | 'unknown' | 'not-checked';
  expected?: string;
  observed?: string;
  /** What was found, for a human (drift, unknown, not-checked). */
  message?: string;
}

/** One drift: a check that found reality different from the ledger. */
export interface Mismatch {
  /** Stable per distinct mismatch: check, target and what was observed. */
  id: string;
  check: CheckId;
  target: string;
  expected: string;
  observed: string;
  message: string;
}

/** The identity of a check (a drift is "the same check" when this is equal). */
export const checkKey = (r: { check: string; target: string }) =>
  `${r.check} ${r.target}`;

/** The mismatches among check results, with their ids. */
export function mismatchesOf(results: readonly CheckResult[]): Mismatch[] {
  return results
    .filter(r => r.status === 'drift')
    .map(r => ({
      id: `${checkKey(r)} ${r.observed ?? ''}`,
      check: r.check,
      target: r.target,
      expected: r.expected ?? '',
      observed: r.observed ?? '',
      message: r.message ?? '',
    }));
}

const NOT_OBSERVED = 'not observed in this run';

/** Every check on a target that was not observed, or whose observation failed, is `unknown`. */
function unobserved(
  checks: readonly CheckId[],
  target: string,
  reason: string | undefined,
): CheckResult[] {
  const message = reason ?? NOT_OBSERVED;
  return checks.map(check => ({ check, target, status: 'unknown', message }));
}

/** A check that compared the ledger with what was found; only a drift carries the message. */
function compared(
  check: CheckId,
  target: string,
  found: { ok: boolean; expected: string; observed: string },
  driftMessage: string,
): CheckResult {
  return {
    check,
    target,
    status: found.ok ? 'ok' : 'drift',
    expected: found.expected,
    observed: found.observed,
    ...(found.ok ? {} : { message: driftMessage }),
  };
}

/** Whether the recorded target exists. */
const presence = (present: boolean) => ({
  ok: present,
  expected: 'present',
  observed: present ? 'present' : 'absent',
});

/** The request key found on a target against the recorded one; without one, any key will do. */
const requestKey = (want: string | undefined, got: string | undefined) => ({
  ok: want ? got === want : got !== undefined,
  expected: want ?? '(a golden-path request)',
  observed: got ?? '(none)',
});

function repositoryChecks(
  recorded: RecordedState,
  observed: ObservedRepository | undefined,
): CheckResult[] {
  const repo = recorded.repository;
  if (!repo) return [];
  const target = repo.path;
  const identityCheck: CheckId =
    repo.identity.kind === 'marker' ? 'repository.marker' : 'repository.commit';
  if (!observed || observed.state === 'unknown') {
    return unobserved(
      [
        'repository.present',
        identityCheck,
        ...(repo.readOnly !== undefined
          ? (['repository.write-state'] as CheckId[])
          : []),
      ],
      target,
      observed?.reason,
    );
  }
  const present = compared(
    'repository.present',
    target,
    presence(observed.state === 'present'),
    `repository ${target} is missing`,
  );
  if (observed.state === 'absent') return [present];
  const out: CheckResult[] = [present];
  if (repo.identity.kind === 'marker') {
    const want = repo.identity.requestKey;
    const got = observed.markerKey;
    out.push(
      compared(
        'repository.marker',
        target,
        requestKey(want, got),
        got
          ? `.goldenpath.yaml at HEAD of ${target} names request "${got}", not "${want}"`
          : `${target} has no .goldenpath.yaml naming a request at HEAD`,
      ),
    );
  } else {
    const { commitSha } = repo.identity;
    if (observed.containsCommit === undefined) {
      out.push({
        check: 'repository.commit',
        target,
        status: 'unknown',
        message: `whether ${commitSha} is in HEAD's history was not read`,
      });
    } else {
      out.push(
        compared(
          'repository.commit',
          target,
          {
            ok: observed.containsCommit,
            expected: commitSha,
            observed: observed.containsCommit ? commitSha : '(not in history)',
          },
          `commit ${commitSha} recorded by the request is no longer in the history of HEAD of ${target} (history rewritten)`,
        ),
      );
    }
  }
  if (repo.readOnly !== undefined) {
    const state = (ro: boolean) => (ro ? 'read-only' : 'writable');
    out.push(
      compared(
        'repository.write-state',
        target,
        {
          ok: observed.readOnly === repo.readOnly,
          expected: state(repo.readOnly),
          observed: state(observed.readOnly),
        },
        `repository ${target} is ${state(
          observed.readOnly,
        )}; the lifecycle recorded in the ledger makes it ${state(
          repo.readOnly,
        )}`,
      ),
    );
  }
  return out;
}

function entityChecks(
  recorded: RecordedState,
  observed: ObservedEntity | undefined,
): CheckResult[] {
  const entity = recorded.entity;
  if (!entity) return [];
  const target = entity.ref;
  if (entity.presence === 'absent') {
    if (!observed || observed.state === 'unknown') {
      return unobserved(['entity.absent'], target, observed?.reason);
    }
    // the lifecycle the entity is back in the catalog with, if it is back
    const back = observed.state === 'present' ? observed.lifecycle : undefined;
    return [
      compared(
        'entity.absent',
        target,
        {
          ok: back === undefined,
          expected: 'absent',
          observed: back === undefined ? 'absent' : `present (${back})`,
        },
        `${target} was deleted by its lifecycle but is in the catalog again (lifecycle ${back})`,
      ),
    ];
  }
  if (!observed || observed.state === 'unknown') {
    return unobserved(
      ['entity.present', 'entity.request-key', 'entity.lifecycle'],
      target,
      observed?.reason,
    );
  }
  const present = compared(
    'entity.present',
    target,
    presence(observed.state === 'present'),
    `${target} is not in the catalog`,
  );
  if (observed.state === 'absent') return [present];
  const want = entity.requestKey;
  const got = observed.requestKey;
  return [
    present,
    compared(
      'entity.request-key',
      target,
      requestKey(want, got),
      got
        ? `${target} carries ops.example.com/request-key "${got}", not "${want}"`
        : `${target} carries no ops.example.com/request-key annotation`,
    ),
    compared(
      'entity.lifecycle',
      target,
      {
        ok: observed.lifecycle === entity.lifecycle,
        expected: entity.lifecycle!,
        observed: observed.lifecycle,
      },
      `${target} is ${observed.lifecycle} in the catalog; the ledger records ${entity.lifecycle}`,
    ),
  ];
}

function databaseChecks(
  recorded: RecordedState,
  observed: ObservedDatabase | undefined,
): CheckResult[] {
  const db = recorded.database;
  if (!db) return [];
  const target = db.target;
  if (!observed || observed.state === 'unknown') {
    return unobserved(['database.present'], target, observed?.reason);
  }
  if (observed.state === 'not-checkable') {
    return [
      {
        check: 'database.present',
        target,
        status: 'not-checked',
        message: observed.reason,
      },
    ];
  }
  return [
    compared(
      'database.present',
      target,
      presence(observed.state === 'present'),
      `the provisioner finds no database for request "${db.requestKey}" (recorded ${target})`,
    ),
  ];
}

/**
 * Compares what the ledger records for one request with what was observed: one result per check
 * (§8 step 4). A missing repository or entity is one drift (the checks on it are not run); an
 * observation that failed makes its checks `unknown`; what the ledger cannot check is
 * `not-checked` with the reason.
 */
export function compareRecordedVsObserved(
  recorded: RecordedState,
  observed: ObservedState,
): CheckResult[] {
  return [
    ...repositoryChecks(recorded, observed.repository),
    ...entityChecks(recorded, observed.entity),
    ...databaseChecks(recorded, observed.database),
    ...recorded.notChecked.map(n => ({
      check: n.check,
      target: n.target,
      status: 'not-checked' as const,
      message: n.reason,
    })),
  ];
}
