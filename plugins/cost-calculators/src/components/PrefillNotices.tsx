import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Progress } from '@backstage/core-components';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import type {
  Warning,
  WarningKind,
} from '@internal/plugin-cost-calculators-common';
import { costFactsApiRef } from '../api/CostFactsApi';
import type { EntityPrefill } from './useEntityPrefill';

/**
 * Prefill warnings that explain the form rather than the result: an annotation ignored,
 * a date-derived value skipped, a Component not counted, cost facts not read, a link value
 * not used. They are
 * what the user needs when a field is empty, which is exactly when there is no result to
 * show them under.
 */
export const PREFILL_NOTICE_KINDS: readonly WarningKind[] = [
  'invalid-annotation',
  'clamped-annotation',
  'invalid-as-of',
  'missing-annotation',
  'cost-facts-unavailable',
  'invalid-cost-fact',
  'invalid-link-value',
  'merged-clients',
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
          {w.detail && (
            // The implementation's own words: on screen only, never in the export.
            <Typography variant="body2" component="span" display="block">
              It said: {w.detail}
            </Typography>
          )}
        </Alert>
      ))}
    </Box>
  );
}

/** Shown instead of the form while its prefill loads ({@link PrefillStatus} says why in words). */
export function PrefillProgress() {
  return <Progress />;
}

/** What {@link PrefillStatus} says: that cost facts are awaited, then that the form is ready. */
export function prefillStatusText(prefill: EntityPrefill): string {
  if (prefill.state === 'loading')
    return prefill.readingCostFacts ? 'Reading cost facts…' : '';
  if (!prefill.askedCostFacts) return '';
  return prefill.prefill.warnings.some(w => w.kind === 'cost-facts-unavailable')
    ? 'Cost facts could not be read; the form is ready without them.'
    : 'Cost facts read; the form is ready.';
}

/**
 * The form's prefill in words, for screen readers: "Reading cost facts…" while the adopter's
 * cost facts are awaited, then that the form is ready. One region for the form's lifetime
 * whose text changes: many screen readers announce a status region's changes but not one
 * inserted with its text. Only where a `CostFactsApi` is registered: without one there is
 * nothing to wait for and nothing to say.
 */
export function PrefillStatus(props: { prefill: EntityPrefill }) {
  const hasCostFacts = useApiHolder().get(costFactsApiRef) !== undefined;
  if (!hasCostFacts) return null;
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      role="status"
      aria-live="polite"
    >
      {prefillStatusText(props.prefill)}
    </Typography>
  );
}
