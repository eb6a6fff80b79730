import { EvidenceError, evidenceError } from '../errors/errorBody';
import { evidenceMessages } from '../errors/errorMessages';
import { isObject } from '../schemas/primitives';
import { checkIdempotencyKey } from './idempotencyKey';
import { invalidFieldError } from './validateInput';

/**
 * Default `evidence.ingest.maxBatchItems`.
 *
 * @public
 */
export const DEFAULT_MAX_BATCH_ITEMS = 500;

/**
 * Checks a batch body as a whole (§3.6): no `Idempotency-Key` header, `{ items: [...] }` only,
 * 1–max items. Returns the raw items, or the error that refuses the whole batch.
 *
 * @public
 */
export function checkBatchEnvelope(
  body: unknown,
  options: { headerKey?: string; maxItems?: number } = {},
): { ok: true; items: unknown[] } | { ok: false; error: EvidenceError } {
  const maxItems = options.maxItems ?? DEFAULT_MAX_BATCH_ITEMS;
  if (options.headerKey !== undefined) {
    return {
      ok: false,
      error: evidenceError(
        'IDEMPOTENCY_KEY_NOT_ALLOWED',
        evidenceMessages.idempotencyKeyNotAllowed(),
      ),
    };
  }
  if (!isObject(body) || !Array.isArray(body.items)) {
    const message =
      isObject(body) && body.items === undefined
        ? 'items is required'
        : 'items must be an array';
    return {
      ok: false,
      error: invalidFieldError([{ field: 'items', message }]),
    };
  }
  const extra = Object.keys(body).filter(k => k !== 'items');
  if (extra.length > 0) {
    return {
      ok: false,
      error: invalidFieldError(
        extra.map(k => ({ field: k, message: `${k} is not a known field` })),
      ),
    };
  }
  const count = body.items.length;
  if (count < 1 || count > maxItems) {
    return {
      ok: false,
      error: evidenceError(
        'BATCH_SIZE',
        evidenceMessages.batchSize(count, maxItems),
        { field: 'items' },
      ),
    };
  }
  return { ok: true, items: body.items };
}

/**
 * Splits batch item `index` into its idempotency key and the body that is validated and
 * fingerprinted (the item without `idempotencyKey`, §3.4), or the item's key error.
 *
 * @public
 */
export function splitBatchItem(
  item: unknown,
  index: number,
):
  | { ok: true; idempotencyKey: string; body: unknown }
  | { ok: false; error: EvidenceError } {
  const prefix = `items[${index}]`;
  if (!isObject(item)) {
    return {
      ok: false,
      error: invalidFieldError([
        { field: prefix, message: `${prefix} must be an object` },
      ]),
    };
  }
  const { idempotencyKey, ...body } = item;
  const keyError = checkIdempotencyKey(
    idempotencyKey,
    `${prefix}.idempotencyKey`,
  );
  if (keyError) return { ok: false, error: keyError };
  return { ok: true, idempotencyKey: idempotencyKey as string, body };
}
