import { CatalogView } from '../catalog/catalogView';
import type { GoldenPathsConfig } from '../config';
import {
  refusalText,
  RuleResult,
  sortByRuleOrder,
  deny,
} from '../errors/catalogue';
import { gpMessages } from '../errors/messages';
import type { DatabaseEstimate } from '../estimate/databaseEstimate';
import { classifyRequestTriggers } from '../approvals/classifyTriggers';
import type { ApprovalTrigger } from '../approvals/triggerIds';
import { parseRequest } from '../request/parseRequest';
import {
  defaultRequestKey,
  isValidRequestKey,
  type RequestKeyIdentity,
} from '../request/requestKey';
import {
  fingerprintBody,
  requestFingerprint,
} from '../request/requestFingerprint';
import type { NormalizedRequest } from '../request/types';
import type { RequestKind } from '../schemas/requestSchemas';
import type { PolicyFacts, TemplateContext } from './facts';
import { checkKillSwitches } from './rules/killSwitchRules';
import { detectSecret, scanForSecrets } from './secretDetectors';
import { checkLedger } from './rules/idempotencyRules';
import { databaseRules, deriveDatabaseDefaults } from './rules/databaseRules';
import { isAllowedName, nameRules } from './rules/nameRules';
import { ownerRules } from './rules/ownerRules';
import { regionRules } from './rules/regionRules';
import { systemRules } from './rules/systemRules';
import { tierRules } from './rules/tierRules';
import { workerRules } from './rules/workerRules';
import type { CreateRequest, FactRule, RuleContext } from './rules/ruleContext';

/**
 * The fact rules in §5 table order (N, O, S, T, W, D, R).
 *
 * @public
 */
export const FACT_RULES: readonly FactRule[] = [
  nameRules,
  ownerRules,
  systemRules,
  tierRules,
  workerRules,
  databaseRules,
  regionRules,
];

/** @public */
export interface PolicyInput {
  kind: RequestKind;
  template: TemplateContext;
  /** The raw template parameters (or API body). */
  request: unknown;
  /** An explicit key from the API caller; else `request.idempotencyKey`; else the default. */
  idempotencyKey?: string;
  facts: PolicyFacts;
  config: GoldenPathsConfig;
  /** ISO instant; the engine never reads the clock. */
  now: string;
}

/**
 * The outcome of the preflight (`goldenpath:validate`, §4.9).
 *
 * @public
 */
export interface PolicyEvaluation {
  decision: 'allow' | 'deny' | 'needs-approval';
  /** Every evaluated rule, in table order (the audit record's `rules`). */
  rules: RuleResult[];
  errors: RuleResult[];
  warnings: RuleResult[];
  /** Deny lines joined by `\n` in table order (the `InputError` message), when denied. */
  message?: string;
  request?: NormalizedRequest;
  requestKey?: string;
  fingerprint?: string;
  policyVersion: string;
  approvalTriggers: ApprovalTrigger[];
  estimate?: DatabaseEstimate;
}

