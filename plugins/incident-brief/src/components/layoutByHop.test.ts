import { layoutByHop } from './layoutByHop';
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
});
