import {
  CheckResult,
  compareRecordedVsObserved,
  mismatchesOf,
  ObservedState,
} from './compare';
import { RecordedState } from './recorded';

const KEY = 'service-node-http:cart-api';
const REPO = '/srv/gp/repos/cart-api.git';
const INFRA = '/srv/gp/repos/platform-infra.git';
const SHA = 'a'.repeat(40);
const CART = 'component:default/cart-api';

const service = (over: Partial<RecordedState> = {}): RecordedState => ({
  requestKey: KEY,
  repository: {
    path: REPO,
    identity: { kind: 'marker', requestKey: KEY },
    readOnly: false,
  },
  entity: {
    ref: CART,
    presence: 'present',
    lifecycle: 'experimental',
    requestKey: KEY,
  },
  notChecked: [],
  ...over,
});
const DB: RecordedState = {
  requestKey: 'postgres-database:cart-db:dev',
  database: {
    requestKey: 'postgres-database:cart-db:dev',
    target: 'local-postgres:cart_db_dev',
  },
  notChecked: [],
};
const healthy: ObservedState = {
  repository: { state: 'present', markerKey: KEY, readOnly: false },
  entity: { state: 'present', requestKey: KEY, lifecycle: 'experimental' },
};

/** `check status` per result, `check drift expected→observed` for drift. */
const summary = (results: CheckResult[]) =>
  results.map(r =>
    r.status === 'drift'
      ? `${r.check} drift ${r.expected}→${r.observed}`
      : `${r.check} ${r.status}`,
  );

const ALL_OK = [
  'repository.present ok',
  'repository.marker ok',
  'repository.write-state ok',
  'entity.present ok',
  'entity.request-key ok',
  'entity.lifecycle ok',
];

