import { InputError } from '@backstage/errors';
import path from 'node:path';
import type { PublishSettings } from '../../config/readConfig';
import { isUrlRemote } from '../../git/localRepository';

/**
 * A remote publish:git may write to: a bare repository under `goldenPaths.publish.local.root`,
 * or a remote on `goldenPaths.publish.git.allowedRemotes`. Anything else is refused, so a
 * template cannot push somewhere the platform did not configure.
 */
export function resolveRemote(
  remoteUrl: string,
  publish: PublishSettings,
): string {
  if (isUrlRemote(remoteUrl)) {
    if (publish.allowedRemotes.some(prefix => remoteUrl.startsWith(prefix))) {
      return remoteUrl;
    }
    // named without its user part: `https://bot:<token>@host/…` must not reach the task log
    throw new InputError(
      `remoteUrl ${withoutUserInfo(
        remoteUrl,
      )} is not on goldenPaths.publish.git.allowedRemotes; ask the platform team to allow it`,
    );
  }
  const root = path.resolve(publish.localRoot);
  const resolved = path.resolve(remoteUrl);
  if (
    !resolved.startsWith(`${root}${path.sep}`) ||
    !resolved.endsWith('.git')
  ) {
    throw new InputError(
      `remoteUrl ${remoteUrl} must be a <name>.git repository under goldenPaths.publish.local.root (${root})`,
    );
  }
  return resolved;
}

/** A URL with its `user:password@` part replaced by `***@`. */
export function withoutUserInfo(url: string): string {
  // up to the last '@' of the authority: a password may hold a raw '@'
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/\s]*@/i, '$1***@');
}
