import { act } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import { ScrollRegion } from './ScrollRegion';
import { layOutScrollRegion } from './testing/layOutScrollRegion';
import { WholeWordsCell } from './WholeWordsCell';

describe('ScrollRegion and WholeWordsCell', () => {
  it('puts the table in a named, keyboard-reachable region that scrolls sideways, its cells keeping whole words', () => {
    render(
      <ScrollRegion label="Kill switches" minWidth="40rem">
        <Table aria-label="Kill switches">
          <TableBody>
            <TableRow>
              <WholeWordsCell style={{ minWidth: '6rem' }}>
                Scope
              </WholeWordsCell>
            </TableRow>
          </TableBody>
        </Table>
      </ScrollRegion>,
    );
    const region = screen.getByRole('region', {
      name: 'Kill switches, scrollable',
    });
    // No jest-dom in this package: the attribute and inline styles are read directly.
    expect(region.getAttribute('tabIndex')).toBe('0');
    expect(region.style.overflowX).toBe('auto');
    const table = within(region).getByRole('table', { name: 'Kill switches' });
    expect(table.parentElement!.style.minWidth).toBe('40rem');
    // The caller's style is kept alongside the whole-words rule.
    const cell = within(table).getByRole('cell', { name: 'Scope' });
    expect(cell.style.wordBreak).toBe('normal');
    expect(cell.style.minWidth).toBe('6rem');
  });

  describe('with scrollHint', () => {
    const shadows = () =>
      ['left', 'right'].filter(side =>
        screen.queryByTestId(`scroll-shadow-${side}`),
      );

    function renderWide(scrollHint = true) {
      render(
        <ScrollRegion label="Rollups" scrollHint={scrollHint}>
          <p>wide</p>
        </ScrollRegion>,
      );
      return screen.getByRole('region', { name: 'Rollups, scrollable' });
    }

    it('shadows the side with more to show as the region scrolls, over the content and hidden from readers', () => {
      const region = renderWide();
      expect(shadows()).toEqual([]);
      layOutScrollRegion(region, {
        scrollWidth: 900,
        clientWidth: 400,
        scrollLeft: 0,
      });
      fireEvent.scroll(region);
      expect(shadows()).toEqual(['right']);
      layOutScrollRegion(region, {
        scrollWidth: 900,
        clientWidth: 400,
        scrollLeft: 250,
      });
      fireEvent.scroll(region);
      expect(shadows()).toEqual(['left', 'right']);
      // at the end: a fraction of a pixel left is rounding, not more content
      layOutScrollRegion(region, {
        scrollWidth: 900,
        clientWidth: 400,
        scrollLeft: 499.5,
      });
      fireEvent.scroll(region);
      expect(shadows()).toEqual(['left']);

      const strip = screen.getByTestId('scroll-shadow-left');
      expect(strip.getAttribute('aria-hidden')).toBe('true');
      // Laid over the region (a sibling in its frame), not inside the rows that hide a background.
      expect(strip.parentElement).toBe(region.parentElement);
      expect(getComputedStyle(strip).position).toBe('absolute');
      expect(getComputedStyle(strip).pointerEvents).toBe('none');
      expect(getComputedStyle(region.parentElement!).position).toBe('relative');
      expect(region.style.overflowX).toBe('auto');
      expect(region.style.backgroundImage).toBe('');
    });

    it('measures again when the region is resized', () => {
      const observed: Element[] = [];
      let onResize: () => void = () => {};
      const original = (globalThis as { ResizeObserver?: unknown })
        .ResizeObserver;
      (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
        constructor(callback: () => void) {
          onResize = callback;
        }
        observe(el: Element) {
          observed.push(el);
        }
        disconnect() {}
      };
      try {
        const region = renderWide();
        expect(observed).toContain(region);
        layOutScrollRegion(region, {
          scrollWidth: 900,
          clientWidth: 400,
          scrollLeft: 0,
        });
        act(() => onResize());
        expect(shadows()).toEqual(['right']);
        // a wider window: everything fits
        layOutScrollRegion(region, {
          scrollWidth: 900,
          clientWidth: 900,
          scrollLeft: 0,
        });
        act(() => onResize());
        expect(shadows()).toEqual([]);
      } finally {
        (globalThis as { ResizeObserver?: unknown }).ResizeObserver = original;
      }
    });

    it('shows no shadow unless asked', () => {
      const region = renderWide(false);
      layOutScrollRegion(region, {
        scrollWidth: 900,
        clientWidth: 400,
        scrollLeft: 250,
      });
      fireEvent.scroll(region);
      expect(shadows()).toEqual([]);
    });
  });
});
