import { confirmedPercent } from './confirmedPercent';

describe('confirmedPercent', () => {
  it.each([
    [199, 250, 0.796, 79], // not 80 beside `medium` (< 0.8)
    [2, 3, 2 / 3, 66],
    [1, 2, 0.5, 50],
    [0, 0, 1, 100], // nothing examined: the ratio the backend gives
  ])('%i of %i (ratio %d) is %i %', (confirmed, examined, ratio, percent) => {
    expect(confirmedPercent({ confirmed, examined }, ratio)).toBe(percent);
  });

  it('is undefined for an unknown ratio', () => {
    expect(
      confirmedPercent({ confirmed: 1, examined: 2 }, null),
    ).toBeUndefined();
  });
});
