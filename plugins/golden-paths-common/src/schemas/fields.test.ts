import { DEFAULT_GOLDEN_PATHS_CONFIG } from '../config';
import { parseRequest } from '../request/parseRequest';
import { text } from './fields';

describe('text', () => {
  const reason = text(10, 500);

  it('takes tabs and line breaks, as a multi-line reason has them', () => {
    expect(reason.parse('first line\n\tsecond line\r\nthird')).toBe(
      'first line\n\tsecond line\r\nthird',
    );
  });

  it.each([
    [
      'U+0000',
      'moving on\u0000 to v2',
      'must not contain NUL characters (U+0000)',
    ],
    [
      'an escape sequence',
      '\u001b[31mmoving on to v2',
      'must not contain control characters other than tab and line breaks (U+0001–U+001F, U+007F)',
    ],
    [
      'DEL',
      'moving on to v2\u007f',
      'must not contain control characters other than tab and line breaks (U+0001–U+001F, U+007F)',
    ],
  ])('refuses %s', (_name, value, message) => {
    const parsed = reason.safeParse(value);
    expect(
      parsed.success ? [] : parsed.error.issues.map(i => i.message),
    ).toEqual([message]);
  });

  it('names the field in GP-V01 (a reason holding U+0000 never reaches the ledger)', () => {
    const parsed = parseRequest(
      'lifecycle',
      {
        entity: 'component:default/pricing-service',
        transition: 'deprecate',
        reason: 'moving to\u0000 pricing-v2',
        replacement: 'none',
        sunsetOn: '2027-03-01',
      },
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    expect(
      parsed.ok ? [] : parsed.errors.map(e => [e.id, e.field, e.message]),
    ).toEqual([
      [
        'GP-V01',
        'reason',
        'GP-V01: Field "reason" must not contain NUL characters (U+0000) (got "moving to\\u0000 pricing-v2").',
      ],
    ]);
  });
});
