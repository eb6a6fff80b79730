import { goldenPathsRequestReadPermission } from '../permissions';
import {
  asSwitchRefusal,
  type SwitchRefusal,
} from '../policy/rules/killSwitchRules';
import type { KillSwitchScope } from './killSwitches';

/*
 * The last dry run shown when an operator lifts a kill switch (golden-paths.md §4.7: "the
 * operator is shown the last dry run of the affected template and SHOULD run one first"). The
 * backend's trace of a dry run is the audit record `goldenpath:ledger:open` writes with
 * `dryRun: true` (§4.6: ledger:open in dry run reports the mode it would take without
 * inserting); a dry run that stopped before ledger:open (a policy denial at validate) leaves
 * none. Pure: the backend reads the records, the frontend shows the answer.
 */

/** The action whose dry-run audit record stands for the whole dry run. */
export const DRY_RUN_RECORD_ACTION = 'goldenpath:ledger:open';

/**
 * What the ledger said about a dry run: the mode a real run would take, or a refusal.
 *
 * @public
 */
export type DryRunOutcome =
  | 'would-create'
  | 'would-resume'
  | 'would-replay'
  | 'refused';

/**
 * One dry run as `GET /kill-switches/:scope/:id/last-dry-run` answers it.
 *
 * @public
 */
export interface DryRunView {
  /** Audit event id (`gp_events.id`). */
  eventId: string;
  /** When ledger:open ran in the dry run (ISO-8601 UTC). */
  at: string;
  /** Who started the dry run (the task's user). */
  by?: string;
  taskId?: string;
  requestKey?: string;
  templateRef?: string;
  /** The template's name (`templateRef` without kind and namespace): what a template switch matches. */
  template?: string;
  templateVersion?: string;
  fingerprint?: string;
  /** The preview's plan digest, when the dry run sent it to the ledger. */
  planDigest?: string;
  outcome: DryRunOutcome;
  /** The rule that refused it (GP-I02, GP-K01, …) when `outcome` is `refused`. */
  ruleId?: string;
  /** True when it ran after the switch was thrown (a proof made while the path was off). */
  afterSwitch?: boolean;
  /**
   * The kill-switch refusal a real run would have got when this dry run ran: the dry run ran
   * through the switch (§4.7), so it is the no-op proof made while the path was off. `message`
   * is left out with the request-level fields (GP-K02 names the request key).
   */
  wouldBeRefusedBy?: { ruleId: string; message?: string };
}

/**
 * Which golden paths a switch covers: every template (`all`), the named templates, or unknown
 * (an action switch whose templates could not be read from the catalog).
 *
 * @public
 */
export type DryRunCoverage =
  | { kind: 'all' }
  | { kind: 'templates'; templates: string[] }
  | { kind: 'unknown'; message: string };

/**
 * Answer of `GET /kill-switches/:scope/:id/last-dry-run`.
 *
 * @public
 */
export interface LastDryRunAnswer {
  scope: KillSwitchScope;
  id: string;
  covers: DryRunCoverage;
  /** Since when the switch is off (runtime `setAt`, or the config's `since`); absent when it is not off. */
  switchedOffSince?: string;
  /**
   * The most recent dry run of a covered template that a kill switch did not refuse; absent when
   * none is on record (or none among the records `searched` read).
   */
  lastDryRun?: DryRunView;
  /**
   * The newest dry run of a covered template that a kill switch refused (GP-K01/K02/K03), when it
   * is newer than `lastDryRun`. Dry runs recorded before dry runs ran through the switches were
   * refused at ledger:open like real runs and show nothing of what would run, so such a record is
   * reported beside the last one that ran instead of hiding it. A dry run today runs through the
   * switch and is `lastDryRun` itself, with `wouldBeRefusedBy`.
   */
  latestSwitchRefusal?: DryRunView;
  /**
   * How far the search went: `records` dry-run records read, newest first (of any template);
   * `complete` is false when it stopped at its bound before finding a dry run that ran, so older
   * records were not read. Absent when nothing was searched (no covered template, or coverage
   * unknown).
   */
  searched?: { records: number; complete: boolean };
  /**
   * Present when the caller may not read requests: the request-level `fields` of the dry runs
   * are left out (they need `permission`, as `GET /requests/:key` does).
   */
  withheld?: { permission: string; fields: string[] };
  /**
   * Present when a reloaded config's kill switches cannot be read (as in `GET /kill-switches`):
   * the reader's message naming the config path. `switchedOffSince` then knows the runtime switch
   * only; the dry runs are read as usual.
   */
  configError?: string;
}

/** The rules a kill switch refuses with: GP-K01 (template), GP-K02 (action), GP-K03 (all). */
const KILL_SWITCH_RULES: ReadonlySet<string> = new Set([
  'GP-K01',
  'GP-K02',
  'GP-K03',
]);

/**
 * Whether a kill switch refused the dry run at ledger:open (so it shows nothing that would run).
 * Only records written before dry runs ran through the switches are such refusals.
 */
export function isKillSwitchRefusal(run: DryRunView): boolean {
  return (
    run.outcome === 'refused' &&
    run.ruleId !== undefined &&
    KILL_SWITCH_RULES.has(run.ruleId)
  );
}

