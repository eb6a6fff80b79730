import { changeInputSchema } from '../schemas/changeInput';
import { ciRunInputSchema } from '../schemas/ciRunInput';
import { createFactInputSchema, factInputSchema } from '../schemas/factInput';
import { createKindRegistry } from '../kinds/builtinKinds';
import { validateFactRules } from './validateFactRules';
import { validateInput } from './validateInput';
import { z } from 'zod';
import {
  entityRefSchema,
  listBetween,
  queryIntegerBetween,
} from '../schemas/primitives';

const validChange = {
  entityRef: 'component:default/checkout-service',
  kind: 'deploy',
  ref: 'sha256:abc',
  summary: 'checkout-service 5.8.2',
  actor: { type: 'bot', id: 'github-actions' },
  source: { system: 'github-actions', externalId: '4711' },
  startedAt: '2026-03-14T02:00:00Z',
  status: 'started',
  attributes: { artifactDigest: 'sha256:abc' },
};

const validFact = {
  entityRef: 'component:default/checkout-service',
  source: 'golden-paths',
  kind: 'repo.files',
  value: { paths: ['README.md'] },
  observedAt: '2026-03-14T02:00:00Z',
};

const validRun = {
  entityRef: 'component:default/checkout-service',
  provider: 'github',
  runId: '1',
  attempt: 1,
  workflow: 'ci',
  branch: 'main',
  defaultBranch: true,
  commitSha: 'a',
  status: 'completed',
  conclusion: 'success',
};

