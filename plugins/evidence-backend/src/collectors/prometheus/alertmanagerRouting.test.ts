import { createAlertRouter } from './alertmanagerRouting';

const CONFIG = `
route:
  receiver: default
  routes:
    - matchers: ['team="checkout-team"']
      receiver: checkout-team-pager
      routes:
        - match: { severity: ticket }
          receiver: checkout-team-tickets
    - match_re: { service: "pay.*" }
      receiver: payments-pager
      continue: true
    - matchers: ['severity=~"page|critical"', 'team!="platform-team"']
      receiver: sre-pager
receivers: []
`;

describe('createAlertRouter', () => {
  const route = createAlertRouter(CONFIG);

  it.each([
    [
      { team: 'checkout-team', severity: 'page' },
      ['checkout-team-pager'],
      false,
    ],
    [
      { team: 'checkout-team', severity: 'ticket' },
      ['checkout-team-tickets'],
      false,
    ],
    // continue: true lets the next sibling match too.
    [
      { service: 'payments', severity: 'page' },
      ['payments-pager', 'sre-pager'],
      false,
    ],
    [{ service: 'payments', severity: 'info' }, ['payments-pager'], false],
    [{ team: 'platform-team', severity: 'page' }, ['default'], true],
    [{}, ['default'], true],
  ])('routes %j to %j', (labels, receivers, defaultReceiver) => {
    expect(route(labels)).toEqual({ receivers, defaultReceiver });
  });
});
