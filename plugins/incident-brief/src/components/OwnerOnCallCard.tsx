import { useEffect, useMemo } from 'react';
import {
  Box,
  Chip,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  catalogApiRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import type { EscalationStep } from '@internal/plugin-incident-brief-common';
import {
  BriefResponse,
  OwnerResponse,
  incidentBriefApiRef,
  readOwner,
} from '../api';
import {
  CARD_TITLE_HEADING,
  RefreshErrorNotice,
  useAsyncResult,
  useNow,
} from '@internal/suite-react';
import { RETRY_NOT_YET_INDEXED } from './retryNotYetIndexed';
import { ReadErrorPanel } from './ReadErrorPanel';
import { ConfidenceChip } from './Chips';
import { DataLink } from './DataLink';
import { formatCount, formatUtc, onCallAge, timeAgo } from './formatting';
import { HIGHLIGHT_CHIP_STYLE } from './palette';
import {
  incidentToolLink,
  readIncidentToolTemplates,
} from './incidentToolLink';

/**
 * Backstage's theme clips the text of a dense list to one line (nowrap, overflow hidden); the
 * card's lines (the on-call shift and its source, the escalation path) are longer than a
 * half-width card, so they wrap instead of being cut off mid-word.
 */
const WRAPPING_TEXT = { whiteSpace: 'normal' } as const;

/** A chat channel as a label: `slack:#checkout-oncall` → `#checkout-oncall (Slack)`. */
function chatLabel(channel: string): string {
  const m = /^([a-z]+):(.*)$/.exec(channel);
  if (!m) return channel;
  const tool = m[1].charAt(0).toLocaleUpperCase('en-US') + m[1].slice(1);
  return `${m[2]} (${tool})`;
}

function EscalationLine(props: { step: EscalationStep }) {
  const { step } = props;
  if (step.type === 'oncall') return <>{step.source} on-call</>;
  if (step.type === 'user') {
    return <EntityRefLink entityRef={step.ref}>{step.name}</EntityRefLink>;
  }
  if (!step.onCall && step.members?.length) {
    // no rotation answers for the group: the step reaches its members (IB §2.2)
    return (
      <>
        <EntityRefLink entityRef={step.ref} defaultKind="group" /> members (
        {step.members.join(', ')})
      </>
    );
  }
  return (
    <>
      <EntityRefLink entityRef={step.ref} defaultKind="group" /> on-call
      {step.onCall ? ` (${step.onCall})` : ' (unknown)'}
    </>
  );
}

/** The link to a group's page for the members the owner line does not name. */
export function moreMembersText(notNamed: number): string {
  return `+${formatCount(notNamed)} more ${
    notNamed === 1 ? 'member' : 'members'
  }`;
}

/**
 * Members named on the Owner line: a 400-member group would list 400 links and push "On call
 * now" — what the responder came for — below the fold. The rest are counted, linked to the
 * group's page, which lists them all.
 */
const MEMBERS_NAMED = 10;

function GroupMembers(props: { groupRef: string }) {
  const catalogApi = useApi(catalogApiRef);
  const members = useAsyncResult(async () => {
    const group = await catalogApi.getEntityByRef(props.groupRef);
    return (group?.relations ?? [])
      .filter(r => r.type === 'hasMember')
      .map(r => r.targetRef)
      .sort();
  }, [catalogApi, props.groupRef]);
  if (members.loading || members.error || members.value.length === 0) {
    return null; // the count from the brief stays; the names are a convenience
  }
  const notNamed = members.value.length - MEMBERS_NAMED;
  return (
    <Box component="span" ml={1}>
      {members.value.slice(0, MEMBERS_NAMED).map((ref, i) => (
        <span key={ref}>
          {i > 0 && ', '}
          <EntityRefLink entityRef={ref} defaultKind="user" />
        </span>
      ))}
      {notNamed > 0 && (
        <>
          {', '}
          <EntityRefLink entityRef={props.groupRef} defaultKind="group">
            {moreMembersText(notNamed)}
          </EntityRefLink>
        </>
      )}
    </Box>
  );
}

/** The owner: a link with its members, or text when the ref names no entity (R1). */
function OwnerLine(props: { owner: BriefResponse['owner']['owner'] }) {
  const { ref, resolved, kind, membersCount } = props.owner;
  if (!ref) return <>unresolved</>;
  // a link would lead to a missing page; say what the entity declares and that it is not there
  if (!resolved) return <>{ref} (unresolved: not in the catalog)</>;
  return (
    <>
      <EntityRefLink entityRef={ref} defaultKind="group" />
      {membersCount !== null &&
        ` · ${membersCount} member${membersCount === 1 ? '' : 's'}`}
      {kind === 'group' && <GroupMembers groupRef={ref} />}
    </>
  );
}

/** Whether an on-call shift's `until` has passed at `now`. */
function shiftEnded(until: string, now: Date): boolean {
  return Date.parse(until) <= now.getTime();
}

/** The body of the card, given its owner read or a loaded brief (the brief tab). */
export function OwnerOnCallSummary(props: {
  brief: Pick<BriefResponse | OwnerResponse, 'owner' | 'header'>;
  now?: Date;
}) {
  const { brief } = props;
  // "until 07:20 (in 20 min)" keeps moving on a page left open, and says when the shift ended
  const ticking = useNow();
  const now = props.now ?? ticking;
  const { owner } = brief;
  const configApi = useApi(coreApis.config);
  const templates = useMemo(
    () => readIncidentToolTemplates(configApi),
    [configApi],
  );
  const names = owner.onCallNames;
  // the age of a cached on-call answer counts from when the backend evaluated the brief
  const evaluatedAt = Date.parse(brief.header.evaluatedAt);
  const fetched = owner.onCall
    ? onCallAge(
        owner.onCall.fetchedAt,
        Number.isNaN(evaluatedAt) ? now : new Date(evaluatedAt),
      )
    : null;
  const issues = owner.issues;
  return (
    <Box>
      {issues.some(i => i.severity === 'blocking') && (
        <WarningPanel
          severity="error"
          title="Response routing is incomplete"
          message={issues
            .filter(i => i.severity === 'blocking')
            .map(i => i.message)
            .join(' ')}
        />
      )}
      <List dense disablePadding aria-label="Owner and on-call">
        <ListItem disableGutters>
          <ListItemText
            style={WRAPPING_TEXT}
            primary="Owner"
            secondary={<OwnerLine owner={owner.owner} />}
            secondaryTypographyProps={{ component: 'div' } as any}
          />
        </ListItem>
        <ListItem disableGutters>
          <ListItemText
            style={WRAPPING_TEXT}
            primary="On call now"
            secondaryTypographyProps={{ component: 'div' } as any}
            secondary={
              owner.onCall ? (
                <>
                  <Typography variant="body2" component="span">
                    <strong>{names?.primary ?? owner.onCall.primary}</strong>{' '}
                    (primary)
                    {(names?.secondary ?? owner.onCall.secondary) &&
                      ` · ${
                        names?.secondary ?? owner.onCall.secondary
                      } (secondary)`}
                  </Typography>
                  <Typography variant="body2" component="div">
                    until{' '}
                    <time dateTime={owner.onCall.until}>
                      {formatUtc(owner.onCall.until)}
                    </time>{' '}
                    (
                    {shiftEnded(owner.onCall.until, now)
                      ? `ended ${timeAgo(
                          owner.onCall.until,
                          now,
                        )}: this rotation may be over`
                      : timeAgo(owner.onCall.until, now)}
                    ) · source{' '}
                    {owner.onCall.url ? (
                      <DataLink url={owner.onCall.url} showRefused>
                        {owner.onCall.source}
                      </DataLink>
                    ) : (
                      owner.onCall.source
                    )}
                    {fetched && ` · ${fetched}`}
                  </Typography>
                  {owner.onCall.label && (
                    <Chip
                      size="small"
                      variant="outlined"
                      label={owner.onCall.label}
                    />
                  )}
                </>
              ) : (
                'unknown — no on-call source answered'
              )
            }
          />
        </ListItem>
        <ListItem disableGutters>
          <ListItemText
            style={WRAPPING_TEXT}
            primary="Escalation"
            secondaryTypographyProps={{ component: 'div' } as any}
            secondary={
              owner.escalation.length ? (
                <ol
                  style={{ margin: 0, paddingLeft: 20 }}
                  aria-label="Escalation path"
                >
                  {owner.escalation.map((step, i) => (
                    <li key={i}>
                      <EscalationLine step={step} />
                    </li>
                  ))}
                </ol>
              ) : (
                'none declared'
              )
            }
          />
        </ListItem>
        <ListItem disableGutters>
          <ListItemText
            style={WRAPPING_TEXT}
            primary="Chat channel"
            secondary={
              owner.chatChannel ? chatLabel(owner.chatChannel) : 'none declared'
            }
          />
        </ListItem>
        <ListItem disableGutters>
          <ListItemText
            style={WRAPPING_TEXT}
            primary="Runbook"
            secondary={
              owner.runbook ? (
                <DataLink url={owner.runbook} showRefused>
                  runbook
                </DataLink>
              ) : (
                'none linked'
              )
            }
          />
        </ListItem>
        {(owner.triage || owner.dashboards.length > 0) && (
          <ListItem disableGutters>
            <ListItemText
              style={WRAPPING_TEXT}
              primary="Dashboards"
              secondaryTypographyProps={{ component: 'div' } as any}
              secondary={
                <>
                  {owner.triage && (
                    <DataLink url={owner.triage} showRefused>
                      triage view
                    </DataLink>
                  )}
                  {owner.dashboards.map((d, i) => (
                    // an entity may list the same dashboard twice
                    <span key={`${d}:${i}`}>
                      {(owner.triage || i > 0) && ' · '}
                      <DataLink url={d} showRefused>
                        dashboard {i + 1}
                      </DataLink>
                    </span>
                  ))}
                </>
              }
            />
          </ListItem>
        )}
        {owner.incidentLinks.length > 0 && (
          <ListItem disableGutters>
            <ListItemText
              style={WRAPPING_TEXT}
              primary="Incident tools"
              secondaryTypographyProps={{ component: 'div' } as any}
              secondary={owner.incidentLinks.map((l, i) => {
                const { label, href } = incidentToolLink(l, templates);
                return (
                  <span key={`${l.tool}:${l.value}`}>
                    {i > 0 && ' · '}
                    {href ? (
                      <Link underline="always" to={href}>
                        {label}
                      </Link>
                    ) : (
                      label
                    )}
                  </span>
                );
              })}
            />
          </ListItem>
        )}
      </List>
      {issues.length > 0 && (
        <Box mt={1} aria-label="Routing flags" role="list">
          {issues.map(i => (
            <Box key={`${i.code}:${i.subject}`} role="listitem" mb={0.5}>
              <Chip
                size="small"
                label={i.code}
                style={i.severity === 'info' ? undefined : HIGHLIGHT_CHIP_STYLE}
              />{' '}
              <Typography variant="caption">{i.message}</Typography>
            </Box>
          ))}
        </Box>
      )}
      {owner.skipped.length > 0 && (
        <Box mt={1}>
          <Typography variant="caption" component="div">
            Skipped on-call sources:{' '}
            {owner.skipped.map(s => `${s.source} (${s.reason})`).join('; ')}
          </Typography>
        </Box>
      )}
    </Box>
  );
}

/** What the responder still has when the owner card cannot load (shown in its error state). */
export const OWNER_FALLBACK =
  'The owner on the About card comes from the catalog and still holds; look up who is on call in your paging tool.';

/** Owner & on-call card (IB §6.5): who owns this, who is on call now, how to escalate. */
export function EntityOwnerOnCallCard() {
  const { entity } = useEntity();
  const api = useApi(incidentBriefApiRef);
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const brief = useAsyncResult(
    // the owner section alone: a shared service's whole brief is megabytes (its blast radius)
    () => readOwner(api, entityRef),
    [api, entityRef],
    RETRY_NOT_YET_INDEXED,
  );
  // When the shift shown ends, read who is on call now (once: a source that still answers the
  // ended shift is not asked again every minute; the line then says it may be over).
  const now = useNow();
  const until = brief.value?.owner.onCall?.until;
  const ended = until !== undefined && shiftEnded(until, now);
  const { refresh } = brief;
  useEffect(() => {
    if (ended) refresh();
  }, [ended, refresh]);
  return (
    <InfoCard
      title="Owner & on-call"
      // a heading, so a reload notice's focus lands on the card's own title (RefreshErrorNotice)
      titleTypographyProps={CARD_TITLE_HEADING}
      action={
        brief.value ? (
          <Box mt={2} mr={1}>
            <ConfidenceChip level={brief.value.confidence.owner} />
          </Box>
        ) : undefined
      }
    >
      {brief.refreshError && (
        <RefreshErrorNotice
          error={brief.refreshError}
          onRetry={brief.refresh}
        />
      )}
      {brief.loading && <Progress />}
      {brief.error && (
        <ReadErrorPanel
          what="the owner and on-call"
          error={brief.error}
          fallback={OWNER_FALLBACK}
          onRetry={brief.retry}
        />
      )}
      {brief.value &&
        (brief.value.owner.owner.ref ||
        brief.value.owner.onCall ||
        brief.value.owner.issues.length ? (
          <OwnerOnCallSummary brief={brief.value} now={now} />
        ) : (
          <EmptyState
            missing="field"
            title="No owner or on-call found"
            description="Set spec.owner to a group with ops.example.com/oncall."
          />
        ))}
    </InfoCard>
  );
}
