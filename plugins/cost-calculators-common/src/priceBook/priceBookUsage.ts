import { daysBetween } from '../dates';
import { resolvedVersionAt } from './applyPriceBookOverrides';
import { Dec, dec } from '../money';
import type { InputError, PriceBookUsage, Warning } from '../types';
import type {
  Fact,
  LicenceRule,
  Offer,
  PriceEntry,
  ResolvedPriceBook,
  TierDefaults,
} from './priceBookSchema';

/**
 * Thrown by {@link PriceBookReader} when the book lacks an entry or numeric fact a
 * calculator reads (a hand-built or trimmed book). `compute` never lets it escape:
 * it becomes an input error naming the missing id ({@link missingItemError}).
 */
export class MissingPriceBookItem extends Error {
  /** The calculator input the item would have defaulted, when there is one. */
  input?: string;

  constructor(
    readonly version: string,
    readonly kind: 'entry' | 'fact' | 'tier',
    readonly itemId: string,
    /** Set when the fact exists but its value is not a number. */
    readonly value?: string,
  ) {
    super(`Price book ${version} ${describeMissing(kind, itemId, value)}`);
    this.name = 'MissingPriceBookItem';
  }
}

function describeMissing(
  kind: 'entry' | 'fact' | 'tier',
  id: string,
  value?: string,
): string {
  return value === undefined
    ? `has no ${kind} ${id}`
    : `has no numeric fact ${id} (its value is "${value}")`;
}

/**
 * The input error for a missing book item: on the input it would have defaulted
 * (the user can type the value), else on `priceBook`.
 */
export function missingItemError(
  e: MissingPriceBookItem,
  calculatorId: string,
): InputError {
  const what = describeMissing(e.kind, e.itemId, e.value);
  return e.input
    ? {
        input: e.input,
        code: 'required',
        message: `${e.input} is required: price book ${e.version} ${what} to default it from.`,
      }
    : {
        input: 'priceBook',
        code: 'inconsistent',
        message: `priceBook ${e.version} ${what}, which ${calculatorId} needs.`,
      };
}

/** Where a book value comes from: a price entry, a fact, a tier's defaults or a licence rule. */
export type BookItemKind = 'entry' | 'fact' | 'tier' | 'licence rule';

/**
 * Thrown when a book value a calculator reads lies outside the range it can use: the
 * declared range of the input it defaults, or the range of a constant, step or divisor
 * (a hand-built or damaged book, or an override priced beyond the input's range).
 * `compute` never lets it escape: it becomes an input error ({@link unusableValueError}).
 */
export class UnusableBookValue extends Error {
  constructor(
    readonly version: string,
    readonly kind: BookItemKind,
    readonly itemId: string,
    /** The value as the book holds it. */
    readonly value: string,
    /** What would be usable, completing "must be …" ("between 10 and 95 %"). */
    readonly expected: string,
    /** The calculator input the value defaults, when there is one (the user can type it). */
    readonly input?: string,
  ) {
    super(
      `Price book ${version} ${kind} ${itemId} must be ${expected} (got ${value}).`,
    );
    this.name = 'UnusableBookValue';
  }
}

/**
 * The input error for an unusable book value: `out_of_range` on the input it would have
 * defaulted (a typed value replaces it), else `inconsistent` on `priceBook`. Both name the
 * book's item and the range expected.
 */
export function unusableValueError(
  e: UnusableBookValue,
  calculatorId: string,
): InputError {
  return e.input
    ? {
        input: e.input,
        code: 'out_of_range',
        message: `${e.input} must be ${e.expected} (got ${e.value} from price book ${e.version} ${e.kind} ${e.itemId}); enter a value instead.`,
      }
    : {
        input: 'priceBook',
        code: 'inconsistent',
        message: `priceBook ${e.version} ${e.kind} ${e.itemId} must be ${e.expected} (got ${e.value}), which ${calculatorId} needs.`,
      };
}

