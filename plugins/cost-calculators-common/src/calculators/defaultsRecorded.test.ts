import { CALCULATORS } from '.';
import { renderMarkdown } from '../presentation/renderMarkdown';
import type { CalculatorId } from '../types';
import { expectOk, vectorContext } from '../testing/vectorContext';

/*
 * A default the arithmetic rests on is an input like any other: it is listed in
 * the result's inputs with the source `default`, so the form's chip and the
 * markdown export show the figure the result assumed (C10's 20 % headroom
 * decides the usable connections; C11's 60 s stale-connection timeout is the
 * largest RTO term of T43).
 */
const CASES: [CalculatorId, string, Record<string, unknown>, string, string][] =
  [
    [
      'nonprod-schedule',
      'onHoursPerWeek',
      { environment: 'dev', computeHourly: 2 },
      '60',
      '| On-hours per week | 60 h | default |',
    ],
    [
      'bigquery-query-guard',
      'columnSharePercent',
      { tableTiB: 80, totalPartitions: 365, perQueryBudget: 50 },
      '100',
      '| Share of table bytes in referenced columns | 100 % | default |',
    ],
    [
      'connection-budget',
      'headroomPercent',
      {
        maxConnections: 500,
        clients: [{ name: 'web', maxInstances: 50, poolSize: 5 }],
      },
      '20',
      '| Headroom | 20 % | default |',
    ],
    [
      'failover-rto',
      'staleConnectionTimeoutSeconds',
      { service: 'aurora', targetRtoSeconds: 60 },
      '60',
      '| Stale-connection timeout | 60 s | default |',
    ],
    [
      'failover-rto',
      'reconnectSeconds',
      { service: 'aurora', targetRtoSeconds: 60 },
      '2',
      '| Reconnect time | 2 s | default |',
    ],
    [
      'failover-rto',
      'detectionSeconds',
      { service: 'aurora', targetRtoSeconds: 60 },
      '0',
      '| Detection time | 0 s | default |',
    ],
    [
      'failover-rto',
      'dnsTtlSeconds',
      { service: 'custom', providerFailoverSeconds: 30, targetRtoSeconds: 60 },
      '0',
      '| Endpoint DNS TTL | 0 s | default |',
    ],
  ];

describe('a default the result rests on', () => {
  it.each(CASES)(
    '%s lists %s as a default input and in the markdown export',
    (id, inputId, input, value, row) => {
      const result = expectOk(CALCULATORS[id].compute(input, vectorContext()));
      expect(result.inputs[inputId]).toEqual({
        value,
        source: { kind: 'default' },
      });
      expect(renderMarkdown(result).split('\n')).toContain(row);
    },
  );
});
