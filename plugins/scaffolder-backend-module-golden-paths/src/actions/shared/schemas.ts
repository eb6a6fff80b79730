import { APPROVAL_TRIGGERS } from '@internal/plugin-golden-paths-common';
import type { z as zod } from 'zod/v3';

// Input schemas shared by several actions (scaffolder schema v2: `z => …`).

type Z = typeof zod;

export const requestKeyInput = (z: Z) =>
  z.string().describe('Request key from goldenpath:validate.');

export const fingerprintInput = (z: Z) =>
  z.string().describe('sha256:<hex> fingerprint from goldenpath:validate.');

// The ids the backend's approval route accepts: an unknown one is refused there, so a dry run
// must not report it as would-require with nobody to route it to.
export const triggersInput = (z: Z) =>
  z
    .array(
      z.object({
        id: z.enum(APPROVAL_TRIGGERS),
        reasons: z.array(z.string()).min(1),
      }),
    )
    .describe('Approval triggers from goldenpath:validate.');

export const namesInput = (z: Z) =>
  z
    .object({
      entityRef: z.string(),
      repoUrl: z.string().optional(),
      resourceName: z.string().optional(),
      pgIdentifier: z.string().optional(),
    })
    .describe('Names from goldenpath:validate.');

export const publishModeInput = (z: Z) =>
  z.enum(['local', 'github', 'gitlab']).describe('Publish mode from config.');
