import type {
  CompensationClass,
  CompensationItem,
  CompensationPlanAction,
} from '@internal/plugin-golden-paths-common';
import path from 'node:path';

// The compensation plan of golden-paths.md §8 "Revert": the completed steps of a request in
// reverse completion order, each with its compensation class (§4.1 table, §4.9) and what this
// build does about it (the item types are golden-paths-common's, shared with the frontend).
// Pure: no I/O, no clock. What can really be checked (the repository on disk,
// the catalog) is checked when the plan runs (`CompensationService`).

export type { CompensationClass, CompensationItem, CompensationPlanAction };

/** `effect_ref` of a local-mode register (`golden-paths-local:<entityRef>`). */
export const LOCAL_LOCATION_PREFIX = 'golden-paths-local:';

/** The step ids the request-level items use. */
export const APPROVALS_ITEM = 'approvals';
export const LEDGER_ITEM = 'ledger';

export const ACTIONS = {
  validate: 'goldenpath:validate',
  preview: 'goldenpath:preview',
  ledgerOpen: 'goldenpath:ledger:open',
  approve: 'goldenpath:approve',
  descriptor: 'goldenpath:descriptor',
  databaseDescriptor: 'goldenpath:database:descriptor',
  publishGit: 'goldenpath:publish:git',
  register: 'goldenpath:register',
  databasePlan: 'goldenpath:database:plan',
  databaseApply: 'goldenpath:database:apply',
  lifecycle: 'goldenpath:lifecycle',
  ledgerClose: 'goldenpath:ledger:close',
} as const;

/** The plan for one request. */
export interface CompensationPlan {
  requestKey: string;
  /** The request's status when planned. */
  status: string;
  /** True when there is nothing to do (the request is already compensated). */
  empty: boolean;
  /** True when the request created nothing: closing it is abandoning it (§4.9 ledger:open). */
  abandoned: boolean;
  message: string;
  items: CompensationItem[];
}

/** A `gp_steps` row, as far as the planner reads it. */
export interface PlanStep {
  stepId: string;
  action?: string;
  status: 'claimed' | 'done' | 'failed' | 'compensated';
  effectRef?: string;
  output?: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
}

export interface PlanInput {
  request: {
    requestKey: string;
    status: string;
    /** The normalized request (`request_json`); the lifecycle transition is read from it. */
    request?: Record<string, unknown>;
  };
  steps: readonly PlanStep[];
  approvals: readonly { id: string; status: string }[];
  /** `goldenPaths.publish.local.root`, resolved to an absolute path. */
  localRoot: string;
  /** Whether this backend can remove catalog locations (a catalog client is wired). */
  catalogLocations: boolean;
}

/** `https://…`, `ssh://…` or `git@host:path` (the scaffolder module's `isUrlRemote`). */
export function isUrlRemote(remote: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || /^[^/]+@[^:]+:/.test(remote)
  );
}

/** Splits publish's `effect_ref` `<remote>@<commit>` (the remote may contain `@` itself). */
export function parsePublishRef(
  effectRef: string,
): { remote: string; commitSha: string } | undefined {
  const at = effectRef.lastIndexOf('@');
  if (at <= 0) return undefined;
  const commitSha = effectRef.slice(at + 1);
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commitSha)) return undefined;
  return { remote: effectRef.slice(0, at), commitSha };
}

/**
 * Whether `candidate` names a `<name>.git` directory strictly inside `root` (both already
 * absolute). Textual; the service checks the real paths (symbolic links) again before deleting.
 */
export function isInsideRoot(root: string, candidate: string): boolean {
  const r = path.resolve(root);
  const c = path.resolve(candidate);
  return c.startsWith(`${r}${path.sep}`) && c.endsWith('.git');
}

