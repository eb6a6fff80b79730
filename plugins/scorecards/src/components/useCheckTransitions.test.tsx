import { ReactNode } from 'react';
import { renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { scorecardsApiRef } from '../api';
import {
  FakeScorecardsApi,
  checkoutScorecard,
} from '../__testUtils__/fixtures';
import { useCheckTransitionsCache } from './useCheckTransitions';

const ENTITY = 'component:default/checkout-service';

describe('useCheckTransitionsCache', () => {
  const api = new FakeScorecardsApi();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[scorecardsApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
  const results = checkoutScorecard().results;
  const [first] = results;
  const changed = (over: Partial<typeof first>) => [
    { ...first, ...over },
    ...results.slice(1),
  ];

  it('keeps what was read for a scorecard read again with the same results', () => {
    const { result, rerender } = renderHook(
      ({ rows }) => useCheckTransitionsCache(ENTITY, rows),
      { wrapper, initialProps: { rows: results } },
    );
    const kept = result.current;
    rerender({ rows: results.map(r => ({ ...r })) });
    expect(result.current).toBe(kept);
  });

  it.each([
    ['state', { state: first.state === 'pass' ? 'fail' : 'pass' }],
    ['reason', { reason: `${first.reason}_OTHER` }],
    ['since', { since: '2026-03-14T00:00:00.000Z' }],
  ] as const)(
    'reads anew when a result’s %s changed (a transition may have been written)',
    (_field, over) => {
      const { result, rerender } = renderHook(
        ({ rows }) => useCheckTransitionsCache(ENTITY, rows),
        { wrapper, initialProps: { rows: results } },
      );
      const kept = result.current;
      rerender({ rows: changed(over) });
      expect(result.current).not.toBe(kept);
    },
  );
});
