import { Entity } from '@backstage/catalog-model';
import { DEFAULT_SCORECARDS_CONFIG } from '../config/scorecardsConfig';
import {
  deriveSubject,
  EntitySubject,
  repositoryJoinKey,
} from './entitySubject';

const service = (aliases?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'Checkout-Service',
    ...(aliases !== undefined
      ? { annotations: { 'ops.example.com/aliases': aliases } }
      : {}),
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/x' },
});

describe('deriveSubject aliases', () => {
  it.each([
    [undefined, ['checkout-service']],
    [
      'checkout, CHECKOUT-API',
      ['checkout-service', 'checkout', 'checkout-api'],
    ],
    // the name and repeats count once, in first-seen order
    [
      'Checkout-Service, checkout, Checkout, api',
      ['checkout-service', 'checkout', 'api'],
    ],
  ])('%j → %j', (aliases, expected) => {
    expect(
      deriveSubject(service(aliases), DEFAULT_SCORECARDS_CONFIG).aliases,
    ).toEqual(expected);
  });

  it('keeps 50,000 aliases with repeats once each (one pass, not a scan per alias)', () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `svc-${i % 25_000}`);
    const { aliases } = deriveSubject(
      service(names.join(',')),
      DEFAULT_SCORECARDS_CONFIG,
    );
    expect(aliases).toHaveLength(25_001);
    expect(aliases.slice(0, 3)).toEqual(['checkout-service', 'svc-0', 'svc-1']);
  });
});

/** A Component with metadata as a catalog that skipped validation could hand it over. */
const odd = (
  metadata: Record<string, unknown>,
  kind = 'Component',
  spec: Record<string, unknown> = { type: 'service', lifecycle: 'production' },
): Entity =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata,
    spec,
  } as unknown as Entity);

describe('deriveSubject never throws on odd metadata (SR33)', () => {
  const derive = (entity: Entity) =>
    deriveSubject(entity, DEFAULT_SCORECARDS_CONFIG);

  // a value that is not a string is ignored like an absent one, and noted
  it.each<[string, unknown]>([
    ['a number', 42],
    ['a list', ['checkout', 'cart']],
    ['an object', { a: 'checkout' }],
    ['true', true],
    ['null', null],
  ])('aliases and data domains given as %s are ignored', (_name, value) => {
    const subject = derive(
      odd({
        name: 'checkout',
        annotations: {
          'ops.example.com/aliases': value,
          'ops.example.com/data-domains': value,
        },
      }),
    );
    expect(subject.aliases).toEqual(['checkout']);
    expect(subject.dataDomains).toBeNull();
    expect(subject.notes).toEqual([
      'annotation ops.example.com/data-domains is not a string; ignored',
      'annotation ops.example.com/aliases is not a string; ignored',
    ]);
  });

  it.each<[string, Record<string, unknown>, Partial<EntitySubject>, string[]]>([
    [
      'runtime',
      { name: 'x', annotations: { 'ops.example.com/runtime': 7 } },
      { runtime: undefined },
      ['annotation ops.example.com/runtime is not a string; ignored'],
    ],
    [
      'tier and customer-facing labels',
      {
        name: 'x',
        labels: {
          'ops.example.com/tier': 1,
          'ops.example.com/customer-facing': true,
        },
      },
      { tier: 'unknown', customerFacing: 'unknown' },
      [
        'label ops.example.com/tier is not a string; ignored',
        'label ops.example.com/customer-facing is not a string; ignored',
      ],
    ],
    [
      'namespace',
      { name: 'x', namespace: 5 },
      { namespace: 'default', ref: 'component:default/x' },
      ['metadata.namespace is not a string; ignored'],
    ],
    [
      'repository annotations',
      {
        name: 'x',
        annotations: {
          'backstage.io/source-location': 3,
          'github.com/project-slug': { a: 1 },
        },
      },
      { repository: null },
      [],
    ],
    ['nothing odd', { name: 'x' }, { ref: 'component:default/x' }, []],
  ])('%s', (_name, metadata, fields, notes) => {
    const subject = derive(odd(metadata));
    expect(subject).toMatchObject(fields);
    expect(subject.notes).toEqual(notes);
  });

  it('takes the lifecycle annotation of a Resource only when it is a string', () => {
    const subject = derive(
      odd(
        { name: 'db', annotations: { 'ops.example.com/lifecycle': ['x'] } },
        'Resource',
        { type: 'database' },
      ),
    );
    expect(subject.lifecycle).toBe('production');
    expect(subject.notes).toEqual([
      'annotation ops.example.com/lifecycle is not a string; ignored',
    ]);
  });

  // no name: evaluated as what it is, an entity nothing can name — an empty name, a ref that
  // can match no entity, only the declared aliases as telemetry names
  it.each<[string, Record<string, unknown> | undefined]>([
    ['missing', { annotations: { 'ops.example.com/aliases': 'Checkout' } }],
    [
      'not a string',
      { name: 12, annotations: { 'ops.example.com/aliases': 'Checkout' } },
    ],
    [
      'empty',
      { name: '', annotations: { 'ops.example.com/aliases': 'Checkout' } },
    ],
  ])('a name that is %s', (_name, metadata) => {
    const subject = derive(odd(metadata!));
    expect(subject).toMatchObject({
      name: '',
      ref: 'component:default/',
      aliases: ['checkout'],
      notes: [
        'metadata.name is missing or not a string; evaluated without a name',
      ],
    });
  });

  it('an entity without metadata', () => {
    const subject = derive(
      odd(undefined as unknown as Record<string, unknown>),
    );
    expect(subject).toMatchObject({
      name: '',
      namespace: 'default',
      ref: 'component:default/',
      aliases: [],
      lifecycle: 'production',
      notes: [
        'metadata.name is missing or not a string; evaluated without a name',
      ],
    });
  });
});

describe('repositoryJoinKey', () => {
  const located = (location: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'svc',
      annotations: { 'backstage.io/source-location': location },
    },
    spec: {},
  });

  it.each([
    ['url:https://github.com/o/r', 'github.com/o/r'],
    // credentials are no part of the repository's name: both spellings join the same evidence
    ['url:https://u:p@github.com/o/r', 'github.com/o/r'],
    ['url:https://token@github.com/O/R/tree/main/', 'github.com/o/r'],
    ['url:http://u:p@git.example.com/o/r.git', 'git.example.com/o/r'],
    ['url:git+ssh://u:p@git.example.com/o/r', 'git+ssh://git.example.com/o/r'],
  ])('%j → %j', (location, key) => {
    expect(repositoryJoinKey(located(location))).toBe(key);
  });
});
