import { stepsLeftEffects } from './stepEffects';

describe('stepsLeftEffects', () => {
  it('counts a done step and a claimed one (cut off mid-effect cannot be told)', () => {
    expect(stepsLeftEffects([{ status: 'done' }])).toBe(true);
    expect(stepsLeftEffects([{ status: 'claimed' }])).toBe(true);
  });

  it('counts no failed or compensated step, nor no steps at all', () => {
    expect(
      stepsLeftEffects([{ status: 'failed' }, { status: 'compensated' }]),
    ).toBe(false);
    expect(stepsLeftEffects([])).toBe(false);
    expect(stepsLeftEffects(undefined)).toBe(false);
  });

  it('counts a status it does not know: "nothing was created" only when known', () => {
    expect(stepsLeftEffects([{ status: 'failed' }, { status: 'paused' }])).toBe(
      true,
    );
  });
});