/**
 * Reads a resolved price book on behalf of one computation and records what
 * was read, so the result can name every entry and fact it rests on (§3 rule 2).
 */
export class PriceBookReader {
  private readonly used = new Map<string, 'entry' | 'fact' | 'tier'>();

  /** Overrides read that take effect after asOf, with the book entry used instead (if any). */
  private readonly notYetEffective = new Map<
    string,
    { override: PriceEntry; replaced?: PriceEntry }
  >();

  /** The book's own entries used although they take effect after asOf (no earlier price exists). */
  private readonly bookNotYetEffective = new Map<string, PriceEntry>();

  /**
   * @param asOf - the computation date; an override whose `effectiveDate` is later
   * has not taken effect (§3: effectiveDate is when the price took effect), so the
   * book's own entry is read instead. A book entry with a later `effectiveDate` has
   * no earlier price to fall back on: it is used, with a `price-not-effective`
   * warning, like a new override id. Without asOf every entry is read as resolved.
   */
  constructor(readonly book: ResolvedPriceBook, readonly asOf?: string) {}

  /** The entry in effect at asOf: the resolved one, unless it is an override not yet effective. */
  private lookup(id: string): PriceEntry | undefined {
    const entry = this.book.entries.find(e => e.id === id);
    if (!entry || this.asOf === undefined || entry.effectiveDate <= this.asOf)
      return entry;
    if (!this.book.overriddenIds.includes(id)) {
      this.bookNotYetEffective.set(id, entry);
      return entry;
    }
    const replaced = this.book.replacedEntries?.find(e => e.id === id);
    this.notYetEffective.set(id, { override: entry, replaced });
    // A new id with no earlier price is warned about as an override.
    if (!replaced) return entry;
    if (replaced.effectiveDate > this.asOf)
      this.bookNotYetEffective.set(id, replaced);
    return replaced;
  }

  /** True when the book has a price entry with this id. */
  hasPrice(id: string): boolean {
    return this.book.entries.some(e => e.id === id);
  }

  /** The billing unit of a price entry (undefined when absent); not recorded as used, like {@link hasPrice}. */
  unitOf(id: string): string | undefined {
    return this.book.entries.find(e => e.id === id)?.unit;
  }

  /** The price of an entry as an exact decimal; records the entry as used. */
  price(id: string): Dec {
    return dec(this.entry(id).price);
  }

  /** A price entry; records it as used. */
  entry(id: string): PriceEntry {
    const entry = this.lookup(id);
    if (!entry)
      throw new MissingPriceBookItem(this.book.resolvedVersion, 'entry', id);
    this.used.set(id, 'entry');
    return entry;
  }

  /** A numeric fact as an exact decimal; records it as used. */
  factNumber(id: string): Dec {
    const fact = this.fact(id);
    if (typeof fact.value !== 'number') {
      throw new MissingPriceBookItem(
        this.book.resolvedVersion,
        'fact',
        id,
        fact.value,
      );
    }
    return dec(fact.value);
  }

  /** A fact; records it as used. */
  fact(id: string): Fact {
    const fact = this.book.facts.find(f => f.id === id);
    if (!fact)
      throw new MissingPriceBookItem(this.book.resolvedVersion, 'fact', id);
    this.used.set(id, 'fact');
    return fact;
  }

  /** Tier defaults; recorded as `tiers.{id}`. */
  /** A database tier's defaults; a book without the tier cannot default what it holds. */
  tier(id: string): TierDefaults {
    const tier = this.book.tiers.find(t => t.id === id);
    if (!tier)
      throw new MissingPriceBookItem(this.book.resolvedVersion, 'tier', id);
    this.used.set(`tiers.${id}`, 'tier');
    return tier;
  }

  /** An offer (not dated, so not recorded). */
  offer(id: string): Offer | undefined {
    return this.book.offers.find(o => o.id === id);
  }

