import type { InputError } from '@internal/plugin-cost-calculators-common';
import { inputFieldsOf } from './inputFields';
import {
  fieldMessage,
  isErrorShown,
  pendingInputs,
  pendingSentence,
  withLabels,
  withoutClientRow,
} from './inputErrors';

const rightsize = inputFieldsOf('rightsize-p95');
const budget = inputFieldsOf('connection-budget');
const licensing = inputFieldsOf('db-licensing');

function required(input: string, when?: string): InputError {
  return {
    input,
    code: 'required',
    message: when ? `${input} is required ${when}` : `${input} is required.`,
  };
}

describe('withLabels', () => {
  it('names every input a message mentions by its label', () => {
    expect(
      withLabels(
        'rightSizedMonthly must not exceed currentMonthly (got 12000 > 10000).',
        inputFieldsOf('ri-vs-rightsize'),
      ),
    ).toBe(
      'Right-sized on-demand cost must not exceed Current on-demand cost (got 12000 > 10000).',
    );
    expect(
      withLabels(
        'clients[1].poolSize must be a whole number (got 2.5).',
        budget,
      ),
    ).toBe('Pool size (row 2) must be a whole number (got 2.5).');
  });

  it('renames a one-word id only as the subject, not where it is an ordinary word', () => {
    expect(
      withLabels(
        'computeOnlyHourly is required unless a price-book sku is given.',
        licensing,
      ),
    ).toBe('Compute-only price is required unless a price-book sku is given.');
    expect(withLabels('provider must be one of aws (got x).', licensing)).toBe(
      'Cloud provider must be one of aws (got x).',
    );
  });

  it('leaves ids that are not form fields alone', () => {
    expect(
      withLabels('asOf must be a date YYYY-MM-DD (got 2026-02-30).', rightsize),
    ).toBe('asOf must be a date YYYY-MM-DD (got 2026-02-30).');
  });
});

describe('fieldMessage', () => {
  it('says only "Required." under the labelled field, and keeps the condition of a conditional one', () => {
    expect(fieldMessage(required('currentMonthly'), rightsize)).toBe(
      'Required.',
    );
    expect(
      fieldMessage(
        required('hoursPerProcedure', 'when storedProcedures > 0.'),
        inputFieldsOf('oss-migration-payback'),
      ),
    ).toBe(
      'Rewrite hours per procedure is required when Stored procedures > 0.',
    );
  });
});

describe('isErrorShown', () => {
  const base = {
    fields: rightsize,
    draft: {},
    touched: new Set<string>(),
    submitted: false,
  };
  const error = required('currentMonthly');

  it('holds back the error of an empty field the user has not reached', () => {
    expect(isErrorShown(error, base)).toBe(false);
  });

  it.each([
    ['touched', { touched: new Set(['currentMonthly']) }],
    ['after the user asked for a result', { submitted: true }],
    [
      'when the field holds a value (from a link)',
      { draft: { currentMonthly: '-5' } },
    ],
  ])('shows it %s', (_, change) => {
    expect(isErrorShown(error, { ...base, ...change })).toBe(true);
  });

  it('always shows an error no field can carry', () => {
    expect(
      isErrorShown(
        { input: 'asOf', code: 'inconsistent', message: 'asOf …' },
        base,
      ),
    ).toBe(true);
  });

  it('treats client cells as fields of their own', () => {
    const cell = required('clients[0].poolSize');
    const draft = {
      clients: [
        {
          name: 'web',
          maxInstances: '5',
          poolSize: '',
          rolloutSurgePercent: '',
        },
      ],
    };
    const visibility = { ...base, fields: budget, draft };
    expect(isErrorShown(cell, visibility)).toBe(false);
    expect(
      isErrorShown(cell, {
        ...visibility,
        touched: new Set(['clients[0].poolSize']),
      }),
    ).toBe(true);
  });
});

describe('pendingInputs and pendingSentence', () => {
  it('lists the missing inputs and those to correct by label', () => {
    const errors: InputError[] = [
      required('currentMonthly'),
      required('p95CpuPercent'),
      {
        input: 'p95MemoryPercent',
        code: 'out_of_range',
        message: 'p95MemoryPercent must be between 0 and 100 % (got 120).',
      },
    ];
    const pending = pendingInputs(errors, rightsize, {
      p95MemoryPercent: '120',
    });
    expect(pending).toEqual({
      missing: ['Current on-demand cost', 'P95 CPU utilisation'],
      toCorrect: ['P95 memory utilisation'],
    });
    expect(pendingSentence(pending)).toBe(
      'To see a result, enter Current on-demand cost and P95 CPU utilisation, and correct P95 memory utilisation.',
    );
    expect(
      pendingSentence(
        pendingInputs(
          [
            required('currentMonthly'),
            required('p95CpuPercent'),
            required('p95MemoryPercent'),
          ],
          rightsize,
          {},
        ),
      ),
    ).toBe(
      'To see a result, enter Current on-demand cost, P95 CPU utilisation and P95 memory utilisation.',
    );
  });

  it('says nothing when no labelled input is pending', () => {
    expect(
      pendingSentence(
        pendingInputs(
          [{ input: 'asOf', code: 'inconsistent', message: 'asOf …' }],
          rightsize,
          {},
        ),
      ),
    ).toBeUndefined();
  });
});

describe('withoutClientRow', () => {
  it('drops the removed row and moves later rows up', () => {
    expect(
      withoutClientRow(
        new Set([
          'maxConnections',
          'clients[0].name',
          'clients[1].poolSize',
          'clients[2].maxInstances',
        ]),
        1,
      ),
    ).toEqual(
      new Set(['maxConnections', 'clients[0].name', 'clients[1].maxInstances']),
    );
  });
});
