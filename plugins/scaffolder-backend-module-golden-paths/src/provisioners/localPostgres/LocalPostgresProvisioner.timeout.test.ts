import os from 'node:os';
import path from 'node:path';
import { startSilentServer } from '../../__testUtils__/silentServer';
import { LocalPostgresProvisioner } from './LocalPostgresProvisioner';

describe('LocalPostgresProvisioner against a server that never answers', () => {
  it('gives up connecting after 10 s instead of holding the request for ever', async () => {
    const silent = await startSilentServer();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const provisioner = new LocalPostgresProvisioner({
        connection: `postgresql://gp_admin:pw@127.0.0.1:${silent.port}/postgres`,
        secretsDir: path.join(os.tmpdir(), 'gp-timeout-test'),
      });
      let outcome: string | undefined;
      const found = provisioner.find('gp-req-1').then(
        () => (outcome = 'answered'),
        (e: Error) => (outcome = e.message),
      );
      // connected, and the server says nothing
      while (silent.connections() === 0)
        await new Promise(resolve => setImmediate(resolve));
      await jest.advanceTimersByTimeAsync(9_000);
      expect(outcome).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1_500);
      await found;
      expect(outcome).toMatch(/timeout/i);
    } finally {
      jest.useRealTimers();
      silent.close();
    }
  });
});
