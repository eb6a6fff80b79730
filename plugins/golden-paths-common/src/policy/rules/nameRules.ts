import { NAME_LENGTH, NAME_PATTERN, GP_KEYS } from '../../constants';
import { deny, pass, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { refOf } from '../../catalog/catalogView';
import { FactRule, kindWord } from './ruleContext';

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
    const taken = ctx.catalog
      .withName(entityName)
      .filter(e => N03_KINDS.includes(e.kind.toLocaleLowerCase('en-US')))
      // Our own earlier result (same request key) is a replay, not a clash; a changed request
      // under that key is GP-I02's business.
      .filter(
        e => e.metadata.annotations?.[GP_KEYS.requestKey] !== ctx.requestKey,
      );
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
    } else out.push(pass('GP-N03'));
    return out;
  },
};
