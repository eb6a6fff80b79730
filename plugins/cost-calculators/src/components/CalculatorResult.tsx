import { JSX, Suspense, lazy } from 'react';
import {
  Box,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import PauseCircleFilledIcon from '@material-ui/icons/PauseCircleFilled';
import CancelIcon from '@material-ui/icons/Cancel';
import BlockIcon from '@material-ui/icons/Block';
import InfoIcon from '@material-ui/icons/Info';
import { Alert } from '@material-ui/lab';
import type {
  CalcResult,
  Output,
  ResolvedPriceBook,
  Severity,
  WarningKind,
} from '@internal/plugin-cost-calculators-common';
import { formatOutputValue } from '@internal/plugin-cost-calculators-common';
import type { SubheadingElement } from './headings';
import { ClientShare } from './ClientShare';
import { ArticleSources } from './ArticleSources';
import type { FocusClient } from './componentBudget';

// Charts load only when a result has one to draw: uPlot is the heaviest dependency, and the
// card shell should not pay for it.
const CostChart = lazy(() =>
  import('./CostChart').then(m => ({ default: m.CostChart })),
);
const EtlCostChart = lazy(() =>
  import('./EtlCostChart').then(m => ({ default: m.EtlCostChart })),
);
const ConnectionBudgetChart = lazy(() =>
  import('./BudgetCharts').then(m => ({ default: m.ConnectionBudgetChart })),
);
const RtoChart = lazy(() =>
  import('./BudgetCharts').then(m => ({ default: m.RtoChart })),
);

/** The §5 chart of a result, if its calculator has one: C2/C3/C7 cumulative cost, C4, C10, C11. */
function ResultChart(props: {
  result: CalcResult;
  priceBook?: ResolvedPriceBook;
  focusClient?: FocusClient;
}) {
  const { result, priceBook, focusClient } = props;
  switch (result.calculatorId) {
    case 'bigquery-capacity':
      return priceBook ? (
        <EtlCostChart result={result} priceBook={priceBook} />
      ) : null;
    case 'connection-budget':
      return (
        <ConnectionBudgetChart
          result={result}
          focusClient={focusClient?.row ?? undefined}
        />
      );
    case 'failover-rto':
      return <RtoChart result={result} />;
    default:
      return result.options && result.options.length > 0 ? (
        <CostChart result={result} currency={result.currency} />
      ) : null;
  }
}

const hasChart = (result: CalcResult) =>
  ['bigquery-capacity', 'connection-budget', 'failover-rto'].includes(
    result.calculatorId,
  ) || (result.options?.length ?? 0) > 0;

const SEVERITY_ICON: Record<Severity, JSX.Element> = {
  do: <CheckCircleIcon style={{ color: '#2e7d32' }} />,
  wait: <PauseCircleFilledIcon style={{ color: '#ed6c02' }} />,
  avoid: <CancelIcon style={{ color: '#d32f2f' }} />,
  blocked: <BlockIcon style={{ color: '#d32f2f' }} />,
  info: <InfoIcon color="primary" />,
};

/** The price-book chip of §5: version, oldest verified date and age; amber when stale, entries used in a tooltip. */
export function PriceBookChip(props: { result: CalcResult }) {
  const pb = props.result.priceBook;
  // No age when every price was verified after asOf (the result's price-age-unknown warning says why).
  const age = pb.ageDays === null ? 'age unknown' : `${pb.ageDays} d`;
  const label = pb.factsOnly
    ? `Prices ${pb.version} · facts only`
    : `Prices ${pb.version} · oldest verified ${pb.oldestVerifiedOn} (${age})`;
  return (
    <Tooltip
      title={`Price-book entries used: ${pb.entriesUsed.join(', ') || 'none'}`}
    >
      <Chip
        size="small"
        label={label}
        aria-label={`${label}${pb.stale ? ' (stale)' : ''}`}
        style={
          pb.stale ? { backgroundColor: '#ffb74d', color: '#000' } : undefined
        }
      />
    </Tooltip>
  );
}

function OptionTable(props: { result: CalcResult; outputs: Output[] }) {
  const { result, outputs } = props;
  const optionIds = [...new Set(outputs.map(o => o.option!))];
  const rows = [...new Set(outputs.map(o => o.label))];
  const labelOf = (id: string) =>
    result.options?.find(s => s.id === id)?.label ?? id;
  return (
    <Table size="small" aria-label="Results by option">
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col">
            Output
          </TableCell>
          {optionIds.map(id => (
            <TableCell key={id} align="right" component="th" scope="col">
              {labelOf(id)}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(label => (
          <TableRow key={label}>
            <TableCell component="th" scope="row">
              {label}
            </TableCell>
            {optionIds.map(id => {
              const o = outputs.find(x => x.label === label && x.option === id);
              return (
                <TableCell key={id} align="right">
                  {o ? formatOutputValue(o, result.currency) : ''}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ValueTable(props: { result: CalcResult; outputs: Output[] }) {
  const { result, outputs } = props;
  return (
    <Table size="small" aria-label="Results">
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col">
            Output
          </TableCell>
          <TableCell align="right" component="th" scope="col">
            Value
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {outputs.map(o => (
          <TableRow key={o.id}>
            <TableCell component="th" scope="row">
              {o.label}
            </TableCell>
            <TableCell align="right" data-output={o.id}>
              {formatOutputValue(o, result.currency)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Props of {@link CalculatorResult}. */
export interface CalculatorResultProps {
  result: CalcResult;
  /** True when the inputs are invalid and this is the last valid result, kept greyed. */
  outdated?: boolean;
  /** Warning kinds the caller shows elsewhere (the panel shows prefill warnings with the form). */
  hideWarningKinds?: readonly WarningKind[];
  /** Heading element of its sections: one level below the calculator's title. */
  subheading: SubheadingElement;
  /** The book the result was computed with; C4's chart computes its other volumes with it. */
  priceBook?: ResolvedPriceBook;
  /** C10 on a Component's page: the Component, whose share is shown and row highlighted. */
  focusClient?: FocusClient;
}

/** A result: recommendation with severity, warnings, results table, chart, rules ("Why") and caveats. */
export function CalculatorResult(props: CalculatorResultProps) {
  const { result, outdated, hideWarningKinds = [] } = props;
  const warnings = result.warnings.filter(
    w => !hideWarningKinds.includes(w.kind),
  );
  const withOption = result.outputs.filter(o => o.option);
  const single = result.outputs.filter(o => !o.option);
  const rec = result.recommendation;
  return (
    <Box
      component="section"
      aria-label={outdated ? 'Last valid result (outdated)' : 'Result'}
      style={outdated ? { opacity: 0.45 } : undefined}
      mt={2}
    >
      {outdated && (
        <Typography variant="body2" color="textSecondary">
          Last valid result, kept for reference: fix the inputs above to
          recompute.
        </Typography>
      )}
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <Box aria-hidden>{SEVERITY_ICON[rec.severity]}</Box>
        <Typography
          component="p"
          variant="body1"
          style={{ fontWeight: 700 }}
          data-testid="recommendation"
          aria-label={`Recommendation (${rec.severity}${
            rec.qualifier ? `, ${rec.qualifier}` : ''
          }): ${rec.sentence}`}
        >
          {rec.sentence}
          {rec.qualifier ? ` (${rec.qualifier})` : ''}
        </Typography>
      </Box>
      {warnings.map((w, i) => (
        <Alert
          key={`${w.kind}-${i}`}
          severity={
            w.kind === 'override-invalid' || w.kind === 'invalid-annotation'
              ? 'error'
              : 'warning'
          }
          style={{ marginBottom: 4 }}
        >
          {w.message}
        </Alert>
      ))}
      {/* The share is a statement about now: not drawn from the last valid (outdated) result. */}
      {props.focusClient &&
        !outdated &&
        result.calculatorId === 'connection-budget' && (
          <ClientShare
            result={result}
            client={props.focusClient}
            subheading={props.subheading}
          />
        )}
      <Box mt={1} mb={1}>
        <PriceBookChip result={result} />
      </Box>
      {withOption.length > 0 && (
        <OptionTable result={result} outputs={withOption} />
      )}
      {single.length > 0 && <ValueTable result={result} outputs={single} />}
      {hasChart(result) && !outdated && (
        <Box mt={2}>
          <Suspense fallback={<Typography>Loading chart…</Typography>}>
            <ResultChart
              result={result}
              priceBook={props.priceBook}
              focusClient={props.focusClient}
            />
          </Suspense>
        </Box>
      )}
      <Accordion>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography>Why: rules and caveats</Typography>
        </AccordionSummary>
        <AccordionDetails style={{ display: 'block' }}>
          <ul aria-label="Rules">
            {result.rules.map(r => (
              <li key={r.id}>
                {r.id}: {r.status}
                {r.sources.length > 0 && (
                  <>
                    {' '}
                    (from <ArticleSources sources={r.sources} />)
                  </>
                )}
              </li>
            ))}
          </ul>
          <Typography variant="subtitle2" component={props.subheading}>
            Caveats
          </Typography>
          <ul aria-label="Caveats">
            {result.caveats.map(c => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <Typography variant="caption">
            Computed {result.asOf} · {result.calculatorId} v
            {result.calculatorVersion}. Amounts are rounded to cents
            individually.
          </Typography>
        </AccordionDetails>
      </Accordion>
    </Box>
  );
}
