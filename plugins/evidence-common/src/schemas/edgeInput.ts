import { z } from 'zod';
import { boundedString, numberBetween, timestampSchema } from './primitives';

/**
 * Service-graph connection types (Tempo/OTel `connection_type`; '' = plain request).
 *
 * @public
 */
export const CONNECTION_TYPES = [
  '',
  'messaging_system',
  'database',
  'virtual_node',
] as const;

/**
 * A service-graph connection type.
 *
 * @public
 */
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/**
 * zod schema of {@link EdgeInput}, one pushed observation of a client → server series.
 *
 * @public
 */
export const edgeInputSchema = z.strictObject({
  source: boundedString(128),
  client: boundedString(255),
  server: boundedString(255),
  connectionType: z.enum(CONNECTION_TYPES),
  lastSeen: timestampSchema,
  firstSeen: timestampSchema.optional(),
  requestsPerMinute: z.number().min(0).optional(),
  errorRatio: numberBetween(0, 1).optional(),
});

/**
 * Body item of `POST /api/evidence/edges/batch` (§3.3).
 *
 * @public
 */
export type EdgeInput = z.infer<typeof edgeInputSchema>;
