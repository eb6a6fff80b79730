import {
  ACTIONS,
  LOCAL_LOCATION_PREFIX,
  isInsideRoot,
  isUrlRemote,
  parsePublishRef,
  PlanStep,
  stepAction,
} from '../compensation/plan';
import { refKey } from '../../refKey';

// What the ledger says a `succeeded` request left in the world (§8 step 4 "Reconcile reality"):
// the repository, the catalog entity with its lifecycle, the database. Pure: no I/O, no clock.
// The reconciler observes the same things (`observers.ts`) and `compareRecordedVsObserved`
// turns the two into check results.

/** The checks of §8 step 4 that this backend runs. */
export type CheckId =
  | 'repository.present'
  | 'repository.marker'
  | 'repository.commit'
  | 'repository.write-state'
  | 'entity.present'
  | 'entity.absent'
  | 'entity.request-key'
  | 'entity.lifecycle'
  | 'database.present';

/** A check this backend does not run for a request, and why (shown with the drift). */
export interface NotChecked {
  check: CheckId;
  target: string;
  reason: string;
}

/**
 * How a repository shows it is this request's: its own repository carries `.goldenpath.yaml`
 * naming the creating request (§2.2; `requestKey` undefined when the creating request is no
 * longer in the ledger: any marker counts); a shared repository (the database template's
 * infrastructure repository, §3.3) holds the recorded commit in HEAD's history.
 */
export type RepositoryIdentity =
  | { kind: 'marker'; requestKey?: string }
  | { kind: 'commit'; commitSha: string };

export interface RecordedRepository {
  /** Absolute path of the local bare repository. */
  path: string;
  identity: RepositoryIdentity;
  /**
   * Read-only (archived, §7.3 `repository` finalizer: a `pre-receive` hook) or writable; absent
   * for a shared repository, whose write state is not one entity's.
   */
  readOnly?: boolean;
}

export interface RecordedEntity {
  /** Entity ref, lower-cased. */
  ref: string;
  /** `present` with `lifecycle`, or `absent` after a lifecycle delete. */
  presence: 'present' | 'absent';
  lifecycle?: string;
  /** `ops.example.com/request-key` the entity carries (undefined: any request key). */
  requestKey?: string;
}

export interface RecordedDatabase {
  /** The key the provisioner's `find(requestKey)` looks up (§4.9). */
  requestKey: string;
  /** `effect_ref` of the apply step (`<provisioner>:<database>`). */
  target: string;
}

/** What one request left, as far as the ledger records it. */
export interface RecordedState {
  requestKey: string;
  repository?: RecordedRepository;
  entity?: RecordedEntity;
  database?: RecordedDatabase;
  notChecked: NotChecked[];
}

/** A ledger row with its steps, as far as the reconciler reads them. */
export interface LedgerEntry {
  request: {
    requestKey: string;
    kind: string;
    status: string;
    /** The normalized request (`request_json`). */
    request: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    createdAt: string;
  };
  steps: readonly PlanStep[];
}

/** Lifecycle after a transition (§7.1), when the step did not record `to`. */
const TRANSITION_TO: Record<string, string> = {
  promote: 'production',
  deprecate: 'deprecated',
  undeprecate: 'production',
  archive: 'archived',
  unarchive: 'deprecated',
  delete: 'deleted',
};

const CREATION_KINDS = new Set(['service', 'worker', 'library', 'database']);

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;
const lower = (v: string | undefined) => (v === undefined ? v : refKey(v));
const entityKind = (ref: string) => ref.slice(0, ref.indexOf(':'));

/** What one request did to one entity, in time. */
interface Touch {
  entry: LedgerEntry;
  /** When its effect happened: the last done step's end, else the request's creation. */
  at: string;
  /** Lifecycle the entity has after it (`deleted`: gone from the catalog). */
  lifecycle: string;
  creation: boolean;
  /** Creation whose register step was compensated (§8): the entity left the catalog. */
  entityCompensated?: boolean;
  /** Repository path the request wrote (creation: publish; lifecycle: the descriptor commit). */
  repository?: { location: string; commitSha?: string };
}

const done = (steps: readonly PlanStep[], action: string) =>
  steps.filter(s => s.status === 'done' && stepAction(s) === action);

