import net from 'node:net';

/**
 * A TCP server on 127.0.0.1 that accepts every connection and never sends a byte: a git remote
 * or a database server that hangs after the handshake. `connections` counts the sockets it holds.
 */
export async function startSilentServer(): Promise<{
  port: number;
  connections: () => number;
  close: () => void;
}> {
  const sockets: net.Socket[] = [];
  const server = net.createServer(socket => sockets.push(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => sockets.length,
    close: () => {
      sockets.forEach(s => s.destroy());
      server.close();
    },
  };
}
