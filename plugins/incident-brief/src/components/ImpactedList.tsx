import { Fragment, useState } from 'react';
import {
  Box,
  Button,
  Chip,
  List,
  ListItem,
  Typography,
} from '@material-ui/core';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ImpactedEntity,
  SearchDirection,
} from '@internal/plugin-incident-brief-common';
import { EdgeChip } from './Chips';
import { apiOfStep, pathRefs, shortRef } from './formatting';

const PAGE = 25;

/** A path root-first, each edge with its evidence and drift (`checkout-service ← api-gateway`). */
export function PathView(props: {
  root: string;
  entity: ImpactedEntity;
  direction?: SearchDirection;
}) {
  const { root, entity, direction = 'dependents' } = props;
  const refs = pathRefs(root, entity.path);
  const arrow = direction === 'dependents' ? '←' : '→';
  return (
    <Box
      aria-label={`Path: ${refs.map(shortRef).join(` ${arrow} `)}`}
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 4 }}
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
    </Box>
  );
}

/** The impacted entities, 25 at a time, each with hop, tier, customer-facing and its path. */
export function ImpactedList(props: {
  root: string;
  impacted: ImpactedEntity[];
  direction?: SearchDirection;
}) {
  const { root, impacted, direction } = props;
  const [shown, setShown] = useState(PAGE);
  return (
    <Box>
      <List dense aria-label="Impacted entities">
        {impacted.slice(0, shown).map(e => (
          <ListItem key={e.ref} divider disableGutters>
            <Box width="100%">
              <Box
                display="flex"
                alignItems="center"
                flexWrap="wrap"
                style={{ gap: 6 }}
              >
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
              </Box>
              <Box mt={0.5}>
                <PathView root={root} entity={e} direction={direction} />
              </Box>
            </Box>
          </ListItem>
        ))}
      </List>
      {impacted.length > shown && (
        <Button size="small" onClick={() => setShown(s => s + PAGE * 2)}>
          Show more ({impacted.length - shown} not shown)
        </Button>
      )}
    </Box>
  );
}
