import { mockServices } from '@backstage/backend-test-utils';
import { isRefusal } from '../GoldenPathsService';
import { DefaultGoldenPathsService } from './DefaultGoldenPathsService';

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

  it('links to the request page of the portal', () => {
    expect(client(200, {}).service.requestUrl('a:b')).toBe(
      'http://portal.test/golden-paths/requests/a%3Ab',
    );
  });
});
