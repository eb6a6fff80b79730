import type { Offer, PriceEntry } from '../priceBook/priceBookSchema';
import { LICENSING_SKU_SUFFIXES, licensingSkuPrefix } from './dbLicensing';

/**
 * What the default book's offers are called where people buy them: an id such as
 * `azure.sqldb.vcore-gp` is the book's key, not a name a service owner knows.
 */
const OFFER_NAMES: Readonly<Record<string, string>> = {
  'aws.rds.oracle': 'Amazon RDS for Oracle',
  'aws.rds.sqlserver': 'Amazon RDS for SQL Server',
  'aws.ec2.dedicated-host': 'Amazon EC2 Dedicated Hosts',
  'azure.vm.sqlserver': 'SQL Server on Azure Virtual Machines',
  'azure.sqldb.vcore-gp': 'Azure SQL Database, General Purpose (vCore)',
  'azure.sqldb.vcore-bc': 'Azure SQL Database, Business Critical (vCore)',
  'gcp.cloudsql.sqlserver': 'Cloud SQL for SQL Server',
  'gcp.compute.oracle': 'Oracle on Compute Engine',
  'oci.dbcs': 'OCI Base Database Service',
};

const PROVIDER_NAMES: Readonly<Record<Offer['provider'], string>> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'Google Cloud',
  oci: 'OCI',
};

/** An offer's name for people: the default book's own, else built from provider, service and counting (an adopter's offer). */
export function offerName(offer: Offer): string {
  return (
    OFFER_NAMES[offer.id] ??
    `${PROVIDER_NAMES[offer.provider]} ${offer.service} (counted by ${
      offer.counting
    })`
  );
}

/** One offer as a choice: its id (the input's value) and its name. */
export interface OfferChoice {
  id: string;
  name: string;
}

/** The offers to choose from, those that fit the entity first. */
export interface OfferChoices {
  /** Offers of the entity's provider and service that carry its engine edition (each part only when known). */
  matching: OfferChoice[];
  /** Every other offer of the book, for what-ifs (a move to another service or cloud). */
  others: OfferChoice[];
}

/** What narrows the offers: the form's provider and edition, the entity's `service` annotation. */
export interface OfferFit {
  provider?: string;
  service?: string;
  engineEdition?: string;
}

/**
 * C6's offers split into those that fit what is known of the instance (§2 C6: `offerId`
 * comes from `provider` and `service`) and the rest, in book order. Nothing known: no
 * offer "fits", all are others.
 */
export function offerChoices(
  offers: readonly Offer[],
  fit: OfferFit,
): OfferChoices {
  const { provider, service, engineEdition } = fit;
  const known =
    provider !== undefined ||
    service !== undefined ||
    engineEdition !== undefined;
  const fits = (o: Offer) =>
    known &&
    (provider === undefined || o.provider === provider) &&
    (service === undefined || o.service === service) &&
    (engineEdition === undefined ||
      (o.engines as readonly string[]).includes(engineEdition));
  const choice = (o: Offer): OfferChoice => ({ id: o.id, name: offerName(o) });
  return {
    matching: offers.filter(fits).map(choice),
    others: offers.filter(o => !fits(o)).map(choice),
  };
}

/**
 * The price-book SKUs (`{prefix}` of `{prefix}.li-hour` / `{prefix}.compute-hour`, what C6's
 * `sku` takes) whose entries are priced for an offer's provider and service. The book does not
 * say which engine edition an entry prices, so these are offered to the user, never chosen
 * for them: an Enterprise price filled in for Standard would be an invented price.
 */
export function offerPriceSkus(
  entries: readonly PriceEntry[],
  offer: Offer,
): string[] {
  const skus = entries
    .filter(
      e =>
        e.provider === offer.provider &&
        e.service === offer.service &&
        LICENSING_SKU_SUFFIXES.some(suffix => e.id.endsWith(`.${suffix}`)),
    )
    .map(e => licensingSkuPrefix(e.id));
  return [...new Set(skus)];
}
