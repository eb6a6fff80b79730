import { GP_RULE_ORDER } from './catalogue';
import { errorCodeMeaning } from './meanings';

describe('errorCodeMeaning', () => {
  it('has a meaning for every rule of the catalogue, so a rule added without one fails here', () => {
    const missing = GP_RULE_ORDER.filter(id => !errorCodeMeaning(id));
    expect(missing).toEqual([]);
  });

  it("says what the table's condition is in a requester's words", () => {
    expect(errorCodeMeaning('GP-D06')).toBe(
      "estimated monthly cost is above the tier's limit",
    );
    expect(errorCodeMeaning('GP-I03')).toBe(
      'the request is already running in another task',
    );
    expect(errorCodeMeaning('GP-A01')).toBe(
      'an approval is needed before anything is created',
    );
  });

  it('knows the codes the scaffolder module and the backend record besides the table', () => {
    expect(errorCodeMeaning('lease-expired')).toBe(
      'the task running the request stopped before it finished, and its lease expired',
    );
    expect(errorCodeMeaning('GP-O05')).toBeDefined();
    expect(errorCodeMeaning('GP-U03')).toBeDefined();
  });

  it('knows nothing of other codes, so a page shows them alone', () => {
    expect(errorCodeMeaning('GP-Z99')).toBeUndefined();
    expect(errorCodeMeaning('')).toBeUndefined();
    // not a property every object has
    expect(errorCodeMeaning('constructor')).toBeUndefined();
    expect(errorCodeMeaning('toString')).toBeUndefined();
  });

  it('keeps each meaning a short phrase to follow "CODE — "', () => {
    for (const id of GP_RULE_ORDER) {
      const meaning = errorCodeMeaning(id)!;
      expect(meaning).toMatch(/^[a-z]/);
      expect(meaning).not.toMatch(/\.$/);
      // a phrase, never the parameterised message (it would hold request values)
      expect(meaning).not.toMatch(/[{}]|GP-/);
      expect(meaning.length).toBeLessThanOrEqual(100);
    }
  });
});
