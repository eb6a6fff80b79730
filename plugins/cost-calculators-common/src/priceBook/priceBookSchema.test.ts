import { DEFAULT_PRICE_BOOK } from './defaultPriceBook';
import { priceBookSchema } from './priceBookSchema';

describe('priceBookSchema', () => {
  const kms = DEFAULT_PRICE_BOOK.entries.find(
    e => e.id === 'aws.kms.requests',
  )!;
  const withEntry = (entry: object) => ({
    ...DEFAULT_PRICE_BOOK,
    entries: [...DEFAULT_PRICE_BOOK.entries, entry],
  });
  const index = DEFAULT_PRICE_BOOK.entries.length;

  it.each([
    // [case, extra entry, issues as path: message (none = accepted)]
    ['an entry in the book currency', { ...kms, id: 'acme.kms' }, []],
    // §3: one currency per book; a EUR price shown as USD would be silently wrong.
    [
      'an entry in another currency',
      { ...kms, id: 'acme.kms', currency: 'EUR' },
      [
        `entries.${index}.currency: entries[${index}] acme.kms is priced in EUR, but the book's currency is USD: a book holds prices in one currency.`,
      ],
    ],
  ])('%s', (_case, entry, issues) => {
    const parsed = priceBookSchema.safeParse(withEntry(entry));
    expect(
      parsed.success
        ? []
        : parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`),
    ).toEqual(issues);
  });
});
