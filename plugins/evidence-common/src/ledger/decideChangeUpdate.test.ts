import { ChangeInput } from '../schemas/changeInput';
import { decideChangeUpdate } from './decideChangeUpdate';
import {
  canBeRolledBack,
  isAllowedStatusTransition,
} from './statusTransitions';
import { ChangeStatus } from '../schemas/changeAttributes';

const started: ChangeInput = {
  entityRef: 'component:default/checkout-service',
  kind: 'deploy',
  ref: 'sha256:abc',
  summary: 'checkout-service 5.8.2',
  actor: { type: 'bot', id: 'github-actions' },
  source: { system: 'github-actions', externalId: '4711' },
  startedAt: '2026-03-14T02:00:00Z',
  status: 'started',
  attributes: {
    artifactDigest: 'sha256:abc',
    exposure: { from: 0, to: 10, strategy: 'canary', analysis: true },
  },
};

const withChanges = (patch: Record<string, unknown>): ChangeInput =>
  ({ ...started, ...patch } as ChangeInput);

describe('decideChangeUpdate (§3.5, EV7, IB R10)', () => {
  it.each<[string, ChangeInput, object]>([
    ['identical body → unchanged', started, { decision: 'unchanged' }],
    [
      'same values in other spellings → unchanged',
      withChanges({
        startedAt: '2026-03-14T02:00:00.000Z',
        environment: 'prod',
        entityRef: 'Component:default/checkout-service',
      }),
      { decision: 'unchanged' },
    ],
    [
      'started → succeeded with finishedAt → update',
      withChanges({ status: 'succeeded', finishedAt: '2026-03-14T02:10:00Z' }),
      { decision: 'update', changedFields: ['finishedAt', 'status'] },
    ],
    [
      'exposure.to, verification and source.url may change',
      withChanges({
        source: { ...started.source, url: 'https://ci/4711' },
        attributes: {
          artifactDigest: 'sha256:abc',
          exposure: { from: 0, to: 100, strategy: 'canary', analysis: true },
          verification: { status: 'passed' },
        },
      }),
      {
        decision: 'update',
        changedFields: [
          'attributes.exposure.to',
          'attributes.verification.status',
          'source.url',
        ],
      },
    ],
    [
      'changed kind → IMMUTABLE_FIELD naming kind (even though attributes differ too)',
      withChanges({ kind: 'config', attributes: { keys: ['a'] } }),
      {
        decision: 'conflict',
        error: {
          code: 'IMMUTABLE_FIELD',
          field: 'kind',
          message:
            'kind cannot change for github-actions/4711 (stored "deploy", got "config")',
        },
      },
    ],
    [
      'first differing immutable path in sorted order',
      withChanges({ summary: 'other', ref: 'sha256:def' }),
      {
        decision: 'conflict',
        error: { code: 'IMMUTABLE_FIELD', field: 'ref' },
      },
    ],
    [
      'nested immutable paths are dotted',
      withChanges({
        attributes: {
          artifactDigest: 'sha256:abc',
          exposure: { from: 5, to: 10, strategy: 'canary', analysis: true },
        },
      }),
      {
        decision: 'conflict',
        error: {
          code: 'IMMUTABLE_FIELD',
          field: 'attributes.exposure.from',
          message:
            'attributes.exposure.from cannot change for github-actions/4711 (stored 0, got 5)',
        },
      },
    ],
    [
      'adding an immutable field is a change',
      withChanges({ version: '5.8.2' }),
      {
        decision: 'conflict',
        error: {
          code: 'IMMUTABLE_FIELD',
          field: 'version',
          message:
            'version cannot change for github-actions/4711 (stored (none), got "5.8.2")',
        },
      },
    ],
    [
      'another environment is a change',
      withChanges({ environment: 'staging' }),
      { decision: 'conflict', error: { field: 'environment' } },
    ],
  ])('%s', (_name, incoming, expected) => {
    expect(decideChangeUpdate(started, incoming)).toMatchObject(expected);
  });

  it('succeeded → started is INVALID_TRANSITION with the §3.9 message', () => {
    const succeeded = withChanges({
      status: 'succeeded',
      finishedAt: '2026-03-14T02:10:00Z',
    });
    expect(decideChangeUpdate(succeeded, started)).toMatchObject({
      decision: 'conflict',
      error: {
        code: 'INVALID_TRANSITION',
        message:
          'status cannot move from succeeded to started for github-actions/4711',
      },
    });
  });

  it('keeps stored mutable values the update omits and applies the new ones', () => {
    const stored = withChanges({
      source: { ...started.source, url: 'https://ci/4711' },
    });
    const result = decideChangeUpdate(
      stored,
      withChanges({ status: 'succeeded', finishedAt: '2026-03-14T02:10:00Z' }),
    );
    expect(result.decision).toBe('update');
    if (result.decision !== 'update') return;
    expect(result.next).toMatchObject({
      status: 'succeeded',
      finishedAt: '2026-03-14T02:10:00.000Z',
      source: { url: 'https://ci/4711' },
      environment: 'production',
    });
  });
});

describe('status transitions (§3.5)', () => {
  const all: ChangeStatus[] = [
    'started',
    'succeeded',
    'failed',
    'cancelled',
    'rolled-back',
  ];
  const allowed = new Set([
    'started>succeeded',
    'started>failed',
    'started>cancelled',
    'succeeded>rolled-back',
    'failed>rolled-back',
  ]);
  it.each(all.flatMap(from => all.map(to => [from, to] as const)))(
    '%s → %s',
    (from, to) => {
      expect(isAllowedStatusTransition(from, to)).toBe(
        from === to || allowed.has(`${from}>${to}`),
      );
    },
  );

  it.each<[ChangeStatus, boolean]>([
    ['succeeded', true],
    ['failed', true],
    ['started', false],
    ['cancelled', false],
    ['rolled-back', false],
  ])('a rollback may mark a %s target: %s (EV8)', (status, expected) => {
    expect(canBeRolledBack(status)).toBe(expected);
  });
});
