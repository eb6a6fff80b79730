import { SourceHealth } from '../evidence/evidenceTypes';
import { MissingEvidence } from '../model/resultModel';
import { CheckContext } from './checkType';

/** The source of observed edges (scorecards §2.5: the Prometheus service graph by default). */
export function edgeSourceOf(ctx: CheckContext): string {
  return ctx.config.evidenceSources['observed.edges'] ?? 'prometheus';
}

/** The source of the change ledger. */
export function ledgerSourceOf(ctx: CheckContext): string {
  return ctx.config.evidenceSources.ledger ?? 'ledger';
}

/**
 * The health of a source that is down (`unavailable`, or `disabled` = not configured), else
 * undefined. A source without a published health counts as healthy (README, decision 3).
 */
export function downSource(
  ctx: CheckContext,
  source: string,
): SourceHealth | undefined {
  const health = ctx.sourceHealth(source);
  return health &&
    (health.status === 'unavailable' || health.status === 'disabled')
    ? health
    : undefined;
}

/** The missing entry of an input whose source is down (platform-attributed, §2.9 rule 3). */
export function sourceDownEntry(
  health: SourceHealth,
  kind: string,
  what: string,
): MissingEvidence {
  return {
    source: health.source,
    kind,
    cause: 'source-unavailable',
    hint: `${what} unknown: ${health.source} ${health.status} since ${health.since}`,
  };
}
