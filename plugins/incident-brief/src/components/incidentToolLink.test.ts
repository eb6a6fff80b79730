import { mockApis } from '@backstage/frontend-test-utils';
import {
  incidentToolLink,
  readIncidentToolTemplates,
} from './incidentToolLink';

describe('incidentToolLink', () => {
  it.each([
    [
      'pagerduty',
      'PPAY001',
      {},
      'PagerDuty service PPAY001',
      'https://app.pagerduty.com/service-directory/PPAY001',
    ],
    [
      'opsgenie',
      'payments team',
      {},
      'Opsgenie team payments team',
      'https://app.opsgenie.com/teams/list?query=payments%20team',
    ],
    ['firehydrant', 'svc-1', {}, 'FireHydrant service svc-1', undefined],
    [
      'pagerduty',
      'PPAY001',
      { pagerduty: 'https://acme.pagerduty.com/service-directory/{id}' },
      'PagerDuty service PPAY001',
      'https://acme.pagerduty.com/service-directory/PPAY001',
    ],
    [
      'firehydrant',
      'a/b',
      { firehydrant: 'https://app.firehydrant.io/services/{id}/overview' },
      'FireHydrant service a/b',
      'https://app.firehydrant.io/services/a%2Fb/overview',
    ],
  ] as const)('%s %s %j', (tool, value, templates, label, href) => {
    expect(incidentToolLink({ tool, value }, templates)).toEqual(
      href ? { label, href } : { label },
    );
  });

  it('gives no link when a template handed in directly is not an absolute http(s) URL', () => {
    // eslint-disable-next-line no-script-url -- the refused template is the input under test
    for (const template of ['javascript:alert("{id}")', '/pagerduty/{id}']) {
      expect(
        incidentToolLink(
          { tool: 'pagerduty', value: 'PPAY001' },
          { pagerduty: template },
        ).href,
      ).toBeUndefined();
    }
  });

  it('reads http(s) templates with {id} from config and ignores others', () => {
    const config = mockApis.config({
      data: {
        incidentBrief: {
          incidentTools: {
            pagerduty: { urlTemplate: 'https://acme.pagerduty.com/s/{id}' },
            opsgenie: { urlTemplate: 'ftp://files.example.com/{id}' },
            firehydrant: { urlTemplate: 'https://app.firehydrant.io/services' },
          },
        },
      },
    });
    expect(readIncidentToolTemplates(config)).toEqual({
      pagerduty: 'https://acme.pagerduty.com/s/{id}',
    });
  });
});
