import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  GoldenPathsStore,
  RequestRecord,
} from '../../database/GoldenPathsStore';
import { AuditSeverity, writeAudit } from '../audit';
import {
  CheckResult,
  compareRecordedVsObserved,
  Mismatch,
  ObservedEntity,
  ObservedRepository,
  ObservedState,
} from './compare';
import {
  DRIFT_DETECTED,
  DRIFT_EVENTS,
  DRIFT_RESOLVED,
  diffDrift,
  openMismatches,
} from './drift';
import {
  DATABASE_NOT_CHECKABLE,
  databaseOfOtherProvisioner,
  ReconcilerObservers,
} from './observers';
import {
  DATABASE_EXPIRY,
  DatabaseExpiry,
  databaseExpiries,
} from './databaseExpiry';
import type { GoldenPathsNotifier } from '../notifications/notifier';
import { databaseExpiryNotice } from '../notifications/messages';
import {
  LedgerEntry,
  RecordedDatabase,
  RecordedRepository,
  RecordedState,
  recordedStates,
} from './recorded';

/** What one run found, for the log. */
export interface ReconcileSummary {
  requests: number;
  ok: number;
  unknown: number;
  notChecked: number;
  /** Requests with open drift after the run. */
  drifting: number;
  detected: number;
  resolved: number;
  /** Databases flagged this run: seven days before `expiresOn`, and on it. */
  expiryFlags: number;
}

const RECONCILER = 'plugin:golden-paths';

/**
 * The reconciler of §8 step 4: checks every `succeeded` request against reality and records each
 * distinct mismatch once, as a `golden-path-drift-detected` event (audit `high`) on the request,
 * and its disappearance as `golden-path-drift-resolved` (`medium`). Nothing is fixed (78).
 */
export class Reconciler {
  constructor(
    private readonly options: {
      store: GoldenPathsStore;
      observers: ReconcilerObservers;
      auditor: AuditorService;
      logger: LoggerService;
      /** `goldenPaths.publish.local.root`, resolved (read on every run). */
      localRoot: () => string;
      /** Tells owners of expiring databases; absent: the ledger event only. */
      notify?: GoldenPathsNotifier;
    },
  ) {}

  async run(now: string, signal?: AbortSignal): Promise<ReconcileSummary> {
    const { store } = this.options;
    const entries: LedgerEntry[] = [];
    for await (const page of store.requestsWithSteps('succeeded')) {
      entries.push(...page);
    }
    const states = recordedStates(entries, {
      localRoot: this.options.localRoot(),
    });
    const entityOf = await this.observeEntities(states);
    const repositories = new Map<string, Promise<ObservedRepository>>();
    const summary: ReconcileSummary = {
      requests: states.length,
      ok: 0,
      unknown: 0,
      notChecked: 0,
      drifting: 0,
      detected: 0,
      resolved: 0,
      expiryFlags: 0,
    };

    for (const state of states) {
      if (signal?.aborted) break;
      const observed: ObservedState = {
        ...(state.repository
          ? {
              repository: await this.observeRepository(
                state.repository,
                repositories,
              ),
            }
          : {}),
        ...(state.entity ? { entity: entityOf(state.entity.ref) } : {}),
        ...(state.database
          ? { database: await this.observeDatabase(state.database) }
          : {}),
      };
      const results = compareRecordedVsObserved(state, observed);
      for (const r of results) {
        if (r.status === 'ok') summary.ok++;
        else if (r.status === 'unknown') summary.unknown++;
        else if (r.status === 'not-checked') summary.notChecked++;
      }
      const last = await store.lastEvent(state.requestKey, DRIFT_EVENTS);
      const change = diffDrift(openMismatches(last?.record), results);
      if (change.open.length) summary.drifting++;
      summary.detected += change.detected.length;
      summary.resolved += change.resolved.length;
      await this.record(state, results, change, now);
    }
    if (!signal?.aborted) {
      for (const expiry of databaseExpiries(entries, now)) {
        if (entityOf(expiry.entityRef).state === 'absent') continue;
        if (await this.flagExpiry(expiry, now)) summary.expiryFlags++;
      }
    }
    this.options.logger.info(
      `golden-paths reconciler: ${summary.requests} succeeded request(s); ${summary.detected} drift(s) detected, ${summary.resolved} resolved, ${summary.drifting} request(s) drifting; checks ${summary.ok} ok, ${summary.unknown} unknown, ${summary.notChecked} not checked; ${summary.expiryFlags} database(s) flagged for expiry`,
    );
    return summary;
  }

  /**
   * Flags a database once per phase (§8 step 4): a `golden-path-database-expiry` event on its
   * request, shown on the request page, and a notification to the Resource's owner. A database
   * gone from the catalog is not flagged (drift reports it). Returns whether it flagged now.
   */
  private async flagExpiry(expiry: DatabaseExpiry, now: string) {
    const { store } = this.options;
    const last = await store.lastEvent(expiry.requestKey, [DATABASE_EXPIRY]);
    if (
      last?.record.phase === expiry.phase &&
      last.record.expiresOn === expiry.expiresOn
    ) {
      return false;
    }
    const notified =
      (await this.options.notify?.(
        databaseExpiryNotice(expiry),
        `${expiry.requestKey}'s database expiry`,
      )) ?? false;
    await writeAudit(
      { auditor: this.options.auditor, store },
      {
        eventId: DATABASE_EXPIRY,
        severity: expiry.phase === 'expired' ? 'high' : 'medium',
        at: now,
        requestKey: expiry.requestKey,
        record: {
          action: 'goldenpath:reconcile',
          stepId: 'reconcile',
          actor: RECONCILER,
          executionIdentity: RECONCILER,
          targets: [expiry.entityRef],
          phase: expiry.phase,
          expiresOn: expiry.expiresOn,
          daysLeft: expiry.daysLeft,
          notified,
          result:
            expiry.phase === 'expired'
              ? 'database-expired'
              : 'database-expiring',
        },
      },
    );
    return true;
  }

