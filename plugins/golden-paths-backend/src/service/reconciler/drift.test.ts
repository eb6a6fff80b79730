import { CheckResult, Mismatch } from './compare';
import { diffDrift, openMismatches } from './drift';

const CART = 'component:default/cart-api';
const REPO = '/srv/gp/repos/cart-api.git';

const lifecycle = (observed: string): CheckResult => ({
  check: 'entity.lifecycle',
  target: CART,
  status: 'drift',
  expected: 'experimental',
  observed,
  message: `${CART} is ${observed} in the catalog; the ledger records experimental`,
});
const lifecycleOk: CheckResult = {
  check: 'entity.lifecycle',
  target: CART,
  status: 'ok',
  expected: 'experimental',
  observed: 'experimental',
};
const lifecycleUnknown: CheckResult = {
  check: 'entity.lifecycle',
  target: CART,
  status: 'unknown',
  message: 'the catalog did not answer',
};
const repoGone: CheckResult = {
  check: 'repository.present',
  target: REPO,
  status: 'drift',
  expected: 'present',
  observed: 'absent',
  message: `repository ${REPO} is missing`,
};
const repoOk: CheckResult = {
  check: 'repository.present',
  target: REPO,
  status: 'ok',
  expected: 'present',
  observed: 'present',
};

const m = (r: CheckResult): Mismatch => ({
  id: `${r.check} ${r.target} ${r.observed}`,
  check: r.check,
  target: r.target,
  expected: r.expected!,
  observed: r.observed!,
  message: r.message!,
});
const ids = (ms: Mismatch[]) => ms.map(x => x.id);

const DRIFT_ROWS: [
  string,
  Mismatch[],
  CheckResult[],
  { detected: string[]; resolved: string[]; open: string[] },
][] = [
  [
    'no drift, none before',
    [],
    [lifecycleOk, repoOk],
    { detected: [], resolved: [], open: [] },
  ],
  [
    'new drift is detected',
    [],
    [lifecycle('production'), repoOk],
    {
      detected: [`entity.lifecycle ${CART} production`],
      resolved: [],
      open: [`entity.lifecycle ${CART} production`],
    },
  ],
  [
    'the same drift again is not detected again',
    [m(lifecycle('production'))],
    [lifecycle('production'), repoOk],
    {
      detected: [],
      resolved: [],
      open: [`entity.lifecycle ${CART} production`],
    },
  ],
  [
    'drift gone: resolved',
    [m(lifecycle('production'))],
    [lifecycleOk, repoOk],
    {
      detected: [],
      resolved: [`entity.lifecycle ${CART} production`],
      open: [],
    },
  ],
  [
    'drift with another observed value: the old one resolved, the new one detected',
    [m(lifecycle('production'))],
    [lifecycle('deprecated'), repoOk],
    {
      detected: [`entity.lifecycle ${CART} deprecated`],
      resolved: [`entity.lifecycle ${CART} production`],
      open: [`entity.lifecycle ${CART} deprecated`],
    },
  ],
  [
    'an outage keeps open drift open and reports nothing',
    [m(lifecycle('production'))],
    [lifecycleUnknown, repoOk],
    {
      detected: [],
      resolved: [],
      open: [`entity.lifecycle ${CART} production`],
    },
  ],
  [
    'one drift resolved while another is detected',
    [m(lifecycle('production'))],
    [lifecycleOk, repoGone],
    {
      detected: [`repository.present ${REPO} absent`],
      resolved: [`entity.lifecycle ${CART} production`],
      open: [`repository.present ${REPO} absent`],
    },
  ],
  [
    'a check no longer run (not-checked, or no result) resolves its drift',
    [m(repoGone)],
    [
      {
        check: 'repository.present',
        target: REPO,
        status: 'not-checked',
        message: 'compensated',
      },
    ],
    {
      detected: [],
      resolved: [`repository.present ${REPO} absent`],
      open: [],
    },
  ],
];

describe('diffDrift', () => {
  it.each(DRIFT_ROWS)('%s', (_name, previous, results, expected) => {
    const change = diffDrift(previous, results);
    expect({
      detected: ids(change.detected),
      resolved: ids(change.resolved),
      open: ids(change.open),
    }).toEqual(expected);
  });
});

describe('openMismatches', () => {
  it('reads the open list of a drift record and ignores anything else', () => {
    const open = m(lifecycle('production'));
    expect(openMismatches({ open: [open, { id: 1 }, null, 'x'] })).toEqual([
      open,
    ]);
    expect(openMismatches({ result: 'succeeded' })).toEqual([]);
    expect(openMismatches(undefined)).toEqual([]);
  });
});
