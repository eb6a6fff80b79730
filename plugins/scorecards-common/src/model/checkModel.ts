/** Themes in the display order of the catalogue (scorecards §4). */
export const THEMES = [
  'ownership',
  'incident',
  'observability',
  'delivery',
  'security',
  'dependencies',
  'lifecycle',
  'cost',
] as const;

/** The theme a check belongs to. */
export type Theme = (typeof THEMES)[number];

/** Scored entity kinds (scorecards §2.1). */
export const SCORED_KINDS = ['Component', 'Resource', 'API', 'System'] as const;

/** A kind that gets a scorecard. */
export type ScoredKind = (typeof SCORED_KINDS)[number];

/** How a check relates to levels. */
export type CheckClass = 'required' | 'recommended' | 'contextual';

/** Orders blockers; never used in arithmetic. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Rollout phases in their normal order. */
export const ROLLOUT_PHASES = [
  'observe',
  'remediate',
  'enforce-new',
  'gate',
] as const;

/** Where a check is on its progressive-enforcement path. */
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];

/** Severity order used for blockers: critical first. */
export const SEVERITY_ORDER: Record<Severity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
};

/** Whether a kind is scored; Group, User, Domain, Location, Template never are (SR34). */
export function isScoredKind(kind: string): kind is ScoredKind {
  return (SCORED_KINDS as readonly string[]).includes(kind);
}
