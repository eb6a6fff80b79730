import { InputError } from '@backstage/errors';
import {
  requestFingerprint,
  type NormalizedRequest,
} from '@internal/plugin-golden-paths-common';
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

/**
 * The request is the one `goldenpath:validate` checked: its fingerprint (§4.2) matches. Policy
 * rules such as GP-T04 (runbook links are https) ran only in validate, so an action that writes
 * the request into the catalog refuses one changed or built by hand after it.
 */
export function assertValidatedRequest(
  templateRef: string,
  request: NormalizedRequest,
  fingerprint: string,
): void {
  if (requestFingerprint(templateRef, request) !== fingerprint) {
    throw new InputError(
      'request does not match fingerprint: pass goldenpath:validate outputs request, fingerprint and templateRef unchanged',
    );
  }
}
