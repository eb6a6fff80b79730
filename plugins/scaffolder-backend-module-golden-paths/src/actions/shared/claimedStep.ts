import { InputError } from '@backstage/errors';
import { gpMessages } from '@internal/plugin-golden-paths-common';
import { createHash } from 'node:crypto';
import {
  isRefusal,
  type GoldenPathsService,
  type LedgerRefusal,
} from '@internal/plugin-golden-paths-node';
import type { JsonObject } from '@backstage/types';
import { failRequest } from './failRequest';

/** The fingerprint of a step's input: `sha256:` over its parts (request fingerprint, target, tree). */
export function stepFingerprint(...parts: string[]): string {
  return `sha256:${createHash('sha256')
    .update(parts.join('\n'))
    .digest('hex')}`;
}

/** Result of a claimed step: either it ran now, or the ledger already had it done. */
export interface ClaimedStepResult<T extends JsonObject> {
  output: T;
  replayed: boolean;
}

/** The error a refused claim stops with; the request fails unless another task holds it. */
async function refusalOf(
  p: { ledger: GoldenPathsService; requestKey: string; taskId: string },
  claim: LedgerRefusal,
): Promise<InputError> {
  const error = new InputError(claim.message);
  // Another task's live lease (GP-I03) is not ours to end.
  if (claim.ruleId !== 'GP-I03') {
    await failRequest(p.ledger, p.requestKey, p.taskId, error);
  }
  return error;
}

/**
 * Runs one external effect as a claimed ledger step (golden-paths.md §4.4):
 * - claim `(requestKey, stepId)` with a step fingerprint; the backend refuses another task's live
 *   lease (GP-I03), a different fingerprint (GP-I05) or a runtime kill switch (GP-K02);
 * - a step already `done` is not run again: its recorded output is returned (`replayed`);
 * - otherwise the effect runs inside `ctx.checkpoint`, so a task retry or recovery of the same
 *   task never repeats it, and its output and remote identity are recorded.
 */
export async function runClaimedStep<T extends JsonObject>(p: {
  ledger: GoldenPathsService;
  checkpoint: <U extends JsonObject>(opts: {
    key: string;
    fn: () => Promise<U>;
  }) => Promise<U>;
  requestKey: string;
  stepId: string;
  fingerprint: string;
  taskId: string;
  action: string;
  effect: () => Promise<{ output: T; effectRef?: string }>;
}): Promise<ClaimedStepResult<T>> {
  const claim = await p.ledger.claimStep(p.requestKey, p.stepId, {
    fingerprint: p.fingerprint,
    taskId: p.taskId,
    action: p.action,
  });
  if (isRefusal(claim)) throw await refusalOf(p, claim);
  if (!claim.run) {
    return { output: (claim.step.output ?? {}) as T, replayed: true };
  }
  try {
    const done = await p.checkpoint({
      key: `${p.stepId}:effect`,
      fn: async () => {
        const r = await p.effect();
        return {
          output: r.output,
          ...(r.effectRef ? { effectRef: r.effectRef } : {}),
        } as JsonObject;
      },
    });
    const output = done.output as T;
    await p.ledger.completeStep(p.requestKey, p.stepId, {
      taskId: p.taskId,
      status: 'done',
      output,
      ...(typeof done.effectRef === 'string'
        ? { effectRef: done.effectRef }
        : {}),
    });
    return { output, replayed: false };
  } catch (e) {
    await p.ledger
      .completeStep(p.requestKey, p.stepId, {
        taskId: p.taskId,
        status: 'failed',
      })
      .catch(() => undefined);
    await failRequest(p.ledger, p.requestKey, p.taskId, e);
    throw e;
  }
}

/**
 * What an earlier attempt of the request recorded for a step it completed, or undefined when no
 * attempt did; for a caller that must not run the step's effect again, only learn whether it
 * ran. The ledger has no read-only step lookup for the scaffolder, so this claims the step: a
 * `done` one comes back unchanged (nothing runs, as on any resume); a claim that would run it is
 * recorded `failed` at once (this attempt ran no effect; compensation skips failed steps), so the
 * step is not left claimed. Refusals are thrown as {@link runClaimedStep} throws them.
 */
export async function completedStep<T extends JsonObject>(p: {
  ledger: GoldenPathsService;
  requestKey: string;
  stepId: string;
  fingerprint: string;
  taskId: string;
  action: string;
}): Promise<{ output: T; effectRef?: string } | undefined> {
  const claim = await p.ledger.claimStep(p.requestKey, p.stepId, {
    fingerprint: p.fingerprint,
    taskId: p.taskId,
    action: p.action,
  });
  if (isRefusal(claim)) throw await refusalOf(p, claim);
  if (!claim.run) {
    return {
      output: (claim.step.output ?? {}) as T,
      ...(claim.step.effectRef ? { effectRef: claim.step.effectRef } : {}),
    };
  }
  await p.ledger.completeStep(p.requestKey, p.stepId, {
    taskId: p.taskId,
    status: 'failed',
  });
  return undefined;
}

/**
 * The dry-run counterpart of {@link completedStep}: the same answer, read without a claim
 * (`getStep`), so nothing is written. A step recorded with another fingerprint is GP-I05, as the
 * claim would answer; a step not `done` (or never claimed) is undefined.
 */
export async function recordedStep<T extends JsonObject>(p: {
  ledger: GoldenPathsService;
  requestKey: string;
  stepId: string;
  fingerprint: string;
}): Promise<{ output: T; effectRef?: string } | undefined> {
  const step = await p.ledger.getStep(p.requestKey, p.stepId);
  if (!step) return undefined;
  if (step.fingerprint !== p.fingerprint) {
    throw new InputError(gpMessages.i05({ step: p.stepId, key: p.requestKey }));
  }
  if (step.status !== 'done') return undefined;
  return {
    output: (step.output ?? {}) as T,
    ...(step.effectRef ? { effectRef: step.effectRef } : {}),
  };
}
