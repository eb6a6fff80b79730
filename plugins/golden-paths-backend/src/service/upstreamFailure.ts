/**
 * The error for another plugin's non-OK answer: its status and, from a Backstage JSON error
 * body, its message only. The raw body (the whole error envelope, the request it echoes) would
 * reach API callers, audit records and logs verbatim.
 */
export async function upstreamFailure(
  pluginId: string,
  res: Response,
  context = '',
): Promise<Error> {
  let detail = '';
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    const message = body?.error?.message;
    detail =
      typeof message === 'string' && message
        ? `: ${message.slice(0, 300)}`
        : '';
  } catch {
    // not JSON; the status says enough
  }
  return new Error(`${pluginId} answered ${res.status}${context}${detail}`);
}
