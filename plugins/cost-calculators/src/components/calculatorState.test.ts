import { toDraft, toInput } from './calculatorState';

describe('toDraft', () => {
  it('writes numbers from cost facts as plain decimals the form accepts, every digit kept', () => {
    expect(
      toDraft({ tiny: 1e-7, huge: 1e21, price: 0.115, whole: 730 }),
    ).toEqual({
      tiny: '0.0000001',
      huge: '1000000000000000000000',
      price: '0.115',
      whole: '730',
    });
  });

  it('round-trips text, booleans and blanks through toInput', () => {
    const draft = toDraft({ a: '12.5', b: true, c: '' });
    expect(draft).toEqual({ a: '12.5', b: true });
    expect(toInput({ ...draft, c: '  ' })).toEqual({ a: '12.5', b: true });
  });
});
