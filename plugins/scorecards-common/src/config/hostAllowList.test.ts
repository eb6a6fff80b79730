import { HostAllowList } from './hostAllowList';

const KEY = 'scorecards.linkCheck.allowedHosts';

describe('HostAllowList', () => {
  const list = HostAllowList.parse(
    [
      'runbooks.example.com',
      '*.grafana.example.net',
      '127.0.0.1',
      ' Wiki.Example.org ',
    ],
    KEY,
  );

  it.each([
    ['runbooks.example.com', true],
    ['RUNBOOKS.example.com', true],
    ['wiki.example.org', true],
    ['127.0.0.1', true],
    ['eu.grafana.example.net', true],
    ['a.b.grafana.example.net', true],
    // the wildcard needs a label in front
    ['grafana.example.net', false],
    ['evilgrafana.example.net', false],
    ['runbooks.example.com.evil.test', false],
    ['example.com', false],
    ['127.0.0.2', false],
    ['localhost', false],
  ])('%s → %s', (host, allowed) => {
    expect(list.allows(host)).toBe(allowed);
  });

  it('counts its entries; an empty list allows nothing', () => {
    expect(list.size).toBe(4);
    const empty = HostAllowList.parse([], KEY);
    expect(empty.size).toBe(0);
    expect(empty.allows('127.0.0.1')).toBe(false);
  });

  it.each([
    ['*'],
    ['*.com'],
    ['https://runbooks.example.com'],
    ['runbooks.example.com:8443'],
    ['runbooks.example.com/path'],
    ['foo.*.example.com'],
    [''],
  ])('refuses %j naming the key and the entry', entry => {
    expect(() => HostAllowList.parse(['ok.example.com', entry], KEY)).toThrow(
      `${KEY}[1] "${entry}" is not a host name`,
    );
  });
});

describe('HostAllowList.lenient', () => {
  it('skips entries parse would refuse and compiles one list per entries array', () => {
    const entries = ['*.grafana.example.net', 'https://bad', '*'];
    const list = HostAllowList.lenient(entries);
    expect(list.size).toBe(1);
    expect(list.allows('eu.grafana.example.net')).toBe(true);
    expect(HostAllowList.lenient(entries)).toBe(list);
  });
});
