import {
  isValidRequestKey,
  killSwitchRequestKey,
  stepsLeftEffects,
  type PolicyInput,
} from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { withTimeout } from '../shared/withTimeout';

/**
 * Whether the ledger holds steps whose effect may exist (`stepsLeftEffects`: done, or claimed
 * and never finished) under the request key GP-K02 names (a resumed run), so an action switch
 * refusing the run at validate says they resume (V19) or, for a first run, that nothing was
 * created. Only asked when GP-K02 refuses. The key is the one the run records its steps under
 * (`killSwitchRequestKey` parses the request as the run does).
 *
 * A key that is not one (invalid, or built from a secret-looking value): no step can be
 * recorded under it, as such a run never passed validate. No ledger client, or a lookup that
 * fails or times out, keeps §5's one text (V19's): "nothing was created" could be untrue.
 */
export async function stepsRecordedUnderKey(p: {
  input: Pick<PolicyInput, 'kind' | 'request' | 'idempotencyKey' | 'config'> & {
    template: { name: string };
  };
  ledger?: Pick<GoldenPathsService, 'getSteps'>;
  timeoutMs: number;
  logger: { warn(message: string): void };
}): Promise<boolean> {
  const key = killSwitchRequestKey(p.input);
  if (!key || !isValidRequestKey(key)) return false;
  if (!p.ledger) return true;
  try {
    const steps = await withTimeout(p.ledger.getSteps(key), p.timeoutMs);
    return stepsLeftEffects(steps);
  } catch (e) {
    p.logger.warn(
      `goldenpath:validate: the ledger's steps of "${key}" could not be read (${String(
        (e as Error)?.message ?? e,
      )}); GP-K02 says earlier steps resume`,
    );
    return true;
  }
}
