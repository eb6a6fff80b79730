import type { GoldenPathsConfig } from '../config';
import { deny, RuleResult } from '../errors/catalogue';
import { gpMessages } from '../errors/messages';
import { issuesToRuleResults } from '../schemas/formatIssues';
import {
  NETWORK_EXPOSURE_FIELDS,
  RequestKind,
  requestSchemas,
} from '../schemas/requestSchemas';
import {
  normalizeDatabaseRequest,
  normalizeLifecycleRequest,
  normalizeServiceRequest,
  normalizeWorkerRequest,
} from './normalizeRequest';
import type { NormalizedRequest } from './types';

/**
 * Result of the schema phase: either the normalized request (plus the raw advanced fields) or
 * the GP-V01/V02/D09 refusals.
 *
 * @public
 */
export type ParsedRequest =
  | {
      ok: true;
      request: NormalizedRequest;
      idempotencyKey?: string;
      waitMinutes?: number;
    }
  | { ok: false; errors: RuleResult[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Schema phase (§5 "V"): shape, enums, ranges and unknown fields, then the defaults of §3.
 * Databases refuse network-exposure fields with GP-D09 rather than the generic GP-V02.
 *
 * @public
 */
export function parseRequest(
  kind: RequestKind,
  raw: unknown,
  config: GoldenPathsConfig,
): ParsedRequest {
  let input = raw;
  const errors: RuleResult[] = [];
  if (kind === 'database' && isRecord(raw)) {
    const exposed = NETWORK_EXPOSURE_FIELDS.filter(f => f in raw);
    for (const field of exposed) {
      errors.push(deny('GP-D09', gpMessages.d09({ field }), field));
    }
    if (exposed.length) {
      input = Object.fromEntries(
        Object.entries(raw).filter(([k]) => !exposed.includes(k as never)),
      );
    }
  }
  const parsed = requestSchemas[kind].safeParse(input);
  if (!parsed.success) {
    errors.push(...issuesToRuleResults(parsed.error.issues, input, kind));
  }
  if (errors.length || !parsed.success) return { ok: false, errors };

  const data = parsed.data;
  let request: NormalizedRequest;
  switch (kind) {
    case 'service':
      request = normalizeServiceRequest(data as never, config);
      break;
    case 'worker':
      request = normalizeWorkerRequest(data as never, config);
      break;
    case 'database':
      request = normalizeDatabaseRequest(data as never, config);
      break;
    default:
      request = normalizeLifecycleRequest(data as never);
  }
  return {
    ok: true,
    request,
    ...(data.idempotencyKey ? { idempotencyKey: data.idempotencyKey } : {}),
    ...(data.waitMinutes !== undefined
      ? { waitMinutes: data.waitMinutes }
      : {}),
  };
}
