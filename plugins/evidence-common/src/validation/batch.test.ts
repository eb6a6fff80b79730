import { checkBatchEnvelope, splitBatchItem } from './batch';
import { checkIdempotencyKey } from './idempotencyKey';

describe('idempotency keys (§3.4, EV3)', () => {
  it.each<[string, unknown, string | undefined, string | undefined]>([
    ['missing header', undefined, undefined, 'IDEMPOTENCY_KEY_REQUIRED'],
    ['empty header', '', undefined, 'IDEMPOTENCY_KEY_REQUIRED'],
    ['256 characters', 'k'.repeat(256), undefined, undefined],
    ['257 characters', 'k'.repeat(257), undefined, 'IDEMPOTENCY_KEY_INVALID'],
    ['a space', 'a b', undefined, 'IDEMPOTENCY_KEY_INVALID'],
    [
      'a realistic key',
      'gha:acme/cart-api:4711:deploy-production:finish',
      undefined,
      undefined,
    ],
  ])('%s', (_name, key, field, code) => {
    expect(checkIdempotencyKey(key, field)?.code).toBe(code);
  });

  it('uses the §3.9 messages', () => {
    expect(checkIdempotencyKey(undefined)?.message).toBe(
      'Idempotency-Key header is required',
    );
    expect(checkIdempotencyKey('a b')?.message).toBe(
      'Idempotency-Key must be 1–256 characters from A-Z a-z 0-9 . _ : / - (got "a b")',
    );
  });
});

describe('batches (§3.6, EV25, EV3)', () => {
  const items = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ idempotencyKey: `k${i}` }));

  it.each([
    [0, 'items must contain 1–500 entries (got 0)'],
    [501, 'items must contain 1–500 entries (got 501)'],
  ])('refuses %i items', (n, message) => {
    expect(checkBatchEnvelope({ items: items(n) })).toMatchObject({
      ok: false,
      error: { code: 'BATCH_SIZE', message, field: 'items' },
    });
  });

  it.each([1, 500])('accepts %i items', n => {
    expect(checkBatchEnvelope({ items: items(n) })).toEqual({
      ok: true,
      items: items(n),
    });
  });

  it('refuses an Idempotency-Key header on batch routes', () => {
    expect(
      checkBatchEnvelope({ items: items(1) }, { headerKey: 'k' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'IDEMPOTENCY_KEY_NOT_ALLOWED',
        message:
          'Idempotency-Key header is not used on batch routes; set items[].idempotencyKey',
      },
    });
  });

  it('refuses bodies without an items array or with other members', () => {
    expect(checkBatchEnvelope({})).toMatchObject({
      ok: false,
      error: { message: 'items is required' },
    });
    expect(checkBatchEnvelope({ items: items(1), dryRun: true })).toMatchObject(
      {
        ok: false,
        error: { message: 'dryRun is not a known field' },
      },
    );
  });

  it('splits an item into its key and the body that is fingerprinted', () => {
    expect(splitBatchItem({ idempotencyKey: 'k1', kind: 'deploy' }, 0)).toEqual(
      {
        ok: true,
        idempotencyKey: 'k1',
        body: { kind: 'deploy' },
      },
    );
    expect(splitBatchItem({ kind: 'deploy' }, 3)).toMatchObject({
      ok: false,
      error: {
        code: 'IDEMPOTENCY_KEY_REQUIRED',
        message: 'items[3].idempotencyKey is required',
        field: 'items[3].idempotencyKey',
      },
    });
    expect(splitBatchItem({ idempotencyKey: 'a b' }, 2)).toMatchObject({
      ok: false,
      error: {
        code: 'IDEMPOTENCY_KEY_INVALID',
        field: 'items[2].idempotencyKey',
      },
    });
  });

  // JSON.stringify of a key nested past the stack threw: the whole batch failed with a 500.
  it('refuses a key nested 50,000 deep as its item, showing its type', () => {
    const key = JSON.parse(`${'{"k":'.repeat(50000)}1${'}'.repeat(50000)}`);
    expect(splitBatchItem({ idempotencyKey: key }, 1)).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'IDEMPOTENCY_KEY_INVALID',
        field: 'items[1].idempotencyKey',
        message:
          'items[1].idempotencyKey must be 1–256 characters from A-Z a-z 0-9 . _ : / - (got "object")',
      }),
    });
  });
});
