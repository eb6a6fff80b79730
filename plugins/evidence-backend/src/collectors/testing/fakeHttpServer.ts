import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A handler's answer: JSON body (default status 200) or a raw status. */
export type FakeAnswer = {
  status?: number;
  json?: unknown;
  text?: string;
  delayMs?: number;
};

/** A local HTTP server answering by path, recording requests. */
export interface FakeHttpServer {
  url: string;
  requests: { path: string; params: URLSearchParams }[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1; `handle` gets the path and query of each GET. */
export async function startFakeHttpServer(
  handle: (path: string, params: URLSearchParams) => FakeAnswer,
): Promise<FakeHttpServer> {
  const requests: FakeHttpServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ path: url.pathname, params: url.searchParams });
    const answer = handle(url.pathname, url.searchParams);
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status ?? 200, {
        'content-type':
          answer.json !== undefined ? 'application/json' : 'text/plain',
      });
      res.end(
        answer.json !== undefined
          ? JSON.stringify(answer.json)
          : answer.text ?? '',
      );
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
