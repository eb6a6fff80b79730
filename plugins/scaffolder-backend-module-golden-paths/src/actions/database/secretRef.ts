import { InputError } from '@backstage/errors';
import { detectSecret } from '@internal/plugin-golden-paths-common';

/**
 * Refuses a `secretRef` that is not a reference or that carries the secret itself
 * (`postgresql://app:password@host/db`): it is written to the Resource's annotations, so it
 * reaches the catalog. The message never repeats the value.
 */
export function assertSecretReference(secretRef: string): void {
  let url: URL | undefined;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(secretRef)
      ? new URL(secretRef)
      : undefined;
  } catch {
    url = undefined;
  }
  if (!url) {
    throw new InputError(
      'secretRef must be a secret reference such as local-secret://gp/<resource>/app',
    );
  }
  const detector =
    url.username || url.password
      ? 'credentials in a URL'
      : detectSecret(secretRef);
  if (detector) {
    throw new InputError(
      `secretRef carries a secret (${detector}); write the credentials to the secret store and pass its reference, e.g. local-secret://gp/<resource>/app`,
    );
  }
}