describe('INVALID_FIELD message templates (§3.9, EV32)', () => {
  it('accepts the valid fixtures', () => {
    expect(validateInput(changeInputSchema, validChange).success).toBe(true);
    expect(validateInput(factInputSchema, validFact).success).toBe(true);
    expect(validateInput(ciRunInputSchema, validRun).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'required',
      { ...validChange, summary: undefined },
      'summary',
      'summary is required',
    ],
    [
      'a change link that is not http(s)',
      {
        ...validChange,
        // eslint-disable-next-line no-script-url -- the refused value
        source: { ...validChange.source, url: 'javascript:alert(1)' },
      },
      'source.url',
      'source.url must be an absolute http(s) URL (got "javascript:alert(1)")',
    ],
    [
      'a relative change link',
      { ...validChange, source: { ...validChange.source, url: '/runs/4711' } },
      'source.url',
      'source.url must be an absolute http(s) URL (got "/runs/4711")',
    ],
    [
      'unknown field',
      { ...validChange, colour: 'blue' },
      'colour',
      'colour is not a known field',
    ],
    [
      'enum',
      { ...validChange, kind: 'release' },
      'kind',
      'kind must be one of deploy, config, feature-flag, schema-migration, infra (got "release")',
    ],
    [
      'timestamp',
      { ...validChange, startedAt: 'yesterday' },
      'startedAt',
      'startedAt must be an ISO-8601 UTC timestamp (got "yesterday")',
    ],
    [
      'length',
      { ...validChange, summary: 'x'.repeat(245) },
      'summary',
      'summary must be at most 200 characters (got 245)',
    ],
    [
      'range',
      {
        ...validChange,
        attributes: {
          artifactDigest: 'sha256:abc',
          exposure: { from: 0, to: 120 },
        },
      },
      'attributes.exposure.to',
      'attributes.exposure.to must be between 0 and 100 (got 120)',
    ],
    [
      'full ref',
      { ...validChange, entityRef: 'component:checkout' },
      'entityRef',
      'entityRef "component:checkout" is not a full ref (kind:namespace/name)',
    ],
    [
      'exactly one subject',
      { ...validChange, alias: 'checkout' },
      'entityRef',
      'exactly one of entityRef, alias is required',
    ],
    [
      'finish before start',
      {
        ...validChange,
        startedAt: '2026-03-14T02:00:00Z',
        finishedAt: '2026-03-14T01:00:00Z',
      },
      'finishedAt',
      'finishedAt must not be before startedAt (got 2026-03-14T01:00:00.000Z < 2026-03-14T02:00:00.000Z)',
    ],
    [
      'a rollback target of neither shape names the shapes it may have',
      { ...validChange, rollbackOf: 42 },
      'rollbackOf',
      'rollbackOf must be a string or an object (got 42)',
    ],
  ])('change: %s', (_name, body, field, message) => {
    const result = validateInput(changeInputSchema, body);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({
      code: 'INVALID_FIELD',
      field,
      message,
    });
  });

  it.each<[string, z.ZodType, Record<string, unknown>, string, string]>([
    [
      'a CI run link that is not http(s)',
      ciRunInputSchema,
      { ...validRun, url: 'data:text/html,<b>x</b>' },
      'url',
      'url must be an absolute http(s) URL (got "data:text/html,<b>x</b>")',
    ],
    [
      'a fact provenance that is no http(s) or file URL',
      factInputSchema,
      // eslint-disable-next-line no-script-url -- the refused value
      { ...validFact, provenance: { url: 'javascript:alert(1)' } },
      'provenance.url',
      'provenance.url must be an absolute http(s) or file URL (got "javascript:alert(1)")',
    ],
    [
      'a relative fact provenance',
      factInputSchema,
      { ...validFact, provenance: { url: 'repos/cart-api.git' } },
      'provenance.url',
      'provenance.url must be an absolute http(s) or file URL (got "repos/cart-api.git")',
    ],
    // PostgreSQL text cannot hold U+0000: refused by field, not a 500 from the insert
    [
      'a NUL in a change summary',
      changeInputSchema,
      { ...validChange, summary: 'deploy\u0000 5.8.2' },
      'summary',
      'summary must not contain NUL characters (U+0000)',
    ],
    [
      'a NUL in a change attribute stored in its own column',
      changeInputSchema,
      { ...validChange, attributes: { artifactDigest: 'sha256:\u0000' } },
      'attributes.artifactDigest',
      'attributes.artifactDigest must not contain NUL characters (U+0000)',
    ],
    [
      'a NUL in a fact key',
      factInputSchema,
      { ...validFact, kind: 'link.status', key: 'https://x/\u0000' },
      'key',
      'key must not contain NUL characters (U+0000)',
    ],
    [
      'a NUL in a CI run repository (its pattern allows one)',
      ciRunInputSchema,
      {
        ...validRun,
        entityRef: undefined,
        repository: 'github.com/acme/cart\u0000',
      },
      'repository',
      'repository must not contain NUL characters (U+0000)',
    ],
    // integers stored in their own `integer` column: larger ones failed the insert (a 500)
    [
      'a CI run attempt beyond its column',
      ciRunInputSchema,
      { ...validRun, attempt: 2147483648 },
      'attempt',
      'attempt must be an integer between 1 and 2147483647 (got 2147483648)',
    ],
    [
      'a CI run attempt of 0',
      ciRunInputSchema,
      { ...validRun, attempt: 0 },
      'attempt',
      'attempt must be an integer between 1 and 2147483647 (got 0)',
    ],
    [
      'a fractional CI run attempt',
      ciRunInputSchema,
      { ...validRun, attempt: 1.5 },
      'attempt',
      'attempt must be an integer between 1 and 2147483647 (got 1.5)',
    ],
    [
      'a fact window beyond its column',
      factInputSchema,
      { ...validFact, freshForSeconds: 2147483648 },
      'freshForSeconds',
      'freshForSeconds must be an integer between 1 and 2147483647 (got 2147483648)',
    ],
    // stored as U+FFFD: two different natural keys would collapse into one
    [
      'a lone surrogate in a CI run id',
      ciRunInputSchema,
      { ...validRun, runId: 'run-\ud800' },
      'runId',
      'runId must be well-formed text (it holds a lone UTF-16 surrogate)',
    ],
    [
      'a lone surrogate in a change external id',
      changeInputSchema,
      {
        ...validChange,
        source: { ...validChange.source, externalId: 'x\udfff' },
      },
      'source.externalId',
      'source.externalId must be well-formed text (it holds a lone UTF-16 surrogate)',
    ],
    [
      'a NUL in a CI run workflow',
      ciRunInputSchema,
      { ...validRun, workflow: 'ci\u0000' },
      'workflow',
      'workflow must not contain NUL characters (U+0000)',
    ],
    // Stored lower-cased: 'İ' becomes two characters, past the column on PostgreSQL (a 500).
    [
      'a change environment longer than its column once lower-cased',
      changeInputSchema,
      { ...validChange, environment: `İ${'a'.repeat(63)}` },
      'environment',
      'environment must be at most 64 characters once lower-cased, as it is stored (got 65)',
    ],
    [
      // The environment is stored lower-cased but not trimmed: a leading space counts.
      'a change environment with a leading space, longer than its column once lower-cased',
      changeInputSchema,
      { ...validChange, environment: ` İ${'a'.repeat(62)}` },
      'environment',
      'environment must be at most 64 characters once lower-cased, as it is stored (got 65)',
    ],
    [
      'a change alias longer than its column once lower-cased',
      changeInputSchema,
      { ...validChange, entityRef: undefined, alias: 'İ'.repeat(128) },
      'alias',
      'alias must be at most 255 characters once lower-cased, as it is stored (got 256)',
    ],
    [
      'a fact alias longer than its column once lower-cased',
      factInputSchema,
      { ...validFact, entityRef: undefined, alias: 'İ'.repeat(128) },
      'alias',
      'alias must be at most 255 characters once lower-cased, as it is stored (got 256)',
    ],
    [
      'a CI run repository longer than its column once lower-cased',
      ciRunInputSchema,
      { ...validRun, repository: `h/o/${'İ'.repeat(126)}` },
      'repository',
      'repository must be at most 255 characters once lower-cased, as it is stored (got 256)',
    ],
    [
      'a rollbackOf longer than its column as canonical JSON',
      changeInputSchema,
      { ...validChange, rollbackOf: '\u0001'.repeat(110) },
      'rollbackOf',
      'rollbackOf must be at most 640 characters as stored (canonical JSON, where a control character takes six; got 662)',
    ],
  ])('%s', (_name, schema, body, field, message) => {
    const result = validateInput(schema, body);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({
      code: 'INVALID_FIELD',
      field,
      message,
    });
  });

  it('accepts text at its limit that lower-casing does not lengthen', () => {
    expect(
      validateInput(changeInputSchema, {
        ...validChange,
        environment: 'É'.repeat(64),
        rollbackOf: 'x'.repeat(255),
      }).success,
    ).toBe(true);
  });

  it('accepts the largest attempt its column holds', () => {
    expect(
      validateInput(ciRunInputSchema, { ...validRun, attempt: 2147483647 })
        .success,
    ).toBe(true);
  });

  // Describing the value must not throw: JSON.stringify of it does, and String() of nested
  // arrays recurses as deep (a RangeError, answered 500).
  it.each([
    ['changes', changeInputSchema],
    ['facts', factInputSchema],
    ['CI runs', ciRunInputSchema],
  ])('refuses a body of %s nested 5,000 deep, naming its type', (_, schema) => {
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    const result = validateInput(schema as z.ZodType, deep);
    expect(result.success || result.error.message).toBe(
      'body must be an object (got array)',
    );
  });

  it('refuses a field nested 5,000 deep, naming its type', () => {
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    const result = validateInput(changeInputSchema, {
      ...validChange,
      summary: deep,
    });
    expect(result.success || result.error.message).toBe(
      'summary must be a string (got array)',
    );
  });

  it('keeps a NUL inside a JSON value (stored as escaped canonical JSON)', () => {
    expect(
      validateInput(factInputSchema, {
        ...validFact,
        value: { note: 'a\u0000b' },
      }).success,
    ).toBe(true);
  });

  it("accepts a file:// provenance on facts (a golden path's local remote)", () => {
    expect(
      validateInput(factInputSchema, {
        ...validFact,
        provenance: { url: 'file:///var/golden-paths/repos/cart-api.git' },
      }).success,
    ).toBe(true);
  });

  it('accepts http and https links', () => {
    for (const url of [
      'https://ci.example.com/runs/4711',
      'http://argo.local/app',
    ]) {
      expect(
        validateInput(changeInputSchema, {
          ...validChange,
          source: { ...validChange.source, url },
        }).success,
      ).toBe(true);
      expect(
        validateInput(ciRunInputSchema, { ...validRun, url }).success,
      ).toBe(true);
    }
  });

  it('masks a credential a message quotes, also one its cut would split', () => {
    // a token long enough that cutting the quoted value at 80 characters leaves no `@`
    const token = `ghs_${'x'.repeat(80)}`;
    const result = validateInput(changeInputSchema, {
      ...validChange,
      kind: `https://x-access-token:${token}@github.com/o/r`,
    });
    expect(result.success).toBe(false);
    const message = result.success ? '' : result.error.message;
    expect(message).toMatch(
      /^kind must be one of .* \(got "https:\/\/\*\*\*@github\.com\/o\/r"\)$/,
    );
    expect(message).not.toContain('ghs_');
  });

  it('exactly one of entityRef, repository for CI runs', () => {
    const result = validateInput(ciRunInputSchema, {
      ...validRun,
      entityRef: undefined,
    });
    expect(result.success || result.error.message).toBe(
      'exactly one of entityRef, repository is required',
    );
  });

  it('value larger than the canonical JSON limit names value', () => {
    const result = validateInput(factInputSchema, {
      ...validFact,
      value: { blob: 'x'.repeat(70200) },
    });
    expect(result.success || result.error).toMatchObject({
      field: 'value',
      message: `value must be at most 65536 bytes of canonical JSON (got ${
        70200 + '{"blob":""}'.length
      })`,
    });
    const smaller = createFactInputSchema({ maxValueBytes: 10 });
    expect(
      validateInput(smaller, { ...validFact, value: 'x'.repeat(9) }).success,
    ).toBe(false);
    expect(
      validateInput(smaller, { ...validFact, value: 'x'.repeat(8) }).success,
    ).toBe(true);
  });

  const registry = createKindRegistry();
  const rules = (
    body: Record<string, unknown>,
    collectedAt = '2026-03-14T02:05:00Z',
  ) => {
    const parsed = factInputSchema.parse(body);
    return validateFactRules(parsed, { registry, collectedAt });
  };

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'unregistered kind',
      { ...validFact, kind: 'foo.bar' },
      'kind',
      'kind "foo.bar" is not registered (evidence.kinds)',
    ],
    [
      'reserved source (EV33)',
      { ...validFact, source: 'prometheus' },
      'source',
      'source "prometheus" is reserved for the prometheus collector',
    ],
    [
      'window longer than the kind allows (EV14)',
      { ...validFact, freshForSeconds: 900000 },
      'freshForSeconds',
      'freshForSeconds must be at most 604800 for kind repo.files (got 900000)',
    ],
    [
      'older than history',
      { ...validFact, observedAt: '2024-01-01T00:00:00Z' },
      'observedAt',
      'observedAt is older than the 400-day history retention (got 2024-01-01T00:00:00.000Z)',
    ],
  ])('fact rule: %s', (_name, body, field, message) => {
    const result = rules(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toEqual({ field, message });
  });

  it('accepts golden-paths pushing repo.files with a shorter window (EV33, EV14)', () => {
    expect(rules({ ...validFact, freshForSeconds: 3600 })).toEqual({
      ok: true,
      freshForSeconds: 3600,
    });
    expect(rules(validFact)).toEqual({ ok: true, freshForSeconds: 604800 });
  });

  it('lets the collectors themselves use their reserved source ids', () => {
    const parsed = factInputSchema.parse({ ...validFact, source: 'repo' });
    expect(
      validateFactRules(parsed, {
        registry,
        collectedAt: '2026-03-14T02:05:00Z',
        allowReservedSource: true,
      }).ok,
    ).toBe(true);
  });

  it('prefixes batch items and lists every issue in details (EV26, EV32)', () => {
    const result = validateInput(
      changeInputSchema,
      { ...validChange, startedAt: 'yesterday', kind: 'release', extra: 1 },
      'items[1]',
    );
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.message).toBe(
      'items[1].kind must be one of deploy, config, feature-flag, schema-migration, infra (got "release")',
    );
    expect(result.error.details).toEqual({
      issues: [
        {
          field: 'items[1].kind',
          message:
            'items[1].kind must be one of deploy, config, feature-flag, schema-migration, infra (got "release")',
        },
        {
          field: 'items[1].startedAt',
          message:
            'items[1].startedAt must be an ISO-8601 UTC timestamp (got "yesterday")',
        },
        {
          field: 'items[1].extra',
          message: 'items[1].extra is not a known field',
        },
      ],
    });
  });

  it('names the EV26 field exactly', () => {
    const result = validateInput(
      changeInputSchema,
      { ...validChange, startedAt: 'yesterday' },
      'items[1]',
    );
    expect(result.success || result.error).toMatchObject({
      field: 'items[1].startedAt',
      message:
        'items[1].startedAt must be an ISO-8601 UTC timestamp (got "yesterday")',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'attributes are checked against their kind',
      { ...validChange, kind: 'infra', attributes: { workspace: 'w' } },
      'attributes.plan is required',
    ],
    [
      'unknown attribute members are refused',
      { ...validChange, attributes: { artifactDigest: 'd', colour: 1 } },
      'attributes.colour is not a known field',
    ],
    [
      'a rollbackOf natural key is validated as one',
      {
        ...validChange,
        rollbackOf: { system: 'GitHub Actions', externalId: '1' },
      },
      'rollbackOf.system must match /^[a-z0-9][a-z0-9._-]{0,63}$/ (got "GitHub Actions")',
    ],
    [
      'timestamps need seconds and Z',
      { ...validChange, startedAt: '2026-03-14T02:05+01:00' },
      'startedAt must be an ISO-8601 UTC timestamp (got "2026-03-14T02:05+01:00")',
    ],
    [
      'impossible dates are not timestamps',
      { ...validChange, startedAt: '2026-02-30T00:00:00Z' },
      'startedAt must be an ISO-8601 UTC timestamp (got "2026-02-30T00:00:00Z")',
    ],
    [
      'a body that is not an object',
      [] as unknown as Record<string, unknown>,
      'body must be an object (got [])',
    ],
  ])('%s', (_name, body, message) => {
    const result = validateInput(changeInputSchema, body);
    expect(result.success || result.error.message).toBe(message);
  });

  it('requires conclusion iff a CI run completed', () => {
    const missing = validateInput(ciRunInputSchema, {
      ...validRun,
      conclusion: undefined,
    });
    expect(missing.success || missing.error.message).toBe(
      'conclusion is required',
    );
    const early = validateInput(ciRunInputSchema, {
      ...validRun,
      status: 'queued',
    });
    expect(early.success || early.error.message).toBe(
      'conclusion is only allowed when status is completed',
    );
  });

  it('accepts nine fraction digits and a rollbackOf ledger id', () => {
    expect(
      validateInput(changeInputSchema, {
        ...validChange,
        startedAt: '2026-03-14T02:00:00.123456789Z',
        rollbackOf: '01JQ7Z0000000000000000000',
      }).success,
    ).toBe(true);
  });

  describe('read-route primitives', () => {
    const query = z.object({
      entityRefs: listBetween(entityRefSchema, 1, 3),
      limit: queryIntegerBetween(1, 1000).optional(),
    });

    it.each<[Record<string, unknown>, string]>([
      [{ entityRefs: [] }, 'entityRefs must contain 1–3 entries (got 0)'],
      [
        { entityRefs: ['a:b/c', 'a:b/d', 'a:b/e', 'a:b/f'] },
        'entityRefs must contain 1–3 entries (got 4)',
      ],
      [
        { entityRefs: ['a:b/c', 'svc'] },
        'entityRefs[1] "svc" is not a full ref (kind:namespace/name)',
      ],
      [
        { entityRefs: ['a:b/c'], limit: 'lots' },
        'limit must be an integer between 1 and 1000 (got "lots")',
      ],
      [
        { entityRefs: ['a:b/c'], limit: '1001' },
        'limit must be an integer between 1 and 1000 (got "1001")',
      ],
      [
        { entityRefs: ['a:b/c'], limit: '1.5' },
        'limit must be an integer between 1 and 1000 (got "1.5")',
      ],
    ])('%j → %s', (input, message) => {
      const result = validateInput(query, input);
      expect(result.success || result.error.message).toBe(message);
    });

    it('parses a query integer to a number', () => {
      expect(
        validateInput(query, { entityRefs: ['a:b/c'], limit: '20' }),
      ).toEqual({
        success: true,
        data: { entityRefs: ['a:b/c'], limit: 20 },
      });
    });
  });
});
