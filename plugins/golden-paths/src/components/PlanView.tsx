import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { MarkdownContent } from '@backstage/core-components';
import { formatMoney } from '@internal/plugin-golden-paths-common';
import type { ApprovalPlan } from '../api';

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
          <Table size="small" aria-label={label}>
            <TableHead>
              <TableRow>
                <TableCell>Step</TableCell>
                <TableCell>Effect</TableCell>
                <TableCell>Target</TableCell>
                <TableCell>Rollback class</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {effects.map((e, i) => (
                <TableRow key={`${e.step ?? ''}:${e.type}:${e.target}:${i}`}>
                  <TableCell>{e.step ?? '—'}</TableCell>
                  <TableCell>
                    <code>{e.type}</code>
                  </TableCell>
                  <TableCell>{e.target}</TableCell>
                  <TableCell>{e.reversibility ?? 'unknown'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}
