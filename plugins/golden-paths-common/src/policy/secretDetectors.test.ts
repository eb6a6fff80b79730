import { checkTemplateParameters, scanForSecrets } from './secretDetectors';

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
});
