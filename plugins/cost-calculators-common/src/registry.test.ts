import { CALCULATOR_REGISTRY, CARDS } from './registry';
import { CALCULATOR_IDS } from './types';

describe('registry', () => {
  it('lists all fifteen calculators once, each on exactly one card', () => {
    expect(CALCULATOR_REGISTRY.map(e => e.id)).toEqual([...CALCULATOR_IDS]);
    expect(CARDS.flatMap(c => c.calculators).sort()).toEqual(
      [...CALCULATOR_IDS].sort(),
    );
    for (const e of CALCULATOR_REGISTRY) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.question.endsWith('?')).toBe(true);
      expect(e.sources.length).toBeGreaterThan(0);
    }
  });

  it('names the C1 prefill annotations', () => {
    expect(
      CALCULATOR_REGISTRY.find(e => e.id === 'rightsize-p95')
        ?.prefillAnnotations,
    ).toEqual(['monthly-spend', 'p95-cpu', 'p95-memory', 'profile-days']);
  });
});
