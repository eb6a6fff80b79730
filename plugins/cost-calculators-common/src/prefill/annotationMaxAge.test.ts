import { readAnnotationMaxAgeDays } from './annotationMaxAge';

describe('readAnnotationMaxAgeDays', () => {
  it.each([
    // [configured value, days used]
    [undefined, 90],
    [null, 90],
    [1, 1],
    [30, 30],
    [3650, 3650],
    ['30', 30],
  ] as const)('%j is %s days', (value, days) => {
    expect(readAnnotationMaxAgeDays(value)).toEqual({ days });
  });

  it.each([
    // [configured value, as the message quotes it]
    [0, '0'],
    [-5, '-5'],
    [1.5, '1.5'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [3651, '3651'],
    [1e9, '1000000000'],
    ['ninety', '"ninety"'],
    ['', '""'],
    [true, 'true'],
  ] as const)(
    '%j is refused: the default 90 is used and the config path named',
    (value, got) => {
      expect(readAnnotationMaxAgeDays(value)).toEqual({
        days: 90,
        error: {
          path: 'costCalculators.annotationMaxAgeDays',
          message: `costCalculators.annotationMaxAgeDays must be a whole number of days from 1 to 3650 (got ${got}); the default of 90 days is used.`,
        },
      });
    },
  );
});
