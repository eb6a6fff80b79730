import { Fragment, useState } from 'react';
import { Button, Chip, List, ListItem, Typography } from '@material-ui/core';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ImpactedEntity,
  SearchDirection,
} from '@internal/plugin-incident-brief-common';
import { EdgeChip } from './Chips';
import { useLayoutStyles } from './layoutStyles';
import { apiOfStep, formatCount, pathRefs, shortRef } from './formatting';

const PAGE = 25;

/** A path root-first, each edge with its evidence and drift (`checkout-service ← api-gateway`). */
export function PathView(props: {
  root: string;
  entity: ImpactedEntity;
  direction?: SearchDirection;
}) {
  const { root, entity, direction = 'dependents' } = props;
  const classes = useLayoutStyles();
  const refs = pathRefs(root, entity.path);
  const arrow = direction === 'dependents' ? '←' : '→';
  return (
    <div
      aria-label={`Path: ${refs.map(shortRef).join(` ${arrow} `)}`}
      className={classes.path}
    >
      {refs.map((ref, i) => {
        const step = i > 0 ? entity.path[i - 1] : undefined;
        const api = step && apiOfStep(step);
        return (
          <Fragment key={`${ref}:${i}`}>
            {step && (
              <>
                <span aria-hidden>{arrow}</span>
                <EdgeChip step={step} />
                {api && <Typography variant="caption">via {api}</Typography>}
              </>
            )}
            <Typography variant="body2" component="span">
              {shortRef(ref)}
            </Typography>
          </Fragment>
        );
      })}
    </div>
  );
}

/**
 * The impacted entities, 25 at a time, each with hop, tier, customer-facing and its path.
 * `total` and `loadMore` come from a paged answer (more than the 1,000 entities one read
 * returns): "Show more" then reads the next page through the answer's cursor when the entities
 * held run out, so the list reaches every impacted entity, not only the first page.
 */
export function ImpactedList(props: {
  root: string;
  impacted: ImpactedEntity[];
  direction?: SearchDirection;
  total?: number;
  loadMore?: () => Promise<void>;
}) {
  const { root, impacted, direction, loadMore } = props;
  const classes = useLayoutStyles();
  const total = Math.max(props.total ?? impacted.length, impacted.length);
  const [shown, setShown] = useState(PAGE);
  const [reading, setReading] = useState(false);
  const [readError, setReadError] = useState<Error>();
  // rows on screen: fewer than asked for while a page is read, or after a read failed
  const displayed = Math.min(shown, impacted.length);
  const showMore = async () => {
    const next = displayed + PAGE * 2;
    setShown(next);
    if (next <= impacted.length || !loadMore) return;
    setReading(true);
    setReadError(undefined);
    try {
      await loadMore();
    } catch (e) {
      setReadError(e as Error);
    } finally {
      setReading(false);
    }
  };
  const canShowMore =
    displayed < total &&
    (impacted.length > displayed || loadMore !== undefined);
  return (
    <div>
      <List dense aria-label="Impacted entities">
        {impacted.slice(0, displayed).map(e => (
          <ListItem key={e.ref} divider disableGutters>
            <div className={classes.fill}>
              <div className={classes.chips}>
                <Chip size="small" label={`hop ${e.hop}`} />
                {e.resolved ? (
                  <EntityRefLink entityRef={e.ref} title={shortRef(e.ref)} />
                ) : (
                  <Typography variant="body2">
                    {shortRef(e.ref)} (not in catalog)
                  </Typography>
                )}
                <Chip
                  size="small"
                  variant="outlined"
                  label={`tier ${e.tier ?? 'unknown'}`}
                />
                {e.customerFacing && (
                  <Chip
                    size="small"
                    variant="outlined"
                    label="customer-facing"
                  />
                )}
                <Chip
                  size="small"
                  variant="outlined"
                  label={e.immediate ? 'immediate' : 'deferred'}
                />
                {e.deprecated && <Chip size="small" label="deprecated" />}
              </div>
              <div className={classes.below}>
                <PathView root={root} entity={e} direction={direction} />
              </div>
            </div>
          </ListItem>
        ))}
      </List>
      {readError && (
        <Typography role="alert" color="error" variant="body2">
          Could not load more entities: {readError.message}
        </Typography>
      )}
      {canShowMore && (
        <Button size="small" disabled={reading} onClick={showMore}>
          {reading
            ? 'Loading more…'
            : `Show more (${formatCount(total - displayed)} not shown)`}
        </Button>
      )}
    </div>
  );
}
