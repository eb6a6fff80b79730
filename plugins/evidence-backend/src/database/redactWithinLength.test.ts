import { redactWithin } from './redactWithinLength';

describe('redactWithin', () => {
  it('cuts a text redaction lengthened back to its limit', () => {
    // `ab` becomes `***`: one character longer than received
    const text = 'see https://ab@ci.example.com/run/1';
    const cut = redactWithin(text, text.length);
    expect(cut).toBe('see https://***@ci.example.com/run/');
    expect(cut).toHaveLength(text.length);
  });

  it('never cuts between the two halves of a surrogate pair', () => {
    // 200 code units ending in an emoji: the cut at 200 would have kept its high half alone,
    // which re-validation refuses as text the sender never sent
    const text = `https://ab@host ${'x'.repeat(182)}🚀`;
    expect(text).toHaveLength(200);
    const cut = redactWithin(text, 200);
    expect(cut.isWellFormed()).toBe(true);
    expect(cut).toBe(`https://***@host ${'x'.repeat(182)}`);
  });

  it('leaves a text within its limit as redacted', () => {
    expect(redactWithin('plain 🚀', 10)).toBe('plain 🚀');
  });
});