  /** Entities in batches through the catalog; one failure makes every entity check `unknown`. */
  private async observeEntities(
    states: readonly RecordedState[],
  ): Promise<(ref: string) => ObservedEntity> {
    const refs = [
      ...new Set(states.flatMap(s => (s.entity ? [s.entity.ref] : []))),
    ];
    if (refs.length === 0) return () => ({ state: 'absent' });
    try {
      const found = await this.options.observers.catalog.entities(refs);
      return ref => found.get(ref) ?? { state: 'absent' };
    } catch (e) {
      const reason = `the catalog did not answer: ${(e as Error).message}`;
      this.options.logger.warn(`golden-paths reconciler: ${reason}`);
      return () => ({ state: 'unknown', reason });
    }
  }

  /** One read per repository and commit (the infrastructure repository is shared). */
  private observeRepository(
    repo: RecordedRepository,
    cache: Map<string, Promise<ObservedRepository>>,
  ): Promise<ObservedRepository> {
    const commitSha =
      repo.identity.kind === 'commit' ? repo.identity.commitSha : undefined;
    const key = `${repo.path}@${commitSha ?? ''}`;
    let read = cache.get(key);
    if (!read) {
      read = this.options.observers.repositories
        .inspect(repo.path, { commitSha })
        .catch(e => ({
          state: 'unknown' as const,
          reason: (e as Error).message,
        }));
      cache.set(key, read);
    }
    return read;
  }

  private async observeDatabase(
    database: RecordedDatabase,
  ): Promise<ObservedState['database']> {
    const databases = this.options.observers.databases;
    if (!databases)
      return { state: 'not-checkable', reason: DATABASE_NOT_CHECKABLE };
    if (
      databases.provisioner &&
      !database.target.startsWith(`${databases.provisioner}:`)
    ) {
      return {
        state: 'not-checkable',
        reason: databaseOfOtherProvisioner(
          database.target,
          databases.provisioner,
        ),
      };
    }
    try {
      return await databases.find(database.requestKey);
    } catch (e) {
      return {
        state: 'unknown',
        reason: `the provisioner did not answer: ${(e as Error).message}`,
      };
    }
  }

  /**
   * Writes the change: the resolved mismatches first, then the detected ones, each record
   * carrying the mismatches open after it, so the request's last drift record always says what
   * is open now.
   */
  private async record(
    state: RecordedState,
    results: readonly CheckResult[],
    change: ReturnType<typeof diffDrift>,
    now: string,
  ) {
    const deps = { auditor: this.options.auditor, store: this.options.store };
    const detectedIds = new Set(change.detected.map(m => m.id));
    // One drift record names the mismatches it is about as its targets and effects.
    const writeDrift = (
      eventId: string,
      severity: AuditSeverity,
      about: { mismatches: Mismatch[]; effect: string },
      record: Record<string, unknown>,
    ) =>
      writeAudit(deps, {
        eventId,
        severity,
        at: now,
        requestKey: state.requestKey,
        record: {
          action: 'goldenpath:reconcile',
          stepId: 'reconcile',
          actor: RECONCILER,
          executionIdentity: RECONCILER,
          targets: [...new Set(about.mismatches.map(m => m.target))],
          effects: about.mismatches.map(m => ({
            type: m.check,
            target: m.target,
            result: about.effect,
          })),
          ...record,
        },
      });
    if (change.resolved.length) {
      await writeDrift(
        DRIFT_RESOLVED,
        'medium',
        { mismatches: change.resolved, effect: 'resolved' },
        {
          resolved: change.resolved,
          open: change.open.filter(m => !detectedIds.has(m.id)),
          result: 'drift-resolved',
        },
      );
    }
    if (change.detected.length) {
      await writeDrift(
        DRIFT_DETECTED,
        'high',
        { mismatches: change.detected, effect: 'drift' },
        {
          detected: change.detected,
          open: change.open,
          // what this backend could not look at, so a reader knows what "no drift" covers
          notChecked: results
            .filter(r => r.status === 'not-checked' || r.status === 'unknown')
            .map(r => ({
              check: r.check,
              target: r.target,
              status: r.status,
              reason: r.message,
            })),
          result: 'drift-detected',
        },
      );
    }
  }
}

/** The drift open on a request, as `GET /requests/:key` shows it. */
export interface OpenDrift {
  open: Mismatch[];
  /** When the open set last changed (the request's last drift record). */
  since?: string;
}

/**
 * The drift open on a request (§8 step 4): the open list of its last drift record. Only
 * `succeeded` requests are reconciled, so a request that left that state (compensated,
 * superseded) has none open; its drift records stay in its events.
 */
export async function openDrift(
  store: GoldenPathsStore,
  request: RequestRecord,
): Promise<OpenDrift> {
  if (request.status !== 'succeeded') return { open: [] };
  const last = await store.lastEvent(request.requestKey, DRIFT_EVENTS);
  const open = openMismatches(last?.record);
  return open.length ? { open, since: last!.at } : { open };
}
