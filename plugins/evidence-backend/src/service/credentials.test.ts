import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { fingerprint } from '@internal/plugin-evidence-common';
import request from 'supertest';
import {
  EvidenceTestBackend,
  T,
  entity,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const CHECKOUT = 'component:default/checkout-service';
const SECRET = 's3cr3t';
/** A URL as CI posts it, with a token in its userinfo. */
const url = (host: string, path = '/run/1') =>
  `https://ci:${SECRET}@${host}${path}`;
const redacted = (host: string, path = '/run/1') =>
  `https://***@${host}${path}`;

const user = mockCredentials.user.header('user:default/alice');

/** Every stored row of every evidence table, as text: where a credential would still sit. */
async function storedText(backend: EvidenceTestBackend): Promise<string> {
  const tables = [
    'evidence_facts',
    'evidence_fact_history',
    'evidence_changes',
    'evidence_edges',
    'evidence_ci_runs',
    'evidence_idempotency',
    'evidence_source_health',
    'evidence_source_health_log',
    'evidence_collection_status',
  ];
  const rows = await Promise.all(tables.map(t => backend.knex(t).select()));
  return JSON.stringify(rows);
}

function change() {
  return {
    entityRef: CHECKOUT,
    kind: 'deploy',
    environment: 'production',
    ref: `deployed from ${url('git.example.com', '/o/r')}`,
    version: `v1 ${url('v.example.com', '/')}`,
    summary: `Deploy ${url('ci.example.com')}`,
    actor: { type: 'bot', id: `//bot:${SECRET}@ci.example.com` },
    source: {
      system: 'github-actions',
      externalId: `run-1 ${url('ci.example.com')}`,
      url: url('ci.example.com'),
    },
    startedAt: '2026-03-14T01:40:00Z',
    status: 'started',
    correlationId: `https://ci.example.com/x?token=${SECRET}`,
    attributes: { artifactDigest: url('registry.example.com', '/img') },
  };
}

function fact() {
  return {
    entityRef: CHECKOUT,
    source: 'link-checker',
    kind: 'link.status',
    key: url('runbooks.example.com', '/checkout'),
    value: {
      status: 200,
      checked: [
        url('runbooks.example.com', '/a'),
        { href: url('h.example.com') },
      ],
      [url('k.example.com', '/')]: 'key too',
    },
    observedAt: '2026-03-14T02:00:00Z',
    provenance: {
      url: url('ci.example.com'),
      runId: `r ${url('r.example.com')}`,
    },
  };
}

function ciRun() {
  return {
    entityRef: CHECKOUT,
    provider: 'github-actions',
    runId: 'cred-1',
    attempt: 1,
    workflow: `build ${url('w.example.com')}`,
    branch: 'main',
    defaultBranch: true,
    commitSha: 'abc123',
    status: 'completed',
    conclusion: 'success',
    startedAt: '2026-03-14T01:00:00Z',
    finishedAt: '2026-03-14T01:10:00Z',
    url: url('ci.example.com', '/actions/runs/1'),
  };
}

function edge() {
  return {
    source: 'otel',
    client: 'checkout-service',
    server: url('db.example.com', '/'),
    connectionType: '' as const,
    lastSeen: '2026-03-14T02:00:00Z',
  };
}

describe.each(databases.eachSupportedId())(
  'credentials in evidence (%p)',
  databaseId => {
    let backend: EvidenceTestBackend;

    beforeAll(async () => {
      backend = await startEvidenceTestBackend(databases, databaseId, {
        entities: [entity('Component', 'checkout-service')],
      });
    });
    afterAll(() => backend?.stop());

    const post = (path: string, key: string | undefined, body: unknown) => {
      const req = request(backend.server)
        .post(`/api/evidence${path}`)
        .set('Authorization', user)
        .set('Content-Type', 'application/json');
      if (key) req.set('Idempotency-Key', key);
      return req.send(JSON.stringify(body));
    };
    const get = (path: string) =>
      request(backend.server)
        .get(`/api/evidence${path}`)
        .set('Authorization', user);

    it('stores and serves every field kind redacted; an identical retry replays', async () => {
      const first = {
        changes: await post('/changes', 'cred:change', change()),
        facts: await post('/facts', 'cred:fact', fact()),
        ciRuns: await post('/ci-runs', 'cred:ci', ciRun()),
        edges: await post('/edges/batch', undefined, {
          items: [{ idempotencyKey: 'cred:edge', ...edge() }],
        }),
      };
      expect(first.changes.status).toBe(201);
      expect(first.facts.status).toBe(201);
      expect(first.ciRuns.status).toBe(201);
      expect(first.edges.body.summary).toMatchObject({ created: 1 });

      const record = first.changes.body.record;
      expect(record).toMatchObject({
        ref: `deployed from ${redacted('git.example.com', '/o/r')}`,
        version: `v1 ${redacted('v.example.com', '/')}`,
        summary: `Deploy ${redacted('ci.example.com')}`,
        actor: { type: 'bot', id: '//***@ci.example.com' },
        source: {
          system: 'github-actions',
          externalId: `run-1 ${redacted('ci.example.com')}`,
          url: redacted('ci.example.com'),
        },
        correlationId: 'https://ci.example.com/x?token=***',
        attributes: {
          artifactDigest: redacted('registry.example.com', '/img'),
        },
      });
      expect(first.facts.body.record).toMatchObject({
        key: redacted('runbooks.example.com', '/checkout'),
        value: {
          checked: [
            redacted('runbooks.example.com', '/a'),
            { href: redacted('h.example.com') },
          ],
          [redacted('k.example.com', '/')]: 'key too',
        },
        provenance: {
          url: redacted('ci.example.com'),
          runId: `r ${redacted('r.example.com')}`,
        },
      });

      // Every read route serves what was stored, and nothing stored holds the secret.
      const reads = await Promise.all([
        get(`/changes/${record.id}`),
        get(`/changes?entityRef=${CHECKOUT}`),
        post('/changes/query', undefined, {
          entityRefs: [CHECKOUT],
          from: '2026-03-01T00:00:00Z',
          to: '2026-03-15T00:00:00Z',
        }),
        get(`/facts?entityRef=${CHECKOUT}`),
        get(`/facts/history?entityRef=${CHECKOUT}&kind=link.status`),
        get(`/ci-runs?entityRef=${CHECKOUT}`),
        get(`/edges?entityRef=${CHECKOUT}`),
        get('/edges/changes'),
        get('/edges/unmapped'),
        post('/read', undefined, {
          entityRefs: [CHECKOUT],
          include: ['facts', 'collection', 'edges', 'ledger', 'ledgerSummary'],
        }),
        get(`/entities/component/default/checkout-service`),
      ]);
      for (const read of reads) {
        expect(read.status).toBe(200);
        expect(read.text).not.toContain(SECRET);
      }
      expect(reads[0].body.record.source.url).toBe(redacted('ci.example.com'));
      expect(reads[5].text).toContain(
        redacted('ci.example.com', '/actions/runs/1'),
      );
      expect(reads[6].text).toContain(redacted('db.example.com', '/'));
      expect(await storedText(backend)).not.toContain(SECRET);

      // The identical retries replay the first answers, byte for byte.
      const retries = {
        changes: await post('/changes', 'cred:change', change()),
        facts: await post('/facts', 'cred:fact', fact()),
        ciRuns: await post('/ci-runs', 'cred:ci', ciRun()),
        edges: await post('/edges/batch', undefined, {
          items: [{ idempotencyKey: 'cred:edge', ...edge() }],
        }),
      };
      for (const scope of ['changes', 'facts', 'ciRuns'] as const) {
        expect(retries[scope].status).toBe(200);
        expect(retries[scope].headers['idempotent-replayed']).toBe('true');
        expect(retries[scope].text).toBe(first[scope].text);
      }
      expect(retries.edges.body.summary).toMatchObject({ replayed: 1 });
      // A re-send under a new key finds the same natural key: no second record.
      const resent = await post('/changes', 'cred:change:2', change());
      expect(resent.status).toBe(200);
      expect(resent.body.unchanged).toBe(true);
      expect(resent.body.record.id).toBe(record.id);
    });

    it('replays a key claimed before bodies were redacted', async () => {
      const body = {
        ...change(),
        source: { ...change().source, externalId: 'legacy-1' },
      };
      const answer = JSON.stringify({ record: { id: 'legacy' }, warnings: [] });
      // As the store wrote it before: the fingerprint of the body as received.
      await backend.knex('evidence_idempotency').insert({
        scope: 'changes',
        idem_key: 'cred:legacy',
        fingerprint: fingerprint(body),
        status_code: 201,
        response_json: answer,
        principal: 'user:default/alice',
        created_ms: Date.parse(T),
        expires_ms: Date.parse(T) + 86400_000,
      });
      const retry = await post('/changes', 'cred:legacy', body);
      expect(retry.status).toBe(200);
      expect(retry.text).toBe(answer);
      const other = await post('/changes', 'cred:legacy', {
        ...body,
        summary: 'another body',
      });
      expect(other.status).toBe(409);
    });

    it('accepts a field at its maximum that redaction lengthens, cut back to it; a pre-upgrade key of it replays', async () => {
      // `a@` becomes `***@`: two characters longer than the 200 the sender kept to.
      const summary = 'Deploy https://a@ci.example.com/run/1 '.padEnd(200, 'x');
      const body = {
        ...change(),
        summary,
        source: { ...change().source, externalId: 'long-1' },
      };
      const first = await post('/changes', 'cred:long', body);
      expect(first.status).toBe(201);
      expect(first.body.record.summary).toBe(
        'Deploy https://***@ci.example.com/run/1 '.padEnd(200, 'x'),
      );
      expect((await post('/changes', 'cred:long', body)).status).toBe(200);
      // In a batch too.
      const batch = await post('/changes/batch', undefined, {
        items: [
          {
            idempotencyKey: 'cred:long-batch',
            ...body,
            source: { ...body.source, externalId: 'long-2' },
          },
        ],
      });
      expect(batch.status).toBe(200);
      expect(batch.body.results[0].status).toBe(201);

      const legacy = {
        ...body,
        source: { ...body.source, externalId: 'long-0' },
      };
      const answer = JSON.stringify({ record: { id: 'legacy' }, warnings: [] });
      await backend.knex('evidence_idempotency').insert({
        scope: 'changes',
        idem_key: 'cred:long-legacy',
        fingerprint: fingerprint(legacy),
        status_code: 201,
        response_json: answer,
        principal: 'user:default/alice',
        created_ms: Date.parse(T),
        expires_ms: Date.parse(T) + 86400_000,
      });
      const retry = await post('/changes', 'cred:long-legacy', legacy);
      expect(retry.status).toBe(200);
      expect(retry.text).toBe(answer);

      // A body over the limit as received is still refused, with the redacted text.
      const over = await post('/changes', 'cred:long-over', {
        ...body,
        summary: `${summary}y`,
      });
      expect(over.status).toBe(400);
      expect(over.text).not.toContain('https://a@');
    });

    it('validates a risk as sent, then redacts it: a field at its maximum is not refused for the mask', async () => {
      const brief = mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:incident-brief'),
        targetPluginId: 'evidence',
      });
      const newChange = async (externalId: string) => {
        const created = await post('/changes', `cred:risk:${externalId}`, {
          ...change(),
          source: { ...change().source, externalId },
        });
        expect(created.status).toBe(201);
        return created.body.record.id as string;
      };
      const putRisk = (id: string, reason: string, tier = 'Low') =>
        request(backend.server)
          .put(`/api/evidence/changes/${id}/risk`)
          .set('Authorization', brief)
          .send({
            modelVersion: 'risk/1',
            score: 3,
            tier,
            lowConfidence: false,
            dimensions: [{ id: 'D1', value: 1, unknown: false, reason }],
            floorsApplied: [],
          });

      // `a@` becomes `***@`: two characters over the 1024 the sender kept to.
      const atMax = 'deployed by https://a@ci.example.com/run/1 '.padEnd(
        1024,
        'x',
      );
      const id = await newChange('risk-1');
      const set = await putRisk(id, atMax);
      expect(set.status).toBe(200);
      const stored = set.body.record.risk.dimensions[0].reason;
      expect(stored).toBe(
        'deployed by https://***@ci.example.com/run/1 '.padEnd(1024, 'x'),
      );
      // Write-once: the same body again is the same risk.
      expect((await putRisk(id, atMax)).status).toBe(200);
      expect(
        JSON.parse(
          (await backend.knex('evidence_changes').where({ id }).first())
            .risk_json,
        ).dimensions[0].reason,
      ).toBe(stored);

      // Over the limit as sent, though the mask would shorten it under: refused, and the
      // message counts what was sent, quoting no credential.
      const over = await putRisk(
        await newChange('risk-2'),
        `deployed by ${url('ci.example.com')} `.padEnd(1025, 'x'),
      );
      expect(over.status).toBe(400);
      expect(over.body.error.message).toBe(
        'dimensions[0].reason must be at most 1024 characters (got 1025)',
      );
      const badTier = await putRisk(await newChange('risk-3'), 'ok', url('h'));
      expect(badTier.status).toBe(400);
      expect(badTier.body.error.message).toContain(redacted('h'));
      expect(badTier.text).not.toContain(SECRET);
    });

    it('redacts what collectors write: facts, edges, run errors and entity details', async () => {
      const store = backend.store();
      const at = new Date(T);
      await store.writeFact({
        entityRef: CHECKOUT,
        source: 'repo',
        kind: 'repo.files',
        value: { remote: url('github.com', '/o/r') },
        observedAt: at,
        collectedAt: at,
        provenance: { url: url('github.com', '/o/r/blob/main') },
      });
      await store.writeEdges(
        'prometheus',
        [{ ...edge(), client: url('c.example.com', '/') }],
        at,
      );
      await store.recordSourceRun({
        source: 'prometheus',
        outcome: 'unavailable',
        at,
        error: `GET ${url('prometheus.example.com', '/api')} failed`,
      });
      await store.recordCollectionStatus({
        entityRef: CHECKOUT,
        source: 'repo',
        at,
        succeeded: false,
        error: 'access-denied',
        detail: `Request failed for https://u:ab/${SECRET}@host/o/r?private_token=${SECRET}, 403`,
      });
      const reads = await Promise.all([
        get('/sources'),
        post('/read', undefined, {
          entityRefs: [CHECKOUT],
          include: ['facts', 'collection', 'edges'],
        }),
        get('/edges?includeStale=true'),
      ]);
      for (const read of reads) {
        expect(read.status).toBe(200);
        expect(read.text).not.toContain(SECRET);
      }
      expect(reads[0].text).toContain(
        `GET ${redacted('prometheus.example.com', '/api')} failed`,
      );
      expect(reads[1].text).toContain(redacted('github.com', '/o/r'));
      expect(reads[1].text).toContain(
        'Request failed for https://***@host/o/r?private_token=***, 403',
      );
      expect(await storedText(backend)).not.toContain(SECRET);
    });
  },
);
