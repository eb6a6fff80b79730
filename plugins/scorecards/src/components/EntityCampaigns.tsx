import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import {
  ScrollRegion,
  WholeWordsCell,
  WholeWordsHead,
} from '@internal/suite-react';
import type { EntityCampaign } from '../api';

/** Campaign statuses in words (never colour alone). */
const STATUS_TEXT: Record<EntityCampaign['status'], string> = {
  done: 'done',
  remaining: 'remaining',
  'blocked-by-platform': 'blocked by the platform',
  overdue: 'overdue',
};

/**
 * The columns with their least widths: on a phone the theme's cells broke the date and the
 * status inside words ("remai ning"); now the table scrolls instead.
 */
const COLUMNS = [
  { label: 'Campaign', minWidth: '10rem' },
  { label: 'Due', minWidth: '6rem' },
  { label: 'Status', minWidth: '7rem' },
] as const;

/**
 * The active campaigns whose scope takes the entity (§7.2, §7.4 `campaigns`): which level it must
 * reach by when, and where it stands. Nothing when it is in none.
 */
export function EntityCampaigns(props: {
  entityRef: string;
  campaigns: readonly EntityCampaign[] | undefined;
}) {
  const campaigns = props.campaigns ?? [];
  if (campaigns.length === 0) return null;
  const name = `Campaigns ${props.entityRef} is in`;
  return (
    <ScrollRegion label={name} scrollHint>
      <Table size="small" aria-label={name}>
        <WholeWordsHead columns={COLUMNS} />
        <TableBody>
          {campaigns.map(c => (
            <TableRow key={c.id}>
              <TableCell component="th" scope="row">
                {c.title}
              </TableCell>
              <WholeWordsCell>{c.dueAt.slice(0, 10)}</WholeWordsCell>
              <WholeWordsCell>
                {STATUS_TEXT[c.status] ?? c.status}
              </WholeWordsCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}
