import { deny, pass, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import {
  impossibleDates,
  parseCron,
  smallestGapMinutes,
  usesWeekdaySeven,
} from '../cron';
import { FactRule } from './ruleContext';

/** Minimum interval between scheduled runs (GP-W02). @public */
export const MIN_SCHEDULE_INTERVAL_MINUTES = 5;

const MONTH_NAMES = [
  '',
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

// GP-W01's text says what is wrong in general; these sentences, appended to it, say how to fix
// the two invalid schedules that look valid to a reader of classic cron.
const SUNDAY_HINT =
  ' Weekday 7 is not accepted by the Kubernetes CronJob that runs the worker; use 0 for Sunday.';

function neverRunsHint(dates: { months: number[]; days: number[] }): string {
  const months = dates.months.map(m => MONTH_NAMES[m]);
  return ` It would never run: ${months.join(', ')} ${
    months.length === 1 ? 'has' : 'have'
  } no day ${dates.days.join(' or ')}.`;
}

/**
 * GP-W01 and GP-W02 for one cron expression (exported for the unit vectors and the form).
 *
 * @public
 */
export function checkSchedule(cron: string): RuleResult[] {
  const parsed = parseCron(cron);
  if (!parsed) {
    const hint = usesWeekdaySeven(cron) ? SUNDAY_HINT : '';
    return [deny('GP-W01', gpMessages.w01({ cron }) + hint, 'schedule')];
  }
  const impossible = impossibleDates(parsed);
  if (impossible) {
    return [
      deny(
        'GP-W01',
        gpMessages.w01({ cron }) + neverRunsHint(impossible),
        'schedule',
      ),
    ];
  }
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
