import { Fragment, useMemo, useState } from 'react';
import {
  Box,
  Chip,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  EmptyState,
  InfoCard,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type {
  ConfidenceLevel,
  MissingEvidence,
} from '@internal/plugin-incident-brief-common';
import { BriefQuery, BriefResponse, incidentBriefApiRef } from '../api';
import { useAsyncResult } from '@internal/suite-react';
import { RETRY_NOT_YET_INDEXED } from './retryNotYetIndexed';
import { ReadErrorPanel } from './ReadErrorPanel';
import { ConfidenceChip } from './Chips';
import { CopyBriefButton } from './CopyBriefButton';
import { IncidentTimeControls } from './IncidentTimeControls';
import { FixNoteButton, FixNoteDraft } from './FixNoteDialog';
import { OwnerOnCallSummary } from './OwnerOnCallCard';
import {
  BlastRadiusCounts,
  emptyDependenciesText,
  emptyRadiusText,
} from './BlastRadiusCard';
import { ImpactedList } from './ImpactedList';
import { ChangeTimeline, WithheldChanges } from './ChangeTimeline';
import { LastChangeSummary } from './LastChangeCard';
import {
  RESTRICTED,
  formatCount,
  formatUtc,
  formatUtcRange,
  hopCount,
  shortRef,
  subjectText,
} from './formatting';
import { PAGE, ShowMoreButton, useShownRows } from './ShowMore';
import { AA_COLOR } from './palette';
import { InlineCodeText } from './InlineCodeText';

const SEVERITY_COLOR: Record<MissingEvidence['severity'], string> = {
  blocking: AA_COLOR.bad,
  warn: AA_COLOR.caution,
  info: AA_COLOR.neutral,
};

/**
 * The missing-evidence list of IB §6.2: what was missing or contradicting, and how to fix it.
 * A large estate yields thousands of items (R6: 10,000 unverifiable edges): the first 25 are
 * shown with the total and "Show more", as the markdown caps its list with `+N more`.
 */
/** Blocking first, then warnings, then information; the brief's order within each. */
const SEVERITY_RANK: Record<MissingEvidence['severity'], number> = {
  blocking: 0,
  warn: 1,
  info: 2,
};

export function MissingEvidenceTable(props: { items: MissingEvidence[] }) {
  // Paged, the most severe first: thousands of `EDGE_UNVERIFIABLE` (info) sort before a
  // `LEDGER_NO_COVERAGE` (warn) by code, and would hide it past the first page.
  const ordered = useMemo(
    () =>
      props.items
        .map((item, i) => ({ item, i }))
        .sort(
          (a, b) =>
            SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity] ||
            a.i - b.i,
        )
        .map(({ item }) => item),
    [props.items],
  );
  const { shown, notShown, showMore, rowFocus } = useShownRows(ordered);
  if (props.items.length === 0) {
    return (
      <Typography variant="body2">
        No missing evidence: every section had the data it needs.
      </Typography>
    );
  }
  return (
    <>
      {props.items.length > PAGE && (
        <Typography variant="body2" role="status">
          {formatCount(shown.length)} of {formatCount(props.items.length)} items
          shown
        </Typography>
      )}
      <Table size="small" aria-label="Missing evidence">
        <TableHead>
          <TableRow>
            <TableCell>severity</TableCell>
            <TableCell>code</TableCell>
            <TableCell>subject</TableCell>
            <TableCell>what is missing</TableCell>
            <TableCell>fix</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map((item, i) => (
            <TableRow
              key={`${item.code}:${item.subject}:${i}`}
              {...rowFocus(i)}
            >
              <TableCell>
                <Chip
                  size="small"
                  label={item.severity}
                  style={{
                    backgroundColor: SEVERITY_COLOR[item.severity],
                    color: '#fff',
                  }}
                />
              </TableCell>
              {/* a code is one word: the theme's break-word split EDGE_UND/ECLARED */}
              <TableCell style={{ wordBreak: 'normal' }}>
                <code>{item.code}</code>
              </TableCell>
              <TableCell>{subjectText(item.subject)}</TableCell>
              <TableCell>
                <InlineCodeText text={item.message} />
              </TableCell>
              <TableCell>
                {item.fix ? <InlineCodeText text={item.fix} /> : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {notShown > 0 && (
        <ShowMoreButton notShown={notShown} onClick={showMore} />
      )}
    </>
  );
}

function Section(props: {
  title: string;
  confidence?: ConfidenceLevel;
  children: React.ReactNode;
}) {
  return (
    <InfoCard
      title={props.title}
      action={
        props.confidence ? (
          <Box mt={2} mr={1}>
            <ConfidenceChip level={props.confidence} />
          </Box>
        ) : undefined
      }
    >
      {props.children}
    </InfoCard>
  );
}

/** `eu-west-1 (2), us-east-1 (2)`: most impacted first, then by name, as the markdown lists them. */
function byCount(counts: Record<string, number>, withCount: boolean): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en-US'))
    .map(([name, n]) => (withCount ? `${name} (${n})` : name))
    .join(', ');
}

function customerFacingText(value: boolean | null): string {
  if (value === null) return 'customer-facing unknown';
  return value ? 'customer-facing' : 'internal';
}

function BriefHeader(props: { brief: BriefResponse }) {
  const { header, confidence } = props.brief;
  const facts = [
    header.tier ? `tier ${header.tier}` : 'tier unknown',
    customerFacingText(header.customerFacing),
    header.lifecycle,
    header.system && `system ${shortRef(header.system)}`,
    header.domain && `domain ${shortRef(header.domain)}`,
    header.regions.join(', '),
  ].filter(Boolean);
  return (
    <Box>
      <Typography variant="h5" component="h2">
        Incident brief: {header.title}
      </Typography>
      <Typography variant="body2">
        <code>{header.ref}</code> · {facts.join(' · ')}
      </Typography>
      <Typography variant="body2">
        Incident time{' '}
        <time dateTime={header.incidentTime}>
          {formatUtc(header.incidentTime)}
        </time>{' '}
        · generated{' '}
        <time dateTime={header.generatedAt}>
          {formatUtc(header.generatedAt)}
        </time>
      </Typography>
      <Box
        mt={1}
        display="flex"
        flexWrap="wrap"
        style={{ gap: 8 }}
        role="group"
        aria-label="Confidence per section"
      >
        <ConfidenceChip level={confidence.overall} label="overall" />
        <ConfidenceChip level={confidence.owner} label="owner" />
        <ConfidenceChip level={confidence.blastRadius} label="blast radius" />
        <ConfidenceChip level={confidence.changes} label="changes" />
      </Box>
    </Box>
  );
}

/** An empty blast radius, in the card's words: nothing proven when evidence is missing. */
function EmptyRadiusNote(props: { brief: BriefResponse }) {
  const { header, blastRadius } = props.brief;
  const text = emptyRadiusText(
    header.title,
    blastRadius.hops,
    blastRadius.confidence.level,
  );
  return (
    <Typography variant="body2" data-testid="empty-blast-radius">
      {text.title}. {text.description}
    </Typography>
  );
}

/** An empty dependency list, in the same words: nothing proven when evidence is missing. */
function EmptyDependenciesNote(props: { brief: BriefResponse }) {
  const { header, dependencies } = props.brief;
  const text = emptyDependenciesText(
    header.title,
    dependencies.hops,
    dependencies.confidence.level,
  );
  return (
    <Typography variant="body2" data-testid="empty-dependencies">
      {text.title}. {text.description}
    </Typography>
  );
}

/** The brief itself, every section of IB §6.1 in order. */
export function IncidentBriefView(props: {
  brief: BriefResponse;
  /** the incident time and window the brief was asked for (the markdown copy asks the same) */
  query?: BriefQuery;
  /** the fix note being written, kept by the tab across reloads of the brief */
  fixNoteDraft?: FixNoteDraft;
}) {
  const { brief, query, fixNoteDraft } = props;
  const root = brief.header.ref;
  // changes are told relative to the brief's incident time T (IB §6.1), not to when it is read
  const incidentTime = new Date(brief.header.incidentTime);
  // ages of evidence count from when the backend evaluated the brief, as in its markdown
  const evaluatedAt = new Date(brief.header.evaluatedAt);
  const { regions, dataDomains } = brief.blastRadius.counts;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          justifyContent="space-between"
          alignItems="flex-start"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <BriefHeader brief={brief} />
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="flex-start"
            style={{ gap: 8 }}
          >
            {/* The brief on screen: a live brief (no `at`) copied later would be computed at
                a new incident time, with other relative times, window and on-call. */}
            <CopyBriefButton
              entityRef={root}
              query={{ ...query, at: query?.at ?? brief.header.incidentTime }}
            />
            <FixNoteButton brief={brief} draft={fixNoteDraft} />
          </Box>
        </Box>
      </Grid>
      <Grid item xs={12} md={6}>
        <Section title="Owner & escalation" confidence={brief.confidence.owner}>
          <OwnerOnCallSummary brief={brief} />
          {brief.owner.substrateOwners.length > 0 && (
            <Typography variant="body2" data-testid="substrate-owners">
              Substrate owners:{' '}
              {/* each resource and its owner linked, as elsewhere in the brief: who to call next */}
              {brief.owner.substrateOwners.map((s, i) => (
                <Fragment key={s.ref}>
                  {i > 0 && ', '}
                  <EntityRefLink entityRef={s.ref}>
                    {shortRef(s.ref)}
                  </EntityRefLink>
                  {' → '}
                  {/* an owner group the caller may not read comes as `restricted`: text, no link */}
                  {s.owner === RESTRICTED ? (
                    RESTRICTED
                  ) : (
                    <EntityRefLink entityRef={s.owner}>
                      {shortRef(s.owner)}
                    </EntityRefLink>
                  )}
                </Fragment>
              ))}
            </Typography>
          )}
        </Section>
      </Grid>
      <Grid item xs={12} md={6}>
        <Section
          title={`Blast radius (dependents, ${hopCount(
            brief.blastRadius.hops,
          )})`}
          confidence={brief.confidence.blastRadius}
        >
          <BlastRadiusCounts
            result={brief.blastRadius}
            now={Number.isNaN(evaluatedAt.getTime()) ? undefined : evaluatedAt}
          />
          {brief.blastRadius.entryPoints.length > 0 && (
            <Typography variant="body2">
              Entry points:{' '}
              {brief.blastRadius.entryPoints
                .map(e => `${shortRef(e.ref)} ${e.entryPoint}`)
                .join(' · ')}
            </Typography>
          )}
          {/* regions and data paths at risk (IB §6.1 item 3) */}
          <Typography variant="body2" data-testid="regions-and-data">
            Regions: {byCount(regions, true) || 'none'} · Data:{' '}
            {byCount(dataDomains, false) || 'none'}
          </Typography>
          {brief.blastRadius.counts.total === 0 ? (
            <EmptyRadiusNote brief={brief} />
          ) : (
            <ImpactedList root={root} impacted={brief.blastRadius.impacted} />
          )}
        </Section>
      </Grid>
      <Grid item xs={12} md={6}>
        <Section
          title={`Depends on (${hopCount(brief.dependencies.hops)})`}
          confidence={brief.dependencies.confidence.level}
        >
          {brief.dependencies.impacted.length === 0 ? (
            <EmptyDependenciesNote brief={brief} />
          ) : (
            <ImpactedList
              root={root}
              impacted={brief.dependencies.impacted}
              direction="dependencies"
              label="Dependencies"
            />
          )}
          {brief.unmappedTelemetry.length > 0 && (
            <Typography variant="body2">
              Unmapped telemetry:{' '}
              {brief.unmappedTelemetry
                .map(u => `${u.name} (${u.role} of ${shortRef(u.ref)})`)
                .join(', ')}
            </Typography>
          )}
        </Section>
      </Grid>
      <Grid item xs={12} md={6}>
        <Section
          title={`Changes ${formatUtcRange(
            brief.changes.window.from,
            brief.changes.window.to,
          )}`}
          confidence={brief.confidence.changes}
        >
          {!brief.evidence.ledger.available ? (
            <WarningPanel
              title="Change ledger unavailable"
              message="Changes are unknown, not none."
            />
          ) : (
            <>
              <LastChangeSummary
                changes={{
                  ...brief.changes,
                  entityRef: root,
                  ledger: brief.evidence.ledger,
                }}
                incidentTime={incidentTime}
              />
              {brief.changes.items.length ? (
                <ChangeTimeline
                  items={brief.changes.items}
                  incidentTime={incidentTime}
                />
              ) : (
                <Typography variant="body2">
                  No changes {brief.changes.restricted ? 'you may read ' : ''}
                  in the window (self and dependencies ≤{' '}
                  {hopCount(brief.changes.dependencyHops)}).
                </Typography>
              )}
              <WithheldChanges count={brief.changes.restricted} />
            </>
          )}
        </Section>
      </Grid>
      <Grid item xs={12}>
        <Section title="Missing evidence" confidence={brief.confidence.overall}>
          <MissingEvidenceTable items={brief.missingEvidence} />
        </Section>
      </Grid>
    </Grid>
  );
}

/** What the responder still has when the brief cannot load (shown in its error state). */
export const BRIEF_FALLBACK =
  'The owner and links on the About card come from the catalog and are still available; the Owner & on-call, Blast radius and Last change cards on the Overview tab load separately.';

/** The "Incident brief" entity tab (IB §6.5). */
export function EntityIncidentBriefContent() {
  const { entity } = useEntity();
  const api = useApi(incidentBriefApiRef);
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const [query, setQuery] = useState<BriefQuery>({});
  // A new window, incident time or retry reloads the brief, which unmounts its view: the fix
  // note being written is kept here, so it survives until the page is left. It is kept with
  // the entity it was written for: a link to another entity's tab keeps this tab mounted.
  const [written, setWritten] = useState<{ ref: string; text: string | null }>({
    ref: entityRef,
    text: null,
  });
  const draft = written.ref === entityRef ? written.text : null;
  const setDraft = (text: string | null) =>
    setWritten({ ref: entityRef, text });
  const brief = useAsyncResult(
    () => api.getBrief(entityRef, query),
    [api, entityRef, query],
    RETRY_NOT_YET_INDEXED,
  );
  return (
    <>
      <IncidentTimeControls
        id={`ib-brief-${entity.metadata.name}`}
        query={query}
        onChange={setQuery}
      />
      {brief.loading && <Progress />}
      {brief.error && (
        <ReadErrorPanel
          what="the incident brief"
          error={brief.error}
          fallback={BRIEF_FALLBACK}
          onRetry={brief.retry}
        />
      )}
      {!brief.loading && !brief.error && !brief.value && (
        <EmptyState missing="data" title="No brief for this entity" />
      )}
      {brief.value && !brief.loading && (
        <IncidentBriefView
          brief={brief.value}
          query={query}
          fixNoteDraft={{ value: draft, set: setDraft }}
        />
      )}
    </>
  );
}
