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

function repositoryChecks(
  recorded: RecordedState,
  observed: ObservedRepository | undefined,
): CheckResult[] {
  const repo = recorded.repository;
  if (!repo) return [];
  const target = repo.path;
  const identityCheck: CheckId =
    repo.identity.kind === 'marker' ? 'repository.marker' : 'repository.commit';
  const applicable: CheckId[] = [
    'repository.present',
    identityCheck,
    ...(repo.readOnly !== undefined
      ? (['repository.write-state'] as CheckId[])
      : []),
  ];
  if (!observed || observed.state === 'unknown') {
    const message = observed?.reason ?? NOT_OBSERVED;
    return applicable.map(check => ({
      check,
      target,
      status: 'unknown',
      message,
    }));
  }
  if (observed.state === 'absent') {
    return [
      {
        check: 'repository.present',
        target,
        status: 'drift',
        expected: 'present',
        observed: 'absent',
        message: `repository ${target} is missing`,
      },
    ];
  }
  const out: CheckResult[] = [
    {
      check: 'repository.present',
      target,
      status: 'ok',
      expected: 'present',
      observed: 'present',
    },
  ];
  if (repo.identity.kind === 'marker') {
    const want = repo.identity.requestKey;
    const got = observed.markerKey;
    const ok = want ? got === want : got !== undefined;
    out.push({
      check: 'repository.marker',
      target,
      status: ok ? 'ok' : 'drift',
      expected: want ?? '(a golden-path request)',
      observed: got ?? '(none)',
      ...(ok
        ? {}
        : {
            message: got
              ? `.goldenpath.yaml at HEAD of ${target} names request "${got}", not "${want}"`
              : `${target} has no .goldenpath.yaml naming a request at HEAD`,
          }),
    });
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
      out.push({
        check: 'repository.commit',
        target,
        status: observed.containsCommit ? 'ok' : 'drift',
        expected: commitSha,
        observed: observed.containsCommit ? commitSha : '(not in history)',
        ...(observed.containsCommit
          ? {}
          : {
              message: `commit ${commitSha} recorded by the request is no longer in the history of HEAD of ${target} (history rewritten)`,
            }),
      });
    }
  }
  if (repo.readOnly !== undefined) {
    const state = (ro: boolean) => (ro ? 'read-only' : 'writable');
    const ok = observed.readOnly === repo.readOnly;
    out.push({
      check: 'repository.write-state',
      target,
      status: ok ? 'ok' : 'drift',
      expected: state(repo.readOnly),
      observed: state(observed.readOnly),
      ...(ok
        ? {}
        : {
            message: `repository ${target} is ${state(
              observed.readOnly,
            )}; the lifecycle recorded in the ledger makes it ${state(
              repo.readOnly,
            )}`,
          }),
    });
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
      return [
        {
          check: 'entity.absent',
          target,
          status: 'unknown',
          message: observed?.reason ?? NOT_OBSERVED,
        },
      ];
    }
    const gone = observed.state === 'absent';
    return [
      {
        check: 'entity.absent',
        target,
        status: gone ? 'ok' : 'drift',
        expected: 'absent',
        observed: gone ? 'absent' : `present (${observed.lifecycle})`,
        ...(gone
          ? {}
          : {
              message: `${target} was deleted by its lifecycle but is in the catalog again (lifecycle ${observed.lifecycle})`,
            }),
      },
    ];
  }
  const applicable: CheckId[] = [
    'entity.present',
    'entity.request-key',
    'entity.lifecycle',
  ];
  if (!observed || observed.state === 'unknown') {
    const message = observed?.reason ?? NOT_OBSERVED;
    return applicable.map(check => ({
      check,
      target,
      status: 'unknown',
      message,
    }));
  }
  if (observed.state === 'absent') {
    return [
      {
        check: 'entity.present',
        target,
        status: 'drift',
        expected: 'present',
        observed: 'absent',
        message: `${target} is not in the catalog`,
      },
    ];
  }
  const want = entity.requestKey;
  const got = observed.requestKey;
  const keyOk = want ? got === want : got !== undefined;
  const lifecycleOk = observed.lifecycle === entity.lifecycle;
  return [
    {
      check: 'entity.present',
      target,
      status: 'ok',
      expected: 'present',
      observed: 'present',
    },
    {
      check: 'entity.request-key',
      target,
      status: keyOk ? 'ok' : 'drift',
      expected: want ?? '(a golden-path request)',
      observed: got ?? '(none)',
      ...(keyOk
        ? {}
        : {
            message: got
              ? `${target} carries ops.example.com/request-key "${got}", not "${want}"`
              : `${target} carries no ops.example.com/request-key annotation`,
          }),
    },
    {
      check: 'entity.lifecycle',
      target,
      status: lifecycleOk ? 'ok' : 'drift',
      expected: entity.lifecycle!,
      observed: observed.lifecycle,
      ...(lifecycleOk
        ? {}
        : {
            message: `${target} is ${observed.lifecycle} in the catalog; the ledger records ${entity.lifecycle}`,
          }),
    },
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
    return [
      {
        check: 'database.present',
        target,
        status: 'unknown',
        message: observed?.reason ?? NOT_OBSERVED,
      },
    ];
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
  const ok = observed.state === 'present';
  return [
    {
      check: 'database.present',
      target,
      status: ok ? 'ok' : 'drift',
      expected: 'present',
      observed: observed.state,
      ...(ok
        ? {}
        : {
            message: `the provisioner finds no database for request "${db.requestKey}" (recorded ${target})`,
          }),
    },
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
