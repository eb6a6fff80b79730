import { InputError } from '@backstage/errors';
import path from 'node:path';
import type { PublishSettings } from '../../config/readConfig';
import { isUrlRemote } from '../../git/localRepository';

/**
 * A remote publish:git may write to: a bare repository under `goldenPaths.publish.local.root`,
 * or a remote on `goldenPaths.publish.git.allowedRemotes`. Anything else is refused, so a
 * template cannot push somewhere the platform did not configure. An entry admits a remote with
 * the same scheme, host, port and user part — spelled as the entry spells it, none unless the
 * entry names one (`https://evil@…`, `https://@…`, `https://git:@…` do not match an entry
 * without one or with `git@`): credentials are never taken from a template — whose path is the
 * entry's or below it on a segment boundary
 * (`https://github.com/acme` admits `…/acme/x.git`, not `…/acme-evil/x.git`, nor
 * `https://github.com.evil.com/…` or `https://github.com@evil.com/…`).
 */
export function resolveRemote(
  remoteUrl: string,
  publish: PublishSettings,
): string {
  if (isUrlRemote(remoteUrl)) {
    if (publish.allowedRemotes.some(entry => isAllowedBy(entry, remoteUrl))) {
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

/** `user@host:path` (scp form): user part with its `@`, host, path. */
const SCP = /^([^/@:\s]+@)?([^/:\s]+):(?!\/\/)(.*)$/;

/**
 * The user part of a remote exactly as written (`user`, `user:password`, or `''` for a bare
 * `@`), or undefined when it has none. Compared as text: the URL parser reads `https://@host`,
 * `https://:@host` and `https://host` alike, and `user:` like `user`, but git and curl do not
 * (an empty password is still sent), so only the entry's own spelling matches.
 */
function userInfo(remote: string): string | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(remote);
  const authority = url ? url[1] : SCP.exec(remote)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  return at < 0 ? undefined : authority.slice(0, at);
}

/** `user@host:path` (scp form) as the `ssh://user@host/path` it stands for. */
function asUrl(remote: string): URL | undefined {
  const scp = SCP.exec(remote);
  const text =
    scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote)
      ? `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3].replace(/^\//, '')}`
      : remote;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Whether allowedRemotes `entry` admits `candidate` (see resolveRemote). */
function isAllowedBy(entry: string, candidate: string): boolean {
  // what git would read differently from the URL parser (`\`, blanks, dot segments) is refused
  if (/[\\\s]/.test(candidate)) return false;
  const allowed = asUrl(entry);
  const wanted = asUrl(candidate);
  if (!allowed || !wanted) return false;
  const rawPath = candidate.replace(/^[^:]*:(\/\/[^/]*)?/, '');
  if (
    rawPath
      .split(/[/?#]/)
      .some(seg => /^(\.|%2e){1,2}$/i.test(seg) || /%2f|%5c/i.test(seg))
  ) {
    return false;
  }
  if (
    wanted.protocol !== allowed.protocol ||
    wanted.host !== allowed.host ||
    userInfo(candidate) !== userInfo(entry)
  ) {
    return false;
  }
  const base = allowed.pathname.replace(/\/+$/, '');
  return wanted.pathname === base || wanted.pathname.startsWith(`${base}/`);
}
