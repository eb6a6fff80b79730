import { parseQuery } from '@internal/suite-node';
import { blastRadiusQuery, briefQuery, changesQuery } from './queryParams';

describe('hops up to incidentBrief.blastRadius.maxHops', () => {
  const limits = { hops: 2, maxHops: 4, limit: 200 };

  it.each([
    ['blast radius', blastRadiusQuery(limits)],
    ['brief', briefQuery(limits)],
    ['changes', changesQuery({ dependencyHops: 2, maxHops: 4 })],
  ])(
    '%s: takes hops up to the configured maximum and refuses more with the R12 message',
    (_, schema) => {
      expect(parseQuery(schema as any, { hops: '4' }).hops).toBe(4);
      expect(parseQuery(schema as any, {}).hops).toBe(2);
      expect(() => parseQuery(schema as any, { hops: '5' })).toThrow(
        'hops must be an integer between 0 and 4 (got 5)',
      );
    },
  );
});
