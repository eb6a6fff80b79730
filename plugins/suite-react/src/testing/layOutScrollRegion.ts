/**
 * Gives a `ScrollRegion` the sizes a browser would lay it out with, for tests: jsdom has no
 * layout, so `scrollWidth`, `clientWidth` and `scrollLeft` are all 0 there and no scroll hint
 * would ever show. Fire a `scroll` event on the region afterwards to let it look again.
 */
export function layOutScrollRegion(
  region: HTMLElement,
  sizes: { scrollWidth: number; clientWidth: number; scrollLeft: number },
): void {
  for (const [name, value] of Object.entries(sizes))
    Object.defineProperty(region, name, { configurable: true, value });
}
