import { Chip, Tooltip } from '@material-ui/core';
import type {
  ConfidenceLevel,
  PathStep,
  RiskTier,
} from '@internal/plugin-incident-brief-common';
import { driftLabel, evidenceLabel } from './formatting';
import { AA_COLOR } from './palette';

const CONFIDENCE_COLOR: Record<ConfidenceLevel, string> = {
  high: AA_COLOR.good,
  medium: AA_COLOR.caution,
  low: AA_COLOR.bad,
  unknown: AA_COLOR.neutral,
};

/** `confidence: medium`, coloured; the label is text, colour only repeats it. */
export function ConfidenceChip(props: {
  level: ConfidenceLevel;
  label?: string;
}) {
  const { level, label = 'confidence' } = props;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={`${label}: ${level}`}
      style={{
        borderColor: CONFIDENCE_COLOR[level],
        color: CONFIDENCE_COLOR[level],
      }}
    />
  );
}

const RISK_COLOR: Record<RiskTier, string> = {
  Low: AA_COLOR.good,
  Medium: AA_COLOR.caution,
  High: AA_COLOR.bad,
  Critical: AA_COLOR.severe,
};

/**
 * The colour under a tier's white text. A tier this frontend does not know (a newer risk model on
 * the backend, a record stored by another version) gets the neutral grey: without a colour the
 * chip kept MUI's pale grey under white text, about 1.3:1 and unreadable.
 */
function riskColor(tier: string): string {
  return RISK_COLOR[tier as RiskTier] ?? AA_COLOR.neutral;
}

/** The named floors of IB §5, which raise a tier whatever the sum says. */
const FLOOR_NAMES: Record<string, string> = {
  F1: 'F1 irreversible-on-critical',
  F2: 'F2 unhealthy-target',
  F3: 'F3 irreversible-while-unhealthy',
  F4: 'F4 mostly-unknown',
};

/**
 * Risk tier and score of a change (`Medium 11`); the dimension reasons, the floors applied and a
 * low-confidence note in the tooltip (IB §5: never a bare number). The chip takes keyboard focus,
 * which opens the tooltip, so the reasons are not for mouse users only.
 */
export function RiskChip(props: {
  risk:
    | {
        tier: RiskTier;
        score: number;
        dimensions?: { id: string; reason: string }[];
        floorsApplied?: string[];
        lowConfidence?: boolean;
      }
    | null
    | undefined;
}) {
  const { risk } = props;
  if (!risk) {
    return <Chip size="small" variant="outlined" label="risk unknown" />;
  }
  const reasons = [
    ...(risk.dimensions ?? []).map(d => `${d.id}: ${d.reason}`),
    ...(risk.floorsApplied?.length
      ? [
          `floors: ${risk.floorsApplied
            .map(f => FLOOR_NAMES[f] ?? f)
            .join(', ')}`,
        ]
      : []),
    ...(risk.lowConfidence ? ['low confidence: most inputs unknown'] : []),
  ].join('\n');
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{reasons}</span>}>
      <Chip
        size="small"
        tabIndex={0}
        label={`${risk.tier} ${risk.score}`}
        aria-label={`risk ${risk.tier} ${risk.score}`}
        style={{ backgroundColor: riskColor(risk.tier), color: '#fff' }}
      />
    </Tooltip>
  );
}

/** How an edge is known (declared / observed / both), with its drift flag. */
export function EdgeChip(props: { step: PathStep }) {
  const { step } = props;
  const drift = driftLabel(step);
  const confirmed = step.observation === 'fresh';
  return (
    <>
      <Chip
        size="small"
        variant="outlined"
        label={`${confirmed ? '✓ ' : ''}${evidenceLabel(step)}`}
      />
      {drift && (
        <Chip
          size="small"
          label={`⚠ ${drift}`}
          style={{ backgroundColor: '#fff3e0', color: '#8a4b00' }}
        />
      )}
    </>
  );
}
