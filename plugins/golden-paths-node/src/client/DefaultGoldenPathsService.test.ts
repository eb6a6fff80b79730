import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { isRefusal, OpenRequestInput } from '../GoldenPathsService';
import {
  DefaultGoldenPathsService,
  GoldenPathsFetch,
} from './DefaultGoldenPathsService';

function client(status: number, body: unknown) {
  const fetch = jest.fn(async () => ({
    status,
    ok: status < 400,
    json: async () => body,
    text: async () => JSON.stringify(body),
  }));
  const service = new DefaultGoldenPathsService({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => 'http://gp.test/api/golden-paths',
    }),
    auth: mockServices.auth(),
    appBaseUrl: 'http://portal.test/',
    fetch,
  });
  return { service, fetch };
}

/** A golden-paths backend that accepts the connection and never answers, unless aborted. */
function hungClient(timeoutMs?: number) {
  const fetch = jest.fn<
    ReturnType<GoldenPathsFetch>,
    Parameters<GoldenPathsFetch>
  >(
    (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () =>
          reject(init.signal?.reason),
        );
      }),
  );
  const service = new DefaultGoldenPathsService({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => 'http://gp.test/api/golden-paths',
    }),
    auth: mockServices.auth(),
    appBaseUrl: 'http://portal.test/',
    fetch,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { service, fetch };
}

