import { z } from 'zod';
import { isIsoDate } from '../dates';

/*
 * The price book's shape (§3). Every price is data: calculators read
 * entries, facts, licence rules, offers and tiers from here, never from code.
 */

/** A decimal string as stored in the book: `^\d+(\.\d+)?$`. */
export const DECIMAL_PRICE = /^\d+(\.\d+)?$/;

const isoDate = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

/** How much to trust a price. */
export const PRICE_ORIGINS = [
  'article',
  'vendor-list',
  'illustrative',
] as const;

/** Non-empty text; the messages complete "{path} …" in override errors. */
const text = () =>
  z.string({ error: 'must be text' }).min(1, 'must not be empty');

/** Schema of one dated price entry. */
export const priceEntrySchema = z.strictObject({
  id: text(),
  provider: text(),
  service: text(),
  sku: text(),
  unit: text(),
  price: z.string().regex(DECIMAL_PRICE),
  currency: z.string().regex(/^[A-Z]{3}$/),
  effectiveDate: isoDate,
  verifiedOn: isoDate,
  origin: z.enum(PRICE_ORIGINS),
  source: text(),
});

/** One price entry. */
export type PriceEntry = z.infer<typeof priceEntrySchema>;

/** Schema of a dated, sourced non-price constant. */
export const factSchema = z.strictObject({
  id: z.string().min(1),
  value: z.union([z.number(), z.string()]),
  unit: z.string(),
  origin: z.enum([
    'article',
    'vendor-doc',
    'assumption',
    'convention',
    'illustrative',
  ]),
  verifiedOn: isoDate,
  source: z.string().min(1),
});

/** One fact. */
export type Fact = z.infer<typeof factSchema>;

/** Licence counting methods (C6). */
export const COUNTINGS = [
  'vcpu',
  'ocpu',
  'physical-cores',
  'vcore-gp',
  'vcore-bc',
] as const;

/** How an offer counts licences. */
export type Counting = (typeof COUNTINGS)[number];

/** Commercial engine editions (C6). */
export const ENGINE_EDITIONS = [
  'oracle-ee',
  'oracle-se2',
  'sqlserver-enterprise',
  'sqlserver-standard',
] as const;

/** A commercial engine edition. */
export type EngineEdition = (typeof ENGINE_EDITIONS)[number];

/** Schema of one licence-counting rule; `engineEdition` may end in `*` (e.g. `oracle-*`). */
export const licenceRuleSchema = z.strictObject({
  engineEdition: z.string().regex(/^(oracle|sqlserver)-(\*|[a-z0-9]+)$/),
  counting: z.enum(COUNTINGS),
  /** vCPUs (or vCores, OCPU-vCPUs) per licence unit. */
  divisor: z.number().positive().optional(),
  /** Divisor when hyper-threading is off (Oracle EE: every vCPU is a core). */
  divisorWithoutHyperThreading: z.number().positive().optional(),
  coreFactor: z.number().positive().optional(),
  minimum: z.number().int().nonnegative().optional(),
  pack: z.number().int().positive().optional(),
  maxVcpus: z.number().int().positive().optional(),
  /** Price entry giving the default annual support per unit, if the book has one. */
  supportEntryId: z.string().optional(),
  origin: z.literal('vendor-doc'),
  verifiedOn: isoDate,
  source: z.string().min(1),
});

/** One licence rule. */
export type LicenceRule = z.infer<typeof licenceRuleSchema>;

/** Cloud providers (the `provider` annotation of §1). */
export const PROVIDERS = ['aws', 'azure', 'gcp', 'oci'] as const;

/** Schema of a managed-database offer. */
export const offerSchema = z.strictObject({
  id: z.string().min(1),
  provider: z.enum(PROVIDERS),
  service: z.string().min(1),
  engines: z.array(z.enum(ENGINE_EDITIONS)),
  /** Editions offered licence-included (the note's bool, per edition because RDS Oracle is LI for SE2 only). */
  licenseIncluded: z.array(z.enum(ENGINE_EDITIONS)),
  /** Editions that may bring their own licence. */
  byol: z.array(z.enum(ENGINE_EDITIONS)),
  byolAlternative: z.string().optional(),
  counting: z.enum(COUNTINGS),
  haInstanceMultiplier: z.number().min(1).max(3),
  haStorageMultiplier: z.number().min(1).max(3),
});

