import { act } from 'react';
import { renderHook } from '@testing-library/react';
import type {
  BlastRadiusAnswer,
  ImpactedEntity,
} from '@internal/plugin-incident-brief-common';
import { useImpactedPages } from './useImpactedPages';

const entity = (name: string) =>
  ({ ref: `component:default/${name}` } as ImpactedEntity);
const answer = (names: string[], nextCursor?: string) =>
  ({ impacted: names.map(entity), nextCursor } as unknown as BlastRadiusAnswer);

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('useImpactedPages', () => {
  it('drops a page that arrives for an older answer, keeping the pages held for the current one', async () => {
    const a = answer(['a1'], 'a-2');
    const b = answer(['b1', 'b2', 'b3'], 'b-2');
    const aPage = deferred<BlastRadiusAnswer>();
    const fetchPage = jest.fn(async (cursor: string) =>
      cursor === 'a-2' ? aPage.promise : answer(['b4', 'b5']),
    );
    const { result, rerender } = renderHook(
      ({ base }) => useImpactedPages(base, fetchPage),
      { initialProps: { base: a } },
    );
    // the graph reads ahead on A; the answer changes to B before that page arrives
    let lateA: Promise<void> | undefined;
    act(() => {
      lateA = result.current.loadMore!();
    });
    rerender({ base: b });
    await act(() => result.current.loadMore!());
    expect(result.current.impacted.map(e => e.ref)).toHaveLength(5);

    await act(async () => {
      aPage.resolve(answer(['a2']));
      await lateA;
    });
    expect(result.current.impacted.map(e => e.ref)).toEqual(
      ['b1', 'b2', 'b3', 'b4', 'b5'].map(n => `component:default/${n}`),
    );
    expect(result.current.loadMore).toBeUndefined();
  });
});
