import { NAME_LENGTH, NAME_PATTERN, GP_KEYS } from '../../constants';
import { deny, pass, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { refOf } from '../../catalog/catalogView';
import { FactRule, kindWord, RuleContext } from './ruleContext';

const NAME = new RegExp(NAME_PATTERN);
const N03_KINDS = ['component', 'resource', 'api', 'system'];

/**
 * The example GP-N01 offers: lower-cased, `_` and spaces → `-`, invalid characters dropped
 * (§5), then trimmed to a shape that passes.
 *
 * @public
 */
export function suggestName(name: string, max: number): string {
  const s = name
    .toLocaleLowerCase('en-US')
    .replace(/[_\s]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s.length >= 3 ? s : `${s || 'my'}-service`.slice(0, max);
}

/** Statuses a rerun with the same fingerprint replays or resumes at `ledger:open` (§4.4). */
const RERUNNABLE = [
  'succeeded',
  'failed',
  'awaiting-approval',
  'open',
  'running',
] as const;

/**
 * Whether an entity that carries this request's key annotation is the earlier result of this
 * request (§4.9: skip N03 only for the entity of this request with a matching fingerprint):
 * - `ours`: the ledger row is this request's, same fingerprint, in a status a rerun replays or
 *   resumes (a live lease is GP-I03's refusal);
 * - `i02`: the row is this key's but a different request — GP-I02 refuses, not N03 (V3);
 * - `unknown`: the ledger did not answer (GP-U01 on GP-I02 refuses);
 * - `taken`: no row (never recorded, or removed by retention, §4.3) or a row a rerun neither
 *   replays nor resumes (`rejected`, `compensated`, `superseded`): N03 refuses the name.
 */
function ownEntityVerdict(
  ctx: RuleContext,
): 'ours' | 'i02' | 'unknown' | 'taken' {
  if (ctx.ledgerUnknown) return 'unknown';
  const row = ctx.ledger;
  if (!row || row.requestKey !== ctx.requestKey) return 'taken';
  if (row.fingerprint !== ctx.fingerprint) return 'i02';
  return (RERUNNABLE as readonly string[]).includes(row.status)
    ? 'ours'
    : 'taken';
}

/** True when a name passes GP-N01 for a kind. */
export function isAllowedName(
  name: string,
  kind: keyof typeof NAME_LENGTH,
): boolean {
  const { min, max } = NAME_LENGTH[kind];
  return NAME.test(name) && name.length >= min && name.length <= max;
}

/** GP-N01 pattern/length, GP-N02 reserved, GP-N03 taken. */
export const nameRules: FactRule = {
  ids: ['GP-N01', 'GP-N02', 'GP-N03'],
  evaluate(ctx) {
    const out: RuleResult[] = [];
    const kind = ctx.request.kind;
    const { min, max } = NAME_LENGTH[kind];
    if (!isAllowedName(ctx.rawName, kind)) {
      out.push(
        deny(
          'GP-N01',
          gpMessages.n01({
            name: ctx.rawName,
            min,
            max,
            suggestion: suggestName(ctx.rawName, max),
          }),
          'name',
        ),
      );
    } else out.push(pass('GP-N01'));

    const name = ctx.request.name;
    if (ctx.config.policy.reservedNames.includes(name)) {
      out.push(
        deny(
          'GP-N02',
          gpMessages.n02({ name, kind: kindWord(ctx.request) }),
          'name',
        ),
      );
    } else out.push(pass('GP-N02'));

    // A database's catalog name is `<name>-<environment>` (§3.3).
    const entityName =
      ctx.request.kind === 'database'
        ? `${name}-${ctx.request.environment}`
        : name;
    const named = ctx.catalog
      .withName(entityName)
      .filter(e => N03_KINDS.includes(e.kind.toLocaleLowerCase('en-US')));
    const carriesOurKey = (e: (typeof named)[number]) =>
      e.metadata.annotations?.[GP_KEYS.requestKey] === ctx.requestKey;
    // An entity with our key annotation is our own earlier result only while the ledger row of
    // this request says so; otherwise the name is taken like any other.
    const verdict = named.some(carriesOurKey) ? ownEntityVerdict(ctx) : 'taken';
    const taken =
      verdict === 'taken' ? named : named.filter(e => !carriesOurKey(e));
    if (taken.length) {
      const e = taken[0];
      out.push(
        deny(
          'GP-N03',
          gpMessages.n03({
            name: entityName,
            ref: refOf(e),
            owner: ctx.catalog.ownerOf(e) ?? 'unknown',
          }),
          'name',
        ),
      );
    } else if (verdict === 'ours' || verdict === 'i02') {
      out.push({ id: 'GP-N03', outcome: 'skipped' });
    } else if (verdict === 'unknown') {
      out.push({ id: 'GP-N03', outcome: 'unknown' });
    } else out.push(pass('GP-N03'));
    return out;
  },
};
