import {
  redactCredentials,
  redactCredentialsDeep,
  redactLowerCasedCredentials,
  redactSecretQueryParams,
} from './credentials';
import { redactUrlCredentials, withoutUrlUserinfo } from './urlCredentials';

// The userinfo scan's own cases are scorecards-common's src/model/urlCredentials.test.ts, which
// tests it through the re-export (scorecards-backend reads that file's cases for its migration).
describe('redactUrlCredentials', () => {
  it.each([
    [
      'https://ci:ghp_x@ci.example.com/run/1',
      'https://***@ci.example.com/run/1',
    ],
    [
      'https://registry.example.com/@scope/pkg',
      'https://registry.example.com/@scope/pkg',
    ],
  ])('%j → %j', (text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
    expect(withoutUrlUserinfo(text)).toBe(expected.replace('***@', ''));
  });
});

describe('redactSecretQueryParams', () => {
  it.each([
    [
      'https://h/x?sha=main&private_token=glpat-xyz',
      'https://h/x?sha=main&private_token=***',
    ],
    ['https://h/x?access_token=a&b=c', 'https://h/x?access_token=***&b=c'],
    ['?X-Amz-Signature=abc, then', '?X-Amz-Signature=***, then'],
    [
      'https://h?apiKey=k1 and &password=p2',
      'https://h?apiKey=*** and &password=***',
    ],
    ['https://h?AUTH=x', 'https://h?AUTH=***'],
    // the value runs to `&`, `,` or white space, whatever it holds
    ['?token=a?key=b&c=d', '?token=***&c=d'],
    // not a secret name, no value, no parameter
    ['https://h/x?sha=main&page=2', 'https://h/x?sha=main&page=2'],
    ['?token=&next=1', '?token=&next=1'],
    ['token=abc', 'token=abc'],
    ['?token', '?token'],
    ['', ''],
    // masked text stays as it is
    ['?token=***', '?token=***'],
    // whole words of the name, any separator or case change; a word inside another is none
    ['?APIKey=k&client_secret=s', '?APIKey=***&client_secret=***'],
    ['?X-Amz-Credential=c&sv=1&sig=s', '?X-Amz-Credential=***&sv=1&sig=***'],
    ['?auth.token=t&jwt=j', '?auth.token=***&jwt=***'],
    [
      'https://grafana/d/x?design=blue&author=ana&keyboard=us&monkey=1&signal=err&tokens_used=9',
      'https://grafana/d/x?design=blue&author=ana&keyboard=us&monkey=1&signal=err&tokens_used=9',
    ],
    // words run together: a word ending in a secret word, or a key named what kind it is
    ['?apitoken=abc123', '?apitoken=***'],
    ['?accesstoken=a&authtoken=b', '?accesstoken=***&authtoken=***'],
    ['?secretkey=a&clientsecret=b', '?secretkey=***&clientsecret=***'],
    ['?APIToken=a&xapikey=b', '?APIToken=***&xapikey=***'],
    ['?dbpassword=a&rootpasswd=b', '?dbpassword=***&rootpasswd=***'],
    [
      '?urlsignature=a&gcpcredentials=b',
      '?urlsignature=***&gcpcredentials=***',
    ],
    ['?accessKey=a&privatekey=b', '?accessKey=***&privatekey=***'],
    ['?hotkey=k&authors=a&keys=3', '?hotkey=k&authors=a&keys=3'],
    // a word after the secret one that describes it: OAuth's token_type, token_type_hint
    [
      '?token_type=bearer&token_type_hint=refresh_token&token_expires_in=60',
      '?token_type=bearer&token_type_hint=refresh_token&token_expires_in=60',
    ],
    // a describing word before the secret one describes nothing
    ['?type_token=t&hint.secret=s', '?type_token=***&hint.secret=***'],
    // `key` alone is ambiguous and stays masked: Google's APIs take their key as `?key=`
    ['?key=AIzaSy1&sort_key=created', '?key=***&sort_key=***'],
    // a parameter after `#` (OAuth's implicit flow) and after an HTML-escaped `&amp;`
    [
      'https://app/cb#access_token=abc123&token_type=bearer',
      'https://app/cb#access_token=***&token_type=bearer',
    ],
    [
      '<a href="https://gl/api?sha=main&amp;private_token=glpat-abc">',
      '<a href="https://gl/api?sha=main&amp;private_token=***">',
    ],
    ['?token=abc&amp;next=1', '?token=***&amp;next=1'],
    ['#fragment&amp=1', '#fragment&amp=1'],
    // the value ends where quotes or brackets enclosing the URL do
    [
      '{"url":"https://h/?token=abc","n":1}',
      '{"url":"https://h/?token=***","n":1}',
    ],
    ["url='https://h/?token=abc'", "url='https://h/?token=***'"],
    [
      '(see https://h/?token=abc) and more',
      '(see https://h/?token=***) and more',
    ],
    ['<https://h/?token=abc>', '<https://h/?token=***>'],
    ['[https://h/?token=abc]', '[https://h/?token=***]'],
    [
      '{\\"u\\":\\"https://h/?token=abc\\"}',
      '{\\"u\\":\\"https://h/?token=***\\"}',
    ],
  ])('%j → %j', (text, expected) => {
    expect(redactSecretQueryParams(text)).toBe(expected);
    expect(redactCredentials(text)).toBe(expected);
  });

  it('reads long names without `=` in linear time', () => {
    const text = `${'?token'.repeat(50_000)}${'&key'.repeat(
      50_000,
    )}${'a'.repeat(200_000)}`;
    const started = Date.now();
    expect(redactSecretQueryParams(`${text}=`)).toBe(`${text}=`);
    expect(redactSecretQueryParams(`?${'tokenx'.repeat(100_000)}`)).toBe(
      `?${'tokenx'.repeat(100_000)}`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('redactCredentials', () => {
  it.each([
    // userinfo, the query rule and both at once
    [
      'https://ci:ghp_x@ci.example.com/run/1',
      'https://***@ci.example.com/run/1',
    ],
    [
      'Failed for https://bot:s3cr3t@gitlab.example/api?sha=main&private_token=glpat-xyz, 401',
      'Failed for https://***@gitlab.example/api?sha=main&private_token=***, 401',
    ],
    // a password holding a raw `/`, `?` or `#`: parsers read no userinfo, the text shows one
    [
      'Request failed for https://u:ab/cd@host/o/r',
      'Request failed for https://***@host/o/r',
    ],
    ['https://u:a?b@host', 'https://***@host'],
    ['git+ssh://u:a#b@host/x', 'git+ssh://***@host/x'],
    // ports, paths, e-mails and scoped packages are no credentials
    [
      'https://h.example.com:8443/x/bob@example.com',
      'https://h.example.com:8443/x/bob@example.com',
    ],
    [
      'https://h.example.com:/x/bob@example.com',
      'https://h.example.com:/x/bob@example.com',
    ],
    [
      'https://registry.example.com/@scope/pkg',
      'https://registry.example.com/@scope/pkg',
    ],
    ['mail bob@example.com about //x', 'mail bob@example.com about //x'],
    ['https://h/a//u:p/q@h2 end', 'https://h/a//***@h2 end'],
    // scheme-less, protocol-relative URLs
    ['//u:p@h/x', '//***@h/x'],
    [
      'deploy from //ci:tok@ci.example.com/run',
      'deploy from //***@ci.example.com/run',
    ],
    ['url=//tok@h', 'url=//***@h'],
    ['"//u:p@h"', '"//***@h"'],
    // a `//` inside a path or after a scheme is left to the other rules
    ['https://h/a//b@c', 'https://h/a//b@c'],
    ['x//u:p@h', 'x//u:p@h'],
    ['//@h', '//@h'],
    ['', ''],
    // after a scheme the userinfo runs to the authority's last `@`, as parsers read it
    ['https://u:a/b@c@h/x @bob', 'https://***@h/x @bob'],
    ['https://u:a/b@c\t@h/x', 'https://***@h/x'],
    ['https:\\/\\/u:a\\/b@ss@h\\/x', 'https:\\/\\/***@h\\/x'],
    // rules read each other's output: a masked value held the `?` that ended the authority
    ['https://&token=?"x@h', 'https://***@h'],
    // without a scheme too: to the last `@` before the host's end (a path, `?`, `#`, white
    // space or a quote), not the first
    ['//u:p@ss@h/x', '//***@h/x'],
    ['//u:p@ss@h', '//***@h'],
    ['//u:p@ss@h?x=1', '//***@h?x=1'],
    ['//u:p@ss@h#top', '//***@h#top'],
    ['//u:p@ss@h and bob@x', '//***@h and bob@x'],
    ["'//u:p@ss@h'@x", "'//***@h'@x"],
    ['//u:p@s/s@h/x', '//***@s/s@h/x'],
    ['//u@v:p@ss@h/x', '//***@h/x'],
    ['\\/\\/u:p@ss@h\\/x', '\\/\\/***@h\\/x'],
    ['//u:p@ss@[::1]:7007/x', '//***@[::1]:7007/x'],
    ['"//tok@h",bob@x', '"//***@h",bob@x'],
    // an IPv6 host's colons are no password's: the port's colon is the one after `]`
    [
      'http://[::1]:7007/catalog/@backstage/x',
      'http://[::1]:7007/catalog/@backstage/x',
    ],
    [
      'http://[fd00::1]:9090/api/v1/query@2x',
      'http://[fd00::1]:9090/api/v1/query@2x',
    ],
    ['//[::1]:7007/a@b', '//[::1]:7007/a@b'],
    ['https://[::1]:ab/cd@h', 'https://***@h'],
    ['http://u:p@[::1]:7007/x', 'http://***@[::1]:7007/x'],
    // JSON-escaped slashes: `\/` reads as `/`
    ['git+https:\\/\\/ci:tok@host', 'git+https:\\/\\/***@host'],
    ['{"u":"https:\\/\\/tok@h\\/x"}', '{"u":"https:\\/\\/***@h\\/x"}'],
    ['https:\\/\\/u:ab\\/cd@host', 'https:\\/\\/***@host'],
    ['"\\/\\/u:p@h"', '"\\/\\/***@h"'],
    [
      'https:\\/\\/h.example.com:8443\\/x\\/bob@example.com',
      'https:\\/\\/h.example.com:8443\\/x\\/bob@example.com',
    ],
    [
      'https:\\/\\/registry.example.com\\/@scope\\/pkg',
      'https:\\/\\/registry.example.com\\/@scope\\/pkg',
    ],
    ['a\\/\\/u:p@h', 'a\\/\\/u:p@h'],
  ])('%j → %j', (text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
    // idempotent: what is stored redacted redacts to itself
    expect(redactCredentials(expected)).toBe(expected);
  });

  it('redacts what it redacted to itself, whatever the text', () => {
    // Random text of the pieces the rules look at: redacting twice must equal redacting once.
    const pieces = [
      ...[' ', '\t', '\n'],
      ...'a 1 - _ . , ; : / \\ \\/ // @ ? & &amp; amp; = # [ ] " \' ) < > * ***'.split(
        ' ',
      ),
      ...'token key secret type api [::1] :80 ?token= #access_token= &amp;api_key='.split(
        ' ',
      ),
      ...'https: HTTPS: ws: ftp: http:// git+ssh:// https:\\/\\/ //u:p@ \\/\\/u:p@'.split(
        ' ',
      ),
    ];
    let seed = 20261205;
    const random = (below: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % below;
    };
    const notIdempotent: string[] = [];
    for (let run = 0; run < 20_000; run++) {
      let text = '';
      for (let n = 1 + random(24); n > 0; n--) {
        text += pieces[random(pieces.length)];
      }
      const once = redactCredentials(text);
      if (redactCredentials(once) !== once) notIdempotent.push(text);
    }
    expect(notIdempotent).toEqual([]);
  });

  it('reads long text of `//`, colons and slashes in linear time', () => {
    const text = `${'//u:p/'.repeat(100_000)}${'//a'.repeat(100_000)} @`;
    const escaped = `${'\\/\\/[:'.repeat(100_000)}${'//u:p@'.repeat(100_000)}`;
    const started = Date.now();
    expect(redactCredentials(text)).toBe(text);
    expect(redactCredentials(escaped)).toBe(
      `${'\\/\\/[:'.repeat(100_000)}//***@${'//***@'.repeat(99_999)}`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('redactLowerCasedCredentials', () => {
  it.each([
    // names whose case split made them secret: lower-cased, still masked
    ['https://h/p?keyid=s3cr3t', 'https://h/p?keyid=***'],
    [
      '?tokenid=a&authcode=b&sighash=c',
      '?tokenid=***&authcode=***&sighash=***',
    ],
    // a secret word anywhere in a part may have been a word of its own
    ['?monkey=1&design=d&x1key=k', '?monkey=***&design=***&x1key=***'],
    // describing words after it may have been cased to describe nothing (`tokenTyPe`)
    ['?token_type=bearer', '?token_type=***'],
    // no case change before a digit: `key1` is one word in any case
    ['?key1=a&sig2=b&page=2', '?key1=a&sig2=b&page=2'],
    // the other rules do not depend on case
    ['https://ci:tok@h/x', 'https://***@h/x'],
    ['//u:p@h/x?sha=main', '//***@h/x?sha=main'],
    ['alias:checkout', 'alias:checkout'],
  ])('%j → %j', (text, expected) => {
    expect(redactLowerCasedCredentials(text)).toBe(expected);
  });

  it('masks in lower-cased text whatever redactCredentials masked before it was lower-cased', () => {
    const pieces = [
      'key',
      'Key',
      'KEY',
      'Id',
      'id',
      'token',
      'Token',
      'Type',
      'type',
      'mon',
      'sig',
      'Sig',
      'Hash',
      'auth',
      'Auth',
      'or',
      'Code',
      'API',
      'api',
      'x1',
      '2',
      'Access',
      'Secret',
      'Pa',
      'ssword',
      'Expires',
    ];
    const separators = ['', '_', '-', '.'];
    let masked = 0;
    for (const a of pieces) {
      for (const b of pieces) {
        for (const c of ['', 'Id', 'Type', 'type', 'Hash', '2', 'or']) {
          for (const sep of separators) {
            const name = [a, b, c].filter(Boolean).join(sep);
            const text = `https://h/p?${name}=s3cr3t&n=1`;
            const redacted = redactCredentials(text);
            if (redacted.includes('s3cr3t')) continue;
            masked += 1;
            // what the pass stores for what ingestion stored, and for the text lower-cased
            // without redaction (a row stored before ingestion redacted): the same
            expect(redactLowerCasedCredentials(text.toLowerCase())).toBe(
              redactLowerCasedCredentials(redacted.toLowerCase()),
            );
          }
        }
      }
    }
    expect(masked).toBeGreaterThan(500);
  });
});

describe('redactCredentialsDeep', () => {
  it('redacts every string at any depth, object keys too', () => {
    const value = {
      url: 'https://ci:ghp_x@ci.example.com/run/1',
      count: 3,
      ok: true,
      none: null,
      links: [
        'https://u:p@h/a',
        { href: 'https://h/b?token=t0k', title: 'b' },
        [['//x:y@z']],
      ],
      byUrl: { 'https://a:b@h/c': 'up' },
    };
    expect(redactCredentialsDeep(value)).toEqual({
      url: 'https://***@ci.example.com/run/1',
      count: 3,
      ok: true,
      none: null,
      links: [
        'https://***@h/a',
        { href: 'https://h/b?token=***', title: 'b' },
        [['//***@z']],
      ],
      byUrl: { 'https://***@h/c': 'up' },
    });
    // the input is left as it was
    expect(value.url).toBe('https://ci:ghp_x@ci.example.com/run/1');
  });

  it('returns the value itself when nothing holds credentials', () => {
    const value = { a: ['https://h/x', 'bob@example.com', 1], b: { c: null } };
    expect(redactCredentialsDeep(value)).toBe(value);
    expect(redactCredentialsDeep('plain')).toBe('plain');
    expect(redactCredentialsDeep(7)).toBe(7);
    expect(redactCredentialsDeep(null)).toBe(null);
    expect(redactCredentialsDeep('https://u:p@h')).toBe('https://***@h');
  });

  it('keeps a member named __proto__ an own member', () => {
    const value = JSON.parse('{"__proto__":{"u":"https://u:p@h"}}');
    const redacted = redactCredentialsDeep(value);
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(JSON.stringify(redacted)).toBe(
      '{"__proto__":{"u":"https://***@h"}}',
    );
  });

  it('reads values nested deeper than the call stack reaches', () => {
    const depth = 200_000;
    const deep = JSON.parse(
      `${'['.repeat(depth)}"https://u:p@h"${']'.repeat(depth)}`,
    );
    let inner: unknown = redactCredentialsDeep(deep);
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe('https://***@h');
    expect(
      redactCredentialsDeep(
        JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`),
      ),
    ).toBeDefined();
  });

  it('copies a shared or cyclic object once', () => {
    const shared = { url: 'https://u:p@h' };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    const redacted = redactCredentialsDeep(cyclic) as typeof cyclic;
    expect(redacted.a).toBe(redacted.b);
    expect(redacted.self).toBe(redacted);
    expect((redacted.a as typeof shared).url).toBe('https://***@h');
  });
});