/** The action of a step: recorded at claim, else inferred from what the step recorded. */
export function stepAction(step: PlanStep): string {
  if (step.action) return step.action;
  const out = step.output ?? {};
  const has = (k: string) => out[k] !== undefined;
  if (has('provisionerRunId') || (has('resourceRef') && has('secretRef')))
    return ACTIONS.databaseApply;
  if (has('locationId')) return ACTIONS.register;
  if (has('treeSha') || (has('remoteUrl') && has('commitSha')))
    return ACTIONS.publishGit;
  if (has('from') && has('to')) return ACTIONS.lifecycle;
  if (step.effectRef?.startsWith(LOCAL_LOCATION_PREFIX))
    return ACTIONS.register;
  return 'unknown';
}

const LIFECYCLE_INVERSE: Record<string, string | undefined> = {
  deprecate: 'undeprecate',
  undeprecate: 'deprecate',
  archive: 'unarchive',
  unarchive: 'archive',
};

/** The class and manual instruction of one lifecycle transition (§4.9, §7.1). */
function lifecycleItem(
  step: PlanStep,
  transition: string | undefined,
  entity: string | undefined,
): Pick<CompensationItem, 'class' | 'description' | 'target'> {
  const from = String(step.output?.from ?? '?');
  const to = String(step.output?.to ?? '?');
  const what = entity ?? 'the entity';
  if (transition === 'delete') {
    return {
      class: 'irreversible',
      target: step.effectRef,
      description: `delete of ${what} is irreversible: the entity left the catalog; its repository was kept at ${
        step.effectRef ?? '(not recorded)'
      } and can only be restored by hand`,
    };
  }
  const inverse = transition ? LIFECYCLE_INVERSE[transition] : undefined;
  return {
    class: 'reversible',
    target: entity,
    description: inverse
      ? `${transition} (${from} → ${to}) is reversed by the "${inverse}" transition of ${what}: run the lifecycle-transition template (its gates and approvals apply); not automated here`
      : `${
          transition ?? 'the transition'
        } (${from} → ${to}) has no inverse transition; set ${what} back to ${from} in its descriptor by hand`,
  };
}

