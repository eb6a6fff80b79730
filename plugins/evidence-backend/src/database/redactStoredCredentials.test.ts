import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  canonicalJson,
  fingerprint,
  redactCredentials,
} from '@internal/plugin-evidence-common';
import request from 'supertest';
import {
  EvidenceTestBackend,
  T,
  entity,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { ConfigReader } from '@backstage/config';
import { EvidenceStore } from './EvidenceStore';
import {
  REDACTED_TABLES,
  ROLLOUT_WINDOW_MS,
  collisionRecordName,
  redactStoredCredentials,
  startCredentialRedaction,
} from './redactStoredCredentials';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const CHECKOUT = 'component:default/checkout-service';
const SECRET = 's3cr3t';
const user = mockCredentials.user.header('user:default/alice');

describe.each(databases.eachSupportedId())(
  'redactStoredCredentials (%p)',
  databaseId => {
    let backend: EvidenceTestBackend;
    beforeAll(async () => {
      backend = await startEvidenceTestBackend(databases, databaseId, {
        entities: [entity('Component', 'checkout-service')],
      });
      // The pass the backend started over its empty store.
      await backend.store().credentialRedaction;
    });
    const MARKER = 'redacted-credentials-v1';
    const logger = () => {
      const lines: string[] = [];
      const log = (level: string) => (m: string) => lines.push(`${level} ${m}`);
      return {
        lines,
        info: log('info'),
        warn: log('warn'),
        error: log('error'),
      };
    };
    afterAll(() => backend?.stop());

    const post = (path: string, key: string | undefined, body: unknown) => {
      const req = request(backend.server)
        .post(`/api/evidence${path}`)
        .set('Authorization', user)
        .set('Content-Type', 'application/json');
      if (key) req.set('Idempotency-Key', key);
      return req.send(JSON.stringify(body));
    };

    const fact = (key: string) => ({
      entityRef: CHECKOUT,
      source: 'link-checker',
      kind: 'link.status',
      key,
      value: { links: ['https://k.example.com/a'], status: 200 },
      observedAt: '2026-03-14T02:00:00Z',
      provenance: { url: 'https://ci.example.com/run/1' },
    });

    it('redacts rows stored before ingestion did, once', async () => {
      // Rows as ingestion wrote them before: written clean, then given credentials in place.
      expect(
        (
          await post('/changes', 'old:change', {
            entityRef: CHECKOUT,
            kind: 'deploy',
            ref: 'https://git.example.com/o/r',
            summary: 'Deploy https://ci.example.com/run/1',
            actor: { type: 'bot', id: 'gha' },
            source: {
              system: 'gha',
              externalId: 'old-1',
              url: 'https://ci.example.com/run/1',
            },
            startedAt: '2026-03-14T01:40:00Z',
            status: 'started',
            attributes: { artifactDigest: 'https://registry.example.com/i' },
          })
        ).status,
      ).toBe(201);
      expect(
        (await post('/facts', 'old:fact', fact('https://k.example.com/key')))
          .status,
      ).toBe(201);
      // a key that redacted equals another fact's: left, and counted
      expect(
        (await post('/facts', 'old:fact2', fact('https://***@k.example.com/x')))
          .status,
      ).toBe(201);
      expect(
        (await post('/facts', 'old:fact3', fact('https://k.example.com/x')))
          .status,
      ).toBe(201);
      await backend.store().recordSourceRun({
        source: 'prometheus',
        outcome: 'unavailable',
        at: new Date(T),
        error: 'GET https://prometheus.example.com/api failed',
      });
      const knex = backend.knex;
      for (const spec of REDACTED_TABLES) {
        for (const column of [
          ...Object.keys(spec.text),
          ...(spec.json ?? []),
          ...(spec.plainJson ?? []),
        ]) {
          await knex(spec.table).update({
            [column]: knex.raw(`replace(??, ?, ?)`, [
              column,
              'https://',
              `https://ci:${SECRET}@`,
            ]),
          });
        }
      }
      const stored = async () =>
        JSON.stringify(
          await Promise.all(REDACTED_TABLES.map(s => knex(s.table).select())),
        );
      expect(await stored()).toContain(SECRET);

      await knex('evidence_sequences')
        .where({ name: 'redacted-credentials-v1' })
        .delete();
      const now = Date.parse(T) + 60_000;
      const log = logger();
      const summary = (await startCredentialRedaction({
        db: knex,
        now,
        logger: log,
      }))!;
      expect(summary.ran).toBe(true);
      expect(summary.rewritten).toBeGreaterThan(5);

      // Only the natural key of the fact whose key collided still holds its credentials; its
      // value and provenance are redacted, and the log names it.
      const left = await knex('evidence_facts').where(
        'fact_key',
        'like',
        `%${SECRET}%`,
      );
      // (which of the two keeps its key depends on the order of their ids)
      expect(left).toHaveLength(1);
      expect(left[0].fact_key).toMatch(/@k\.example\.com\/x$/);
      expect(`${left[0].value_json}${left[0].provenance_json}`).not.toContain(
        SECRET,
      );
      expect(left[0].value_fp).toBe(
        fingerprint(JSON.parse(left[0].value_json)),
      );
      expect(summary.collisions).toEqual([
        { table: 'evidence_facts', key: { id: left[0].id } },
      ]);
      expect(log.lines).toContainEqual(
        `warn evidence: evidence_facts row {"id":"${left[0].id}"} keeps URL credentials in its natural key: redacted, it would equal another row's (its other columns are redacted)`,
      );
      await knex('evidence_facts').where({ id: left[0].id }).delete();
      await knex('evidence_fact_history')
        .where({ fact_key: left[0].fact_key })
        .delete();
      expect(await stored()).not.toContain(SECRET);

      const facts = await knex('evidence_facts').select();
      for (const row of facts) {
        expect(row.value_fp).toBe(fingerprint(JSON.parse(row.value_json)));
      }
      const redactedFact = facts.find(
        r => r.fact_key === 'https://***@k.example.com/key',
      );
      expect(JSON.parse(redactedFact.value_json)).toEqual({
        links: ['https://***@k.example.com/a'],
        status: 200,
      });
      expect(Number(redactedFact.updated_ms)).toBe(now);
      const change = await knex('evidence_changes').first();
      expect(change.source_url).toBe('https://***@ci.example.com/run/1');
      expect(JSON.parse(change.attributes_json)).toEqual({
        artifactDigest: 'https://***@registry.example.com/i',
      });

      // The same fact sent again with its credentials re-confirms it: no new version.
      const again = await post('/facts', 'new:fact', {
        ...fact(`https://ci:${SECRET}@k.example.com/key`),
        value: { links: [`https://ci:${SECRET}@k.example.com/a`], status: 200 },
      });
      expect(again.status).toBe(200);
      expect(again.body.record.id).toBe(redactedFact.id);
      // A retry of a key stored before is answered with its redacted response.
      const replay = await post('/changes', 'old:change', {});
      expect(replay.status).toBe(400);

      // Done: a start after the rollout window reads the marker only.
      expect(
        await redactStoredCredentials(knex, now + ROLLOUT_WINDOW_MS),
      ).toEqual({ ran: false, rewritten: 0, collisions: [], stopped: false });
    });

    it('redacts `subject`, which holds `alias:<alias>` for evidence posted under an alias', async () => {
      expect(
        (await post('/facts', 'subject:fact', fact('subject'))).status,
      ).toBe(201);
      const alias = `https://ci:${SECRET}@alerts.example.com/checkout`;
      for (const table of ['evidence_facts', 'evidence_fact_history']) {
        await backend
          .knex(table)
          .where({ fact_key: 'subject' })
          .update({ subject: `alias:${alias}`, resolution: 'unresolved' });
      }
      const summary = await redactStoredCredentials(
        backend.knex,
        Date.parse(T) + 120_000,
      );
      expect(summary.ran).toBe(true);
      for (const table of ['evidence_facts', 'evidence_fact_history']) {
        const rows = await backend.knex(table).where({ fact_key: 'subject' });
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          expect(row.subject).toBe(
            'alias:https://***@alerts.example.com/checkout',
          );
        }
      }
    });

    it("redacts CI runs' subject, repository and provider, and changes' environment", async () => {
      const knex = backend.knex;
      const token = 'ghp_xxx';
      const run = await post('/ci-runs', 'columns:ci', {
        repository: 'github.com/acme/checkout',
        provider: 'gha',
        runId: 'columns-1',
        attempt: 1,
        workflow: 'ci',
        branch: 'main',
        defaultBranch: true,
        commitSha: 'abc123',
        status: 'queued',
      });
      expect(run.status).toBe(201);
      const repository = `https://ci:${token}@ci.example.com/acme/checkout`;
      await knex('evidence_ci_runs')
        .where({ id: run.body.record.id })
        .update({
          repository,
          subject: `repo:${repository}`,
          provider: `//ci:${token}@gha`,
        });
      const deploy = await post('/changes', 'columns:change', {
        entityRef: CHECKOUT,
        kind: 'deploy',
        ref: 'main',
        summary: 'Deploy',
        actor: { type: 'bot', id: 'gha' },
        source: { system: 'gha', externalId: 'columns-1' },
        startedAt: '2026-03-14T01:40:00Z',
        status: 'started',
        attributes: { artifactDigest: 'sha256:1' },
      });
      expect(deploy.status).toBe(201);
      await knex('evidence_changes')
        .where({ id: deploy.body.record.id })
        .update({
          environment: `https://ci:${token}@ci.example.com/prod`,
          environment_raw: `https://ci:${token}@ci.example.com/PROD`,
        });

      const summary = await redactStoredCredentials(
        knex,
        Date.parse(T) + 150_000,
      );
      expect(summary.ran).toBe(true);
      const storedRun = await knex('evidence_ci_runs')
        .where({ id: run.body.record.id })
        .first();
      expect(storedRun).toMatchObject({
        repository: 'https://***@ci.example.com/acme/checkout',
        subject: 'repo:https://***@ci.example.com/acme/checkout',
        provider: '//***@gha',
      });
      const storedChange = await knex('evidence_changes')
        .where({ id: deploy.body.record.id })
        .first();
      expect(storedChange).toMatchObject({
        environment: 'https://***@ci.example.com/prod',
        environment_raw: 'https://***@ci.example.com/PROD',
      });
      await knex('evidence_ci_runs').where({ id: run.body.record.id }).delete();
      await knex('evidence_changes')
        .where({ id: deploy.body.record.id })
        .delete();
    });

    it("redacts coverage with its changes' environment, merging the counts of keys that collide", async () => {
      const knex = backend.knex;
      const redacted = 'https://***@h';
      // Three deploys stored before ingestion redacted: two under environments differing only in
      // their credentials, one (from a new replica) under the redacted environment already. The
      // latest is under a credentialed one, so the merge must keep its last time.
      const deploys = [
        { environment: 'https://u:p@h', startedAt: '2026-03-14T01:00:00Z' },
        { environment: redacted, startedAt: '2026-03-14T01:20:00Z' },
        { environment: 'https://v:q@h', startedAt: '2026-03-14T01:40:00Z' },
      ];
      for (const [i, { environment, startedAt }] of deploys.entries()) {
        const placeholder = `coverage-${i}`;
        const posted = await post('/changes', `coverage:${i}`, {
          entityRef: CHECKOUT,
          kind: 'deploy',
          environment: placeholder,
          ref: 'main',
          summary: 'Deploy',
          actor: { type: 'bot', id: 'gha' },
          source: { system: 'gha', externalId: `coverage-${i}` },
          startedAt,
          status: 'started',
          attributes: { artifactDigest: 'sha256:1' },
        });
        expect(posted.status).toBe(201);
        for (const table of ['evidence_changes', 'evidence_change_coverage']) {
          await knex(table)
            .where({ environment: placeholder })
            .update({ environment });
        }
      }
      const coverageRows = () =>
        knex('evidence_change_coverage')
          .where({ entity_ref: CHECKOUT, kind: 'deploy' })
          .andWhere('environment', 'like', 'https://%@h')
          .select();
      expect(await coverageRows()).toHaveLength(3);
      const summary = async () => {
        const res = await request(backend.server)
          .get('/api/evidence/changes/summary')
          .query({ entityRefs: CHECKOUT, environment: redacted })
          .set('Authorization', user);
        expect(res.status).toBe(200);
        return res.body.summaries[CHECKOUT];
      };
      await knex('evidence_sequences').where({ name: MARKER }).delete();

      const now = Date.parse(T) + 360_000;
      expect((await redactStoredCredentials(knex, now)).ran).toBe(true);

      const expectMerged = async () => {
        const rows = await coverageRows();
        expect(rows).toHaveLength(1);
        expect(rows[0].environment).toBe(redacted);
        expect(Number(rows[0].count)).toBe(3);
        expect(Number(rows[0].first_ms)).toBe(Date.parse(deploys[0].startedAt));
        expect(Number(rows[0].last_ms)).toBe(Date.parse(deploys[2].startedAt));
        const changes = await knex('evidence_changes').where(
          'external_id',
          'like',
          'coverage-%',
        );
        expect(changes.map(c => c.environment)).toEqual([
          redacted,
          redacted,
          redacted,
        ]);
        // The reader's environment filter finds the changes and their coverage under one key.
        const read = await summary();
        expect(read.coverage.deploy).toEqual({
          firstAt: new Date(deploys[0].startedAt).toISOString(),
          lastAt: new Date(deploys[2].startedAt).toISOString(),
          count: 3,
        });
        expect(read.lastChange.environment).toBe(redacted);
        expect(read.lastChange.startedAt).toBe(
          new Date(deploys[2].startedAt).toISOString(),
        );
      };
      await expectMerged();

      // A start within the rollout window runs the pass again and leaves the merged row as it is.
      expect((await redactStoredCredentials(knex, now + 86_400_000)).ran).toBe(
        true,
      );
      await expectMerged();

      await knex('evidence_changes')
        .where('external_id', 'like', 'coverage-%')
        .delete();
      await knex('evidence_change_coverage')
        .where({ environment: redacted })
        .delete();
    });

    it("redacts coverage under an alias as its changes' `alias:` subject, merging the counts of keys that collide", async () => {
      const knex = backend.knex;
      const environment = 'alias-coverage';
      // As sent: the case change makes `keyId` secret to ingestion, which masks it and then
      // lower-cases the alias; the previous version stored it lower-cased as received.
      const sent = (userinfo: string) =>
        `https://${userinfo}@H.example/x?keyId=${SECRET}`;
      const redactedAlias = 'https://***@h.example/x?keyid=***';
      const subject = `alias:${redactedAlias}`;
      // Three deploys under the alias: two stored before ingestion redacted, under aliases
      // differing only in their credentials, one posted now. The latest is a credentialed one,
      // so the merge must keep its last time.
      const deploys = [
        { alias: sent(`ci:${SECRET}`), startedAt: '2026-03-14T01:00:00Z' },
        { alias: sent('ci:other'), startedAt: '2026-03-14T01:20:00Z' },
        { alias: sent(`u:${SECRET}`), startedAt: '2026-03-14T01:40:00Z' },
      ];
      const coverageRows = () =>
        knex('evidence_change_coverage').where({ environment }).select();
      const postDeploy = async (i: number, alias: string) => {
        const posted = await post('/changes', `alias-coverage:${i}`, {
          alias,
          kind: 'deploy',
          environment,
          ref: 'main',
          summary: 'Deploy',
          actor: { type: 'bot', id: 'gha' },
          source: { system: 'gha', externalId: `alias-coverage-${i}` },
          startedAt: deploys[i].startedAt,
          status: 'started',
          attributes: { artifactDigest: 'sha256:1' },
        });
        expect(posted.status).toBe(201);
        return posted.body.record;
      };
      for (const i of [0, 2]) {
        // Posted under a placeholder, then given the alias as the previous version stored it.
        const placeholder = `alias-coverage-${i}`;
        const record = await postDeploy(i, placeholder);
        const lower = deploys[i].alias.toLowerCase();
        await knex('evidence_changes')
          .where({ id: record.id })
          .update({ alias: lower, subject: `alias:${lower}` });
        await knex('evidence_change_coverage')
          .where({ entity_ref: `alias:${placeholder}`, environment })
          .update({ entity_ref: `alias:${lower}` });
      }
      // Ingestion counts a change under its redacted, lower-cased alias subject.
      expect((await postDeploy(1, deploys[1].alias)).alias).toBe(redactedAlias);
      expect((await coverageRows()).map(r => r.entity_ref)).toContain(subject);
      expect(await coverageRows()).toHaveLength(3);
      expect(JSON.stringify(await coverageRows())).toContain(SECRET);
      await knex('evidence_sequences').where({ name: MARKER }).delete();

      const now = Date.parse(T) + 380_000;
      expect((await redactStoredCredentials(knex, now)).ran).toBe(true);

      // The entity claiming the (redacted) alias reads the changes and their coverage.
      const summary = async () => {
        const res = await request(backend.server)
          .get('/api/evidence/changes/summary')
          .query({ entityRefs: CHECKOUT, environment })
          .set('Authorization', user);
        expect(res.status).toBe(200);
        return res.body.summaries[CHECKOUT];
      };
      const expectMerged = async () => {
        const rows = await coverageRows();
        expect(JSON.stringify(rows)).not.toContain(SECRET);
        expect(
          rows.map(r => ({
            entityRef: r.entity_ref,
            first: Number(r.first_ms),
            last: Number(r.last_ms),
            count: Number(r.count),
          })),
        ).toEqual([
          {
            entityRef: subject,
            first: Date.parse(deploys[0].startedAt),
            last: Date.parse(deploys[2].startedAt),
            count: 3,
          },
        ]);
        const changes = await knex('evidence_changes').where({ environment });
        expect(changes.map(c => c.subject)).toEqual([
          subject,
          subject,
          subject,
        ]);
        const read = await summary();
        expect(read.coverage.deploy).toEqual({
          firstAt: new Date(deploys[0].startedAt).toISOString(),
          lastAt: new Date(deploys[2].startedAt).toISOString(),
          count: 3,
        });
        expect(read.lastChange.alias).toBe(redactedAlias);
        expect(read.lastChange.startedAt).toBe(
          new Date(deploys[2].startedAt).toISOString(),
        );
      };
      backend.resolver.rebuild([
        entity('Component', 'checkout-service', {
          'ops.example.com/aliases': redactedAlias,
        }),
      ]);
      try {
        await expectMerged();
        // A start within the rollout window runs the pass again and leaves the merged row.
        expect(
          (await redactStoredCredentials(knex, now + 86_400_000)).ran,
        ).toBe(true);
        await expectMerged();
      } finally {
        backend.resolver.rebuild([entity('Component', 'checkout-service')]);
        await knex('evidence_changes').where({ environment }).delete();
        await knex('evidence_change_coverage').where({ environment }).delete();
      }
    });

    it("keeps a collided fact's history with it and logs the collision once", async () => {
      const knex = backend.knex;
      const clean = 'https://***@k.example.com/hist';
      const credentialed = `https://ci:${SECRET}@k.example.com/hist`;
      // Two facts whose keys differ only in their credentials, each with a history row: the
      // credentialed one stored before ingestion redacted.
      expect((await post('/facts', 'hist:clean', fact(clean))).status).toBe(
        201,
      );
      expect(
        (await post('/facts', 'hist:old', fact('https://k.example.com/hist')))
          .status,
      ).toBe(201);
      const staleValue = `{"links":["https://ci:${SECRET}@k.example.com/a"],"status":200}`;
      for (const table of ['evidence_facts', 'evidence_fact_history']) {
        await knex(table)
          .where({ fact_key: 'https://k.example.com/hist' })
          .update({ fact_key: credentialed, value_json: staleValue });
      }
      const collided = await knex('evidence_facts')
        .where({ fact_key: credentialed })
        .first();
      const history = (key: string) =>
        knex('evidence_fact_history').where({ fact_key: key });
      await knex('evidence_sequences').where({ name: MARKER }).delete();

      const first = logger();
      const now = Date.parse(T) + 300_000;
      const summary = (await startCredentialRedaction({
        db: knex,
        now,
        logger: first,
      }))!;
      expect(summary.collisions).toEqual([
        { table: 'evidence_facts', key: { id: collided.id } },
      ]);
      expect(first.lines.filter(l => l.startsWith('warn'))).toEqual([
        `warn evidence: evidence_facts row {"id":"${collided.id}"} keeps URL credentials in its natural key: redacted, it would equal another row's (its other columns are redacted)`,
      ]);
      // The collided fact's history stays its own, its values redacted; the other fact's
      // history is only its own row.
      const kept = await history(credentialed);
      expect(kept).toHaveLength(1);
      expect(JSON.parse(kept[0].value_json)).toEqual({
        links: ['https://***@k.example.com/a'],
        status: 200,
      });
      expect(kept[0].value_fp).toBe(
        fingerprint(JSON.parse(kept[0].value_json)),
      );
      expect(await history(clean)).toHaveLength(1);

      // A start within the rollout window runs the pass again but does not log it again.
      const again = logger();
      const second = (await startCredentialRedaction({
        db: knex,
        now: now + 86_400_000,
        logger: again,
      }))!;
      expect(second).toMatchObject({ ran: true, collisions: [] });
      expect(again.lines.filter(l => l.startsWith('warn'))).toEqual([]);
      expect(await history(credentialed)).toHaveLength(1);
      expect(await history(clean)).toHaveLength(1);

      for (const key of [clean, credentialed]) {
        await knex('evidence_facts').where({ fact_key: key }).delete();
        await history(key).delete();
      }
    });

    it("does not move a deleted fact's history onto the key of the fact it collided with, and logs it once", async () => {
      const knex = backend.knex;
      const clean = 'https://***@k.example.com/gone';
      const credentialed = `https://ci:${SECRET}@k.example.com/gone`;
      expect((await post('/facts', 'gone:clean', fact(clean))).status).toBe(
        201,
      );
      expect(
        (await post('/facts', 'gone:old', fact('https://k.example.com/gone')))
          .status,
      ).toBe(201);
      for (const table of ['evidence_facts', 'evidence_fact_history']) {
        await knex(table)
          .where({ fact_key: 'https://k.example.com/gone' })
          .update({ fact_key: credentialed });
      }
      const history = (key: string) =>
        knex('evidence_fact_history').where({ fact_key: key });
      await knex('evidence_sequences').where({ name: MARKER }).delete();
      const now = Date.parse(T) + 480_000;
      expect((await redactStoredCredentials(knex, now)).collisions).toEqual([
        {
          table: 'evidence_facts',
          key: {
            id: (
              await knex('evidence_facts')
                .where({ fact_key: credentialed })
                .first()
            ).id,
          },
        },
      ]);
      // The collided fact is deleted (by the API or retention); its history stays.
      await knex('evidence_facts').where({ fact_key: credentialed }).delete();

      // A start within the rollout window runs the pass again, and logs the history it keeps.
      const held = (await history(credentialed))[0];
      const first = logger();
      expect(
        await startCredentialRedaction({
          db: knex,
          now: now + 86_400_000,
          logger: first,
        }),
      ).toMatchObject({
        ran: true,
        collisions: [{ table: 'evidence_fact_history', key: { id: held.id } }],
      });
      expect(first.lines.filter(l => l.startsWith('warn'))).toEqual([
        `warn evidence: evidence_fact_history rows under the key of a deleted evidence_facts row (the first {"id":"${held.id}"}) keep URL credentials in it: redacted, they would read as the history of the row holding that key (their other columns are redacted)`,
      ]);
      expect(await history(clean)).toHaveLength(1);
      expect(await history(credentialed)).toHaveLength(1);
      // Once: the next start within the window keeps it without logging it again.
      const again = logger();
      expect(
        await startCredentialRedaction({
          db: knex,
          now: now + 2 * 86_400_000,
          logger: again,
        }),
      ).toMatchObject({ ran: true, collisions: [] });
      expect(again.lines.filter(l => l.startsWith('warn'))).toEqual([]);
      expect(await history(credentialed)).toHaveLength(1);

      await knex('evidence_facts').where({ fact_key: clean }).delete();
      for (const key of [clean, credentialed]) await history(key).delete();
    });

    it("moves a deleted fact's whole history to its redacted key when no other fact holds it", async () => {
      const knex = backend.knex;
      const credentialed = `https://ci:${SECRET}@k.example.com/alone`;
      for (const [i, status] of [200, 500].entries()) {
        const posted = await post('/facts', `alone:${i}`, {
          ...fact('https://k.example.com/alone'),
          value: { status },
          observedAt: `2026-03-14T02:0${i}:00Z`,
        });
        expect(posted.status).toBe(201);
      }
      for (const table of ['evidence_facts', 'evidence_fact_history']) {
        await knex(table)
          .where({ fact_key: 'https://k.example.com/alone' })
          .update({ fact_key: credentialed });
      }
      await knex('evidence_facts').where({ fact_key: credentialed }).delete();
      await knex('evidence_sequences').where({ name: MARKER }).delete();

      const summary = await redactStoredCredentials(
        knex,
        Date.parse(T) + 540_000,
      );
      expect(summary.collisions).toEqual([]);
      const moved = await knex('evidence_fact_history').where({
        fact_key: 'https://***@k.example.com/alone',
      });
      expect(moved).toHaveLength(2);
      expect(
        await knex('evidence_fact_history').where({ fact_key: credentialed }),
      ).toEqual([]);
      await knex('evidence_fact_history')
        .where({ fact_key: 'https://***@k.example.com/alone' })
        .delete();
    });

    it("keeps a moved fact's history with it when a new version arrives before the history step", async () => {
      const knex = backend.knex;
      const plain = 'https://k.example.com/race-history';
      const credentialed = `https://ci:${SECRET}@k.example.com/race-history`;
      const v1 = await post('/facts', 'race-history:1', fact(plain));
      expect(v1.status).toBe(201);
      for (const table of ['evidence_facts', 'evidence_fact_history']) {
        await knex(table)
          .where({ fact_key: plain })
          .update({ fact_key: credentialed });
      }
      await knex('evidence_sequences').where({ name: MARKER }).delete();
      // Shutdown stops the pass after the facts step, before the history step.
      const controller = new AbortController();
      const now = Date.parse(T) + 560_000;
      const first = await redactStoredCredentials(knex, now, {
        signal: controller.signal,
        onTable: table => {
          if (table === 'evidence_facts') controller.abort();
        },
      });
      expect(first.stopped).toBe(true);
      // A CI posts the fact's next value before the next start.
      const v2 = await post('/facts', 'race-history:2', {
        ...fact(credentialed),
        value: { status: 500 },
        observedAt: '2026-03-14T02:01:00Z',
      });
      expect(v2.status).toBe(201);
      const second = await redactStoredCredentials(knex, now + 60_000);
      expect(second).toMatchObject({ ran: true, stopped: false });

      const history = await knex('evidence_fact_history')
        .where('fact_key', 'like', '%k.example.com/race-history')
        .orderBy('observed_ms');
      expect(history.map(row => row.fact_key)).toEqual([
        'https://***@k.example.com/race-history',
        'https://***@k.example.com/race-history',
      ]);
      expect(JSON.stringify(history)).not.toContain(SECRET);
      expect(second.collisions).toEqual([]);
      await knex('evidence_facts')
        .where('fact_key', 'like', '%k.example.com/race-history')
        .delete();
      await knex('evidence_fact_history')
        .where('fact_key', 'like', '%k.example.com/race-history')
        .delete();
    });

    // Parameter names a case change made secret to ingestion, lost once lower-cased.
    describe.each(['keyId', 'tokenId', 'authCode', 'sigHash'])(
      'a credential in a lower-cased column (?%s=)',
      name => {
        const url = `https://h.example/p?${name}=${SECRET}`;
        const lower = url.toLowerCase();
        const masked = lower.replace(SECRET, '***');
        const tag = name.toLowerCase();

        it('is masked as ingestion masked it before lower-casing, and an identical re-send compares equal', async () => {
          const knex = backend.knex;
          // what ingestion masks, which the rule alone no longer sees once lower-cased
          expect(redactCredentials(url).toLowerCase()).toBe(masked);
          expect(redactCredentials(lower)).toBe(lower);

          const factBody = (alias: string) => ({
            alias,
            source: 'link-checker',
            kind: 'link.status',
            key: `lower-${tag}`,
            value: { status: 200 },
            observedAt: '2026-03-14T02:00:00Z',
          });
          const storedFact = await post(
            '/facts',
            `lower:${tag}:fact`,
            factBody(`lower-${tag}`),
          );
          expect(storedFact.status).toBe(201);
          const changeBody = (alias: string, environment: string) => ({
            alias,
            kind: 'deploy',
            environment,
            ref: 'main',
            summary: 'Deploy',
            actor: { type: 'bot', id: 'gha' },
            source: { system: 'gha', externalId: `lower-${tag}` },
            startedAt: '2026-03-14T01:40:00Z',
            status: 'started',
            attributes: { artifactDigest: 'sha256:1' },
          });
          const storedChange = await post(
            '/changes',
            `lower:${tag}:change`,
            changeBody(`lower-${tag}`, `lower-${tag}`),
          );
          expect(storedChange.status).toBe(201);
          const repository = `h.example/o/r?${name}=${SECRET}`;
          const storedRun = await post('/ci-runs', `lower:${tag}:run`, {
            repository: 'h.example/o/r',
            provider: 'gha',
            runId: `lower-${tag}`,
            attempt: 1,
            workflow: 'ci',
            branch: 'main',
            defaultBranch: true,
            commitSha: 'abc123',
            status: 'queued',
          });
          expect(storedRun.status).toBe(201);
          // As the previous version stored them: lower-cased as received, not redacted.
          for (const table of ['evidence_facts', 'evidence_fact_history']) {
            await knex(table)
              .where({ fact_key: `lower-${tag}` })
              .update({ subject: `alias:${lower}` });
          }
          await knex('evidence_changes')
            .where({ id: storedChange.body.record.id })
            .update({
              alias: lower,
              subject: `alias:${lower}`,
              environment: lower,
              environment_raw: url,
            });
          await knex('evidence_change_coverage')
            .where({ environment: `lower-${tag}` })
            .update({ environment: lower });
          await knex('evidence_ci_runs')
            .where({ id: storedRun.body.record.id })
            .update({
              repository: repository.toLowerCase(),
              subject: `repo:${repository.toLowerCase()}`,
            });
          await knex('evidence_sequences').where({ name: MARKER }).delete();

          expect(
            (await redactStoredCredentials(knex, Date.parse(T) + 570_000)).ran,
          ).toBe(true);

          const rows = {
            facts: await knex('evidence_facts').where({
              fact_key: `lower-${tag}`,
            }),
            history: await knex('evidence_fact_history').where({
              fact_key: `lower-${tag}`,
            }),
            change: await knex('evidence_changes')
              .where({ id: storedChange.body.record.id })
              .first(),
            coverage: await knex('evidence_change_coverage').where(
              'environment',
              'like',
              `%${tag}%`,
            ),
            run: await knex('evidence_ci_runs')
              .where({ id: storedRun.body.record.id })
              .first(),
          };
          expect(JSON.stringify(rows)).not.toContain(SECRET);
          expect(rows.facts.map(r => r.subject)).toEqual([`alias:${masked}`]);
          expect(rows.change).toMatchObject({
            alias: masked,
            subject: `alias:${masked}`,
            environment: masked,
            environment_raw: redactCredentials(url),
          });
          expect(rows.coverage.map(r => r.environment)).toEqual([masked]);
          expect(rows.run).toMatchObject({
            repository: `h.example/o/r?${tag}=***`,
            subject: `repo:h.example/o/r?${tag}=***`,
          });

          // The same bodies sent again, as written: the fact re-confirmed, the change unchanged.
          const factAgain = await post(
            '/facts',
            `lower:${tag}:fact:again`,
            factBody(url),
          );
          expect(factAgain.status).toBe(200);
          expect(factAgain.body.record.id).toBe(rows.facts[0].id);
          const changeAgain = await post(
            '/changes',
            `lower:${tag}:change:again`,
            changeBody(url, url),
          );
          expect(changeAgain.status).toBe(200);
          expect(changeAgain.body.unchanged).toBe(true);

          await knex('evidence_facts')
            .where({ fact_key: `lower-${tag}` })
            .delete();
          await knex('evidence_fact_history')
            .where({ fact_key: `lower-${tag}` })
            .delete();
          await knex('evidence_changes')
            .where({ id: storedChange.body.record.id })
            .delete();
          await knex('evidence_change_coverage')
            .where({ environment: masked })
            .delete();
          await knex('evidence_ci_runs')
            .where({ id: storedRun.body.record.id })
            .delete();
        });
      },
    );

    describe('a value the mask pushes past its limit', () => {
      // A one-character userinfo, masked, is two characters longer: at the limit less one,
      // the redacted text is one over it. Ingestion then cuts the body's lengthened strings
      // back to their received length (validateThenRedact, EvidenceStore.redactAndValidate).
      const overLimit = (prefix: string, limit: number) => {
        const text = `${prefix}${'x'.repeat(limit - 1 - prefix.length)}`;
        expect(text).toHaveLength(limit - 1);
        return text;
      };

      it('is stored as ingestion stores it, so the same CI run sent again is unchanged', async () => {
        const knex = backend.knex;
        const run = (runId: string) => ({
          entityRef: CHECKOUT,
          provider: 'gha',
          runId,
          attempt: 1,
          workflow: overLimit('https://a@ci.example.com/', 255),
          // lengthened too, within its limit: cut back with the body all the same
          branch: 'https://b@git.example.com/main',
          defaultBranch: true,
          commitSha: 'abc123',
          status: 'queued',
        });
        // Stored before ingestion redacted: as received.
        const stored = await post('/ci-runs', 'overlong:old', {
          ...run('overlong-1'),
          workflow: 'ci',
          branch: 'main',
        });
        expect(stored.status).toBe(201);
        const id = stored.body.record.id;
        const { workflow, branch } = run('overlong-1');
        await knex('evidence_ci_runs')
          .where({ id })
          .update({ workflow, branch });
        await knex('evidence_sequences').where({ name: MARKER }).delete();
        expect(
          (await redactStoredCredentials(knex, Date.parse(T) + 600_000)).ran,
        ).toBe(true);

        const again = await post(
          '/ci-runs',
          'overlong:again',
          run('overlong-1'),
        );
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ record: { id }, unchanged: true });
        // What the pass stored is what ingestion stores for the same run.
        const fresh = await post(
          '/ci-runs',
          'overlong:fresh',
          run('overlong-2'),
        );
        expect(fresh.status).toBe(201);
        const columns = (row: Record<string, unknown>) => ({
          workflow: row.workflow,
          branch: row.branch,
        });
        const passed = await knex('evidence_ci_runs').where({ id }).first();
        expect(columns(passed)).toEqual(
          columns(
            await knex('evidence_ci_runs')
              .where({ id: fresh.body.record.id })
              .first(),
          ),
        );
        expect(passed.workflow).toHaveLength(254);
        expect(passed.workflow.startsWith('https://***@ci.example.com/')).toBe(
          true,
        );
        await knex('evidence_ci_runs')
          .whereIn('run_id', ['overlong-1', 'overlong-2'])
          .delete();
      });

      it("is cut with the fact's value, so the same fact sent again re-confirms it", async () => {
        const knex = backend.knex;
        const key = overLimit('https://a@k.example.com/', 512);
        const value = { links: ['https://b@k.example.com/a'], status: 200 };
        const stored = await post('/facts', 'overlong:fact', fact('overlong'));
        expect(stored.status).toBe(201);
        for (const table of ['evidence_facts', 'evidence_fact_history']) {
          await knex(table)
            .where({ fact_key: 'overlong' })
            .update({ fact_key: key, value_json: canonicalJson(value) });
        }
        await knex('evidence_sequences').where({ name: MARKER }).delete();
        expect(
          (await redactStoredCredentials(knex, Date.parse(T) + 660_000)).ran,
        ).toBe(true);

        const again = await post('/facts', 'overlong:again', {
          ...fact(key),
          value,
        });
        expect(again.status).toBe(200);
        expect(again.body.record.id).toBe(stored.body.record.id);
        expect(again.body.record.value).toEqual({
          links: ['https://***@k.example.com'],
          status: 200,
        });
        // Its history, moved with it, is cut back with it.
        const history = await knex('evidence_fact_history').where({
          id: stored.body.record.id,
        });
        expect(history.map(row => JSON.parse(row.value_json))).toEqual([
          again.body.record.value,
        ]);
        await knex('evidence_facts')
          .where({ id: stored.body.record.id })
          .delete();
        await knex('evidence_fact_history')
          .where('fact_key', 'like', 'https://***@k.example.com/%')
          .delete();
      });

      it("is cut at the alias's limit in a coverage row's `alias:` key, as ingestion keys the same change's coverage", async () => {
        const knex = backend.knex;
        const alias = overLimit('https://a@h.example/', 255);
        const environment = 'overlong-alias-coverage';
        // Posted now: ingestion cuts the alias back and counts the change under that subject.
        const fresh = await post('/changes', 'overlong:alias:coverage', {
          alias,
          kind: 'deploy',
          environment,
          ref: 'main',
          summary: 'Deploy',
          actor: { type: 'bot', id: 'gha' },
          source: { system: 'gha', externalId: 'overlong-alias-coverage' },
          startedAt: '2026-03-14T01:40:00Z',
          status: 'started',
          attributes: { artifactDigest: 'sha256:1' },
        });
        expect(fresh.status).toBe(201);
        const ingested = await knex('evidence_change_coverage')
          .where({ environment })
          .first();
        expect(ingested.entity_ref).toHaveLength(
          'alias:'.length + alias.length,
        );
        // The same alias counted by the previous version, as received.
        await knex('evidence_change_coverage').insert({
          entity_ref: `alias:${alias}`,
          kind: 'deploy',
          environment,
          first_ms: 1_000,
          last_ms: 1_000,
          count: 1,
        });
        await knex('evidence_sequences').where({ name: MARKER }).delete();
        expect(
          (await redactStoredCredentials(knex, Date.parse(T) + 695_000)).ran,
        ).toBe(true);

        const rows = await knex('evidence_change_coverage').where({
          environment,
        });
        expect(
          rows.map(r => ({ entityRef: r.entity_ref, count: Number(r.count) })),
        ).toEqual([{ entityRef: ingested.entity_ref, count: 2 }]);
        await knex('evidence_changes').where({ environment }).delete();
        await knex('evidence_change_coverage').where({ environment }).delete();
      });

      it("is cut at the alias's limit in a fact's subject, so the same fact sent again re-confirms it", async () => {
        const knex = backend.knex;
        // `alias:` and the alias: within the column's 320, one over the alias's 255 once redacted.
        const alias = overLimit('https://a@h.example/', 255);
        const aliasFact = (key: string, sent: string) => ({
          alias: sent,
          source: 'link-checker',
          kind: 'link.status',
          key,
          value: { links: ['https://b@h.example/a'], status: 200 },
          observedAt: '2026-03-14T02:00:00Z',
        });
        const stored = await post(
          '/facts',
          'overlong:alias',
          aliasFact('overlong-alias', 'overlong-alias'),
        );
        expect(stored.status).toBe(201);
        for (const table of ['evidence_facts', 'evidence_fact_history']) {
          await knex(table)
            .where({ fact_key: 'overlong-alias' })
            .update({
              subject: `alias:${alias}`,
              value_json: canonicalJson(aliasFact('', alias).value),
            });
        }
        await knex('evidence_sequences').where({ name: MARKER }).delete();
        expect(
          (await redactStoredCredentials(knex, Date.parse(T) + 690_000)).ran,
        ).toBe(true);

        // What the pass stored is what ingestion stores for the same fact.
        const fresh = await post(
          '/facts',
          'overlong:alias:fresh',
          aliasFact('overlong-alias-fresh', alias),
        );
        expect(fresh.status).toBe(201);
        const passed = await knex('evidence_facts')
          .where({ id: stored.body.record.id })
          .first();
        const ingested = await knex('evidence_facts')
          .where({ id: fresh.body.record.id })
          .first();
        expect(passed.subject).toBe(ingested.subject);
        expect(passed.subject).toHaveLength('alias:'.length + alias.length);
        expect(passed.value_json).toBe(ingested.value_json);
        const again = await post(
          '/facts',
          'overlong:alias:again',
          aliasFact('overlong-alias', alias),
        );
        expect(again.status).toBe(200);
        expect(again.body.record.id).toBe(stored.body.record.id);
        for (const table of ['evidence_facts', 'evidence_fact_history']) {
          await knex(table)
            .whereIn('fact_key', ['overlong-alias', 'overlong-alias-fresh'])
            .delete();
        }
      });

      it('is cut in a stored risk as PUT /changes/:id/risk cuts it, so the same risk is not refused', async () => {
        const knex = backend.knex;
        const deploy = await post('/changes', 'overlong:change', {
          entityRef: CHECKOUT,
          kind: 'deploy',
          ref: 'main',
          summary: 'Deploy',
          actor: { type: 'bot', id: 'gha' },
          source: { system: 'gha', externalId: 'overlong-1' },
          startedAt: '2026-03-14T01:40:00Z',
          status: 'started',
          attributes: { artifactDigest: 'sha256:1' },
        });
        expect(deploy.status).toBe(201);
        const id = deploy.body.record.id;
        const risk = {
          modelVersion: 'risk/1',
          score: 3,
          tier: 'Low',
          lowConfidence: false,
          dimensions: [
            {
              id: 'D1',
              value: 1,
              unknown: false,
              reason: overLimit('see https://a@ci.example.com/', 1024),
            },
          ],
          floorsApplied: [],
        };
        await knex('evidence_changes')
          .where({ id })
          .update({ risk_json: canonicalJson(risk) });
        await knex('evidence_sequences').where({ name: MARKER }).delete();
        expect(
          (await redactStoredCredentials(knex, Date.parse(T) + 720_000)).ran,
        ).toBe(true);

        expect(await backend.store().setChangeRisk(id, risk)).toMatchObject({
          ok: true,
        });
        await knex('evidence_changes').where({ id }).delete();
      });
    });

    it('records collisions under names that fit evidence_sequences', () => {
      for (const spec of REDACTED_TABLES.filter(
        s => s.naturalKey || s.historyOf,
      )) {
        expect(spec.key).toEqual(['id']);
        const name = collisionRecordName(spec.table, { id: 'x'.repeat(26) });
        expect(name.length).toBeLessThanOrEqual(64);
      }
    });

    it('runs again within the rollout window, for rows replicas of the previous version wrote since', async () => {
      const knex = backend.knex;
      const marker = await knex('evidence_sequences')
        .where({ name: MARKER })
        .first();
      const since = Number(marker.value);
      const stored = await post('/changes', 'rollout:change', {
        entityRef: CHECKOUT,
        kind: 'deploy',
        ref: 'main',
        summary: 'Deploy',
        actor: { type: 'bot', id: 'gha' },
        source: { system: 'gha', externalId: 'rollout-1' },
        startedAt: '2026-03-14T01:40:00Z',
        status: 'started',
        attributes: { artifactDigest: 'sha256:1' },
      });
      expect(stored.status).toBe(201);
      // An old replica, after the first pass: its write keeps the credentials.
      const oldReplicaWrites = () =>
        knex('evidence_changes')
          .where({ id: stored.body.record.id })
          .update({ source_url: `https://ci:${SECRET}@ci.example.com/run/9` });
      const sourceUrl = async () =>
        (
          await knex('evidence_changes')
            .where({ id: stored.body.record.id })
            .first()
        ).source_url;

      await oldReplicaWrites();
      const later = await redactStoredCredentials(knex, since + 86_400_000);
      expect(later.ran).toBe(true);
      expect(await sourceUrl()).toBe('https://***@ci.example.com/run/9');
      // The marker keeps the first pass's time: the window does not slide.
      expect(
        Number(
          (await knex('evidence_sequences').where({ name: MARKER }).first())
            .value,
        ),
      ).toBe(since);

      await oldReplicaWrites();
      expect(
        (await redactStoredCredentials(knex, since + ROLLOUT_WINDOW_MS)).ran,
      ).toBe(false);
      expect(await sourceUrl()).toContain(SECRET);
      await knex('evidence_changes')
        .where({ id: stored.body.record.id })
        .delete();
    });

    it('stops at shutdown before the next batch, without a marker, so the next start goes on', async () => {
      const knex = backend.knex;
      await knex('evidence_sequences').where({ name: MARKER }).delete();
      const log = logger();
      const summary = await startCredentialRedaction({
        db: knex,
        now: Date.parse(T) + 180_000,
        logger: log,
        signal: AbortSignal.abort(),
      });
      expect(summary).toMatchObject({ ran: true, stopped: true });
      expect(
        await knex('evidence_sequences').where({ name: MARKER }).first(),
      ).toBeUndefined();
      expect(log.lines.at(-1)).toMatch(/stopped by shutdown/);
      expect(
        (await redactStoredCredentials(knex, Date.parse(T) + 180_000)).stopped,
      ).toBe(false);
      expect(
        await knex('evidence_sequences').where({ name: MARKER }).first(),
      ).toBeDefined();
    });

    if (databaseId === 'POSTGRES_15') {
      // Interleavings need a second connection and row locks: PostgreSQL only.
      const waitForLockWait = async (table = 'evidence_facts') => {
        for (let i = 0; i < 200; i++) {
          const waiting = await backend.knex.raw(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE ?`,
            [`update%${table}%`],
          );
          if (waiting.rows[0].n > 0) return;
          await new Promise(resolve => setTimeout(resolve, 25));
        }
        throw new Error('the pass never waited for the row lock');
      };

      it('keeps a write made between its read and its update (no lost update)', async () => {
        const knex = backend.knex;
        expect((await post('/facts', 'race:fact', fact('race'))).status).toBe(
          201,
        );
        const row = await knex('evidence_facts')
          .where({ fact_key: 'race' })
          .first();
        const staleValue = `{"links":["https://ci:${SECRET}@k.example.com/a"],"status":200}`;
        await knex('evidence_facts')
          .where({ id: row.id })
          .update({ value_json: staleValue });
        await knex('evidence_sequences').where({ name: MARKER }).delete();

        // A writer holds the row (its newer value not yet committed) while the pass reads the
        // committed, stale one and then waits for the row.
        const writer = await knex.transaction();
        await writer('evidence_facts').where({ id: row.id }).update({
          value_json: '{"status":500}',
          value_fp: 'newer',
          updated_ms: 7,
        });
        const pass = redactStoredCredentials(knex, Date.parse(T) + 240_000);
        await waitForLockWait();
        await writer.commit();
        const summary = await pass;
        expect(summary.ran).toBe(true);

        const after = await knex('evidence_facts')
          .where({ id: row.id })
          .first();
        expect(after.value_json).toBe('{"status":500}');
        expect(after.value_fp).toBe('newer');
        expect(Number(after.updated_ms)).toBe(7);
      });

      it('keeps a count added to a coverage row between its read and its merge', async () => {
        const knex = backend.knex;
        const coverage = (environment: string, at: number) => ({
          entity_ref: CHECKOUT,
          kind: 'deploy',
          environment,
          first_ms: at,
          last_ms: at,
          count: 1,
        });
        const credentialed = 'https://u:p@race.example.com';
        await knex('evidence_change_coverage').insert([
          coverage('https://***@race.example.com', 1_000),
          coverage(credentialed, 2_000),
        ]);
        await knex('evidence_sequences').where({ name: MARKER }).delete();

        // An old replica counts another change into the credentialed row while the pass reads
        // the committed count and then waits for the row.
        const writer = await knex.transaction();
        await writer('evidence_change_coverage')
          .where({ environment: credentialed })
          .update({ count: 2, last_ms: 3_000 });
        const pass = redactStoredCredentials(knex, Date.parse(T) + 420_000);
        await waitForLockWait('evidence_change_coverage');
        await writer.commit();
        expect((await pass).ran).toBe(true);

        const rows = await knex('evidence_change_coverage').where(
          'environment',
          'like',
          '%@race.example.com',
        );
        expect(
          rows.map(r => ({
            environment: r.environment,
            first: Number(r.first_ms),
            last: Number(r.last_ms),
            count: Number(r.count),
          })),
        ).toEqual([
          {
            environment: 'https://***@race.example.com',
            first: 1_000,
            last: 3_000,
            count: 3,
          },
        ]);
        await knex('evidence_change_coverage')
          .where('environment', 'like', '%@race.example.com')
          .delete();
      });

      it('runs when migrations are skipped (a separate job runs them), since nothing else would', async () => {
        const knex = backend.knex;
        await knex('evidence_sequences').where({ name: MARKER }).delete();
        const options = readEvidenceOptions(new ConfigReader({}));
        const store = await EvidenceStore.create({
          database: mockServices.database({ knex, migrations: { skip: true } }),
          resolver: new AliasResolver(options.aliases),
          options,
          logger: mockServices.logger.mock(),
          clock: () => new Date(T),
        });
        expect(await store.credentialRedaction).toMatchObject({ ran: true });
        expect(
          await knex('evidence_sequences').where({ name: MARKER }).first(),
        ).toBeDefined();
      });

      it('does not hold EvidenceStore.create while the pass runs', async () => {
        const knex = backend.knex;
        await knex('evidence_sequences').where({ name: MARKER }).delete();
        // Hold the pass at its first read: the marker.
        const blocker = await knex.transaction();
        await blocker.raw(
          'LOCK TABLE evidence_sequences IN ACCESS EXCLUSIVE MODE',
        );
        const options = readEvidenceOptions(new ConfigReader({}));
        const created = await Promise.race([
          EvidenceStore.create({
            database: mockServices.database({ knex }),
            resolver: new AliasResolver(options.aliases),
            options,
            logger: mockServices.logger.mock(),
            clock: () => new Date(T),
          }),
          new Promise<undefined>(resolve => setTimeout(resolve, 5_000)),
        ]);
        await blocker.commit();
        expect(created).toBeInstanceOf(EvidenceStore);
        expect(await created!.credentialRedaction).toMatchObject({
          ran: true,
          stopped: false,
        });
      });
    }
  },
);
