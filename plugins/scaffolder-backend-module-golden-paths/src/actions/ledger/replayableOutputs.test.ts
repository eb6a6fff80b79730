import { replayableOutputs } from './ledgerClose';

describe('replayableOutputs', () => {
  it('keeps scalars, drops empty values, objects and secret-looking strings by name only', () => {
    const { outputs, dropped } = replayableOutputs({
      entityRef: 'component:default/cart-api',
      secretRef: 'local-secret://gp/cart-db-dev/app',
      commitSha: '0123456789abcdef0123456789abcdef01234567',
      attempts: 2,
      dryRun: false,
      empty: '',
      nothing: null,
      nested: { a: 1 },
      dbPassword: 'password=hunter2-S3cret',
      token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    });
    expect(outputs).toEqual({
      entityRef: 'component:default/cart-api',
      secretRef: 'local-secret://gp/cart-db-dev/app',
      commitSha: '0123456789abcdef0123456789abcdef01234567',
      attempts: 2,
      dryRun: false,
    });
    expect(dropped).toEqual([
      ['nested', 'not a string, number or boolean'],
      ['dbPassword', 'looks like a secret: password assignment'],
      ['token', 'looks like a secret: GitHub token'],
    ]);
  });
});