/** One offer. */
export type Offer = z.infer<typeof offerSchema>;

/** Database tiers (the database-tier scale, not the service tier). */
export const DATABASE_TIERS = [
  'dev',
  'staging',
  'production-standard',
  'production-critical',
] as const;

/** A database tier id. */
export type DatabaseTier = (typeof DATABASE_TIERS)[number];

/** Schema of a database tier's defaults. */
export const tierSchema = z.strictObject({
  id: z.enum(DATABASE_TIERS),
  ha: z.boolean(),
  readReplicas: z.number().int().min(0).max(15),
  backupRetentionDays: z.number().int().min(0),
  approvalThresholdMonthly: z.string().regex(DECIMAL_PRICE),
  origin: z.enum(['illustrative', 'assumption']),
});

/** One tier. */
export type TierDefaults = z.infer<typeof tierSchema>;

/** Schema of a whole price book. */
export const priceBookSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    version: z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/),
    publishedOn: isoDate,
    currency: z.string().regex(/^[A-Z]{3}$/),
    maxAgeDays: z.number().int().positive(),
    entries: z.array(priceEntrySchema),
    facts: z.array(factSchema),
    licenceRules: z.array(licenceRuleSchema),
    offers: z.array(offerSchema),
    tiers: z.array(tierSchema),
  })
  .superRefine((book, ctx) => {
    // One value per id: readers look an id up (some take the first copy, overrides the last),
    // so a second copy would pick a price by its place in the list, whatever its date. A price
    // that changed is a new book version, or an override with its `effectiveDate` (§3).
    const sections = [
      ['entries', 'price entry', book.entries],
      ['facts', 'fact', book.facts],
      ['offers', 'offer', book.offers],
      ['tiers', 'tier', book.tiers],
    ] as const;
    for (const [section, noun, items] of sections) {
      const firstAt = new Map<string, number>();
      items.forEach((item, i) => {
        const first = firstAt.get(item.id);
        if (first === undefined) {
          firstAt.set(item.id, i);
          return;
        }
        ctx.addIssue({
          code: 'custom',
          path: [section, i, 'id'],
          message: `${section}[${i}] repeats the id ${item.id} of ${section}[${first}]: a book holds one ${noun} per id (a changed price is a new book version, or an override with its effectiveDate).`,
        });
      });
    }
    // §3: one currency per book, and results display in it. An entry in another
    // currency would be added to USD amounts as if it were USD.
    book.entries.forEach((entry, i) => {
      if (entry.currency !== book.currency)
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'currency'],
          message: `entries[${i}] ${entry.id} is priced in ${entry.currency}, but the book's currency is ${book.currency}: a book holds prices in one currency.`,
        });
    });
  });

/** A price book as shipped or configured. */
export type PriceBook = z.infer<typeof priceBookSchema>;

/** An override problem: the config path it concerns and the message. */
export interface OverrideError {
  path: string;
  message: string;
}

/** A price book after app-config overrides: what calculators read. */
export interface ResolvedPriceBook extends PriceBook {
  /**
   * `{version}` or `{version}+{overrideLabel}` when an override was accepted. Whether one applies
   * depends on the computation's date: results carry `resolvedVersionAt(book, asOf)`.
   */
  resolvedVersion: string;
  /** Ids of entries an override replaced or added. */
  overriddenIds: string[];
  /**
   * The book's own entries that an override replaced, kept so that a computation
   * dated before the override's `effectiveDate` uses the price then in effect (§3).
   */
  replacedEntries?: PriceEntry[];
  /** Invalid overrides (not applied); every result carries them as `override-invalid`. */
  overrideErrors: OverrideError[];
}
