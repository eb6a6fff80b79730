import { Fragment, useCallback, useMemo, useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type {
  BlastRadiusAnswer,
  ConfidenceLevel,
  EdgeFilter,
} from '@internal/plugin-incident-brief-common';
import {
  MARKDOWN_LIST_LIMIT,
  confirmedPercent,
  displayOwner,
  readTitle,
} from '@internal/plugin-incident-brief-common';
import { incidentBriefApiRef } from '../api';
import { ReadErrorPanel } from './ReadErrorPanel';
import { isEntityRef, LabelledSelect, useNow } from '@internal/suite-react';
import { CardControls, ChoiceToggle } from './CardControls';
import { ConfidenceChip } from './Chips';
import { ImpactedList } from './ImpactedList';
import { BlastRadiusGraph } from './BlastRadiusGraph';
import { GRAPH_NODE_LIMIT } from './layoutByHop';
import { useImpactedPages } from './useImpactedPages';
import { useBlastRadiusRead } from './useBlastRadiusRead';
import {
  RESTRICTED,
  formatCount,
  observedEdgesAge,
  shortRef,
} from './formatting';

// From 1: at 0 hops nothing is searched, and the card would then say that nothing depends on
// the entity (the API still takes 0, for a caller that wants only the root's summary). Up to the
// backend's `maxHops` (10 unless its operator lowered it; a backend before it says none).
const hopChoices = (maxHops: number) =>
  Array.from({ length: Math.max(1, maxHops) }, (_, i) => i + 1);
const VIEW_CHOICES = (['list', 'graph'] as const).map(value => ({
  value,
  text: value,
  label: `${value} view`,
}));
const EDGE_CHOICES = (['all', 'declared', 'observed'] as const).map(value => ({
  value,
  text: value,
  label: `${value} edges`,
}));

function Count(props: { label: string; value: number | string }) {
  return (
    <Box mr={3} mb={1}>
      <Typography
        variant="h5"
        component="div"
        data-testid={`count-${props.label}`}
      >
        {props.value}
      </Typography>
      <Typography variant="caption" component="div">
        {props.label}
      </Typography>
    </Box>
  );
}

/**
 * `Edges confirmed 1/2 (50 %)`; with no edge examined, "No edges to confirm" — the backend's ratio
 * of 1.0 for an instrumented root nobody calls (IB §3.3) read as "0/0 (100 %)".
 */
function edgesConfirmedText(
  edgeStats: BlastRadiusAnswer['edgeStats'],
  ratio: number | null,
): string {
  if (edgeStats.examined === 0) return 'No edges to confirm';
  // floored, as the markdown shows it: 79.6 % is not "80 %" beside a `medium` chip
  const percent = confirmedPercent(edgeStats, ratio);
  const share = percent === undefined ? '' : ` (${percent} %)`;
  return `Edges confirmed ${edgeStats.confirmed}/${edgeStats.examined}${share}`;
}

/**
 * A team to notify, linked to its catalog page so a responder can reach it in one click, and
 * named as the owner card names an owner: the catalog's display name or title when the entity
 * presentation knows it, else the ref as `humanizeEntityRef` prints it for a group
 * (`platform-team`, `ns1/platform-team`, `user:ana.ruiz`), the markdown export's text. An owner
 * the backend does not name (`restricted`) or that is no entity ref (no kind) is text: a link to
 * it would throw.
 */
function TeamToNotify(props: { ownerRef: string }) {
  const { ownerRef } = props;
  if (ownerRef === RESTRICTED || !isEntityRef(ownerRef)) {
    return <>{displayOwner(ownerRef)}</>;
  }
  return (
    <EntityRefLink
      entityRef={ownerRef}
      defaultKind="group"
      underline="always"
    />
  );
}

/** The teams to notify in the markdown export's order: by the name shown when no title is known. */
function teamsToNotify(byOwner: Record<string, number>): string[] {
  const byName = (a: string, b: string) => {
    const [x, y] = [displayOwner(a), displayOwner(b)];
    if (x === y) return 0;
    return x < y ? -1 : 1;
  };
  return Object.keys(byOwner).sort(byName);
}

/**
 * `a → b → a; c → d → c; +3 more`: the first cycles as the markdown lists them (§6.3). A graph
 * tangled in thousands of cycles would otherwise fill the card with one line.
 */
function cyclesText(cycles: string[][]): string {
  const shown = cycles
    .slice(0, MARKDOWN_LIST_LIMIT)
    .map(c => c.map(shortRef).join(' → '));
  if (cycles.length > MARKDOWN_LIST_LIMIT)
    shown.push(`+${formatCount(cycles.length - MARKDOWN_LIST_LIMIT)} more`);
  return shown.join('; ');
}

/**
 * Counts of a blast radius (also used by the brief tab, with `now` = the time the brief was
 * evaluated at; default the present).
 */
export function BlastRadiusCounts(props: {
  result: BlastRadiusAnswer;
  now?: Date;
}) {
  const { counts, edgeStats, confidence, beyondLimit, asOf } = props.result;
  const teams = teamsToNotify(counts.byOwner);
  const ticking = useNow();
  const observedAge = observedEdgesAge(
    asOf.observedEdges,
    props.now ?? ticking,
  );
  return (
    <Box>
      <Box
        display="flex"
        flexWrap="wrap"
        aria-label="Blast radius counts"
        role="group"
      >
        <Count label="impacted" value={formatCount(counts.total)} />
        <Count label="tier 1" value={counts.byTier[1]} />
        <Count label="tier 2" value={counts.byTier[2]} />
        <Count label="tier 3" value={counts.byTier[3]} />
        <Count label="tier unknown" value={counts.byTier.unknown} />
        <Count label="customer-facing" value={counts.customerFacing} />
        <Count label="immediate" value={counts.immediate} />
        <Count label="deferred" value={counts.deferred} />
        {counts.unresolved > 0 && (
          <Count label="unresolved" value={counts.unresolved} />
        )}
      </Box>
      <Typography variant="body2">
        {edgesConfirmedText(edgeStats, confidence.ratio)}
        {edgeStats.driftUndeclared > 0 &&
          ` · ${edgeStats.driftUndeclared} observed but not declared`}
        {edgeStats.driftUnobserved > 0 &&
          ` · ${edgeStats.driftUnobserved} declared but not observed`}
        {beyondLimit > 0 && ` · ${beyondLimit} more beyond the hop limit`}
      </Typography>
      {observedAge && (
        <Typography variant="body2" data-testid="observed-edges-age">
          {observedAge}
        </Typography>
      )}
      {teams.length > 0 && (
        <Typography variant="body2">
          Teams to notify:{' '}
          {teams.map((ref, i) => (
            <Fragment key={ref}>
              {i > 0 && ', '}
              <TeamToNotify ownerRef={ref} />
            </Fragment>
          ))}
        </Typography>
      )}
      {props.result.cycles.length > 0 && (
        <Typography variant="body2">
          Cycles: {cyclesText(props.result.cycles)}
        </Typography>
      )}
    </Box>
  );
}

/** `within N hop(s)`, as the empty-radius texts say it. */
const withinHops = (hops: number) =>
  `within ${hops} hop${hops === 1 ? '' : 's'}`;

/**
 * What an empty radius says (also on the brief tab): with no dependency evidence to search it
 * proves nothing — missing data is never read as "no impact" (IB §0).
 */
export function emptyRadiusText(
  title: string,
  hops: number,
  level: ConfidenceLevel,
  filtered = '',
): { title: string; description: string } {
  return {
    title: `Nothing depends on ${title} ${withinHops(hops)}`,
    description:
      level === 'unknown'
        ? 'No dependency evidence for this entity: an empty radius proves nothing here.'
        : `No declared or observed dependents were found${filtered}.`,
  };
}

/**
 * What an empty dependency list says on the brief tab, as {@link emptyRadiusText} does for the
 * dependents: with no dependency evidence it does not show the entity needs nothing (IB §0).
 */
export function emptyDependenciesText(
  title: string,
  hops: number,
  level: ConfidenceLevel,
): { title: string; description: string } {
  return {
    title: `${title} depends on nothing ${withinHops(hops)}`,
    description:
      level === 'unknown'
        ? 'No dependency evidence for this entity: an empty dependency list proves nothing here.'
        : 'No declared or observed dependencies were found.',
  };
}

/** What the responder still has when the blast radius cannot load (shown in its error state). */
export const BLAST_RADIUS_FALLBACK =
  "Declared dependents are still listed in this entity's catalog relations (dependency of), without observed traffic, tiers or paths.";

/** Blast radius card (IB §6.5): who needs this entity, within 1–10 hops. */
export function EntityBlastRadiusCard() {
  const { entity } = useEntity();
  const api = useApi(incidentBriefApiRef);
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  // Until the user picks, the backend's default (`incidentBrief.blastRadius.defaultHops`): a
  // fixed 3 failed on every page of a backend whose operator set maxHops below it.
  const [chosenHops, setHops] = useState<number>();
  const [edges, setEdges] = useState<EdgeFilter>('all');
  const [view, setView] = useState<'list' | 'graph'>('list');
  const [listOpen, setListOpen] = useState(false);
  // Rows are read once the list opens (the graph view is inside it): the collapsed card shows
  // only counts, which the backend computes over the whole radius however few rows it sends.
  const read = useBlastRadiusRead(
    api,
    entityRef,
    { hops: chosenHops, edges },
    listOpen,
  );
  const { summary, rows } = read;
  // What was searched: the pick, else the answer's (the backend's default). The last answer is
  // kept while the next loads or after an error, so the menu still offers only what the
  // backend takes.
  const answered = read.last;
  const hops = chosenHops ?? answered?.hops ?? 3;
  const maxHops = answered?.maxHops ?? 10;
  // the graph pages through radii over 1,000 entities with the answer's cursor
  const fetchPage = useCallback(
    (cursor: string) =>
      api.getBlastRadius(entityRef, {
        hops,
        edges,
        direction: 'dependents',
        limit: GRAPH_NODE_LIMIT,
        cursor,
      }),
    [api, entityRef, hops, edges],
  );
  const pages = useImpactedPages(rows, fetchPage);
  // the brief's own rule: an empty or blank title falls back to the name
  const title = readTitle(entity);
  const root = useMemo(() => ({ ref: entityRef, title }), [entityRef, title]);
  const hopsLabelId = `ib-hops-label-${entity.metadata.name}`;

  return (
    <InfoCard
      title="Blast radius"
      subheader="Entities that need this one, by hop (impact flows against dependencies)"
      action={
        summary ? (
          <Box mt={2} mr={1}>
            <ConfidenceChip level={summary.confidence.level} />
          </Box>
        ) : undefined
      }
    >
      <CardControls>
        <LabelledSelect
          variant="standard"
          minWidth={90}
          id={hopsLabelId}
          label="Hops"
          value={hops}
          options={hopChoices(Math.max(maxHops, hops))}
          onChange={setHops}
        />
        <ChoiceToggle
          label="Edge kinds"
          value={edges}
          choices={EDGE_CHOICES}
          onChange={setEdges}
        />
      </CardControls>
      {!summary && read.loading && <Progress />}
      {!summary && read.error && (
        <ReadErrorPanel
          what="the blast radius"
          error={read.error}
          fallback={BLAST_RADIUS_FALLBACK}
          onRetry={read.retry}
        />
      )}
      {summary && summary.counts.total === 0 && (
        <>
          <EmptyState
            missing="data"
            {...emptyRadiusText(
              title,
              hops,
              summary.confidence.level,
              ' with these filters',
            )}
          />
          <BlastRadiusCounts result={summary} />
        </>
      )}
      {summary && summary.counts.total > 0 && (
        <Box>
          <BlastRadiusCounts result={summary} />
          <Box display="flex" alignItems="center" mt={2} style={{ gap: 16 }}>
            <Button
              variant="outlined"
              size="small"
              aria-expanded={listOpen}
              aria-controls="ib-impacted"
              onClick={() => setListOpen(o => !o)}
            >
              {listOpen ? 'Hide' : 'Show'} impacted entities (
              {formatCount(summary.counts.total)})
            </Button>
            {listOpen && (
              <ChoiceToggle
                label="View"
                value={view}
                choices={VIEW_CHOICES}
                onChange={setView}
              />
            )}
          </Box>
          {listOpen && (
            <Box id="ib-impacted" mt={1} aria-busy={!rows && read.loading}>
              {rows && view === 'list' && (
                <ImpactedList
                  root={entityRef}
                  impacted={pages.impacted}
                  total={rows.counts.total}
                  loadMore={pages.loadMore}
                />
              )}
              {rows && view === 'graph' && (
                <BlastRadiusGraph
                  key={`${hops}|${edges}`}
                  root={root}
                  impacted={pages.impacted}
                  total={rows.counts.total}
                  loadMore={pages.loadMore}
                />
              )}
              {/* the counts stay on screen while the rows load, or after they failed to */}
              {!rows && read.loading && (
                <Progress aria-label="Loading the impacted entities" />
              )}
              {!rows && read.error && (
                <ReadErrorPanel
                  what="the impacted entities"
                  error={read.error}
                  fallback={BLAST_RADIUS_FALLBACK}
                  onRetry={read.retry}
                />
              )}
            </Box>
          )}
        </Box>
      )}
    </InfoCard>
  );
}
