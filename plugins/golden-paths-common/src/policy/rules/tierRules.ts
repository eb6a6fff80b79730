import { ONCALL_PATTERN, GP_KEYS } from '../../constants';
import { relationTargets, specRefs } from '../../catalog/catalogView';
import type { CatalogView } from '../../catalog/catalogView';
import { refKind } from '../../catalog/refs';
import { deny, pass, RuleResult, warn } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { FactRule } from './ruleContext';

const ONCALL = new RegExp(ONCALL_PATTERN);

/**
 * The group's own `ops.example.com/oncall` (incident-brief §2.2 step 2), trimmed: an annotation
 * of blanks names no rotation, so it must not satisfy GP-T01 (or T03 through a parent).
 */
export function ownRotation(
  catalog: CatalogView,
  groupRef: string,
): string | undefined {
  const value = catalog.get(groupRef)?.metadata.annotations?.[GP_KEYS.oncall];
  return value?.trim() || undefined;
}

/** The first rotation up the parent chain, the group's own included. */
export function inheritedRotation(
  catalog: CatalogView,
  groupRef: string,
): string | undefined {
  const seen = new Set<string>();
  let current: string | undefined = groupRef;
  while (current && !seen.has(current)) {
    seen.add(current);
    const own = ownRotation(catalog, current);
    if (own) return own;
    const group = catalog.get(current);
    current = group
      ? specRefs(group, 'parent')[0] ?? relationTargets(group, 'childOf')[0]
      : undefined;
  }
  return undefined;
}

/**
 * GP-T01…T05: on-call and runbook by service tier. Databases have no tier rules of their own.
 */
export const tierRules: FactRule = {
  ids: ['GP-T01', 'GP-T02', 'GP-T03', 'GP-T04', 'GP-T05'],
  evaluate(ctx) {
    const r = ctx.request;
    if (r.kind === 'database') return [];
    const out: RuleResult[] = [];
    const kind = r.kind;
    const ownerIsKnownGroup =
      refKind(r.owner) === 'group' && !!ctx.catalog.get(r.owner);
    const requestRotation =
      r.oncall && ONCALL.test(r.oncall) ? r.oncall : undefined;

    if (r.tier === 1) {
      // Only the request or the owner group itself count; a parent's rotation does not (§5).
      // An unknown owner is GP-O01/O02's refusal, not a missing rotation.
      if (
        !requestRotation &&
        ownerIsKnownGroup &&
        !ownRotation(ctx.catalog, r.owner)
      ) {
        out.push(
          deny('GP-T01', gpMessages.t01({ kind, owner: r.owner }), 'oncall'),
        );
      } else out.push(pass('GP-T01'));
      out.push(
        r.runbook === 'none'
          ? deny('GP-T02', gpMessages.t02({ kind }), 'runbook')
          : pass('GP-T02'),
      );
    } else {
      const noRotation =
        !requestRotation &&
        ownerIsKnownGroup &&
        !inheritedRotation(ctx.catalog, r.owner);
      const noRunbook = r.tier === 2 && r.runbook === 'none';
      out.push(
        noRotation || noRunbook
          ? warn(
              'GP-T03',
              gpMessages.t03({ tier: r.tier, kind }),
              noRotation ? 'oncall' : 'runbook',
            )
          : pass('GP-T03'),
      );
    }

    if (
      r.runbook === 'existing-url' &&
      r.runbookUrl &&
      !/^https:\/\/\S+$/.test(r.runbookUrl)
    ) {
      out.push(
        deny('GP-T04', gpMessages.t04({ value: r.runbookUrl }), 'runbookUrl'),
      );
    } else out.push(pass('GP-T04'));

    if (r.oncall && !ONCALL.test(r.oncall)) {
      out.push(deny('GP-T05', gpMessages.t05({ value: r.oncall }), 'oncall'));
    } else out.push(pass('GP-T05'));
    return out;
  },
};
