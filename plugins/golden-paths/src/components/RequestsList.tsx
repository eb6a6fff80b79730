import { JSX, useMemo, useRef, useState } from 'react';
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
  GoldenPathsApi,
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
  // The backend's order: ties by key, descending.
  return [...byKey.values()].sort(
    (a, b) =>
      b.updatedAt.localeCompare(a.updatedAt) ||
      b.requestKey.localeCompare(a.requestKey),
  );
}

/** Most first pages read again by one "Show older requests" (each up to 100 requests). */
const MAX_HEAD_PAGES = 5;

/**
 * The requests at the head of the listing down to the first one not updated after `since` (the
 * newest `updatedAt` shown): every request created or updated since the list was read, unless
 * there are more than `MAX_HEAD_PAGES` pages of them.
 */
async function headSince(
  api: GoldenPathsApi,
  filter: { status?: RequestStatus },
  since: string | undefined,
): Promise<GoldenPathRequest[]> {
  const found: GoldenPathRequest[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_HEAD_PAGES; i++) {
    const page = await api.getRequests(cursor ? { ...filter, cursor } : filter);
    found.push(...page.items);
    const last = page.items[page.items.length - 1];
    if (!page.nextCursor || !last || since === undefined) break;
    if (last.updatedAt <= since) break;
    cursor = page.nextCursor;
  }
  return found;
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
      const filter = status ? { status } : {};
      const page = await api.getRequests({ ...filter, cursor: nextCursor });
      // Then the head again: pages follow the last update, so a request updated since the list
      // was read has moved in front of it, where no older page lists it. Read after the older
      // page, so one updated between the two reads is in the second.
      const head = await headSince(api, filter, rows[0]?.updatedAt);
      if (shownStatus.current !== status) return;
      setOlder({
        items: newestFirst([...items, ...head, ...page.items]),
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
