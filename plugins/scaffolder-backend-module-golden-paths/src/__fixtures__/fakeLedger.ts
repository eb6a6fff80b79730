import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  LifecycleGatesAnswer,
  ApprovalStateView,
  GoldenPathsService,
  LedgerRequest,
  LedgerStep,
  OpenRequestResult,
} from '@internal/plugin-golden-paths-node';
import {
  checkActionSwitch,
  checkKillSwitches,
  stepsLeftEffects,
  type KillSwitches,
} from '@internal/plugin-golden-paths-common';

/**
 * An in-memory stand-in of the golden-paths backend for action unit tests: step claims with
 * fingerprints (GP-I05), done steps returned instead of re-run, scripted request modes and
 * approval states, the read-only row lookup (`getRequest`) from seeded rows, and the read-only
 * step lookups (`getStep`, `getSteps`) of the steps claimed (or seeded in `steps`) here, and the backend's kill-switch checks at open
 * and at a step claim (`backendSwitches`). The real ledger
 * semantics are tested in golden-paths-backend on SQLite and PostgreSQL; these tests check what
 * the actions do with its answers.
 */
export function fakeLedger(
  opts: {
    mode?: OpenRequestResult['mode'];
    approvals?: ApprovalStateView[];
    refuseOpen?: { ruleId: string; message: string };
    gates?: LifecycleGatesAnswer;
    /** Rows `getRequest` answers (the ledger's `gp_requests`); a key not here is unknown. */
    requests?: LedgerRequest[];
    /** `getRequest` fails with this error (the backend does not answer). */
    failGet?: Error;
    /**
     * A kill switch the backend finds at `open` (runtime or config, §4.7): a real run is refused
     * with it; a dry run gets its mode and the refusal as `wouldBeRefusedBy`, as the backend answers.
     */
    switchOnOpen?: { ruleId: string; message: string };
    /**
     * The kill switches the backend sees (its config and its runtime table, merged), matched as
     * golden-paths-backend's router does with the same functions: at `open` by
     * `checkKillSwitches` on the template the action sends (only when it sends one; its steps,
     * else those of `catalogTemplates`), with `stepsRecorded` when steps of the key held here may
     * have left an effect (`stepsLeftEffects`); at a step claim by `checkActionSwitch` on the claim's action.
     */
    backendSwitches?: KillSwitches;
    /**
     * The backend's cached catalog read of the templates' steps (by template name), which `open`
     * checks the switches on when the action sends no steps.
     */
    catalogTemplates?: Record<string, { id: string; action: string }[]>;
  } = {},
) {
  const steps = new Map<string, LedgerStep>();
  const requests = new Map(
    (opts.requests ?? []).map(r => [r.requestKey, r] as const),
  );
  const calls: {
    op: string;
    key: string;
    body?: unknown;
    /** Whose behalf the call was made on, when not the scaffolder's own. */
    credentials?: BackstageCredentials;
  }[] = [];
  const stepsOf = (key: string) =>
    [...steps.values()].filter(s => s.requestKey === key);
  const approvals = [...(opts.approvals ?? [])];
  const ledger: GoldenPathsService = {
    async getRequest(key) {
      calls.push({ op: 'get', key });
      if (opts.failGet) throw opts.failGet;
      return requests.get(key);
    },
    async openRequest(key, input) {
      calls.push({ op: 'open', key, body: input });
      if (opts.refuseOpen) return { refused: true, ...opts.refuseOpen };
      const template = input.template;
      const templateSteps =
        template?.steps ??
        (template ? opts.catalogTemplates?.[template.name] : undefined);
      const [denial] =
        opts.backendSwitches && template
          ? checkKillSwitches(
              opts.backendSwitches,
              {
                name: template.name,
                ...(templateSteps ? { steps: templateSteps } : {}),
              },
              key,
              { stepsRecorded: stepsLeftEffects(stepsOf(key)) },
            )
          : [];
      const onOpen =
        opts.switchOnOpen ??
        (denial
          ? { ruleId: denial.id, message: denial.message ?? denial.id }
          : undefined);
      if (onOpen && input.dryRun !== true) {
        return { refused: true, ...onOpen };
      }
      return {
        mode: opts.mode ?? 'create',
        dryRun: input.dryRun === true,
        ...(onOpen ? { wouldBeRefusedBy: onOpen } : {}),
        request: {
          requestKey: key,
          fingerprint: input.fingerprint,
          templateRef: input.templateRef,
          templateVersion: input.templateVersion,
          kind: input.kind,
          status: 'running',
          createdBy: input.createdBy,
          createdAt: '2026-11-23T10:00:00.000Z',
          updatedAt: '2026-11-23T10:00:00.000Z',
          attempts: opts.mode === 'replay' ? 2 : 1,
        },
        ...(opts.mode === 'replay'
          ? {
              previous: {
                commitSha: 'abc',
                entityRef: 'component:default/cart-api',
              },
            }
          : {}),
      };
    },
    async getSteps(key) {
      calls.push({ op: 'steps', key });
      if (opts.failGet) throw opts.failGet;
      const held = stepsOf(key);
      return held.length || requests.has(key) ? held : undefined;
    },
    async getStep(key, stepId) {
      calls.push({ op: 'step', key, body: { stepId } });
      return steps.get(`${key}/${stepId}`);
    },
    async claimStep(key, stepId, input) {
      calls.push({ op: 'claim', key, body: { stepId, ...input } });
      const switched =
        input.action &&
        checkActionSwitch(opts.backendSwitches, input.action, stepId, key);
      if (switched) {
        return {
          refused: true,
          ruleId: switched.id,
          message: switched.message ?? switched.id,
        };
      }
      const id = `${key}/${stepId}`;
      const existing = steps.get(id);
      if (existing && existing.fingerprint !== input.fingerprint) {
        return {
          refused: true,
          ruleId: 'GP-I05',
          message: `GP-I05: Step "${stepId}" of request "${key}" already ran with different input; it will not run again with new input. Compensate the request or start a new one with a new key.`,
        };
      }
      if (existing?.status === 'done') return { run: false, step: existing };
      const step: LedgerStep = {
        requestKey: key,
        stepId,
        fingerprint: input.fingerprint,
        status: 'claimed',
        attempt: (existing?.attempt ?? 0) + 1,
      };
      steps.set(id, step);
      return { run: true, step };
    },
    async completeStep(key, stepId, input) {
      calls.push({ op: 'complete', key, body: { stepId, ...input } });
      const step = {
        ...steps.get(`${key}/${stepId}`)!,
        status: input.status,
        output: input.output,
        effectRef: input.effectRef,
      };
      steps.set(`${key}/${stepId}`, step);
      return step;
    },
    async closeRequest(key, input) {
      calls.push({ op: 'close', key, body: input });
      return {
        requestKey: key,
        fingerprint: 'sha256:x',
        templateRef: 'template:default/service-node-http',
        templateVersion: '1.0.0',
        kind: 'service',
        status: input.status,
        createdBy: 'user:default/ana.ruiz',
        createdAt: '2026-11-23T10:00:00.000Z',
        updatedAt: '2026-11-23T10:00:00.000Z',
        attempts: 1,
      };
    },
    async openApproval(key, input) {
      calls.push({ op: 'approval', key, body: input });
      return approvals.length > 1
        ? approvals.shift()!
        : approvals[0] ?? { status: 'not-required' };
    },
    async lifecycleGates(query, options) {
      calls.push({
        op: 'gates',
        key: query.entityRef,
        body: query,
        credentials: options?.credentials,
      });
      if (!opts.gates) throw new Error('no gates scripted');
      return opts.gates;
    },
    requestUrl: key =>
      `http://localhost:3000/golden-paths/requests/${encodeURIComponent(key)}`,
  };
  return { ledger, steps, calls, requests };
}
