import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  EvidenceTestBackend,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const alice = mockCredentials.user.header('user:default/alice');
const mallory = mockCredentials.user.header('user:default/mallory');

/** Allows everything except for mallory, who holds no evidence permission. */
const denyMallory: PermissionsService = {
  authorize: async (requests, options) => {
    const principal = options?.credentials.principal as {
      userEntityRef?: string;
    };
    const denied = principal.userEntityRef === 'user:default/mallory';
    return requests.map(() => ({
      result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    })) as never;
  },
  authorizeConditional: async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })) as never,
};

interface Recorded {
  eventId: string;
  severityLevel?: string;
  meta?: AuditorServiceCreateEventOptions['meta'];
  outcome?: 'success' | 'fail';
  error?: string;
}

/** Every audit event the router created, and how it ended. */
function recordingAuditor() {
  const events: Recorded[] = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: Recorded = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta,
      };
      events.push(event);
      return {
        async success() {
          event.outcome = 'success';
        },
        async fail({ error }) {
          event.outcome = 'fail';
          event.error = error.message;
        },
      };
    },
  };
  return { auditor, events };
}

const change = (externalId: string) => ({
  entityRef: 'component:default/checkout-service',
  kind: 'deploy',
  environment: 'production',
  summary: 'Deploy checkout-service',
  actor: { type: 'bot', id: 'github-actions' },
  source: { system: 'github-actions', externalId },
  startedAt: '2026-03-14T01:40:00Z',
  status: 'started',
});

describe('evidence router audit events', () => {
  const [databaseId] = databases.eachSupportedId()[0];
  const { auditor, events } = recordingAuditor();
  let t: EvidenceTestBackend;

  beforeAll(async () => {
    t = await startEvidenceTestBackend(databases, databaseId, {
      permissions: denyMallory,
      auditor,
    });
  });

  afterAll(async () => {
    await t.stop();
  });

  beforeEach(() => {
    events.length = 0;
    jest.restoreAllMocks();
  });

  const api = (path: string) => `/api/evidence${path}`;

  it('completes an ingest event when the store throws, so no write stays begun for ever', async () => {
    jest
      .spyOn(t.store(), 'ingest')
      .mockRejectedValue(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
    const res = await request(t.server)
      .post(api('/changes'))
      .set('Authorization', alice)
      .set('Idempotency-Key', 'audit-throw-1')
      .send(change('audit-throw-1'));
    expect(res.status).toBe(500);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'evidence-ingest',
        outcome: 'fail',
        error: 'connect ECONNREFUSED 10.0.0.5:5432',
      }),
    ]);
  });

  it('completes a batch event when the store throws', async () => {
    jest
      .spyOn(t.store(), 'ingestBatch')
      .mockRejectedValue(new Error('database is gone'));
    const res = await request(t.server)
      .post(api('/changes/batch'))
      .set('Authorization', alice)
      .send({
        items: [{ idempotencyKey: 'audit-batch-1', ...change('b-1') }],
      });
    expect(res.status).toBe(500);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'evidence-ingest',
        meta: expect.objectContaining({ batch: true }),
        outcome: 'fail',
      }),
    ]);
  });

  it('audits a refused write as failed, and a refused read not at all', async () => {
    const ingest = await request(t.server)
      .post(api('/changes'))
      .set('Authorization', mallory)
      .set('Idempotency-Key', 'audit-refused-1')
      .send(change('audit-refused-1'));
    expect(ingest.status).toBe(403);
    const purge = await request(t.server)
      .delete(api('/demo'))
      .set('Authorization', mallory);
    expect(purge.status).toBe(403);
    const read = await request(t.server)
      .get(api('/changes'))
      .set('Authorization', mallory);
    expect(read.status).toBe(403);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'evidence-ingest',
        meta: { scope: 'changes' },
        outcome: 'fail',
      }),
      expect.objectContaining({
        eventId: 'evidence-demo-purge',
        severityLevel: 'high',
        outcome: 'fail',
      }),
    ]);
  });

  it('audits the admin writes: purge, reseed and a collector run, each completed', async () => {
    // this backend runs neither the demo nor a collector: each answers 404, audited as failed
    const purge = await request(t.server)
      .delete(api('/demo'))
      .set('Authorization', alice);
    const reseed = await request(t.server)
      .post(api('/demo/reseed'))
      .set('Authorization', alice);
    const run = await request(t.server)
      .post(api('/collectors/repo/run'))
      .set('Authorization', alice);
    expect([purge.status, reseed.status, run.status]).toEqual([404, 404, 404]);
    expect(events.map(e => [e.eventId, e.outcome])).toEqual([
      ['evidence-demo-purge', 'fail'],
      ['evidence-demo-reseed', 'fail'],
      ['evidence-collector-run', 'fail'],
    ]);
    expect(events[2].meta).toEqual({ collector: 'repo' });
  });

  it('audits a risk write, refused for anyone but the incident brief', async () => {
    const res = await request(t.server)
      .put(api('/changes/some-id/risk'))
      .set('Authorization', alice)
      .send({ score: 1 });
    expect(res.status).toBe(403);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'evidence-risk-write',
        meta: { id: 'some-id' },
        outcome: 'fail',
      }),
    ]);
  });
});
