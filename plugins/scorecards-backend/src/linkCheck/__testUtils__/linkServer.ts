import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  BatchResult,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One request a test server received. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A real HTTP server on a loopback address and an ephemeral port. */
export interface LinkServer {
  origin: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Starts a node:http server on `host` (127.0.0.1 or another loopback address); `handle`
 * answers, or leaves the request hanging by not ending the response.
 */
export async function startLinkServer(
  host: string,
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<LinkServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
    });
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A logger that keeps every message and its fields, at every level. */
export function recordingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) => (message: string, meta?: Error | object) => {
      lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
    };
  const logger = {
    lines,
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return logger;
}

type WrittenFact = Parameters<EvidenceService['writeFacts']>[0][number];

/** An evidence writer that keeps what it was given and accepts every item. */
export function recordingEvidence(): Pick<EvidenceService, 'writeFacts'> & {
  facts: WrittenFact[];
  batches: number;
} {
  const out = {
    facts: [] as WrittenFact[],
    batches: 0,
    async writeFacts(items: WrittenFact[]): Promise<BatchResult> {
      out.batches++;
      out.facts.push(...items);
      return {
        results: items.map((item, index) => ({
          index,
          idempotencyKey: item.idempotencyKey,
          status: 201 as const,
        })),
        summary: {
          created: items.length,
          updated: 0,
          unchanged: 0,
          replayed: 0,
          failed: 0,
        },
      };
    },
  };
  return out;
}
