import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LocalPostgresProvisioner } from './LocalPostgresProvisioner';

describe('LocalPostgresProvisioner against a server that never answers', () => {
  it('gives up connecting after 10 s instead of holding the request for ever', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer(socket => sockets.push(socket));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const provisioner = new LocalPostgresProvisioner({
        connection: `postgresql://gp_admin:pw@127.0.0.1:${port}/postgres`,
        secretsDir: path.join(os.tmpdir(), 'gp-timeout-test'),
      });
      let outcome: string | undefined;
      const found = provisioner.find('gp-req-1').then(
        () => (outcome = 'answered'),
        (e: Error) => (outcome = e.message),
      );
      // connected, and the server says nothing
      while (sockets.length === 0)
        await new Promise(resolve => setImmediate(resolve));
      await jest.advanceTimersByTimeAsync(9_000);
      expect(outcome).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1_500);
      await found;
      expect(outcome).toMatch(/timeout/i);
    } finally {
      jest.useRealTimers();
      sockets.forEach(s => s.destroy());
      server.close();
    }
  });
});
