import { briefWorld } from '../__testUtils__/briefWorld';

describe('the changes answer reads the ledger summary', () => {
  it('as of now for a live read (cacheable), as of the incident time when one is given', async () => {
    const { evidence, briefs } = briefWorld();
    const summary = jest.spyOn(evidence.service, 'changeSummary');
    await briefs.changes({ entityRef: 'component:default/checkout-service' });
    expect(summary).toHaveBeenCalled();
    for (const [, options] of summary.mock.calls) {
      expect(options).not.toHaveProperty('at');
    }
    summary.mockClear();
    const at = '2026-03-14T01:00:00.000Z';
    await briefs.changes({
      entityRef: 'component:default/checkout-service',
      at,
    });
    expect(summary.mock.calls.map(([, options]) => options?.at)).toContain(at);
  });
});
