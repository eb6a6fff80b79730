import { z } from 'zod';

/**
 * zod schema of incident-brief's `ChangeRisk` (IB §5), the body of `PUT /changes/:id/risk`;
 * kept here because the evidence backend validates and stores it write-once.
 *
 * @public
 */
export const changeRiskSchema = z.strictObject({
  modelVersion: z.string().min(1).max(32),
  score: z.number().int().min(0),
  tier: z.enum(['Low', 'Medium', 'High', 'Critical']),
  lowConfidence: z.boolean(),
  dimensions: z.array(
    z.strictObject({
      id: z.enum(['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7']),
      value: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
      unknown: z.boolean(),
      reason: z.string().max(1024),
      evidence: z.string().max(2048).optional(),
    }),
  ),
  floorsApplied: z.array(z.enum(['F1', 'F2', 'F3', 'F4'])),
});

/**
 * A stored change risk (IB §5).
 *
 * @public
 */
export type ChangeRisk = z.infer<typeof changeRiskSchema>;
