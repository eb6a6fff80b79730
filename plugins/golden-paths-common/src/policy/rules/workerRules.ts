import { deny, pass, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { parseCron, smallestGapMinutes } from '../cron';
import { FactRule } from './ruleContext';

/** Minimum interval between scheduled runs (GP-W02). @public */
export const MIN_SCHEDULE_INTERVAL_MINUTES = 5;

/**
 * GP-W01 and GP-W02 for one cron expression (exported for the unit vectors and the form).
 *
 * @public
 */
export function checkSchedule(cron: string): RuleResult[] {
  const parsed = parseCron(cron);
  if (!parsed) return [deny('GP-W01', gpMessages.w01({ cron }), 'schedule')];
  const gap = smallestGapMinutes(parsed);
  if (gap < MIN_SCHEDULE_INTERVAL_MINUTES) {
    return [
      pass('GP-W01'),
      deny('GP-W02', gpMessages.w02({ cron, minutes: gap }), 'schedule'),
    ];
  }
  return [pass('GP-W01'), pass('GP-W02')];
}

/** GP-W01…W03 for T2 workers. */
export const workerRules: FactRule = {
  ids: ['GP-W01', 'GP-W02', 'GP-W03'],
  evaluate(ctx) {
    const r = ctx.request;
    if (r.kind !== 'worker') return [];
    if (r.trigger === 'schedule') return checkSchedule(r.schedule ?? '');
    const queue = r.queue ?? '';
    const entity = ctx.catalog.get(queue);
    const isQueue =
      entity?.kind.toLocaleLowerCase('en-US') === 'resource' &&
      (entity.spec as { type?: unknown } | undefined)?.type === 'queue';
    return isQueue
      ? [pass('GP-W03')]
      : [deny('GP-W03', gpMessages.w03({ ref: queue }), 'queue')];
  },
};
