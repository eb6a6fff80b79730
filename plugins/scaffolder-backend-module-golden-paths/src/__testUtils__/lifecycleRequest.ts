import {
  DEFAULT_GOLDEN_PATHS_CONFIG,
  parseRequest,
  requestFingerprint,
} from '@internal/plugin-golden-paths-common';

/** The template ref T5's validate outputs. */
export const LIFECYCLE_TEMPLATE = 'template:default/lifecycle-transition';

/**
 * `goldenpath:lifecycle`'s inputs with the request validate checked (`request`, `templateRef`
 * and the matching `fingerprint`), built from the inputs' own entity, transition, reason,
 * replacement and sunset date, as T5 passes them. Explicit `request` or `fingerprint` values in
 * `input` are kept (tests of a request that does not match).
 */
export function withLifecycleRequest<I extends Record<string, unknown>>(
  input: I,
): I & {
  request: Record<string, unknown>;
  templateRef: string;
  fingerprint: string;
} {
  const parsed = parseRequest(
    'lifecycle',
    {
      entity: input.entityRef,
      transition: input.transition,
      reason: input.reason,
      ...(input.replacement ? { replacement: input.replacement } : {}),
      ...(input.sunsetOn ? { sunsetOn: input.sunsetOn } : {}),
    },
    DEFAULT_GOLDEN_PATHS_CONFIG,
  );
  if (!parsed.ok) {
    throw new Error(
      `the lifecycle request must parse: ${parsed.errors
        .map(e => e.message)
        .join('; ')}`,
    );
  }
  return {
    templateRef: LIFECYCLE_TEMPLATE,
    fingerprint: requestFingerprint(LIFECYCLE_TEMPLATE, parsed.request),
    request: parsed.request as unknown as Record<string, unknown>,
    ...input,
  } as any;
}