/** The plan item of one step. */
function stepItem(
  step: PlanStep,
  input: PlanInput,
  carriers: readonly Carrier[],
): CompensationItem {
  const action = stepAction(step);
  const base = {
    stepId: step.stepId,
    action,
    stepStatus: step.status,
    ...(step.finishedAt ? { finishedAt: step.finishedAt } : {}),
  };
  const ref = step.effectRef;

  if (step.status === 'compensated') {
    return {
      ...base,
      class: classOf(action, input),
      plan: 'already-compensated',
      automated: false,
      ...(ref ? { target: ref } : {}),
      description: 'compensated by an earlier run',
    };
  }
  if (step.status !== 'done') {
    return {
      ...base,
      class: classOf(action, input),
      plan: 'manual',
      automated: false,
      description: `step did not complete (${step.status}); whatever it did before it stopped is not recorded: check by hand what ${action} may have left`,
    };
  }

  switch (action) {
    case ACTIONS.descriptor:
    case ACTIONS.databaseDescriptor:
      return {
        ...base,
        class: 'reversible',
        plan: 'nothing',
        automated: false,
        description: 'workspace files only; nothing outside the task to undo',
      };
    case ACTIONS.publishGit: {
      const parsed = ref ? parsePublishRef(ref) : undefined;
      if (!parsed) {
        return {
          ...base,
          class: 'compensating',
          plan: 'manual',
          automated: false,
          ...(ref ? { target: ref } : {}),
          description: `no repository and commit recorded (effect_ref ${JSON.stringify(
            ref ?? null,
          )}); find and remove what this step published by hand`,
        };
      }
      if (isUrlRemote(parsed.remote)) {
        return {
          ...base,
          class: 'compensating',
          plan: 'manual',
          automated: false,
          target: parsed.remote,
          commitSha: parsed.commitSha,
          description: `archive ${parsed.remote} on its server (or revert commit ${parsed.commitSha} if the repository existed before); archiving remote repositories is not automated in this build`,
        };
      }
      const item: CompensationItem = {
        ...base,
        class: 'compensating',
        plan: 'delete-local-repository',
        automated: true,
        target: parsed.remote,
        commitSha: parsed.commitSha,
        description: `delete the local bare repository ${parsed.remote} if its HEAD is still commit ${parsed.commitSha}, the only commit, with a .goldenpath.yaml naming this request`,
      };
      if (
        !path.isAbsolute(parsed.remote) ||
        !isInsideRoot(input.localRoot, parsed.remote)
      ) {
        return {
          ...item,
          automated: false,
          refusal: `${parsed.remote} is not a <name>.git repository inside goldenPaths.publish.local.root (${input.localRoot}); it is not deleted — remove it by hand if it really is this request's`,
        };
      }
      return item;
    }
    case ACTIONS.register: {
      if (!ref) {
        return {
          ...base,
          class: 'compensating',
          plan: 'manual',
          automated: false,
          description:
            'no catalog location recorded; unregister the entity by hand',
        };
      }
      if (ref.startsWith(LOCAL_LOCATION_PREFIX)) {
        const entityRef = ref.slice(LOCAL_LOCATION_PREFIX.length);
        const [carrier] = carriers;
        if (carrier) {
          return {
            ...base,
            class: 'compensating',
            plan: 'with-repository',
            automated: true,
            target: entityRef,
            dependsOn: carrier.stepId,
            description: `${entityRef} leaves the catalog with ${carrier.target} (the local provider drops the entities of a removed repository on its next scan)`,
          };
        }
        return {
          ...base,
          class: 'compensating',
          plan: 'manual',
          automated: false,
          target: entityRef,
          description: `${entityRef} comes from a local repository this compensation does not delete; remove its entry from that repository's catalog-info.yaml by hand (the local provider drops it on its next scan)`,
        };
      }
      if (!/^[\w.:-]{1,128}$/.test(ref)) {
        return {
          ...base,
          class: 'compensating',
          plan: 'manual',
          automated: false,
          target: ref,
          description: `${ref} is not a catalog location id; unregister the entity by hand`,
        };
      }
      return input.catalogLocations
        ? {
            ...base,
            class: 'compensating',
            plan: 'remove-catalog-location',
            automated: true,
            target: ref,
            description: `remove catalog location ${ref} (its entities leave the catalog); dependents are not checked`,
          }
        : {
            ...base,
            class: 'compensating',
            plan: 'manual',
            automated: false,
            target: ref,
            description: `remove catalog location ${ref} by hand (no catalog client in this backend)`,
          };
    }
    case ACTIONS.databaseApply:
      return {
        ...base,
        class: 'irreversible',
        plan: 'manual',
        automated: false,
        ...(ref ? { target: ref } : {}),
        description: `database ${
          ref ?? '(not recorded)'
        } is irreversible for data and never removed automatically: a database younger than 24 h with no connections may be destroyed through its provisioner with approval, otherwise only through the lifecycle delete (§4.9, §7)`,
      };
    case ACTIONS.lifecycle: {
      const req = input.request.request ?? {};
      const transition =
        typeof req.transition === 'string' ? req.transition : undefined;
      const entity = typeof req.entity === 'string' ? req.entity : undefined;
      return {
        ...base,
        ...lifecycleItem(step, transition, entity),
        plan: 'manual',
        automated: false,
      };
    }
    case ACTIONS.validate:
    case ACTIONS.preview:
    case ACTIONS.databasePlan:
    case ACTIONS.ledgerOpen:
    case ACTIONS.ledgerClose:
    case ACTIONS.approve:
      return {
        ...base,
        class: 'none',
        plan: 'nothing',
        automated: false,
        description: 'no external effect',
      };
    default:
      return {
        ...base,
        class: 'irreversible',
        plan: 'manual',
        automated: false,
        ...(ref ? { target: ref } : {}),
        description: `unknown effect (action ${action}, effect_ref ${JSON.stringify(
          ref ?? null,
        )}); treated as irreversible: check and undo by hand`,
      };
  }
}

