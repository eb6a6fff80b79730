import { OnCallLookup } from '../ownership/types';
import { demoHandoff, demoSchedules } from './demoCatalog';

/** Static provider of the demo at T; PagerDuty is not configured in the demo (§7). */
export const demoOnCall: OnCallLookup = source => {
  if (source.startsWith('pagerduty:')) {
    return {
      status: 'unavailable',
      reason: 'provider pagerduty not configured',
    };
  }
  const members = demoSchedules[source];
  if (!members) return { status: 'none' };
  return {
    status: 'ok',
    primary: members[0],
    ...(members[1] ? { secondary: members[1] } : {}),
    until: demoHandoff,
  };
};
