import { mockServices } from '@backstage/backend-test-utils';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { ReadinessFactWriter } from './ReadinessFactWriter';
import { ReadinessReport } from './IncidentReadinessChecker';

const report = (entityRef: string, message = 'no on-call'): ReadinessReport =>
  ({
    entityRef,
    gaps: [{ code: 'NO_ONCALL', severity: 'error', message }],
  } as unknown as ReadinessReport);

/** An evidence client whose writeFacts answers each item with the status `statusOf` gives. */
function evidenceAnswering(statusOf: (entityRef: string) => number) {
  const sent: string[] = [];
  const service = {
    writeFacts: async (items: { entityRef: string }[]) => ({
      results: items.map((item, index) => {
        sent.push(item.entityRef);
        const status = statusOf(item.entityRef);
        return {
          index,
          status,
          ...(status >= 400
            ? { error: { message: 'value.gaps invalid' } }
            : {}),
        };
      }),
    }),
  } as unknown as EvidenceService;
  return { service, sent };
}

describe('ReadinessFactWriter', () => {
  let now = 0;
  const writerWith = (service: EvidenceService) => {
    const logger = mockServices.logger.mock();
    const writer = new ReadinessFactWriter({
      evidence: service,
      logger,
      rewriteAfterMs: 3600_000,
      flushDelayMs: 60_000,
      now: () => now,
    });
    return { writer, logger };
  };

  beforeEach(() => {
    now = Date.parse('2026-12-04T10:00:00Z');
  });

  it('a refused report is sent and logged once per rewrite period, not on every pass; a changed report is sent again', async () => {
    const { service, sent } = evidenceAnswering(ref =>
      ref.endsWith('bad') ? 400 : 201,
    );
    const { writer, logger } = writerWith(service);
    for (let pass = 0; pass < 3; pass++) {
      writer.enqueue(report('component:default/bad'));
      writer.enqueue(report('component:default/good'));
      await writer.flush();
      now += 60_000;
    }
    expect(sent).toEqual(['component:default/bad', 'component:default/good']);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'incident.readiness fact for component:default/bad refused: value.gaps invalid',
    );

    // the report changed: it may be accepted now
    writer.enqueue(report('component:default/bad', 'no escalation'));
    await writer.flush();
    expect(sent).toHaveLength(3);

    // after the rewrite period the same refused report is tried once more
    now += 3600_000;
    writer.enqueue(report('component:default/bad', 'no escalation'));
    await writer.flush();
    expect(sent).toHaveLength(4);
  });

  it.each([409])(
    'a report in conflict (%i: state that can change) is tried again on the next pass',
    async status => {
      const { service, sent } = evidenceAnswering(() => status);
      const { writer } = writerWith(service);
      writer.enqueue(report('component:default/a'));
      await writer.flush();
      writer.enqueue(report('component:default/a'));
      await writer.flush();
      expect(sent).toEqual(['component:default/a', 'component:default/a']);
    },
  );

  it('forgets writes and refusals once they are older than the rewrite period, so entities gone from the catalog are not kept for ever', async () => {
    const { service, sent } = evidenceAnswering(ref =>
      ref.endsWith('bad') ? 400 : 201,
    );
    const { writer } = writerWith(service);
    // the writer's private memory, by entity ref
    const memory = writer as unknown as Record<
      'written' | 'refused',
      Map<string, unknown>
    >;
    const remembered = () => ({
      written: [...memory.written.keys()],
      refused: [...memory.refused.keys()],
    });
    for (const name of ['a', 'b', 'bad']) {
      writer.enqueue(report(`component:default/${name}`));
    }
    await writer.flush();
    expect(remembered()).toEqual({
      written: ['component:default/a', 'component:default/b'],
      refused: ['component:default/bad'],
    });

    // b is written again with new gaps later on: it moves to the end and stays
    now += 1800_000;
    writer.enqueue(report('component:default/b', 'no escalation'));
    await writer.flush();
    expect(remembered().written).toEqual([
      'component:default/a',
      'component:default/b',
    ]);

    // a and bad (deleted from the catalog meanwhile) are never enqueued again
    now += 1800_000;
    writer.enqueue(report('component:default/b', 'no escalation'));
    expect(remembered()).toEqual({
      written: ['component:default/b'],
      refused: [],
    });
    await writer.flush();
    // b's report is still recent: not sent again
    expect(sent).toEqual([
      'component:default/a',
      'component:default/b',
      'component:default/bad',
      'component:default/b',
    ]);
  });

  it('a batch that failed as a whole (an outage, a 403 or 5xx of the batch) is tried again on the next pass, and the outage logged once, not every flush', async () => {
    let calls = 0;
    let down = true;
    const answering = evidenceAnswering(() => 201).service;
    const service = {
      writeFacts: async (
        ...args: Parameters<EvidenceService['writeFacts']>
      ) => {
        calls++;
        if (down) throw new Error('evidence unavailable: 503');
        return answering.writeFacts(...args);
      },
    } as unknown as EvidenceService;
    const { writer, logger } = writerWith(service);
    // A flush every 2 s for a minute of outage.
    for (let flush = 0; flush < 30; flush++) {
      writer.enqueue(report('component:default/a'));
      await writer.flush();
      now += 2_000;
    }
    expect(calls).toBe(30);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'could not write incident.readiness facts; retried on the next pass: Error: evidence unavailable: 503',
    );
    down = false;
    writer.enqueue(report('component:default/a'));
    await writer.flush();
    expect(logger.info).toHaveBeenCalledWith(
      'incident.readiness facts written again (after 1 min)',
    );
  });
});
