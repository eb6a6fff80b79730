import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI runs every package's tests at once on two cores; a first render of a whole app can take
// longer than testing-library's 1 s default for findBy*/waitFor without anything being wrong.
configure({ asyncUtilTimeout: 10_000 });

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