const COMPARE_ROWS: [string, RecordedState, ObservedState, string[]][] = [
  ['everything as recorded', service(), healthy, ALL_OK],
  [
    'repository gone: one drift, its other checks not run',
    service(),
    { ...healthy, repository: { state: 'absent' } },
    [
      'repository.present drift present→absent',
      'entity.present ok',
      'entity.request-key ok',
      'entity.lifecycle ok',
    ],
  ],
  [
    'marker names another request',
    service(),
    {
      ...healthy,
      repository: {
        state: 'present',
        markerKey: 'service-node-http:other',
        readOnly: false,
      },
    },
    [
      'repository.present ok',
      `repository.marker drift ${KEY}→service-node-http:other`,
      'repository.write-state ok',
      ...ALL_OK.slice(3),
    ],
  ],
  [
    'marker missing',
    service(),
    { ...healthy, repository: { state: 'present', readOnly: false } },
    [
      'repository.present ok',
      `repository.marker drift ${KEY}→(none)`,
      'repository.write-state ok',
      ...ALL_OK.slice(3),
    ],
  ],
  [
    'creating request pruned from the ledger: any marker and request key count',
    service({
      repository: {
        path: REPO,
        identity: { kind: 'marker' },
        readOnly: false,
      },
      entity: { ref: CART, presence: 'present', lifecycle: 'experimental' },
    }),
    healthy,
    ALL_OK,
  ],
  [
    'archived but still writable',
    service({
      repository: {
        path: REPO,
        identity: { kind: 'marker', requestKey: KEY },
        readOnly: true,
      },
      entity: {
        ref: CART,
        presence: 'present',
        lifecycle: 'archived',
        requestKey: KEY,
      },
    }),
    {
      ...healthy,
      entity: { state: 'present', requestKey: KEY, lifecycle: 'archived' },
    },
    [
      'repository.present ok',
      'repository.marker ok',
      'repository.write-state drift read-only→writable',
      ...ALL_OK.slice(3),
    ],
  ],
  [
    'read-only while the lifecycle says writable',
    service(),
    {
      ...healthy,
      repository: { state: 'present', markerKey: KEY, readOnly: true },
    },
    [
      'repository.present ok',
      'repository.marker ok',
      'repository.write-state drift writable→read-only',
      ...ALL_OK.slice(3),
    ],
  ],
  [
    'lifecycle changed outside the golden path',
    service(),
    {
      ...healthy,
      entity: { state: 'present', requestKey: KEY, lifecycle: 'production' },
    },
    [...ALL_OK.slice(0, 5), 'entity.lifecycle drift experimental→production'],
  ],
  [
    'request-key annotation removed',
    service(),
    {
      ...healthy,
      entity: { state: 'present', lifecycle: 'experimental' },
    },
    [
      ...ALL_OK.slice(0, 4),
      `entity.request-key drift ${KEY}→(none)`,
      'entity.lifecycle ok',
    ],
  ],
  [
    'entity gone from the catalog',
    service(),
    { ...healthy, entity: { state: 'absent' } },
    [...ALL_OK.slice(0, 3), 'entity.present drift present→absent'],
  ],
  [
    'deleted entity is absent',
    service({
      repository: undefined,
      entity: { ref: CART, presence: 'absent' },
    }),
    { entity: { state: 'absent' } },
    ['entity.absent ok'],
  ],
  [
    'deleted entity is back',
    service({
      repository: undefined,
      entity: { ref: CART, presence: 'absent' },
    }),
    {
      entity: { state: 'present', requestKey: KEY, lifecycle: 'archived' },
    },
    ['entity.absent drift absent→present (archived)'],
  ],
  [
    'catalog did not answer: entity checks unknown, never drift',
    service(),
    {
      ...healthy,
      entity: { state: 'unknown', reason: 'the catalog did not answer' },
    },
    [
      ...ALL_OK.slice(0, 3),
      'entity.present unknown',
      'entity.request-key unknown',
      'entity.lifecycle unknown',
    ],
  ],
  [
    'git failed: repository checks unknown',
    service(),
    {
      ...healthy,
      repository: { state: 'unknown', reason: 'spawn git ENOENT' },
    },
    [
      'repository.present unknown',
      'repository.marker unknown',
      'repository.write-state unknown',
      ...ALL_OK.slice(3),
    ],
  ],
  [
    'nothing observed: unknown',
    service(),
    {},
    [
      'repository.present unknown',
      'repository.marker unknown',
      'repository.write-state unknown',
      'entity.present unknown',
      'entity.request-key unknown',
      'entity.lifecycle unknown',
    ],
  ],
  [
    'shared infrastructure repository holds the commit; no write-state check',
    {
      requestKey: 'postgres-database:cart-db:dev',
      repository: { path: INFRA, identity: { kind: 'commit', commitSha: SHA } },
      notChecked: [],
    },
    {
      repository: { state: 'present', containsCommit: true, readOnly: false },
    },
    ['repository.present ok', 'repository.commit ok'],
  ],
  [
    'shared repository history rewritten',
    {
      requestKey: 'postgres-database:cart-db:dev',
      repository: { path: INFRA, identity: { kind: 'commit', commitSha: SHA } },
      notChecked: [],
    },
    {
      repository: { state: 'present', containsCommit: false, readOnly: true },
    },
    [
      'repository.present ok',
      `repository.commit drift ${SHA}→(not in history)`,
    ],
  ],
  [
    'database without a reachable provisioner: not checked',
    DB,
    { database: { state: 'not-checkable', reason: 'no provisioner' } },
    ['database.present not-checked'],
  ],
  [
    'database gone',
    DB,
    { database: { state: 'absent' } },
    ['database.present drift present→absent'],
  ],
  [
    'database found',
    DB,
    { database: { state: 'present' } },
    ['database.present ok'],
  ],
  [
    'provisioner failed: unknown',
    DB,
    { database: { state: 'unknown', reason: 'timeout' } },
    ['database.present unknown'],
  ],
  [
    'what the ledger cannot check is listed as not checked',
    service({
      repository: undefined,
      notChecked: [
        {
          check: 'repository.present',
          target: 'https://github.com/acme/cart-api',
          reason: 'remote repository',
        },
      ],
    }),
    { entity: healthy.entity },
    [...ALL_OK.slice(3), 'repository.present not-checked'],
  ],
];

describe('compareRecordedVsObserved', () => {
  it.each(COMPARE_ROWS)('%s', (_name, recorded, observed, expected) => {
    expect(summary(compareRecordedVsObserved(recorded, observed))).toEqual(
      expected,
    );
  });

  it('gives every distinct mismatch its own id, with a message for a human', () => {
    const drift = (lifecycle: string) =>
      mismatchesOf(
        compareRecordedVsObserved(service(), {
          ...healthy,
          entity: { state: 'present', requestKey: KEY, lifecycle },
        }),
      );
    const [production] = drift('production');
    const [deprecated] = drift('deprecated');
    expect(production).toEqual({
      id: `entity.lifecycle ${CART} production`,
      check: 'entity.lifecycle',
      target: CART,
      expected: 'experimental',
      observed: 'production',
      message: `${CART} is production in the catalog; the ledger records experimental`,
    });
    expect(deprecated.id).not.toBe(production.id);
    expect(drift('production')[0].id).toBe(production.id);
  });
});
