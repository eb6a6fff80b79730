/**
 * The exact messages of §3.9 that are not field-schema failures, in one place so the backend,
 * the client and the tests agree on every character.
 *
 * @public
 */
export const evidenceMessages = {
  malformedJson: () => 'request body is not valid JSON',
  nestedTooDeep: (max: number) =>
    `request body is nested deeper than ${max} levels`,
  protoKey: () =>
    'request body must not hold a key named "__proto__" (at any depth)',
  idempotencyKeyRequired: (field?: string) =>
    field === undefined
      ? 'Idempotency-Key header is required'
      : `${field} is required`,
  idempotencyKeyInvalid: (got: string, field?: string) =>
    `${
      field ?? 'Idempotency-Key'
    } must be 1–256 characters from A-Z a-z 0-9 . _ : / - (got ${JSON.stringify(
      got,
    )})`,
  idempotencyKeyNotAllowed: () =>
    'Idempotency-Key header is not used on batch routes; set items[].idempotencyKey',
  batchSize: (got: number, max: number = 500) =>
    `items must contain 1–${max} entries (got ${got})`,
  forbidden: (permission: string) => `permission ${permission} is required`,
  riskWriterForbidden: (principal: string) =>
    `only plugin:incident-brief may set change risk (got ${principal})`,
  changeNotFound: (id: string) => `change ${id} not found`,
  idempotencyKeyReused: (o: {
    idempotencyKey: string;
    firstUsedAt: string;
    storedFingerprint: string;
    requestFingerprint: string;
  }) =>
    `Idempotency-Key ${JSON.stringify(o.idempotencyKey)} was first used at ${
      o.firstUsedAt
    } with a different body (stored ${o.storedFingerprint}, this request ${
      o.requestFingerprint
    }); nothing was changed`,
  immutableField: (o: {
    field: string;
    naturalKey: string;
    stored: string;
    got: string;
  }) =>
    `${o.field} cannot change for ${o.naturalKey} (stored ${o.stored}, got ${o.got})`,
  invalidTransition: (o: { from: string; to: string; naturalKey: string }) =>
    `status cannot move from ${o.from} to ${o.to} for ${o.naturalKey}`,
  riskAlreadySet: (id: string, modelVersion: string) =>
    `risk for change ${id} is already set (model ${modelVersion})`,
  cursorExpired: (cursor: string) =>
    `cursor ${cursor} is older than the 7-day tombstone window; read /edges in full`,
  payloadTooLarge: (limitBytes: number) =>
    `request body exceeds ${limitBytes} bytes`,
  unsupportedMediaType: (got: string) =>
    `Content-Type must be application/json (got ${JSON.stringify(got)})`,
} as const;
