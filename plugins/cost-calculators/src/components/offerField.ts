import {
  OfferChoice,
  ResolvedPriceBook,
  offerChoices,
  offerPriceSkus,
} from '@internal/plugin-cost-calculators-common';
import type { Draft, DraftValue } from './calculatorState';
import type { FieldChoice, FieldChoices } from './CalculatorInputs';

function textOf(value: DraftValue): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

const option = (c: OfferChoice): FieldChoice => ({
  value: c.id,
  // The name to read, the id for those who know the book's keys (links, config).
  label: `${c.name} (${c.id})`,
});

/**
 * The entity's service, while the form's provider offers it: with the provider changed to
 * another cloud (a what-if on a move), `azure-sql-db` would match no offer and the "Fits"
 * group would vanish, so the offers are then matched on provider and edition alone.
 */
function serviceOnProvider(
  book: ResolvedPriceBook,
  service: string | undefined,
  provider: string | undefined,
): string | undefined {
  if (service === undefined || provider === undefined) return service;
  return book.offers.some(o => o.service === service && o.provider === provider)
    ? service
    : undefined;
}

/**
 * C6's offer as a select: the book's offers that fit the entity's service and the form's
 * provider and edition first, under a heading naming them, then every other offer (a what-if
 * on another service). Under the field, once an offer is chosen, whether the book prices it:
 * its SKU to enter, or that there is none. §2 C6 takes the prices from the book only through
 * `price-book-sku`, and the book's entries do not say which edition they price, so a SKU is
 * named, never filled in.
 */
export function offerFieldChoices(
  book: ResolvedPriceBook,
  draft: Draft,
  entityService: string | undefined,
): FieldChoices {
  const provider = textOf(draft.provider);
  const fit = {
    provider,
    service: serviceOnProvider(book, entityService, provider),
    engineEdition: textOf(draft.engineEdition),
  };
  const { matching, others } = offerChoices(book.offers, fit);
  const known = [fit.provider, fit.service, fit.engineEdition].filter(Boolean);
  const groups =
    matching.length === 0
      ? [{ options: others.map(option) }]
      : [
          {
            heading: `Fits ${known.join(' · ')}`,
            options: matching.map(option),
          },
          ...(others.length
            ? [{ heading: 'Other offers', options: others.map(option) }]
            : []),
        ];
  const chosen = book.offers.find(o => o.id === textOf(draft.offerId));
  if (!chosen) return { groups };
  const skus = offerPriceSkus(book.entries, chosen);
  const hint =
    skus.length === 0
      ? 'The price book has no prices for this offer: enter them below.'
      : `The price book prices this offer as ${skus.join(
          ', ',
        )}: enter it as the price-book SKU if it is your edition.`;
  return { groups, hint };
}
