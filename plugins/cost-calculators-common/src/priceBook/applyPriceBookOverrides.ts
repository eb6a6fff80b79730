import {
  DECIMAL_PRICE,
  OverrideError,
  PriceBook,
  PriceEntry,
  ResolvedPriceBook,
  priceEntrySchema,
} from './priceBookSchema';
import { isIsoDate } from '../dates';

/** The `costCalculators.priceBook` block of app-config, as the frontend reads it. */
export interface PriceBookConfig {
  maxAgeDays?: unknown;
  overrideLabel?: unknown;
  overrides?: unknown;
}

const CONFIG_PATH = 'costCalculators.priceBook';
/** Fields an override of an existing id may set; the rest of the entry stays the book's. */
const REPLACEABLE_FIELDS = [
  'id',
  'price',
  'effectiveDate',
  'verifiedOn',
  'source',
] as const;
const ENTRY_FIELDS = Object.keys(priceEntrySchema.shape);

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function fieldErrors(
  override: Record<string, unknown>,
  path: string,
  currency: string,
  existing: PriceEntry | undefined,
): OverrideError[] {
  const isNew = existing === undefined;
  const errors: OverrideError[] = [];
  const allowed: readonly string[] = isNew ? ENTRY_FIELDS : REPLACEABLE_FIELDS;
  for (const key of Object.keys(override)) {
    if (!allowed.includes(key)) {
      errors.push({
        path: `${path}.${key}`,
        message: isNew
          ? `${path}.${key} is not a known price-book field.`
          : `${path}.${key} cannot be overridden on an existing entry (only price, effectiveDate, verifiedOn, source).`,
      });
    }
  }
  if (
    override.price !== undefined &&
    (typeof override.price !== 'string' || !DECIMAL_PRICE.test(override.price))
  ) {
    errors.push({
      path: `${path}.price`,
      message: `${path}.price must be a decimal string like "5.00" (got ${describe(
        override.price,
      )}).`,
    });
  }
  for (const key of ['effectiveDate', 'verifiedOn'] as const) {
    if (override[key] !== undefined && !isIsoDate(override[key])) {
      errors.push({
        path: `${path}.${key}`,
        message: `${path}.${key} must be a date YYYY-MM-DD (got ${describe(
          override[key],
        )}).`,
      });
    }
  }
  if (override.currency !== undefined && override.currency !== currency) {
    errors.push({
      path: `${path}.currency`,
      message: `${path}.currency must be ${currency}, the price book's currency (got ${describe(
        override.currency,
      )}).`,
    });
  }
  if (isNew) {
    for (const key of ENTRY_FIELDS) {
      if (override[key] === undefined) {
        errors.push({
          path: `${path}.${key}`,
          message: `${path}.${key} is required: ${describe(
            override.id,
          )} is not in the book, so the override must be a complete entry.`,
        });
      }
    }
  }
  if (errors.length === 0) {
    // The entry as it would be used, checked like a new one: an override of an
    // existing id may only set a few fields, but each must still be valid (an
    // empty or non-text source would show an unsourced price as if agreed).
    const entry: Record<string, unknown> = { ...existing, ...override };
    const parsed = priceEntrySchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const p = `${path}.${issue.path.join('.')}`;
        errors.push({
          path: p,
          message: `${p} ${issue.message} (got ${describe(
            entry[String(issue.path[0])],
          )}).`,
        });
      }
    }
  }
  return errors;
}

/**
 * Applies app-config overrides to a price book (§3 rules 1 and 5): valid
 * overrides replace or add entries, invalid ones are not applied and are
 * reported with their config path. Two overrides of one id are both refused.
 * Replaced book entries are kept in `replacedEntries`: whether an override is in
 * effect depends on the computation's asOf, which {@link PriceBookReader} checks.
 */