function rawField(raw: unknown, key: string): unknown {
  return typeof raw === 'object' && raw !== null
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/** What GP-K02 names instead of a request key built from a secret-looking value. */
const HIDDEN_KEY = '(not shown: it looks like a secret)';

/**
 * The key the kill-switch message names. Kill switches run before the secret scan (§5 order),
 * so a key or name that matches a secret detector is not echoed (GP-X01: the value is never
 * shown); it is checked as typed, before lower-casing.
 */
function provisionalKey(input: PolicyInput): string {
  return killSwitchRequestKey(input) ?? HIDDEN_KEY;
}

/**
 * The key a parsed request runs under (§4.2): the caller's explicit key, else the request's own
 * `idempotencyKey` (trimmed by the schema), else the default key of the normalized request. The
 * one derivation of the key, for the run and for GP-K02's ledger lookup before it.
 */
function runKey(
  templateName: string,
  callerKey: string | undefined,
  parsed: { idempotencyKey?: string },
  request: NormalizedRequest,
): { key: string; explicit: boolean } {
  const explicit = callerKey ?? parsed.idempotencyKey;
  return {
    key: explicit ?? defaultRequestKey(templateName, request),
    explicit: explicit !== undefined,
  };
}

/** The explicit key as typed (the caller's, else the request's own), if there is one. */
function typedExplicitKey(
  input: Pick<PolicyInput, 'request' | 'idempotencyKey'>,
): string | undefined {
  const explicit =
    input.idempotencyKey ?? rawField(input.request, 'idempotencyKey');
  return typeof explicit === 'string' && explicit ? explicit : undefined;
}

/** The values a key is built from as typed, checked by the secret detectors before anything. */
function typedKeyParts(
  input: Pick<PolicyInput, 'kind' | 'request' | 'idempotencyKey'>,
): unknown[] {
  const explicit = typedExplicitKey(input);
  if (explicit) return [explicit];
  const field = (name: string) => rawField(input.request, name);
  if (input.kind === 'database')
    return [field('name'), field('environment') ?? 'dev'];
  if (input.kind === 'lifecycle')
    return [field('entity') ?? '', field('transition') ?? ''];
  return [field('name')];
}

/**
 * The key of a request the schema refuses, as typed: no run of it passed validate, so none
 * recorded steps; GP-K02 still names a key, in the default key's format.
 */
function typedKey(
  input: Pick<PolicyInput, 'kind' | 'request' | 'idempotencyKey'> & {
    template: { name: string };
  },
): string {
  const explicit = typedExplicitKey(input);
  if (explicit) return explicit;
  const [first, second] = typedKeyParts(input).map(p => String(p ?? ''));
  const name = first.trim().toLocaleLowerCase('en-US');
  let identity: RequestKeyIdentity;
  if (input.kind === 'database')
    identity = { kind: 'database', name, environment: second };
  else if (input.kind === 'lifecycle')
    identity = { kind: 'lifecycle', entity: first, transition: second };
  else identity = { kind: input.kind, name };
  return defaultRequestKey(input.template.name, identity);
}

/**
 * The request key GP-K02 names, or undefined when it is built from a secret-looking value
 * (checked on the values as typed, before lower-casing). Kill switches run before the schema
 * phase (§5 order), so the request is parsed here as the run parses it: the key is the one its
 * steps are recorded under (`lifecycle:component:default/cart-api:deprecate` for an `entity`
 * typed `component:cart-api`; an explicit key trimmed). Validate looks the ledger's steps up
 * under it ({@link PolicyFacts.stepsRecorded}). A request the schema refuses is named as typed.
 *
 * @public
 */
export function killSwitchRequestKey(
  input: Pick<PolicyInput, 'kind' | 'request' | 'idempotencyKey' | 'config'> & {
    template: { name: string };
  },
): string | undefined {
  if (typedKeyParts(input).some(p => detectSecret(String(p ?? ''))))
    return undefined;
  const parsed = parseRequest(input.kind, input.request, input.config);
  if (!parsed.ok) return typedKey(input);
  return runKey(
    input.template.name,
    input.idempotencyKey,
    parsed,
    parsed.request,
  ).key;
}

/** The ledger rules; a ledger that did not answer makes them unknown (GP-U01). */
const LEDGER_RULES = ['GP-I02', 'GP-I03', 'GP-I04'];

/**
 * GP-I01 for the key the request runs under. An explicit key is checked as given; a derived one
 * too, since a long entity ref makes a lifecycle key longer than 128 characters — except when a
 * create request's name is what breaks it: GP-N01 then names the problem and a fix (V4).
 */
function checkRequestKey(
  key: string,
  explicit: boolean,
  request: NormalizedRequest,
): RuleResult | undefined {
  if (isValidRequestKey(key)) return undefined;
  const nameExplains =
    !explicit &&
    request.kind !== 'lifecycle' &&
    !isAllowedName(request.name, request.kind);
  if (nameExplains) return undefined;
  return deny('GP-I01', gpMessages.i01({ key }), 'idempotencyKey');
}

function decisionOf(
  denied: boolean,
  needsApproval: boolean,
): PolicyEvaluation['decision'] {
  if (denied) return 'deny';
  return needsApproval ? 'needs-approval' : 'allow';
}

function finish(
  base: Omit<
    PolicyEvaluation,
    'decision' | 'errors' | 'warnings' | 'message' | 'rules'
  >,
  results: RuleResult[],
): PolicyEvaluation {
  const rules = sortByRuleOrder(results);
  const errors = rules.filter(r => r.outcome === 'deny');
  const warnings = rules.filter(r => r.outcome === 'warn');
  const denied = errors.length > 0;
  return {
    ...base,
    rules,
    errors,
    warnings,
    decision: decisionOf(denied, base.approvalTriggers.length > 0),
    ...(denied ? { message: refusalText(errors), approvalTriggers: [] } : {}),
  };
}

/** A deny line rewritten as a warning for a replay (§4.9 validate). */
function downgrade(r: RuleResult): RuleResult {
  if (r.outcome !== 'deny' || !r.message) return r;
  const text = r.message.replace(/^GP-[A-Z]\d\d: /, '');
  return {
    ...r,
    outcome: 'warn',
    message: `${r.id} (warning, policy changed since this request succeeded): ${text}`,
  };
}

/**
 * Policy preflight of a create request (§5): K → X → V → I01, each short-circuiting, then every
 * fact rule (N, O, S, T, W, D, R; no short-circuit, so the requester sees every problem at once),
 * then the ledger rules I02–I04. Without denials the approval triggers of §6.1 decide between
 * `allow` and `needs-approval`. Lifecycle requests stop after I01 and the ledger rules: their
 * gates are {@link evaluateTransition}'s.
 *
 * @public
 */
export function evaluatePolicy(input: PolicyInput): PolicyEvaluation {
  const { config, facts, template, now } = input;
  const base = {
    policyVersion: config.policy.version,
    approvalTriggers: [] as ApprovalTrigger[],
  };

  const kill = checkKillSwitches(
    facts.killSwitches,
    template,
    provisionalKey(input),
    { stepsRecorded: facts.stepsRecorded },
  );
  if (kill.length) return finish(base, kill);

  const secrets = scanForSecrets(
    input.idempotencyKey === undefined
      ? input.request
      : { ...(input.request as object), idempotencyKey: input.idempotencyKey },
  );
  if (secrets.some(r => r.outcome === 'deny')) return finish(base, secrets);

  const parsed = parseRequest(input.kind, input.request, config);
  if (!parsed.ok) return finish(base, [...secrets, ...parsed.errors]);

  const catalog = new CatalogView(facts.catalog);
  let request = parsed.request;
  if (request.kind === 'database')
    request = deriveDatabaseDefaults(request, catalog, config);
  const { key: requestKey, explicit } = runKey(
    template.name,
    input.idempotencyKey,
    parsed,
    request,
  );
  const i01 = checkRequestKey(requestKey, explicit, request);
  if (i01) return finish(base, [...secrets, i01]);

  const fingerprint = requestFingerprint(template.ref, request);
  const unavailable = facts.unavailable ?? [];
  const ledgerMissing = unavailable.find(u => LEDGER_RULES.includes(u.rule));

  const results: RuleResult[] = [...secrets];
  let estimate: DatabaseEstimate | undefined;
  if (request.kind !== 'lifecycle') {
    const ctx: RuleContext = {
      request: request as CreateRequest,
      rawName: String(rawField(input.request, 'name') ?? '').trim(),
      requestKey,
      fingerprint,
      ...(facts.ledger ? { ledger: facts.ledger } : {}),
      ...(ledgerMissing ? { ledgerUnknown: true } : {}),
      catalog,
      requester: facts.requester,
      config,
      now,
      prices: facts.prices,
    };
    for (const rule of FACT_RULES) {
      const missing = unavailable.find(u => rule.ids.includes(u.rule));
      if (missing) {
        // Unknown is not pass: the rule fails closed (GP-U01).
        results.push(
          deny(
            'GP-U01',
            gpMessages.u01({ rule: missing.rule, source: missing.source }),
          ),
        );
        continue;
      }
      results.push(...rule.evaluate(ctx));
    }
    estimate = ctx.estimate;
  }

  // Unknown is not pass: without the ledger's answer I02–I04 fail closed (GP-U01).
  const ledger = ledgerMissing
    ? [
        deny(
          'GP-U01',
          gpMessages.u01({
            rule: ledgerMissing.rule,
            source: ledgerMissing.source,
          }),
        ),
      ]
    : checkLedger({
        ledger: facts.ledger,
        requestKey,
        fingerprint,
        templateRef: requestFingerprintTemplate(template.ref),
        templateVersion: template.version,
        request: fingerprintBody(request),
        now,
      });

  // A succeeded request with this key and fingerprint is a replay: it creates nothing, so fact
  // rules that changed since only warn (§4.9 validate).
  const replay =
    facts.ledger?.status === 'succeeded' &&
    facts.ledger.fingerprint === fingerprint;
  const factResults = replay ? results.map(downgrade) : results;

  const approvalTriggers =
    request.kind === 'lifecycle'
      ? []
      : classifyRequestTriggers(request, estimate);
  return finish(
    {
      ...base,
      request,
      requestKey,
      fingerprint,
      approvalTriggers,
      ...(estimate ? { estimate } : {}),
    },
    [...factResults, ...ledger],
  );
}

/** The template ref as the ledger stores it: normalized, without version. */
function requestFingerprintTemplate(ref: string): string {
  return ref
    .trim()
    .replace(/@[^/@]*$/, '')
    .toLocaleLowerCase('en-US');
}
