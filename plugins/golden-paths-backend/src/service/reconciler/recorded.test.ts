import { PlanStep } from '../compensation/plan';
import { LedgerEntry, RecordedState, recordedStates } from './recorded';

const ROOT = '/srv/gp/repos';
const REPO = `${ROOT}/cart-api.git`;
const INFRA = `${ROOT}/platform-infra.git`;
const SHA = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const SHA3 = 'c'.repeat(40);
const KEY = 'service-node-http:cart-api';
const CART = 'component:default/cart-api';
const DB_KEY = 'postgres-database:cart-db:dev';
const CART_DB = 'resource:default/cart-db-dev';

const at = (minute: number) =>
  `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z`;

const step = (
  stepId: string,
  action: string,
  minute: number,
  over: Partial<PlanStep> = {},
): PlanStep => ({
  stepId,
  action,
  status: 'done',
  startedAt: at(minute),
  finishedAt: at(minute),
  ...over,
});

const entry = (
  requestKey: string,
  kind: string,
  request: Record<string, unknown>,
  steps: PlanStep[],
  outputs?: Record<string, unknown>,
): LedgerEntry => ({
  request: {
    requestKey,
    kind,
    status: 'succeeded',
    request,
    ...(outputs ? { outputs } : {}),
    createdAt: at(0),
  },
  steps,
});

const localService = (
  over: { publish?: Partial<PlanStep>; register?: Partial<PlanStep> } = {},
) =>
  entry(KEY, 'service', { name: 'cart-api' }, [
    step('publish-local', 'goldenpath:publish:git', 1, {
      effectRef: `${REPO}@${SHA}`,
      ...over.publish,
    }),
    step('register', 'goldenpath:register', 2, {
      effectRef: `golden-paths-local:${CART}`,
      output: { entityRef: CART },
      ...over.register,
    }),
  ]);

const transition = (
  name: string,
  minute: number,
  to: string,
  effectRef = `${REPO}@${SHA2}`,
  entity = CART,
) =>
  entry(
    `lifecycle:${entity}:${name}`,
    'lifecycle',
    { entity, transition: name, reason: 'ten characters at least' },
    [
      step('lifecycle', 'goldenpath:lifecycle', minute, {
        effectRef,
        output: { from: '?', to },
      }),
    ],
  );

const localDatabase = (environment: string) =>
  entry(DB_KEY, 'database', { name: 'cart-db', environment }, [
    step('apply', 'goldenpath:database:apply', 1, {
      effectRef: 'local-postgres:cart_db_dev',
      output: { resourceRef: CART_DB },
    }),
    step('publish-local', 'goldenpath:publish:git', 2, {
      effectRef: `${INFRA}@${SHA}`,
    }),
    step('register', 'goldenpath:register', 3, {
      effectRef: `golden-paths-local:${CART_DB}`,
      output: { entityRef: CART_DB },
    }),
  ]);

const created: RecordedState = {
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
};
const delegated = (to: string): RecordedState => ({
  requestKey: KEY,
  notChecked: [
    {
      check: 'entity.lifecycle',
      target: CART,
      reason: `checked on request "${to}", the latest that changed ${CART}`,
    },
  ],
});

