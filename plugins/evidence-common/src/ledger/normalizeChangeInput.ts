import { resolveChangeEnvironment } from '../environment/canonicalEnvironment';
import { normalizeEntityRef } from '../refs/normalizeEntityRef';
import { ChangeInput } from '../schemas/changeInput';
import { normalizeTimestamp } from '../time/timestamps';

/**
 * A validated change in the form the ledger stores and compares: lower-case ref and alias,
 * canonical environment (always set), millisecond UTC timestamps, plus the raw environment when
 * canonicalization changed it.
 *
 * @public
 */
export type NormalizedChangeInput = ChangeInput & {
  environment: string;
  environmentRaw?: string;
};

/**
 * Normalizes a schema-valid {@link ChangeInput} for storage and natural-key comparison (§3.5).
 *
 * @public
 */
export function normalizeChangeInput(
  input: ChangeInput,
): NormalizedChangeInput {
  const { environment, environmentRaw } = resolveChangeEnvironment(
    input.environment,
  );
  const out: NormalizedChangeInput = {
    ...input,
    environment,
    startedAt: normalizeTimestamp(input.startedAt),
  };
  if (environmentRaw !== undefined) out.environmentRaw = environmentRaw;
  if (input.finishedAt !== undefined)
    out.finishedAt = normalizeTimestamp(input.finishedAt);
  if (input.entityRef !== undefined)
    out.entityRef = normalizeEntityRef(input.entityRef);
  if (input.alias !== undefined) out.alias = input.alias.trim().toLowerCase();
  return out;
}
