import { canonicalJson } from '../canonicalJson';
import { EvidenceError, evidenceError } from '../errors/errorBody';
import { evidenceMessages } from '../errors/errorMessages';
import { ChangeInput } from '../schemas/changeInput';
import { isAllowedStatusTransition } from './statusTransitions';
import {
  NormalizedChangeInput,
  normalizeChangeInput,
} from './normalizeChangeInput';

/**
 * What to do when a change arrives under a new idempotency key for an existing natural key.
 *
 * @public
 */
export type ChangeUpdateDecision =
  | { decision: 'unchanged' }
  | { decision: 'update'; changedFields: string[]; next: NormalizedChangeInput }
  | { decision: 'conflict'; error: EvidenceError };

// Fields a later event of the same operation may change (§3.5); everything else is identity.
const MUTABLE_EXACT = new Set([
  'status',
  'finishedAt',
  'source.url',
  'attributes.exposure.to',
]);
const MUTABLE_SUBTREES = ['attributes.verification'];

function isMutable(path: string): boolean {
  return (
    MUTABLE_EXACT.has(path) ||
    MUTABLE_SUBTREES.some(p => path === p || path.startsWith(`${p}.`))
  );
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaves by dotted path; arrays are compared whole because their order is meaningful. */
function flatten(
  value: unknown,
  prefix: string,
  out: Map<string, unknown>,
): Map<string, unknown> {
  if (isPlainRecord(value) && Object.keys(value).length > 0) {
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined)
        flatten(member, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : canonicalJson(value);
}

function setPath(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] = isPlainRecord(node[part]) ? { ...(node[part] as object) } : {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/**
 * Decides a natural-key update (§3.5): immutable differences → `IMMUTABLE_FIELD` naming the first
 * differing dotted path in sorted order (`kind` first, since attributes depend on it), backward
 * status moves → `INVALID_TRANSITION`, no difference → `unchanged`. Mutable fields the incoming
 * body omits keep their stored values.
 *
 * @public
 */
export function decideChangeUpdate(
  stored: ChangeInput,
  incoming: ChangeInput,
): ChangeUpdateDecision {
  const before = normalizeChangeInput(stored);
  const after = normalizeChangeInput(incoming);
  // The raw spelling of the environment is not identity: `prod` and `production` are one value.
  delete before.environmentRaw;
  delete after.environmentRaw;
  const naturalKey = `${before.source.system}/${before.source.externalId}`;

  const left = flatten(before, '', new Map());
  const right = flatten(after, '', new Map());
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  const differing = paths.filter(p => show(left.get(p)) !== show(right.get(p)));

  const immutable = differing.filter(p => !isMutable(p));
  if (immutable.length > 0) {
    const field = immutable.includes('kind') ? 'kind' : immutable[0];
    return {
      decision: 'conflict',
      error: evidenceError(
        'IMMUTABLE_FIELD',
        evidenceMessages.immutableField({
          field,
          naturalKey,
          stored: show(left.get(field)),
          got: show(right.get(field)),
        }),
        { field },
      ),
    };
  }

  if (!isAllowedStatusTransition(before.status, after.status)) {
    return {
      decision: 'conflict',
      error: evidenceError(
        'INVALID_TRANSITION',
        evidenceMessages.invalidTransition({
          from: before.status,
          to: after.status,
          naturalKey,
        }),
        { field: 'status' },
      ),
    };
  }

  const changedFields = differing.filter(p => right.get(p) !== undefined);
  if (changedFields.length === 0) return { decision: 'unchanged' };

  const next = structuredCloneJson(before);
  for (const path of changedFields) setPath(next, path, right.get(path));
  return {
    decision: 'update',
    changedFields,
    next: next as unknown as NormalizedChangeInput,
  };
}

function structuredCloneJson(
  value: NormalizedChangeInput,
): Record<string, unknown> {
  // Inputs are validated JSON, so a JSON round trip is an exact deep copy.
  return JSON.parse(JSON.stringify(value));
}
