import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { checkoutLedgerStore } from '../__testUtils__/checkoutLedgerStore';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { AliasResolver } from '../service/AliasResolver';
import { EvidenceReader } from './EvidenceReader';
import { EvidenceStore } from './EvidenceStore';

jest.setTimeout(60_000);

/**
 * The ledger reads of a window and of the summary are bounded in SQL by time: an entity's whole
 * retained history (730 days) used to be read on every call, 40 s per 1,000 refs and a stack
 * overflow on a ledger of 3M changes. The summary's last change and last good deploy may be
 * older than the bound; they are read apart, newest first. Both must give what reading
 * everything gave.
 */
const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const CHECKOUT = 'component:default/checkout-service';
const daysAgo = (days: number, minutes = 0) =>
  new Date(Date.parse(T) - days * 86400_000 + minutes * 60_000).toISOString();

function change(
  externalId: string,
  over: {
    kind?: string;
    status?: string;
    startedAt: string;
    finishedAt?: string;
    subject?: object;
  },
) {
  return {
    ...(over.subject ?? { entityRef: CHECKOUT }),
    kind: over.kind ?? 'deploy',
    ref: externalId,
    summary: `change ${externalId}`,
    actor: { type: 'bot', id: 'ci' },
    source: { system: 'gha', externalId },
    startedAt: over.startedAt,
    ...(over.finishedAt ? { finishedAt: over.finishedAt } : {}),
    status: over.status ?? 'succeeded',
    attributes:
      (over.kind ?? 'deploy') === 'deploy'
        ? { artifactDigest: `sha256:${externalId}` }
        : { keys: ['a'] },
  };
}

