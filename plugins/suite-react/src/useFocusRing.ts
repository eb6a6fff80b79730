import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(
  theme => ({
    focusVisible: {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
      // above the neighbouring buttons of a group, whose borders would cover the ring's edges
      zIndex: 1,
    },
  }),
  { name: 'SuiteFocusRing' },
);

/**
 * A class for MUI's `focusVisibleClassName` (ButtonBase: toggle buttons, outlined and text
 * buttons): a 2 px outline in the primary colour while the control has keyboard focus. MUI v4's
 * own cue for those is a faint ripple and a slightly darker fill, which a keyboard user misses
 * (WCAG 2.4.7); Backstage's themes add nothing to it.
 */
export function useFocusRing(): string {
  return useStyles().focusVisible;
}
