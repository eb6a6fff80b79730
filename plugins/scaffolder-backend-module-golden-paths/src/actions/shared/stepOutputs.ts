import type { z as zod } from 'zod/v3';

// The two outputs every golden-path action gives (golden-paths.md §4.6), so a template author
// can tell from `steps.<id>.output` whether anything happened: `dryRun` and `effects`.

type Z = typeof zod;

/**
 * What became of one effect of a step. A dry run says `would` for what a real run would do, and
 * `replayed` for what a real run would only replay (recorded done by an earlier attempt, or found
 * already there: nothing is done in either run); files in the task's own workspace, which a dry
 * run writes too (they are its contents, §4.9), are `done`.
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
      "This step's effects: `done` or `replayed` in a real run; in a dry run `would`, or `replayed` where a real run would only replay (workspace files are written in a dry run too: `done`). Empty for a read-only step.",
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

/**
 * The result of an effect a step carried out or would carry out, by the task's mode. A replay is
 * `replayed` in a dry run too: the dry run says what the real run would do, and a real run would
 * not do it again.
 */
export function effectResult(
  task: { dryRun: boolean },
  replayed = false,
): EffectResult {
  if (replayed) return 'replayed';
  return task.dryRun ? 'would' : 'done';
}
