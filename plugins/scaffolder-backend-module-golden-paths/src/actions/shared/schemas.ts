import { APPROVAL_TRIGGERS } from '@internal/plugin-golden-paths-common';
import type { z as zod } from 'zod/v3';

// Input schemas shared by several actions (scaffolder schema v2: `z => …`).

type Z = typeof zod;

export const requestKeyInput = (z: Z) =>
  z.string().describe('Request key from goldenpath:validate.');

export const fingerprintInput = (z: Z) =>
  z.string().describe('sha256:<hex> fingerprint from goldenpath:validate.');

/** The `request` output of goldenpath:validate, passed on unchanged. */
export const validatedRequestInput = (z: Z) =>
  z
    .record(z.string(), z.unknown())
    .describe('The normalized request from goldenpath:validate.');

/** The `templateRef` goldenpath:validate was given: part of the proof that `request` is its. */
export const validatedTemplateRefInput = (z: Z) =>
  z
    .string()
    .describe(
      'The templateRef of goldenpath:validate; with request and fingerprint it proves the request is the one validate checked.',
    );

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
      /** github mode: the new repository's catalog-info.yaml, on its default branch */
      catalogInfoUrl: z.string().optional(),
      resourceName: z.string().optional(),
      pgIdentifier: z.string().optional(),
    })
    .describe('Names from goldenpath:validate.');

export const publishModeInput = (z: Z) =>
  z.enum(['local', 'github', 'gitlab']).describe('Publish mode from config.');

// Output of every golden-path action: the kill-switch refusal a real run would get, present only
// in a dry run that ran through a switch (§4.7: the operator's no-op proof before lifting).
export const wouldBeRefusedByOutput = (z: Z) =>
  z
    .object({ ruleId: z.string(), message: z.string() })
    .optional()
    .describe(
      'Dry run only: the kill-switch refusal (GP-K01/K02/K03 and its exact text) a real run would get now; the dry run ran through the switch.',
    );
