import type {
  BackstageCredentials,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  compensationPlanDigest,
  digestPrefix,
  type CompensationItemResult,
  type CompensationReport,
  type CompensationResult,
} from '@internal/plugin-golden-paths-common';
import path from 'node:path';
import { ulid } from 'ulid';
import {
  CompensationDone,
  GoldenPathsStore,
  NewEvent,
  RequestRecord,
} from '../../database/GoldenPathsStore';
import type { CatalogLocations } from './catalogLocations';
import {
  deleteLocalRepository,
  inspectLocalRepository,
} from './localRepository';
import {
  CompensationItem,
  CompensationPlan,
  LEDGER_ITEM,
  planCompensation,
} from './plan';

/** The default of `goldenPaths.publish.local.root` (§9), as the scaffolder module reads it. */
export const DEFAULT_LOCAL_ROOT = './.data/golden-paths/repos';

// The report's types are golden-paths-common's: the frontend's client reads the same ones.
export type { CompensationItemResult, CompensationReport, CompensationResult };

/** The digest of what a dry run says would act: the items whose result is `would`. */
function actingDigest(
  requestKey: string,
  items: readonly CompensationItemResult[],
): string {
  return compensationPlanDigest(
    requestKey,
    items.filter(i => i.result === 'would'),
  );
}

/** The 409 of a real run whose plan is not the dry run the operator confirmed. */
export function planChangedMessage(confirmed: string, now: string): string {
  return `the compensation plan changed since the dry run you confirmed (confirmed ${digestPrefix(
    confirmed,
  )}…, now ${digestPrefix(now)}…); run the dry run again and review it`;
}

/**
 * Runs the compensation plan of a request (§8 "Revert"). A dry run performs every read (the
 * repository checks) and no write. A real run takes the request with a compare-and-set on its
 * status and lease, performs the automated items, marking each item's step `compensated` as it
 * finishes, then in one transaction supersedes the approvals, sets the request `compensated` only
 * when no automated item was refused or failed, releases the lease and writes the run's audit
 * record.
 */
export class CompensationService {
  constructor(
    private readonly options: {
      store: GoldenPathsStore;
      config: RootConfigService;
      logger: LoggerService;
      leaseMs: number;
      /** Absent: catalog locations are listed for a human. */
      catalogLocations?: CatalogLocations;
    },
  ) {}

  /** `goldenPaths.publish.local.root`, resolved; read on every run (config may reload). */
  localRoot(): string {
    return path.resolve(
      this.options.config.getOptionalString('goldenPaths.publish.local.root') ??
        DEFAULT_LOCAL_ROOT,
    );
  }

  private async plan(request: RequestRecord): Promise<CompensationPlan> {
    const { store } = this.options;
    const [steps, approvals] = await Promise.all([
      store.listSteps(request.requestKey),
      store.listApprovals({ requestKey: request.requestKey }),
    ]);
    return planCompensation({
      request,
      steps,
      approvals,
      localRoot: this.localRoot(),
      catalogLocations: Boolean(this.options.catalogLocations),
    });
  }

