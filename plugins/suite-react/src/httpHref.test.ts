/* eslint-disable no-script-url -- the refused values are the point of these tests */
import { httpHref } from './httpHref';

describe('httpHref', () => {
  it.each([
    [
      'https://runbooks.example.com/checkout',
      'https://runbooks.example.com/checkout',
    ],
    [
      'http://grafana.local:3000/d/x?var=a b',
      'http://grafana.local:3000/d/x?var=a%20b',
    ],
    ['  HTTPS://Example.com/a  ', 'https://example.com/a'],
  ])('keeps the http(s) URL %j', (value, href) => {
    expect(httpHref(value)).toBe(href);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'file:///etc/passwd',
    '/relative/path',
    'runbooks.example.com/checkout',
    '',
    undefined,
    null,
    42,
  ])('refuses %j', value => {
    expect(httpHref(value)).toBeUndefined();
  });
});
