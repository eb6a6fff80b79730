/**
 * Error codes of the evidence API (§3.9).
 *
 * @public
 */
export type EvidenceErrorCode =
  | 'MALFORMED_JSON'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'IDEMPOTENCY_KEY_INVALID'
  | 'IDEMPOTENCY_KEY_NOT_ALLOWED'
  | 'BATCH_SIZE'
  | 'INVALID_FIELD'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IMMUTABLE_FIELD'
  | 'INVALID_TRANSITION'
  | 'RISK_ALREADY_SET'
  | 'CURSOR_EXPIRED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/**
 * One field problem: dotted path and the rendered §3.9 message.
 *
 * @public
 */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * The `error` member of an evidence error body (Backstage's envelope with our code).
 *
 * @public
 */
export interface EvidenceError {
  name: string;
  code: EvidenceErrorCode;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

/**
 * The full error body the evidence backend sends (§3.9).
 *
 * @public
 */
export interface EvidenceErrorBody {
  error: EvidenceError;
  request: { method: string; url: string };
  response: { statusCode: number };
}

/**
 * HTTP status for each error code.
 *
 * @public
 */
export const EVIDENCE_ERROR_STATUS: Record<EvidenceErrorCode, number> = {
  MALFORMED_JSON: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  IDEMPOTENCY_KEY_NOT_ALLOWED: 400,
  BATCH_SIZE: 400,
  INVALID_FIELD: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  IMMUTABLE_FIELD: 409,
  INVALID_TRANSITION: 409,
  RISK_ALREADY_SET: 409,
  CURSOR_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

// Backstage's error names for each status, so clients that switch on `error.name` keep working.
const NAME_BY_STATUS: Record<number, string> = {
  400: 'InputError',
  403: 'NotAllowedError',
  404: 'NotFoundError',
  409: 'ConflictError',
  410: 'GoneError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
};

/**
 * Builds the `error` member for a code, with the Backstage error name its status implies.
 *
 * @public
 */
export function evidenceError(
  code: EvidenceErrorCode,
  message: string,
  extra: { field?: string; details?: Record<string, unknown> } = {},
): EvidenceError {
  return {
    name: NAME_BY_STATUS[EVIDENCE_ERROR_STATUS[code]],
    code,
    message,
    ...(extra.field !== undefined ? { field: extra.field } : {}),
    ...(extra.details !== undefined ? { details: extra.details } : {}),
  };
}
