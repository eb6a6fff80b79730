import { z } from 'zod';
import { timestampSchema } from './primitives';

/**
 * zod schema of {@link SourceHealth} (§2.6).
 *
 * @public
 */
export const sourceHealthSchema = z.object({
  source: z.string(),
  status: z.enum(['ok', 'degraded', 'unavailable', 'disabled']),
  since: timestampSchema,
  lastSuccessAt: timestampSchema.nullable(),
  lastAttemptAt: timestampSchema.nullable(),
  lastError: z.string().optional(),
});

/**
 * Health of one evidence source; `since` changes only when `status` does.
 *
 * @public
 */
export type SourceHealth = z.infer<typeof sourceHealthSchema>;

/**
 * Per-entity collection errors a collector records (§2.6).
 *
 * @public
 */
export const COLLECTION_ERRORS = [
  'join-key-missing',
  'not-found',
  'access-denied',
  'timeout',
  'server-error',
  'unsupported-host',
] as const;

/**
 * zod schema of {@link EntityCollectionStatus} (§2.6).
 *
 * @public
 */
export const entityCollectionStatusSchema = z.object({
  entityRef: z.string(),
  source: z.string(),
  lastAttemptAt: timestampSchema,
  lastSuccessAt: timestampSchema.nullable(),
  error: z.enum(COLLECTION_ERRORS).optional(),
  detail: z.string().optional(),
});

/**
 * Outcome of the last collection of one entity by one collector-driven source.
 *
 * @public
 */
export type EntityCollectionStatus = z.infer<
  typeof entityCollectionStatusSchema
>;
