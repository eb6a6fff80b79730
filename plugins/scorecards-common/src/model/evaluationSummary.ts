import { Blocker, CheckResult, EntityEvaluation } from './resultModel';

/** What rollups, campaigns and check summaries read of one result. */
export type ResultSummary = Pick<
  CheckResult,
  'checkId' | 'state' | 'rawState' | 'gating' | 'attribution'
> & {
  platformCapability?: Pick<
    NonNullable<CheckResult['platformCapability']>,
    'owner'
  >;
};

/** What campaigns read of one blocker. */
export type BlockerSummary = Pick<
  Blocker,
  'level' | 'checkId' | 'state' | 'attribution'
>;

/**
 * The part of an evaluation that rollups, campaign progress and check summaries read (§2.11,
 * §7.4): levels and states, no messages, evidence or fixes. A full `EntityEvaluation` is one
 * too. The backend stores it beside each latest result set so that reads over the whole catalog
 * parse a few kilobytes per entity instead of the full result set (~34 KB with the default
 * standard).
 */
export interface EvaluationSummary
  extends Pick<
    EntityEvaluation,
    | 'entityRef'
    | 'lifecycle'
    | 'rated'
    | 'tier'
    | 'level'
    | 'expectedLevel'
    | 'belowExpected'
  > {
  blockers: BlockerSummary[];
  results: ResultSummary[];
}

/** Reduces an evaluation to its summary (a copy: nothing of the input is shared). */
export function summarizeEvaluation(
  evaluation: EvaluationSummary,
): EvaluationSummary {
  return {
    entityRef: evaluation.entityRef,
    lifecycle: evaluation.lifecycle,
    rated: evaluation.rated,
    tier: evaluation.tier,
    level: evaluation.level,
    expectedLevel: evaluation.expectedLevel,
    belowExpected: evaluation.belowExpected,
    blockers: evaluation.blockers.map(b => ({
      level: b.level,
      checkId: b.checkId,
      state: b.state,
      attribution: b.attribution,
    })),
    results: evaluation.results.map(r => ({
      checkId: r.checkId,
      state: r.state,
      rawState: r.rawState,
      gating: r.gating,
      attribution: r.attribution,
      ...(r.platformCapability
        ? { platformCapability: { owner: r.platformCapability.owner } }
        : {}),
    })),
  };
}
