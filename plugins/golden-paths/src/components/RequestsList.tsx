import { useMemo, useRef, useState } from 'react';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  Content,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  errorMessage,
  goldenPathsApiRef,
  GoldenPathRequest,
  RequestStatus,
} from '../api';
import { CatalogRefLink } from './CatalogRefLink';
import { formatInstant } from './format';
import { useGoldenPathsLinks } from './links';
import { PluginNav } from './PluginNav';
import { StatusChip } from './StatusChip';
import {
  ScrollRegion,
  useAsyncResult,
  WholeWordsCell,
  WholeWordsHead,
} from '@internal/suite-react';

const STATUSES: RequestStatus[] = [
  'open',
  'awaiting-approval',
  'running',
  'succeeded',
  'failed',
  'rejected',
  'compensated',
  'superseded',
];

/**
 * The table's columns. Its cells keep their words whole and it scrolls in its region: in the
 * theme's cells that break words anywhere, a phone split every header and ref a letter or two
 * per line and the page scrolled sideways.
 */
const COLUMNS = [
  { label: 'Request key' },
  { label: 'Status' },
  { label: 'Template' },
  { label: 'Requested by' },
  { label: 'Updated' },
  { label: 'Attempts' },
] as const;

/**
 * Requests most recently updated first, each once: one read on two pages (updated between the
 * reads) keeps its newer row.
 */
function newestFirst(requests: GoldenPathRequest[]): GoldenPathRequest[] {
  const byKey = new Map<string, GoldenPathRequest>();
  for (const r of requests) {
    const seen = byKey.get(r.requestKey);
    if (!seen || r.updatedAt > seen.updatedAt) byKey.set(r.requestKey, r);
  }
  return [...byKey.values()].sort((a, b) =>
    b.updatedAt.localeCompare(a.updatedAt),
  );
}

/** `/golden-paths/requests`: the ledger's requests, newest first, each linking to its page. */
export function RequestsListContent() {
  const api = useApi(goldenPathsApiRef);
  const links = useGoldenPathsLinks();
  const [status, setStatus] = useState<RequestStatus | ''>('');
  // Older pages loaded with "Show older requests" (the backend answers one page at a time).
  const [older, setOlder] = useState<{
    items: GoldenPathRequest[];
    nextCursor?: string;
    loading?: boolean;
    error?: string;
  }>();
  const result = useAsyncResult(
    () => api.getRequests(status ? { status } : {}),
    [api, status],
  );
  // An older page that arrives after the filter changed belongs to the previous filter.
  const shownStatus = useRef(status);
  shownStatus.current = status;
  const rows = useMemo(
    () =>
      newestFirst([...(result.value?.items ?? []), ...(older?.items ?? [])]),
    [result.value, older],
  );
  const nextCursor = older ? older.nextCursor : result.value?.nextCursor;
  const loadOlder = async () => {
    if (!nextCursor) return;
    const items = older?.items ?? [];
    setOlder({ items, nextCursor, loading: true });
    try {
      // The first page again too: pages follow the last update, so a request updated since the
      // first page was read has moved in front of it, where no older page would list it.
      const filter = status ? { status } : {};
      const [head, page] = await Promise.all([
        api.getRequests(filter),
        api.getRequests({ ...filter, cursor: nextCursor }),
      ]);
      if (shownStatus.current !== status) return;
      setOlder({
        items: [...items, ...head.items, ...page.items],
        nextCursor: page.nextCursor,
      });
    } catch (e) {
      if (shownStatus.current !== status) return;
      setOlder({ items, nextCursor, error: errorMessage(e) });
    }
  };

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = (
      <>
        <ResponseErrorPanel error={result.error} />
        <Button onClick={result.retry}>Retry</Button>
      </>
    );
  else if (rows.length === 0)
    body = (
      <EmptyState
        missing="data"
        title="No requests"
        description={
          status
            ? `No golden-path request is ${status}.`
            : 'No golden-path request has been made yet. Requests appear here once a golden-path template runs.'
        }
      />
    );
  else
    body = (
      <ScrollRegion label="Golden-path requests" scrollHint>
        <Table size="small" aria-label="Golden-path requests">
          <WholeWordsHead columns={COLUMNS} />
          <TableBody>
            {rows.map(r => (
              <TableRow key={r.requestKey}>
                <WholeWordsCell component="th" scope="row">
                  <Link to={links.request(r.requestKey)}>{r.requestKey}</Link>
                </WholeWordsCell>
                <WholeWordsCell>
                  <StatusChip status={r.status} />
                </WholeWordsCell>
                <WholeWordsCell>
                  <CatalogRefLink
                    entityRef={r.templateRef}
                    defaultKind="template"
                  />
                  {/* Its own line, worded as on the request page: a long template title used
                      to wrap and leave "@1.0.0" alone on a line. */}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    version {r.templateVersion}
                  </Typography>
                </WholeWordsCell>
                <WholeWordsCell>
                  <CatalogRefLink entityRef={r.createdBy} defaultKind="user" />
                </WholeWordsCell>
                <WholeWordsCell>{formatInstant(r.updatedAt)}</WholeWordsCell>
                <WholeWordsCell>{r.attempts}</WholeWordsCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollRegion>
    );
  const more = !result.loading && !result.error && nextCursor && (
    <>
      <Typography variant="body2" color="textSecondary">
        Showing the {rows.length} most recently updated requests; older ones
        follow.
      </Typography>
      {older?.error && (
        <Typography variant="body2" color="error" role="alert">
          Could not load older requests: {older.error}
        </Typography>
      )}
      <Button onClick={loadOlder} disabled={older?.loading}>
        Show older requests
      </Button>
    </>
  );

  return (
    <Content>
      <PluginNav current="requests" />
      <Typography variant="h5" component="h2" gutterBottom>
        Requests
      </Typography>
      <TextField
        select
        id="gp-requests-status"
        label="Status"
        value={status}
        onChange={e => {
          setOlder(undefined);
          setStatus(e.target.value as RequestStatus | '');
        }}
        style={{ minWidth: 220, marginBottom: 16 }}
      >
        <MenuItem value="">Any</MenuItem>
        {STATUSES.map(s => (
          <MenuItem key={s} value={s}>
            {s}
          </MenuItem>
        ))}
      </TextField>
      {body}
      {more}
    </Content>
  );
}
