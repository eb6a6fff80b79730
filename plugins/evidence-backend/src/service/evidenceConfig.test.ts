import { ConfigReader } from '@backstage/config';
import { readEvidenceOptions } from './evidenceConfig';

const read = (evidence: object) =>
  readEvidenceOptions(new ConfigReader({ evidence }));

describe('readEvidenceOptions', () => {
  // Kind ids, telemetry names and source ids carry dots (the README's own examples): they are
  // map keys, not config paths.
  it('reads kinds, aliases and sources keyed by ids with dots', () => {
    const options = read({
      kinds: {
        'deploy.freeze-window': { freshFor: '1h', keyed: true },
        'slo.status': { freshFor: { minutes: 30 } },
      },
      aliases: { 'api.stripe.com': 'Resource:default/Payment-Provider' },
      sources: {
        'argocd.prod': { expectEvery: '1d' },
        argocd: { expectEvery: { hours: 12 } },
        'no.expectation': {},
      },
    });
    expect(options.kinds).toEqual([
      { id: 'deploy.freeze-window', freshForSeconds: 3600, keyed: true },
      { id: 'slo.status', freshForSeconds: 1800 },
    ]);
    expect(options.aliases).toEqual({
      'api.stripe.com': 'resource:default/payment-provider',
    });
    expect(options.expectEverySeconds).toEqual({
      'argocd.prod': 86400,
      argocd: 43200,
    });
  });

  it('accepts ids the config reader refuses as path segments', () => {
    const options = read({
      aliases: { 'checkout/api': 'component:default/checkout-service' },
    });
    expect(options.aliases).toEqual({
      'checkout/api': 'component:default/checkout-service',
    });
  });

  it('refuses an alias to a short ref, which would map the name to no entity and win over its claim', () => {
    expect(() => read({ aliases: { checkout: 'component:checkout' } })).toThrow(
      'evidence.aliases.checkout must be a full entity ref like component:default/<name> (got "component:checkout")',
    );
  });

  it('keeps the defaults when the maps are absent or null', () => {
    expect(read({})).toMatchObject({
      kinds: [],
      aliases: {},
      expectEverySeconds: {},
    });
    expect(read({ kinds: null, aliases: null })).toMatchObject({
      kinds: [],
      aliases: {},
    });
  });

  it('keeps what a built-in kind entry leaves out: its window and being keyed', () => {
    expect(
      read({
        kinds: {
          'oncall.schedule': { freshFor: '2h' },
          'link.status': {},
          'slo.status': { keyed: false },
        },
      }).kinds,
    ).toEqual([
      // built in: 24 h, keyed
      { id: 'oncall.schedule', freshForSeconds: 7200, keyed: true },
      // built in: 7 d, keyed
      { id: 'link.status', freshForSeconds: 7 * 86400, keyed: true },
      { id: 'slo.status', freshForSeconds: 24 * 3600, keyed: false },
    ]);
  });

  // Facts store the window in an integer column (fresh_for_s): a longer or fractional window
  // failed each write of the kind that did not send its own, on PostgreSQL with a 500.
  it.each([
    [{ years: 100 }, 'about 68 years; got 3153600000 s'],
    [{ milliseconds: 1500 }, 'about 68 years; got 1.5 s'],
  ])('refuses the kind window %j at start-up', (freshFor, got) => {
    expect(() => read({ kinds: { 'a.b': { freshFor } } })).toThrow(
      `evidence.kinds["a.b"].freshFor must be whole seconds of at most 2147483647 (${got})`,
    );
  });

  it('defaults a kind without freshFor to 7 days and reads keyed from text', () => {
    expect(read({ kinds: { 'a.b': { keyed: 'true' } } }).kinds).toEqual([
      { id: 'a.b', freshForSeconds: 7 * 86400, keyed: true },
    ]);
  });

  it.each([
    [
      { kinds: ['deploy'] },
      'evidence.kinds must be a map of kind id to { freshFor, keyed } (got array)',
    ],
    [
      { kinds: { 'deploy.freeze-window': '1h' } },
      'evidence.kinds["deploy.freeze-window"] must be an object with freshFor and keyed (got string)',
    ],
    [
      { kinds: { 'deploy.freeze-window': { freshFor: 'soon' } } },
      'evidence.kinds["deploy.freeze-window"].freshFor must be a duration',
    ],
    [
      { kinds: { 'a.b': { freshFor: '1h', keyed: 'maybe' } } },
      'evidence.kinds["a.b"].keyed must be a boolean (got "maybe")',
    ],
    [
      { aliases: { 'api.stripe.com': 7 } },
      'evidence.aliases["api.stripe.com"] must be an entity ref (text, got number)',
    ],
    [
      { sources: { 'argocd.prod': { expectEvery: 'daily' } } },
      'evidence.sources["argocd.prod"].expectEvery must be a duration',
    ],
    [
      { sources: { argocd: { expectEvery: { hour: 1 } } } },
      'evidence.sources.argocd.expectEvery must be a duration such as 1h, PT1H or { hours: 1 } (got {"hour":1})',
    ],
    // A chunk of 0 deleted nothing and looped for ever; a negative retention deleted everything.
    [
      { retention: { chunkSize: 0 } },
      'evidence.retention.chunkSize must be a whole number of at least 1 (got 0)',
    ],
    [
      { retention: { changes: { days: -1 } } },
      'evidence.retention.changes must be a positive duration',
    ],
    [
      { ingest: { maxBatchItems: 2.5 } },
      'evidence.ingest.maxBatchItems must be a whole number of at least 1 (got 2.5)',
    ],
    [
      { edges: { freshFor: '0s' } },
      'evidence.edges.freshFor must be a positive duration',
    ],
  ])('refuses %j naming the key', (evidence, message) => {
    expect(() => read(evidence)).toThrow(message);
  });
});
