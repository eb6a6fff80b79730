import {
  codeSpan,
  escapeMarkdown,
  markdownLink,
  markedText,
  splitCodeSpans,
} from './markdownText';

describe('escapeMarkdown: data as inline text', () => {
  it.each([
    ['checkout-service', 'checkout-service'],
    ['5.8.2 canary → 100 %', '5.8.2 canary → 100 %'],
    ['#checkout-oncall', '#checkout-oncall'],
    ['a\r\n\n# b\u2028c', 'a # b c'],
    ['[x](https://e.example)', '\\[x\\](https://e.example)'],
    ['![i](https://e.example/i.png)', '!\\[i\\](https://e.example/i.png)'],
    ['<b>&', '\\<b\\>&'],
    ['*a* _b_ ~~c~~', '\\*a\\* \\_b\\_ \\~\\~c\\~\\~'],
    ['a|b `c` \\', 'a\\|b \\`c\\` \\\\'],
    // character references would render as other text; a lone `&` renders as itself
    ['Tom &amp; Jerry', 'Tom \\&amp; Jerry'],
    ['&copy; &#169; &#xA9; &#XA9;', '\\&copy; \\&#169; \\&#xA9; \\&#XA9;'],
    ['R&D & ops &x &; &#;', 'R&D & ops &x &; &#;'],
    // a directional override or isolate left open would reverse the brief's own words after it
    ['evil\u202Eecivres', 'evilecivres'],
    ['a\u202Ab\u202Bc\u202Cd\u202De', 'abcde'],
    ['a\u2066b\u2067c\u2068d\u2069e', 'abcde'],
    // the marks only place neighbouring characters and are kept, as is right-to-left text
    [
      'a\u200Eb\u200Fc \u05E9\u05DC\u05D5\u05DD',
      'a\u200Eb\u200Fc \u05E9\u05DC\u05D5\u05DD',
    ],
  ])('%j → %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('codeSpan: a fence longer than any backtick run inside (CommonMark 6.1)', () => {
  it.each([
    ['tax-svc', '`tax-svc`'],
    ['a`b', '``a`b``'],
    ['a``b`c', '```a``b`c```'],
    ['`a', '`` `a ``'],
    ['a`', '`` a` ``'],
    [' a ', '`  a  `'],
    ['a\nb', '`a b`'],
    ['', '` `'],
    ['   ', '`   `'],
    ['tax\u202Esvc', '`taxsvc`'],
  ])('%j → %j', (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it.each(['tax-svc', 'a`b', '`a', 'a`', ' a ', 'x``[y](z)`'])(
    'reads back as its text: %j',
    input => {
      expect(splitCodeSpans(codeSpan(input))).toEqual([
        { code: true, text: input },
      ]);
    },
  );
});

describe('markdownLink: only http(s) URLs become links', () => {
  it.each([
    [
      'https://runbooks.shop.example/checkout',
      '[runbook](https://runbooks.shop.example/checkout)',
    ],
    ['HTTP://a.example/x', '[runbook](HTTP://a.example/x)'],
    [
      'https://a.example/a b)(c<d>\\e`|',
      '[runbook](https://a.example/a%20b%29%28c%3Cd%3E%5Ce%60%7C)',
    ],
    ['https://a.example/x\n[y]', '[runbook](https://a.example/x%0A[y])'],
    ['https://a.example/\u00a0é', '[runbook](https://a.example/%C2%A0é)'],
    // eslint-disable-next-line no-script-url -- a script URL is the input under test
    ['javascript:alert(1)', 'runbook javascript:alert(1)'],
    ['runbooks/checkout.md', 'runbook runbooks/checkout.md'],
    ['https://', 'runbook https://'],
    ['ftp://a.example/[x]', 'runbook ftp://a.example/\\[x\\]'],
    ['https://a.example/\u202Ex', '[runbook](https://a.example/%E2%80%AEx)'],
    ['file:///\u202Ex', 'runbook file:///x'],
  ])('%j → %j', (url, expected) => {
    expect(markdownLink('runbook', url)).toBe(expected);
  });
});

describe('markedText: code spans of a message kept, the rest escaped', () => {
  it.each([
    [
      'add `dependsOn: component:default/pricing-service`, or confirm it is unintended.',
      'add `dependsOn: component:default/pricing-service`, or confirm it is unintended.',
    ],
    [
      `a calls ${codeSpan('x`[y](https://e.example)`')}; no entity.`,
      'a calls `` x`[y](https://e.example)` ``; no entity.',
    ],
    [
      'check the clock of ci\n\n[y](https://e.example)',
      'check the clock of ci \\[y\\](https://e.example)',
    ],
    ['an `unclosed [y](z)', 'an \\`unclosed \\[y\\](z)'],
    ['``a` b', '\\`\\`a\\` b'],
    ['*owner* `_x_`', '\\*owner\\* `_x_`'],
    ['calls `tax\u202Esvc`\u2067 today', 'calls `taxsvc` today'],
  ])('%j → %j', (input, expected) => {
    expect(markedText(input)).toBe(expected);
  });
});
