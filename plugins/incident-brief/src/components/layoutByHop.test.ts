import { layoutByHop, pageByHop } from './layoutByHop';
import type { ImpactedEntity } from '@internal/plugin-incident-brief-common';
import {
  v1BlastRadius,
  wideBlastRadius,
  CHECKOUT,
} from '../__testUtils__/fixtures';

describe('layoutByHop', () => {
  const root = { ref: CHECKOUT, title: 'checkout-service' };

  it('puts the root left of hop 1 and each node right of its parent', () => {
    const layout = layoutByHop(root, v1BlastRadius.impacted);
    const at = (ref: string) => layout.nodes.find(n => n.ref === ref)!;
    expect(layout.nodes.map(n => n.hop)).toEqual([0, 1, 2]);
    expect(at(CHECKOUT).x).toBeLessThan(at('component:default/api-gateway').x);
    expect(at('component:default/api-gateway').x).toBeLessThan(
      at('component:default/web-storefront').x,
    );
    expect(layout.edges).toEqual([
      expect.objectContaining({
        x1: at(CHECKOUT).x,
        x2: at('component:default/api-gateway').x,
      }),
      expect.objectContaining({
        x1: at('component:default/api-gateway').x,
        x2: at('component:default/web-storefront').x,
      }),
    ]);
  });

  it('keeps the nearest 1,000 and a bounded height for 10,000', () => {
    const impacted = wideBlastRadius(10_000).impacted;
    const started = performance.now();
    const layout = layoutByHop(root, impacted);
    // linear in the drawn nodes: a generous bound that still catches a quadratic layout
    expect(performance.now() - started).toBeLessThan(250);
    expect(layout.shown).toBe(1000);
    expect(layout.nodes).toHaveLength(1001);
    expect(layout.nodes.filter(n => n.hop === 1)).toHaveLength(100);
    expect(layout.edges).toHaveLength(1000);
    expect(layout.height).toBeLessThan(700);
    expect(new Set(layout.nodes.map(n => `${n.x},${n.y}`)).size).toBe(1001);
  });

  it('lays out the page at an offset, nearest first, with stubs for parents on other pages', () => {
    const impacted = wideBlastRadius(2500).impacted;
    const page2 = layoutByHop(root, impacted, { offset: 1000 });
    expect(page2.offset).toBe(1000);
    expect(page2.shown).toBe(1000);
    expect(page2.nodes[0].ref).toBe(CHECKOUT);
    expect(page2.nodes.slice(1).map(n => n.ref)).toEqual(
      impacted.slice(1000, 2000).map(e => e.ref),
    );
    // hop-2 nodes whose hop-1 parents were on page 1
    expect(page2.edges).toHaveLength(0);
    expect(page2.stubs).toHaveLength(1000);
    for (const s of page2.stubs) expect(s.x1).toBeLessThan(s.x2);

    const last = layoutByHop(root, impacted, { offset: 2000 });
    expect(last.shown).toBe(500);
    expect(last.nodes.at(-1)?.ref).toBe(impacted[2499].ref);

    // page 1 is the nearest hops even when the list comes unordered
    const shuffled = [...impacted].reverse();
    const first = layoutByHop(root, shuffled);
    expect(first.nodes.filter(n => n.hop === 1)).toHaveLength(100);
    expect(first.stubs).toHaveLength(0);
  });

  it('never hangs a node on a restricted entity (all named `restricted`)', () => {
    const [gateway, storefront] = v1BlastRadius.impacted;
    const restricted = (hop: number): ImpactedEntity => ({
      ...gateway,
      ref: 'restricted',
      title: 'restricted',
      hop,
      path: [],
    });
    // storefront's parent is restricted (its path names it `restricted`)
    const behind: ImpactedEntity = {
      ...storefront,
      path: [
        { ...storefront.path[0], from: 'restricted' },
        { ...storefront.path[1], to: 'restricted' },
      ],
    };
    const layout = layoutByHop(root, [restricted(1), restricted(2), behind]);
    expect(layout.nodes).toHaveLength(4);
    // hop-1 restricted hangs on the root; hop-2 restricted and storefront have no known parent
    expect(layout.edges).toHaveLength(1);
    expect(layout.edges[0].x1).toBe(layout.nodes[0].x);
    expect(layout.stubs).toHaveLength(2);
  });
});

describe('pageByHop', () => {
  const impacted = wideBlastRadius(2500).impacted;

  it('keeps the previous page when what was appended lies beyond it (the next page read ahead)', () => {
    const held = impacted.slice(0, 1000);
    const page = pageByHop(held, { limit: 1000 });
    expect(page.map(e => e.ref)).toEqual(held.map(e => e.ref));
    expect(pageByHop(impacted.slice(0, 2000), { limit: 1000 }, page)).toBe(
      page,
    );
    // page 2 is new, and kept in turn when the last 500 arrive
    const page2 = pageByHop(
      impacted.slice(0, 2000),
      { limit: 1000, offset: 1000 },
      page,
    );
    expect(page2).not.toBe(page);
    expect(page2[0]).toBe(impacted[1000]);
    expect(pageByHop(impacted, { limit: 1000, offset: 1000 }, page2)).toBe(
      page2,
    );
  });

  it('answers a new page when an arrival belongs on it (an answer not in hop order)', () => {
    const held = impacted.slice(0, 1000);
    const page = pageByHop(held, { limit: 1000 });
    const nearer = { ...impacted[0], ref: 'component:default/late', hop: 1 };
    const next = pageByHop([...held, nearer], { limit: 1000 }, page);
    expect(next).not.toBe(page);
    expect(next).toContain(nearer);
    expect(next).toHaveLength(1000);
  });
});
