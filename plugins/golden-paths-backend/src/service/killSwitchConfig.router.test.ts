import request from 'supertest';
import { api, enc, openBody, requestOf } from '../__testUtils__/ledgerRequests';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  scaffolder,
  startGoldenPathsTestBackend,
} from '../__testUtils__/startGoldenPathsTestBackend';

// The config kill switches (golden-paths.md §4.7, §9) keyed by template names and action ids that
// are not Backstage config keys: a dot (`node.v2`), a digit first (`2fa-service`), a doubled
// separator (`svc--v2`). They are read as plain maps, so they are enforced like any other name.

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const SINCE = '2026-11-23T09:30:00Z';
const off = (reason: string) => ({ disabled: true, reason, since: SINCE });
const TEMPLATES = ['node.v2', '2fa-service', 'svc--v2'];

describe.each(databases.eachSupportedId())(
  'config kill switches with names that are not config keys on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ server, stop } = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        goldenPaths: {
          killSwitch: {
            templates: Object.fromEntries(
              TEMPLATES.map(name => [name, off(`${name} is broken (INC-7)`)]),
            ),
            actions: {
              'goldenpath:register': off('register is failing (INC-8)'),
            },
          },
          // the alias is read too; this one's switch only names a reason, so it is on
          killSwitches: { actions: { 'acme:publish.v2': { reason: 'watch' } } },
        },
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    const open = (k: string, body: object) =>
      request(server)
        .post(api(`/requests/${enc(k)}/open`))
        .set('Authorization', scaffolder)
        .send(body);

    it('lists them in GET /kill-switches, merged and as configured', async () => {
      const res = await request(server)
        .get(api('/kill-switches'))
        .set('Authorization', fatima);
      expect(res.status).toBe(200);
      for (const name of TEMPLATES) {
        expect(res.body.templates[name]).toEqual({
          disabled: true,
          reason: `${name} is broken (INC-7)`,
          since: '2026-11-23T09:30:00.000Z',
        });
      }
      expect(res.body.actions).toEqual({
        'goldenpath:register': {
          disabled: true,
          reason: 'register is failing (INC-8)',
          since: '2026-11-23T09:30:00.000Z',
        },
        'acme:publish.v2': { disabled: false, reason: 'watch' },
      });
      expect(Object.keys(res.body.sources.config.templates)).toEqual(TEMPLATES);
    });

    it('refuses a ledger open of each switched-off template (GP-K01)', async () => {
      for (const name of TEMPLATES) {
        const k = `${name}:cart-api`;
        const res = await open(
          k,
          openBody(requestOf('cart-api'), { template: { name } }),
        );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toBe(
          `GP-K01: Template "${name}" is switched off by the platform team since 2026-11-23 09:30 UTC: ${name} is broken (INC-7). Nothing was created.`,
        );
      }
    });

    it('refuses the step claim of the switched-off action (GP-K02) and runs the others', async () => {
      const k = 'service-node-http:basket-api';
      await open(k, openBody({ ...requestOf('basket-api') })).expect(201);
      const claim = (step: string, action: string) =>
        request(server)
          .post(api(`/requests/${enc(k)}/steps/${step}/claim`))
          .set('Authorization', scaffolder)
          .send({ fingerprint: 'sha256:step', taskId: 'task-1', action });
      const publish = await claim('publish', 'acme:publish.v2');
      expect(publish.body).toMatchObject({ run: true });
      const register = await claim('register', 'goldenpath:register');
      expect(register.status).toBe(409);
      expect(register.body.error.message).toMatch(
        /^GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: register is failing \(INC-8\)\./,
      );
    });
  },
);

