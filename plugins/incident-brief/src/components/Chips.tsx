import { Chip, Tooltip } from '@material-ui/core';
import type {
  ConfidenceLevel,
  PathStep,
  RiskTier,
} from '@internal/plugin-incident-brief-common';
import { driftLabel, evidenceLabel } from './formatting';

// Each at least 4.5:1 against white both as text and as a background under white text
// (WCAG AA); MUI's warning orange #ed6c02 is 3.1:1.
const CONFIDENCE_COLOR: Record<ConfidenceLevel, string> = {
  high: '#2e7d32',
  medium: '#b45309',
  low: '#c62828',
  unknown: '#616161',
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
  Low: '#2e7d32',
  Medium: '#b45309',
  High: '#c62828',
  Critical: '#7b1fa2',
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
