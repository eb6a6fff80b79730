import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useMemo, useState } from 'react';
import { CampaignWithProgress } from '../../api';
import { LabelledSelect } from '@internal/suite-react';
import {
  CampaignEntityRow,
  STATUS_LABELS,
  STATUS_ORDER,
  entityRows,
} from './campaignFormat';

type StatusFilter = CampaignEntityRow['status'] | 'any';
const STATUS_FILTERS: readonly StatusFilter[] = ['any', ...STATUS_ORDER];
const PAGE_SIZES = [25, 50, 100];

/**
 * The entities of a campaign with their status and owner, the ones to act on first (overdue,
 * then remaining), filterable by status and paged. Entities the viewer may not read are counted
 * in the totals above and named here only as a number.
 */
export function CampaignEntities(props: {
  progress: CampaignWithProgress['progress'];
}) {
  const { entities, restrictedEntities } = props.progress;
  const [status, setStatus] = useState<StatusFilter>('any');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const rows = useMemo(() => entityRows(entities, status), [entities, status]);
  const shown = rows.slice(page * pageSize, (page + 1) * pageSize);

  return (
    <Box component="section" aria-labelledby="campaign-entities" mt={3}>
      <Typography variant="h6" component="h3" id="campaign-entities">
        Entities
      </Typography>
      {restrictedEntities > 0 && (
        <Typography
          variant="body2"
          color="textSecondary"
          paragraph
          data-testid="campaign-restricted"
        >
          {restrictedEntities}{' '}
          {restrictedEntities === 1 ? 'entity' : 'entities'} in scope that you
          may not read {restrictedEntities === 1 ? 'is' : 'are'} counted above
          but not listed.
        </Typography>
      )}
      {entities.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No entity you can read is in the campaign's scope.
        </Typography>
      ) : (
        <>
          <Box my={1}>
            <LabelledSelect
              id="campaign-status-filter"
              label="Status"
              value={status}
              options={STATUS_FILTERS}
              optionLabel={s => (s === 'any' ? 'Any status' : STATUS_LABELS[s])}
              onChange={s => {
                setStatus(s);
                setPage(0);
              }}
            />
          </Box>
          <Box overflow="auto">
            <Table size="small" aria-label="Campaign entities">
              <TableHead>
                <TableRow>
                  <TableCell>Entity</TableCell>
                  <TableCell>Owner</TableCell>
                  <TableCell>Status</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={3}>
                      No entity has this status.
                    </TableCell>
                  </TableRow>
                ) : (
                  shown.map(e => (
                    <TableRow key={e.entityRef}>
                      <TableCell component="th" scope="row" role="rowheader">
                        <EntityRefLink entityRef={e.entityRef} />
                      </TableCell>
                      <TableCell>
                        {e.owner ? <EntityRefLink entityRef={e.owner} /> : '—'}
                      </TableCell>
                      <TableCell data-status={e.status}>
                        {STATUS_LABELS[e.status]}
                      </TableCell>
                    </TableRow>
                  ))
                )}
              </TableBody>
            </Table>
          </Box>
          {rows.length > PAGE_SIZES[0] && (
            <TablePagination
              component="div"
              count={rows.length}
              page={page}
              rowsPerPage={pageSize}
              rowsPerPageOptions={PAGE_SIZES}
              onPageChange={(_, p) => setPage(p)}
              onRowsPerPageChange={ev => {
                setPageSize(Number(ev.target.value));
                setPage(0);
              }}
            />
          )}
        </>
      )}
    </Box>
  );
}
