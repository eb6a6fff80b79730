import { fingerprint } from '@internal/plugin-evidence-common';
import { normalizeEntityRef } from '../catalog/refs';
import type { NormalizedRequest } from './types';

/**
 * Fields that never enter the fingerprint: the advanced fields and the lifecycle `reason`, which
 * is free text that does not change intent (§4.2).
 *
 * @public
 */
export const FINGERPRINT_EXCLUDED_FIELDS = [
  'idempotencyKey',
  'waitMinutes',
  'reason',
] as const;

/** `template:default/service-node-http@1.0.0` → `template:default/service-node-http`. */
function templateWithoutVersion(templateRef: string): string {
  const bare = templateRef.trim().replace(/@[^/@]*$/, '');
  return (
    normalizeEntityRef(bare, 'template') ?? bare.toLocaleLowerCase('en-US')
  );
}

/**
 * The hashed form of a normalized request: the kind discriminator and excluded fields removed
 * (the template ref already names the kind), absent optional fields omitted, never `null`.
 *
 * @public
 */
export function fingerprintBody(
  request: NormalizedRequest,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (key === 'kind' || value === undefined || value === null) continue;
    if ((FINGERPRINT_EXCLUDED_FIELDS as readonly string[]).includes(key))
      continue;
    body[key] = value;
  }
  return body;
}

/**
 * `sha256:` + hex SHA-256 of `canonicalJson({ template, request })` (§4.2). The template version
 * is recorded beside the fingerprint, not hashed, so a patch release of a template does not turn a
 * replay into a conflict.
 *
 * @public
 */
export function requestFingerprint(
  templateRef: string,
  request: NormalizedRequest,
): string {
  return fingerprint({
    template: templateWithoutVersion(templateRef),
    request: fingerprintBody(request),
  });
}
