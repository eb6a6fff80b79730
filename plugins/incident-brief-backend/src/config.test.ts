import { ConfigReader } from '@backstage/config';
import { readIncidentBriefOptions } from './config';

const read = (incidentBrief: object) =>
  readIncidentBriefOptions(new ConfigReader({ incidentBrief }));

describe('readIncidentBriefOptions', () => {
  it('reads the defaults of IB §6.5 from an empty config', () => {
    const options = readIncidentBriefOptions(new ConfigReader({}));
    expect(options.blastRadius).toEqual({
      defaultHops: 3,
      maxHops: 10,
      listLimit: 200,
    });
    expect(options.changes.dependencyHops).toBe(2);
    expect(options.index.refreshIntervalMs).toBe(60_000);
    expect(options.risk.healthGraceMs).toBe(600_000);
  });

  it.each([
    [
      { blastRadius: { defaultHops: 12 } },
      'incidentBrief.blastRadius.defaultHops must be a whole number from 0 to 10 (got 12)',
    ],
    [
      { blastRadius: { listLimit: 10_000 } },
      'incidentBrief.blastRadius.listLimit must be a whole number from 1 to 5000 (got 10000)',
    ],
    [
      { changes: { dependencyHops: -1 } },
      'incidentBrief.changes.dependencyHops must be a whole number from 0 to 10 (got -1)',
    ],
    [
      { blastRadius: { defaultHops: 0 } },
      'incidentBrief.blastRadius.defaultHops must be at least 1: at 0 no dependent is searched (got 0)',
    ],
    [
      { blastRadius: { maxHops: 0 } },
      'incidentBrief.blastRadius.maxHops must be a whole number from 1 to 10 (got 0)',
    ],
    [
      { blastRadius: { maxHops: 2, defaultHops: 4 } },
      'incidentBrief.blastRadius.defaultHops must be at most incidentBrief.blastRadius.maxHops (2) (got 4)',
    ],
    [
      { blastRadius: { maxHops: 1 }, changes: { dependencyHops: 2 } },
      'incidentBrief.changes.dependencyHops must be at most incidentBrief.blastRadius.maxHops (1) (got 2)',
    ],
    [
      { index: { refreshInterval: '0s' } },
      'incidentBrief.index.refreshInterval must be a positive duration',
    ],
    [
      { risk: { sweep: { frequency: { seconds: -5 } } } },
      'incidentBrief.risk.sweep.frequency must be a positive duration',
    ],
  ])(
    'refuses %j at start-up instead of failing requests later',
    (config, message) => {
      expect(() => read(config)).toThrow(message);
    },
  );

  it('holds the default hops to a lower maxHops when they are not set', () => {
    const options = read({ blastRadius: { maxHops: 1 } });
    expect(options.blastRadius).toMatchObject({ defaultHops: 1, maxHops: 1 });
    expect(options.changes.dependencyHops).toBe(1);
  });

  it('takes zero where it is a setting (no hold-back, no reuse) and durations in every form', () => {
    const options = read({
      risk: { healthGrace: '0s' },
      observedEdges: { freshFor: 'PT2H' },
      onCall: { timeout: { seconds: 5 }, cacheTtl: '0s' },
    });
    expect(options.risk.healthGraceMs).toBe(0);
    expect(options.onCall.cacheTtlMs).toBe(0);
    expect(options.graph.freshForMs).toBe(7_200_000);
    expect(options.onCall.timeoutMs).toBe(5_000);
  });
});
