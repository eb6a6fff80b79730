import { rightsizeP95 } from '../calculators/rightsizeP95';
import { nonprodSchedule } from '../calculators/nonprodSchedule';
import {
  expectErrors,
  expectOk,
  vectorContext,
} from '../testing/vectorContext';

/*
 * What a person types into a number field that is not a plain number: the
 * refusal must say what to type instead, since "1,000" and "5 GB" are numbers
 * to whoever typed them.
 */

const T01 = {
  currentMonthly: 10000,
  p95CpuPercent: 18,
  p95MemoryPercent: 22,
  profileDays: 90,
};

const plainNumber = (got: string) =>
  `currentMonthly must be a plain number such as 1000 or 0.5, without thousands separators or units (got ${got}).`;

describe('a number field given something that is not a plain number', () => {
  it.each([
    ['1,000', plainNumber('1,000')],
    ['10.000,50', plainNumber('10.000,50')],
    ['5 GB', plainNumber('5 GB')],
    ['$10000', plainNumber('$10000')],
    ['1e3', plainNumber('1e3')],
    ['abc', plainNumber('abc')],
  ])('refuses %j saying what to type', (typed, message) => {
    expect(
      expectErrors(
        rightsizeP95.compute(
          { ...T01, currentMonthly: typed },
          vectorContext(),
        ),
      ),
    ).toEqual([{ input: 'currentMonthly', code: 'out_of_range', message }]);
  });

  it.each([[' '], ['\t'], ['   ']])(
    'treats %j in a required field as nothing typed',
    typed => {
      expect(
        expectErrors(
          rightsizeP95.compute(
            { ...T01, currentMonthly: typed },
            vectorContext(),
          ),
        ),
      ).toEqual([
        {
          input: 'currentMonthly',
          code: 'required',
          message: 'currentMonthly is required.',
        },
      ]);
    },
  );

  it('treats spaces in an optional field as not given (its default applies)', () => {
    const result = expectOk(
      nonprodSchedule.compute(
        { environment: 'dev', computeHourly: 2, onHoursPerWeek: '  ' },
        vectorContext(),
      ),
    );
    expect(result.inputs.onHoursPerWeek).toEqual({
      value: '60',
      source: { kind: 'default' },
    });
  });
});
