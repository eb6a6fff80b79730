import { briefWorld } from '../__testUtils__/briefWorld';

const DAY = 24 * 3600_000;
const PRICING = 'component:default/pricing-service';

/** Moves a ledger record's times by `days` (negative: earlier). */
function shift(change: Record<string, any>, days: number) {
  for (const key of [
    'startedAt',
    'finishedAt',
    'receivedAt',
    'effectiveAt',
    'updatedAt',
  ]) {
    if (change[key]) {
      change[key] = new Date(
        Date.parse(change[key]) + days * DAY,
      ).toISOString();
    }
  }
}

describe('ledger history older than the window a brief reads (changes.lookback, 30 d)', () => {
  it('scores W7 (L8) with its earlier succeeded deploy L11 31 days before it: D3 = 1, D6 = 0, 7', async () => {
    const w = briefWorld();
    const l11 = w.evidence.state.ledger.find(c => c.id === 'L11')!;
    // L11 sits 12 days before T in the demo ledger: 31 days before T now
    shift(l11, -19);
    w.evidence.state.ledger = w.evidence.state.ledger.filter(
      c => c.id === 'L11' || c.id === 'L8',
    );
    const brief = await w.briefs.brief({ entityRef: PRICING });
    const l8 = brief.changes.items.find(i => i.change.id === 'L8')!;
    const dims = Object.fromEntries(
      l8.risk!.dimensions.map(d => [d.id, d.value]),
    );
    expect({ D3: dims.D3, D6: dims.D6, score: l8.risk!.score }).toEqual({
      D3: 1,
      D6: 0,
      score: 7,
    });
    expect(brief.changes.lastSuccessfulDeploy?.id).toBe('L11');
    // and the risk the sweep writes back, once, is the same
    const l8Record = w.evidence.state.ledger.find(c => c.id === 'L8')!;
    const stored = (await w.briefs.scoreChanges([l8Record])).get('L8');
    expect(stored).toMatchObject({ status: 'scored', risk: { score: 7 } });
  });

  it('says an entity whose only record is 40 days old had none in 30 d, not that it never had one', async () => {
    const w = briefWorld();
    const l11 = w.evidence.state.ledger.find(c => c.id === 'L11')!;
    shift(l11, -28);
    w.evidence.state.ledger = [l11];
    const brief = await w.briefs.brief({ entityRef: PRICING });
    expect(
      brief.missingEvidence
        .filter(m => m.code.startsWith('LEDGER') && m.subject === PRICING)
        .map(m => m.code),
    ).toEqual(['LEDGER_NO_RECENT']);
    expect(brief.changes.lastChange?.id).toBe('L11');
  });

  it('names the last change as of a past incident time when newer records exist after it', async () => {
    const w = briefWorld();
    const l11 = w.evidence.state.ledger.find(c => c.id === 'L11')!;
    // L11 is 45 days old; a later deploy of the same service came 2 days ago
    const later = { ...l11, id: 'L11-later' };
    shift(l11, -33);
    shift(later, 10);
    w.evidence.state.ledger = [l11, later];
    // an incident 10 days ago: L11 is 35 days before it, outside the 30 days the brief reads
    const at = new Date(Date.now() - 10 * DAY).toISOString();
    const brief = await w.briefs.brief({ entityRef: PRICING, at });
    expect(brief.changes.lastChange?.id).toBe('L11');
    expect(brief.changes.lastSuccessfulDeploy?.id).toBe('L11');
    // and now, the later one
    const live = await w.briefs.brief({ entityRef: PRICING });
    expect(live.changes.lastChange?.id).toBe('L11-later');
  });

  it('scores every change of one group with its own rollback target, the oldest included', async () => {
    const w = briefWorld();
    const l11 = w.evidence.state.ledger.find(c => c.id === 'L11')!;
    const l8 = w.evidence.state.ledger.find(c => c.id === 'L8')!;
    // L11 (succeeded) 31 days before C1; C1 a succeeded deploy 10 h ago; C2 (L8) after it
    shift(l11, -19);
    const c1 = { ...l11, id: 'C1' };
    shift(c1, 31 - 10 / 24);
    shift(l8, 1 / 24);
    w.evidence.state.ledger = [l11, c1, l8];
    const scored = await w.briefs.scoreChanges([c1, l8]);
    const d3 = (id: string) => {
      const r = scored.get(id) as any;
      return r?.risk?.dimensions?.find((d: any) => d.id === 'D3')?.value;
    };
    // C1's rollback target is L11, 31 days before it (outside the window the group reads);
    // C2's is C1, inside it: both have one
    expect({ C1: d3('C1'), L8: d3('L8') }).toEqual({ C1: 1, L8: 1 });
  });

  it('never takes the oldest change for its own rollback target, also when it has no finishedAt', async () => {
    const w = briefWorld();
    const l11 = w.evidence.state.ledger.find(c => c.id === 'L11')!;
    shift(l11, -19);
    // a succeeded deploy recorded without finishedAt: it succeeded "at" its start
    const c1: Record<string, any> = { ...l11, id: 'C1' };
    shift(c1, 31 - 10 / 24);
    delete c1.finishedAt;
    w.evidence.state.ledger = [l11, c1 as typeof l11];
    const scored = await w.briefs.scoreChanges([c1 as typeof l11]);
    const r = scored.get('C1') as any;
    expect(r?.risk?.dimensions?.find((d: any) => d.id === 'D3')?.value).toBe(1);
  });

  it('scores nothing while the ledger summary is down, as while the ledger is (D3 would be stored for good)', async () => {
    const w = briefWorld();
    w.evidence.service.changeSummary = async () => ({
      available: false,
      cause: 'timeout',
      since: new Date().toISOString(),
    });
    const l8 = w.evidence.state.ledger.find(c => c.id === 'L8')!;
    const scored = await w.briefs.scoreChanges([l8]);
    expect(scored.get('L8')).toMatchObject({ status: 'failed' });
  });

  it('reads as before when the ledger summary is down', async () => {
    const w = briefWorld();
    w.evidence.service.changeSummary = async () => ({
      available: false,
      cause: 'timeout',
      since: new Date().toISOString(),
    });
    const l11 = w.evidence.state.ledger.find(c => c.id === 'L11')!;
    shift(l11, -28);
    w.evidence.state.ledger = [l11];
    const brief = await w.briefs.brief({ entityRef: PRICING });
    expect(brief.changes.lastChange).toBeNull();
  });
});
