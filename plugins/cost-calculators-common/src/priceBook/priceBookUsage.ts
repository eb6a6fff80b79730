import { daysBetween } from '../dates';
import { Dec, dec } from '../money';
import type { PriceBookUsage, Warning } from '../types';
import type {
  Fact,
  LicenceRule,
  Offer,
  PriceEntry,
  ResolvedPriceBook,
  TierDefaults,
} from './priceBookSchema';

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

  /**
   * @param asOf - the computation date; an override whose `effectiveDate` is later
   * has not taken effect (§3: effectiveDate is when the price took effect), so the
   * book's own entry is read instead. Without asOf every entry is read as resolved.
   */
  constructor(readonly book: ResolvedPriceBook, readonly asOf?: string) {}

  /** The entry in effect at asOf: the resolved one, unless it is an override not yet effective. */
  private lookup(id: string): PriceEntry | undefined {
    const entry = this.book.entries.find(e => e.id === id);
    if (
      !entry ||
      this.asOf === undefined ||
      entry.effectiveDate <= this.asOf ||
      !this.book.overriddenIds.includes(id)
    )
      return entry;
    const replaced = this.book.replacedEntries?.find(e => e.id === id);
    this.notYetEffective.set(id, { override: entry, replaced });
    return replaced ?? entry;
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
      throw new Error(
        `Price book ${this.book.resolvedVersion} has no entry ${id}`,
      );
    this.used.set(id, 'entry');
    return entry;
  }

  /** A numeric fact as an exact decimal; records it as used. */
  factNumber(id: string): Dec {
    const fact = this.fact(id);
    if (typeof fact.value !== 'number') {
      throw new Error(`Fact ${id} is not a number`);
    }
    return dec(fact.value);
  }

  /** A fact; records it as used. */
  fact(id: string): Fact {
    const fact = this.book.facts.find(f => f.id === id);
    if (!fact)
      throw new Error(
        `Price book ${this.book.resolvedVersion} has no fact ${id}`,
      );
    this.used.set(id, 'fact');
    return fact;
  }

  /** Tier defaults; recorded as `tiers.{id}`. */
  tier(id: string): TierDefaults | undefined {
    const tier = this.book.tiers.find(t => t.id === id);
    if (tier) this.used.set(`tiers.${id}`, 'tier');
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
    const ageDays = oldest ? daysBetween(oldest.verifiedOn, asOf) : null;
    const stale = ageDays !== null && ageDays > this.book.maxAgeDays;
    if (stale && oldest) {
      warnings.push({
        kind: 'stale-prices',
        subject: oldest.id,
        message: `Prices used are up to ${ageDays} days old (oldest: ${oldest.id}, verified ${oldest.verifiedOn}); the limit is ${this.book.maxAgeDays} days.`,
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
    for (const err of this.book.overrideErrors) {
      warnings.push({
        kind: 'override-invalid',
        subject: err.path,
        message: err.message,
      });
    }
    return {
      usage: {
        version: this.book.resolvedVersion,
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
