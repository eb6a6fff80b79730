import { createUnifiedTheme, palettes } from '@backstage/theme';

/**
 * Backstage's light theme with the two colours that miss WCAG AA contrast (4.5:1 for text)
 * darkened: secondary text (MUI's 54 % black reads #717171 on the #f5f5f5 of tables and the
 * page: 4.47:1) and the error colour of form labels and helper texts (MUI's #f44336 on white:
 * 3.7:1). The suite's cards use theme tokens, so an app's own theme decides their contrast;
 * this is the demo portal's.
 */
export const accessibleLightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    text: {
      primary: 'rgba(0, 0, 0, 0.87)',
      secondary: 'rgba(0, 0, 0, 0.64)',
      disabled: 'rgba(0, 0, 0, 0.38)',
      hint: 'rgba(0, 0, 0, 0.38)',
    },
    error: { main: '#c62828' },
  },
});
