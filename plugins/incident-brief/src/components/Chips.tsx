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

/** Risk tier and score of a change (`Medium 11`); reasons in the tooltip. */
export function RiskChip(props: {
  risk:
    | {
        tier: RiskTier;
        score: number;
        dimensions?: { id: string; reason: string }[];
      }
    | null
    | undefined;
}) {
  const { risk } = props;
  if (!risk) {
    return <Chip size="small" variant="outlined" label="risk unknown" />;
  }
  const reasons = (risk.dimensions ?? [])
    .map(d => `${d.id}: ${d.reason}`)
    .join('\n');
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{reasons}</span>}>
      <Chip
        size="small"
        label={`${risk.tier} ${risk.score}`}
        aria-label={`risk ${risk.tier} ${risk.score}`}
        style={{ backgroundColor: RISK_COLOR[risk.tier], color: '#fff' }}
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
