import { z } from 'zod';
import { Dec, ZERO, dec, formatPercent, roundMoney } from '../money';
import { ENGINE_EDITIONS } from '../priceBook/priceBookSchema';
import type { InputError } from '../types';
import { inconsistentError, requiredError } from '../validation/messages';
import {
  enumField,
  intField,
  optionalBoolField,
  optionalDecimalField,
  optionalEnumField,
  optionalIntField,
  optionalTextField,
} from '../validation/fields';
import {
  defineCalculator,
  statusOf,
  out,
  textOut,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';
import {
  findLicenceRule,
  licenceUnits,
  unusableRuleField,
} from './licenceUnits';
import { UnusableBookValue } from '../priceBook/priceBookUsage';

/** Inputs of C6. */
export const dbLicensingSchema = z.object({
  provider: optionalEnumField(['aws', 'azure', 'gcp', 'oci'] as const),
  offerId: optionalTextField(),
  engineEdition: enumField(ENGINE_EDITIONS),
  vcpus: intField({ min: 1, max: 1024 }),
  hyperThreading: optionalBoolField(),
  physicalCores: optionalIntField({ min: 1, max: 4096 }),
  hoursPerMonth: optionalDecimalField({ min: 0, max: 744, unit: 'h' }),
  sku: optionalTextField(),
  licenseIncludedHourly: optionalDecimalField({
    min: 0,
    max: 10_000,
    unit: 'USD/h',
  }),
  computeOnlyHourly: optionalDecimalField({
    min: 0,
    max: 10_000,
    unit: 'USD/h',
  }),
  ownedLicenceUnits: optionalIntField({ min: 0, max: 100_000 }),
  annualSupportPerUnit: optionalDecimalField({
    min: 0,
    max: 1e6,
    unit: 'USD/unit/year',
  }),
  dedicatedHostMonthly: optionalDecimalField({
    min: 0,
    max: 1e7,
    unit: 'USD/month',
  }),
  rightsizeSteps: optionalIntField({ min: 0, max: 10 }),
});

/** Labels and units of the C6 inputs (the form, its messages and the markdown export read them). */
export const dbLicensingInputs: InputLabels<typeof dbLicensingSchema> = {
  provider: { label: 'Cloud provider' },
  offerId: { label: 'Offer' },
  engineEdition: { label: 'Engine edition' },
  vcpus: { label: 'vCPUs (vCores for Azure SQL)' },
  hyperThreading: { label: 'Hyper-threading' },
  physicalCores: { label: 'Physical cores' },
  hoursPerMonth: { label: 'Hours per month', unit: 'h' },
  sku: { label: 'Price-book SKU' },
  licenseIncludedHourly: { label: 'Licence-included price', unit: 'USD/h' },
  computeOnlyHourly: { label: 'Compute-only price', unit: 'USD/h' },
  ownedLicenceUnits: { label: 'Licences owned' },
  annualSupportPerUnit: {
    label: 'Annual support per licence (SA or Oracle support)',
    unit: 'USD/unit/year',
  },
  dedicatedHostMonthly: { label: 'Dedicated host cost', unit: 'USD/month' },
  rightsizeSteps: { label: 'Steps down from P95 right-size' },
};

/** Suffixes of the two hourly entries C6 reads for one instance (`{prefix}.li-hour`, `{prefix}.compute-hour`). */
export const LICENSING_SKU_SUFFIXES = ['li-hour', 'compute-hour'] as const;

/**
 * The entry-id prefix behind a C6 `sku`: the id of either hourly entry
 * (`example.sqlserver-ent.li-hour`) or the bare prefix (`example.sqlserver-ent`).
 */
export function licensingSkuPrefix(sku: string): string {
  for (const suffix of LICENSING_SKU_SUFFIXES) {
    if (sku.endsWith(`.${suffix}`)) return sku.slice(0, -(suffix.length + 1));
  }
  return sku;
}

/** Raw C6 input. */
export type DbLicensingInput = z.input<typeof dbLicensingSchema>;

/** C6 `db-licensing`: licence-included vs BYOL / Azure Hybrid Benefit, with licence counting. */
export const dbLicensing = defineCalculator({
  id: 'db-licensing',
  version: 1,
  title: 'Licence-included vs BYOL',
  question:
    'For this commercial engine on this cloud, how many licences does BYOL need and is it cheaper than licence-included once support is counted?',
  sources: ['02', '03', '18'],
  caveats: [
    'BYOL and Azure Hybrid Benefit need strict compliance tracking and can restrict infrastructure (02).',
    'Deploying more cores than licensed invites audit penalties (03).',
    '30–50% (02) and 40–60% including right-sizing (03) are commonly cited ranges, not predictions: the articles themselves say to model your own case.',
    'Licensing policy here is vendor policy, not your contract.',
    "OCI counts OCPUs under Oracle's own rules rather than the authorised-cloud policy (vendor-doc); 18 lists licence posture among the checks before choosing OCI.",
  ],
  schema: dbLicensingSchema,
  inputs: dbLicensingInputs,
  evaluate(input, h) {
    const errors: InputError[] = [];
    const offerId = input.offerId;
    if (offerId === undefined) return { errors: [requiredError('offerId')] };
    const offer = h.pb.offer(offerId);
    if (!offer) {
      const known = h.pb.book.offers.map(o => o.id).join(', ');
      return {
        errors: [
          {
            input: 'offerId',
            code: 'out_of_range',
            message: `offerId must be one of ${known} (got ${offerId}).`,
          },
        ],
      };
    }
    h.given('offerId', offerId);
    const edition = input.engineEdition;
    if (input.provider !== undefined && input.provider !== offer.provider) {
      errors.push(
        inconsistentError(
          'provider',
          `provider ${input.provider} does not match offer ${offer.id} (${offer.provider}).`,
        ),
      );
    }
    if (!offer.engines.includes(edition)) {
      errors.push(
        inconsistentError(
          'engineEdition',
          `${edition} is not offered on ${offer.id}.`,
        ),
      );
    }
    if (edition === 'sqlserver-standard' && offer.counting === 'vcore-bc') {
      errors.push(
        inconsistentError(
          'engineEdition',
          'Business Critical under Azure Hybrid Benefit needs Enterprise core licences.',
        ),
      );
    }
    const rule = findLicenceRule(h.pb.licenceRules(), edition, offer.counting);
    // Divisors and packs are book data: a hand-built book's 0 would divide by zero.
    const unusable = rule && unusableRuleField(rule);
    if (rule && unusable) {
      throw new UnusableBookValue(
        h.pb.book.resolvedVersion,
        'licence rule',
        `${rule.engineEdition}/${rule.counting} ${unusable.field}`,
        String(unusable.value),
        unusable.expected,
      );
    }
    const liOffered = offer.licenseIncluded.includes(edition);
    const byolOffered = offer.byol.includes(edition);
    const noRule = `the price book has no licence rule for ${edition} counted by ${offer.counting}`;
    // Without a rule the licences BYOL needs are unknown: BYOL cannot be compared, but a
    // licence-included price still can (SE2 on OCI in the default book: §4's eight rules
    // have no row for it). With neither, there is nothing to compute.
    if (!rule && !liOffered && errors.length === 0) {
      errors.push(
        inconsistentError(
          'engineEdition',
          `The price book has no licence rule for ${edition} counted by ${offer.counting}.`,
        ),
      );
    }
    const byolComparable = byolOffered && rule !== undefined;
    if (rule?.maxVcpus !== undefined && input.vcpus > rule.maxVcpus) {
      errors.push({
        input: 'vcpus',
        code: 'out_of_range',
        message: `${edition} is limited to ${rule.maxVcpus} vCPUs per instance under the cloud policy; choose oracle-ee or fewer vCPUs.`,
      });
    }
    if (
      offer.counting === 'physical-cores' &&
      input.physicalCores === undefined
    ) {
      errors.push(
        requiredError(
          'physicalCores',
          `when ${offer.id} counts physical cores.`,
        ),
      );
    }
    // §1: `price-book-sku` is the price-book entry id of the instance, e.g.
    // `example.sqlserver-ent.li-hour`; C6 needs both prices of that instance, so the
    // prefix is derived from the id. A bare prefix (`example.sqlserver-ent`) still works.
    const skuPrefix =
      input.sku === undefined ? undefined : licensingSkuPrefix(input.sku);
    const skuPrice = (suffix: string): string | undefined => {
      if (input.sku === undefined || skuPrefix === undefined) return undefined;
      const id = `${skuPrefix}.${suffix}`;
      if (!h.pb.hasPrice(id)) {
        let message = `sku ${input.sku} has no sibling price-book entry ${id}.`;
        if (id === input.sku)
          message = `sku ${input.sku} is not in price book ${h.pb.book.resolvedVersion}.`;
        else if (skuPrefix === input.sku)
          message = `sku ${input.sku} has no price-book entry ${id}.`;
        errors.push({ input: 'sku', code: 'out_of_range', message });
        return undefined;
      }
      return id;
    };
    const liEntry =
      liOffered && input.licenseIncludedHourly === undefined
        ? skuPrice('li-hour')
        : undefined;
    const computeEntry =
      byolComparable && input.computeOnlyHourly === undefined
        ? skuPrice('compute-hour')
        : undefined;
    if (
      liOffered &&
      input.licenseIncludedHourly === undefined &&
      !liEntry &&
      input.sku === undefined
    ) {
      errors.push(
        requiredError(
          'licenseIncludedHourly',
          'unless a price-book sku is given.',
        ),
      );
    }
    if (
      byolComparable &&
      input.computeOnlyHourly === undefined &&
      !computeEntry &&
      input.sku === undefined
    ) {
      errors.push(
        requiredError('computeOnlyHourly', 'unless a price-book sku is given.'),
      );
    }
    const supportEntry = rule?.supportEntryId;
    if (
      byolComparable &&
      input.annualSupportPerUnit === undefined &&
      !supportEntry
    ) {
      errors.push(
        requiredError(
          'annualSupportPerUnit',
          'for BYOL: licences carry SA or support.',
        ),
      );
    }
    if (errors.length) return { errors };

    const hours = h.fact(
      'hoursPerMonth',
      input.hoursPerMonth,
      'calendar.hours-per-month',
    );
    const hyperThreading = h.orDefault(
      'hyperThreading',
      input.hyperThreading,
      true,
    );
    const count = {
      vcpus: input.vcpus,
      hyperThreading,
      physicalCores: input.physicalCores,
    };
    const units = rule ? licenceUnits(rule, count) : null;
    const k = input.rightsizeSteps;
    const unitsIfRightSized =
      k === undefined || !rule
        ? null
        : licenceUnits(rule, {
            ...count,
            vcpus: Math.ceil(input.vcpus / 2 ** k),
          });

    const liMonthly: Dec | null = liOffered
      ? (liEntry
          ? h.price('licenseIncludedHourly', undefined, liEntry)
          : input.licenseIncludedHourly!
        ).times(hours)
      : null;
    const support: Dec | null = byolComparable
      ? h.price(
          'annualSupportPerUnit',
          input.annualSupportPerUnit,
          supportEntry ?? '',
        )
      : null;
    const hostMonthly = input.dedicatedHostMonthly ?? ZERO;
    const byolMonthly: Dec | null = byolComparable
      ? (computeEntry
          ? h.price('computeOnlyHourly', undefined, computeEntry)
          : input.computeOnlyHourly!
        )
          .times(hours)
          .plus(dec(units!).times(support!).div(12))
          .plus(hostMonthly)
      : null;
    const owned = input.ownedLicenceUnits;
    const shortfall =
      owned === undefined || units === null ? null : Math.max(0, units - owned);
    const saving =
      liMonthly && byolMonthly ? liMonthly.minus(byolMonthly) : null;
    // The rules branch on the saving as displayed: 0.004 is no "BYOL saves $0.00/month".
    const shownSaving = saving ? roundMoney(saving) : null;
    const savingPercent =
      saving && liMonthly && liMonthly.greaterThan(0)
        ? saving.div(liMonthly).times(100)
        : null;
    const ahbCap =
      offer.provider === 'azure'
        ? h.bookNumber('azure.ahb.cited-max-saving-percent', {
            min: 0,
            max: 100,
            unit: '%',
          })
        : null;

    const liCosts = `licence-included costs ${
      liMonthly ? h.money(liMonthly) : '?'
    }/month.`;
    /** R-LIC-OFFER: what cannot be compared on this offer, and the side that can. */
    const offerSentence = (): string => {
      if (byolOffered && !rule)
        return `BYOL cannot be compared on ${offer.id}: ${noRule}, so the licences it needs are unknown; ${liCosts}`;
      if (!byolOffered)
        return `BYOL is not offered on ${offer.id}${
          offer.byolAlternative ? `; it needs ${offer.byolAlternative}` : ''
        }: ${liCosts}`;
      return `Licence-included is not offered on ${offer.id}: BYOL costs ${
        byolMonthly ? h.money(byolMonthly) : '?'
      }/month and needs ${units} licences.`;
    };
    const rules: RuleEvaluation[] = [
      {
        id: 'R-LIC-OFFER',
        status: liOffered && byolComparable ? 'passed' : 'fired',
        severity: 'info',
        sources: ['02'],
        sentence: offerSentence(),
      },
      {
        id: 'R-LIC-SHORT',
        status: byolComparable
          ? statusOf(shortfall === null ? undefined : shortfall > 0)
          : 'passed',
        severity: 'blocked',
        gating: byolComparable,
        sources: ['02', '03'],
        sentence:
          shortfall === null
            ? `BYOL needs ${units} licences and the number owned is unknown: enter the licences owned first.`
            : `BYOL needs ${units} licences and ${owned} are owned: buy ${shortfall} more or right-size first.`,
      },
      {
        id: 'R-LIC-SA0',
        status: byolComparable && support?.isZero() ? 'fired' : 'passed',
        severity: 'warning',
        sources: ['02'],
        sentence:
          'BYOL licences still carry SA/support; 0 is almost certainly wrong.',
      },
      {
        id: 'R-LIC-AHB55',
        status:
          ahbCap && savingPercent?.greaterThan(ahbCap) ? 'fired' : 'passed',
        severity: 'warning',
        sources: ['02'],
        sentence: `Above the roughly ${
          ahbCap?.toFixed() ?? '55'
        }% Microsoft cites as an upper bound (02): check the inputs.`,
      },
      {
        id: 'R-LIC-PRISM',
        status: statusOf(k === undefined ? undefined : k >= 1),
        severity: 'info',
        sources: ['02'],
        sentence: `Right-sizing first cuts licences to ${unitsIfRightSized} (PRISM order: profile, right-size, then incentives, 02).`,
      },
      {
        id: 'R-LIC-BYOL',
        status:
          shownSaving && shownSaving.greaterThan(0) && shortfall === 0
            ? 'fired'
            : 'passed',
        severity: 'do',
        sources: ['02', '03'],
        sentence: `BYOL saves ${saving ? h.money(saving) : '?'}/month (${
          savingPercent ? formatPercent(savingPercent) : '?'
        }%) — only with licence tracking in place.`,
      },
      {
        id: 'R-LIC-LI',
        status: shownSaving && !shownSaving.greaterThan(0) ? 'fired' : 'passed',
        severity: 'info',
        sources: ['02'],
        sentence: 'Licence-included is cheaper once support is counted.',
      },
    ];
    return {
      outputs: [
        out(
          'units',
          'Licence units needed',
          'count',
          units === null ? null : dec(units),
        ),
        liMonthly
          ? out(
              'licenseIncludedMonthly',
              'Licence-included monthly',
              'money/month',
              liMonthly,
            )
          : textOut(
              'licenseIncludedMonthly',
              'Licence-included monthly',
              'not offered',
            ),
        byolMonthly
          ? out('byolMonthly', 'BYOL monthly', 'money/month', byolMonthly)
          : textOut(
              'byolMonthly',
              'BYOL monthly',
              byolOffered
                ? `not comparable: ${noRule}`
                : `not offered on ${offer.id}${
                    offer.byolAlternative
                      ? `; needs ${offer.byolAlternative}`
                      : ''
                  }`,
            ),
        out(
          'shortfall',
          'Licences to buy',
          'count',
          shortfall === null ? null : dec(shortfall),
        ),
        out('monthlySaving', 'BYOL monthly saving', 'money/month', saving),
        out('savingPercent', 'BYOL saving', 'percent', savingPercent),
        out(
          'unitsIfRightSized',
          'Licence units after right-sizing',
          'count',
          unitsIfRightSized === null ? null : dec(unitsIfRightSized),
        ),
      ],
      rules,
    };
  },
});
