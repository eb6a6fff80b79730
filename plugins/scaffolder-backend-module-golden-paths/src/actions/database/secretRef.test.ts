import { assertSecretReference } from './secretRef';

/** The message `assertSecretReference` throws, or 'ok'. */
function outcome(secretRef: string): string {
  try {
    assertSecretReference(secretRef);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('assertSecretReference', () => {
  it.each([
    ['local-secret://gp/cart-db-dev/app', 'ok'],
    ['secretsmanager://gp/cart-db-prod/app', 'ok'],
    [
      'cart_app:S3cr3tPassw0rd',
      'secretRef must be a secret reference such as local-secret://gp/<resource>/app',
    ],
    [
      'postgresql://cart_app:S3cr3tPassw0rd!@db.internal:5432/cart',
      'secretRef carries a secret (credentials in a URL); write the credentials to the secret store and pass its reference, e.g. local-secret://gp/<resource>/app',
    ],
    [
      'vault://kv/cart?token=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'secretRef carries a secret (GitHub token); write the credentials to the secret store and pass its reference, e.g. local-secret://gp/<resource>/app',
    ],
  ])('%s → %s', (secretRef, expected) => {
    expect(outcome(secretRef)).toBe(expected);
  });
});
