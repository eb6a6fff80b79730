import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { MarkdownContent } from '@backstage/core-components';
import { formatMoney } from '@internal/plugin-golden-paths-common';
import {
  ScrollRegion,
  WholeWordsCell,
  WholeWordsHead,
} from '@internal/suite-react';
import type { ApprovalPlan } from '../api';
import { BreakAfterSeparators } from './BreakAfterSeparators';

/**
 * The effects table's columns. Its cells keep their words whole and it scrolls in its region: in
 * the theme's cells that break words anywhere, a phone split `catalog.register` and
 * `compensating` a few letters per line.
 */
const EFFECT_COLUMNS = [
  { label: 'Step' },
  { label: 'Effect' },
  { label: 'Target' },
  { label: 'Rollback class' },
] as const;

/**
 * The C15 total as money: the database plan records it as a bare decimal (`"3676.50"`, price-book
 * currency USD), which on its own reads as a count; text already formatted is shown as it came.
 */
function estimateText(total: string): string {
  return /^-?\d+(\.\d+)?$/.test(total.trim())
    ? formatMoney(total.trim())
    : total;
}

/** The plan an approval is bound to: markdown, estimate and effects with their reversibility. */
export function PlanView(props: {
  plan: ApprovalPlan;
  /** Accessible name of the effects table. */
  label: string;
  headingLevel?: 'h3' | 'h4';
}) {
  const { plan, label, headingLevel = 'h4' } = props;
  const effects = Array.isArray(plan.effects) ? plan.effects : [];
  return (
    <Box mt={1}>
      {typeof plan.markdown === 'string' && plan.markdown.trim() !== '' && (
        <MarkdownContent content={plan.markdown} />
      )}
      {plan.estimate?.total && (
        <Typography variant="body2" data-testid="plan-estimate">
          Estimate: {estimateText(plan.estimate.total)} per month
          {plan.estimate.priceBookVersion
            ? ` (price book ${plan.estimate.priceBookVersion})`
            : ''}
        </Typography>
      )}
      {effects.length > 0 && (
        <>
          <Typography variant="subtitle2" component={headingLevel}>
            Effects
          </Typography>
          <ScrollRegion label={label} scrollHint>
            <Table size="small" aria-label={label}>
              <WholeWordsHead columns={EFFECT_COLUMNS} />
              <TableBody>
                {effects.map((e, i) => (
                  <TableRow key={`${e.step ?? ''}:${e.type}:${e.target}:${i}`}>
                    <WholeWordsCell>{e.step ?? '—'}</WholeWordsCell>
                    <WholeWordsCell>
                      <code>{e.type}</code>
                    </WholeWordsCell>
                    <WholeWordsCell>
                      {/* a repository path or an entity ref, one long word without its breaks */}
                      <BreakAfterSeparators text={e.target} />
                    </WholeWordsCell>
                    <WholeWordsCell>
                      {e.reversibility ?? 'unknown'}
                    </WholeWordsCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </ScrollRegion>
        </>
      )}
    </Box>
  );
}
