import { InputError } from '@backstage/errors';

// Checks an action makes on its inputs before it claims a step or runs git: a value git or the
// catalog would refuse later fails the step halfway (a half-made repository, a claimed step
// closed as failed) with their raw message instead of one that says what to fix.

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO-8601 date-time with a zone (`createdAt`: the commit date). */
export function assertDateTime(field: string, value: string): void {
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InputError(
      `${field} must be an ISO-8601 date-time with a zone, e.g. 2026-03-14T02:05:00Z (got ${JSON.stringify(
        value,
      )})`,
    );
  }
}

/** A branch name git accepts (the common subset of `git check-ref-format --branch`). */
export function assertBranchName(field: string, value: string): void {
  const ok =
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(value) &&
    !value.includes('..') &&
    !value.includes('//') &&
    !/(\.lock|\/|\.)$/.test(value);
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
  if (!/^[a-z0-9][\w.-]*:[\w.-]+\/[\w.-]+$/i.test(value)) {
    throw new InputError(
      `${field} must be a full entity ref such as component:default/<name> (got ${JSON.stringify(
        value,
      )})`,
    );
  }
}
