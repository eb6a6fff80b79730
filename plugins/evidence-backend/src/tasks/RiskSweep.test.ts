import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { EvidenceStore } from '../database/EvidenceStore';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { RiskSweep, changesEvent } from './RiskSweep';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const HOUR = 3600_000;
const CHECKOUT = 'component:default/checkout-service';

function deploy(externalId: string, startedAt: Date) {
  return {
    entityRef: CHECKOUT,
    kind: 'deploy',
    ref: 'v1',
    summary: `deploy ${externalId}`,
    actor: { type: 'bot', id: 'ci' },
    source: { system: 'github-actions', externalId },
    startedAt: startedAt.toISOString(),
    status: 'started',
    attributes: { artifactDigest: 'sha256:1' },
  };
}

const riskBody = {
  modelVersion: 'risk/1',
  score: 3,
  tier: 'Low',
  lowConfidence: false,
  dimensions: [{ id: 'D1', value: 1, unknown: false, reason: 'small diff' }],
  floorsApplied: [],
};

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const resolver = new AliasResolver();
  resolver.rebuild([entity('Component', 'checkout-service')]);
  const clock = { now: new Date(T) };
  const store = await EvidenceStore.create({
    database: mockServices.database({ knex }),
    resolver,
    options: readEvidenceOptions(new ConfigReader({})),
    logger: mockServices.logger.mock(),
    clock: () => clock.now,
  });
  const committed: string[][] = [];
  store.onChangesCommitted(async ids => {
    committed.push(ids);
  });
  /** Posts a change received at `receivedAt` and returns its id. */
  const post = async (externalId: string, receivedAt: Date) => {
    clock.now = receivedAt;
    const outcome = await store.ingest(
      'changes',
      `key-${externalId}`,
      deploy(externalId, receivedAt),
      'external:ci',
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.id!;
  };
  /** Posts a change for an alias no entity claims (R7: resolution unresolved). */
  const postUnclaimed = async (externalId: string, receivedAt: Date) => {
    clock.now = receivedAt;
    const { entityRef: _ignored, ...body } = deploy(externalId, receivedAt);
    const outcome = await store.ingest(
      'changes',
      `key-${externalId}`,
      { ...body, alias: 'promo-engine' },
      'external:ci',
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.id!;
  };
  const events = mockServices.events.mock();
  return { knex, clock, store, committed, post, postUnclaimed, events };
}

describe('RiskSweep (§3.5 evidence-risk-sweep)', () => {
  it.each(databases.eachSupportedId())(
    'does not re-publish a change no entity claims: nothing could score it, on %s',
    async databaseId => {
      const { clock, post, postUnclaimed, events, store } = await setUp(
        databaseId,
      );
      const now = Date.parse(T);
      const claimed = await post('claimed', new Date(now - 2 * HOUR));
      const unclaimed = await postUnclaimed('unclaimed', new Date(now - HOUR));
      clock.now = new Date(now);
      const sweep = new RiskSweep({
        db: store.db,
        events,
        logger: mockServices.logger.mock(),
        clock: () => clock.now,
      });
      expect(await sweep.run()).toEqual({ published: 1 });
      expect(events.publish).toHaveBeenCalledWith(changesEvent([claimed]));
      expect(unclaimed).not.toBe(claimed);
    },
  );

  it.each(databases.eachSupportedId())(
    're-publishes changes without risk received in the last 24 h, in the ingestion shape, on %s',
    async databaseId => {
      const { clock, store, committed, post, events } = await setUp(databaseId);
      const now = Date.parse(T);
      const pending = await post('pending', new Date(now - 2 * HOUR));
      const scored = await post('scored', new Date(now - HOUR));
      const old = await post('old', new Date(now - 25 * HOUR));
      const young = await post('young', new Date(now - 10_000));
      expect((await store.setChangeRisk(scored, riskBody)).ok).toBe(true);

      clock.now = new Date(now);
      const sweep = new RiskSweep({
        db: store.db,
        events,
        logger: mockServices.logger.mock(),
        clock: () => clock.now,
      });
      expect(await sweep.run()).toEqual({ published: 1 });
      expect(events.publish).toHaveBeenCalledTimes(1);
      expect(events.publish).toHaveBeenCalledWith({
        topic: 'evidence.changes',
        eventPayload: { ids: [pending] },
      });
      // Exactly the event an ingestion publishes (plugin.ts publishes changesEvent(ids)).
      expect(committed).toContainEqual([pending]);
      expect(events.publish.mock.calls[0][0]).toEqual(changesEvent([pending]));
      expect(events.publish.mock.calls[0][0]).not.toEqual(
        expect.objectContaining({
          eventPayload: { ids: expect.arrayContaining([scored]) },
        }),
      );

      // A minute later the young change is past its own event's turn and is included; the
      // old one (received 25 h before) never is.
      clock.now = new Date(now + 60_000);
      events.publish.mockClear();
      expect(await sweep.run()).toEqual({ published: 2 });
      expect(events.publish).toHaveBeenCalledWith(
        changesEvent([pending, young]),
      );
      const published = events.publish.mock.calls.flatMap(
        ([e]) => (e.eventPayload as { ids: string[] }).ids,
      );
      expect(published).not.toContain(old);
      expect(published).not.toContain(scored);

      // Once incident-brief has stored every risk there is nothing to publish.
      await store.setChangeRisk(pending, riskBody);
      await store.setChangeRisk(young, riskBody);
      events.publish.mockClear();
      expect(await sweep.run()).toEqual({ published: 0 });
      expect(events.publish).not.toHaveBeenCalled();
    },
  );

  it.each(databases.eachSupportedId())(
    'publishes bounded batches oldest first and moves on past a full batch on %s',
    async databaseId => {
      const { clock, store, post, events } = await setUp(databaseId);
      const now = Date.parse(T);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(await post(`c${i}`, new Date(now - (10 - i) * HOUR)));
      }
      clock.now = new Date(now);
      const sweep = new RiskSweep({
        db: store.db,
        events,
        logger: mockServices.logger.mock(),
        clock: () => clock.now,
        batchSize: 2,
      });
      const batches: string[][] = [];
      for (let pass = 0; pass < 5; pass++) {
        events.publish.mockClear();
        await sweep.run();
        batches.push(
          events.publish.mock.calls.flatMap(
            ([e]) => (e.eventPayload as { ids: string[] }).ids,
          ),
        );
      }
      expect(batches).toEqual([
        [ids[0], ids[1]],
        [ids[2], ids[3]],
        [ids[4]],
        [ids[0], ids[1]],
        [ids[2], ids[3]],
      ]);
      // A full last batch wraps around on the next pass instead of publishing nothing.
      await store.setChangeRisk(ids[4], riskBody);
      events.publish.mockClear();
      await sweep.run();
      expect(events.publish).toHaveBeenCalledWith(
        changesEvent([ids[0], ids[1]]),
      );
    },
  );
});