  async run(p: {
    requestKey: string;
    dryRun: boolean;
    /**
     * A real run: the `planDigest` of the dry run the operator confirmed. The run acts only when
     * the plan planned afresh has the same digest (409 otherwise, before anything acts).
     */
    planDigest?: string;
    credentials: BackstageCredentials;
    now: string;
    /**
     * The `gp_events` record of a real run that acts, written in the transaction that records
     * the run in the ledger (`GoldenPathsStore.completeCompensation`).
     */
    auditOf?: (report: CompensationReport) => NewEvent;
    /**
     * The `gp_events` record of a real run about to act (its planned items, `acted: false`),
     * written before the first item acts: a run killed midway (a deploy, a crash) leaves the
     * effects it already undid with a record of who, why and under which plan.
     */
    startedAuditOf?: (planned: CompensationReport) => NewEvent;
  }): Promise<CompensationReport> {
    const { store } = this.options;
    const request = await store.getRequest(p.requestKey);
    if (!request)
      throw new NotFoundError(`request "${p.requestKey}" not found`);
    const warnings: string[] = [];
    const leased =
      request.leaseTaskId && request.leaseUntil && request.leaseUntil > p.now;
    if (leased) {
      warnings.push(
        `${request.leaseTaskId} holds request "${p.requestKey}" until ${request.leaseUntil}; a real run answers 409 until then (switch the template or action off first to stop a running task, §8)`,
      );
    }

    if (p.dryRun || request.status === 'compensated') {
      const plan = await this.plan(request);
      const { items, failed } = await this.dryRun(plan, request);
      return {
        requestKey: p.requestKey,
        dryRun: p.dryRun,
        statusBefore: request.status,
        status: request.status,
        empty: plan.empty,
        abandoned: plan.abandoned,
        message: plan.message,
        items,
        warnings: plan.empty ? [] : warnings,
        failed,
        acted: false,
        planDigest: actingDigest(p.requestKey, items),
      };
    }

    // Compare-and-set: the status planned from, no live lease; the run holds the lease.
    const token = `compensate:${ulid(Date.parse(p.now))}`;
    const taken = await store.beginCompensation(
      p.requestKey,
      request.status,
      token,
      p.now,
      this.options.leaseMs,
    );
    if (!taken) {
      const now = await store.getRequest(p.requestKey);
      if (now?.status === 'compensated') {
        return this.run({ ...p, dryRun: false });
      }
      throw new ConflictError(
        now?.leaseTaskId && now.leaseUntil && now.leaseUntil > p.now
          ? `request "${p.requestKey}" is held by ${now.leaseTaskId} until ${now.leaseUntil}; compensate it after that task or compensation ends (switch the template or action off first to stop a running task, §8)`
          : `request "${p.requestKey}" changed while it was being planned (now ${now?.status}); run the compensation again`,
      );
    }

    try {
      const plan = await this.plan(request);
      // Bound to the dry run the operator confirmed: planned again under the lease (nothing else
      // changes the request's steps meanwhile) with the same reads, compared before any item
      // acts. A mismatch releases the lease below and records nothing.
      const planned = await this.dryRun(plan, request);
      const fresh = actingDigest(p.requestKey, planned.items);
      if (fresh !== p.planDigest) {
        throw new ConflictError(
          planChangedMessage(p.planDigest ?? 'none', fresh),
        );
      }
      if (p.startedAuditOf) {
        await store.appendEvent(
          p.startedAuditOf({
            requestKey: p.requestKey,
            dryRun: false,
            statusBefore: request.status,
            status: request.status,
            empty: plan.empty,
            abandoned: plan.abandoned,
            message: plan.message,
            items: planned.items,
            warnings: [],
            failed: 0,
            acted: false,
            planDigest: fresh,
          }),
        );
      }
      // Entities that leave with a repository are settled after the repository's deletion; the
      // report keeps the plan's order.
      // Each item's step is marked as the item finishes: a run that crashes or loses its lease
      // midway keeps what it undid visible (a repository deleted stays deleted). The approvals
      // are superseded at the end, in one transaction with the run's status and audit record.
      const results = new Map<CompensationItem, CompensationItemResult>();
      const ledgerWrites: LedgerWrites = { supersedeApprovals: [] };
      const work = plan.items.filter(i => i.stepId !== LEDGER_ITEM);
      for (const item of [
        ...work.filter(i => i.plan !== 'with-repository'),
        ...work.filter(i => i.plan === 'with-repository'),
      ]) {
        results.set(
          item,
          await this.realItem(item, [...results.values()], p, ledgerWrites),
        );
      }
      const items = work.map(i => results.get(i)!);
      const failed = items.filter(
        i => i.result === 'refused' || i.result === 'failed',
      ).length;
      const compensated = failed === 0;
      const close = plan.items.find(i => i.stepId === LEDGER_ITEM)!;
      let detail = `request stays ${request.status}: ${failed} automated item(s) refused or failed; fix them and run the compensation again`;
      if (compensated) {
        detail = plan.abandoned
          ? 'request abandoned (status compensated)'
          : 'request compensated';
      }
      items.push({
        ...close,
        result: compensated ? 'compensated' : 'skipped',
        detail,
      });
      const lostLease = `compensation ${token} of "${p.requestKey}" lost its lease before it finished; the request status was not changed, run the compensation again`;
      const reportOf = (done: CompensationDone): CompensationReport => {
        const reported = items.map(i =>
          i.plan === 'supersede-approvals' && i.result === 'compensated'
            ? { ...i, detail: `${done.superseded} approval(s) superseded` }
            : i,
        );
        if (!done.finished) {
          // The lease expired mid-run and someone else took the request: its status was not set.
          reported[reported.length - 1] = {
            ...reported[reported.length - 1],
            result: 'failed',
            detail: lostLease,
          };
        }
        return {
          requestKey: p.requestKey,
          dryRun: false,
          statusBefore: request.status,
          status: done.status ?? request.status,
          empty: false,
          abandoned: plan.abandoned,
          message: plan.message,
          items: reported,
          warnings: [],
          failed: done.finished ? failed : failed + 1,
          acted: true,
          planDigest: fresh,
        };
      };
      const done = await store.completeCompensation({
        requestKey: p.requestKey,
        token,
        compensated,
        now: p.now,
        ...ledgerWrites,
        ...(p.auditOf ? { auditOf: d => p.auditOf!(reportOf(d)) } : {}),
      });
      if (!done.finished) this.options.logger.warn(lostLease);
      return reportOf(done);
    } catch (e) {
      // Release the lease without a status change. The steps of the items done so far stay
      // marked (each was marked as it finished); the approvals and the record were not written.
      await store
        .finishCompensation(p.requestKey, token, false, p.now)
        .catch(() => undefined);
      throw e;
    }
  }

