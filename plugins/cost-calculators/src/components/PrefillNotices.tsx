import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Progress } from '@backstage/core-components';
import type {
  Warning,
  WarningKind,
} from '@internal/plugin-cost-calculators-common';

/**
 * Prefill warnings that explain the form rather than the result: an annotation ignored,
 * a date-derived value skipped, a Component not counted, cost facts not read. They are
 * what the user needs when a field is empty, which is exactly when there is no result to
 * show them under.
 */
export const PREFILL_NOTICE_KINDS: readonly WarningKind[] = [
  'invalid-annotation',
  'clamped-annotation',
  'invalid-as-of',
  'missing-annotation',
  'cost-facts-unavailable',
];

/** The prefill warnings shown in the form area. */
export function prefillNotices(warnings: Warning[]): Warning[] {
  return warnings.filter(w => PREFILL_NOTICE_KINDS.includes(w.kind));
}

/** Prefill warnings as text alerts (icon and message, not colour alone), independent of the outcome. */
export function PrefillNotices(props: { warnings: Warning[] }) {
  const notices = prefillNotices(props.warnings);
  if (notices.length === 0) return null;
  return (
    <Box component="section" aria-label="Prefill warnings" mb={1}>
      {notices.map((w, i) => (
        <Alert
          key={`${w.kind}-${i}`}
          severity="warning"
          style={{ marginBottom: 4 }}
        >
          {w.message}
        </Alert>
      ))}
    </Box>
  );
}

/**
 * Shown instead of the form while its prefill loads. While the adopter's cost facts are
 * awaited it says so in words: the form appears once, with its final values, rather than
 * with annotation values that a fact then replaces.
 */
export function PrefillProgress(props: { readingCostFacts: boolean }) {
  return (
    <Box>
      {props.readingCostFacts && (
        <Typography variant="body2" color="textSecondary" role="status">
          Reading cost facts…
        </Typography>
      )}
      <Progress />
    </Box>
  );
}
