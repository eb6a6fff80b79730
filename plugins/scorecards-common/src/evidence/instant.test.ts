import { parseInstantMs } from './instant';

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

describe('parseInstantMs', () => {
  it('answers exactly what Date.parse answers for ISO instants', () => {
    // A deterministic spread of instants from year 0 to 9999, with and without milliseconds.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 20000; i++) {
      const ms = Math.floor(-62167219200000 + next() * 315537897599999);
      const iso = new Date(ms).toISOString();
      for (const text of [iso, `${iso.slice(0, 19)}Z`]) {
        expect(parseInstantMs(text)).toBe(Date.parse(text));
      }
    }
  });

  it.each([
    '2026-03-14T02:05:00Z',
    '2026-03-14T02:05:00.123Z',
    '2024-02-29T00:00:00Z',
    '2000-02-29T12:00:00Z',
    '0000-02-29T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    // Everything below leaves the fast path and is answered by Date.parse.
    '2026-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-03-14T24:00:00Z',
    '2026-03-14T02:60:00Z',
    '2026-03-14T02:05:60Z',
    '2026-03-14T02:05:00,500Z',
    '2026-03-14T02:05:00.5a0Z',
    '2026-03-14T02:05:00.-50Z',
    '2026-03-14T02:05:00z',
    '2026-03-14t02:05:00Z',
    '2026-03-14 02:05:00Z',
    '2026-03-14T02:05:00+01:00',
    '2026-03-14T02:05Z',
    '2026-03-14',
    '+002026-03-14T02:05:00Z',
    '２026-03-14T02:05:00Z',
    'not a date',
    '',
  ])('%s', text => {
    expect(same(parseInstantMs(text), Date.parse(text))).toBe(true);
  });
});

describe('parseInstantMs with values that are not strings', () => {
  it.each([undefined, null, 0, 1710381900000, {}])('%p', value => {
    expect(
      same(
        parseInstantMs(value as unknown as string),
        Date.parse(value as any),
      ),
    ).toBe(true);
  });
});
