import '@testing-library/jest-dom';

// jsdom has no matchMedia; uPlot reads it when its module loads (to follow device-pixel-ratio
// changes). Browsers have it; here a static "no match" is enough, the canvas is never drawn.
if (typeof window.matchMedia !== 'function') {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}