export function applyPriceBookOverrides(
  book: PriceBook,
  config: PriceBookConfig = {},
): ResolvedPriceBook {
  const errors: OverrideError[] = [];
  let maxAgeDays = book.maxAgeDays;
  if (config.maxAgeDays !== undefined) {
    if (
      typeof config.maxAgeDays === 'number' &&
      Number.isInteger(config.maxAgeDays) &&
      config.maxAgeDays > 0
    ) {
      maxAgeDays = config.maxAgeDays;
    } else {
      errors.push({
        path: `${CONFIG_PATH}.maxAgeDays`,
        message: `${CONFIG_PATH}.maxAgeDays must be a whole number of days above 0 (got ${describe(
          config.maxAgeDays,
        )}).`,
      });
    }
  }

  const overrides = config.overrides ?? [];
  if (!Array.isArray(overrides)) {
    errors.push({
      path: `${CONFIG_PATH}.overrides`,
      message: `${CONFIG_PATH}.overrides must be a list of price entries.`,
    });
    return resolved(book, maxAgeDays, book.entries, [], errors, undefined);
  }
  const label = config.overrideLabel;
  const labelValid = typeof label === 'string' && /^[0-9A-Za-z-]+$/.test(label);
  if (overrides.length > 0 && !labelValid) {
    // Without a label the resolved version could not tell agreed prices from
    // the bundled ones, so nothing is applied.
    errors.push({
      path: `${CONFIG_PATH}.overrideLabel`,
      message: `${CONFIG_PATH}.overrideLabel is required when overrides are given (letters, digits and hyphens; got ${describe(
        label,
      )}).`,
    });
    return resolved(book, maxAgeDays, book.entries, [], errors, undefined);
  }

  const entries = new Map<string, PriceEntry>(book.entries.map(e => [e.id, e]));
  const overriddenIds: string[] = [];
  const replacedEntries: PriceEntry[] = [];
  // Two overrides of one id leave no way to tell which price was agreed; the
  // last one silently winning would show it as if it were. Neither is applied.
  const pathsById = new Map<string, number[]>();
  overrides.forEach((raw: unknown, index: number) => {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id !== '')
      pathsById.set(id, [...(pathsById.get(id) ?? []), index]);
  });
  overrides.forEach((raw: unknown, index: number) => {
    const path = `${CONFIG_PATH}.overrides[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push({ path, message: `${path} must be an object.` });
      return;
    }
    const override = raw as Record<string, unknown>;
    if (typeof override.id !== 'string' || override.id === '') {
      errors.push({ path: `${path}.id`, message: `${path}.id is required.` });
      return;
    }
    const sameId = pathsById.get(override.id) ?? [];
    if (sameId.length > 1) {
      const others = sameId
        .filter(i => i !== index)
        .map(i => `${CONFIG_PATH}.overrides[${i}]`)
        .join(', ');
      errors.push({
        path: `${path}.id`,
        message: `${path}.id ${override.id} is also overridden by ${others}; none of them is applied.`,
      });
      return;
    }
    const existing = entries.get(override.id);
    const problems = fieldErrors(override, path, book.currency, existing);
    if (problems.length > 0) {
      errors.push(...problems);
      return;
    }
    if (existing) replacedEntries.push(existing);
    entries.set(
      override.id,
      existing
        ? ({ ...existing, ...override } as PriceEntry)
        : (override as unknown as PriceEntry),
    );
    overriddenIds.push(override.id);
  });
  return resolved(
    book,
    maxAgeDays,
    [...entries.values()],
    overriddenIds,
    errors,
    overriddenIds.length > 0 ? (label as string) : undefined,
    replacedEntries,
  );
}

/**
 * The version of the book as a computation dated `asOf` reads it (§3 rule 1: `{version}+{label}`
 * when any override applies, else `{version}`). An override of an existing id whose
 * `effectiveDate` is after asOf does not apply: the book's own price is read instead
 * (`PriceBookReader`), so a result, its markdown and its share link must not name the label as
 * if the agreed price had been used. An override adding a new id applies whenever it is read:
 * there is no earlier price to fall back on.
 */
export function resolvedVersionAt(
  book: ResolvedPriceBook,
  asOf: string,
): string {
  const applies = book.overriddenIds.some(id => {
    if (!book.replacedEntries?.some(e => e.id === id)) return true;
    const entry = book.entries.find(e => e.id === id);
    return entry !== undefined && entry.effectiveDate <= asOf;
  });
  return applies ? book.resolvedVersion : book.version;
}

function resolved(
  book: PriceBook,
  maxAgeDays: number,
  entries: PriceEntry[],
  overriddenIds: string[],
  overrideErrors: OverrideError[],
  label: string | undefined,
  replacedEntries: PriceEntry[] = [],
): ResolvedPriceBook {
  return {
    ...book,
    maxAgeDays,
    entries,
    resolvedVersion: label ? `${book.version}+${label}` : book.version,
    overriddenIds,
    overrideErrors,
    replacedEntries,
  };
}
