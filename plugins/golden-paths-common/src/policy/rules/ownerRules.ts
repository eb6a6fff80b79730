import { refKind } from '../../catalog/refs';
import { deny, pass, RuleResult, warn } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { FactRule } from './ruleContext';

/** Owner of a T1/T2 request, or of the component a database belongs to. */
function requestOwner(
  ctx: Parameters<FactRule['evaluate']>[0],
): string | undefined {
  if (ctx.request.kind !== 'database') return ctx.request.owner;
  const component = ctx.catalog.getOfKind(ctx.request.component, 'component');
  return component ? ctx.catalog.ownerOf(component) : undefined;
}

/** GP-O01 not a group, GP-O02 unknown group, GP-O03 requester not a member, GP-O04 no members. */
export const ownerRules: FactRule = {
  ids: ['GP-O01', 'GP-O02', 'GP-O03', 'GP-O04'],
  evaluate(ctx) {
    const out: RuleResult[] = [];
    const owner = requestOwner(ctx);
    // A database derives its owner from its component (D01 reports a missing component).
    if (owner === undefined) return out;
    if (refKind(owner) !== 'group') {
      out.push(deny('GP-O01', gpMessages.o01({ owner }), 'owner'));
      return out;
    }
    out.push(pass('GP-O01'));
    if (!ctx.catalog.get(owner)) {
      out.push(deny('GP-O02', gpMessages.o02({ owner }), 'owner'));
      return out;
    }
    out.push(pass('GP-O02'));
    const members = ctx.catalog.members(owner);
    if (!members.includes(ctx.requester)) {
      const asWarning = ctx.config.policy.ownerMembership === 'warn';
      const message = gpMessages.o03({
        user: ctx.requester,
        owner,
        warning: asWarning,
      });
      out.push(
        asWarning
          ? warn('GP-O03', message, 'owner')
          : deny('GP-O03', message, 'owner'),
      );
    } else out.push(pass('GP-O03'));
    out.push(
      members.length === 0
        ? warn('GP-O04', gpMessages.o04({ owner }), 'owner')
        : pass('GP-O04'),
    );
    return out;
  },
};