function classOf(action: string, input: PlanInput): CompensationClass {
  switch (action) {
    case ACTIONS.descriptor:
    case ACTIONS.databaseDescriptor:
      return 'reversible';
    case ACTIONS.publishGit:
    case ACTIONS.register:
    case ACTIONS.approve:
      return 'compensating';
    case ACTIONS.lifecycle:
      return input.request.request?.transition === 'delete'
        ? 'irreversible'
        : 'reversible';
    case ACTIONS.validate:
    case ACTIONS.preview:
    case ACTIONS.databasePlan:
    case ACTIONS.ledgerOpen:
    case ACTIONS.ledgerClose:
      return 'none';
    default:
      return 'irreversible';
  }
}

const completion = (s: PlanStep) => s.finishedAt ?? s.startedAt;

/** A local repository this request published, which a local register's entities leave with. */
interface Carrier {
  stepId: string;
  target: string;
}

/**
 * The request's publishes to a repository inside the local root, done (to be deleted now) or
 * compensated (deleted by an earlier run): the local provider's entities leave with them.
 */
function localRepositories(
  steps: readonly PlanStep[],
  localRoot: string,
): Carrier[] {
  const out: Carrier[] = [];
  for (const step of steps) {
    if (step.status !== 'done' && step.status !== 'compensated') continue;
    if (stepAction(step) !== ACTIONS.publishGit || !step.effectRef) continue;
    const parsed = parsePublishRef(step.effectRef);
    if (
      !parsed ||
      isUrlRemote(parsed.remote) ||
      !path.isAbsolute(parsed.remote) ||
      !isInsideRoot(localRoot, parsed.remote)
    )
      continue;
    out.push({ stepId: step.stepId, target: parsed.remote });
  }
  return out;
}

/**
 * The compensation plan of a request (§8 "Revert"): its steps in reverse completion order with
 * their class and action, then the request's pending approvals (superseded), then the request
 * itself (`compensated`; "abandoned" when no step had completed an effect). A request already
 * `compensated` has an empty plan.
 */
export function planCompensation(input: PlanInput): CompensationPlan {
  const { requestKey, status } = input.request;
  if (status === 'compensated') {
    return {
      requestKey,
      status,
      empty: true,
      abandoned: false,
      message: `request "${requestKey}" is already compensated; nothing to do`,
      items: [],
    };
  }
  const ordered = [...input.steps].sort((a, b) => {
    const [x, y] = [completion(a), completion(b)];
    if (x !== y) return x < y ? 1 : -1;
    if (a.stepId === b.stepId) return 0;
    return a.stepId < b.stepId ? 1 : -1;
  });
  const carriers = localRepositories(ordered, input.localRoot);
  const items = ordered.map(step => stepItem(step, input, carriers));

  const pending = input.approvals.filter(a => a.status === 'pending');
  if (pending.length > 0) {
    items.push({
      stepId: APPROVALS_ITEM,
      action: ACTIONS.approve,
      class: 'compensating',
      plan: 'supersede-approvals',
      automated: true,
      approvalIds: pending.map(a => a.id),
      target: pending.map(a => a.id).join(', '),
      description: `${pending.length} pending approval${
        pending.length === 1 ? '' : 's'
      } become superseded; nobody is asked to decide them any more`,
    });
  }

  const effects = input.steps.filter(
    s => s.status !== 'claimed' && s.status !== 'failed',
  );
  const abandoned = effects.length === 0;
  items.push({
    stepId: LEDGER_ITEM,
    action: ACTIONS.ledgerOpen,
    class: 'none',
    plan: 'close-request',
    automated: true,
    target: requestKey,
    description: abandoned
      ? `no step completed an effect: the ${status} request is abandoned (stored as status compensated)`
      : 'the request becomes compensated once every automated item succeeded; manual and irreversible items stay listed for a human',
  });

  const manual = items.filter(i => i.plan === 'manual').length;
  const automated = items.filter(i => i.automated).length;
  return {
    requestKey,
    status,
    empty: false,
    abandoned,
    message: `${automated} automated item${
      automated === 1 ? '' : 's'
    }, ${manual} for a human${
      items.some(i => i.refusal) ? ', some refused' : ''
    }`,
    items,
  };
}
