import { makeStyles } from '@material-ui/core';

/**
 * Static classes for the layouts repeated per row (impacted entities, path steps, ledger items).
 * MUI v4's `Box` builds a dynamic style sheet per instance and attaches it on mount; 25 list rows
 * of four `Box`es each spent ~90 ms of a ~130 ms React commit attaching sheets (Chromium profile
 * of the blast-radius card, docs/benchmarks.md "Graph view"). One sheet for all rows instead.
 */
export const useLayoutStyles = makeStyles(theme => ({
  fill: { width: '100%' },
  /** a wrapping row of chips and text */
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: 6,
  },
  /** the steps of a path, a little tighter than chips */
  path: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: 4,
  },
  below: { marginTop: theme.spacing(0.5) },
  /**
   * text written by CI (a change's summary): an image digest or a long URL is one unbreakable
   * token, which the card's overflow would cut off rather than wrap
   */
  breakAnywhere: { overflowWrap: 'anywhere' },
  plainList: { listStyle: 'none', margin: 0, padding: 0 },
  /** the graph's page navigation */
  pager: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: 8,
    margin: theme.spacing(1, 0),
  },
  /** the scrollable frame of the graph */
  graphFrame: {
    overflow: 'auto',
    maxHeight: 480,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
  },
  dividedItem: {
    paddingTop: theme.spacing(1),
    paddingBottom: theme.spacing(1),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
}));
