import { ConfigReader } from '@backstage/config';
import { DefaultEvidenceService } from '@internal/plugin-evidence-node';
import { EvidenceMirror } from './EvidenceMirror';
import { readScorecardsConfig } from './readScorecardsConfig';

const config = readScorecardsConfig(new ConfigReader({}));
const refs = Array.from(
  { length: 40 },
  (_, i) => `component:default/r${String(i).padStart(2, '0')}`,
);
const SLOW = refs[10];

/**
 * The real evidence client (its timeout and circuit breaker: 3 failures in a row open it)
 * over a fake `fetch` whose store never answers a read of SLOW's ledger, as a ledger of
 * hundreds of changes a day would not within the timeout; SLOW is among those written before
 * every poll.
 */
function slowLedgerClient() {
  const reads: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const path = url.replace('http://evidence', '');
    if (path.startsWith('/entities/changed')) {
      return Response.json({
        // a collector wrote 21 entities, SLOW among them, since every poll
        refs: path.includes('since') ? refs.slice(10, 31) : refs,
        until: String(Date.now()),
      });
    }
    if (path === '/sources') return Response.json({ items: [] });
    const body = JSON.parse(String(init.body));
    const ledger = body.include.includes('ledger');
    if (ledger && body.entityRefs.includes(SLOW)) {
      reads.push('timeout');
      const signal = init.signal!;
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    }
    reads.push('ok');
    const entities = Object.fromEntries(
      body.entityRefs.map((ref: string) => [
        ref,
        {
          ...(body.include.includes('facts')
            ? { facts: [], collection: [] }
            : {}),
          ...(ledger ? { ledger: [] } : {}),
        },
      ]),
    );
    return Response.json({ asOf: 'x', entities });
  }) as unknown as typeof fetch;
  const evidence = new DefaultEvidenceService(
    {
      baseUrl: async () => 'http://evidence',
      token: async () => 't',
      fetch: fetchFn,
    },
    { timeoutMs: 200, breakerOpenForMs: 60_000 },
  );
  return { evidence, reads };
}

describe('EvidenceMirror with the evidence client', () => {
  it('never opens the client’s circuit breaker over one ledger the store cannot answer in time: that entity alone reads as an outage', async () => {
    const { evidence, reads } = slowLedgerClient();
    const mirror = new EvidenceMirror({
      evidence,
      config,
      ledgerNeeds: { perClass: 3, artifacts: 3 },
      // full reads and rounds often, so that each kind of read meets SLOW
      fullEveryMs: 600,
      ledgerFullEveryMs: 1500,
      ledgerChunkSize: 16,
      ledgerRetryMs: 100,
    });
    const fallbacks: string[] = [];
    const failures: string[] = [];
    for (let n = 0; n < 30; n++) {
      await mirror.refresh().catch(e => failures.push(String(e)));
      // what the processor reads per entity while the mirror does not answer
      const read = await evidence.readEntities([refs[1]], { cache: false });
      fallbacks.push(read.available ? 'ok' : read.cause);
      await new Promise(resolve => setTimeout(resolve, 30));
    }
    // never 3 timeouts in a row (they would open the breaker for a minute here)
    expect(reads.join(' ')).not.toContain('timeout timeout timeout');
    expect(failures).toEqual([]);
    expect(fallbacks.every(f => f === 'ok')).toBe(true);
    expect(reads).toContain('timeout');
    expect(mirror.loaded).toBe(true);
    expect(mirror.unreadable).toEqual([SLOW]);
    expect(mirror.read([SLOW])!.version).toMatch(/^outage@/);
    expect(mirror.read([refs[1]])!.version).not.toMatch(/^outage@/);
  }, 20_000);
});