  /**
   * The dry run of a plan: each item's reads, no write. An entity leaving with a repository that
   * would not be deleted stays (manual), and a refusal keeps the request's status.
   */
  private async dryRun(
    plan: CompensationPlan,
    request: RequestRecord,
  ): Promise<{ items: CompensationItemResult[]; failed: number }> {
    const items = await Promise.all(
      plan.items.map(item => this.dryItem(item, request.requestKey)),
    );
    for (const item of items) {
      const carrier = items.find(c => c.stepId === item.dependsOn);
      if (
        item.plan === 'with-repository' &&
        carrier &&
        carrier.result !== 'would' &&
        carrier.plan !== 'already-compensated'
      ) {
        item.result = 'manual';
        item.detail = `${carrier.target} would not be deleted, so ${item.target} would stay in the catalog`;
      }
    }
    const failed = items.filter(i => i.result === 'refused').length;
    const close = items.find(i => i.stepId === LEDGER_ITEM);
    if (close && failed > 0) {
      close.result = 'skipped';
      close.detail = `would stay ${request.status}: ${failed} item(s) would be refused`;
    }
    return { items, failed };
  }

  /** A dry run of one item: the reads a real run would do, no write. */
  private async dryItem(
    item: CompensationItem,
    requestKey: string,
  ): Promise<CompensationItemResult> {
    const settled = settledWithoutEffect(item);
    if (settled) return settled;
    switch (item.plan) {
      case 'delete-local-repository': {
        const check = await inspectLocalRepository({
          root: this.localRoot(),
          repoPath: item.target!,
          requestKey,
          commitSha: item.commitSha!,
        }).catch(
          (e: Error) => ({ state: 'refused', reason: e.message } as const),
        );
        if (check.state === 'refused' || check.state === 'manual')
          return { ...item, result: check.state, detail: check.reason };
        return {
          ...item,
          result: 'would',
          ...(check.state === 'absent'
            ? {
                detail: `${item.target} is already gone; the step would be marked compensated`,
              }
            : {}),
        };
      }
      default:
        return { ...item, result: 'would' };
    }
  }

  /**
   * A real run of one item: its step is marked `compensated` when it succeeds; the approvals it
   * supersedes are added to `writes`.
   */
  private async realItem(
    item: CompensationItem,
    done: readonly CompensationItemResult[],
    p: { requestKey: string; credentials: BackstageCredentials },
    writes: LedgerWrites,
  ): Promise<CompensationItemResult> {
    const settled = settledWithoutEffect(item);
    if (settled) return settled;
    const { store } = this.options;
    const markStep = async (detail?: string) => {
      await store.markStepCompensated(p.requestKey, item.stepId);
      return {
        ...item,
        result: 'compensated' as const,
        ...(detail ? { detail } : {}),
      };
    };
    try {
      switch (item.plan) {
        case 'delete-local-repository': {
          const r = await deleteLocalRepository({
            root: this.localRoot(),
            repoPath: item.target!,
            requestKey: p.requestKey,
            commitSha: item.commitSha!,
          });
          if (r.state === 'refused' || r.state === 'manual')
            return { ...item, result: r.state, detail: r.reason };
          return markStep(
            r.state === 'absent'
              ? `${item.target} was already gone`
              : `deleted ${item.target}`,
          );
        }
        case 'with-repository': {
          const carrier = done.find(d => d.stepId === item.dependsOn);
          if (
            carrier?.result !== 'compensated' &&
            carrier?.plan !== 'already-compensated'
          ) {
            return {
              ...item,
              result: 'manual',
              detail: `${
                carrier?.target ?? item.dependsOn
              } was not deleted, so ${
                item.target
              } stays in the catalog; remove it by hand once the repository is dealt with`,
            };
          }
          return markStep(
            `${item.target} leaves the catalog on the local provider's next scan`,
          );
        }
        case 'remove-catalog-location': {
          const r = await this.options.catalogLocations!.removeLocation(
            item.target!,
            p.credentials,
          );
          return markStep(
            r === 'absent'
              ? `location ${item.target} was already gone`
              : `removed location ${item.target}`,
          );
        }
        case 'supersede-approvals': {
          // the detail, how many were still pending, is set when they are superseded
          writes.supersedeApprovals.push(...(item.approvalIds ?? []));
          return { ...item, result: 'compensated' };
        }
        default:
          return { ...item, result: 'skipped' };
      }
    } catch (e) {
      this.options.logger.warn(
        `compensation of ${p.requestKey} step ${item.stepId} failed: ${
          (e as Error).message
        }`,
      );
      return { ...item, result: 'failed', detail: (e as Error).message };
    }
  }
}

/** The ledger changes of a real run's items written when the run completes. */
interface LedgerWrites {
  supersedeApprovals: string[];
}

/**
 * The result of an item that neither a dry run nor a real run acts on (refused by the plan,
 * nothing to undo, left for a human, already compensated), or undefined when the run must act.
 */
function settledWithoutEffect(
  item: CompensationItem,
): CompensationItemResult | undefined {
  if (item.refusal) return { ...item, result: 'refused', detail: item.refusal };
  switch (item.plan) {
    case 'nothing':
      return { ...item, result: 'nothing' };
    case 'manual':
      return { ...item, result: 'manual' };
    case 'already-compensated':
      return { ...item, result: 'skipped' };
    default:
      return undefined;
  }
}
