/**
 * `titleTypographyProps` of an `InfoCard` whose content has `h3` sections: MUI's `CardHeader`
 * draws the title as a `span`, so those sections would follow the page's `h1` with no `h2`
 * between (WCAG 1.3.1, axe `heading-order`). The title keeps its look; only its element changes.
 */
export const CARD_TITLE_HEADING = { component: 'h2' } as const;
