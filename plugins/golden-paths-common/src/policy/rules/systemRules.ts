import { GP_KEYS } from '../../constants';
import { deny, pass } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { lifecycleOf } from '../../catalog/catalogView';
import { normalizeEntityRef } from '../../catalog/refs';
import { FactRule } from './ruleContext';

const RETIRED = ['deprecated', 'archived'];

/**
 * GP-S01 unknown system, GP-S02 retired system (T1/T2; a database takes its component's). An
 * existing entity of another kind (`component:default/checkout-service`) is no System: GP-S01
 * with its text unchanged, since the ref shown names the kind that is wrong.
 */
export const systemRules: FactRule = {
  ids: ['GP-S01', 'GP-S02'],
  evaluate(ctx) {
    if (ctx.request.kind === 'database') return [];
    const system = ctx.request.system;
    const entity = ctx.catalog.getOfKind(system, 'system');
    if (!entity) return [deny('GP-S01', gpMessages.s01({ system }), 'system')];
    const lifecycle = lifecycleOf(entity);
    if (!RETIRED.includes(lifecycle)) return [pass('GP-S01'), pass('GP-S02')];
    const replacedBy = entity.metadata.annotations?.[GP_KEYS.replacedBy];
    const replacement =
      replacedBy && replacedBy !== 'none'
        ? normalizeEntityRef(
            replacedBy,
            'system',
            entity.metadata.namespace ?? 'default',
          )
        : undefined;
    return [
      pass('GP-S01'),
      deny(
        'GP-S02',
        gpMessages.s02({
          system,
          lifecycle,
          replacement,
          owner: ctx.catalog.ownerOf(entity) ?? 'unknown',
        }),
        'system',
      ),
    ];
  },
};
