import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button, Typography } from '@material-ui/core';
import type { ImpactedEntity } from '@internal/plugin-incident-brief-common';
import {
  GRAPH_NODE_LIMIT,
  labelledBandGap,
  layoutPage,
  pageByHop,
} from './layoutByHop';
import { formatCount, shortRef } from './formatting';
import { useLayoutStyles } from './layoutStyles';
import { GraphDrawing } from './GraphDrawing';

/** Labels are drawn only for small graphs; bigger ones keep names in node tooltips. */
const LABEL_LIMIT = 60;

/**
 * Layered SVG graph of the blast radius: root at the left, one band per hop, each node linked to
 * the parent on its shortest path. All edges are one `<path>` so 1,000 nodes stay responsive.
 *
 * A radius of more than {@link GRAPH_NODE_LIMIT} entities is drawn a page of 1,000 at a time,
 * nearest hops first ("showing 1–1,000 of 10,000"); "Show next 1,000" / "Show previous 1,000"
 * move between pages. `impacted` may hold fewer entities than `total` (the API pages its list):
 * then `loadMore` is called to fetch the entities after the last one held before the next page
 * is drawn. A node whose parent is on another page is drawn with a dashed stub.
 */
export const BlastRadiusGraph = memo(function HopLayeredGraph(props: {
  root: { ref: string; title: string };
  impacted: ImpactedEntity[];
  total: number;
  /** fetches (appends to `impacted`) the next entities of the radius; absent when all are held */
  loadMore?: () => Promise<void>;
  /** nodes per page, default {@link GRAPH_NODE_LIMIT} */
  pageSize?: number;
}) {
  const { root, impacted, total, loadMore } = props;
  const pageSize = props.pageSize ?? GRAPH_NODE_LIMIT;
  const graphId = `ib-graph-${useId().replace(/:/g, '')}`;
  const classes = useLayoutStyles();
  const [page, setPage] = useState(0);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<Error>();

  // never past the entities held (a new, smaller radius arrives with the same component)
  const held = Math.min(impacted.length, total);
  const lastPage = Math.max(0, Math.ceil(held / pageSize) - 1);
  const current = Math.min(page, lastPage);
  const offset = current * pageSize;

  // The page keeps its identity while the entities appended to `impacted` (the next page read
  // ahead) lie beyond it, so neither its layout nor its drawing is redone for them.
  const shownPage = useRef<readonly ImpactedEntity[]>();
  const pageEntities = useMemo(
    () => pageByHop(impacted, { limit: pageSize, offset }, shownPage.current),
    [impacted, pageSize, offset],
  );
  useEffect(() => {
    shownPage.current = pageEntities;
  }, [pageEntities]);
  const labels = pageEntities.length <= LABEL_LIMIT;
  const layout = useMemo(
    () =>
      layoutPage(root, pageEntities, {
        offset,
        bandGap: labels
          ? labelledBandGap(
              [root.ref, ...pageEntities.map(e => e.ref)].map(shortRef),
            )
          : undefined,
      }),
    [root, pageEntities, offset, labels],
  );

  const paged = total > pageSize;
  const first = offset + 1;
  const last = offset + layout.shown;
  const caption = paged
    ? `showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(
        total,
      )}`
    : `showing all ${formatCount(layout.shown)}`;
  const nextCount = Math.min(pageSize, total - last);
  const canLoad = last < held || Boolean(loadMore);

  // The next page is read ahead while this one is shown, so "Show next" only draws it (a
  // 1,000-entity read is most of that click's time, docs/benchmarks.md "Graph view"). A read
  // ahead that fails says nothing: the click reads again and reports.
  const nextNotHeld = held < Math.min(total, last + pageSize);
  const readAhead = useRef<Promise<boolean>>();
  useEffect(() => {
    if (!nextNotHeld || !loadMore || readAhead.current) return;
    const read = loadMore().then(
      () => true,
      () => false,
    );
    readAhead.current = read;
    read.then(() => {
      if (readAhead.current === read) readAhead.current = undefined;
    });
  }, [nextNotHeld, loadMore]);

  const showNext = async () => {
    setLoadError(undefined);
    if (nextNotHeld && loadMore) {
      setLoading(true);
      try {
        const ahead = readAhead.current;
        if (!ahead || !(await ahead)) await loadMore();
      } catch (error) {
        setLoadError(error instanceof Error ? error : new Error(String(error)));
        return;
      } finally {
        setLoading(false);
      }
    }
    setPage(current + 1);
  };
  const showPrevious = () => {
    setLoadError(undefined);
    setPage(Math.max(0, current - 1));
  };

  return (
    <div>
      <Typography
        variant="body2"
        data-testid="graph-caption"
        role="status"
        aria-live="polite"
      >
        Graph by hop, nearest first: {caption}
      </Typography>
      {paged && (
        <div
          role="navigation"
          aria-label="Blast radius graph pages"
          className={classes.pager}
        >
          <Button
            variant="outlined"
            size="small"
            aria-controls={graphId}
            disabled={current === 0 || loading}
            onClick={showPrevious}
          >
            Show previous {formatCount(pageSize)}
          </Button>
          <Button
            variant="outlined"
            size="small"
            aria-controls={graphId}
            disabled={nextCount <= 0 || !canLoad || loading}
            onClick={showNext}
          >
            {loading
              ? 'Loading…'
              : `Show next ${formatCount(Math.max(nextCount, 0))}`}
          </Button>
          {loadError && (
            <Typography variant="body2" color="error" role="alert">
              Could not load the next entities: {loadError.message}
            </Typography>
          )}
        </div>
      )}
      {/* A page taller than the frame scrolls; a scrollable region without anything focusable
          inside must take focus itself, or keyboard users cannot scroll it (WCAG 2.1.1). */}
      <div
        className={classes.graphFrame}
        aria-busy={loading}
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- see above
        tabIndex={0}
        role="region"
        aria-label="Blast radius graph"
      >
        <GraphDrawing
          id={graphId}
          label={`Blast radius graph: ${caption} impacted entities, root ${shortRef(
            root.ref,
          )} on the left, one column per hop${
            layout.stubs.length
              ? '; dashed stubs mark entities whose parent is on another page'
              : ''
          }. The list view has the same entities as text.`}
          layout={layout}
          labels={labels}
        />
      </div>
      <Typography variant="caption">
        Fill: tier 1 red · tier 2 orange · tier 3 blue · unknown grey; outlined
        = customer-facing.
      </Typography>
    </div>
  );
});