describe('a malformed config kill switch', () => {
  const [databaseId] = databases.eachSupportedId()[0];

  it.each([
    [
      { templates: { 'node.v2': { disabled: 'yes' } } },
      'goldenPaths.killSwitch.templates["node.v2"].disabled must be true or false, got "yes"',
    ],
    [
      { actions: { 'goldenpath:register': true } },
      'goldenPaths.killSwitch.actions["goldenpath:register"] must be an object',
    ],
    [
      { all: { disabled: true, since: 'yesterday' } },
      'goldenPaths.killSwitch.all.since must be an ISO-8601 instant',
    ],
  ])(
    'stops the backend at start, naming its path (%j)',
    async (bad, message) => {
      await expect(
        startGoldenPathsTestBackend({
          databases,
          databaseId,
          goldenPaths: { killSwitch: bad },
        }),
      ).rejects.toThrow(message);
    },
  );
});

describe('a malformed config kill switch reloaded after start', () => {
  const [databaseId] = databases.eachSupportedId()[0];
  const MALFORMED =
    'goldenPaths.killSwitch.templates["node.v2"].disabled must be true or false, got "yes"';
  let backend: GoldenPathsTestBackend;

  beforeEach(async () => {
    backend = await startGoldenPathsTestBackend({
      databases,
      databaseId,
      goldenPaths: { killSwitch: { templates: { 'node.v2': off('INC-7') } } },
    });
    backend.reloadConfig({
      killSwitch: { templates: { 'node.v2': { disabled: 'yes' } } },
    });
  });

  afterEach(async () => {
    await backend?.stop();
  });

  it('GET /kill-switches lists the runtime switches and names the config path in configError', async () => {
    await backend.store.putKillSwitch(
      {
        scope: 'action',
        id: 'goldenpath:register',
        disabled: true,
        reason: 'INC-8',
        setBy: 'user:default/fatima.haddad',
        setAt: SINCE,
      },
      () => {},
    );
    const res = await request(backend.server)
      .get(api('/kill-switches'))
      .set('Authorization', fatima);
    expect(res.status).toBe(200);
    expect(res.body.configError).toBe(
      `the config kill switches could not be read, so they are not listed and real runs are refused until the config is fixed: ${MALFORMED}`,
    );
    expect(res.body.sources.config).toEqual({ templates: {}, actions: {} });
    expect(res.body.actions['goldenpath:register']).toMatchObject({
      disabled: true,
      reason: 'INC-8',
    });
  });

  it('PUT /kill-switches answers 200 with the stored switch, not a 500, since the row was written', async () => {
    const res = await request(backend.server)
      .put(api('/kill-switches/template/service-node-http'))
      .set('Authorization', fatima)
      .send({ disabled: true, reason: 'CI broken (INC-9)' });
    expect(res.status).toBe(200);
    expect(res.body.configError).toContain(MALFORMED);
    expect(res.body.templates['service-node-http']).toMatchObject({
      disabled: true,
      reason: 'CI broken (INC-9)',
    });
    expect(await backend.store.listKillSwitches()).toEqual([
      expect.objectContaining({
        scope: 'template',
        id: 'service-node-http',
        disabled: true,
      }),
    ]);
  });

  it('GET …/last-dry-run answers its record with configError, not a 500', async () => {
    await backend.store.putKillSwitch(
      {
        scope: 'template',
        id: 'service-node-http',
        disabled: true,
        reason: 'CI broken (INC-9)',
        setBy: 'user:default/fatima.haddad',
        setAt: SINCE,
      },
      () => {},
    );
    const res = await request(backend.server)
      .get(api('/kill-switches/template/service-node-http/last-dry-run'))
      .set('Authorization', fatima);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: 'template',
      id: 'service-node-http',
      covers: { kind: 'templates', templates: ['service-node-http'] },
      // the runtime switch is known; the config's cannot be read
      switchedOffSince: SINCE,
      searched: { records: 0, complete: true },
      configError: `the config kill switches could not be read, so they are not listed and real runs are refused until the config is fixed: ${MALFORMED}`,
    });
  });

  it('still refuses real runs: a switch that cannot be read may be one that is off', async () => {
    const res = await request(backend.server)
      .post(api(`/requests/${enc('node.v2:cart-api')}/open`))
      .set('Authorization', scaffolder)
      .send(openBody(requestOf('cart-api'), { template: { name: 'node.v2' } }));
    expect(res.status).toBe(500);
  });
});
