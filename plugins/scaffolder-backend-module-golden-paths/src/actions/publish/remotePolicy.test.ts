import { resolveRemote, withoutUserInfo } from './remotePolicy';

describe('withoutUserInfo', () => {
  it.each([
    [
      'https://bot:ghp_abcdefghijklmnopqrstuvwxyz0123456789@evil.example.com/x.git',
      'https://***@evil.example.com/x.git',
    ],
    [
      'https://bot:p@ss@host.example.com/x.git',
      'https://***@host.example.com/x.git',
    ],
    ['https://git.example.com/org/x.git', 'https://git.example.com/org/x.git'],
    [
      'https://git.example.com/org/x.git?u=a@b',
      'https://git.example.com/org/x.git?u=a@b',
    ],
    [
      'ssh://git@git.example.com/org/x.git',
      'ssh://***@git.example.com/org/x.git',
    ],
  ])('%s → %s', (url, expected) => {
    expect(withoutUserInfo(url)).toBe(expected);
  });
});

describe('resolveRemote allowedRemotes (origin and path segments, never a bare prefix)', () => {
  const settings = (allowedRemotes: string[]) =>
    ({ allowedRemotes, localRoot: '/srv/golden-paths' } as any);

  it.each([
    ['https://github.com', 'https://github.com/acme/x.git'],
    ['https://github.com/', 'https://github.com/acme/x.git'],
    ['https://github.com/acme', 'https://github.com/acme/x.git'],
    ['https://github.com/acme/', 'https://github.com/acme/x.git'],
    ['https://GitHub.com/acme', 'https://github.com/acme/x.git'],
    ['ssh://git@git.example.com/org', 'ssh://git@git.example.com/org/x.git'],
    ['git@git.example.com:org', 'git@git.example.com:org/x.git'],
    ['file:///srv/remotes/', 'file:///srv/remotes/x.git'],
    ['https://git@github.com/org', 'https://git@github.com/org/x.git'],
    ['git@git.example.com:org', 'ssh://git@git.example.com/org/x.git'],
  ])('%s admits %s', (entry, candidate) => {
    expect(resolveRemote(candidate, settings([entry]))).toBe(candidate);
  });

  it.each([
    ['https://github.com', 'https://github.com.evil.com/acme/x.git'],
    ['https://github.com', 'https://github.com@evil.com/acme/x.git'],
    ['https://github.com', 'https://github.com:8443/acme/x.git'],
    ['https://github.com', 'http://github.com/acme/x.git'],
    ['https://github.com', 'https://bot:token@github.com/acme/x.git'],
    ['https://github.com/acme', 'https://github.com/acme-evil/x.git'],
    ['https://github.com/acme', 'https://github.com/acme/../evil/x.git'],
    ['https://github.com/acme', 'https://github.com/evil/x.git'],
    ['ssh://git@git.example.com/org', 'ssh://root@git.example.com/org/x.git'],
    ['git@git.example.com:org', 'git@git.example.com:org-evil/x.git'],
    ['file:///srv/remotes', 'file:///srv/remotes-evil/x.git'],
    // userinfo must be the entry's exactly: none when it names none
    ['https://github.com/org/', 'https://evil@github.com/org/x'],
    ['https://github.com/org/', 'https://@github.com/org/x'],
    ['https://github.com/org/', 'https://:@github.com/org/x'],
    ['https://github.com/org/', 'https://evil:@github.com/org/x'],
    ['https://git@github.com/org', 'https://git:@github.com/org/x.git'],
    ['https://git@github.com/org', 'https://git:pw@github.com/org/x.git'],
    ['https://git@github.com/org', 'https://GIT@github.com/org/x.git'],
    ['https://git@github.com/org', 'https://%67it@github.com/org/x.git'],
    ['https://git@github.com/org', 'https://github.com/org/x.git'],
    ['github.com:org', 'evil@github.com:org/x.git'],
    ['git@git.example.com:org', 'ssh://git:@git.example.com/org/x.git'],
  ])('%s refuses %s', (entry, candidate) => {
    expect(() => resolveRemote(candidate, settings([entry]))).toThrow(
      /is not on goldenPaths\.publish\.git\.allowedRemotes/,
    );
  });
});