const RECORDED_ROWS: [string, LedgerEntry[], RecordedState[]][] = [
  [
    'a local service: its repository with our marker, writable; the entity experimental',
    [localService()],
    [created],
  ],
  [
    'a GitHub service: the remote repository is not checked here',
    [
      entry(
        KEY,
        'service',
        { name: 'cart-api' },
        [
          step('register', 'goldenpath:register', 2, {
            effectRef: '7f3c2b1a-0000-4000-8000-000000000001',
            output: { entityRef: CART },
          }),
        ],
        { entityRef: CART, repoUrl: 'https://github.com/acme/cart-api' },
      ),
    ],
    [
      {
        requestKey: KEY,
        entity: created.entity,
        notChecked: [
          {
            check: 'repository.present',
            target: 'https://github.com/acme/cart-api',
            reason:
              'remote repository: this backend reads only local bare repositories under goldenPaths.publish.local.root, so it is not checked here',
          },
        ],
      },
    ],
  ],
  [
    'a dev database: the database, the commit in the shared infrastructure repository, an experimental Resource',
    [localDatabase('dev')],
    [
      {
        requestKey: DB_KEY,
        database: { requestKey: DB_KEY, target: 'local-postgres:cart_db_dev' },
        repository: {
          path: INFRA,
          identity: { kind: 'commit', commitSha: SHA },
        },
        entity: {
          ref: CART_DB,
          presence: 'present',
          lifecycle: 'experimental',
          requestKey: DB_KEY,
        },
        notChecked: [],
      },
    ],
  ],
  [
    'a prod database starts production',
    [localDatabase('prod')],
    [
      expect.objectContaining({
        entity: expect.objectContaining({ lifecycle: 'production' }),
      }),
    ],
  ],
  [
    'promoted later: the promotion records the lifecycle, the creation leaves the check to it',
    [localService(), transition('promote', 10, 'production')],
    [
      delegated(`lifecycle:${CART}:promote`),
      {
        ...created,
        requestKey: `lifecycle:${CART}:promote`,
        entity: { ...created.entity!, lifecycle: 'production' },
      },
    ],
  ],
  [
    'archived after deprecation: the latest transition wins; the repository is read-only',
    [
      transition('archive', 30, 'archived', `${REPO}@${SHA3}`),
      transition('deprecate', 20, 'deprecated'),
      localService(),
    ],
    [
      {
        ...created,
        requestKey: `lifecycle:${CART}:archive`,
        repository: { ...created.repository!, readOnly: true },
        entity: { ...created.entity!, lifecycle: 'archived' },
      },
      {
        requestKey: `lifecycle:${CART}:deprecate`,
        notChecked: [
          {
            check: 'entity.lifecycle',
            target: CART,
            reason: `checked on request "lifecycle:${CART}:archive", the latest that changed ${CART}`,
          },
        ],
      },
      delegated(`lifecycle:${CART}:archive`),
    ],
  ],
  [
    'deleted: the entity must be absent; the repository kept where delete moved it, read-only',
    [
      localService(),
      transition('delete', 40, 'deleted', `${ROOT}/.deleted/cart-api.git`),
    ],
    [
      delegated(`lifecycle:${CART}:delete`),
      {
        requestKey: `lifecycle:${CART}:delete`,
        repository: {
          path: `${ROOT}/.deleted/cart-api.git`,
          identity: { kind: 'marker', requestKey: KEY },
          readOnly: true,
        },
        entity: { ref: CART, presence: 'absent' },
        notChecked: [],
      },
    ],
  ],
  [
    'a transition whose creating request left the ledger: any marker and request key',
    [transition('promote', 10, 'production')],
    [
      {
        requestKey: `lifecycle:${CART}:promote`,
        repository: {
          path: REPO,
          identity: { kind: 'marker' },
          readOnly: false,
        },
        entity: { ref: CART, presence: 'present', lifecycle: 'production' },
        notChecked: [],
      },
    ],
  ],
  [
    'a deleted Resource: its database and repository are not checked',
    [
      localDatabase('dev'),
      transition(
        'delete',
        40,
        'deleted',
        `${ROOT}/.deleted/platform-infra.git`,
        CART_DB,
      ),
    ],
    [
      {
        requestKey: DB_KEY,
        notChecked: [
          {
            check: 'database.present',
            target: 'local-postgres:cart_db_dev',
            reason: `its Resource was deleted by request "lifecycle:${CART_DB}:delete" (the provisioner's destroy goes through the lifecycle, §7.1)`,
          },
          {
            check: 'entity.lifecycle',
            target: CART_DB,
            reason: `checked on request "lifecycle:${CART_DB}:delete", the latest that changed ${CART_DB}`,
          },
        ],
      },
      {
        requestKey: `lifecycle:${CART_DB}:delete`,
        entity: { ref: CART_DB, presence: 'absent' },
        notChecked: [
          {
            check: 'repository.present',
            target: `${ROOT}/.deleted/platform-infra.git`,
            reason:
              'the Resource was deleted; its descriptor lived in the shared infrastructure repository',
          },
        ],
      },
    ],
  ],
  [
    'a repository outside the local root is not read',
    [
      localService({
        publish: { effectRef: `/elsewhere/cart-api.git@${SHA}` },
      }),
    ],
    [
      {
        ...created,
        repository: undefined,
        notChecked: [
          {
            check: 'repository.present',
            target: '/elsewhere/cart-api.git',
            reason: `not a <name>.git repository inside goldenPaths.publish.local.root (${ROOT}); not read`,
          },
        ],
      },
    ],
  ],
  [
    'compensated steps (§8) are not checked',
    [
      localService({
        publish: { status: 'compensated' },
        register: { status: 'compensated' },
      }),
    ],
    [
      {
        requestKey: KEY,
        notChecked: [
          {
            check: 'entity.present',
            target: CART,
            reason:
              'its register step is compensated (§8): the entity was taken out of the catalog',
          },
          {
            check: 'repository.present',
            target: `${REPO}@${SHA}`,
            reason:
              'its publish step is compensated (§8): the repository was removed or handed to a human',
          },
        ],
      },
    ],
  ],
  [
    'a request that registered nothing records nothing',
    [entry(KEY, 'service', { name: 'cart-api' }, [])],
    [{ requestKey: KEY, notChecked: [] }],
  ],
];

describe('recordedStates', () => {
  it.each(RECORDED_ROWS)('%s', (_name, entries, expected) => {
    const states = recordedStates(entries, { localRoot: ROOT });
    // compare without undefined keys
    expect(JSON.parse(JSON.stringify(states))).toEqual(expected);
  });
});
