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

describe('createAlertRouter and grouping-only routes', () => {
  // A child matching on severity to group alerts, with no receiver of its own: an alert it
  // catches that no team route takes still pages the root's (global) receiver.
  const route = createAlertRouter(`
route:
  receiver: global-slack
  routes:
    - match: { severity: critical }
      group_by: [alertname]
      routes:
        - match: { team: payments }
          receiver: payments-pager
    - match: { team: checkout }
      receiver: global-slack
`);

  it.each([
    [{ severity: 'critical', team: 'checkout' }, ['global-slack'], true],
    [{ severity: 'critical', team: 'payments' }, ['payments-pager'], false],
    // a route naming the root's receiver delivers as the root would: still the default
    [{ severity: 'info', team: 'checkout' }, ['global-slack'], true],
  ])('routes %j to %j', (labels, receivers, defaultReceiver) => {
    expect(route(labels)).toEqual({ receivers, defaultReceiver });
  });
});

describe('createAlertRouter on Go regex syntax', () => {
  const router = (regex: string) =>
    createAlertRouter(`
route:
  receiver: default
  routes:
    - match_re: { team: ${JSON.stringify(regex)} }
      receiver: team-pager
    - matchers: [${JSON.stringify(`service=~"${regex}"`)}]
      receiver: service-pager
`);

  // A leading (?i) / (?s) is Go's whole-expression flag; JavaScript spells it as a RegExp flag.
  it.each([
    ['(?i)checkout', 'CheckOut', true],
    ['(?i)checkout', 'checkout-x', false],
    ['(?i)pay.*', 'PAYMENTS', true],
    ['(?s)a.b', 'a\nb', true],
    ['(?is)A.B', 'a\nb', true],
    ['a.b', 'a\nb', false],
  ])('%s on %j matches: %s', (regex, value, matches) => {
    const route = router(regex);
    expect(route({ team: value }).receivers).toEqual(
      matches ? ['team-pager'] : ['default'],
    );
    expect(route({ service: value }).receivers).toEqual(
      matches ? ['service-pager'] : ['default'],
    );
  });

  // Thrown while the router is created (inside the collector's Alertmanager step), never later
  // while alerts are routed.
  it.each([['(?P<team>x)'], ['(?U)a+'], ['(unclosed']])(
    'refuses %s when the router is created',
    regex => {
      expect(() => router(regex)).toThrow(SyntaxError);
    },
  );
});
