/** A heading one level below a calculator's title: h3 under a page's h2 title, h4 under a card's h3. */
export type SubheadingElement = 'h3' | 'h4';
