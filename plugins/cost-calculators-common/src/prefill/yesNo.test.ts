import { YES_NO_SPELLINGS, readYesNo } from './yesNo';

describe('readYesNo', () => {
  it.each(['true', 'TRUE', 'Yes', 'y', 'on', '1', ' yes '])('%j is yes', text =>
    expect(readYesNo(text)).toBe(true),
  );
  it.each(['false', 'False', 'NO', 'n', 'off', '0'])('%j is no', text =>
    expect(readYesNo(text)).toBe(false),
  );
  it.each(['maybe', '', '2', 'yes please', 'constructor', '__proto__'])(
    '%j is neither',
    text => expect(readYesNo(text)).toBeUndefined(),
  );
  it('lists the spellings in pairs for notices', () => {
    expect(YES_NO_SPELLINGS).toBe('true, false, yes, no, y, n, on, off, 1, 0');
  });
});
