import { Chip, Typography } from '@material-ui/core';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { IncidentBrief } from '@internal/plugin-incident-brief-common';
import { RiskChip } from './Chips';
import { DataLink } from './DataLink';
import { useLayoutStyles } from './layoutStyles';
import { useNow } from '@internal/suite-react';
import { formatCount, relativeTime, shortRef } from './formatting';
import { HIGHLIGHT_CHIP_STYLE } from './palette';
import { PAGE, ShowMoreButton, useShownRows } from './ShowMore';

type ChangeItem = IncidentBrief['changes']['items'][number] & {
  /** set by `GET …/changes`; a brief lists dependencies only */
  relation?: 'self' | 'dependency' | 'dependent';
};

/** How a change's entity relates to the page's entity, for items beyond hop 0. */
function relationOf(item: ChangeItem): string {
  return item.relation === 'dependent' ? 'dependent' : 'dependency';
}

/** Why a change carries ⚑: still running, running when the incident began, or just before it. */
function highlightLabel(item: ChangeItem): string {
  if (item.inProgress) return '⚑ in progress';
  // Items from a backend older than `runningAtT` lack it: their ⚑ is the 60-minute one.
  if (item.runningAtT) return '⚑ running at T';
  return '⚑ within 60 min';
}

/**
 * Ledger timeline, newest first as the backend orders it (no culprit ranking, IB §4.4). Times are
 * relative to `incidentTime` (T) when given — in a brief — else to `now` (default the present).
 * A busy window holds thousands of changes: the newest 25 are shown, with the total and "Show
 * more", as the impacted entities are.
 */
export function ChangeTimeline(props: {
  items: ChangeItem[];
  now?: Date;
  incidentTime?: Date;
}) {
  const classes = useLayoutStyles();
  // relative times keep moving on a page left open
  const ticking = useNow();
  const anchor = {
    now: props.now ?? ticking,
    incidentTime: props.incidentTime,
  };
  // a ⚑ change (in progress, running at T, just before it) is what a responder looks for: it
  // is shown even when 25 newer changes came after it
  const { shown, notShown, pinnedBeyond, showMore, rowFocus } = useShownRows(
    props.items,
    { pinned: item => item.highlighted === true },
  );
  return (
    <div>
      {props.items.length > PAGE && (
        <Typography variant="body2" role="status">
          Newest {formatCount(shown.length - pinnedBeyond)} of{' '}
          {formatCount(props.items.length)} changes shown
          {pinnedBeyond > 0 &&
            `, and ${formatCount(pinnedBeyond)} older ⚑ ${
              pinnedBeyond === 1 ? 'change' : 'changes'
            }`}
        </Typography>
      )}
      <ol aria-label="Changes in window" className={classes.plainList}>
        {shown.map((item, index) => {
          const { change } = item;
          const actor = change.actor.id.replace(/^user:(default\/)?/, '');
          return (
            <li
              key={change.id}
              className={classes.dividedItem}
              data-testid="change-item"
              {...rowFocus(index)}
            >
              <div className={classes.chips}>
                {item.highlighted && (
                  <Chip
                    size="small"
                    label={highlightLabel(item)}
                    style={HIGHLIGHT_CHIP_STYLE}
                  />
                )}
                <Chip size="small" variant="outlined" label={change.kind} />
                <Typography variant="body2" component="span">
                  {/* linked to its page, as in the blast radius: a responder goes there next */}
                  <strong>
                    <EntityRefLink entityRef={item.entityRef}>
                      {shortRef(item.entityRef)}
                    </EntityRefLink>
                  </strong>
                  {item.hop > 0 &&
                    ` (${relationOf(item)}, hop ${item.hop}${
                      item.viaObservedOnly ? ', observed only' : ''
                    })`}
                </Typography>
                <RiskChip risk={item.risk} />
              </div>
              <Typography variant="body2" className={classes.breakAnywhere}>
                {change.source.url ? (
                  // posted by CI and only length-checked: not linked unless http(s)
                  <DataLink url={change.source.url}>{change.summary}</DataLink>
                ) : (
                  change.summary
                )}
              </Typography>
              <Typography variant="caption" component="div">
                {actor} · {change.status} ·{' '}
                <time dateTime={change.effectiveAt} title={change.effectiveAt}>
                  {relativeTime(change.effectiveAt, anchor)}
                </time>{' '}
                · {change.source.system}
              </Typography>
            </li>
          );
        })}
      </ol>
      {notShown > 0 && (
        <ShowMoreButton notShown={notShown} onClick={showMore} />
      )}
    </div>
  );
}

/**
 * How many changes in window the backend withheld because the caller may not read their entity
 * (IB §6.5: counted, never named); nothing when none were.
 */
export function WithheldChanges(props: { count?: number }) {
  const count = props.count ?? 0;
  if (count <= 0) return null;
  return (
    <Typography variant="body2" data-testid="withheld-changes">
      {count === 1
        ? '1 more change, of an entity you may not read, is not shown.'
        : `${count} more changes, of entities you may not read, are not shown.`}
    </Typography>
  );
}