  /** Licence rules (versioned with the book). */
  licenceRules(): LicenceRule[] {
    return this.book.licenceRules;
  }

  /** Ids recorded so far, in first-use order. */
  usedIds(): string[] {
    return [...this.used.keys()];
  }

  /** Summarises provenance and staleness for the result (§3 rules 2–5). */
  summarize(asOf: string): { usage: PriceBookUsage; warnings: Warning[] } {
    const warnings: Warning[] = [];
    const entries = this.usedIds()
      .filter(id => this.used.get(id) === 'entry')
      .map(id => this.lookup(id)!);
    const oldest = entries.reduce<PriceEntry | undefined>(
      (acc, e) => (!acc || e.verifiedOn < acc.verifiedOn ? e : acc),
      undefined,
    );
    const sinceVerified = oldest ? daysBetween(oldest.verifiedOn, asOf) : null;
    // Every price was confirmed after the computation date: a negative age would
    // read as fresh, so the age is unknown (as for an annotation dated after asOf).
    const ageDays =
      sinceVerified !== null && sinceVerified >= 0 ? sinceVerified : null;
    const stale = ageDays !== null && ageDays > this.book.maxAgeDays;
    if (stale && oldest) {
      warnings.push({
        kind: 'stale-prices',
        subject: oldest.id,
        message: `Prices used are up to ${ageDays} days old (oldest: ${oldest.id}, verified ${oldest.verifiedOn}); the limit is ${this.book.maxAgeDays} days.`,
      });
    }
    if (oldest && ageDays === null) {
      warnings.push({
        kind: 'price-age-unknown',
        subject: oldest.id,
        message: `Prices used were verified after ${asOf} (oldest: ${oldest.id}, verified ${oldest.verifiedOn}), so their age on ${asOf} is unknown.`,
      });
    }
    for (const e of entries.filter(x => x.origin === 'illustrative')) {
      warnings.push({
        kind: 'illustrative-price',
        subject: e.id,
        message: `${e.id} is an illustrative price; set your own before deciding.`,
      });
    }
    for (const id of this.usedIds().filter(x => this.used.get(x) === 'tier')) {
      const tier = this.book.tiers.find(t => `tiers.${t.id}` === id);
      if (tier?.origin === 'illustrative') {
        warnings.push({
          kind: 'illustrative-price',
          subject: id,
          message: `${id} is an illustrative price; set your own before deciding.`,
        });
      }
    }
    for (const [id, { override, replaced }] of this.notYetEffective) {
      warnings.push({
        kind: 'override-not-effective',
        subject: id,
        message: replaced
          ? `The override of ${id} (${override.price}) takes effect on ${override.effectiveDate}, after ${asOf}: the book's price ${replaced.price} (verified ${replaced.verifiedOn}) was used.`
          : `${id} takes effect on ${override.effectiveDate}, after ${asOf}; it is used because the book has no earlier price for it.`,
      });
    }
    for (const [id, entry] of this.bookNotYetEffective) {
      warnings.push({
        kind: 'price-not-effective',
        subject: id,
        message: `${id} takes effect on ${entry.effectiveDate}, after ${asOf}; it is used because the book has no earlier price for it.`,
      });
    }
    for (const err of this.book.overrideErrors) {
      warnings.push({
        kind: 'override-invalid',
        subject: err.path,
        message: err.message,
      });
    }
    return {
      usage: {
        version:
          this.asOf === undefined
            ? this.book.resolvedVersion
            : resolvedVersionAt(this.book, this.asOf),
        entriesUsed: this.usedIds(),
        oldestVerifiedOn: oldest?.verifiedOn ?? null,
        oldestEntryId: oldest?.id ?? null,
        ageDays,
        stale,
        maxAgeDays: this.book.maxAgeDays,
        factsOnly: entries.length === 0,
      },
      warnings,
    };
  }
}
