import type {
  GoldenPathsStore,
  RequestRecord,
  StepRecord,
} from '../database/GoldenPathsStore';
import { ACTIONS } from './compensation/plan';
import type { LifecycleLedgerReader } from './lifecycleGatesSources';

// G-X3 "no pending finalizers" (§7.1 delete, §7.3), read from the ledger. `goldenpath:lifecycle`
// records a transition as the claimed step `<stepId>` (the descriptor change) and each finalizer
// as its own claimed step `<stepId>:<finalizer>` under the same request; archive runs the
// `repository` finalizer (read-only) for an entity with its own repository, unarchive reverses it
// (writable) under its own request, before its descriptor change. Pure but for the store adapter
// at the end.

/** The finalizers `goldenpath:lifecycle` runs on archive for an entity with its own repository. */
export const ARCHIVE_FINALIZERS: readonly string[] = ['repository'];

/** One lifecycle request of the entity with its steps (`GoldenPathsStore.lifecycleRequestsOf`). */
export interface LifecycleLedgerEntry {
  request: Pick<RequestRecord, 'requestKey' | 'status' | 'request'>;
  steps: readonly StepRecord[];
}

/** A transition's steps: its descriptor change and its finalizers by name. */
interface TransitionSteps {
  entry: LifecycleLedgerEntry;
  descriptor?: StepRecord;
  finalizers: Map<string, StepRecord>;
}

const at = (step: StepRecord) => step.finishedAt ?? step.startedAt;

/**
 * The `goldenpath:lifecycle` steps of one request: a step id with a `:<name>` suffix is the
 * finalizer `<name>` (template step ids have no colon), the one without is the descriptor change.
 * A row older than the recorded action is one of them too: no other action claims steps under a
 * lifecycle request (and a failed step has no output to infer the action from).
 */
function transitionSteps(entry: LifecycleLedgerEntry): TransitionSteps {
  const out: TransitionSteps = { entry, finalizers: new Map() };
  for (const step of entry.steps) {
    if ((step.action ?? ACTIONS.lifecycle) !== ACTIONS.lifecycle) continue;
    const colon = step.stepId.lastIndexOf(':');
    if (colon < 0) out.descriptor = step;
    else out.finalizers.set(step.stepId.slice(colon + 1), step);
  }
  return out;
}

const transitionOf = (entry: LifecycleLedgerEntry) =>
  entry.request.request.transition;

/**
 * What the entity's archive left undone, one line per finalizer for GP-L11. The archive that
 * holds the entity is its latest archive request whose descriptor change is `done` (a
 * `compensated` one was undone, by hand or by an unarchive an operator recorded, and archives
 * nothing any more). When the catalog shows the entity `archived` (`options.archived`), an
 * archive whose descriptor change is still `claimed` (the task died) or `failed` counts too: its
 * commit may have landed before the step was recorded — the catalog says it did — while its
 * finalizers never ran. `goldenpath:lifecycle` claims that step only after the gates passed, so
 * such a step's archive is the latest attempt on the entity, and the latest one by its step's
 * time holds it. A finalizer of that archive is pending when its step:
 * - is `failed` or still `claimed` (crashed, or running now): the effect may be missing;
 * - is `compensated`: its effect was undone while the entity stays archived (the repository is
 *   writable again), which is exactly what the gate is for;
 * - was never claimed although it was due: the entity has its own repository (the `repository`
 *   finalizer applies) and the request did not succeed, so its run stopped after the descriptor
 *   change and a rerun of the request runs the finalizer. A `succeeded` request ran every
 *   finalizer that applied when it ran; one without a finalizer step is not counted (a request
 *   recorded before the action had finalizers cannot be told from one that had none to run);
 * - is `done` but a later unarchive request reversed it (its step of that finalizer `done` or
 *   `claimed`) without the entity leaving `archived` (its descriptor change did not happen).
 * An archive request pruned by retention (succeeded, `retainSucceededDays`) holds nothing.
 */
export function pendingFinalizers(
  entries: readonly LifecycleLedgerEntry[],
  options: { ownRepository: boolean; archived?: boolean },
): string[] {
  const holding: readonly StepRecord['status'][] = options.archived
    ? ['done', 'claimed', 'failed']
    : ['done'];
  const archives = entries
    .filter(e => transitionOf(e) === 'archive')
    .map(transitionSteps)
    .filter(t => t.descriptor && holding.includes(t.descriptor.status));
  if (archives.length === 0) return [];
  const current = archives.reduce((a, b) =>
    at(b.descriptor!) > at(a.descriptor!) ? b : a,
  );
  const since = at(current.descriptor!);
  const key = current.entry.request.requestKey;
  const reversals = entries
    .filter(e => transitionOf(e) === 'unarchive')
    .map(transitionSteps);
  const names = new Set(current.finalizers.keys());
  if (options.ownRepository && current.entry.request.status !== 'succeeded') {
    for (const name of ARCHIVE_FINALIZERS) names.add(name);
  }
  const holds: string[] = [];
  for (const name of names) {
    const step = current.finalizers.get(name);
    if (!step) {
      holds.push(
        `finalizer ${name} (request ${key}, step ${
          current.descriptor!.stepId
        }:${name} never ran)`,
      );
      continue;
    }
    if (step.status !== 'done') {
      holds.push(
        `finalizer ${name} (request ${key}, step ${step.stepId} ${step.status})`,
      );
      continue;
    }
    const reversal = reversals
      .map(u => ({ u, s: u.finalizers.get(name) }))
      .filter(
        ({ s }) =>
          s &&
          (s.status === 'done' || s.status === 'claimed') &&
          s.startedAt > since,
      )
      .sort((a, b) => (a.s!.startedAt < b.s!.startedAt ? 1 : -1))[0];
    if (reversal) {
      holds.push(
        `finalizer ${name} (request ${key}; undone by request ${
          reversal.u.entry.request.requestKey
        }, step ${reversal.s!.stepId} ${reversal.s!.status})`,
      );
    }
  }
  return holds;
}

/** G-X3's ledger source over this plugin's own store. */
export function storeLifecycleLedger(
  store: Pick<GoldenPathsStore, 'lifecycleRequestsOf'>,
): LifecycleLedgerReader {
  return {
    async pendingFinalizers(entityRef, options) {
      return pendingFinalizers(
        await store.lifecycleRequestsOf(entityRef),
        options,
      );
    },
  };
}
