import { hasUserinfo, parseHttpUrl } from './safeUrl';

/** Redirects followed at most (scorecards §2.5: HTTP status after ≤ 3 redirects). */
export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'backstage-scorecards-linkcheck/1';

/**
 * Outcome of checking one URL; the value of its `link.status` fact. `status` is the HTTP status
 * of the last response, or 0 when none came (`error` says why). A redirect that was not
 * followed keeps its 3xx status, which the check treats as not answering 2xx.
 */
export interface LinkProbeResult {
  status: number;
  /** Redirects followed. */
  redirects: number;
  error?: 'timeout' | 'network' | 'too-many-redirects' | 'redirect-not-allowed';
}

/** What the probe needs: the allow list, the time budget and a fetch. */
export interface ProbeOptions {
  isAllowedHost: (hostname: string) => boolean;
  /** Time budget of the whole URL, redirects and the GET fallback included. */
  timeoutMs: number;
  fetch: typeof fetch;
  /** Called once per request sent (method and URL), for logs and tests. */
  onRequest?: (method: 'HEAD' | 'GET', url: URL) => void;
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The connection is going away anyway.
  }
}

/**
 * Checks one allowed http(s) URL: HEAD, then GET when the server answers 405 or 501; redirects
 * are followed by hand, at most {@link MAX_REDIRECTS}, and only to http(s) URLs without userinfo
 * on allowed hosts: a redirect anywhere else is recorded with its own status and never
 * requested (the SSRF guard). No cookies, credentials or custom headers besides a user agent
 * are sent; bodies are never read.
 */
export async function probeLink(
  url: URL,
  options: ProbeOptions,
): Promise<LinkProbeResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const send = async (method: 'HEAD' | 'GET', target: URL) => {
    options.onRequest?.(method, target);
    return options.fetch(target, {
      method,
      redirect: 'manual',
      credentials: 'omit',
      headers: { 'user-agent': USER_AGENT, accept: '*/*' },
      signal,
    });
  };

  let current = url;
  let redirects = 0;
  try {
    for (;;) {
      let response = await send('HEAD', current);
      if (response.status === 405 || response.status === 501) {
        await discardBody(response);
        response = await send('GET', current);
      }
      await discardBody(response);
      const status = response.status;
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(status) || !location) {
        return { status, redirects };
      }
      if (redirects >= MAX_REDIRECTS) {
        return { status, redirects, error: 'too-many-redirects' };
      }
      const next = parseHttpUrl(location, current);
      if (!next || hasUserinfo(next) || !options.isAllowedHost(next.hostname)) {
        return { status, redirects, error: 'redirect-not-allowed' };
      }
      redirects++;
      current = next;
    }
  } catch (e) {
    const name = (e as Error)?.name;
    return {
      status: 0,
      redirects,
      error:
        name === 'TimeoutError' || name === 'AbortError'
          ? 'timeout'
          : 'network',
    };
  }
}