function effectTime(entry: LedgerEntry): string {
  const ends = entry.steps
    .filter(s => s.status === 'done')
    .map(s => s.finishedAt ?? s.startedAt)
    .sort();
  return ends[ends.length - 1] ?? entry.request.createdAt;
}

/** The entity a creation request registered, and whether compensation took it out again. */
export function createdEntity(
  entry: LedgerEntry,
): { ref: string; compensated: boolean } | undefined {
  const register = entry.steps.find(
    s =>
      stepAction(s) === ACTIONS.register &&
      (s.status === 'done' || s.status === 'compensated'),
  );
  const fromRef = register?.effectRef?.startsWith(LOCAL_LOCATION_PREFIX)
    ? register.effectRef.slice(LOCAL_LOCATION_PREFIX.length)
    : undefined;
  const ref = lower(
    str(register?.output?.entityRef) ??
      fromRef ??
      str(entry.request.outputs?.entityRef),
  );
  return ref
    ? { ref, compensated: register?.status === 'compensated' }
    : undefined;
}

/** Lifecycle a new entity starts with (§2.1): Components experimental; Resources by environment. */
function creationLifecycle(entry: LedgerEntry): string {
  return entry.request.kind === 'database' &&
    entry.request.request.environment === 'prod'
    ? 'production'
    : 'experimental';
}

/** The repository a creation request published to (publish step, else the recorded outputs). */
function createdRepository(
  entry: LedgerEntry,
): { location: string; commitSha?: string; stepStatus: string } | undefined {
  const publish = entry.steps.find(
    s => stepAction(s) === ACTIONS.publishGit && s.status !== 'failed',
  );
  const parsed = publish?.effectRef
    ? parsePublishRef(publish.effectRef)
    : undefined;
  if (publish && parsed)
    return {
      location: parsed.remote,
      commitSha: parsed.commitSha,
      stepStatus: publish.status,
    };
  const repoUrl = str(entry.request.outputs?.repoUrl);
  if (repoUrl) {
    return {
      location: repoUrl,
      commitSha: str(entry.request.outputs?.commitSha),
      stepStatus: 'done',
    };
  }
  return undefined;
}

function touchOf(
  entry: LedgerEntry,
): { ref: string; touch: Touch } | undefined {
  const { request } = entry;
  if (request.kind === 'lifecycle') {
    const ref = lower(str(request.request.entity));
    const [step] = done(entry.steps, ACTIONS.lifecycle);
    if (!ref || !step) return undefined;
    const transition = str(request.request.transition) ?? '';
    const lifecycle =
      str(step.output?.to) ?? TRANSITION_TO[transition] ?? 'unknown';
    let repository: Touch['repository'];
    if (step.effectRef) {
      const parsed = parsePublishRef(step.effectRef);
      // delete records where the repository was moved to (no commit)
      repository = parsed
        ? { location: parsed.remote, commitSha: parsed.commitSha }
        : { location: step.effectRef };
    }
    return {
      ref,
      touch: {
        entry,
        at: step.finishedAt ?? step.startedAt,
        lifecycle,
        creation: false,
        repository,
      },
    };
  }
  if (!CREATION_KINDS.has(request.kind)) return undefined;
  const created = createdEntity(entry);
  if (!created) return undefined;
  const repo = createdRepository(entry);
  return {
    ref: created.ref,
    touch: {
      entry,
      at: effectTime(entry),
      lifecycle: creationLifecycle(entry),
      creation: true,
      entityCompensated: created.compensated,
      repository: repo && repo.stepStatus === 'done' ? repo : undefined,
    },
  };
}

/** Later effect first; a lifecycle change before a creation at the same instant. */
function latestFirst(a: Touch, b: Touch): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.creation !== b.creation) return a.creation ? 1 : -1;
  const [x, y] = [a.entry.request.requestKey, b.entry.request.requestKey];
  if (x === y) return 0;
  return x < y ? 1 : -1;
}

/**
 * The recorded state of every entry (`succeeded` requests). Requests are grouped by the entity
 * they created or moved; the latest of them (by the time of its effect) records what the entity
 * and its repository look like now — a service promoted after its creation is `production`, not
 * the `experimental` its creating request wrote — and the earlier ones leave those checks to it,
 * so one drift is reported once. The marker and annotation name the creating request.
 */
