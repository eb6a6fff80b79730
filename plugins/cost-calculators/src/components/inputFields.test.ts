import {
  CALCULATORS,
  CALCULATOR_IDS,
  CalculatorId,
} from '@internal/plugin-cost-calculators-common';
import { inputFieldsOf } from './inputFields';

describe('inputFieldsOf', () => {
  it('reads kinds, ranges and enum values back from the schemas', () => {
    const c2 = inputFieldsOf('ri-vs-rightsize');
    expect(c2.find(f => f.id === 'currentMonthly')).toEqual({
      id: 'currentMonthly',
      label: 'Current on-demand cost',
      kind: 'number',
      required: true,
      integer: false,
      range: '0–1,000,000,000 USD/month',
    });
    expect(c2.find(f => f.id === 'profileDays')).toMatchObject({
      kind: 'number',
      required: false,
      integer: true,
    });
    const c6 = inputFieldsOf('db-licensing');
    expect(c6.find(f => f.id === 'provider')).toMatchObject({
      kind: 'enum',
      options: ['aws', 'azure', 'gcp', 'oci'],
    });
    expect(c6.find(f => f.id === 'hyperThreading')?.kind).toBe('boolean');
    expect(c6.find(f => f.id === 'sku')?.kind).toBe('text');
    expect(
      inputFieldsOf('oss-migration-payback').find(
        f => f.id === 'commitmentEndsOn',
      )?.kind,
    ).toBe('date');
    expect(
      inputFieldsOf('connection-budget').find(f => f.id === 'clients')?.kind,
    ).toBe('clients');
  });

  it('labels each field with the calculator’s own label, acronyms and all', () => {
    const label = (calculator: CalculatorId, input: string) =>
      inputFieldsOf(calculator).find(f => f.id === input)?.label;
    expect(label('rightsize-p95', 'p95CpuPercent')).toBe('P95 CPU utilisation');
    expect(label('failover-rto', 'sameIpFailover')).toBe('Same-IP failover');
    expect(label('db-licensing', 'vcpus')).toBe('vCPUs (vCores for Azure SQL)');
    for (const id of CALCULATOR_IDS) {
      for (const field of inputFieldsOf(id))
        expect([id, field.id, field.label]).toEqual([
          id,
          field.id,
          CALCULATORS[id].inputs[field.id].label,
        ]);
    }
  });

  it('describes every input of every calculator', () => {
    for (const id of CALCULATOR_IDS) {
      const fields = inputFieldsOf(id);
      expect(fields.length).toBeGreaterThan(0);
      expect(
        fields.filter(f => f.kind === 'number' && f.range === undefined),
      ).toEqual([]);
      // Bounds are grouped: no run of four digits is left for the eye to count.
      expect(
        fields.filter(f => f.range !== undefined && /\d{4}/.test(f.range)),
      ).toEqual([]);
    }
  });
});
