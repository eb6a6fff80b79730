import { describeSource } from './describeSource';

describe('describeSource', () => {
  it('names the system a cost fact came from and its date (the markdown source column)', () => {
    expect(
      describeSource({
        kind: 'cost-facts',
        label: 'billing export',
        asOf: '2026-11-20',
        ageDays: 3,
      }),
    ).toBe('cost facts · billing export (2026-11-20)');
  });

  it('says a cost fact without a date has no known age, as for annotations', () => {
    expect(
      describeSource({ kind: 'cost-facts', label: 'billing export' }),
    ).toBe('cost facts · billing export (age unknown)');
    expect(describeSource({ kind: 'cost-facts' })).toBe(
      'cost facts (age unknown)',
    );
  });
});
