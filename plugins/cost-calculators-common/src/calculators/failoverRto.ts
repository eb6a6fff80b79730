import { z } from 'zod';
import { Dec, ZERO, dec, decimalsApart, formatTrimmed, maxDec } from '../money';
import { requiredError } from '../validation/messages';
import {
  FAILOVER_SERVICES,
  ServiceWithFailoverFacts,
  hasFailoverFacts,
} from '../prefill/failoverServices';
import {
  optionalBoolField,
  optionalDecimalField,
  optionalEnumField,
} from '../validation/fields';
import {
  defineCalculator,
  statusOf,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Documented failover facts per service (ids of price-book facts, 18); the keys are exactly the card's trigger services. */
const SERVICE_FACTS: Record<
  ServiceWithFailoverFacts,
  { failover: string; dnsTtl?: string; sameIp?: boolean }
> = {
  aurora: {
    failover: 'aws.aurora.failover-seconds',
    dnsTtl: 'aws.aurora.endpoint-dns-ttl-seconds',
    sameIp: false,
  },
  'cloud-sql-ha': {
    failover: 'gcp.cloudsql-ha.failover-seconds',
    sameIp: true,
  },
  'azure-sql-bc': { failover: 'azure.sql-bc.failover-seconds' },
};

const seconds = (max: number) =>
  optionalDecimalField({ min: 0, max, unit: 's' });

/** Inputs of C11. */
export const failoverRtoSchema = z.object({
  service: optionalEnumField(FAILOVER_SERVICES),
  providerFailoverSeconds: seconds(3600),
  dnsTtlSeconds: seconds(86_400),
  sameIpFailover: optionalBoolField(),
  detectionSeconds: seconds(3600),
  clientDnsCacheSeconds: seconds(86_400),
  poolValidatesOnBorrow: optionalBoolField(),
  staleConnectionTimeoutSeconds: seconds(3600),
  reconnectSeconds: seconds(600),
  targetRtoSeconds: seconds(86_400),
  targetRpoSeconds: seconds(86_400),
  crossRegion: optionalBoolField(),
  replicationLagP99Seconds: seconds(86_400),
  costPerMinuteDown: optionalDecimalField({
    min: 0,
    max: 1e7,
    unit: 'USD/min',
  }),
});

/** Labels and units of the C11 inputs (the form, its messages and the markdown export read them). */
export const failoverRtoInputs: InputLabels<typeof failoverRtoSchema> = {
  service: { label: 'Database service' },
  providerFailoverSeconds: { label: 'Provider failover time', unit: 's' },
  dnsTtlSeconds: { label: 'Endpoint DNS TTL', unit: 's' },
  sameIpFailover: { label: 'Same-IP failover' },
  detectionSeconds: { label: 'Detection time', unit: 's' },
  clientDnsCacheSeconds: { label: 'Client DNS cache', unit: 's' },
  poolValidatesOnBorrow: { label: 'Pool validates connections on borrow' },
  staleConnectionTimeoutSeconds: {
    label: 'Stale-connection timeout',
    unit: 's',
  },
  reconnectSeconds: { label: 'Reconnect time', unit: 's' },
  targetRtoSeconds: { label: 'Target RTO', unit: 's' },
  targetRpoSeconds: { label: 'Target RPO', unit: 's' },
  crossRegion: { label: 'Cross-region failover' },
  replicationLagP99Seconds: { label: 'Replication lag, p99', unit: 's' },
  costPerMinuteDown: { label: 'Cost per minute down', unit: 'USD/min' },
};

/** Raw C11 input. */
export type FailoverRtoInput = z.input<typeof failoverRtoSchema>;

const FIXES: Record<string, string> = {
  detection: 'shorten failure detection (health-check interval and threshold)',
  provider: 'choose a tier with faster documented failover',
  dns: 'cap the client DNS cache at the endpoint TTL',
  pool: 'validate connections on borrow / enable keepalive',
};

/** C11 `failover-rto`: client-visible recovery time against the target RTO/RPO. */
export const failoverRto = defineCalculator({
  id: 'failover-rto',
  version: 1,
  title: 'Client-visible failover time',
  question:
    'How long will the application actually be down when the primary fails over, and does it meet the target RTO/RPO?',
  sources: ['18', '55', '67'],
  caveats: [
    'Provider figures are documented typical values, not SLAs.',
    "The article's field note is that pool and DNS caching can stretch a sub-30 s Aurora failover to 60–120 s at the client (18).",
    'An untested failover is not an RTO (55).',
    'For a cross-region promotion enter the measured promotion time as providerFailoverSeconds: the articles give no figure for it.',
  ],
  schema: failoverRtoSchema,
  inputs: failoverRtoInputs,
  evaluate(input, h) {
    const service = h.orDefault('service', input.service, 'custom');
    const facts: Partial<(typeof SERVICE_FACTS)[ServiceWithFailoverFacts]> =
      hasFailoverFacts(service) ? SERVICE_FACTS[service] : {};
    if (input.providerFailoverSeconds === undefined && !facts.failover) {
      return {
        errors: [
          requiredError(
            'providerFailoverSeconds',
            `for ${service}: enter a measured value.`,
          ),
        ],
      };
    }
    const provider = facts.failover
      ? h.fact(
          'providerFailoverSeconds',
          input.providerFailoverSeconds,
          facts.failover,
        )
      : input.providerFailoverSeconds!;
    const dnsTtl = facts.dnsTtl
      ? h.fact('dnsTtlSeconds', input.dnsTtlSeconds, facts.dnsTtl)
      : input.dnsTtlSeconds ??
        dec(h.orDefault('dnsTtlSeconds', undefined, '0'));
    const sameIp = h.orDefault(
      'sameIpFailover',
      input.sameIpFailover,
      facts.sameIp ?? false,
    );
    const detection =
      input.detectionSeconds ??
      dec(h.orDefault('detectionSeconds', undefined, '0'));
    const clientCache = h.fact(
      'clientDnsCacheSeconds',
      input.clientDnsCacheSeconds,
      'client.jvm-dns-cache-seconds',
    );
    const validates = h.orDefault(
      'poolValidatesOnBorrow',
      input.poolValidatesOnBorrow,
      false,
    );
    const stale =
      input.staleConnectionTimeoutSeconds ??
      dec(h.orDefault('staleConnectionTimeoutSeconds', undefined, '60'));
    const reconnect =
      input.reconnectSeconds ??
      dec(h.orDefault('reconnectSeconds', undefined, '2'));
    const crossRegion = h.orDefault('crossRegion', input.crossRegion, false);

    const dnsDelay = sameIp ? ZERO : maxDec(dnsTtl, clientCache);
    const poolDelay = validates ? reconnect : maxDec(reconnect, stale);
    const estimatedRto = detection
      .plus(provider)
      .plus(dnsDelay)
      .plus(poolDelay);
    const lag = input.replicationLagP99Seconds;
    const estimatedRpo: Dec | null = crossRegion ? lag ?? null : ZERO;
    const targetRto = input.targetRtoSeconds;
    const targetRpo = input.targetRpoSeconds;
    const rtoGap =
      targetRto === undefined ? null : estimatedRto.minus(targetRto);
    const rpoGap =
      targetRpo === undefined || estimatedRpo === null
        ? null
        : estimatedRpo.minus(targetRpo);
    const outageCost =
      input.costPerMinuteDown === undefined
        ? null
        : estimatedRto.div(60).times(input.costPerMinuteDown);
    const terms: [string, Dec][] = [
      ['pool', poolDelay],
      ['dns', dnsDelay],
      ['provider', provider],
      ['detection', detection],
    ];
    // Ties go to the term a team can change most cheaply (listed first).
    const [largest, largestValue] = terms.reduce((a, b) =>
      b[1].greaterThan(a[1]) ? b : a,
    );
    const s = (x: Dec) => formatTrimmed(x, 2);
    // "30 s misses the 30 s target" would hide a gap of 4 ms: both printed until they differ.
    const sApart = (x: Dec, other: Dec | undefined) =>
      formatTrimmed(x, other ? decimalsApart(x, other, 2) : 2);
    // A target of 0 s is missed by asynchronous replication whatever its lag (C13's rule): an
    // unknown lag must not leave it unknown, or the result reads "do" with no RPO at all.
    const rpoStatus = () => {
      if (!crossRegion) return 'passed';
      if (targetRpo?.isZero() && lag === undefined) return 'fired';
      return statusOf(rpoGap === null ? undefined : rpoGap.greaterThan(0));
    };
    const rules: RuleEvaluation[] = [
      {
        id: 'R-FO-RTO',
        status: statusOf(rtoGap === null ? undefined : rtoGap.greaterThan(0)),
        severity: 'avoid',
        sources: ['18'],
        sentence: `Estimated client recovery ${sApart(
          estimatedRto,
          targetRto,
        )} s misses the ${
          targetRto ? sApart(targetRto, estimatedRto) : '?'
        } s target; the largest term is ${largest} (${s(largestValue)} s): ${
          FIXES[largest]
        }.`,
      },
      {
        id: 'R-FO-RPO',
        status: rpoStatus(),
        severity: 'avoid',
        sources: ['18'],
        sentence: `Asynchronous cross-region replication cannot promise RPO ${
          targetRpo ? s(targetRpo) : '?'
        } s; ${lag ? `p99 lag is ${s(lag)} s` : 'its p99 lag is not known'}.`,
      },
      {
        id: 'R-FO-MEETS',
        status: rtoGap !== null && !rtoGap.greaterThan(0) ? 'fired' : 'passed',
        severity: 'do',
        sources: ['18'],
        sentence: `Estimated client recovery ${s(estimatedRto)} s meets the ${
          targetRto ? s(targetRto) : '?'
        } s target.`,
      },
      {
        id: 'R-FO-NO-TARGET',
        status: targetRto === undefined ? 'fired' : 'passed',
        severity: 'info',
        sources: ['55'],
        sentence: `Estimated client recovery ${s(
          estimatedRto,
        )} s; set a target RTO to check it.`,
      },
    ];
    return {
      outputs: [
        out('detectionSeconds', 'Detection', 'seconds', detection),
        out('providerSeconds', 'Provider failover', 'seconds', provider),
        out('dnsDelay', 'DNS delay', 'seconds', dnsDelay),
        out('poolDelay', 'Pool delay', 'seconds', poolDelay),
        out('estimatedRto', 'Estimated client RTO', 'seconds', estimatedRto),
        out('estimatedRpo', 'Estimated RPO', 'seconds', estimatedRpo),
        out('rtoGap', 'RTO gap', 'seconds', rtoGap),
        out('rpoGap', 'RPO gap', 'seconds', rpoGap),
        out('outageCost', 'Cost of one failover', 'money', outageCost),
      ],
      rules,
      sentenceSuffix:
        "Verify by killing the primary and timing the application's recovery end to end.",
    };
  },
});