export function recordedStates(
  entries: readonly LedgerEntry[],
  options: { localRoot: string },
): RecordedState[] {
  const byEntity = new Map<string, Touch[]>();
  const touchByKey = new Map<string, { ref: string; touch: Touch }>();
  for (const entry of entries) {
    const t = touchOf(entry);
    if (!t) continue;
    touchByKey.set(entry.request.requestKey, t);
    byEntity.set(t.ref, [...(byEntity.get(t.ref) ?? []), t.touch]);
  }
  for (const touches of byEntity.values()) touches.sort(latestFirst);

  return entries.map(entry => {
    const key = entry.request.requestKey;
    const state: RecordedState = { requestKey: key, notChecked: [] };
    const skip = (check: CheckId, target: string, reason: string) =>
      state.notChecked.push({ check, target, reason });

    const t = touchByKey.get(key);
    const touches = t ? byEntity.get(t.ref)! : [];
    const latest = touches[0];
    const deletedBy =
      latest && latest.lifecycle === 'deleted'
        ? latest.entry.request.requestKey
        : undefined;

    // The database is the creating request's own, whoever moved its Resource since.
    const [apply] = done(entry.steps, ACTIONS.databaseApply);
    if (apply) {
      const target = apply.effectRef ?? str(apply.output?.resourceRef) ?? key;
      if (deletedBy && deletedBy !== key) {
        skip(
          'database.present',
          target,
          `its Resource was deleted by request "${deletedBy}" (the provisioner's destroy goes through the lifecycle, §7.1)`,
        );
      } else {
        state.database = { requestKey: key, target };
      }
    }

    if (!t) return state;
    if (latest !== t.touch) {
      skip(
        'entity.lifecycle',
        t.ref,
        `checked on request "${latest.entry.request.requestKey}", the latest that changed ${t.ref}`,
      );
      return state;
    }

    const creation = touches.find(x => x.creation);
    const creatingKey = creation?.entry.request.requestKey;
    const shared = entityKind(t.ref) === 'resource';

    if (latest.entityCompensated) {
      skip(
        'entity.present',
        t.ref,
        'its register step is compensated (§8): the entity was taken out of the catalog',
      );
    } else if (latest.lifecycle === 'deleted') {
      state.entity = { ref: t.ref, presence: 'absent' };
    } else {
      state.entity = {
        ref: t.ref,
        presence: 'present',
        lifecycle: latest.lifecycle,
        ...(creatingKey ? { requestKey: creatingKey } : {}),
      };
    }

    // The repository: where the latest request wrote (a delete moved it), else where it was created.
    const repo = latest.repository ?? creation?.repository;
    if (!repo) {
      const compensated = creation?.entry.steps.find(
        s => stepAction(s) === ACTIONS.publishGit && s.status === 'compensated',
      );
      if (compensated) {
        skip(
          'repository.present',
          compensated.effectRef ?? compensated.stepId,
          'its publish step is compensated (§8): the repository was removed or handed to a human',
        );
      }
      return state;
    }
    if (isUrlRemote(repo.location)) {
      skip(
        'repository.present',
        repo.location,
        'remote repository: this backend reads only local bare repositories under goldenPaths.publish.local.root, so it is not checked here',
      );
      return state;
    }
    if (!isInsideRoot(options.localRoot, repo.location)) {
      skip(
        'repository.present',
        repo.location,
        `not a <name>.git repository inside goldenPaths.publish.local.root (${options.localRoot}); not read`,
      );
      return state;
    }
    if (shared) {
      if (latest.lifecycle === 'deleted') {
        skip(
          'repository.present',
          repo.location,
          'the Resource was deleted; its descriptor lived in the shared infrastructure repository',
        );
        return state;
      }
      const commitSha = repo.commitSha ?? creation?.repository?.commitSha;
      if (commitSha) {
        state.repository = {
          path: repo.location,
          identity: { kind: 'commit', commitSha },
        };
      }
      return state;
    }
    state.repository = {
      path: repo.location,
      identity: { kind: 'marker', requestKey: creatingKey },
      readOnly:
        latest.lifecycle === 'archived' || latest.lifecycle === 'deleted',
    };
    return state;
  });
}
