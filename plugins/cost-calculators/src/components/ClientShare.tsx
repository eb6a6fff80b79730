import { Box, Typography } from '@material-ui/core';
import {
  CalcResult,
  connectionBudgetStack,
  dec,
  formatPercent,
} from '@internal/plugin-cost-calculators-common';
import type { SubheadingElement } from './headings';
import type { FocusClient } from './componentBudget';
import { connections, counted, whole } from './chartParts';

/** Props of {@link ClientShare}. */
export interface ClientShareProps {
  /** A C10 `connection-budget` result. */
  result: CalcResult;
  /** The Component and its client row (found by its entity ref; null when it is not counted). */
  client: FocusClient;
  subheading: SubheadingElement;
}

/**
 * A share with one decimal, as "(81.4 %)". A share that is not zero but rounds to 0.0 is
 * "(< 0.1 %)", and one short of the whole that rounds to 100.0 is "(> 99.9 %)": a client that
 * opens connections never reads as taking none, nor one of several clients as taking all.
 */
const share = (part: number, of: number) => {
  if (of <= 0) return '';
  const percent = dec(part).div(of).times(100);
  if (percent.greaterThan(0) && percent.lessThan('0.05')) return ' (< 0.1 %)';
  if (part < of && percent.greaterThanOrEqualTo('99.95')) return ' (> 99.9 %)';
  return ` (${formatPercent(percent)} %)`;
};

/**
 * The Component-scoped connection budget (§1 card table: "Component: same card scoped to
 * its row"): what this Component takes of the database's budget at full scale and how far
 * it can grow while the other clients stay as they are.
 */
export function ClientShare(props: ClientShareProps) {
  const { result, subheading } = props;
  const client = props.client.label;
  const stack = connectionBudgetStack(result);
  if (!stack) return null;
  // Its own row only: a row of the same bare name may be another namespace's Component.
  const row =
    props.client.row === null
      ? undefined
      : stack.clients.find(c => c.name === props.client.row);
  return (
    <Box component="section" aria-label={`Share of ${client}`} mt={1} mb={1}>
      <Typography variant="subtitle2" component={subheading}>
        Share of {client}
      </Typography>
      {row && props.client.merged && (
        <Typography variant="body2">
          {`${client} is counted in “${
            row.name
          }”: the database has more dependents than the client rows, so the smallest are summed into that row and ${client}'s own share is not broken out. Together they open ${connections(
            row.connections,
          )} at full scale.`}
        </Typography>
      )}
      {row && !props.client.merged && (
        <Typography variant="body2">
          {`At full scale ${client} opens ${connections(
            row.connections,
          )} (${counted(row.peakInstances, 'peak instance')} × pool ${whole(
            row.poolSize,
          )}): `}
          {`${whole(row.connections)} of ${counted(
            stack.usable,
            'usable connection',
          )}${share(row.connections, stack.usable)}, `}
          {`of a demand of ${whole(stack.demand)} from all clients${share(
            row.connections,
            stack.demand,
          )}. `}
          {`With the other clients as they are, it fits up to ${counted(
            row.maxSafeInstances,
            'max instance',
          )} at pool ${whole(row.poolSize)}`}
          {row.maxSafePool === null
            ? '.'
            : `, or a pool of up to ${whole(row.maxSafePool)} at ${counted(
                row.peakInstances,
                'peak instance',
              )}.`}
        </Typography>
      )}
      {!row && (
        <Typography variant="body2">
          {client} is not among the clients counted here, so its connections are
          not in this budget. Without ops.example.com/db-pool-size and
          ops.example.com/max-instances on it, it cannot be counted: declare
          them to see its share here (a row added above counts in the budget,
          but not as this component, whose row is found by its entity ref).
        </Typography>
      )}
    </Box>
  );
}