describe('ledger reads bounded by time', () => {
  let knex: Knex;
  let store: EvidenceStore;
  let reader: EvidenceReader;
  let resolver: AliasResolver;
  /** Rows of evidence_changes the database answered since the last reset. */
  let rowsRead = 0;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    ({ store, reader, resolver } = await checkoutLedgerStore(knex));
    knex.on('query-response', (response: unknown, query: { sql: string }) => {
      if (
        /from [`"]evidence_changes[`"]/.test(query.sql) &&
        Array.isArray(response)
      )
        rowsRead += response.length;
    });
  });

  const post = async (key: string, body: object) => {
    const result = await store.ingest('changes', key, body, 'ci');
    expect([key, result.ok ? 'ok' : JSON.stringify(result)]).toEqual([
      key,
      'ok',
    ]);
  };

  it('finds the last change and the last good deploy older than the bound, by ref and by alias', async () => {
    await post(
      'd200',
      change('d200', { startedAt: daysAgo(200), finishedAt: daysAgo(200, 5) }),
    );
    await post(
      'd180',
      change('d180', {
        startedAt: daysAgo(180),
        finishedAt: daysAgo(180, 5),
        subject: { alias: 'checkout' },
      }),
    );
    await post(
      'f170',
      change('f170', {
        startedAt: daysAgo(170),
        finishedAt: daysAgo(170, 5),
        status: 'failed',
      }),
    );
    await post(
      'c150',
      change('c150', {
        kind: 'config',
        startedAt: daysAgo(150),
        finishedAt: daysAgo(150, 1),
      }),
    );
    await post(
      'x140',
      change('x140', {
        kind: 'config',
        startedAt: daysAgo(140),
        status: 'cancelled',
        finishedAt: daysAgo(140, 1),
      }),
    );
    const { summary } = await reader.ledgerRead([CHECKOUT], { asOf: T });
    expect(summary[CHECKOUT].lastChange?.ref).toBe('c150');
    expect(summary[CHECKOUT].lastSucceededDeploy?.ref).toBe('d180');
    expect(summary[CHECKOUT].recent30d).toBe(0);
    // as of a time before c150: the newest by then
    const past = await reader.changeSummary([CHECKOUT], daysAgo(160));
    expect(past[CHECKOUT].lastChange?.ref).toBe('f170');
    expect(past[CHECKOUT].lastSucceededDeploy?.ref).toBe('d180');
  });

  it('a change still running since before the bound is newer than older finished ones; a recent one is newest', async () => {
    await post(
      'd100',
      change('d100', { startedAt: daysAgo(100), finishedAt: daysAgo(100, 5) }),
    );
    await post(
      's60',
      change('s60', { startedAt: daysAgo(60), status: 'started' }),
    );
    let { summary } = await reader.ledgerRead([CHECKOUT], {
      asOf: T,
      windowFrom: daysAgo(7),
    });
    expect(summary[CHECKOUT].lastChange?.ref).toBe('s60');
    expect(summary[CHECKOUT].lastSucceededDeploy?.ref).toBe('d100');

    await post(
      'd5',
      change('d5', { startedAt: daysAgo(5), finishedAt: daysAgo(5, 5) }),
    );
    const read = await reader.ledgerRead([CHECKOUT], {
      asOf: T,
      windowFrom: daysAgo(7),
    });
    summary = read.summary;
    expect(summary[CHECKOUT].lastChange?.ref).toBe('d5');
    expect(summary[CHECKOUT].lastSucceededDeploy?.ref).toBe('d5');
    expect(summary[CHECKOUT].recent30d).toBe(1);
    // the window holds what intersects it: d5, and s60 still running
    expect(read.ledger.get(CHECKOUT)!.map(c => c.ref)).toEqual(['d5', 's60']);
  });

  it('steps over newer rows that resolve to another entity now, however many (an alias that moved)', async () => {
    await post(
      'm0',
      change('m0', { startedAt: daysAgo(100), finishedAt: daysAgo(100, 5) }),
    );
    resolver.rebuild([
      entity('Component', 'checkout-service', {
        'ops.example.com/aliases': 'checkout,shop',
      }),
    ]);
    for (let i = 1; i <= 25; i++) {
      const at = daysAgo(90 - i);
      await post(
        `m${i}`,
        change(`m${i}`, {
          startedAt: at,
          finishedAt: at,
          subject: { alias: 'shop' },
        }),
      );
    }
    expect(
      (await reader.changeSummary([CHECKOUT], T))[CHECKOUT].lastChange?.ref,
    ).toBe('m25');
    // the alias moves to another entity: its 25 rows are that one's now
    resolver.rebuild([
      entity('Component', 'checkout-service', {
        'ops.example.com/aliases': 'checkout',
      }),
      entity('Component', 'shop-api', { 'ops.example.com/aliases': 'shop' }),
    ]);
    const { [CHECKOUT]: summary } = await reader.changeSummary([CHECKOUT], T);
    expect(summary.lastChange?.ref).toBe('m0');
    expect(summary.lastSucceededDeploy?.ref).toBe('m0');
    const shop = await reader.changeSummary(['component:default/shop-api'], T);
    expect(shop['component:default/shop-api'].lastChange?.ref).toBe('m25');
  });

  it("reads only the rows the window and the summary's 30 days can hold, not the whole history", async () => {
    for (let i = 0; i < 100; i++) {
      const at = daysAgo(40 + i);
      await post(
        `old${i}`,
        change(`old${i}`, { startedAt: at, finishedAt: at }),
      );
    }
    await post(
      'd2',
      change('d2', { startedAt: daysAgo(2), finishedAt: daysAgo(2, 5) }),
    );

    rowsRead = 0;
    const changes = await reader.queryChanges({
      entityRefs: [CHECKOUT],
      from: daysAgo(7),
      to: T,
      asOf: T,
    });
    expect(changes.map(c => c.ref)).toEqual(['d2']);
    expect(rowsRead).toBe(1);

    rowsRead = 0;
    const { summary, ledger } = await reader.ledgerRead([CHECKOUT], {
      asOf: T,
      windowFrom: daysAgo(7),
    });
    expect(ledger.get(CHECKOUT)!.map(c => c.ref)).toEqual(['d2']);
    expect(summary[CHECKOUT].lastChange?.ref).toBe('d2');
    expect(rowsRead).toBe(1);

    // as of 50 days ago: the newest older than its 30 days is read apart, a few rows only
    rowsRead = 0;
    const past = await reader.changeSummary([CHECKOUT], daysAgo(50));
    expect(past[CHECKOUT].lastChange?.ref).toBe('old10');
    expect(past[CHECKOUT].recent30d).toBe(31); // 40+10 … 40+40 days ago
    expect(rowsRead).toBeLessThan(60);
  });
});
