import { JSX, useCallback, useMemo, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  CheckDefinition,
  Waiver,
} from '@internal/plugin-scorecards-common';
import {
  ScorecardsApi,
  WaiverList,
  readCheckDefinitions,
  scorecardsApiRef,
} from '../../api';
import {
  RefreshErrorNotice,
  useAsyncResult,
  useRevealedRowFocus,
} from '@internal/suite-react';
import { WaiverCheckInfo, WaiverTable } from './WaiverTable';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { describeFailure } from './apiErrors';

/** Pending waivers read at first, and per "Show more" (the backend answers no total). */
export const PENDING_PAGE = 50;
/** The largest `limit` of `GET /waivers`. */
const MAX_LIMIT = 500;

/**
 * The first `wanted` pending waivers (at least a page), following the cursor when more than one
 * read's `limit` are wanted; `nextCursor` is where the list goes on.
 */
async function readPending(
  api: ScorecardsApi,
  wanted: number,
): Promise<WaiverList> {
  const first = await api.listWaivers({
    status: 'pending',
    limit: Math.min(wanted, MAX_LIMIT),
  });
  const items = [...first.items];
  let cursor = first.nextCursor;
  while (cursor && items.length < wanted) {
    const page = await api.listWaivers({
      status: 'pending',
      limit: Math.min(wanted - items.length, MAX_LIMIT),
      cursor,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  const list: WaiverList = { ...first, items };
  if (cursor) list.nextCursor = cursor;
  else delete list.nextCursor;
  return list;
}

/**
 * The waiver queue of the `/scorecards` page (§1 "Waiver approvers"): the pending waivers, oldest
 * first and a page at a time ("Show more" reads the next), with the check's class and severity,
 * the reason and the requested duration, to approve or reject. The backend answers no total, so
 * the heading counts the waivers shown and says when more are pending.
 */
export function PendingWaivers() {
  const api = useApi(scorecardsApiRef);
  // How many waivers a reload reads again: as many as are shown, so a decision or a retried
  // refresh does not drop the pages read with "Show more".
  const held = useRef(0);
  const waivers = useAsyncResult(
    () => readPending(api, Math.max(PENDING_PAGE, held.current)),
    [api],
  );
  // Pages read with "Show more" after the answer `base`; a new answer starts over.
  const [more, setMore] = useState<{
    base: WaiverList;
    items: Waiver[];
    nextCursor?: string;
  }>();
  const [reading, setReading] = useState(false);
  // The backend's message when "Show more" could not read the next page.
  // Kept with the answer it was about: a reload (after a decision) does not show it.
  const [readError, setReadError] = useState<{
    base: WaiverList;
    message: string;
  }>();
  const base = waivers.value;
  const extra = more && more.base === base ? more : undefined;
  const items = useMemo(
    () => (base ? [...base.items, ...(extra?.items ?? [])] : []),
    [base, extra],
  );
  held.current = items.length;
  const cursor = extra ? extra.nextCursor : base?.nextCursor;
  // The answer on screen: a page read for an older one is dropped.
  const latest = useRef(base);
  latest.current = base;

  const { reveal, rowFocus } = useRevealedRowFocus();
  const showMore = useCallback(async () => {
    if (!base || !cursor) return;
    // the first waiver of the page read takes the focus once it is shown
    reveal(items.length);
    setReading(true);
    setReadError(undefined);
    try {
      const page = await api.listWaivers({
        status: 'pending',
        limit: PENDING_PAGE,
        cursor,
      });
      if (latest.current !== base) return;
      setMore(prev => {
        const before =
          prev && prev.base === base
            ? prev
            : { base, items: [], nextCursor: base.nextCursor };
        // a second click for the same cursor
        if (before.nextCursor !== cursor) return prev;
        return {
          base,
          items: [...before.items, ...page.items],
          nextCursor: page.nextCursor,
        };
      });
    } catch (e) {
      // about this list only: a reloaded queue (after a decision) does not show it
      if (latest.current !== base) return;
      setReadError({
        base,
        message: describeFailure(
          e,
          'read pending waivers',
          'catalog.entity.read',
        ).message,
      });
    } finally {
      setReading(false);
    }
  }, [api, base, cursor, reveal, items.length]);

  // Titles, class, level and severity of the checks; the queue works without them.
  const checks = useAsyncResult<CheckDefinition[]>(
    () => readCheckDefinitions(api),
    [api],
  );
  const info = useMemo(() => {
    const map = new Map<string, WaiverCheckInfo>();
    for (const c of checks.value ?? []) {
      map.set(c.id, {
        title: c.title,
        class: c.class,
        level: c.level ?? null,
        severity: c.severity,
      });
    }
    return map;
  }, [checks.value]);

  let body: JSX.Element;
  if (waivers.loading) body = <Progress />;
  else if (waivers.error)
    body = <ErrorWithRetry error={waivers.error} retry={waivers.retry} />;
  else
    body = (
      <>
        {waivers.refreshError && (
          <RefreshErrorNotice
            error={waivers.refreshError}
            onRetry={waivers.refresh}
          />
        )}
        <WaiverTable
          waivers={items}
          expiryWarningDays={waivers.value.waiverExpiryWarningDays}
          label="Pending waivers"
          showEntity
          checkInfo={id => info.get(id)}
          onChanged={waivers.refresh}
          rowProps={rowFocus}
        />
        {readError && readError.base === base && (
          <Typography role="alert" color="error" variant="body2">
            Could not load more pending waivers: {readError.message}
          </Typography>
        )}
        {cursor && (
          <Box mt={1}>
            {/* aria-disabled, not disabled: a disabled button drops the keyboard focus */}
            <Button
              size="small"
              aria-disabled={reading}
              onClick={reading ? undefined : showMore}
            >
              {reading ? 'Loading more…' : 'Show more'}
            </Button>
          </Box>
        )}
      </>
    );

  return (
    <Box component="section" aria-labelledby="pending-waivers-heading" mt={4}>
      <Typography variant="h6" component="h2" id="pending-waivers-heading">
        Pending waivers
        {base ? ` (${pendingCount(items.length, cursor !== undefined)})` : ''}
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Approving needs scorecards.waiver.approve on the check; nobody approves
        their own request.
      </Typography>
      {body}
    </Box>
  );
}

/** "50 shown, more pending" while more are pending, else the count: no total is known. */
function pendingCount(shown: number, more: boolean): string {
  const count = shown.toLocaleString('en-US');
  return more ? `${count} shown, more pending` : count;
}
