import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { evidencePlugin } from './plugin';

describe('evidencePlugin', () => {
  it('starts, registers its routes and answers health', async () => {
    const backend = await startTestBackend({
      features: [
        evidencePlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.events.factory(),
      ],
    });
    const res = await request(backend.server)
      .get('/api/evidence/sources')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    await backend.stop();
  });
});
