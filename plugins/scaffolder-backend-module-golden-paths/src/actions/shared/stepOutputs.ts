import type { z as zod } from 'zod/v3';

// The two outputs every golden-path action gives (golden-paths.md §4.6), so a template author
// can tell from `steps.<id>.output` whether anything happened: `dryRun` and `effects`.

type Z = typeof zod;

/**
 * What became of one effect of a step. A dry run only ever says `would`, except for files in the
 * task's own workspace, which a dry run writes too (they are its contents, §4.9): `done`.
 */
export type EffectResult = 'would' | 'done' | 'replayed';

/** One effect of a step, as its output and its audit record (§4.5) carry it. */
export interface StepEffect {
  type: string;
  target: string;
  result: EffectResult;
}

/** The effect types whose target is inside the task's workspace (written in a dry run too). */
export const WORKSPACE_EFFECT_TYPES: readonly string[] = ['workspace.write'];

export const dryRunOutput = (z: Z) =>
  z
    .boolean()
    .describe(
      'true in a dry run (nothing outside the workspace was changed; effects say what a real run would do), false in a real run.',
    );

export const effectsOutput = (z: Z) =>
  z
    .array(
      z.object({
        type: z.string(),
        target: z.string(),
        result: z.enum(['would', 'done', 'replayed']),
      }),
    )
    .describe(
      "This step's effects: `would` in a dry run, `done` or `replayed` in a real run (workspace files are written in a dry run too: `done`). Empty for a read-only step.",
    );

/** Where a step gives its `dryRun` and `effects` outputs: the action context. */
export interface StepOutputSink {
  output(name: 'dryRun', value: boolean): void;
  output(name: 'effects', value: StepEffect[]): void;
}

/**
 * Gives the step's `dryRun` and `effects` outputs. Pass the effects the step's audit record
 * carries, so the output and the audit log never tell different stories.
 */
export function outputStepEffects(
  ctx: StepOutputSink,
  task: { dryRun: boolean },
  effects: readonly StepEffect[],
): void {
  ctx.output('dryRun', task.dryRun);
  ctx.output(
    'effects',
    effects.map(e => ({ ...e })),
  );
}

/** The result of an effect a step carried out or would carry out, by the task's mode. */
export function effectResult(
  task: { dryRun: boolean },
  replayed = false,
): EffectResult {
  if (task.dryRun) return 'would';
  return replayed ? 'replayed' : 'done';
}
