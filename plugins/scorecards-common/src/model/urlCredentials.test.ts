import { redactUrlCredentials, withoutUrlUserinfo } from './urlCredentials';

describe('redactUrlCredentials', () => {
  it.each([
    // user and password, user only, token only
    ['https://bob:s3cr3t@h/x', 'https://***@h/x'],
    ['http://token@host.example.com/x', 'http://***@host.example.com/x'],
    [
      'git+ssh://user:pw@git.example.com/o/r.git',
      'git+ssh://***@git.example.com/o/r.git',
    ],
    ['https://bob:s3cr3t@host:8443', 'https://***@host:8443'],
    // inside text, as messages and `found` quote them
    [
      'runbook link https://bob:s3cr3t@host/x in metadata.links.',
      'runbook link https://***@host/x in metadata.links.',
    ],
    [
      'url:https://bob:s3cr3t@github.com/o/r/',
      'url:https://***@github.com/o/r/',
    ],
    ['"url:https://bob:s3cr3t@h/x" on a', '"url:https://***@h/x" on a'],
    // every URL of the text, with and without credentials
    [
      'https://a:1@h1/x (503), https://h2/y, http://b:2@h3 (404)',
      'https://***@h1/x (503), https://h2/y, http://***@h3 (404)',
    ],
    // a raw `@` in the password: the userinfo ends at the authority's last `@`
    ['https://bob:p@ss@h/x', 'https://***@h/x'],
    // an `@` after the authority is a path, query or fragment, not userinfo
    [
      'https://registry.example.com/@scope/pkg',
      'https://registry.example.com/@scope/pkg',
    ],
    [
      'https://h.example.com?by=bob@example.com',
      'https://h.example.com?by=bob@example.com',
    ],
    ['https://h.example.com#bob@x', 'https://h.example.com#bob@x'],
    // an e-mail address or an scp-style remote names a user, not a secret
    ['mail bob@example.com', 'mail bob@example.com'],
    ['mailto:bob@example.com', 'mailto:bob@example.com'],
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
    [
      'https://h.example.com/x and bob@example.com',
      'https://h.example.com/x and bob@example.com',
    ],
    // nothing to hide
    ['https://@h/x', 'https://@h/x'],
    ['https://h.example.com/x', 'https://h.example.com/x'],
    ['no url at all', 'no url at all'],
    ['', ''],
    // already redacted text stays as it is
    ['https://***@h/x', 'https://***@h/x'],
  ])('%j → %j', (text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
  });

  it('returns text without credentials as the same string', () => {
    const text = 'https://h.example.com/x by bob@example.com';
    expect(redactUrlCredentials(text)).toBe(text);
  });

  it('reads long text that almost matches in linear time', () => {
    const text = `${'a'.repeat(200_000)}://${'b'.repeat(
      200_000,
    )}/@ ${'://'.repeat(100_000)}@`;
    const started = Date.now();
    expect(redactUrlCredentials(text)).toBe(text);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('withoutUrlUserinfo', () => {
  it.each([
    ['https://u:p@github.com/o/r', 'https://github.com/o/r'],
    ['git+ssh://git@git.example.com/o/r', 'git+ssh://git.example.com/o/r'],
    ['https://github.com/o/r', 'https://github.com/o/r'],
    ['git@github.com:o/r', 'git@github.com:o/r'],
  ])('%j → %j', (text, expected) => {
    expect(withoutUrlUserinfo(text)).toBe(expected);
  });
});
