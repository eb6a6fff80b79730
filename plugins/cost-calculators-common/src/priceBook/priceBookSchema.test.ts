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
    // One price per id: with two, readers picked one by its place in the list, not its date.
    [
      'a second price for an id the book holds',
      { ...kms, price: '0.05', effectiveDate: '2020-01-01' },
      [
        `entries.${index}.id: entries[${index}] repeats the id aws.kms.requests of entries[${DEFAULT_PRICE_BOOK.entries.indexOf(
          kms,
        )}]: a book holds one price entry per id (a changed price is a new book version, or an override with its effectiveDate).`,
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

  it.each(['facts', 'offers', 'tiers'] as const)(
    'refuses a second %s item with an id the book holds',
    section => {
      const items: readonly { id: string }[] = DEFAULT_PRICE_BOOK[section];
      const parsed = priceBookSchema.safeParse({
        ...DEFAULT_PRICE_BOOK,
        [section]: [...items, items[0]],
      });
      expect(
        parsed.success ? [] : parsed.error.issues.map(i => i.path.join('.')),
      ).toEqual([`${section}.${items.length}.id`]);
    },
  );
});
