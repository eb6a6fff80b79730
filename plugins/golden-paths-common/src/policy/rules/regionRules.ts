import { RESTRICTED_CLASSIFICATIONS } from '../../constants';
import { deny, pass, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { FactRule } from './ruleContext';

/** GP-R02 forbidden (checked before R01), GP-R01 not offered, GP-R03 residency. */
export const regionRules: FactRule = {
  ids: ['GP-R01', 'GP-R02', 'GP-R03'],
  evaluate(ctx) {
    const { regions } = ctx.config.policy;
    const region = ctx.request.region;
    if (region === undefined) return [];
    const out: RuleResult[] = [];
    const forbidden = regions.forbidden.find(f => f.region === region);
    if (forbidden) {
      out.push(
        deny(
          'GP-R02',
          gpMessages.r02({ region, reason: forbidden.reason }),
          'region',
        ),
      );
    } else if (!regions.offered.includes(region)) {
      out.push(
        deny(
          'GP-R01',
          gpMessages.r01({ region, offered: regions.offered }),
          'region',
        ),
      );
    } else out.push(pass('GP-R01'), pass('GP-R02'));

    const classification = ctx.request.dataClassification;
    if (classification && RESTRICTED_CLASSIFICATIONS.includes(classification)) {
      const allowed =
        regions.residency[classification as 'critical-pii' | 'pci-regulated'] ??
        [];
      out.push(
        allowed.includes(region)
          ? pass('GP-R03')
          : deny(
              'GP-R03',
              gpMessages.r03({ classification, allowed, region }),
              'region',
            ),
      );
    }
    return out;
  },
};