describe('DefaultGoldenPathsService', () => {
  it('claims with a service token on the URL-encoded key', async () => {
    const { service, fetch } = client(200, {
      run: true,
      step: { stepId: 's' },
    });
    await service.claimStep('service-node-http:cart-api', 'publish-local', {
      fingerprint: 'sha256:x',
      taskId: 't',
    });
    const [url, init] = fetch.mock.calls[0] as any;
    expect(url).toBe(
      'http://gp.test/api/golden-paths/requests/service-node-http%3Acart-api/steps/publish-local/claim',
    );
    expect(init.method).toBe('POST');
    expect(init.headers.authorization).toMatch(/^Bearer /);
  });

  it("asks the lifecycle gates on the initiator's behalf when given their credentials", async () => {
    const answer = {
      decision: 'allow',
      gates: [],
      evaluation: { approvalTriggers: [], errors: [] },
    };
    const { service, fetch } = client(200, answer);
    const query = {
      entityRef: 'component:default/cart-api',
      to: 'archive' as const,
    };
    await expect(
      service.lifecycleGates(query, {
        credentials: mockCredentials.user('user:default/ana.ruiz'),
      }),
    ).resolves.toEqual(answer);
    await service.lifecycleGates(query);
    const [asUser, asService] = fetch.mock.calls.map(
      (c: any) => c[1].headers.authorization as string,
    );
    expect(asUser).toContain('user:default/ana.ruiz');
    expect(asService).not.toContain('user:');
    expect(asService).toMatch(/^Bearer /);
  });

  it.each([
    ['{}', {}],
    [
      'no decision',
      { gates: [], evaluation: { approvalTriggers: [], errors: [] } },
    ],
    [
      'an unknown decision',
      {
        decision: 'yes',
        gates: [],
        evaluation: { approvalTriggers: [], errors: [] },
      },
    ],
    [
      'no approval triggers',
      { decision: 'allow', gates: [], evaluation: { errors: [] } },
    ],
    [
      'no gates',
      { decision: 'allow', evaluation: { approvalTriggers: [], errors: [] } },
    ],
  ])(
    'takes a lifecycle gates answer with %s as no answer, never as "allowed, no approval needed"',
    async (_what, body) => {
      const { service } = client(200, body);
      const error = await service
        .lifecycleGates({ entityRef: 'component:default/a', to: 'archive' })
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(error?.name).toBe('ServiceUnavailableError');
      expect(error?.message).toBe(
        'golden-paths GET /lifecycle/gates?entityRef=component%3Adefault%2Fa&to=archive answered without a decision, gates and approval triggers; the gates are unknown, so the transition does not go ahead',
      );
    },
  );

  it.each([
    ['{}', {}, 'answered without "step"'],
    ['no run', { step: { stepId: 's' } }, 'answered without "run"'],
    [
      'a run that is not true or false',
      { run: 'yes', step: { stepId: 's' } },
      'answered without "run"',
    ],
  ])(
    'takes a claim answer with %s as no answer, never as "done before, replay it"',
    async (_what, body, says) => {
      const { service } = client(200, body);
      const error = await service
        .claimStep('k-1', 's', { fingerprint: 'f', taskId: 't' })
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(error?.name).toBe('ServiceUnavailableError');
      expect(error?.message).toContain(
        `golden-paths POST /requests/k-1/steps/s/claim ${says}`,
      );
    },
  );

  it('returns a 409 refusal as a value with the catalogue text', async () => {
    const { service } = client(409, {
      error: {
        name: 'ConflictError',
        message: 'GP-I03: Request "k" is already running',
      },
      ruleId: 'GP-I03',
    });
    const r = await service.openRequest('k-1', {
      fingerprint: 'f',
      request: {},
      templateRef: 'template:default/t',
      templateVersion: '1',
      kind: 'service',
      taskId: 't',
      createdBy: 'user:default/u',
    });
    expect(isRefusal(r) && r).toEqual({
      refused: true,
      ruleId: 'GP-I03',
      message: 'GP-I03: Request "k" is already running',
    });
  });

  it("answers an approval a kill switch refuses as a 'refused' state, not a thrown error", async () => {
    const K02 =
      'GP-K02: Action goldenpath:approve is switched off by the platform team.';
    const { service } = client(409, {
      error: { name: 'ConflictError', message: K02 },
      ruleId: 'GP-K02',
    });
    await expect(
      service.openApproval('k-1', {
        planDigest: 'sha256:d',
        triggers: [],
        action: 'goldenpath:approve',
      }),
    ).resolves.toEqual({
      status: 'refused',
      ruleId: 'GP-K02',
      message: K02,
    });
  });

  describe('a dry run answered with the kill switch a real run would meet (§4.7)', () => {
    const OPEN: OpenRequestInput = {
      fingerprint: 'f',
      request: {},
      templateRef: 'template:default/t',
      templateVersion: '1',
      kind: 'service',
      taskId: 't',
      createdBy: 'user:default/u',
      dryRun: true,
    };
    const answer = (wouldBeRefusedBy: unknown) => ({
      mode: 'create',
      dryRun: true,
      request: { requestKey: 'k-1', attempts: 0 },
      wouldBeRefusedBy,
    });

    it('passes a well-formed refusal on, typed', async () => {
      const refusal = { ruleId: 'GP-K01', message: 'GP-K01: switched off' };
      const { service } = client(200, answer(refusal));
      const r = await service.openRequest('k-1', OPEN);
      expect(!isRefusal(r) && r.wouldBeRefusedBy).toEqual(refusal);
      expect(!isRefusal(r) && r.mode).toBe('create');
    });

    it.each([['GP-K01'], [{ ruleId: 'GP-K01' }], [{ message: 7 }]])(
      'leaves out an answer that is not a refusal (%j)',
      async odd => {
        const { service } = client(200, answer(odd));
        const r = await service.openRequest('k-1', OPEN);
        expect(r).not.toHaveProperty('wouldBeRefusedBy');
        expect(!isRefusal(r) && r.mode).toBe('create');
      },
    );
  });

  it('throws other errors with the server message', async () => {
    const { service } = client(400, {
      error: { message: 'taskId is required' },
    });
    await expect(
      service.closeRequest('k-1', { taskId: '', status: 'succeeded' }),
    ).rejects.toThrow(
      'golden-paths POST /requests/k-1/close failed with 400: taskId is required',
    );
  });

  it('keeps the first 500 characters of an error body that is not JSON (a proxy page)', async () => {
    const page = `<html><body>${'Bad gateway. '.repeat(300)}</body></html>`;
    const service = new DefaultGoldenPathsService({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://gp.test/api/golden-paths',
      }),
      auth: mockServices.auth(),
      appBaseUrl: 'http://portal.test/',
      fetch: jest.fn(async () => ({
        status: 502,
        ok: false,
        json: async () => {
          throw new SyntaxError('Unexpected token <');
        },
        text: async () => page,
      })),
    });
    const error: Error = await service
      .closeRequest('k-1', { taskId: 't', status: 'succeeded' })
      .catch(e => e);
    expect(error.message).toBe(
      `golden-paths POST /requests/k-1/close failed with 502: ${page.slice(
        0,
        500,
      )}… (${page.length} characters)`,
    );
  });

  it('reads a ledger row by its URL-encoded key with a service token (read-only GET)', async () => {
    const row = {
      requestKey: 'service-node-http:cart-api',
      fingerprint: 'sha256:f',
      request: { kind: 'service', name: 'cart-api' },
      templateRef: 'template:default/service-node-http',
      templateVersion: '1.0.0',
      kind: 'service',
      status: 'succeeded',
      createdBy: 'user:default/ana.ruiz',
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
      attempts: 1,
    };
    const { service, fetch } = client(200, {
      request: row,
      steps: [],
      approvals: [],
      events: [],
    });
    await expect(
      service.getRequest('service-node-http:cart-api'),
    ).resolves.toEqual(row);
    const [url, init] = fetch.mock.calls[0] as any;
    expect(url).toBe(
      'http://gp.test/api/golden-paths/requests/service-node-http%3Acart-api',
    );
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(init.headers.authorization).toMatch(/^Bearer /);
  });

  it('answers undefined for a key the ledger does not hold (404 NotFoundError)', async () => {
    const { service } = client(404, {
      error: { name: 'NotFoundError', message: 'request "k-1" not found' },
    });
    await expect(service.getRequest('k-1')).resolves.toBeUndefined();
  });

  it('throws when the read fails otherwise (a 404 without NotFoundError is no answer)', async () => {
    await expect(client(404, '').service.getRequest('k-1')).rejects.toThrow(
      'golden-paths GET /requests/k-1 failed with 404',
    );
    await expect(
      client(503, { error: { message: 'down' } }).service.getRequest('k-1'),
    ).rejects.toThrow('golden-paths GET /requests/k-1 failed with 503: down');
  });

  it('reads one step of a request from its record, read-only (GET, nothing claimed)', async () => {
    const step = {
      requestKey: 'lifecycle:component:default/cart-api:delete',
      stepId: 'lifecycle',
      fingerprint: 'sha256:f',
      status: 'done',
      output: { from: 'archived', to: 'deleted' },
      effectRef: '/srv/.deleted/cart-api.git',
      attempt: 1,
    };
    const { service, fetch } = client(200, {
      request: {},
      steps: [{ ...step, stepId: 'lifecycle:destroy' }, step],
      approvals: [],
      events: [],
    });
    await expect(
      service.getStep(
        'lifecycle:component:default/cart-api:delete',
        'lifecycle',
      ),
    ).resolves.toEqual(step);
    await expect(
      service.getStep('lifecycle:component:default/cart-api:delete', 'close'),
    ).resolves.toBeUndefined();
    const [url, init] = fetch.mock.calls[0] as any;
    expect(url).toBe(
      'http://gp.test/api/golden-paths/requests/lifecycle%3Acomponent%3Adefault%2Fcart-api%3Adelete',
    );
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
  });

  it('reads every step of a request, read-only; none for a key the ledger does not hold', async () => {
    const step = {
      requestKey: 'service-node-http:cart-api',
      stepId: 'publish-local',
      fingerprint: 'sha256:f',
      status: 'done',
      attempt: 1,
    };
    const { service, fetch } = client(200, {
      request: {},
      steps: [step],
      approvals: [],
      events: [],
    });
    await expect(
      service.getSteps('service-node-http:cart-api'),
    ).resolves.toEqual([step]);
    expect((fetch.mock.calls[0] as any)[1].method).toBe('GET');
    await expect(
      client(404, {
        error: { name: 'NotFoundError', message: 'request "k-1" not found' },
      }).service.getSteps('k-1'),
    ).resolves.toBeUndefined();
    await expect(
      client(200, { request: {} }).service.getSteps('k-1'),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
  });

  it('answers no step for a key the ledger does not hold, and no answer for a record without steps', async () => {
    await expect(
      client(404, {
        error: { name: 'NotFoundError', message: 'request "k-1" not found' },
      }).service.getStep('k-1', 's'),
    ).resolves.toBeUndefined();
    await expect(
      client(200, { request: {} }).service.getStep('k-1', 's'),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('answered without "steps"'),
    });
  });

  it('links to the request page of the portal', () => {
    expect(client(200, {}).service.requestUrl('a:b')).toBe(
      'http://portal.test/golden-paths/requests/a%3Ab',
    );
  });

  it.each([
    [
      'openRequest',
      'POST /requests/k-1/open',
      (service: DefaultGoldenPathsService) =>
        service.openRequest('k-1', {
          fingerprint: 'f',
          request: {},
          templateRef: 'template:default/t',
          templateVersion: '1',
          kind: 'service',
          taskId: 't',
          createdBy: 'user:default/u',
        }),
    ],
    [
      'claimStep',
      'POST /requests/k-1/steps/s/claim',
      (service: DefaultGoldenPathsService) =>
        service.claimStep('k-1', 's', { fingerprint: 'f', taskId: 't' }),
    ],
    [
      'completeStep',
      'POST /requests/k-1/steps/s/complete',
      (service: DefaultGoldenPathsService) =>
        service.completeStep('k-1', 's', { taskId: 't', status: 'done' }),
    ],
    [
      'lifecycleGates',
      'GET /lifecycle/gates?entityRef=component%3Adefault%2Fa&to=deprecated',
      (service: DefaultGoldenPathsService) =>
        service.lifecycleGates({
          entityRef: 'component:default/a',
          to: 'deprecated',
        }),
    ],
  ] as const)(
    'gives up on %s when the backend does not answer in time, saying the outcome is unknown',
    async (_name, what, call) => {
      const { service, fetch } = hungClient(20);
      const error = await call(service).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.name).toBe('ServiceUnavailableError');
      // `@backstage/errors` appends `; caused by <the abort>` after the text.
      expect(
        error?.message.startsWith(
          `golden-paths ${what} got no answer within 20 ms; the outcome is unknown ` +
            '(a claim or other write may have landed): re-read the ledger before retrying; ',
        ),
      ).toBe(true);
      expect((error as { cause?: Error }).cause?.name).toBe('TimeoutError');
      const [, init] = fetch.mock.calls[0];
      expect(init.signal).toBeInstanceOf(AbortSignal);
      expect(init.signal?.aborted).toBe(true);
    },
  );

  it('gives every call a 10 s deadline unless told otherwise', async () => {
    const timeout = jest.spyOn(AbortSignal, 'timeout');
    try {
      await client(200, { request: {} }).service.getRequest('k-1');
      expect(timeout).toHaveBeenCalledWith(10_000);
    } finally {
      timeout.mockRestore();
    }
  });

  it('gives up as well when the answer starts but its body never ends', async () => {
    const fetch: GoldenPathsFetch = async (_url, init) => ({
      status: 200,
      ok: true,
      json: async () => ({}),
      text: () =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () =>
            reject(init.signal?.reason),
          );
        }),
    });
    const service = new DefaultGoldenPathsService({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://gp.test/api/golden-paths',
      }),
      auth: mockServices.auth(),
      appBaseUrl: '',
      fetch,
      timeoutMs: 20,
    });
    await expect(
      service.claimStep('k-1', 's', { fingerprint: 'f', taskId: 't' }),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
  });

  it('passes other transport failures on as they are', async () => {
    const refused = new TypeError('fetch failed');
    const service = new DefaultGoldenPathsService({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://gp.test/api/golden-paths',
      }),
      auth: mockServices.auth(),
      appBaseUrl: '',
      fetch: async () => {
        throw refused;
      },
    });
    await expect(service.getRequest('k-1')).rejects.toBe(refused);
  });

  it('reads its deadline from goldenPaths.client.timeoutSeconds', async () => {
    const timeout = jest.spyOn(AbortSignal, 'timeout');
    try {
      const fetch = jest.fn(async () => ({
        status: 200,
        ok: true,
        json: async () => ({}),
        text: async () => '{"request":{}}',
      }));
      const service = DefaultGoldenPathsService.fromConfig(
        mockServices.rootConfig({
          data: {
            app: { baseUrl: 'http://portal.test' },
            goldenPaths: { client: { timeoutSeconds: 2.5 } },
          },
        }),
        {
          discovery: mockServices.discovery.mock({
            getBaseUrl: async () => 'http://gp.test/api/golden-paths',
          }),
          auth: mockServices.auth(),
          fetch,
        },
      );
      await service.getRequest('k-1');
      expect(timeout).toHaveBeenCalledWith(2500);
      expect(service.requestUrl('k')).toBe(
        'http://portal.test/golden-paths/requests/k',
      );
    } finally {
      timeout.mockRestore();
    }
  });

  it('refuses a deadline that is not a positive number of seconds', () => {
    const deps = {
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
    };
    for (const timeoutSeconds of [0, -1]) {
      expect(() =>
        DefaultGoldenPathsService.fromConfig(
          mockServices.rootConfig({
            data: { goldenPaths: { client: { timeoutSeconds } } },
          }),
          deps,
        ),
      ).toThrow(
        `goldenPaths.client.timeoutSeconds must be a positive number of seconds (got ${timeoutSeconds})`,
      );
    }
  });

  it('refuses a deadline longer than Node keeps a timer, which would fail every call at once', () => {
    expect(() =>
      DefaultGoldenPathsService.fromConfig(
        mockServices.rootConfig({
          data: { goldenPaths: { client: { timeoutSeconds: 3_000_000 } } },
        }),
        { discovery: mockServices.discovery(), auth: mockServices.auth() },
      ),
    ).toThrow(
      'goldenPaths.client.timeoutSeconds must be at most 2147483.647 seconds, the longest timer Node keeps (got 3000000)',
    );
  });

  it('keeps discovery and the service token within the deadline', async () => {
    const fetch = jest.fn<
      ReturnType<GoldenPathsFetch>,
      Parameters<GoldenPathsFetch>
    >();
    const auth = mockServices.auth.mock({
      getOwnServiceCredentials: async () =>
        mockCredentials.service('plugin:scaffolder'),
      getPluginRequestToken: () => new Promise(() => {}),
    });
    const service = new DefaultGoldenPathsService({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://gp.test/api/golden-paths',
      }),
      auth,
      appBaseUrl: '',
      fetch,
      timeoutMs: 20,
    });
    const error = await service
      .claimStep('k-1', 's', { fingerprint: 'f', taskId: 't' })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'ServiceUnavailableError' });
    expect((error as Error).message).toContain(
      'golden-paths POST /requests/k-1/steps/s/claim was not sent: no base URL or service token within 20 ms',
    );
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("DefaultGoldenPathsService answers that are not the route's", () => {
  function answering(text: string) {
    return new DefaultGoldenPathsService({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://gp.test/api/golden-paths',
      }),
      auth: mockServices.auth(),
      appBaseUrl: '',
      fetch: async () => ({
        status: 200,
        ok: true,
        json: async () => JSON.parse(text),
        text: async () => text,
      }),
    });
  }

  it('rejects a 2xx whose body is not a JSON object instead of taking it for a result', async () => {
    const proxyPage = answering('<html>sign in</html>');
    await expect(
      proxyPage.openRequest('k-1', {} as OpenRequestInput),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'golden-paths POST /requests/k-1/open answered 200 with a body that is not a JSON object; the outcome is unknown: re-read the ledger before retrying',
    });
    await expect(
      answering('').closeRequest('k-1', { taskId: 't', status: 'succeeded' }),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
  });

  it('rejects a 2xx without the row instead of answering "no row" or undefined', async () => {
    const empty = answering('{}');
    await expect(empty.getRequest('k-1')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'golden-paths GET /requests/k-1 answered without "request"; the outcome is unknown: re-read the ledger before retrying',
    });
    await expect(
      empty.completeStep('k-1', 's', { taskId: 't', status: 'done' }),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
  });
});