/**
 * The fields of a dry run that describe its request rather than its template: who ran it, the
 * task, the request key, the fingerprint, the plan digest and the full template ref. Reading
 * them needs `goldenpaths.request.read`, as the request itself does.
 */
export const DRY_RUN_REQUEST_FIELDS = [
  'by',
  'taskId',
  'requestKey',
  'templateRef',
  'fingerprint',
  'planDigest',
] as const;

function withoutFields(run: DryRunView): DryRunView {
  const rest: Record<string, unknown> = { ...run };
  for (const field of DRY_RUN_REQUEST_FIELDS) delete rest[field];
  // which switch it ran through stays; its text names the request key (GP-K02)
  if (run.wouldBeRefusedBy) {
    rest.wouldBeRefusedBy = { ruleId: run.wouldBeRefusedBy.ruleId };
  }
  return rest as unknown as DryRunView;
}

/**
 * The answer for a caller who may manage kill switches but not read requests: the dry runs keep
 * when, template, outcome and whether after the switch; the request-level fields are left out
 * and `withheld` says which and what permission shows them.
 */
export function withoutRequestDetails(
  answer: LastDryRunAnswer,
): LastDryRunAnswer {
  return {
    ...answer,
    ...(answer.lastDryRun
      ? { lastDryRun: withoutFields(answer.lastDryRun) }
      : {}),
    ...(answer.latestSwitchRefusal
      ? { latestSwitchRefusal: withoutFields(answer.latestSwitchRefusal) }
      : {}),
    withheld: {
      permission: goldenPathsRequestReadPermission.name,
      fields: [...DRY_RUN_REQUEST_FIELDS, 'wouldBeRefusedBy.message'],
    },
  };
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/** The template name of a template ref (`template:default/service-node-http` → `service-node-http`). */
export function templateNameOf(templateRef: string): string {
  return templateRef.slice(templateRef.lastIndexOf('/') + 1);
}

/** Whether an audit record is the ledger:open record of a dry run. */
export function isDryRunRecord(record: Record<string, unknown>): boolean {
  return record.action === DRY_RUN_RECORD_ACTION && record.dryRun === true;
}

/**
 * The dry run an audit record describes, or undefined when the record is not a dry run's
 * ledger:open. `switchedOffSince` marks whether it ran after the switch was thrown.
 */
export function dryRunFromRecord(
  event: { id: string; at: string; record: Record<string, unknown> },
  switchedOffSince?: string,
): DryRunView | undefined {
  const r = event.record;
  if (!isDryRunRecord(r)) return undefined;
  const actor = (r.actor ?? {}) as Record<string, unknown>;
  const templateRef = str(r.templateRef);
  const refused = r.decision === 'deny';
  const passed: SwitchRefusal | undefined = asSwitchRefusal(r.wouldBeRefusedBy);
  let outcome: DryRunOutcome = 'refused';
  if (!refused) {
    if (r.mode === 'resume') outcome = 'would-resume';
    else if (r.mode === 'replay') outcome = 'would-replay';
    else outcome = 'would-create';
  }
  const view: DryRunView = {
    eventId: event.id,
    at: event.at,
    by: str(actor.userRef),
    taskId: str(r.taskId),
    requestKey: str(r.requestKey),
    templateRef,
    template: templateRef ? templateNameOf(templateRef) : undefined,
    templateVersion: str(r.templateVersion),
    fingerprint: str(r.fingerprint),
    planDigest: str(r.planDigest),
    outcome,
    ruleId: refused ? str(r.errorCode) : undefined,
    afterSwitch: switchedOffSince
      ? Date.parse(event.at) > Date.parse(switchedOffSince)
      : undefined,
    wouldBeRefusedBy: passed,
  };
  return Object.fromEntries(
    Object.entries(view).filter(([, v]) => v !== undefined),
  ) as unknown as DryRunView;
}

/**
 * Template entity, as far as the coverage of an action switch and ledger:open's steps need it
 * (`kind` and `metadata.namespace` tell two templates of one name apart; absent, `Template` in
 * `default`, the catalog's defaults).
 */
export interface TemplateStepsView {
  kind?: string;
  metadata: { name: string; namespace?: string };
  spec?: { steps?: unknown };
}

/** `[name]` when a Template entity of the catalog has that `metadata.name`, else none. */
export function templatesNamed(
  templates: readonly TemplateStepsView[],
  name: string,
): string[] {
  return templates.some(t => t.metadata.name === name) ? [name] : [];
}

/**
 * The templates whose `spec.steps` use `actionId` (§4.7: validate checks "every action id listed
 * in the template entity's spec.steps"), sorted and without duplicates.
 */
export function templatesUsingAction(
  templates: readonly TemplateStepsView[],
  actionId: string,
): string[] {
  const names = new Set<string>();
  for (const t of templates) {
    const steps = Array.isArray(t.spec?.steps) ? t.spec!.steps : [];
    if (
      (steps as unknown[]).some(
        s => (s as { action?: unknown } | null)?.action === actionId,
      )
    ) {
      names.add(t.metadata.name);
    }
  }
  return [...names].sort();
}
