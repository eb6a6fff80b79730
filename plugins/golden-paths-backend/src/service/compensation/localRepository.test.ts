import { markerRequestKey } from './localRepository';

describe('markerRequestKey', () => {
  it.each<[string, string | undefined]>([
    ['requestKey: service-node-http:cart-api\n', 'service-node-http:cart-api'],
    [
      '# Platform-owned\ntemplate: template:default/x\nrequestKey: lifecycle:component:default/a:archive\n',
      'lifecycle:component:default/a:archive',
    ],
    [
      'requestKey: "postgres-database:orders:dev"\n',
      'postgres-database:orders:dev',
    ],
    ["requestKey: 'it''s:odd'\n", "it's:odd"],
    ['requestKey: plain:key # comment\n', 'plain:key'],
    ['requestKey:\n', undefined],
    ['  requestKey: nested:key\n', undefined],
    ['template: x\n', undefined],
    ['requestKey: "broken\n', undefined],
    ["requestKey: 'broken\n", undefined],
  ])('%j → %j', (text, expected) => {
    expect(markerRequestKey(text)).toBe(expected);
  });
});
