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

  // Forms WHATWG URL parsers (browsers, Node's `URL`) also read as credentials.
  it.each([
    // after a special scheme, any run of `/` and `\`, or none, opens the authority
    ['https:/u:p@host/x', 'https:/***@host/x'],
    ['https:u:p@host', 'https:***@host'],
    ['https:\\\\u:p@host', 'https:\\\\***@host'],
    ['https:\\/u:p@h', 'https:\\/***@h'],
    ['https:///u:p@h/x', 'https:///***@h/x'],
    ['http:token@h', 'http:***@h'],
    ['ws:u:p@h', 'ws:***@h'],
    ['wss:\\u:p@h', 'wss:\\***@h'],
    ['ftp:/u:p@h', 'ftp:/***@h'],
    // the scheme in any case
    ['HTTPS:u:p@h', 'HTTPS:***@h'],
    ['Http:/u:p@h', 'Http:/***@h'],
    // parsers drop tabs and line breaks: they neither end the userinfo nor the slashes
    ['https://u:p\nass@host/x', 'https://***@host/x'],
    ['https://u:p\tass@host', 'https://***@host'],
    ['https://u\r\n:p@host', 'https://***@host'],
    ['https:\n//u:p@h', 'https:\n//***@h'],
    ['git+ssh:/\t/u:p@h', 'git+ssh:/\t/***@h'],
    // so a URL at a line's end runs on into the next line, as it would for a parser
    ['https://h.example.com\nbob@example.com', 'https://***@example.com'],
    // inside text, as messages and `found` quote them
    ['link url:https:u:p@h/x.', 'link url:https:***@h/x.'],
    ['"https:\\\\u:p@h" and https:/a@b', '"https:\\\\***@h" and https:/***@b'],
  ])('masks %j → %j', (text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
  });

  it.each([
    'https:/u:p@host/x',
    'https:u:p@host',
    'https:\\\\u:p@host',
    'https:\\/u:p@h',
    'https:///u:p@h',
    'HTTPS:u:p@h',
    'wss:\\u:p@h',
    'https://u:p\nass@host',
    'https:\n//u:p@h',
  ])('leaves no credentials a URL parser reads in %j', text => {
    const parsed = new URL(text);
    expect(`${parsed.username}${parsed.password}`).not.toBe('');
    const redacted = new URL(redactUrlCredentials(text));
    expect(redacted.username).toBe('***');
    expect(redacted.password).toBe('');
    expect(redacted.host).toBe(parsed.host);
    const stripped = new URL(withoutUrlUserinfo(text));
    expect(`${stripped.username}${stripped.password}`).toBe('');
    expect(stripped.host).toBe(parsed.host);
  });

  it.each([
    // another scheme has an authority only after `//`; these are paths to parsers
    'git+https:u:p@h',
    'xhttps:u:p@h',
    'mailto:bob@example.com',
    'urn:bob@example.com',
    // a file URL never has userinfo: `file:` is not given the special forms
    'file:u:p@h',
    'file:///me@host/x',
    // white space after the scheme ends the (empty) authority
    'scheme https: bob@example.com',
    // e-mails and scp-style remotes, also next to a special scheme
    'git@github.com:org/repo.git',
    'git@ws.example.com:org/repo',
    'http:host.example.com by bob@example.com',
  ])('leaves %j as it is', text => {
    expect(redactUrlCredentials(text)).toBe(text);
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

  it('reads long text of special schemes, slashes and line breaks in linear time', () => {
    const text = `${'https:'.repeat(100_000)}${'\\/'.repeat(
      100_000,
    )}${'\n'.repeat(100_000)}${'https:\n'.repeat(100_000)} @`;
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
    ['https:u:p@github.com/o/r', 'https:github.com/o/r'],
    ['https:\\u:p@github.com/o/r', 'https:\\github.com/o/r'],
  ])('%j → %j', (text, expected) => {
    expect(withoutUrlUserinfo(text)).toBe(expected);
  });
});
