import { parseRequest } from '../request/parseRequest';
import { fixtureConfig, S0 } from '../__fixtures__/demo';
import {
  checkTemplateParameters,
  detectSecret,
  scanForSecrets,
} from './secretDetectors';

describe('secret detectors (GP-X01/X02/X03)', () => {
  it.each([
    ['private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE'],
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE'],
    ['GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['Slack token', 'xoxb-123456789012-abcdef'],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ['credentials in a URL', 'postgres://app:hunter22@db.internal/app'],
    ['password assignment', 'password=hunter2hunter2'],
  ])('detects a %s without echoing it', (detector, value) => {
    const [r] = scanForSecrets({ nested: { field: value } });
    expect(r).toMatchObject({
      id: 'GP-X01',
      outcome: 'deny',
      field: 'nested.field',
    });
    expect(r.message).toContain(`(${detector})`);
    expect(JSON.stringify(r)).not.toContain(value.slice(0, 12));
  });

  it('plain text passes; a long random string only warns', () => {
    expect(
      scanForSecrets({
        description: 'Keeps shopping carts for signed-in and guest shoppers.',
      }),
    ).toEqual([]);
    expect(
      scanForSecrets({ note: 'Zx8Qp2Lr7Vn4Kt1Wm6Ys3Hd9Gf5Jb0Ca' }),
    ).toEqual([
      {
        id: 'GP-X03',
        outcome: 'warn',
        field: 'note',
        message:
          'GP-X03 (warning): Field "note" contains a long random-looking string; make sure it is not a secret.',
      },
    ]);
  });

  it.each([
    ['system', 'component:default/checkout-payments-gateway'],
    ['dependsOn.0', 'component:default/inventory-reservation-svc'],
    ['owner', 'group:default/checkout-platform-team'],
    ['runbookUrl', 'https://runbooks.example.com/checkout/payments'],
    [
      'runbookUrl',
      'https://wiki.example.com/ops/runbooks?page=checkout-payments#escalation',
    ],
  ])(
    'a long entity ref or link in %s is judged by its parts, not warned as random',
    (field, value) => {
      expect(scanForSecrets({ [field]: value })).toEqual([]);
    },
  );

  it.each([
    'https://hooks.example.com/services/Zx8Qp2Lr7Vn4Kt1Wm6Ys3Hd9Gf5Jb0Ca',
    'https://api.example.com/v1/items?access=Zx8Qp2Lr7Vn4Kt1Wm6Ys3Hd9Gf5Jb0Ca',
    'component:default/zx8qp2lr7vn4kt1wm6ys3hd9gf5jb0ca-k7',
  ])('a random part of a link or ref still warns: %s', note => {
    expect(scanForSecrets({ note })).toMatchObject([
      { id: 'GP-X03', outcome: 'warn', field: 'note' },
    ]);
  });

  it('refuses templates that collect secrets', () => {
    expect(
      checkTemplateParameters('service-node-http', [
        { name: 'dbPassword' },
        { name: 'name' },
      ])[0].message,
    ).toBe(
      'GP-X02: Template "service-node-http" collects "dbPassword", which looks like a secret. Golden-path templates may not collect secrets; remove the parameter.',
    );
  });

  it.each([
    'see mirror+https://bot:hunter22hunter@git.internal/x',
    '1https://bot:hunter22hunter@git.internal/x',
    'secret: hunter2hunter2',
  ])('still finds the secret in %s', note => {
    const [r] = scanForSecrets({ note });
    expect(r).toMatchObject({ id: 'GP-X01', field: 'note' });
  });

  it.each(['local-secret://gp/cart-db-dev/app', 'https://git.example.com/x'])(
    'a reference is no secret: %s',
    note => {
      expect(scanForSecrets({ note })).toEqual([]);
    },
  );

  it('scans an 80,000-character word in one pass (the URL pattern was quadratic: 19 s)', () => {
    const word = 'a'.repeat(80_000);
    // a bound of jest's default 5 s timeout, not a benchmark: quadratic takes minutes here
    expect(scanForSecrets({ description: word })).toEqual([]);
  });

  it('walks a request nested 20,000 levels deep without overflowing, in document order', () => {
    let deep: unknown = 'password=hunter2hunter2';
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const results = scanForSecrets({
      a: 'password=first-secret',
      deep,
      z: 'x',
    });
    expect(results.map(r => (r.field ?? '').split('.').length)).toEqual([
      1, 20_001,
    ]);
  });

  it.each([
    ['credentials in a URL', 'redis://:s3cretPassw0rd@cache.internal:6379/0'],
    ['credentials in a URL', 'postgres://app:ab/cd12345@db.internal/app'],
    ['private key', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
    ['JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.'],
    ['JWT', 'Bearer_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    [
      'GitHub token',
      'export GITHUB_TOKEN_ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ],
    ['AWS access key id', 'key=AKIAIOSFODNN7EXAMPLE_prod'],
    ['AWS access key id', 'AWS_KEY_AKIAIOSFODNN7EXAMPLE'],
    ['Slack token', 'SLACK_BOT_xoxb-123456789012-abcdef'],
  ])('detects a %s in %s', (detector, text) => {
    expect(detectSecret(text)).toBe(detector);
  });

  it.each([
    // a port followed by a path with '@' is not a password
    'https://registry.npmjs.org:443/@backstage/core',
    'ssh://git@github.com:22/acme/cart-api.git',
    'https://user@git.example.com/x',
    // the prefix of a token inside a longer word is not a token
    'laughs_abcdefghijklmnopqrstuvwxyz012345',
    'XAKIAIOSFODNN7EXAMPLE',
    'release v1.2.3 of eyJ-tools.',
    'see file.eyJx.txt',
    // `eyJ` inside a word does not start a JWT
    'monkeyJar.example.com',
    'api.surveyJS.example.com',
    '-----BEGIN PGP PUBLIC KEY BLOCK-----',
  ])('no secret in %s', text => {
    expect(detectSecret(text)).toBeUndefined();
  });

  // Each detector starts at a fixed anchor (a literal, or a single char with a bounded look
  // back/ahead) and every run it scans ends at a character the run cannot contain, so the work
  // per anchor is bounded by disjoint stretches of the text: linear overall. These inputs made
  // the JWT detector quadratic (40,000 characters: 0.8 s; 400,000: minutes) and would do the
  // same to a URL detector that lets the password run over '/' from every '://'.
  it.each([
    ['eyJ-', 'eyJ-'.repeat(100_000)],
    ['a://b:', 'a://b:'.repeat(66_667)],
    [':', ':'.repeat(400_000)],
    ['aaaa.', 'aaaa.'.repeat(80_000)],
    ['-----BEGIN ', '-----BEGIN '.repeat(36_364)],
    ['password ', 'password '.repeat(44_445)],
    ['ghp_', 'ghp_'.repeat(100_000)],
  ])('scans 400,000 characters of %j in linear time', (_, text) => {
    expect(text.length).toBeGreaterThanOrEqual(400_000);
    expect(detectSecret(text)).toBeUndefined();
  });

  describe('a secret used as a field name', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const aws = 'AKIAIOSFODNN7EXAMPLE';

    it('is a GP-X01 finding named by its path, never by its text', () => {
      const results = scanForSecrets({
        [token]: 'x',
        tags: { [aws]: { note: 'password=hunter2hunter2' } },
      });
      expect(results.map(r => [r.id, r.field])).toEqual([
        ['GP-X01', '(field name)'],
        ['GP-X01', 'tags.(field name)'],
        ['GP-X01', 'tags.(field name).note'],
      ]);
      expect(results[0].message).toBe(
        'GP-X01: Field "(field name)" looks like it contains a secret (GitHub token). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
      );
      const text = JSON.stringify(results);
      expect(text).not.toContain(token.slice(0, 12));
      expect(text).not.toContain(aws.slice(0, 12));
    });

    it('is not echoed by GP-V02 when the schema phase runs on its own', () => {
      const parsed = parseRequest(
        'service',
        { ...S0, [token]: 'x' },
        fixtureConfig,
      );
      expect(parsed.ok).toBe(false);
      expect(JSON.stringify(parsed)).not.toContain(token.slice(0, 12));
      expect(!parsed.ok && parsed.errors.map(e => e.message)).toEqual([
        'GP-V02: Field "(field name)" is not part of a service request; remove it.',
      ]);
    });
  });
});
