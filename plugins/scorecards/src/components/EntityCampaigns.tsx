import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { EntityCampaign } from '../api';

/** Campaign statuses in words (never colour alone). */
const STATUS_TEXT: Record<EntityCampaign['status'], string> = {
  done: 'done',
  remaining: 'remaining',
  'blocked-by-platform': 'blocked by the platform',
  overdue: 'overdue',
};

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
  return (
    <Table size="small" aria-label={`Campaigns ${props.entityRef} is in`}>
      <TableHead>
        <TableRow>
          <TableCell>Campaign</TableCell>
          <TableCell>Due</TableCell>
          <TableCell>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {campaigns.map(c => (
          <TableRow key={c.id}>
            <TableCell component="th" scope="row">
              {c.title}
            </TableCell>
            <TableCell>{c.dueAt.slice(0, 10)}</TableCell>
            <TableCell>{STATUS_TEXT[c.status] ?? c.status}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
