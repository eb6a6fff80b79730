import { Fragment, useState } from 'react';
import { Chip, List, ListItem, Typography } from '@material-ui/core';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ImpactedEntity,
  SearchDirection,
} from '@internal/plugin-incident-brief-common';
import { EdgeChip } from './Chips';
import { useLayoutStyles } from './layoutStyles';
import { RESTRICTED, apiOfStep, pathRefs, shortRef } from './formatting';
import { useRevealedRowFocus } from '@internal/suite-react';
import { PAGE, ShowMoreButton } from './ShowMore';

/**
 * Whether an entry stands for an entity the caller may not read. Its ref is the placeholder
 * `restricted`, not an entity ref (a link to it would throw), and is shared by every such entry.
 */
function isRestricted(e: ImpactedEntity & { restricted?: boolean }): boolean {
  return e.restricted === true || e.ref === RESTRICTED;
}

/**
 * A path root-first, each edge with its evidence and drift (`checkout-service ← api-gateway`).
 * Its entities are text, not links: a step names an entity the caller may not read (an end, the
 * API or the Resource that explains it) `restricted`, which is no entity ref.
 */
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
 * An entity the caller may not read: counted and placed by hop, but neither named, linked nor
 * given a path (the backend sends none); only what the backend keeps (hop, immediacy) is shown.
 */
function RestrictedEntry(props: { entity: ImpactedEntity }) {
  const { entity } = props;
  const classes = useLayoutStyles();
  return (
    <div className={classes.chips}>
      <Chip size="small" label={`hop ${entity.hop}`} />
      <Typography variant="body2">
        restricted (you may not read this entity)
      </Typography>
      <Chip
        size="small"
        variant="outlined"
        label={entity.immediate ? 'immediate' : 'deferred'}
      />
    </div>
  );
}

/** One impacted entity the caller may read: link, tier, customer-facing, path. */
function ImpactedEntry(props: {
  root: string;
  entity: ImpactedEntity;
  direction?: SearchDirection;
}) {
  const { root, entity: e, direction } = props;
  const classes = useLayoutStyles();
  return (
    <div className={classes.fill}>
      <div className={classes.chips}>
        <Chip size="small" label={`hop ${e.hop}`} />
        {e.resolved ? (
          <EntityRefLink entityRef={e.ref}>{shortRef(e.ref)}</EntityRefLink>
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
          <Chip size="small" variant="outlined" label="customer-facing" />
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
  /** accessible name of the list (the brief tab lists dependencies with it too) */
  label?: string;
}) {
  const { root, impacted, direction, loadMore } = props;
  const label = props.label ?? 'Impacted entities';
  const total = Math.max(props.total ?? impacted.length, impacted.length);
  const [shown, setShown] = useState(PAGE);
  const [reading, setReading] = useState(false);
  const [readError, setReadError] = useState<Error>();
  // rows on screen: fewer than asked for while a page is read, or after a read failed
  const displayed = Math.min(shown, impacted.length);
  const focus = useRevealedRowFocus();
  const showMore = async () => {
    const next = displayed + PAGE;
    focus.reveal(displayed);
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
      <List dense aria-label={label}>
        {impacted.slice(0, displayed).map((e, i) => (
          // refs of restricted entries are all `restricted`: the place keeps keys unique
          <ListItem
            key={`${e.ref}:${i}`}
            divider
            disableGutters
            {...focus.rowFocus(i)}
          >
            {isRestricted(e) ? (
              <RestrictedEntry entity={e} />
            ) : (
              <ImpactedEntry root={root} entity={e} direction={direction} />
            )}
          </ListItem>
        ))}
      </List>
      {readError && (
        <Typography role="alert" color="error" variant="body2">
          Could not load more entities: {readError.message}
        </Typography>
      )}
      {canShowMore && (
        <ShowMoreButton
          notShown={total - displayed}
          loading={reading}
          onClick={showMore}
        />
      )}
    </div>
  );
}
