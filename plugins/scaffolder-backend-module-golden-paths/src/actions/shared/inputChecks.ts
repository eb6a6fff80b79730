import { InputError } from '@backstage/errors';
import { FULL_REF, isIsoInstant } from '@internal/suite-node';

// Checks an action makes on its inputs before it claims a step or runs git: a value git or the
// catalog would refuse later fails the step halfway (a half-made repository, a claimed step
// closed as failed) with their raw message instead of one that says what to fix.

/** An ISO-8601 date-time with a zone naming a day that exists (`createdAt`: the commit date). */
export function assertDateTime(field: string, value: string): void {
  if (!isIsoInstant(value)) {
    throw new InputError(
      `${field} must be an ISO-8601 date-time with a zone, e.g. 2026-03-14T02:05:00Z (got ${JSON.stringify(
        value,
      )})`,
    );
  }
}

/**
 * A branch name within a conservative subset of what `git check-ref-format --branch` accepts:
 * letters, digits and `._/-`, no component starting with `.` or ending with `.lock`, no `..`.
 */
export function assertBranchName(field: string, value: string): void {
  const ok =
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(value) &&
    value
      .split('/')
      .every(
        part => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'),
      ) &&
    !value.includes('..') &&
    !value.endsWith('.');
  if (!ok) {
    throw new InputError(
      `${field} must be a git branch name such as main (got ${JSON.stringify(
        value,
      )})`,
    );
  }
}

/** A full entity ref `kind:namespace/name`. */
export function assertFullRef(field: string, value: string): void {
  if (!FULL_REF.test(value)) {
    throw new InputError(
      `${field} must be a full entity ref such as component:default/<name> (got ${JSON.stringify(
        value,
      )})`,
    );
  }
}
